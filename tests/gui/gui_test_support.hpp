// tests/gui/gui_test_support.hpp — fixture paths and small helpers shared by the viewer's Qt Test suites.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QString>

#include "gui/data/results_loader.hpp"

namespace edgetwin::gui::test {

inline QString fixture(const QString& name) { return QString(EDGETWIN_GUI_FIXTURES) + "/" + name; }

/// The fixture's summary.json read directly (not through the loader), as the expected values.
inline QJsonObject raw_summary(const QString& name) {
  QFile f(fixture(name) + "/summary.json");
  f.open(QIODevice::ReadOnly);
  return QJsonDocument::fromJson(f.readAll()).object();
}

inline LoadReport load(const QString& name, RunData& out) { return load_results(fixture(name), out); }

}  // namespace edgetwin::gui::test
