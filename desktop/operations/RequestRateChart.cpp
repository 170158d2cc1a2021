#include "RequestRateChart.h"

#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

namespace isobar {

RequestRateChart::RequestRateChart(QWidget *parent)
    : OperationsChart(tr("Requests per hour"), parent)
{
    rebuild();
}

void RequestRateChart::setTimeline(const QList<TimelineBucket> &buckets)
{
    m_buckets = buckets;
    rebuild();
}

bool RequestRateChart::build(QChart *chart)
{
    chart->legend()->hide();
    auto *xAxis = timeAxis(chart, m_buckets.isEmpty() ? QDateTime() : m_buckets.constFirst().time,
                           m_buckets.isEmpty() ? QDateTime() : m_buckets.constLast().time);
    auto *yAxis = new QValueAxis(chart);
    yAxis->setLabelFormat(QStringLiteral("%d"));
    yAxis->setTitleText(tr("Requests"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    auto *series = new QLineSeries(chart);
    series->setName(tr("Requests per hour"));
    // Markers, so a range within one or two hours still shows its points.
    series->setPointsVisible(m_buckets.size() <= 48);
    qint64 peak = 0;
    for (const TimelineBucket &bucket : m_buckets) {
        series->append(double(bucket.time.toMSecsSinceEpoch()), double(bucket.requests));
        peak = std::max(peak, bucket.requests);
    }
    chart->addSeries(series);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    yAxis->setRange(0, std::max<qint64>(peak, 1) * 1.1);
    yAxis->applyNiceNumbers();
    return peak > 0;
}

} // namespace isobar
