// gui/data/data_source.cpp — see data_source.hpp.
#include "gui/data/data_source.hpp"

namespace edgetwin::gui {

bool ResultsFolderSource::open(const QString& folder) {
  report_ = load_results(folder, data_);
  emit reset();
  return report_.ok;
}

}  // namespace edgetwin::gui
