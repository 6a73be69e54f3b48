// live-bridge/mqtt_options.hpp — broker URL, TLS and credentials shared by every bridge command, and
// the Paho connect options built from them. The password comes from a file or an environment
// variable, never from the command line, and is never logged.
#pragma once

#include <string>
#include <vector>

#include <mqtt/async_client.h>

namespace edgetwin::bridge {

struct BrokerOptions {
  std::string url = "mqtt://127.0.0.1:1883";  // mqtt://HOST:PORT or mqtts://HOST:PORT
  std::string client_id;
  std::string username;
  std::string password;       // resolved from password_file / password_env
  std::string password_file;
  std::string password_env;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool insecure = false;      // mqtts without server certificate verification (tests only)
  bool clean_start = false;   // false: persistent session (QoS 1 survives disconnects)
  int keep_alive = 10;        // s
  int session_expiry = 3600;  // s, for the persistent session
};

/// "mqtt://h:p" -> "tcp://h:p", "mqtts://h:p" -> "ssl://h:p" (default ports 1883 / 8883).
/// Throws std::invalid_argument on anything else.
std::string paho_uri(const std::string& url);
bool is_tls(const std::string& url);

/// Parses the options common to every command (--broker, --client-id, --username, --password-file,
/// --password-env, --ca-file, --cert, --key, --insecure, --clean, --keep-alive) out of `args`,
/// removing what it consumed. Rejects --password (a password on the command line leaks through ps).
/// Throws std::invalid_argument with a message for the user.
void parse_broker_options(std::vector<std::string>& args, BrokerOptions& opts);

/// Reads the password from the file or environment variable named in `opts`.
void resolve_password(BrokerOptions& opts);

/// MQTT 5 connect options: session, keep-alive, credentials, TLS, automatic reconnect with backoff.
mqtt::connect_options connect_options(const BrokerOptions& opts, bool auto_reconnect = true);

/// Connects with `opts`. Paho C++ 1.2.0 copies connect_options without re-pointing the C struct at
/// the copy's MQTT 5 properties (a dangling pointer, which crashed connects at random): this binds
/// them again on the copy that is handed to Paho. Always connect through here.
mqtt::token_ptr connect_client(mqtt::async_client& client, mqtt::connect_options opts);

/// True when the broker refused our credentials (MQTT 5 reason 134/135, MQTT 3 return code 4/5).
bool connect_refused(const mqtt::exception& e);

/// A message for the user from a failed connect: names the reason (refused credentials, TLS, no
/// broker listening) without echoing any secret.
std::string describe_connect_error(const mqtt::exception& e, const BrokerOptions& opts);

}  // namespace edgetwin::bridge
