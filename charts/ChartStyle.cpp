#include "ChartStyle.h"

#include "ChartRequest.h"

#include <QChart>
#include <QFontDatabase>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QValueAxis>
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
    // Axis numbers as UKHSA writes them, "160,000" rather than "1.6e+05" (fitValueAxis()).
    chart->setLocale(QLocale(QLocale::English, QLocale::UnitedKingdom));
    chart->setLocalizeNumbers(true);
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    return chart;
}

double niceCeiling(double value)
{
    if (value <= 0)
        return 0;
    const double magnitude = std::pow(10, std::floor(std::log10(value)));
    for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
        if (factor * magnitude >= value * (1 - 1e-9))
            return factor * magnitude;
    }
    return 10 * magnitude;
}

namespace {

// A value axis's label format once its range and ticks are set.
QString valueLabelFormat(const QValueAxis &axis)
{
    const double step = axis.tickType() == QValueAxis::TicksDynamic
                            ? axis.tickInterval()
                            : (axis.max() - axis.min()) / std::max(1, axis.tickCount() - 1);
    // As many decimals as the step between ticks has (2.5 -> 1, 0.25 -> 2, 500 -> 0).
    int decimals = 0;
    for (double scaled = step;
         decimals < 6
         && std::abs(scaled - std::round(scaled)) > 1e-9 * std::max(1.0, std::abs(scaled));
         scaled *= 10)
        ++decimals;
    return u"%.%1f"_s.arg(decimals);
}

} // namespace

void fitValueAxis(QValueAxis &axis, double low, double high, const ChartRequest &request)
{
    axis.setRange(low, high > low ? high : low + 1);
    axis.setTickCount(std::clamp(request.size.height() / 50, 2, 8));
    if (!request.yMinimum && !request.yMaximum) {
        axis.applyNiceNumbers();
    } else {
        // A range the request fixes keeps round ticks: nice steps counted from zero.
        axis.setRange(request.yMinimum.value_or(axis.min()), request.yMaximum.value_or(axis.max()));
        axis.setTickType(QValueAxis::TicksDynamic);
        axis.setTickAnchor(0);
        axis.setTickInterval(niceCeiling((axis.max() - axis.min()) / (axis.tickCount() - 1)));
    }
    axis.setLabelFormat(valueLabelFormat(axis));
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
