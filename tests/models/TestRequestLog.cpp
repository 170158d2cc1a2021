#include "Durations.h"
#include "LatencyBuckets.h"
#include "MetricsDatabase.h"
#include "RequestLogWriter.h"
#include "RequestStats.h"
#include "SchemaMigrations.h"
#include "TestStores.h"
#include "TestSupport.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

using namespace isobar;
using isobar::test::scalar;

namespace {

constexpr qint64 kHour = 3'600'000;
const qint64 kT0 = 1'764'028'800'000; // 2025-11-25T00:00:00Z

RequestEvent makeEvent(qint64 timeMs, const QString &route, int status, qint64 durationUs,
                       const QString &subject = {})
{
    RequestEvent e;
    e.timeMs = timeMs;
    e.method = "GET";
    e.route = route;
    e.status = status;
    e.durationUs = durationUs;
    e.responseBytes = 100;
    e.subject = subject;
    e.client = u"127.0.0.1"_s;
    return e;
}

// Keeps `events` as rows of a plain table, sent_event, beside the roll-ups: what the roll-ups
// must equal, summed by the store's own GROUP BY rather than by the code under test.
void keepSent(QSqlDatabase &db, const QList<RequestEvent> &events)
{
    QSqlQuery query(db);
    QVERIFY2(query.exec(u"CREATE TABLE IF NOT EXISTS sent_event (time_ms BIGINT NOT NULL,"
                        " method TEXT NOT NULL, route TEXT NOT NULL, status BIGINT NOT NULL,"
                        " duration_us BIGINT NOT NULL, bytes BIGINT NOT NULL, subject TEXT,"
                        " cell_lat DOUBLE PRECISION, cell_lon DOUBLE PRECISION, cache TEXT)"_s),
             qPrintable(query.lastError().text()));
    QVERIFY(db.transaction());
    QVERIFY(query.prepare(u"INSERT INTO sent_event VALUES (?,?,?,?,?,?,?,?,?,?)"_s));
    for (const RequestEvent &e : events) {
        for (const QVariant &value :
             {QVariant(e.timeMs), QVariant(QString::fromLatin1(e.method)), QVariant(e.route),
              QVariant(qint64(e.status)), QVariant(e.durationUs), QVariant(e.responseBytes),
              e.subject.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(e.subject),
              e.cell ? QVariant(e.cell->latitude) : QVariant(QMetaType::fromType<double>()),
              e.cell ? QVariant(e.cell->longitude) : QVariant(QMetaType::fromType<double>()),
              e.cacheOutcome.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                       : QVariant(QString::fromLatin1(e.cacheOutcome))})
            query.addBindValue(value);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }
    QVERIFY(db.commit());
}

} // namespace

