#include "LatencyChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr int kMaxLabelLength = 40;

QString endpointLabel(const EndpointLatency &endpoint)
{
    QString label = endpoint.method + u' ' + endpoint.endpoint;
    if (label.size() <= kMaxLabelLength)
        return label;
    // Routes differ at their ends (/geographies/<geography>/metrics/<metric>): keep both ends.
    return label.left(12) + u'…' + label.right(kMaxLabelLength - 13);
}

// The endpoints drawn: the slowest by p95, slowest on top (bar charts draw the first at the
// bottom).
QList<EndpointLatency> slowest(QList<EndpointLatency> endpoints)
{
    std::sort(endpoints.begin(), endpoints.end(),
              [](const EndpointLatency &a, const EndpointLatency &b) { return a.p95Ms > b.p95Ms; });
    if (endpoints.size() > LatencyChart::kMaxBars)
        endpoints.resize(LatencyChart::kMaxBars);
    std::reverse(endpoints.begin(), endpoints.end());
    return endpoints;
}

QLineSeries *objectiveLine(QChart *chart, double objectiveMs, QPointF from, QPointF to)
{
    auto *line = new QLineSeries(chart);
    line->setName(LatencyChart::tr("Objective (%1 ms)").arg(objectiveMs));
    line->append(from);
    line->append(to);
    line->setPen(QPen(QColor(0xdc, 0x26, 0x26), 2, Qt::DashLine));
    return line;
}

} // namespace

LatencyChart::LatencyChart(QWidget *parent)
    : OperationsChart(tr("Latency per endpoint"), parent)
{
    rebuild();
}

void LatencyChart::showEndpoints(const QList<EndpointLatency> &endpoints, double objectiveMs)
{
    m_mode = Mode::Endpoints;
    m_endpoints = endpoints;
    m_objectiveMs = objectiveMs;
    rebuild();
}

void LatencyChart::showEndpointTimeline(const QString &endpoint,
                                        const QList<TimelineBucket> &buckets, double objectiveMs)
{
    m_mode = Mode::Timeline;
    m_endpoint = endpoint;
    m_buckets = buckets;
    m_objectiveMs = objectiveMs;
    rebuild();
}

QList<std::pair<QString, double>> LatencyChart::bars() const
{
    QList<std::pair<QString, double>> bars;
    if (m_mode != Mode::Endpoints)
        return bars;
    for (const EndpointLatency &endpoint : slowest(m_endpoints))
        bars.append({endpoint.method + u' ' + endpoint.endpoint, endpoint.p95Ms});
    return bars;
}

bool LatencyChart::build(QChart *chart)
{
    return m_mode == Mode::Endpoints ? buildBars(chart) : buildTimeline(chart);
}

bool LatencyChart::buildBars(QChart *chart)
{
    chart->setTitle(tr("p95 latency per endpoint"));
    const QList<EndpointLatency> shown = slowest(m_endpoints);
    // Two sets, one bar each per endpoint, so a bar's colour says whether it meets the objective.
    auto *within = new QBarSet(tr("Within objective"));
    auto *over = new QBarSet(tr("Over objective"));
    within->setColor(QColor(0x16, 0xa3, 0x4a));
    over->setColor(QColor(0xdc, 0x26, 0x26));
    QStringList categories;
    double longest = m_objectiveMs;
    for (const EndpointLatency &endpoint : shown) {
        const bool meets = endpoint.p95Ms <= m_objectiveMs;
        within->append(meets ? endpoint.p95Ms : 0);
        over->append(meets ? 0 : endpoint.p95Ms);
        // Axis labels are rich text: a route's "<theme>" would vanish as an unknown tag.
        categories << endpointLabel(endpoint).toHtmlEscaped();
        longest = std::max(longest, endpoint.p95Ms);
    }
    auto *series = new QHorizontalStackedBarSeries(chart);
    series->append(within);
    series->append(over);
    chart->addSeries(series);

    auto *yAxis = new QBarCategoryAxis(chart);
    yAxis->append(categories);
    auto *xAxis = new QValueAxis(chart);
    xAxis->setTitleText(tr("p95 (ms)"));
    xAxis->setLabelFormat(u"%.0f"_s);
    xAxis->setRange(0, longest * 1.1);
    xAxis->applyNiceNumbers();
    chart->addAxis(yAxis, Qt::AlignLeft);
    chart->addAxis(xAxis, Qt::AlignBottom);
    series->attachAxis(yAxis);
    series->attachAxis(xAxis);

    // Categories sit at 0..n-1 on the bar axis: the objective spans them all.
    const double top = std::max<qsizetype>(shown.size(), 1) - 0.5;
    QLineSeries *objective =
        objectiveLine(chart, m_objectiveMs, {m_objectiveMs, -0.5}, {m_objectiveMs, top});
    chart->addSeries(objective);
    objective->attachAxis(xAxis);
    objective->attachAxis(yAxis);
    return !shown.isEmpty();
}

bool LatencyChart::buildTimeline(QChart *chart)
{
    chart->setTitle(tr("Latency of %1").arg(m_endpoint));
    auto *xAxis = timeAxis(chart, m_buckets);
    auto *yAxis = new QValueAxis(chart);
    yAxis->setTitleText(tr("ms"));
    yAxis->setLabelFormat(u"%.0f"_s);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    struct Percentile {
        QString name;
        double TimelineBucket::*field;
        QColor colour;
    };
    const Percentile percentiles[] = {
        {tr("p50"), &TimelineBucket::p50Ms, QColor(0x25, 0x63, 0xeb)},
        {tr("p95"), &TimelineBucket::p95Ms, QColor(0xf5, 0x9e, 0x0b)},
        {tr("p99"), &TimelineBucket::p99Ms, QColor(0x93, 0x33, 0xea)},
    };
    double highest = m_objectiveMs;
    bool any = false;
    for (const Percentile &percentile : percentiles) {
        auto *series = new QLineSeries(chart);
        series->setName(percentile.name);
        series->setColor(percentile.colour);
        for (const TimelineBucket &bucket : m_buckets) {
            if (bucket.requests == 0)
                continue; // no requests: no latency, not a latency of 0
            any = true;
            const double value = bucket.*percentile.field;
            appendHour(series, bucket.startMs, value);
            highest = std::max(highest, value);
        }
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    yAxis->setRange(0, highest * 1.1);
    yAxis->applyNiceNumbers();
    if (!m_buckets.isEmpty()) {
        const double start = double(m_buckets.constFirst().startMs);
        const double end = double(m_buckets.constLast().startMs + kHourMs);
        QLineSeries *objective =
            objectiveLine(chart, m_objectiveMs, {start, m_objectiveMs}, {end, m_objectiveMs});
        chart->addSeries(objective);
        objective->attachAxis(xAxis);
        objective->attachAxis(yAxis);
    }
    return any;
}

} // namespace isobar
