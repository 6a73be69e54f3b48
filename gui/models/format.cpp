// gui/models/format.cpp — see format.hpp.
#include "gui/models/format.hpp"

#include <cmath>


namespace edgetwin::gui::fmt {
namespace {

QString scaled(double v, const char* const* units, int n, double step) {
  int i = 0;
  while (std::fabs(v) >= step && i < n - 1) {
    v /= step;
    ++i;
  }
  return QString::number(v, 'g', 4) + " " + units[i];
}

}  // namespace

QString ms(double seconds) {
  if (!std::isfinite(seconds)) return "\u2014";
  const double v = seconds * 1000;
  return QString::number(v, 'f', v < 10 ? 3 : 2) + " ms";
}

QString percent(double ratio, int decimals) {
  if (!std::isfinite(ratio)) return "\u2014";
  return QString::number(ratio * 100, 'f', decimals) + "%";
}

QString count(double n) {
  if (!std::isfinite(n)) return "\u2014";
  if (n == std::floor(n) && std::fabs(n) < 1e15) {  // digits in groups of three: "1 500 000"
    QString digits = QString::number(qlonglong(std::fabs(n)));
    for (int i = int(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ' ');
    return n < 0 ? "-" + digits : digits;
  }
  return QString::number(n, 'g', 6);
}

QString bandwidth(double bytes_per_s) {
  static const char* const units[] = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
  return scaled(bytes_per_s * 8, units, 5, 1000);
}

QString flops(double per_s) {
  static const char* const units[] = {"f/s", "kf/s", "Mf/s", "Gf/s", "Tf/s"};
  return scaled(per_s, units, 5, 1000);
}

QString number(double v) {
  if (!std::isfinite(v)) return "\u2014";
  return QString::number(v, 'g', 6);
}

QString seconds(double s) {
  if (!std::isfinite(s)) return "\u2014";
  return QString::number(s, 'f', s < 10 ? 2 : 1) + " s";
}

}  // namespace edgetwin::gui::fmt
