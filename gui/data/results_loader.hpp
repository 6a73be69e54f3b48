// gui/data/results_loader.hpp — reads a results folder (docs/scenario-format.md, "Results folder")
// into RunData. Never throws and never aborts: what cannot be read becomes a message naming the
// file (and line or JSON position) that the window shows. Without topology.json there is nothing
// to draw (an error); any other file missing or damaged is a warning and the rest is shown.
#pragma once

#include <QString>
#include <QStringList>

#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

struct LoadReport {
  bool ok = false;      // something can be shown
  QStringList errors;   // why nothing can be shown
  QStringList warnings; // what is missing or was skipped
  /// One paragraph for a message banner or stderr.
  QString message() const;
};

LoadReport load_results(const QString& folder, RunData& out);

/// "4s", "250ms", "2min", "1.5" (seconds) -> seconds; false when not a duration.
bool parse_duration_seconds(const QString& text, double& seconds);

}  // namespace edgetwin::gui
