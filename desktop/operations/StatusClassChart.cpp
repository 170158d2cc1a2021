#include "StatusClassChart.h"

#include "StatusClass.h"

#include <QAreaSeries>
#include <QLineSeries>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

struct ClassStyle {
    StatusClass statusClass;
    const char *name;
    QRgb colour;
};

// Bottom to top: successes first, so the 2xx area's top edge is the success ratio and reads
// against the no-go line directly.
constexpr ClassStyle kStack[] = {
    {StatusClass::Success, "2xx", 0xff16a34a},       {StatusClass::Redirection, "3xx", 0xff2563eb},
    {StatusClass::Informational, "1xx", 0xff6b7280}, {StatusClass::ClientError, "4xx", 0xfff59e0b},
    {StatusClass::ServerError, "5xx", 0xffdc2626},
};

} // namespace

StatusClassChart::StatusClassChart(QWidget *parent)
    : OperationsChart(tr("Status classes over time"), parent)
{
    rebuild();
}

void StatusClassChart::setTimeline(const Timeline &timeline, double noGoRatio)
{
    m_timeline = timeline;
    m_noGoRatio = noGoRatio;
    rebuild();
}

bool StatusClassChart::build(QChart *chart)
{
    const QList<TimelineBucket> &buckets = m_timeline.buckets;
    auto *xAxis = timeAxis(chart, m_timeline);
    auto *yAxis = new QValueAxis(chart);
    yAxis->setRange(0, 100);
    yAxis->setLabelFormat(u"%d%%"_s);
    yAxis->setTitleText(tr("Share of requests"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    bool any = false;
    QLineSeries *lower = nullptr;
    QList<double> stacked(buckets.size(), 0.0);
    for (const ClassStyle &style : kStack) {
        auto *upper = new QLineSeries(chart);
        for (qsizetype i = 0; i < buckets.size(); ++i) {
            const TimelineBucket &bucket = buckets.at(i);
            if (bucket.requests == 0)
                continue;
            any = true;
            stacked[i] += 100.0 * double(bucket.statusCounts[int(style.statusClass)])
                          / double(bucket.requests);
            appendBucket(upper, m_timeline, bucket, stacked[i]);
        }
        auto *area = new QAreaSeries(upper, lower);
        area->setName(QLatin1String(style.name));
        area->setColor(QColor::fromRgba(style.colour));
        area->setBorderColor(QColor::fromRgba(style.colour).darker(120));
        chart->addSeries(area);
        area->attachAxis(xAxis);
        area->attachAxis(yAxis);
        lower = upper;
    }

    if (any) {
        auto *noGo = new QLineSeries(chart);
        noGo->setName(tr("No-go (%1%)").arg(m_noGoRatio * 100, 0, 'f', 0));
        noGo->append(double(buckets.constFirst().startMs), m_noGoRatio * 100);
        noGo->append(double(buckets.constLast().startMs + m_timeline.bucketMs), m_noGoRatio * 100);
        QPen pen(objectiveColour(), 2, Qt::DashLine);
        noGo->setPen(pen);
        chart->addSeries(noGo);
        noGo->attachAxis(xAxis);
        noGo->attachAxis(yAxis);
    }
    return any;
}

} // namespace isobar
