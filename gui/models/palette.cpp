// gui/models/palette.cpp — see palette.hpp.
#include "gui/models/palette.hpp"

#include <algorithm>
#include <cmath>

namespace edgetwin::gui::palette {
namespace {

QColor mix(const QColor& a, const QColor& b, double f) {
  f = std::clamp(f, 0.0, 1.0);
  return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f), float(a.greenF() + (b.greenF() - a.greenF()) * f),
                          float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

}  // namespace

QColor stress(double s) {
  if (std::isnan(s)) return no_data();
  static const QColor green(0x3d, 0xa3, 0x5d), yellow(0xf2, 0xc1, 0x2e), red(0xd7, 0x26, 0x3d);
  s = std::clamp(s, 0.0, 1.0);
  return s < 0.5 ? mix(green, yellow, s / 0.5) : mix(yellow, red, (s - 0.5) / 0.5);
}

QColor delta(double d) {
  if (std::isnan(d)) return no_data();
  static const QColor better(0x2c, 0x7b, 0xb6), same(0xe8, 0xe8, 0xe8), worse(0xd7, 0x26, 0x3d);
  const double f = std::clamp(d / kDeltaAtFullScale, -1.0, 1.0);
  return f < 0 ? mix(same, better, -f) : mix(same, worse, f);
}

QColor series(int i) {
  static const QColor colors[] = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
                                  QColor(0xcc, 0x79, 0xa7), QColor(0x56, 0xb4, 0xe9), QColor(0xd5, 0x5e, 0x00),
                                  QColor(0x44, 0x44, 0x44), QColor(0xf0, 0xe4, 0x42)};
  return colors[((i % 8) + 8) % 8];
}

}  // namespace edgetwin::gui::palette
