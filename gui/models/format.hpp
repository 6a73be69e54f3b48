// gui/models/format.hpp — numbers as people read them in the viewer (ms, %, Mbit/s, counts).
#pragma once

#include <QString>

namespace edgetwin::gui::fmt {

QString ms(double seconds);          // "24.11 ms"
QString percent(double ratio, int decimals = 1);  // "98.9%"
QString count(double n);             // "1 500"
QString bandwidth(double bytes_per_s);  // "100 Mbit/s"
QString flops(double per_s);         // "2 Gf/s"
QString number(double v);            // compact general number
QString seconds(double s);           // "12.5 s"

}  // namespace edgetwin::gui::fmt
