#include "ReportChart.h"

#include "ChartBuilder.h"
#include "ChartStyle.h"

#include <QFontMetricsF>
#include <QGraphicsSimpleTextItem>

namespace isobar::ReportChart {

namespace {

constexpr int kMargin = 16;

// A line of text at (x, y), elided to `width`; returns the y under it.
qreal addLine(QGraphicsScene &scene, const QString &text, const QFont &font, const QColor &colour,
              qreal y, qreal width)
{
    if (text.isEmpty())
        return y;
    const QFontMetricsF metrics(font);
    auto *item = scene.addSimpleText(metrics.elidedText(text, Qt::ElideRight, width), font);
    item->setBrush(colour);
    item->setPos(kMargin, y);
    return y + metrics.height() + 4;
}

} // namespace

QList<QSize> presetSizes()
{
    return {{1200, 675}, {1600, 900}, {800, 450}, {1000, 1000}};
}

std::unique_ptr<QGraphicsScene> build(ChartRequest request, const ChartDataset &data,
                                      const Text &text)
{
    const QSize size = request.size;
    const qreal width = size.width() - 2 * kMargin;
    // Text scales with the picture, within readable bounds.
    const int base = std::clamp(size.width() / 60, 12, 22);
    const QFont titleFont = ChartStyle::font(base * 3 / 2, true);
    const QFont subtitleFont = ChartStyle::font(base);
    const QFont sourceFont = ChartStyle::font(std::max(11, base * 4 / 5));

    auto scene = ChartStyle::blankScene(size);
    qreal y = kMargin;
    y = addLine(*scene, text.title, titleFont, QColor(11, 12, 12), y, width);
    y = addLine(*scene, text.subtitle, subtitleFont, QColor(80, 90, 95), y, width) + 4;
    const qreal sourceHeight = QFontMetricsF(sourceFont).height() + kMargin;

    request.size = QSize(
        size.width(), std::max<int>(ChartRequest::kMinSize, int(size.height() - y - sourceHeight)));
    std::unique_ptr<QGraphicsScene> plot = ChartBuilder::build(request, data);
    // The chart's items move into the report under the title; the plot's scene keeps nothing.
    for (QGraphicsItem *item : plot->items()) {
        if (item->parentItem())
            continue;
        plot->removeItem(item);
        scene->addItem(item);
        item->moveBy(0, y);
    }
    addLine(*scene, text.source, sourceFont, QColor(80, 90, 95), size.height() - sourceHeight + 4,
            width);
    return scene;
}

} // namespace isobar::ReportChart
