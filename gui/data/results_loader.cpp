// gui/data/results_loader.cpp — see results_loader.hpp.
#include "gui/data/results_loader.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <unordered_map>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace edgetwin::gui {
namespace {

constexpr int kMaxRowWarnings = 5;

// Line and column of a byte offset, for JSON error messages a person can act on.
QString position_of(const QByteArray& text, int offset) {
  int line = 1, col = 1;
  for (int i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return QString("line %1, column %2").arg(line).arg(col);
}

enum class Read { ok, missing, invalid };

Read read_json(const QString& path, QJsonObject& out, QString& problem) {
  QFile f(path);
  const QString file = QFileInfo(path).fileName();
  if (!f.exists()) {
    problem = file + " is missing";
    return Read::missing;
  }
  if (!f.open(QIODevice::ReadOnly)) {
    problem = file + ": cannot be read (" + f.errorString() + ")";
    return Read::invalid;
  }
  const QByteArray bytes = f.readAll();
  QJsonParseError err;
  QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
  if (err.error != QJsonParseError::NoError) {
    problem = QString("%1: invalid JSON at %2 (%3)%4")
                  .arg(file, position_of(bytes, err.offset), err.errorString(),
                       err.offset >= bytes.size() - 1 ? "; the file looks truncated" : "");
    return Read::invalid;
  }
  if (!doc.isObject()) {
    problem = file + ": expected a JSON object at the top level";
    return Read::invalid;
  }
  out = doc.object();
  return Read::ok;
}

bool read_topology(const QJsonObject& topo, RunData& out, QString& problem) {
  if (!topo.value("vertices").isArray()) {
    problem = "topology.json: /vertices: expected an array of {name, kind, tier}";
    return false;
  }
  if (!topo.value("edges").isArray()) {
    problem = "topology.json: /edges: expected an array of {kind, name, a, b, bandwidth, latency}";
    return false;
  }
  const QJsonArray vertices = topo.value("vertices").toArray();
  for (int i = 0; i < vertices.size(); ++i) {
    const QJsonObject o = vertices[i].toObject();
    Vertex v;
    v.name = o.value("name").toString();
    v.kind = o.value("kind").toString();
    v.tier = o.value("tier").toInt(-1);
    v.count = qint64(o.value("count").toDouble(0));
    if (v.name.isEmpty() || v.kind.isEmpty() || v.tier < 0) {
      problem = QString("topology.json: /vertices/%1: expected {name, kind, tier}").arg(i);
      return false;
    }
    out.vertices.push_back(v);
  }
  const QJsonArray edges = topo.value("edges").toArray();
  for (int i = 0; i < edges.size(); ++i) {
    const QJsonObject o = edges[i].toObject();
    Edge e;
    e.kind = o.value("kind").toString("link");
    e.name = o.value("name").toString();
    e.a = o.value("a").toString();
    e.b = o.value("b").toString();
    e.bandwidth = o.value("bandwidth").toDouble();
    e.latency = o.value("latency").toDouble();
    if (!out.vertex(e.a) || !out.vertex(e.b)) {
      problem = QString("topology.json: /edges/%1: endpoint \"%2\" is not a vertex")
                    .arg(i)
                    .arg(out.vertex(e.a) ? e.b : e.a);
      return false;
    }
    out.edges.push_back(e);
  }
  // Services run on cloud nodes; results report them like nodes (utilization, queue), so the
  // viewer draws them as a last tier, attached to their node.
  for (const QJsonValue sv : topo.value("services").toArray()) {
    const QJsonObject o = sv.toObject();
    Service s{o.value("name").toString(), o.value("node").toString(), {}};
    for (const QJsonValue t : o.value("subscribe").toArray()) s.subscribe.push_back(t.toString());
    if (s.name.isEmpty()) continue;
    out.services.push_back(s);
    if (!out.vertex(s.name)) out.vertices.push_back({s.name, "service", 6, 0});
    if (out.vertex(s.node)) out.edges.push_back({"hosts", s.node + "->" + s.name, s.node, s.name, 0, 0});
  }
  return true;
}

void read_slos(RunData& out) {
  for (const QJsonValue v : out.summary.value("slo").toArray()) {
    const QJsonObject o = v.toObject();
    SloVerdict s;
    s.label = o.value("slo").toString();
    s.metric = o.value("metric").toString();
    s.scope = o.value("scope").toString();
    s.bound = o.value("bound").toString();
    s.value = o.value("value").toDouble();
    s.pass = o.value("pass").toBool(true);
    parse_bound(s.bound, s.limit, s.is_max);
    if (s.label.isEmpty()) s.label = s.metric + (s.scope.isEmpty() ? "" : "[" + s.scope + "]");
    out.slos.push_back(s);
  }
}

// Fault events are not in results v1 yet; accept an array under one of these keys.
void read_events(const QJsonObject& doc, RunData& out, QStringList& warnings, const QString& file) {
  for (const char* key : {"events", "faults", "fault_events"}) {
    const QJsonValue v = doc.value(key);
    if (!v.isArray()) continue;  // manifest.json's "events" is the engine's event count
    const QJsonArray arr = v.toArray();
    for (int i = 0; i < arr.size(); ++i) {
      const QJsonObject o = arr[i].toObject();
      FaultEvent e;
      const QJsonValue at = o.contains("at") ? o.value("at") : o.value("time");
      bool ok = at.isDouble();
      e.time = at.toDouble();
      if (at.isString()) ok = parse_duration_seconds(at.toString(), e.time);
      e.target = o.value("target").toString(o.value("entity").toString());
      e.action = o.value("action").toString(o.value("kind").toString());
      const QJsonValue dur = o.value("for");
      if (dur.isDouble()) e.duration = dur.toDouble();
      if (dur.isString()) parse_duration_seconds(dur.toString(), e.duration);
      if (o.value("params").isObject())
        e.detail = QString::fromUtf8(QJsonDocument(o.value("params").toObject()).toJson(QJsonDocument::Compact));
      if (!ok || e.target.isEmpty()) {
        warnings << QString("%1: /%2/%3: expected {at, target, action}; event skipped").arg(file, key).arg(i);
        continue;
      }
      out.events.push_back(e);
    }
  }
}

bool to_double(std::string_view s, double& out) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

void read_timeseries(const QString& path, RunData& out, QStringList& warnings) {
  QFile f(path);
  if (!f.exists()) {
    warnings << "timeseries.csv is missing: the timeline and the charts over time are empty";
    return;
  }
  if (!f.open(QIODevice::ReadOnly)) {
    warnings << "timeseries.csv: cannot be read (" + f.errorString() + ")";
    return;
  }
  const QByteArray bytes = f.readAll();
  std::string_view text(bytes.constData(), std::size_t(bytes.size()));
  std::unordered_map<std::string_view, QString> names;  // views into `bytes`
  auto intern = [&](std::string_view s) -> const QString& {
    auto it = names.find(s);
    if (it == names.end()) it = names.emplace(s, QString::fromUtf8(s.data(), qsizetype(s.size()))).first;
    return it->second;
  };
  int bad = 0;
  std::size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line_no == 1) {
      if (line != "time,entity,metric,value") {
        warnings << "timeseries.csv:1: expected the header time,entity,metric,value; file skipped";
        return;
      }
      continue;
    }
    std::string_view f4[4];
    int n = 0;
    std::size_t s = 0;
    for (std::size_t i = 0; i <= line.size() && n < 5; ++i) {
      if (i == line.size() || line[i] == ',') {
        if (n < 4) f4[n] = line.substr(s, i - s);
        ++n;
        s = i + 1;
      }
    }
    double t = 0, v = 0;
    QString problem;
    if (n != 4) {
      problem = QString("expected 4 fields (time,entity,metric,value), got %1").arg(n);
    } else if (!to_double(f4[0], t)) {
      problem = QString("time \"%1\" is not a number").arg(QString::fromUtf8(f4[0].data(), qsizetype(f4[0].size())));
    } else if (!to_double(f4[3], v)) {
      problem = QString("value \"%1\" is not a number").arg(QString::fromUtf8(f4[3].data(), qsizetype(f4[3].size())));
    } else if (f4[1].empty() || f4[2].empty()) {
      problem = "empty entity or metric";
    }
    if (!problem.isEmpty()) {
      if (++bad <= kMaxRowWarnings) warnings << QString("timeseries.csv:%1: %2; row skipped").arg(line_no).arg(problem);
      continue;
    }
    out.series.append(t, intern(f4[1]), intern(f4[2]), v);
  }
  if (bad > kMaxRowWarnings)
    warnings << QString("timeseries.csv: %1 more bad rows skipped").arg(bad - kMaxRowWarnings);
  out.series.finish();
}

}  // namespace

