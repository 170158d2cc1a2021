#include "PngEncoder.h"

#include <QtEndian>
#include <cstring>
#include <vector>
#include <zlib.h>

namespace isobar {

namespace {

enum Filter : quint8 { Sub = 1, Up = 2 };

void appendChunk(QByteArray &png, const char type[4], const QByteArray &data)
{
    const qsizetype start = png.size();
    png.resize(start + 12 + data.size());
    char *out = png.data() + start;
    qToBigEndian<quint32>(quint32(data.size()), out);
    std::memcpy(out + 4, type, 4);
    if (!data.isEmpty())
        std::memcpy(out + 8, data.constData(), size_t(data.size()));
    // The CRC covers the type and the data, not the length.
    const uLong crc = crc32(crc32(0L, nullptr, 0), reinterpret_cast<const Bytef *>(out + 4),
                            uInt(4 + data.size()));
    qToBigEndian<quint32>(quint32(crc), out + 8 + data.size());
}

// A zlib stream written into a growing byte array, row by row: no buffer of the whole image.
class Deflater
{
public:
    Deflater() { m_ok = deflateInit2(&m_stream, 1, Z_DEFLATED, 15, 8, Z_RLE) == Z_OK; }
    ~Deflater() { deflateEnd(&m_stream); }
    Deflater(const Deflater &) = delete;
    Deflater &operator=(const Deflater &) = delete;

    bool add(const quint8 *data, size_t size, bool last)
    {
        m_stream.next_in = const_cast<Bytef *>(data);
        m_stream.avail_in = uInt(size);
        int result = Z_OK;
        do {
            if (m_out.size() - qsizetype(m_stream.total_out) < 16384)
                m_out.resize(std::max<qsizetype>(65536, m_out.size() * 2));
            m_stream.next_out = reinterpret_cast<Bytef *>(m_out.data() + m_stream.total_out);
            m_stream.avail_out = uInt(m_out.size() - qsizetype(m_stream.total_out));
            result = deflate(&m_stream, last ? Z_FINISH : Z_NO_FLUSH);
        } while (m_ok && result == Z_OK && (m_stream.avail_in > 0 || last));
        m_ok = m_ok && (last ? result == Z_STREAM_END : result == Z_OK || result == Z_BUF_ERROR);
        return m_ok;
    }

    // The stream once add(..., last = true) has succeeded.
    QByteArray take() { return m_out.first(qsizetype(m_stream.total_out)); }
    bool ok() const { return m_ok; }

private:
    z_stream m_stream{};
    QByteArray m_out;
    bool m_ok = false;
};

} // namespace

QByteArray PngEncoder::encode(const QImage &image)
{
    if (image.isNull())
        return {};
    const bool opaque = !image.hasAlphaChannel();
    // One 32-bit layout to read from: RGB32 as charts are painted, ARGB32 (not premultiplied)
    // as PNG stores transparency. No copy when the image already has it.
    const QImage source =
        image.convertToFormat(opaque ? QImage::Format_RGB32 : QImage::Format_ARGB32);
    const int channels = opaque ? 3 : 4;
    const int width = source.width();
    const int height = source.height();
    const size_t rowBytes = size_t(width) * size_t(channels);

    Deflater deflater;
    std::vector<quint8> previous(rowBytes, 0), current(rowBytes);
    std::vector<quint8> up(rowBytes + 1), sub(rowBytes + 1);
    up[0] = Up;
    sub[0] = Sub;
    for (int y = 0; y < height && deflater.ok(); ++y) {
        const auto *pixels = reinterpret_cast<const QRgb *>(source.constScanLine(y));
        quint8 *bytes = current.data();
        for (int x = 0; x < width; ++x) {
            const QRgb pixel = pixels[x];
            *bytes++ = quint8(qRed(pixel));
            *bytes++ = quint8(qGreen(pixel));
            *bytes++ = quint8(qBlue(pixel));
            if (channels == 4)
                *bytes++ = quint8(qAlpha(pixel));
        }
        size_t upNonZero = 0, subNonZero = 0;
        for (size_t i = 0; i < rowBytes; ++i) {
            up[i + 1] = quint8(current[i] - previous[i]);
            sub[i + 1] = quint8(current[i] - (i >= size_t(channels) ? current[i - channels] : 0));
            upNonZero += up[i + 1] != 0;
            subNonZero += sub[i + 1] != 0;
        }
        const std::vector<quint8> &row = upNonZero <= subNonZero ? up : sub;
        deflater.add(row.data(), row.size(), y == height - 1);
        std::swap(previous, current);
    }
    if (!deflater.ok())
        return {};

    QByteArray header(13, '\0');
    qToBigEndian<quint32>(quint32(width), header.data());
    qToBigEndian<quint32>(quint32(height), header.data() + 4);
    header[8] = 8;              // bits per channel
    header[9] = opaque ? 2 : 6; // colour type: RGB or RGBA
    // Bytes 10-12 stay 0: deflate, per-row filters, no interlacing.
    const QByteArray data = deflater.take();
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    png.reserve(8 + 25 + 12 + data.size() + 12);
    appendChunk(png, "IHDR", header);
    appendChunk(png, "IDAT", data);
    appendChunk(png, "IEND", {});
    return png;
}

} // namespace isobar