class TestRequestLog : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    test::TestStores m_stores;
    std::unique_ptr<MetricsDatabase> m_db;
    int m_file = 0;

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<MetricsDatabase>();
        const QString store = m_stores.fresh(u"log%1"_s.arg(++m_file));
        QVERIFY2(m_db->open(store), qPrintable(m_stores.errorString() + m_db->errorString()));
    }

    void bucketsAndQuantiles()
    {
        QCOMPARE(LatencyBuckets::bucketOf(0), 0);
        QCOMPARE(LatencyBuckets::bucketOf(500),
                 0); // upper bounds are inclusive, like Prometheus' le
        QCOMPARE(LatencyBuckets::bucketOf(501), 1);
        QCOMPARE(LatencyBuckets::bucketOf(200'000),
                 LatencyBuckets::upperBoundsUs().indexOf(200'000));
        QCOMPARE(LatencyBuckets::bucketOf(60'000'000), int(LatencyBuckets::upperBoundsUs().size()));
        QList<qint64> empty(LatencyBuckets::upperBoundsUs().size() + 1);
        QCOMPARE(LatencyBuckets::quantileUs(empty, 0.5), 0.0);
    }

    void percentilesOfAKnownDistribution()
    {
        // 20,000 requests uniform over 100-200 ms: p50 = 150, p95 = 195, p99 = 199 ms; with the
        // 100 and 200 ms bounds the interpolation is exact for a uniform spread.
        RequestLogWriter writer(m_db->connection());
        QList<RequestEvent> events;
        QRandomGenerator random(7);
        for (int i = 0; i < 20'000; ++i)
            events << makeEvent(kT0 + i, u"/prcpt"_s, 200, 100'001 + random.bounded(100'000));
        QString error;
        QVERIFY2(writer.write(events, &error), qPrintable(error));
        const StatsSummary summary = RequestStats(m_db->connection(), {}).summary(kT0, kT0 + kHour);
        const EndpointLatency prcpt = summary.endpoints.first();
        QVERIFY(qAbs(prcpt.p50Ms - 150) < 1.5);
        QVERIFY(qAbs(prcpt.p95Ms - 195) < 1.5);
        QVERIFY(qAbs(prcpt.p99Ms - 199) < 1.5);
        QCOMPARE(prcpt.overObjectiveRatio, 0.0);
        QCOMPARE(prcpt.meetsObjective, true);

        // Half of them slower than the objective.
        events.clear();
        for (int i = 0; i < 20'000; ++i)
            events << makeEvent(kT0 + i, u"/prcpt"_s, 200, 200'001 + random.bounded(300'000));
        QVERIFY(writer.write(events, &error));
        const StatsSummary slow = RequestStats(m_db->connection(), {}).summary(kT0, kT0 + kHour);
        const EndpointLatency both = slow.endpoints.first();
        QCOMPARE(both.requests, qint64(40'000));
        QVERIFY(qAbs(both.overObjectiveRatio - 0.5) < 0.01);
        QCOMPARE(both.meetsObjective, false);
    }

    void rollupsEqualTheEventsSent()
    {
        RequestLogWriter writer(m_db->connection());
        QRandomGenerator random(11);
        const QStringList routes = {"/prcpt", "/uvidx", "/api/tables/v4"};
        const QStringList subjects = {"watch-1", "watch-2", "", "watch-3"};
        const QList<int> statuses = {200, 200, 200, 304, 400, 401, 404, 502, 503};
        for (int batch = 0; batch < 20; ++batch) {
            QList<RequestEvent> events;
            for (int i = 0; i < 500; ++i) {
                RequestEvent e =
                    makeEvent(kT0 + random.bounded(qint64(30) * kHour), routes[random.bounded(3)],
                              statuses[random.bounded(statuses.size())], random.bounded(2'000'000),
                              subjects[random.bounded(4)]);
                if (e.route == u"/prcpt") {
                    const double lat = 51.0 + 0.009 * random.bounded(5);
                    e.cell = CellBounds{lat, -0.1, 0.0045, 0.0072};
                    e.cacheOutcome = random.bounded(2) ? "hit" : "miss";
                }
                events << e;
            }
            QString error;
            QVERIFY2(writer.write(events, &error), qPrintable(error));
            keepSent(m_db->connection(), events);
        }
        QSqlDatabase &db = m_db->connection();
        QCOMPARE(scalar(db, "SELECT sum(requests) FROM rollup_endpoint"), qint64(10'000));
        // Every (minute, route, method, status) group of the events equals its minute row, and
        // every (minute, subject) group its subject row; the minutes' latency sums to the hours'.
        QCOMPARE(
            scalar(db,
                   "SELECT count(*) FROM (SELECT time_ms / 60000 AS minute, route, method,"
                   " status, count(*) AS n, sum(duration_us) AS d, sum(bytes) AS b"
                   " FROM sent_event GROUP BY 1, 2, 3, 4) sent"
                   " FULL JOIN rollup_endpoint_minute r USING (minute, route, method, status)"
                   " WHERE r.requests IS DISTINCT FROM sent.n"
                   " OR r.duration_us IS DISTINCT FROM sent.d OR r.bytes IS DISTINCT FROM sent.b"),
            qint64(0));
        QCOMPARE(
            scalar(db,
                   "SELECT count(*) FROM (SELECT time_ms / 60000 AS minute, subject,"
                   " count(*) AS n, sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS e,"
                   " sum(CASE WHEN status = 429 THEN 1 ELSE 0 END) AS l, min(time_ms) AS f,"
                   " max(time_ms) AS t FROM sent_event WHERE subject IS NOT NULL"
                   " GROUP BY 1, 2) sent FULL JOIN rollup_subject_minute r"
                   " USING (minute, subject) WHERE r.requests IS DISTINCT FROM sent.n"
                   " OR r.errors IS DISTINCT FROM sent.e OR r.limited IS DISTINCT FROM sent.l"
                   " OR r.first_ms IS DISTINCT FROM sent.f OR r.last_ms IS DISTINCT FROM sent.t"),
            qint64(0));
        QCOMPARE(scalar(db, "SELECT count(*) FROM (SELECT minute / 60 AS hour, route, bucket,"
                            " sum(requests) AS n FROM rollup_latency_minute GROUP BY 1, 2, 3) m"
                            " FULL JOIN rollup_latency r USING (hour, route, bucket)"
                            " WHERE r.requests IS DISTINCT FROM m.n"),
                 qint64(0));
        QCOMPARE(scalar(db, "SELECT sum(requests) FROM rollup_latency"), qint64(10'000));
        // Every (hour, route, method, status) group of the events equals its roll-up row.
        QCOMPARE(
            scalar(db,
                   "SELECT count(*) FROM (SELECT time_ms / 3600000 AS hour, route, method, status,"
                   " count(*) AS n, sum(duration_us) AS d, sum(bytes) AS b FROM sent_event "
                   "GROUP BY 1, 2, 3, 4) raw"
                   " FULL JOIN rollup_endpoint r USING (hour, route, method, status)"
                   " WHERE r.requests IS DISTINCT FROM raw.n OR r.duration_us IS DISTINCT FROM "
                   "raw.d OR r.bytes IS DISTINCT FROM "
                   "raw.b"),
            qint64(0));
        QCOMPARE(
            scalar(db, "SELECT count(*) FROM (SELECT time_ms / 3600000 AS hour, cell_lat, "
                       "cell_lon, count(*) AS n,"
                       " sum(CASE WHEN cache = 'hit' THEN 1 ELSE 0 END) AS h FROM sent_event "
                       "WHERE cell_lat IS NOT NULL"
                       " GROUP BY 1, 2, 3) raw"
                       " LEFT JOIN rollup_cell r USING (hour, cell_lat, cell_lon)"
                       " WHERE r.requests IS DISTINCT FROM raw.n OR r.hits IS DISTINCT FROM raw.h"),
            qint64(0));
        QCOMPARE(
            scalar(db,
                   "SELECT count(*) FROM (SELECT time_ms / 3600000 AS hour, subject, count(*) AS n,"
                   " sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS e, min(time_ms) AS f, "
                   "max(time_ms) AS l FROM sent_event"
                   " WHERE subject IS NOT NULL GROUP BY 1, 2) raw LEFT JOIN rollup_subject r USING "
                   "(hour, subject)"
                   " WHERE r.requests IS DISTINCT FROM raw.n OR r.errors IS DISTINCT FROM raw.e OR "
                   "r.first_ms IS DISTINCT FROM raw.f"
                   " OR r.last_ms IS DISTINCT FROM raw.l"),
            qint64(0));
        // The day roll-ups hold the same sums per UTC day, for both endpoints and latency.
        QCOMPARE(
            scalar(
                db,
                "SELECT count(*) FROM (SELECT time_ms / 86400000 AS day, route, method,"
                " status, count(*) AS n, sum(duration_us) AS d, sum(bytes) AS b"
                " FROM sent_event GROUP BY 1, 2, 3, 4) raw"
                " FULL JOIN rollup_endpoint_day r USING (day, route, method, status)"
                " WHERE r.requests IS DISTINCT FROM raw.n OR r.duration_us IS DISTINCT FROM raw.d"
                " OR r.bytes IS DISTINCT FROM raw.b"),
            qint64(0));
        QCOMPARE(scalar(db, "SELECT count(*) FROM (SELECT hour / 24 AS day, route, bucket,"
                            " sum(requests) AS n FROM rollup_latency GROUP BY 1, 2, 3) hours"
                            " FULL JOIN rollup_latency_day r USING (day, route, bucket)"
                            " WHERE r.requests IS DISTINCT FROM hours.n"),
                 qint64(0));
        QCOMPARE(scalar(db, "SELECT count(DISTINCT day) FROM rollup_endpoint_day"), qint64(2));
        // And the stats answer agrees with the events.
        const StatsSummary summary = RequestStats(db, {}).summary(kT0, kT0 + 30 * kHour);
        QCOMPARE(summary.requests, qint64(10'000));
        QCOMPARE(summary.statusCounts[int(StatusClass::ServerError)],
                 scalar(db, "SELECT count(*) FROM sent_event WHERE status >= 500"));
        const QList<UserActivity> users = RequestStats(db, {}).users(kT0, kT0 + 30 * kHour, 10);
        QCOMPARE(users.size(), 3);
        QCOMPARE(users[0].requests,
                 scalar(db, "SELECT count(*) AS n FROM sent_event WHERE subject IS NOT NULL "
                            "GROUP BY subject ORDER BY n DESC LIMIT 1"));
    }

    void summaryTimelineAndUsersOfAFewRequests()
    {
        RequestLogWriter writer(m_db->connection());
        QList<RequestEvent> events = {
            makeEvent(kT0 + 1000, "/prcpt", 200, 1'000, "watch-1"),
            makeEvent(kT0 + 2000, "/prcpt", 200, 3'000, "watch-1"),
            makeEvent(kT0 + 3000, "/prcpt", 502, 9'000, "watch-2"),
            makeEvent(kT0 + 4000, "(unmatched)", 404, 100),
            makeEvent(kT0 + kHour + 5, "/uvidx", 200, 400'000, "watch-2"),
        };
        QString error;
        QVERIFY(writer.write(events, &error));
        const StatsSummary summary =
            RequestStats(m_db->connection(), {0.8, 200'000}).summary(kT0, kT0 + 2 * kHour);
        // Percentiles interpolate inside the histogram buckets: 100 us in (0, 500] reads as
        // p50 250 us; 1, 3 and 9 ms in (0.5, 1], (2.5, 5], (5, 10] give p50 3.75 ms. Sorted by
        // "METHOD route"; 3 of 5 successes is under the 0.8 no-go threshold.
        StatsSummary expected;
        expected.fromMs = kT0;
        expected.toMs = kT0 + 2 * kHour;
        expected.requests = 5;
        expected.statusCounts = {0, 3, 0, 1, 1};
        expected.statusRatios = {0, 0.6, 0, 0.2, 0.2};
        expected.noGo = true;
        expected.noGoThreshold = 0.8;
        expected.objectiveMs = 200;
        expected.endpoints = {
            {u"GET"_s, u"(unmatched)"_s, 1, 1, 0.25, 0.48, 0.5, 0, true},
            {u"GET"_s, u"/prcpt"_s, 3, 1, 3.75, 9.25, 9.85, 0, true},
            {u"GET"_s, u"/uvidx"_s, 1, 0, 350, 485, 497, 1, false},
        };
        expected.replicas = {{u""_s, 5}}; // a writer given no replica name
        QCOMPARE(summary, expected);

        const QList<TimelineBucket> timeline =
            RequestStats(m_db->connection(), {}).timeline(kT0, kT0 + 3 * kHour, 1, "/prcpt");
        QCOMPARE(timeline.size(), 3); // empty hours are there, with zeros
        QCOMPARE(timeline[0].requests, qint64(3));
        QCOMPARE(timeline[0].statusCounts[int(StatusClass::ServerError)], qint64(1));
        QCOMPARE(timeline[1].requests, qint64(0));
        QCOMPARE(timeline[1].p99Ms, 0.0);
        QCOMPARE(timeline[2].startMs, kT0 + 2 * kHour);
        const QList<TimelineBucket> daily =
            RequestStats(m_db->connection(), {}).timeline(kT0, kT0 + 3 * kHour, 24, {});
        QCOMPARE(daily.size(), 1);
        QCOMPARE(daily[0].requests, qint64(5));

        // A short range in minutes, from the minute roll-ups: 15 minutes are 15 buckets, not
        // the hour; a limit under the rows the range takes refuses rather than answer part of it.
        const auto minutes =
            RequestStats(m_db->connection(), {}).minuteTimeline(kT0, kT0 + 15 * kMinuteMs, {});
        QVERIFY(minutes);
        QCOMPARE(minutes->size(), 15);
        QCOMPARE(minutes->at(0).startMs, kT0);
        QCOMPARE(minutes->at(0).requests, qint64(4));
        QCOMPARE(minutes->at(0).statusCounts[int(StatusClass::ClientError)], qint64(1));
        QVERIFY(minutes->at(0).p99Ms > 5); // the 9 ms request
        QCOMPARE(minutes->at(1).requests, qint64(0));
        QCOMPARE(minutes->at(14).startMs, kT0 + 14 * kMinuteMs);
        const auto lateMinute = RequestStats(m_db->connection(), {})
                                    .minuteTimeline(kT0 + kHour, kT0 + kHour + 30'000, "/uvidx");
        QVERIFY(lateMinute);
        QCOMPARE(lateMinute->size(), 1);
        QCOMPARE(lateMinute->at(0).requests, qint64(1));
        QCOMPARE(lateMinute->at(0).p50Ms, 350.0); // as the hour's histogram reads it
        // The summary in whole minutes: two seconds of the first minute are that minute, its
        // four requests, not the hour's; the next minutes hold none.
        const auto firstMinute =
            RequestStats(m_db->connection(), {}).summaryOfMinutes(kT0 + 1500, kT0 + 3500);
        QVERIFY(firstMinute);
        QCOMPARE(firstMinute->fromMs, kT0);
        QCOMPARE(firstMinute->toMs, kT0 + kMinuteMs);
        QCOMPARE(firstMinute->requests, qint64(4));
        QCOMPARE(firstMinute->statusCounts[int(StatusClass::ServerError)], qint64(1));
        QCOMPARE(firstMinute->endpoints.size(), 2);
        QCOMPARE(firstMinute->endpoints[1].errors, qint64(1));
        const auto quietMinutes = RequestStats(m_db->connection(), {})
                                      .summaryOfMinutes(kT0 + kMinuteMs, kT0 + 3 * kMinuteMs);
        QVERIFY(quietMinutes);
        QCOMPARE(quietMinutes->requests, qint64(0));
        QCOMPARE(quietMinutes->toMs, kT0 + 3 * kMinuteMs);
        // Over whole hours it is the hourly roll-ups' summary to the figure.
        QCOMPARE(RequestStats(m_db->connection(), {0.8, 200'000})
                     .summaryOfMinutes(kT0, kT0 + 2 * kHour)
                     .value_or(StatsSummary{}),
                 summary);
        // And its callers, first and last seen to the millisecond; over whole hours, the
        // roll-ups' list.
        const auto minuteUsers =
            RequestStats(m_db->connection(), {}).usersOfMinutes(kT0 + 1500, kT0 + 3500, 10);
        const QList<UserActivity> expectedMinuteUsers = {
            {u"watch-1"_s, 2, 0, kT0 + 1000, kT0 + 2000},
            {u"watch-2"_s, 1, 1, kT0 + 3000, kT0 + 3000},
        };
        QCOMPARE(minuteUsers.value_or(QList<UserActivity>()), expectedMinuteUsers);
        QCOMPARE(RequestStats(m_db->connection(), {})
                     .usersOfMinutes(kT0, kT0 + 2 * kHour, 10)
                     .value_or(QList<UserActivity>()),
                 RequestStats(m_db->connection(), {}).users(kT0, kT0 + 2 * kHour, 10));
        // The first minute is three endpoint rows and four latency rows, two subject rows.
        RequestStats::Options few;
        few.maxMinuteRows = 3;
        QVERIFY(!RequestStats(m_db->connection(), few).summaryOfMinutes(kT0, kT0 + kHour));
        QVERIFY(!RequestStats(m_db->connection(), few).minuteTimeline(kT0, kT0 + kMinuteMs, {}));
        few.maxMinuteRows = 4;
        QVERIFY(RequestStats(m_db->connection(), few).summaryOfMinutes(kT0, kT0 + kHour));
        QVERIFY(RequestStats(m_db->connection(), few).minuteTimeline(kT0, kT0 + kMinuteMs, {}));
        few.maxMinuteRows = 1;
        QVERIFY(!RequestStats(m_db->connection(), few).usersOfMinutes(kT0, kT0 + kHour, 10));
        few.maxMinuteRows = 2;
        QVERIFY(RequestStats(m_db->connection(), few).usersOfMinutes(kT0, kT0 + kHour, 10));

        const QList<UserActivity> users =
            RequestStats(m_db->connection(), {}).users(kT0, kT0 + 2 * kHour, 10);
        const QList<UserActivity> expectedUsers = {
            {u"watch-1"_s, 2, 0, kT0 + 1000, kT0 + 2000},
            {u"watch-2"_s, 2, 1, kT0 + 3000, kT0 + kHour + 5},
        };
        QCOMPARE(users, expectedUsers);

        // A 429 is an error, and counted apart: the caller was over its limit.
        QVERIFY(writer.write({makeEvent(kT0 + 5000, "/prcpt", 429, 50, "watch-1")}, &error));
        const QList<UserActivity> limited =
            RequestStats(m_db->connection(), {}).users(kT0, kT0 + 2 * kHour, 10);
        QCOMPARE(limited.value(0).subject, u"watch-1"_s);
        QCOMPARE(limited.value(0).errors, qint64(1));
        QCOMPARE(limited.value(0).limited, qint64(1));
        QCOMPARE(limited.value(1).limited, qint64(0)); // watch-2's 502 is no 429
    }

    void theNoGoRuleNeedsRequests()
    {
        // An empty range is no verdict: no requests is not a failing service.
        const StatsSummary empty = RequestStats(m_db->connection(), {}).summary(kT0, kT0 + kHour);
        QCOMPARE(empty.requests, qint64(0));
        QCOMPARE(empty.successRatio(), 0.0);
        QCOMPARE(empty.noGo, false);
        QVERIFY(!empty.slowestEndpoint());

        RequestLogWriter writer(m_db->connection());
        QList<RequestEvent> events;
        for (int i = 0; i < 10; ++i)
            events << makeEvent(kT0 + i, "/prcpt", i < 8 ? 200 : 503, 1000);
        QString error;
        QVERIFY(writer.write(events, &error));
        // 8 of 10: not under a threshold of 0.8, under one of 0.81.
        QCOMPARE(RequestStats(m_db->connection(), {0.8, 200'000}).summary(kT0, kT0 + kHour).noGo,
                 false);
        QCOMPARE(RequestStats(m_db->connection(), {0.81, 200'000}).summary(kT0, kT0 + kHour).noGo,
                 true);
    }

    void geographyIsCellsOnly()
    {
        RequestLogWriter writer(m_db->connection());
        RequestEvent a = makeEvent(kT0, "/prcpt", 200, 1000);
        a.cell = CellBounds{51.5045, -0.1278, 0.0045, 0.0072};
        a.cacheOutcome = "miss";
        RequestEvent b = a;
        b.cacheOutcome = "hit";
        QString error;
        QVERIFY(writer.write({a, b}, &error));
        const QList<CellCount> cells =
            RequestStats(m_db->connection(), {}).busiestCells(kT0, kT0 + kHour, 10000);
        QCOMPARE(cells.size(), 1);
        RequestEvent quiet = a;
        quiet.cell = CellBounds{48.8566, 2.3522, 0.0045, 0.0068};
        QVERIFY(writer.write({quiet}, &error));
        QCOMPARE(RequestStats(m_db->connection(), {}).busiestCells(kT0, kT0 + kHour, 10).size(), 2);
        const QList<CellCount> busiest =
            RequestStats(m_db->connection(), {}).busiestCells(kT0, kT0 + kHour, 1);
        QCOMPARE(busiest.size(), 1); // the limit keeps the busiest
        QCOMPARE(busiest[0].cell.latitude, 51.5045);
        // The cell as it was recorded, never a finer position.
        QCOMPARE(cells[0].cell, *a.cell);
        QCOMPARE(cells[0].requests, 2);
        QCOMPARE(cells[0].hits, 1);
        QCOMPARE(cells[0].misses, 1);
    }

    void compactionKeepsTheTotalsOfWholeDays()
    {
        RequestLogWriter writer(m_db->connection());
        QList<RequestEvent> events;
        QRandomGenerator random(3);
        const qint64 day = 24 * kHour;
        for (int i = 0; i < 6000; ++i) {
            const int status = i % 7 ? (i % 5 ? 200 : 429) : 502;
            RequestEvent e = makeEvent(kT0 + random.bounded(3 * day), "/prcpt", status, 1000,
                                       u"watch-%1"_s.arg(random.bounded(20)));
            e.cell = CellBounds{50.0 + 0.009 * random.bounded(30), 1.0, 0.0045, 0.007};
            e.cacheOutcome = random.bounded(3) ? "hit" : "miss";
            events << e;
        }
        QString error;
        QVERIFY(writer.write(events, &error));
        RequestStats stats(m_db->connection(), {});
        const QList<CellCount> cellsBefore = stats.busiestCells(kT0, kT0 + 3 * day, 1000);
        const QList<UserActivity> usersBefore = stats.users(kT0, kT0 + 3 * day, 100);
        QVERIFY(usersBefore.value(0).limited > 0); // the fold must keep the 429s too
        const qint64 rowsBefore = scalar(m_db->connection(), "SELECT count(*) FROM rollup_cell");

        // Days 0 and 1 are whole and old enough; day 2 keeps its hours.
        QVERIFY(writer.compactDays(kT0 + 2 * day + kHour, 7, &error) > 0);
        QCOMPARE(stats.busiestCells(kT0, kT0 + 3 * day, 1000), cellsBefore);
        QCOMPARE(stats.users(kT0, kT0 + 3 * day, 100), usersBefore);
        QVERIFY(scalar(m_db->connection(), "SELECT count(*) FROM rollup_cell") < rowsBefore);
        // The two folded days are a segment each (CellRollups), at the day's first hour.
        QCOMPARE(
            scalar(m_db->connection(),
                   u"SELECT count(*) FROM rollup_cell WHERE hour < %1"_s.arg(kT0 / kHour + 48)),
            qint64(0));
        QCOMPARE(scalar(m_db->connection(), u"SELECT count(*) FROM cell_segment WHERE hours = 24"
                                            " AND hour IN (%1, %2)"_s.arg(kT0 / kHour)
                                                .arg(kT0 / kHour + 24)),
                 qint64(2));
        QVERIFY(scalar(m_db->connection(),
                       u"SELECT count(*) FROM rollup_cell WHERE hour > %1"_s.arg(kT0 / kHour + 48))
                > 0); // the newest day still has hours
        QCOMPARE(writer.compactDays(kT0 + 2 * day + kHour, 7, &error),
                 qint64(0)); // nothing left to fold
    }

    void rangeOfDaysAndHoursCountsEachHourOnce()
    {
        // From 05:00 on the first day to 07:00 on the fourth: two whole days read from the day
        // roll-ups, 19 + 7 hours from the hourly ones. Every figure must match the events sent.
        RequestLogWriter writer(m_db->connection());
        QRandomGenerator random(17);
        const QStringList routes = {"/prcpt", "/uvidx"};
        const QList<int> statuses = {200, 200, 200, 404, 502};
        QList<RequestEvent> events;
        for (int i = 0; i < 8000; ++i)
            events << makeEvent(kT0 + random.bounded(qint64(96) * kHour), routes[i % 2],
                                statuses[random.bounded(statuses.size())], random.bounded(400'000));
        QString error;
        QVERIFY2(writer.write(events, &error), qPrintable(error));
        const qint64 from = kT0 + 5 * kHour, to = kT0 + 3 * (24 * kHour) + 7 * kHour;
        QList<qint64> histogram(LatencyBuckets::upperBoundsUs().size() + 1);
        qint64 inRange = 0, failed = 0;
        QList<qint64> perDay(4);
        for (const RequestEvent &e : std::as_const(events)) {
            if (e.timeMs < from || e.timeMs >= to || e.route != u"/prcpt")
                continue;
            ++inRange;
            failed += e.status >= 500;
            ++histogram[LatencyBuckets::bucketOf(e.durationUs)];
            ++perDay[(e.timeMs - kT0) / (24 * kHour)];
        }
        QVERIFY(inRange > 0);
        RequestStats stats(m_db->connection(), {});
        const StatsSummary summary = stats.summary(from, to);
        const EndpointLatency prcpt = summary.endpoints.first();
        QCOMPARE(prcpt.endpoint, u"/prcpt"_s);
        QCOMPARE(prcpt.requests, inRange);
        QCOMPARE(prcpt.errors, inRange
                                   - qint64(std::count_if(
                                       events.cbegin(), events.cend(), [&](const RequestEvent &e) {
                                           return e.timeMs >= from && e.timeMs < to
                                                  && e.route == u"/prcpt" && e.status == 200;
                                       })));
        for (const auto &[field, q] : {std::pair(&EndpointLatency::p50Ms, 0.5),
                                       {&EndpointLatency::p95Ms, 0.95},
                                       {&EndpointLatency::p99Ms, 0.99}})
            QCOMPARE(prcpt.*field,
                     std::round(LatencyBuckets::quantileUs(histogram, q) / 10.0) / 100.0);
        const QList<TimelineBucket> days = stats.timeline(from, to, 24, "/prcpt");
        QCOMPARE(days.size(), 4);
        for (int d = 0; d < 4; ++d)
            QCOMPARE(days[d].requests, perDay[d]);
        qint64 failedInDays = 0;
        for (const TimelineBucket &bucket : days)
            failedInDays += bucket.statusCounts[int(StatusClass::ServerError)];
        QCOMPARE(failedInDays, failed);
        // The hourly timeline over the same range adds up to the same days.
        qint64 hourly = 0;
        for (const TimelineBucket &bucket : stats.timeline(from, to, 1, "/prcpt"))
            hourly += bucket.requests;
        QCOMPARE(hourly, inRange);
    }

    void compactedDaysAnswerAsTheirHoursDid()
    {
        // Three days of traffic; the first two are then compacted. A range from the first day's
        // start to the middle of the third mixes folded days and hours: every answer over it
        // must be exactly what it was before.
        RequestLogWriter writer(m_db->connection());
        QRandomGenerator random(23);
        QList<RequestEvent> events;
        for (int i = 0; i < 9000; ++i) {
            RequestEvent e = makeEvent(
                kT0 + random.bounded(qint64(72) * kHour), i % 3 ? "/prcpt" : "/uvidx",
                i % 11 ? 200 : 503, random.bounded(300'000), u"watch-%1"_s.arg(random.bounded(40)));
            e.cell = CellBounds{50.0 + 0.009 * random.bounded(25), 1.0, 0.0045, 0.007};
            e.cacheOutcome = random.bounded(4) ? "hit" : "stale";
            events << e;
        }
        QString error;
        QVERIFY(writer.write(events, &error));
        RequestStats stats(m_db->connection(), {});
        const qint64 from = kT0, to = kT0 + 2 * (24 * kHour) + 13 * kHour;
        const StatsSummary summaryBefore = stats.summary(from, to);
        const QList<TimelineBucket> hoursBefore = stats.timeline(from, to, 1, {});
        const QList<TimelineBucket> daysBefore = stats.timeline(from, to, 24, {});
        const QList<UserActivity> usersBefore = stats.users(from, to, 100);
        const QList<CellCount> cellsBefore = stats.busiestCells(from, to, 1000);
        QVERIFY(writer.compactDays(kT0 + 2 * (24 * kHour) + kHour, 7, &error) > 0);
        QCOMPARE(stats.summary(from, to), summaryBefore);
        QCOMPARE(stats.timeline(from, to, 1, {}), hoursBefore);
        QCOMPARE(stats.timeline(from, to, 24, {}), daysBefore);
        QCOMPARE(stats.users(from, to, 100), usersBefore);
        QCOMPARE(stats.busiestCells(from, to, 1000), cellsBefore);
    }

    void hoursStoredBeforeTheDayRollupsAreSummedIntoThem()
    {
        // A store from before migration 5 has hours only: upgrading fills the day roll-ups.
        if (m_stores.onPostgresql())
            QSKIP("PostgreSQL stores began at a later schema than 4");
        const QString path = m_dir.filePath(u"hours-only.db"_s);
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"hours-only"_s);
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QString error;
            QVERIFY2(SchemaMigrations::migrate(raw, &error, 4), qPrintable(error));
            QSqlQuery insert(raw);
            const qint64 hour = kT0 / kHour;
            for (const QString &sql :
                 {u"INSERT INTO rollup_endpoint VALUES (%1, '/prcpt', 'GET', 200, 5,"
                  " 500, 50), (%2, '/prcpt', 'GET', 200, 7, 700, 70),"
                  " (%3, '/prcpt', 'GET', 200, 11, 1100, 110)"_s.arg(hour)
                      .arg(hour + 23)
                      .arg(hour + 24),
                  u"INSERT INTO rollup_latency VALUES (%1, '/prcpt', 3, 5),"
                  " (%2, '/prcpt', 3, 7), (%3, '/prcpt', 4, 11)"_s.arg(hour)
                      .arg(hour + 23)
                      .arg(hour + 24)})
                QVERIFY2(insert.exec(sql), qPrintable(insert.lastError().text()));
        }
        QSqlDatabase::removeDatabase(u"hours-only"_s);
        MetricsDatabase upgraded;
        QVERIFY(upgraded.open(path));
        QSqlDatabase &db = upgraded.connection();
        const qint64 day = kT0 / (24 * kHour);
        QCOMPARE(scalar(db, u"SELECT requests * 1000000 + duration_us * 10 + bytes"
                            " FROM rollup_endpoint_day WHERE day = %1"_s.arg(day)),
                 qint64(12 * 1000000 + 1200 * 10 + 120));
        QCOMPARE(
            scalar(db, u"SELECT requests FROM rollup_endpoint_day WHERE day = %1"_s.arg(day + 1)),
            qint64(11));
        QCOMPARE(scalar(db, u"SELECT requests FROM rollup_latency_day"
                            " WHERE day = %1 AND bucket = 3"_s.arg(day)),
                 qint64(12));
        QCOMPARE(scalar(db, "SELECT count(*) FROM rollup_latency_day"), qint64(2));
    }

    void retentionDeletesOnlyWhatIsOld()
    {
        RequestLogWriter writer(m_db->connection());
        QList<RequestEvent> events;
        const qint64 day = 24 * kHour;
        for (int d = 0; d < 10; ++d) {
            for (int i = 0; i < 3000; ++i) // more than one deletion batch per day
                events << makeEvent(kT0 + d * day + i, "/prcpt", 200, 1000, "w");
        }
        QString error;
        QVERIFY(writer.write(events, &error));
        const qint64 now = kT0 + 10 * day + 12 * kHour;
        // Minutes older than 7 days go; roll-ups go by whole days older than 9 days: day 0.
        // Day 1 is younger than 9 days only from its noon, yet keeps all its roll-ups, so that
        // its day rows and its hours always hold the same requests.
        const qint64 deleted = writer.expire(now - 7 * day, now - 9 * day, &error);
        QVERIFY2(deleted > 0, qPrintable(error));
        QSqlDatabase &db = m_db->connection();
        for (const char *table :
             {"rollup_endpoint_minute", "rollup_latency_minute", "rollup_subject_minute"})
            QCOMPARE(scalar(db, u"SELECT sum(requests) FROM %1"_s.arg(table)), qint64(6 * 3000));
        QCOMPARE(scalar(db, "SELECT min(minute) FROM rollup_endpoint_minute"),
                 (kT0 + 4 * day) / kMinuteMs);
        for (const char *table : {"rollup_endpoint", "rollup_latency", "rollup_subject",
                                  "rollup_endpoint_day", "rollup_latency_day"})
            QCOMPARE(scalar(db, u"SELECT sum(requests) FROM %1"_s.arg(table)), qint64(9 * 3000));
        QCOMPARE(scalar(db, "SELECT min(day) FROM rollup_endpoint_day"), kT0 / day + 1);
        QCOMPARE(scalar(db, "SELECT min(hour) FROM rollup_endpoint"), (kT0 + day) / kHour);
        QCOMPARE(writer.expire(now - 7 * day, now - 9 * day, &error),
                 qint64(0)); // nothing more to do
    }

    void replicasShareTheLogAndCanBeAskedAlone()
    {
        // Two replicas write the same hour, route and subject: their rows stay apart, the fleet's
        // answers add them up, and ?replica= keeps one replica's.
        QSqlDatabase &db = m_db->connection();
        QString error;
        RequestEvent paris = makeEvent(kT0 + 1000, u"/prcpt"_s, 200, 1'000, u"watch-1"_s);
        paris.cell = CellBounds{48.85, 2.35, 0.0045, 0.0068};
        RequestEvent oregon = paris;
        oregon.status = 502;
        QVERIFY2(RequestLogWriter(db, u"paris-1"_s).write({paris, paris, paris}, &error),
                 qPrintable(error));
        QVERIFY2(RequestLogWriter(db, u"oregon-1"_s).write({oregon, oregon}, &error),
                 qPrintable(error));
        QCOMPARE(scalar(db, "SELECT count(*) FROM rollup_endpoint"), qint64(2));
        QCOMPARE(scalar(db, "SELECT sum(requests) FROM rollup_endpoint_minute"
                            " WHERE replica = 'oregon-1'"),
                 qint64(2));

        const qint64 to = kT0 + kHour;
        const StatsSummary fleet = RequestStats(db, {}).summary(kT0, to);
        QCOMPARE(fleet.requests, qint64(5));
        const QList<ReplicaRequests> both = {{u"oregon-1"_s, 2}, {u"paris-1"_s, 3}};
        QCOMPARE(fleet.replicas, both);
        const StatsSummary one = RequestStats(db, {}, u"oregon-1"_s).summary(kT0, to);
        QCOMPARE(one.requests, qint64(2));
        QCOMPARE(one.statusCounts[int(StatusClass::ServerError)], qint64(2));
        QCOMPARE(RequestStats(db, {}, u"nobody"_s).summary(kT0, to).requests, qint64(0));
        QCOMPARE(RequestStats(db, {}, u"paris-1"_s).timeline(kT0, to, 1, {}).constFirst().requests,
                 qint64(3));
        QCOMPARE(RequestStats(db, {}).users(kT0, to, 10).constFirst().requests, qint64(5));
        QCOMPARE(RequestStats(db, {}, u"paris-1"_s).users(kT0, to, 10).constFirst().errors,
                 qint64(0));

        // Geography too, before and after the hour is sealed into per-replica segments.
        for (int pass = 0; pass < 2; ++pass) {
            QCOMPARE(RequestStats(db, {}).busiestCells(kT0, to, 10).constFirst().requests,
                     qint64(5));
            QCOMPARE(
                RequestStats(db, {}, u"oregon-1"_s).busiestCells(kT0, to, 10).constFirst().requests,
                qint64(2));
            QVERIFY2(RequestLogWriter(db).sealCellHours(kT0 + 2 * kHour, 10, &error) >= 0,
                     qPrintable(error));
        }
        QCOMPARE(scalar(db, "SELECT count(*) FROM cell_segment"), qint64(2));
    }
};

QTEST_GUILESS_MAIN(TestRequestLog)
#include "TestRequestLog.moc"
