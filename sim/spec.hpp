// sim/spec.hpp — declarative field specs for the scenario format, and a validating reader.
//
// Each JSON object of the format is declared once (field name, type, unit, default, help), in the
// spirit of ns-3's TypeId attributes. The same declaration validates scenarios (unknown keys with a
// "did you mean" hint, required keys, types, units, ranges) and generates scenarios/schema.json, so
// the published schema cannot drift from what the loader accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/core/units.hpp"

namespace edgetwin::sim {

/// An invalid scenario: where (JSON pointer) and what was expected.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string pointer, std::string message)
      : std::runtime_error(pointer.empty() ? message : pointer + ": " + message),
        pointer_(std::move(pointer)),
        message_(std::move(message)) {}
  const std::string& pointer() const { return pointer_; }
  const std::string& message() const { return message_; }

 private:
  std::string pointer_;
  std::string message_;
};

enum class FieldType {
  string,
  integer,
  number,
  boolean,
  quantity,       // string with unit (see `unit`)
  probability,    // number in [0, 1] or "x%"
  enumeration,    // one of `choices`
  object,         // nested object (see `object`)
  object_array,   // array of `object`
  string_array,
  free_object,    // any JSON object, validated elsewhere (mapping, fault params)
};

struct ObjectSpec;

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::string;
  bool required = false;
  std::string help;
  models::units::Kind unit = models::units::Kind::duration;
  const ObjectSpec* object = nullptr;
  std::vector<std::string> choices;
  nlohmann::json default_value;  // null = no default
  std::optional<double> minimum;  // for integer/number/quantity
  bool exclusive_minimum = false;
};

struct ObjectSpec {
  std::string title;
  std::string help;
  std::vector<FieldSpec> fields;
  const FieldSpec* find(std::string_view name) const;
};

/// A field declaration (the common case: name, type, required, help, default).
inline FieldSpec make_field(std::string name, FieldType type, bool required, std::string help,
                            nlohmann::json default_value = nullptr) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  f.required = required;
  f.help = std::move(help);
  f.default_value = std::move(default_value);
  return f;
}

/// JSON Schema (draft 2020-12) for an object spec, with nested definitions.
nlohmann::json json_schema_for(const ObjectSpec& root, const std::string& id, const std::string& title);

/// Markdown reference of an object spec and everything nested in it (one table per object).
std::string markdown_reference(const ObjectSpec& root);

/// Closest name among candidates by edit distance (empty if none is close).
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// A validated view of one JSON object: construction checks the object against its spec (unknown
/// keys, required keys); the accessors check types and units and apply defaults.
class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& value, std::string pointer, const ObjectSpec& spec);

  const std::string& pointer() const { return pointer_; }
  std::string child_pointer(std::string_view key) const;
  bool has(std::string_view key) const;

  std::string get_string(std::string_view key) const;
  std::int64_t get_integer(std::string_view key) const;
  double get_number(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  double get_quantity(std::string_view key) const;
  double get_probability(std::string_view key) const;
  std::vector<std::string> get_strings(std::string_view key) const;
  std::vector<ObjectReader> get_objects(std::string_view key) const;
  ObjectReader get_object(std::string_view key) const;
  const nlohmann::json& raw(std::string_view key) const;

  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  const FieldSpec& field(std::string_view key) const;
  const nlohmann::json* value_or_default(std::string_view key) const;
  void check_minimum(const FieldSpec& f, double v, std::string_view key) const;

  const nlohmann::json* value_;
  std::string pointer_;
  const ObjectSpec* spec_;
};

/// Escapes a key for use in a JSON pointer (RFC 6901: ~ -> ~0, / -> ~1).
std::string pointer_escape(std::string_view key);

/// Short rendering of a JSON value for error messages.
std::string brief(const nlohmann::json& value);

}  // namespace edgetwin::sim
