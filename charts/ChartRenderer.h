#pragma once

#include "ChartRequest.h"

#include <QByteArray>
#include <QImage>

class QGraphicsScene;

namespace isobar {

// Paints a built chart into file bytes at the requested pixel size. GUI thread only: painting
// a scene lays out its QtCharts items (docs/CHARTS.md).
class ChartRenderer
{
public:
    // PNG, JPEG (quality 90, on white) or SVG (QSvgGenerator: text stays <text>).
    static QByteArray render(QGraphicsScene &scene, QSize size, ChartFormat format,
                             const QString &title = {});
    // The raster the PNG and JPEG encoders receive: opaque RGB32, antialiased.
    static QImage renderImage(QGraphicsScene &scene, QSize size);
    // PNG (PngEncoder) or JPEG bytes of a rendered image. Any thread (QImage is reentrant):
    // compression often costs more than painting (a 1200x600 PNG: 5-10 ms), so a server
    // paints on the GUI thread and encodes elsewhere.
    static QByteArray encodeImage(const QImage &image, ChartFormat format);
};

} // namespace isobar
