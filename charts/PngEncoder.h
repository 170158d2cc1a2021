#pragma once

#include <QByteArray>
#include <QImage>

namespace isobar {

// PNG bytes of a chart image, made for speed with libpng. Qt's PNG writer (libpng too) tries
// every row filter and compresses at zlib's default level: 25-35 ms for a 1200x600 chart, most
// of a raster render. Charts are flat colour with antialiased edges, so rows are filtered by
// "Up" (rows repeating the row above become zeros) and zlib compresses at level 1 with its
// run-length strategy, which is what zeros need. Lossless. Opaque images are written as 8-bit RGB,
// others as RGBA (not premultiplied). Any thread (QImage is reentrant, each call has its own libpng
// state).
class PngEncoder
{
public:
    // Empty when the image is null or zlib fails.
    static QByteArray encode(const QImage &image);
};

} // namespace isobar
