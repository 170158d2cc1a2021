#include "PngEncoder.h"

#include <csetjmp>
#include <png.h>
#include <vector>
#include <zlib.h>

namespace isobar {

namespace {

void appendToArray(png_structp png, png_bytep data, png_size_t length)
{
    static_cast<QByteArray *>(png_get_io_ptr(png))
        ->append(reinterpret_cast<const char *>(data), qsizetype(length));
}

void noFlush(png_structp) {}

} // namespace

QByteArray PngEncoder::encode(const QImage &image)
{
    if (image.isNull())
        return {};
    const bool opaque = !image.hasAlphaChannel();
    // One 32-bit layout libpng reads directly: RGB32 as charts are painted (its padding byte is
    // dropped), ARGB32 not premultiplied as PNG stores transparency. No copy when it already is.
    const QImage source =
        image.convertToFormat(opaque ? QImage::Format_RGB32 : QImage::Format_ARGB32);
    std::vector<png_bytep> rows(size_t(source.height()));
    for (int y = 0; y < source.height(); ++y)
        rows[size_t(y)] = const_cast<png_bytep>(source.constScanLine(y));

    QByteArray out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return {};
    }
    // libpng reports errors by longjmp: nothing with a destructor is made below this line.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return {};
    }
    png_set_write_fn(png, &out, appendToArray, noFlush);
    png_set_IHDR(png, info, png_uint_32(source.width()), png_uint_32(source.height()), 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    // "Up" alone: choosing per row between filters costs libpng a second pass over every row
    // (10 ms instead of 6.6 for a 1200x600 line chart) for files at most a few times smaller.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_RLE);
    png_write_info(png, info);
    // QImage's 32-bit pixels are 0xAARRGGBB words: B, G, R, A in memory on little-endian hosts.
    if (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
        png_set_bgr(png);
    else
        png_set_swap_alpha(png);
    if (opaque)
        png_set_filler(png, 0,
                       QSysInfo::ByteOrder == QSysInfo::LittleEndian ? PNG_FILLER_AFTER
                                                                     : PNG_FILLER_BEFORE);
    png_write_image(png, rows.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

} // namespace isobar
