#include "ChartRenderer.h"

#include "AvxUpperState.h"
#include "PngEncoder.h"

#include <QBuffer>
#include <QGraphicsScene>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>

using namespace Qt::StringLiterals;

namespace isobar {

QImage ChartRenderer::renderImage(QGraphicsScene &scene, QSize size)
{
    // Opaque: every chart is drawn on white. RGB32 is the raster engine's fastest target and
    // leaves the encoders no alpha channel to write.
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const QRectF target(QPointF(0, 0), QSizeF(size));
    scene.render(&painter, target, target, Qt::IgnoreAspectRatio);
    painter.end();
    return image;
}

QByteArray ChartRenderer::render(QGraphicsScene &scene, QSize size, ChartFormat format,
                                 const QString &title)
{
    if (format != ChartFormat::Svg)
        return encodeImage(renderImage(scene, size), format);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(title);
        generator.setResolution(96);
        QPainter painter(&generator);
        painter.setRenderHint(QPainter::Antialiasing);
        const QRectF target(QPointF(0, 0), QSizeF(size));
        scene.render(&painter, target, target, Qt::IgnoreAspectRatio);
        painter.end();
        // QSvgGenerator states the size in millimetres; a web page expects the pixels asked for.
        const qsizetype header = bytes.indexOf("<svg");
        const qsizetype headerEnd = bytes.indexOf('>', header);
        if (header >= 0 && headerEnd > header) {
            QByteArray opening = bytes.mid(header, headerEnd - header);
            static const QRegularExpression millimetres(u" (width|height)=\"[0-9.]+mm\""_s);
            QString text = QString::fromUtf8(opening);
            text.replace(millimetres, QString());
            text.replace(u"<svg"_s,
                         u"<svg width=\"%1\" height=\"%2\""_s.arg(size.width()).arg(size.height()));
            bytes.replace(header, headerEnd - header, text.toUtf8());
        }
    }
    return bytes;
}

QByteArray ChartRenderer::encodeImage(const QImage &image, ChartFormat format)
{
    // zlib, libpng and libjpeg's scalar parts are plain SSE2: right after painting on this
    // thread they ran at half speed.
    clearAvxUpperState();
    if (format != ChartFormat::Jpeg)
        return PngEncoder::encode(image);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.convertToFormat(QImage::Format_RGB32).save(&buffer, "JPEG", 90);
    return bytes;
}

} // namespace isobar
