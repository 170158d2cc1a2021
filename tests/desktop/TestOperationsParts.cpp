#include "operations/LatencyChart.h"
#include "operations/OperationsPage.h"
#include "operations/RequestRateChart.h"
#include "operations/ServerCounters.h"
#include "operations/StatTile.h"
#include "operations/Thresholds.h"
#include "operations/TimeRange.h"
#include "operations/UserActivityModel.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QGroupBox>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// WCAG 2 relative luminance and contrast ratio.
double luminance(const QColor &colour)
{
    auto channel = [](double c) {
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
           + 0.0722 * channel(colour.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette paletteWithWindow(const QColor &window, const QColor &text)
{
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    return palette;
}

// What GET /metrics writes (PrometheusExposition), plus the corners of the format.
// Not a raw string literal: moc would read its lines starting with # as directives.
const QByteArray kExposition =
    "# HELP isobar_upstream_calls_total AccuWeather HTTP attempts by endpoint and outcome.\n"
    "# TYPE isobar_upstream_calls_total counter\n"
    "isobar_upstream_calls_total{endpoint=\"location\",outcome=\"ok\"} 12\n"
    "isobar_upstream_calls_total{endpoint=\"location\",outcome=\"failed\"} 1\n"
    "isobar_upstream_calls_total{endpoint=\"current\",outcome=\"ok\"} 30\n"
    "isobar_upstream_calls_total{endpoint=\"current\",outcome=\"failed\"} 2\n"
    "# TYPE isobar_upstream_budget_remaining gauge\n"
    "isobar_upstream_budget_remaining 955\n"
    "isobar_weather_cache_hits_total 70\n"
    "isobar_weather_cache_misses_total 25\n"
    "isobar_weather_cache_stale_total 5\n"
    "isobar_http_requests_total{route=\"/a \\\"quoted\\\", {braced} \\\\ "
    "route\",method=\"GET\",status=\"200\"} 3 1700000000000\n"
    "isobar_http_request_duration_seconds_bucket{route=\"/prcpt\",le=\"+Inf\"} 42\n"
    "isobar_http_request_duration_seconds_sum{route=\"/prcpt\"} 1.5e-2\n"
    "this line is not a sample\n";

} // namespace

class TestOperationsParts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void latencyBarsAreReadableAtAnyScale()
    {
        const QString longRoute =
            u"/api/public/timeseries/themes/<theme>/sub_themes/<sub_theme>/topics/<topic>/"
            "geography_types/<geography_type>/geographies/<geography>/metrics/<metric>"_s;
        LatencyChart chart;
        chart.resize(600, 300);
        chart.showEndpoints({{u"GET"_s, u"/prcpt"_s, 10, 0, 1, 3, 4},
                             {u"GET"_s, longRoute, 10, 0, 100, 250, 300},
                             {u"POST"_s, u"/api/tables/v4"_s, 10, 0, 0.1, 0.2, 0.3}},
                            200);
        QChart *drawn = chart.chart();
        // A log scale from below the fastest bar to past the objective: 0.2 ms, 3 ms and 250 ms
        // all visible beside the 200 ms line.
        auto *values = qobject_cast<QLogValueAxis *>(drawn->axes(Qt::Horizontal).value(0));
        QVERIFY(values);
        QVERIFY(values->min() <= 0.2 && values->max() >= 250);
        // Short names on the axis (slowest on top), each value written on its bar.
        auto *names = qobject_cast<QBarCategoryAxis *>(drawn->axes(Qt::Vertical).value(0));
        QCOMPARE(names->categories(), (QStringList{u"POST …/tables/v4"_s, u"GET /prcpt"_s,
                                                   u"GET …/metrics/&lt;metric&gt;"_s}));
        auto *series = qobject_cast<QHorizontalBarSeries *>(drawn->series().value(0));
        QVERIFY(series && series->isLabelsVisible());
        QCOMPARE(series->labelsFormat(), u"@value ms"_s);
        // Only the bar over the objective is red.
        QCOMPARE(series->barSets().value(0)->selectedBars(), QList<int>{2});
        // The full template when the pointer is on a bar.
        Q_EMIT series->hovered(true, 2, series->barSets().value(0));
        QVERIFY2(QToolTip::text().contains(longRoute), qPrintable(QToolTip::text()));
    }

    // A timeline of these buckets, `bucketMs` wide, covering them whole.
    static Timeline timelineOf(const QList<TimelineBucket> &buckets, qint64 bucketMs = kHourMs)
    {
        Timeline timeline{buckets, bucketMs, 0, 0};
        if (!buckets.isEmpty()) {
            timeline.fromMs = buckets.constFirst().startMs;
            timeline.toMs = buckets.constLast().startMs + bucketMs;
        }
        return timeline;
    }

    static std::pair<qint64, qint64> timeAxisRange(QChartView &chart)
    {
        auto *time = qobject_cast<QCategoryAxis *>(chart.chart()->axes(Qt::Horizontal).value(0));
        return time ? std::pair(qint64(time->min()), qint64(time->max())) : std::pair(-1LL, -1LL);
    }

    void requestCountsTickOnWholeNumbers()
    {
        // One request in an hour once read "0, 0, 1, 1" up the axis.
        RequestRateChart chart;
        TimelineBucket bucket;
        bucket.startMs = 1'700'000'000'000;
        bucket.requests = 1;
        chart.setTimeline(timelineOf({bucket}));
        auto *counts = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(counts);
        QCOMPARE(counts->min(), 0.0);
        QCOMPARE(counts->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(counts->tickInterval(), 1.0);
        QCOMPARE(counts->max(), 2.0);
        bucket.requests = 4321;
        chart.setTimeline(timelineOf({bucket}));
        counts = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
        QCOMPARE(counts->tickInterval(), 2000.0);
        QCOMPARE(counts->max(), 6000.0);
    }

    void timeAxesStopAtNow()
    {
        RequestRateChart chart;
        // No data: the axis ends now, not an hour ahead.
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        chart.setTimeline({});
        QVERIFY(timeAxisRange(chart).second <= QDateTime::currentMSecsSinceEpoch());
        QVERIFY(timeAxisRange(chart).second >= before);
        // The hour under way is drawn as far as it has gone.
        TimelineBucket current;
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        current.startMs = nowMs - nowMs % kHourMs;
        current.requests = 5;
        chart.setTimeline(timelineOf({current}));
        QVERIFY(timeAxisRange(chart).second <= QDateTime::currentMSecsSinceEpoch());
        // A past hour is drawn whole.
        current.startMs -= 24 * kHourMs;
        chart.setTimeline(timelineOf({current}));
        QCOMPARE(timeAxisRange(chart).second, current.startMs + kHourMs);
    }

    // "Last 15 minutes" is drawn in minutes, with ticks on round times of the clock.
    void shortRangesAreDrawnInMinutesWithRoundTicks()
    {
        RequestRateChart chart;
        chart.resize(600, 300);
        const qint64 start = 1'700'000'000'000 + 7 * kMinuteMs; // not on a round minute
        QList<TimelineBucket> buckets;
        for (int minute = 0; minute < 15; ++minute)
            buckets.append(TimelineBucket{start - start % kMinuteMs + minute * kMinuteMs,
                                          minute + 1,
                                          {0, minute + 1, 0, 0, 0},
                                          1,
                                          2,
                                          3});
        chart.setTimeline(timelineOf(buckets, kMinuteMs));
        QCOMPARE(chart.chart()->title(), u"Requests per minute"_s);
        const QStringList labels = chart.timeLabels();
        QVERIFY2(labels.size() >= 3 && labels.size() <= 8, qPrintable(labels.join(u' ')));
        // Equal steps of a round size (here 5 minutes), each label a multiple of it.
        for (const QString &label : labels) {
            const QTime time = QTime::fromString(label, u"HH:mm"_s);
            QVERIFY2(time.isValid() && time.minute() % 5 == 0, qPrintable(labels.join(u' ')));
        }
        // 15 minutes of steps, one per minute.
        auto *area = qobject_cast<QAreaSeries *>(chart.chart()->series().value(0));
        QVERIFY(area);
        QCOMPARE(area->upperSeries()->count(), 30);
    }

    // Dragging across a chart over time picks that span as the range.
    void draggingAcrossATimeAxisPicksARange()
    {
        RequestRateChart chart;
        chart.resize(600, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        TimelineBucket bucket{nowMs - nowMs % kHourMs - 5 * kHourMs, 9, {0, 9, 0, 0, 0}, 1, 2, 3};
        Timeline timeline = timelineOf({bucket});
        timeline.toMs = bucket.startMs + 4 * kHourMs;
        chart.setTimeline(timeline);
        QSignalSpy picked(&chart, &OperationsChart::timeRangeSelected);
        const QRectF plot = chart.chart()->plotArea();
        const QPoint from(int(plot.left() + plot.width() / 4), int(plot.center().y()));
        const QPoint to(int(plot.left() + plot.width() / 2), int(plot.center().y()));
        QTest::mousePress(chart.viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(chart.viewport(), to);
        QTest::mouseRelease(chart.viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(picked.size(), 1);
        const qint64 pickedFrom = picked.first().at(0).toLongLong();
        const qint64 pickedTo = picked.first().at(1).toLongLong();
        // A quarter to a half of the four hours, give or take a pixel.
        QVERIFY(std::abs(pickedFrom - (timeline.fromMs + kHourMs)) < 2 * kMinuteMs);
        QVERIFY(std::abs(pickedTo - (timeline.fromMs + 2 * kHourMs)) < 2 * kMinuteMs);
        // A click is not a drag.
        QTest::mouseClick(chart.viewport(), Qt::LeftButton, {}, from);
        QCOMPARE(picked.size(), 1);
    }

    void runningTotalsAreSetApartFromTheRange()
    {
        OperationsPage page;
        auto *range = page.findChild<QGroupBox *>(u"rangeTiles"_s);
        auto *running = page.findChild<QGroupBox *>(u"runningTiles"_s);
        QVERIFY(range && running);
        QVERIFY(running->title().contains(u"since the server started", Qt::CaseInsensitive));
        for (const char *name : {"requestsTile", "successTile", "latencyTile"})
            QCOMPARE(page.findChild<StatTile *>(QLatin1String(name))->parentWidget(), range);
        for (const char *name : {"upstreamTile", "cacheTile"})
            QCOMPARE(page.findChild<StatTile *>(QLatin1String(name))->parentWidget(), running);
    }

    void rateLimitedRequestsHaveTheirColumn()
    {
        UserActivityModel model;
        model.setUsers({{u"watch-7"_s, 40, 12, 0, 0, 9}});
        QCOMPARE(model.headerData(UserActivityModel::RateLimited, Qt::Horizontal).toString(),
                 u"429"_s);
        QCOMPARE(model.index(0, UserActivityModel::RateLimited).data(Qt::EditRole).toLongLong(), 9);
        QCOMPARE(model.index(0, UserActivityModel::Errors).data(Qt::EditRole).toLongLong(), 12);
    }

    void callersAreNamedForPeople()
    {
        QCOMPARE(UserActivityModel::callerName(u"addr:10.0.0.7"_s), u"10.0.0.7 (address)"_s);
        QCOMPARE(UserActivityModel::callerName(u"watch-0042"_s), u"watch-0042"_s);
        QCOMPARE(UserActivityModel::callerName(u"invalid token"_s), u"invalid token"_s);
        UserActivityModel model;
        model.setUsers({{u"addr:::1"_s, 3, 0, 0, 0}});
        QCOMPARE(model.index(0, UserActivityModel::Subject).data().toString(), u"::1 (address)"_s);
        QCOMPARE(model.headerData(UserActivityModel::Subject, Qt::Horizontal).toString(),
                 u"Caller"_s);
    }

    void prometheusSamples()
    {
        const QList<PrometheusSample> samples = PrometheusSample::parse(kExposition);
        QCOMPARE(samples.size(), 11); // the comments and the stray line are not samples
        const PrometheusSample &escaped = samples.at(8);
        QCOMPARE(escaped.name, u"isobar_http_requests_total"_s);
        QCOMPARE(escaped.labels.value("route"), u"/a \"quoted\", {braced} \\ route"_s);
        QCOMPARE(escaped.labels.value("status"), u"200"_s);
        QCOMPARE(escaped.value, 3.0); // the timestamp after the value is not the value
        QCOMPARE(samples.at(9).labels.value("le"), u"+Inf"_s);
        QCOMPARE(samples.at(9).value, 42.0);
        QCOMPARE(samples.at(10).value, 0.015);
    }

    void serverCountersFromMetrics()
    {
        const ServerCounters counters = ServerCounters::fromPrometheus(kExposition);
        QCOMPARE(counters.upstreamCalls, 45.0);
        QCOMPARE(counters.upstreamFailures, 3.0);
        QCOMPARE(counters.budgetLeft, std::optional<double>(955));
        QCOMPARE(counters.cacheHitRatio(), std::optional<double>(0.75)); // stale was served too

        const ServerCounters fresh = ServerCounters::fromPrometheus("# nothing yet\n");
        QVERIFY(!fresh.budgetLeft); // no daily budget configured
        QVERIFY(!fresh.cacheHitRatio());
    }

    void thresholdLevels_data()
    {
        QTest::addColumn<QString>("scale");
        QTest::addColumn<double>("value");
        QTest::addColumn<Thresholds::Level>("level");
        QTest::newRow("2xx just under no-go") << "success" << 0.7999 << Thresholds::Level::Critical;
        QTest::newRow("2xx at no-go") << "success" << 0.8 << Thresholds::Level::Ok;
        QTest::newRow("no requests") << "success" << 0.0 << Thresholds::Level::Critical;
        QTest::newRow("p95 at objective") << "latency" << 200.0 << Thresholds::Level::Ok;
        QTest::newRow("p95 over objective") << "latency" << 200.5 << Thresholds::Level::Warning;
        QTest::newRow("p95 at twice") << "latency" << 400.0 << Thresholds::Level::Warning;
        QTest::newRow("p95 over twice") << "latency" << 401.0 << Thresholds::Level::Critical;
        QTest::newRow("budget spent") << "budget" << 0.0 << Thresholds::Level::Critical;
        QTest::newRow("budget low") << "budget" << 99.0 << Thresholds::Level::Warning;
        QTest::newRow("budget fine") << "budget" << 100.0 << Thresholds::Level::Ok;
        QTest::newRow("cache poor") << "cache" << 0.49 << Thresholds::Level::Warning;
        QTest::newRow("cache good") << "cache" << 0.5 << Thresholds::Level::Ok;
    }
    void thresholdLevels()
    {
        QFETCH(QString, scale);
        QFETCH(double, value);
        QFETCH(Thresholds::Level, level);
        const Thresholds thresholds = scale == u"success"   ? Thresholds::successRatio(0.8)
                                      : scale == u"latency" ? Thresholds::latencyMs(200)
                                      : scale == u"budget"  ? Thresholds::budgetLeft()
                                                            : Thresholds::cacheHitRatio();
        QCOMPARE(thresholds.levelOf(value), level);
    }

    // Every level's text stays readable on its fill (WCAG AA, 4.5:1) in light and dark themes.
    void coloursAreReadableInBothPalettes()
    {
        const QPalette light = paletteWithWindow(QColor(0xf5, 0xf5, 0xf5), Qt::black);
        const QPalette dark = paletteWithWindow(QColor(0x20, 0x20, 0x20), Qt::white);
        QVERIFY(!Thresholds::isDark(light));
        QVERIFY(Thresholds::isDark(dark));
        for (const QPalette &palette : {light, dark}) {
            for (auto level :
                 {Thresholds::Level::Ok, Thresholds::Level::Warning, Thresholds::Level::Critical}) {
                const double ratio = contrast(Thresholds::foreground(level, palette),
                                              Thresholds::background(level, palette));
                QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
            }
        }
        QVERIFY(Thresholds::background(Thresholds::Level::Critical, light)
                != Thresholds::background(Thresholds::Level::Critical, dark));
    }

    void tileFollowsThePalette()
    {
        QWidget parent;
        parent.setPalette(paletteWithWindow(QColor(0xf5, 0xf5, 0xf5), Qt::black));
        StatTile tile(u"2xx ratio"_s, &parent);
        tile.setValue(u"42.0%"_s, Thresholds::Level::Critical);
        const QPalette lightText = tile.findChildren<QWidget *>().first()->palette();
        parent.setPalette(paletteWithWindow(QColor(0x20, 0x20, 0x20), Qt::white));
        const QPalette darkText = tile.findChildren<QWidget *>().first()->palette();
        QVERIFY(lightText.color(QPalette::WindowText) != darkText.color(QPalette::WindowText));
        QCOMPARE(darkText.color(QPalette::WindowText),
                 Thresholds::foreground(Thresholds::Level::Critical, parent.palette()));
        QVERIFY(tile.accessibleDescription().contains(u"critical"_s));
    }

    void rangeParameters_data()
    {
        QTest::addColumn<TimeRange>("range");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::newRow("15 min") << TimeRange(TimeRange::Preset::Last15Minutes) << "now-15m"
                                << "now";
        QTest::newRow("1 h") << TimeRange(TimeRange::Preset::LastHour) << "now-1h"
                             << "now";
        QTest::newRow("6 h") << TimeRange(TimeRange::Preset::Last6Hours) << "now-6h"
                             << "now";
        QTest::newRow("24 h") << TimeRange(TimeRange::Preset::Last24Hours) << "now-24h"
                              << "now";
        QTest::newRow("7 d") << TimeRange(TimeRange::Preset::Last7Days) << "now-7d"
                             << "now";
        QTest::newRow("30 d") << TimeRange(TimeRange::Preset::Last30Days) << "now-30d"
                              << "now";
        // A local time goes out as UTC with its zone: the server refuses zoneless times.
        QTest::newRow("custom") << TimeRange::custom(
            QDateTime(QDate(2026, 11, 25), QTime(11, 0), QTimeZone(3600)),
            QDateTime(QDate(2026, 11, 25), QTime(13, 0), QTimeZone(3600)))
                                << "2026-11-25T10:00:00Z"
                                << "2026-11-25T12:00:00Z";
    }
    void rangeParameters()
    {
        QFETCH(TimeRange, range);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QVERIFY(range.isValid());
        QCOMPARE(range.query().queryItemValue("from"), from);
        QCOMPARE(range.query().queryItemValue("to"), to);
    }

    void customRangeMustEndAfterItStarts()
    {
        const QDateTime t(QDate(2026, 11, 25), QTime(10, 0), Qt::UTC);
        QVERIFY(!TimeRange::custom(t, t).isValid());
        QVERIFY(!TimeRange::custom(t, t.addSecs(-60)).isValid());
        QCOMPARE(TimeRange::custom(t, t.addSecs(7200)).spanMs(), 7'200'000);
    }
};

QTEST_MAIN(TestOperationsParts)
#include "TestOperationsParts.moc"
