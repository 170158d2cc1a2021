#pragma once

#include <QByteArray>
#include <QImage>

namespace isobar {

// PNG bytes of a chart image, made for speed. Qt's PNG writer (libpng) filters every row
// every way and compresses at zlib's default level: 25-35 ms for a 1200x600 chart, most of a
// raster render. Charts are flat colour with antialiased edges, so each row here is filtered
// by whichever of two cheap PNG filters leaves fewer non-zero bytes, "Up" (the byte above
// subtracted: rows repeating the row above become zeros) or "Sub" (the byte to the left
// subtracted: runs of one colour become zeros), and zlib compresses them at level 1 with its
// run-length strategy, which is what zeros need. Lossless: decoding gives back the pixels.
// Opaque images are written as 8-bit RGB, others as RGBA (not premultiplied). Any thread
// (QImage is reentrant).
class PngEncoder
{
public:
    // Empty when the image is null or zlib fails.
    static QByteArray encode(const QImage &image);
};

} // namespace isobar
