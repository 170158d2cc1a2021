#include "LatencyChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The log scale's floor: bars start here, so sub-millisecond answers still show as a sliver.
constexpr double kFloorMs = 0.1;

QString fullName(const EndpointLatency &endpoint)
{
    return endpoint.method + u' ' + endpoint.endpoint;
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

void LatencyChart::showEndpointTimeline(const QString &endpoint, const Timeline &timeline,
                                        double objectiveMs)
{
    m_mode = Mode::Timeline;
    m_endpoint = endpoint;
    m_timeline = timeline;
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

QString LatencyChart::shortRouteName(const QString &method, const QString &route)
{
    // A route's last two segments say what it serves ("metrics/<metric>", "stats/summary");
    // the full template is in the bar's tooltip.
    const QStringList segments = route.split(u'/', Qt::SkipEmptyParts);
    if (segments.size() <= 2)
        return method + u' ' + route;
    return method + u" …/"_s + segments.mid(segments.size() - 2).join(u'/');
}

bool LatencyChart::buildBars(QChart *chart)
{
    chart->setTitle(tr("p95 latency per endpoint"));
    const QList<EndpointLatency> shown = slowest(m_endpoints);
    // One bar per endpoint, its value written beside it; those over the objective are the
    // set's "selected" bars, drawn red.
    auto *bars = new QBarSet(tr("p95"));
    bars->setColor(QColor(0x16, 0xa3, 0x4a));
    bars->setSelectedColor(QColor(0xdc, 0x26, 0x26));
    bars->setLabelColor(palette().color(QPalette::WindowText));
    QStringList categories;
    double longest = m_objectiveMs;
    for (const EndpointLatency &endpoint : shown) {
        bars->append(std::max(endpoint.p95Ms, kFloorMs));
        if (endpoint.p95Ms > m_objectiveMs)
            bars->selectBar(int(bars->count() - 1));
        // Axis labels are rich text: a route's "<theme>" would vanish as an unknown tag.
        categories << shortRouteName(endpoint.method, endpoint.endpoint).toHtmlEscaped();
        longest = std::max(longest, endpoint.p95Ms);
    }
    auto *series = new QHorizontalBarSeries(chart);
    series->append(bars);
    series->setBarWidth(0.7);
    series->setLabelsVisible(true);
    series->setLabelsFormat(tr("@value ms"));
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(3);
    chart->addSeries(series);
    chart->legend()->hide();
    // The full route of the bar under the pointer.
    connect(series, &QHorizontalBarSeries::hovered, this, [this, shown](bool on, int index) {
        if (on && index >= 0 && index < shown.size())
            QToolTip::showText(
                QCursor::pos(),
                tr("%1\np95 %2 ms").arg(fullName(shown[index])).arg(shown[index].p95Ms), this);
        else
            QToolTip::hideText();
    });

    auto *yAxis = new QBarCategoryAxis(chart);
    yAxis->append(categories);
    // Logarithmic: a 3 ms route and a 200 ms objective both stay readable.
    auto *xAxis = new QLogValueAxis(chart);
    xAxis->setTitleText(tr("p95 (ms, log scale)"));
    xAxis->setLabelFormat(u"%g"_s);
    xAxis->setBase(10);
    xAxis->setRange(kFloorMs, std::pow(10, std::ceil(std::log10(longest * 1.5))));
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
    const QList<TimelineBucket> &buckets = m_timeline.buckets;
    auto *xAxis = timeAxis(chart, m_timeline);
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
        for (const TimelineBucket &bucket : buckets) {
            if (bucket.requests == 0)
                continue; // no requests: no latency, not a latency of 0
            any = true;
            const double value = bucket.*percentile.field;
            appendBucket(series, m_timeline, bucket, value);
            highest = std::max(highest, value);
        }
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    yAxis->setRange(0, highest * 1.1);
    yAxis->applyNiceNumbers();
    if (!buckets.isEmpty()) {
        const double start = double(buckets.constFirst().startMs);
        const double end = double(buckets.constLast().startMs + m_timeline.bucketMs);
        QLineSeries *objective =
            objectiveLine(chart, m_objectiveMs, {start, m_objectiveMs}, {end, m_objectiveMs});
        chart->addSeries(objective);
        objective->attachAxis(xAxis);
        objective->attachAxis(yAxis);
    }
    return any;
}

} // namespace isobar
