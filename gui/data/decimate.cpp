// gui/data/decimate.cpp — see decimate.hpp.
#include "gui/data/decimate.hpp"

#include <algorithm>

namespace edgetwin::gui {

QList<QPointF> decimate_min_max(const Series& s, int buckets, double t0, double t1, double scale) {
  QList<QPointF> out;
  if (s.empty()) return out;
  std::size_t first = 0, last = s.size();  // [first, last)
  if (t1 >= t0) {
    long i = s.index_at(t0);
    first = i < 0 ? 0 : std::size_t(i);
    if (first < s.size() && s[first].t < t0) ++first;
    long j = s.index_at(t1);
    last = std::size_t(j + 1);
  } else {
    t0 = s[0].t;
    t1 = s[s.size() - 1].t;
  }
  if (first >= last) return out;
  const std::size_t n = last - first;
  buckets = std::max(buckets, 1);
  if (n <= std::size_t(buckets) * 4) {
    out.reserve(qsizetype(n));
    for (std::size_t i = first; i < last; ++i) out.push_back(QPointF(s[i].t, s[i].v * scale));
    return out;
  }
  out.reserve(buckets * 4);
  const double span = std::max(t1 - t0, 1e-12);
  std::size_t i = first;
  for (int b = 0; b < buckets && i < last; ++b) {
    const double end = (b == buckets - 1) ? t1 : t0 + span * (b + 1) / buckets;
    std::size_t lo = i, hi = i, fst = i, lst = i;
    for (; i < last && (s[i].t <= end || b == buckets - 1); ++i) {
      if (s[i].v < s[lo].v) lo = i;
      if (s[i].v > s[hi].v) hi = i;
      lst = i;
    }
    if (i == fst) {  // empty bucket: the sample is beyond `end`
      continue;
    }
    std::size_t idx[4] = {fst, lo, hi, lst};
    std::sort(idx, idx + 4);
    for (int k = 0; k < 4; ++k)
      if (k == 0 || idx[k] != idx[k - 1]) out.push_back(QPointF(s[idx[k]].t, s[idx[k]].v * scale));
  }
  return out;
}

}  // namespace edgetwin::gui
