// tests/gui/png_content_check.cpp — exits 0 when a PNG holds a picture, not a blank frame: at least
// the given size, many distinct colours, and no single colour covering almost everything.
//   gui_png_content_check FILE [MIN_WIDTH MIN_HEIGHT]
#include <cstdio>
#include <unordered_map>

#include <QImage>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [MIN_WIDTH MIN_HEIGHT]\n", argv[0]);
    return 2;
  }
  const int min_w = argc > 3 ? std::atoi(argv[2]) : 200, min_h = argc > 3 ? std::atoi(argv[3]) : 150;
  QImage img(argv[1]);
  if (img.isNull()) {
    std::fprintf(stderr, "%s: not a readable image\n", argv[1]);
    return 1;
  }
  img = img.convertToFormat(QImage::Format_RGB32);
  std::unordered_map<QRgb, long> histogram;
  for (int y = 0; y < img.height(); ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
    for (int x = 0; x < img.width(); ++x) ++histogram[line[x]];
  }
  long most = 0;
  for (const auto& [c, n] : histogram) most = std::max(most, n);
  const double dominant = double(most) / double(long(img.width()) * img.height());
  std::printf("%s: %dx%d, %zu distinct colours, most frequent colour covers %.1f%%\n", argv[1], img.width(),
              img.height(), histogram.size(), dominant * 100);
  if (img.width() < min_w || img.height() < min_h) {
    std::fprintf(stderr, "too small: expected at least %dx%d\n", min_w, min_h);
    return 1;
  }
  if (histogram.size() < 64) {
    std::fprintf(stderr, "blank-looking: fewer than 64 distinct colours\n");
    return 1;
  }
  if (dominant > 0.95) {
    std::fprintf(stderr, "blank-looking: one colour covers more than 95%% of the picture\n");
    return 1;
  }
  return 0;
}