QString LoadReport::message() const {
  QStringList lines;
  for (const QString& e : errors) lines << "Error: " + e;
  for (const QString& w : warnings) lines << "Warning: " + w;
  return lines.join('\n');
}

bool parse_duration_seconds(const QString& text, double& seconds) {
  static const std::pair<const char*, double> units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"min", 60},
                                                         {"s", 1},     {"h", 3600},  {"d", 86400}};
  const QString t = text.trimmed();
  for (const auto& [suffix, scale] : units) {
    if (!t.endsWith(suffix)) continue;
    bool ok = false;
    double v = t.chopped(int(qstrlen(suffix))).toDouble(&ok);
    if (ok) {
      seconds = v * scale;
      return true;
    }
  }
  bool ok = false;
  double v = t.toDouble(&ok);
  if (ok) seconds = v;
  return ok;
}

LoadReport load_results(const QString& folder, RunData& out) {
  LoadReport r;
  out = RunData{};
  out.folder = folder;
  const QDir dir(folder);
  if (!QFileInfo(folder).isDir()) {
    r.errors << folder + ": no such results folder";
    return r;
  }
  QString problem;
  QJsonObject topo;
  switch (read_json(dir.filePath("topology.json"), topo, problem)) {
    case Read::missing:
      r.errors << problem + ": " + folder +
                      " is not a results folder of edgetwin run (expected topology.json, summary.json, "
                      "timeseries.csv, manifest.json)";
      return r;
    case Read::invalid:
      r.errors << problem + ": the topology cannot be drawn";
      return r;
    case Read::ok:
      break;
  }
  if (!read_topology(topo, out, problem)) {
    r.errors << problem;
    out.vertices.clear();
    out.edges.clear();
    return r;
  }

  if (read_json(dir.filePath("summary.json"), out.summary, problem) != Read::ok) {
    r.warnings << problem + ": KPIs, SLO verdicts and latency percentiles are not shown";
    out.summary = QJsonObject{};
  }
  if (read_json(dir.filePath("manifest.json"), out.manifest, problem) != Read::ok) {
    r.warnings << problem + (problem.endsWith("missing")
                                 ? ": the run did not finish or was killed (manifest.json is written last), "
                                   "these results are incomplete"
                                 : "");
    out.manifest = QJsonObject{};
  }
  read_slos(out);
  read_events(out.summary, out, r.warnings, "summary.json");
  read_events(out.manifest, out, r.warnings, "manifest.json");
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const FaultEvent& a, const FaultEvent& b) { return a.time < b.time; });
  read_timeseries(dir.filePath("timeseries.csv"), out, r.warnings);

  out.scenario = out.summary.value("scenario").toString(out.manifest.value("scenario").toString());
  if (out.scenario.isEmpty()) out.scenario = QFileInfo(folder).fileName();
  out.duration = out.summary.value("duration").toDouble(0);
  out.warmup = out.summary.value("warmup").toDouble(0);
  if (out.duration <= 0 && !out.series.times().empty()) out.duration = out.series.times().back() + out.interval();
  r.ok = true;
  return r;
}

}  // namespace edgetwin::gui
