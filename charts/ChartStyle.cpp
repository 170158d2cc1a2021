#include "ChartStyle.h"

#include "ChartRequest.h"

#include <QChart>
#include <QFontDatabase>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::ChartStyle {

QString fontFamily()
{
    static const QString family = [] {
        const int id =
            QFontDatabase::addApplicationFont(u"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"_s);
        const QStringList families = QFontDatabase::applicationFontFamilies(id);
        return families.isEmpty() ? u"DejaVu Sans"_s : families.first();
    }();
    return family;
}

QFont font(int pixelSize, bool bold)
{
    QFont result(fontFamily());
    result.setPixelSize(pixelSize);
    result.setBold(bold);
    result.setStyleStrategy(QFont::PreferAntialias);
    return result;
}

std::unique_ptr<QGraphicsScene> blankScene(QSize size)
{
    auto scene = std::make_unique<QGraphicsScene>(QRectF(QPointF(0, 0), QSizeF(size)));
    scene->setBackgroundBrush(Qt::white);
    scene->setFont(font(12));
    return scene;
}

std::unique_ptr<QGraphicsScene> noDataScene(QSize size)
{
    auto scene = blankScene(size);
    auto *text = scene->addSimpleText(u"No data"_s, font(qBound(10, size.height() / 8, 28)));
    text->setBrush(QColor(80, 90, 95));
    const QRectF box = text->boundingRect();
    text->setPos((size.width() - box.width()) / 2, (size.height() - box.height()) / 2);
    return scene;
}

QChart *addChart(QGraphicsScene &scene, QSize size)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setBackgroundBrush(Qt::white);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setMargins(QMargins(4, 4, 8, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setTitleFont(font(14, true));
    chart->legend()->setFont(font(11));
    chart->legend()->hide();
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    return chart;
}

qreal dateX(QDate date)
{
    return qreal(QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
}

void addWatermark(QGraphicsScene &scene, QSize size, const QString &marking)
{
    auto *text = scene.addSimpleText(marking, font(watermarkPixelSize(size.width(), marking)));
    text->setBrush(QColor(0, 0, 0, 64)); // rgba(0, 0, 0, 0.25)
    text->setOpacity(0.58);
    text->setZValue(1); // over the chart
    const QRectF box = text->boundingRect();
    text->setPos(size.width() * 0.5 - box.width() / 2, size.height() * 0.2 - box.height() / 2);
}

} // namespace isobar::ChartStyle
