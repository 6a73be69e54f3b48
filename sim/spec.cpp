// sim/spec.cpp — validating reader over declared object specs, and JSON Schema generation.
#include "sim/spec.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace edgetwin::sim {

using nlohmann::json;
using models::units::Kind;

const FieldSpec* ObjectSpec::find(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::string pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string brief(const json& value) {
  std::string s = value.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string type_name(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

// Regex accepted by editors for a quantity of this kind (kept in step with models/core/units.cpp).
std::string quantity_pattern(Kind kind) {
  const std::string num = "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*";
  switch (kind) {
    case Kind::duration:
      return num + "(ns|us|µs|ms|s|sec|min|h|hour|d|day|w)\\s*$";
    case Kind::data_size:
      return num + "(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB|b|bit|kb|kbit|Mb|Mbit)\\s*$";
    case Kind::bandwidth:
      return num + "(bps|kbps|Kbps|Mbps|Gbps|Tbps|Bps|kBps|KBps|MBps|GBps|KiBps|MiBps)\\s*$";
    case Kind::cpu_speed:
      return num + "(f|kf|Mf|Gf|Tf|Pf|flops|kflops|Mflops|Gflops|Tflops|Pflops)(/s)?\\s*$";
    case Kind::flops:
      return num + "(f|kf|Mf|Gf|Tf|Pf|flops|kflops|Mflops|Gflops|Tflops|Pflops)\\s*$";
    case Kind::frequency:
      return num + "(Hz|kHz|MHz|GHz)\\s*$";
    case Kind::power_dbm:
      return num + "dBm\\s*$";
    case Kind::ratio:
      return num + "%?\\s*$";
    case Kind::distance:
      return num + "(m|km|mi)\\s*$";
  }
  return ".*";
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best_d <= limit ? best : std::string();
}

ObjectReader::ObjectReader(const json& value, std::string pointer, const ObjectSpec& spec)
    : value_(&value), pointer_(std::move(pointer)), spec_(&spec) {
  if (!value.is_object())
    throw ScenarioError(pointer_.empty() ? "/" : pointer_, "expected an object (" + spec.title + "), got " +
                                                             type_name(value) + " " + brief(value));
  std::vector<std::string> names;
  for (const auto& f : spec.fields) names.push_back(f.name);
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (spec.find(it.key())) continue;
    std::string msg = "unknown key \"" + it.key() + "\" in " + spec.title;
    const std::string hint = did_you_mean(it.key(), names);
    if (!hint.empty())
      msg += "; did you mean \"" + hint + "\"?";
    else {
      msg += "; expected one of:";
      for (const auto& n : names) msg += " " + n;
    }
    throw ScenarioError(child_pointer(it.key()), msg);
  }
  for (const auto& f : spec.fields)
    if (f.required && !value.contains(f.name))
      throw ScenarioError(child_pointer(f.name), "missing required key \"" + f.name + "\" (" + f.help + ")");
}

std::string ObjectReader::child_pointer(std::string_view key) const { return pointer_ + "/" + pointer_escape(key); }

bool ObjectReader::has(std::string_view key) const { return value_->contains(std::string(key)); }

const FieldSpec& ObjectReader::field(std::string_view key) const {
  const FieldSpec* f = spec_->find(key);
  if (!f) throw std::logic_error("scenario spec " + spec_->title + " has no field " + std::string(key));
  return *f;
}

const json* ObjectReader::value_or_default(std::string_view key) const {
  auto it = value_->find(std::string(key));
  if (it != value_->end()) return &*it;
  const FieldSpec& f = field(key);
  if (!f.default_value.is_null()) return &f.default_value;
  return nullptr;
}

void ObjectReader::fail(std::string_view key, const std::string& message) const {
  throw ScenarioError(key.empty() ? pointer_ : child_pointer(key), message);
}

void ObjectReader::check_minimum(const FieldSpec& f, double v, std::string_view key) const {
  if (!f.minimum) return;
  const bool ok = f.exclusive_minimum ? v > *f.minimum : v >= *f.minimum;
  if (!ok) {
    std::string what = f.exclusive_minimum ? "greater than " : "at least ";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", *f.minimum);
    fail(key, "expected a value " + what + buf + " (" + f.help + "), got " + brief(value_->value(key, json())));
  }
}

std::string ObjectReader::get_string(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  if (!v) return {};
  if (!v->is_string()) fail(key, "expected a string (" + f.help + "), got " + type_name(*v) + " " + brief(*v));
  std::string s = v->get<std::string>();
  if (f.type == FieldType::enumeration && std::find(f.choices.begin(), f.choices.end(), s) == f.choices.end()) {
    std::string msg = "expected one of";
    for (const auto& c : f.choices) msg += " \"" + c + "\"";
    msg += ", got \"" + s + "\"";
    const std::string hint = did_you_mean(s, f.choices);
    if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
    fail(key, msg);
  }
  if (f.type == FieldType::string && f.required && s.empty()) fail(key, "expected a non-empty string (" + f.help + ")");
  return s;
}

std::int64_t ObjectReader::get_integer(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  if (!v) return 0;
  if (!(v->is_number_integer() || v->is_number_unsigned()))
    fail(key, "expected an integer (" + f.help + "), got " + type_name(*v) + " " + brief(*v));
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    fail(key, "integer too large: " + brief(*v));
  const std::int64_t x = v->get<std::int64_t>();
  check_minimum(f, static_cast<double>(x), key);
  return x;
}

double ObjectReader::get_number(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  if (!v) return 0;
  if (!v->is_number()) fail(key, "expected a number (" + f.help + "), got " + type_name(*v) + " " + brief(*v));
  const double x = v->get<double>();
  check_minimum(f, x, key);
  return x;
}

bool ObjectReader::get_bool(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  if (!v) return false;
  if (!v->is_boolean()) fail(key, "expected true or false (" + f.help + "), got " + brief(*v));
  return v->get<bool>();
}

double ObjectReader::get_quantity(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  if (!v) return 0;
  std::optional<double> parsed;
  if (v->is_string()) parsed = models::units::parse(f.unit, v->get<std::string>());
  // A bare 0 is unambiguous in every unit.
  if (v->is_number() && v->get<double>() == 0.0) parsed = 0.0;
  if (!parsed) fail(key, "expected " + models::units::describe(f.unit) + ", got " + brief(*v));
  check_minimum(f, *parsed, key);
  return *parsed;
}

double ObjectReader::get_probability(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  if (!v) return 0;
  std::optional<double> p;
  if (v->is_number()) p = v->get<double>();
  if (v->is_string()) p = models::units::parse(Kind::ratio, v->get<std::string>());
  if (!p || *p < 0.0 || *p > 1.0)
    fail(key, "expected a probability between 0 and 1 (or \"x%\") (" + f.help + "), got " + brief(*v));
  return *p;
}

std::vector<std::string> ObjectReader::get_strings(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  std::vector<std::string> out;
  if (!v) return out;
  if (!v->is_array()) fail(key, "expected an array of strings (" + f.help + "), got " + brief(*v));
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      throw ScenarioError(child_pointer(key) + "/" + std::to_string(i), "expected a string, got " + brief((*v)[i]));
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::vector<ObjectReader> ObjectReader::get_objects(std::string_view key) const {
  const FieldSpec& f = field(key);
  const json* v = value_or_default(key);
  std::vector<ObjectReader> out;
  if (!v) return out;
  if (!v->is_array()) fail(key, "expected an array of " + f.object->title + " objects, got " + brief(*v));
  for (std::size_t i = 0; i < v->size(); ++i)
    out.emplace_back((*v)[i], child_pointer(key) + "/" + std::to_string(i), *f.object);
  return out;
}

ObjectReader ObjectReader::get_object(std::string_view key) const {
  const FieldSpec& f = field(key);
  static const json empty = json::object();
  const json* v = value_or_default(key);
  if (!v) v = &empty;
  return ObjectReader(*v, child_pointer(key), *f.object);
}

const json& ObjectReader::raw(std::string_view key) const {
  static const json null_value;
  const json* v = value_or_default(key);
  return v ? *v : null_value;
}

namespace {

json schema_for_field(const FieldSpec& f, std::map<std::string, json>& defs);

json schema_for_object(const ObjectSpec& spec, std::map<std::string, json>& defs) {
  json props = json::object();
  json required = json::array();
  for (const auto& f : spec.fields) {
    props[f.name] = schema_for_field(f, defs);
    if (f.required) required.push_back(f.name);
  }
  json s = {{"type", "object"}, {"description", spec.help}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

std::string def_name(const ObjectSpec& spec) {
  std::string n;
  for (char c : spec.title) n += (c == ' ' ? '_' : c);
  return n;
}

json ref_to(const ObjectSpec& spec, std::map<std::string, json>& defs) {
  const std::string name = def_name(spec);
  if (!defs.count(name)) {
    defs[name] = json::object();  // placeholder against recursion
    defs[name] = schema_for_object(spec, defs);
  }
  return {{"$ref", "#/$defs/" + name}};
}

json schema_for_field(const FieldSpec& f, std::map<std::string, json>& defs) {
  json s;
  switch (f.type) {
    case FieldType::string:
      s = {{"type", "string"}};
      break;
    case FieldType::integer:
      s = {{"type", "integer"}};
      break;
    case FieldType::number:
      s = {{"type", "number"}};
      break;
    case FieldType::boolean:
      s = {{"type", "boolean"}};
      break;
    case FieldType::quantity:
      s = {{"type", "string"}, {"pattern", quantity_pattern(f.unit)}};
      break;
    case FieldType::probability:
      s = {{"anyOf", json::array({json{{"type", "number"}, {"minimum", 0}, {"maximum", 1}},
                                  json{{"type", "string"}, {"pattern", quantity_pattern(Kind::ratio)}}})}};
      break;
    case FieldType::enumeration:
      s = {{"type", "string"}, {"enum", f.choices}};
      break;
    case FieldType::object:
      s = ref_to(*f.object, defs);
      break;
    case FieldType::object_array:
      s = {{"type", "array"}, {"items", ref_to(*f.object, defs)}};
      break;
    case FieldType::string_array:
      s = {{"type", "array"}, {"items", {{"type", "string"}}}};
      break;
    case FieldType::free_object:
      s = {{"type", "object"}};
      break;
  }
  if (f.minimum && (f.type == FieldType::integer || f.type == FieldType::number))
    s[f.exclusive_minimum ? "exclusiveMinimum" : "minimum"] = *f.minimum;
  if (!f.help.empty()) s["description"] = f.help;
  if (!f.default_value.is_null()) s["default"] = f.default_value;
  return s;
}

}  // namespace

std::string markdown_reference(const ObjectSpec& root) {
  std::vector<const ObjectSpec*> order{&root};
  for (std::size_t i = 0; i < order.size(); ++i)
    for (const auto& f : order[i]->fields)
      if (f.object && std::find(order.begin(), order.end(), f.object) == order.end()) order.push_back(f.object);
  auto type_text = [](const FieldSpec& f) -> std::string {
    switch (f.type) {
      case FieldType::string:
        return "string";
      case FieldType::integer:
        return "integer";
      case FieldType::number:
        return "number";
      case FieldType::boolean:
        return "boolean";
      case FieldType::quantity: {
        std::string d = models::units::describe(f.unit);  // "a duration like ..." -> "duration like ..."
        return d.substr(d.find(' ') + 1);
      }
      case FieldType::probability:
        return "probability (0..1 or \"x%\")";
      case FieldType::enumeration: {
        std::string c;
        for (const auto& x : f.choices) c += (c.empty() ? "" : " \\| ") + ("`" + x + "`");
        return c;
      }
      case FieldType::object:
        return "object: " + f.object->title;
      case FieldType::object_array:
        return "array of " + f.object->title;
      case FieldType::string_array:
        return "array of strings";
      case FieldType::free_object:
        return "any";
    }
    return "";
  };
  std::string out;
  for (const ObjectSpec* o : order) {
    out += "### " + o->title + "\n\n" + o->help + "\n\n| key | type | required | default | meaning |\n|---|---|---|---|---|\n";
    for (const auto& f : o->fields) {
      std::string def = f.default_value.is_null() ? "" : "`" + f.default_value.dump() + "`";
      out += "| `" + f.name + "` | " + type_text(f) + " | " + (f.required ? "yes" : "") + " | " + def + " | " + f.help +
             " |\n";
    }
    out += "\n";
  }
  return out;
}

json json_schema_for(const ObjectSpec& root, const std::string& id, const std::string& title) {
  std::map<std::string, json> defs;
  json s = schema_for_object(root, defs);
  json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"}, {"$id", id}, {"title", title}};
  for (auto it = s.begin(); it != s.end(); ++it) out[it.key()] = it.value();
  json d = json::object();
  for (auto& [k, v] : defs) d[k] = v;
  out["$defs"] = d;
  return out;
}

}  // namespace edgetwin::sim
