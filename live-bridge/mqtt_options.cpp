// live-bridge/mqtt_options.cpp — broker URL, credentials and TLS into Paho connect options.
#include "live-bridge/mqtt_options.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace edgetwin::bridge {

std::string paho_uri(const std::string& url) {
  std::string scheme, rest;
  const auto p = url.find("://");
  if (p == std::string::npos) throw std::invalid_argument("broker URL \"" + url + "\": expected mqtt://HOST:PORT or mqtts://HOST:PORT");
  scheme = url.substr(0, p);
  rest = url.substr(p + 3);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos || rest.find('@') != std::string::npos)
    throw std::invalid_argument("broker URL \"" + url + "\": expected mqtt://HOST:PORT (credentials go in --username and --password-file)");
  const bool has_port = rest.find(':') != std::string::npos && rest.back() != ']';
  if (scheme == "mqtt" || scheme == "tcp") return "tcp://" + rest + (has_port ? "" : ":1883");
  if (scheme == "mqtts" || scheme == "ssl") return "ssl://" + rest + (has_port ? "" : ":8883");
  throw std::invalid_argument("broker URL \"" + url + "\": scheme must be mqtt:// or mqtts://");
}

bool is_tls(const std::string& url) { return paho_uri(url).rfind("ssl://", 0) == 0; }

void parse_broker_options(std::vector<std::string>& a, BrokerOptions& o) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& w = a[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= a.size()) throw std::invalid_argument(w + " needs a value");
      return a[++i];
    };
    if (w == "--broker") o.url = value();
    else if (w == "--client-id") o.client_id = value();
    else if (w == "--username") o.username = value();
    else if (w == "--password-file") o.password_file = value();
    else if (w == "--password-env") o.password_env = value();
    else if (w == "--ca-file") o.ca_file = value();
    else if (w == "--cert") o.cert_file = value();
    else if (w == "--key") o.key_file = value();
    else if (w == "--insecure") o.insecure = true;
    else if (w == "--clean") o.clean_start = true;
    else if (w == "--keep-alive") o.keep_alive = std::stoi(value());
    else if (w == "--password" || w.rfind("--password=", 0) == 0)
      throw std::invalid_argument("a password is never taken on the command line (other users can read it with ps): "
                                  "use --password-file FILE or --password-env VARIABLE");
    else rest.push_back(w);
  }
  a = std::move(rest);
  (void)paho_uri(o.url);
  if (!o.cert_file.empty() != !o.key_file.empty())
    throw std::invalid_argument("a client certificate needs both --cert and --key");
  if (!o.ca_file.empty() && !is_tls(o.url)) throw std::invalid_argument("--ca-file needs an mqtts:// broker URL");
  resolve_password(o);
}

void resolve_password(BrokerOptions& o) {
  if (!o.password_file.empty() && !o.password_env.empty())
    throw std::invalid_argument("give the password by --password-file or by --password-env, not both");
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file);
    if (!in) throw std::invalid_argument("cannot read password file " + o.password_file);
    std::getline(in, o.password);
    while (!o.password.empty() && (o.password.back() == '\r' || o.password.back() == '\n')) o.password.pop_back();
  } else if (!o.password_env.empty()) {
    const char* v = std::getenv(o.password_env.c_str());
    if (!v) throw std::invalid_argument("environment variable " + o.password_env + " (password) is not set");
    o.password = v;
  }
  if (!o.password.empty() && o.username.empty()) throw std::invalid_argument("a password needs --username");
}

mqtt::connect_options connect_options(const BrokerOptions& o, bool auto_reconnect) {
  auto b = mqtt::connect_options_builder()
               .mqtt_version(MQTTVERSION_5)
               .clean_start(o.clean_start)
               .keep_alive_interval(std::chrono::seconds(o.keep_alive))
               .connect_timeout(std::chrono::seconds(10));
  if (!o.clean_start)
    b.properties(mqtt::properties{mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL, o.session_expiry)});
  if (auto_reconnect) b.automatic_reconnect(std::chrono::milliseconds(250), std::chrono::seconds(8));
  if (!o.username.empty()) b.user_name(o.username);
  if (!o.password.empty()) b.password(o.password);
  if (is_tls(o.url)) {
    auto ssl = mqtt::ssl_options_builder();
    if (!o.ca_file.empty()) ssl.trust_store(o.ca_file);
    if (!o.cert_file.empty()) ssl.key_store(o.cert_file).private_key(o.key_file);
    ssl.enable_server_cert_auth(!o.insecure).verify(!o.insecure);
    b.ssl(ssl.finalize());
  }
  return b.finalize();
}

mqtt::token_ptr connect_client(mqtt::async_client& client, mqtt::connect_options opts) {
  mqtt::properties props(opts.get_properties());
  opts.set_properties(std::move(props));
  if (!opts.get_will_options().get_topic().empty()) {
    mqtt::will_options will(opts.get_will_options());
    opts.set_will(std::move(will));
  }
  if (client.get_server_uri().rfind("ssl://", 0) == 0) {
    mqtt::ssl_options ssl(opts.get_ssl_options());
    opts.set_ssl(std::move(ssl));
  }
  return client.connect(opts);
}

bool connect_refused(const mqtt::exception& e) {
  for (const int c : {e.get_reason_code(), e.get_return_code()})
    if (c == mqtt::ReasonCode::BAD_USER_NAME_OR_PASSWORD || c == mqtt::ReasonCode::NOT_AUTHORIZED || c == 4 || c == 5)
      return true;
  return false;
}

std::string describe_connect_error(const mqtt::exception& e, const BrokerOptions& o) {
  const std::string where = o.url;
  if (connect_refused(e)) {
    if (o.username.empty())
      return "broker " + where + " refused the connection: not authorized (no user name given: try --username and "
             "--password-file)";
    return "broker " + where + " refused the connection: bad user name or password, or user \"" + o.username +
           "\" is not authorized";
  }
  std::string msg = e.what();
  // Paho's own text never holds the password, but make sure nothing we pass through does.
  if (!o.password.empty())
    for (auto p = msg.find(o.password); p != std::string::npos; p = msg.find(o.password)) msg.replace(p, o.password.size(), "***");
  if (is_tls(o.url))
    return "cannot connect to " + where + " over TLS: " + msg +
           " (check --ca-file, the broker's certificate name, and --cert/--key)";
  return "cannot connect to " + where + ": " + msg;
}

}  // namespace edgetwin::bridge
