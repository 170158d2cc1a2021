#include "RequestRateChart.h"

#include "ChartStyle.h"

#include <QAreaSeries>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

RequestRateChart::RequestRateChart(QWidget *parent)
    : OperationsChart(tr("Requests per hour"), parent)
{
    rebuild();
}

void RequestRateChart::setTimeline(const Timeline &timeline)
{
    m_timeline = timeline;
    rebuild();
}

bool RequestRateChart::build(QChart *chart)
{
    chart->legend()->hide();
    const QString title = m_timeline.bucketMs == kMinuteMs ? tr("Requests per minute")
                          : m_timeline.bucketMs == kDayMs  ? tr("Requests per day")
                                                           : tr("Requests per hour");
    chart->setTitle(title);
    setAccessibleName(title);
    auto *xAxis = timeAxis(chart, m_timeline);
    auto *yAxis = new QValueAxis(chart);
    yAxis->setLabelFormat(u"%d"_s);
    yAxis->setTitleText(tr("Requests"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    auto *steps = new QLineSeries(chart);
    qint64 peak = 0;
    for (const TimelineBucket &bucket : m_timeline.buckets) {
        appendBucket(steps, m_timeline, bucket, double(bucket.requests));
        peak = std::max(peak, bucket.requests);
    }
    auto *series = new QAreaSeries(steps);
    series->setName(title);
    const QColor colour(0x25, 0x63, 0xeb);
    series->setBorderColor(colour);
    series->setColor(QColor(colour.red(), colour.green(), colour.blue(), 96));
    chart->addSeries(series);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    // Whole requests: round steps of at least one, from zero, about four of them.
    const double step =
        std::max(1.0, ChartStyle::niceCeiling(double(std::max<qint64>(peak, 1)) / 4));
    yAxis->setRange(0, step * std::ceil(double(std::max<qint64>(peak, 1)) * 1.05 / step));
    yAxis->setTickType(QValueAxis::TicksDynamic);
    yAxis->setTickAnchor(0);
    yAxis->setTickInterval(step);
    return peak > 0;
}

} // namespace isobar
