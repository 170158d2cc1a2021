#include "Durations.h"
#include "MetricsDatabase.h"
#include "RequestStats.h"
#include "SandboxThread.h"
#include "TestSupport.h"
#include "monitoring/GeographyJson.h"
#include "monitoring/MonitoringReads.h"
#include "monitoring/RequestRecorder.h"
#include "weather/GridCell.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>
#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kKey = u"monitoring-upstream-key-51c0"_s;
const QByteArray kGeographies =
    "/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory/topics/"
    "COVID-19/geography_types/Nation/geographies/";

// What a store's request log holds: the requests per "status route", summed over its minutes,
// with their total duration; and its weather cells, sealed or not.
struct StoredLog {
    QMap<QString, qint64> requests;
    QMap<QString, qint64> durationUs;
    QList<CellCount> cells;
    qint64 total() const
    {
        qint64 sum = 0;
        for (qint64 n : requests)
            sum += n;
        return sum;
    }
};

StoredLog storedLog(const QString &path)
{
    MetricsDatabase db;
    if (!db.open(path, MetricsDatabase::Mode::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    QSqlQuery query(db.connection());
    query.exec(u"SELECT status, route, sum(requests), sum(duration_us)"
               " FROM rollup_endpoint_minute GROUP BY 1, 2"_s);
    StoredLog log;
    while (query.next()) {
        const QString key = u"%1 %2"_s.arg(query.value(0).toInt()).arg(query.value(1).toString());
        log.requests[key] = query.value(2).toLongLong();
        log.durationUs[key] = query.value(3).toLongLong();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    log.cells = RequestStats(db.connection(), {}).busiestCells(now - kDayMs, now + kHourMs, 100);
    return log;
}

} // namespace

class TestMonitoring : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    SandboxThread m_sandboxThread{kKey,
                                  [now = QDateTime::currentMSecsSinceEpoch()] { return now; }};
    AccuWeatherSandbox *m_sandbox = nullptr;

    QStringList serveArguments(const QStringList &extra = {}) const
    {
        return QStringList{"--no-auth", "--rate-limit", "0", "--accuweather-url",
                           u"http://127.0.0.1:%1"_s.arg(m_sandbox->port())}
               + extra;
    }
    bool startServer(ServerProcess &server, const QString &name, const QStringList &extra = {})
    {
        server.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, kKey);
        return server.start(m_dir.filePath(name), serveArguments(extra));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sandbox = m_sandboxThread.startSandbox();
        QVERIFY(m_sandbox->port() != 0);
    }

    void queueDropsInsteadOfBlocking()
    {
        RequestRecorder::Options options;
        options.queueCapacity = 10;
        options.batchSize = 1'000'000;     // never a full batch: only flush() writes
        options.flushIntervalMs = 600'000; // and no timer within the test
        RequestRecorder recorder(m_dir.filePath("queue.db"), options);
        for (int i = 0; i < 25; ++i) {
            RequestEvent event;
            event.timeMs = QDateTime::currentMSecsSinceEpoch();
            event.method = "GET";
            event.route = "/prcpt";
            event.status = 200;
            recorder.record(event);
        }
        RequestRecorder::Stats stats = recorder.stats();
        QCOMPARE(stats.recorded, qint64(10));
        QCOMPARE(stats.dropped, qint64(15));
        QCOMPARE(stats.queueDepth, 10);
        recorder.flush();
        stats = recorder.stats();
        QCOMPARE(stats.written, qint64(10));
        QCOMPARE(stats.queueDepth, 0);
        recorder.record(RequestEvent{QDateTime::currentMSecsSinceEpoch(), "GET", "/uvidx", 200});
        recorder.stop(); // shutdown writes what is queued
        QCOMPARE(recorder.stats().written, qint64(11));
        QCOMPARE(storedLog(m_dir.filePath("queue.db")).total(), qint64(11));
    }

    void eventsWaitWhileAnotherWriterHoldsTheStore()
    {
        // `isobar ingest` beside the server holds SQLite's write lock longer than the busy
        // timeout, several times over: the events wait and go in after, none is given up.
        const QString path = m_dir.filePath("busy.db");
        RequestRecorder::Options options;
        options.batchSize = 1'000'000;     // only flush() writes
        options.flushIntervalMs = 600'000; // no timer within the test
        RequestRecorder recorder(path, options);
        const auto event = [] {
            return RequestEvent{QDateTime::currentMSecsSinceEpoch(), "GET", "/prcpt", 200};
        };
        recorder.record(event());
        recorder.flush(); // the recorder's store is open and written before the lock is taken
        QCOMPARE(recorder.stats().written, qint64(1));

        MetricsDatabase other;
        QVERIFY2(other.open(path), qPrintable(other.errorString()));
        QSqlQuery lock(other.connection());
        QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
        for (int attempt = 0; attempt < 4; ++attempt) { // more tries than a refused write gets
            recorder.record(event());
            recorder.flush(); // returns after one try: kBusyTimeoutMs spent waiting
            QCOMPARE(recorder.stats().written, qint64(1));
        }
        QCOMPARE(recorder.stats().dropped, qint64(0));
        QCOMPARE(recorder.stats().backlog, 4);
        QVERIFY(lock.exec(u"COMMIT"_s));
        recorder.flush();
        QCOMPARE(recorder.stats().written, qint64(5));
        QCOMPARE(recorder.stats().dropped, qint64(0));
    }

    void anHourIsSealedOnceItIsOver()
    {
        const qint64 hour = 3'600'000;
        const qint64 t0 = 1'764'028'800'000 + 10 * hour; // 2025-11-25T10:00:00Z
        std::atomic<qint64> now{t0 + 60'000};
        RequestRecorder::Options options;
        options.flushIntervalMs = 600'000; // only flush() writes
        const QString path = m_dir.filePath("seal.db");
        RequestRecorder recorder(path, options, {}, [&now] { return now.load(); });
        auto weatherCall = [](qint64 timeMs) {
            RequestEvent event{timeMs, "GET", "/prcpt", 200, 800};
            event.cell = CellBounds{48.8566, 2.3522, 0.0045, 0.0068};
            event.cacheOutcome = "hit";
            return event;
        };
        recorder.record(weatherCall(t0 + 1000));
        recorder.record(weatherCall(t0 + 2000));
        recorder.flush();
        MetricsDatabase db;
        QVERIFY(db.open(path, MetricsDatabase::Mode::ReadOnly));
        QCOMPARE(scalar(db.connection(), "SELECT count(*) FROM rollup_cell"), qint64(1));
        QCOMPARE(scalar(db.connection(), "SELECT count(*) FROM cell_segment"), qint64(0));

        // The next hour: its first batch is written, then the hour before is sealed.
        now = t0 + hour + 5000;
        recorder.record(weatherCall(t0 + hour + 4000));
        recorder.flush();
        QCOMPARE(scalar(db.connection(), "SELECT count(*) FROM cell_segment"), qint64(1));
        QCOMPARE(scalar(db.connection(), "SELECT hour * 3600000 FROM cell_segment"), t0);
        QCOMPARE(scalar(db.connection(), "SELECT count(*) FROM rollup_cell"), qint64(1));
        QCOMPARE(scalar(db.connection(), "SELECT hour * 3600000 FROM rollup_cell"), t0 + hour);
        const QList<CellCount> cells =
            RequestStats(db.connection(), {}).busiestCells(t0, t0 + 2 * hour, 10);
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells[0].requests, qint64(3));
        QCOMPARE(cells[0].hits, qint64(3));
    }

    void everyRequestBecomesOneEvent()
    {
        ServerProcess server;
        QVERIFY2(startServer(server, "events.db", {"--request-timeout-ms", "300"}),
                 server.output().constData());
        const quint16 port = server.port();
        // A slash too many (Django's 404 page), then a name without data (UKHSA's empty list).
        QCOMPARE(HttpClient::request(port, "GET", kGeographies + "England/").status, 404);
        QCOMPARE(HttpClient::request(port, "GET", kGeographies + "Wales").status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/api/public/timeseries/themes/").status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/prcpt?lt=91&lg=0").status, 400);
        QCOMPARE(HttpClient::request(port, "GET", "/no/such/route").status, 404);
        QCOMPARE(HttpClient::request(port, "DELETE", "/health").status, 405);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::ServerError, 1.0, 0});
        QCOMPARE(HttpClient::request(port, "GET", "/uvidx?lt=48.85&lg=2.35").status, 502);
        m_sandbox->setFaultPlan({});
        QCOMPARE(HttpClient::request(port, "GET", "/prcpt?lt=48.8566&lg=2.3522").status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/prcpt?lt=48.8567&lg=2.3523").status, 200);
        // A monitoring client's marked stats read is left out of the stats; the mark on any
        // other route, or an unmarked stats read, hides nothing.
        const QByteArray mark = QByteArray(kMonitoringHeader) + ": operations-page\r\n";
        QCOMPARE(HttpClient::request(port, "GET", "/api/v1/stats/summary", {}, mark).status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/metrics", {}, mark).status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/health", {}, mark).status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/api/v1/stats/users").status, 200);
        {
            HttpClient slow(port); // a request that never completes: the guard answers 408
            slow.sendRaw("GET /health HTTP/1.1\r\nHost: x\r\n");
            QCOMPARE(slow.readReply(30000).value_or(HttpReply{}).status, 408);
        }
        QCOMPARE(server.stop(), 0); // shutdown flushes the queue

        const StoredLog log = storedLog(m_dir.filePath("events.db"));
        const QString geography = QString::fromLatin1(kGeographies)
                                      .chopped(1)
                                      .replace(u"/infectious_disease/"_s, u"/<theme>/"_s)
                                      .replace(u"/respiratory/"_s, u"/<sub_theme>/"_s)
                                      .replace(u"/COVID-19/"_s, u"/<topic>/"_s)
                                      .replace(u"/Nation/"_s, u"/<geography_type>/"_s)
                                  + u"/<geography>"_s;
        const QMap<QString, qint64> expected = {
            {"404 " + geography, 1},
            {"200 " + geography, 1}, // England and Wales: one endpoint
            {"200 /api/public/timeseries/themes/", 1},
            {"400 /prcpt", 1},
            {"404 (unmatched)", 1},
            {"405 (unmatched)", 1},
            {"502 /uvidx", 1},
            {"200 /prcpt", 2},
            {"200 /health", 1},
            {"200 /api/v1/stats/users", 1},
            {"408 (unmatched)", 1},
        };
        QCOMPARE(log.requests, expected);
        for (auto it = log.durationUs.cbegin(); it != log.durationUs.cend(); ++it)
            QVERIFY2(*it >= 0 && *it < log.requests[it.key()] * 10'000'000,
                     qPrintable(it.key() + u": "_s + QString::number(*it)));
        // Weather calls count in their cell, a failed one too, an invalid position in none; the
        // two Paris positions share a cell, asked once (a miss), then answered from the cache.
        qint64 inCells = 0;
        for (const CellCount &count : log.cells)
            inCells += count.requests;
        QCOMPARE(inCells, qint64(3));
        const GridCell paris = GridCell::locate(48.8566, 2.3522, 1000);
        const auto parisCell = std::find_if(log.cells.cbegin(), log.cells.cend(), [&](auto &c) {
            return c.cell.latitude == paris.centreLatitude
                   && c.cell.longitude == paris.centreLongitude;
        });
        QVERIFY(parisCell != log.cells.cend());
        QCOMPARE(parisCell->hits, qint64(1));
        QVERIFY(parisCell->misses >= 1);
    }

    void recordMonitoringKeepsMarkedReads()
    {
        ServerProcess server;
        QVERIFY2(startServer(server, "monitoring.db", {"--record-monitoring", "true"}),
                 server.output().constData());
        const QByteArray mark = QByteArray(kMonitoringHeader) + ": operations-page\r\n";
        QCOMPARE(
            HttpClient::request(server.port(), "GET", "/api/v1/stats/summary", {}, mark).status,
            200);
        QCOMPARE(server.stop(), 0);
        const QMap<QString, qint64> seen = {{u"200 /api/v1/stats/summary"_s, 1}};
        QCOMPARE(storedLog(m_dir.filePath("monitoring.db")).requests, seen);
    }

    void statsEndpoints()
    {
        ServerProcess server;
        QVERIFY2(startServer(server, "stats.db"), server.output().constData());
        const quint16 port = server.port();
        for (int i = 0; i < 3; ++i)
            QCOMPARE(HttpClient::request(port, "GET", "/prcpt?lt=51.5074&lg=-0.1278").status, 200);
        QCOMPARE(HttpClient::request(port, "GET", "/prcpt?lt=north&lg=0").status, 400);
        // The writer flushes every second: wait until all four are in.
        QTRY_COMPARE_WITH_TIMEOUT(
            HttpClient::request(port, "GET", "/api/v1/stats/summary?from=now-1h")
                .json()
                .object()
                .value("status_counts")
                .toObject()
                .value("4xx")
                .toInt(),
            1, 30000);
        QJsonObject summary =
            HttpClient::request(port, "GET", "/api/v1/stats/summary?from=now-1h").json().object();
        const QJsonArray endpoints = summary.value("endpoints").toArray();
        QJsonObject prcpt;
        for (const auto &e : endpoints) {
            if (e.toObject().value("endpoint").toString() == u"/prcpt")
                prcpt = e.toObject();
        }
        QCOMPARE(prcpt.value("requests").toInt(), 4);
        QCOMPARE(prcpt.value("errors").toInt(), 1);
        QCOMPARE(prcpt.value("method").toString(), u"GET"_s);
        for (const char *key :
             {"p50_ms", "p95_ms", "p99_ms", "over_objective_ratio", "meets_objective"})
            QVERIFY2(prcpt.contains(QLatin1String(key)), key);
        QCOMPARE(summary.value("objective_ms").toDouble(), 200.0);
        QCOMPARE(summary.value("no_go_threshold").toDouble(), 0.8);

        const QJsonObject timeline =
            HttpClient::request(port, "GET",
                                "/api/v1/stats/timeline?from=now-3h&bucket=hour&endpoint=/prcpt")
                .json()
                .object();
        const QJsonArray buckets = timeline.value("buckets").toArray();
        QVERIFY(buckets.size() >= 3);
        int requests = 0, ok = 0;
        for (const auto &bucket : buckets) {
            requests += bucket.toObject().value("requests").toInt();
            ok += bucket.toObject().value("2xx").toInt();
        }
        QCOMPARE(requests, 4);
        QCOMPARE(ok, 3);
        // The answer names the whole hours its buckets cover.
        QVERIFY(timeline.value("from").toString().endsWith(u":00:00Z"));

        // A short range is summed in whole minutes, not widened to its hours: the 15 minutes
        // asked for, or 16 when they do not begin on a minute.
        const QJsonObject exact =
            HttpClient::request(port, "GET", "/api/v1/stats/summary?from=now-15m").json().object();
        const QDateTime exactFrom =
            QDateTime::fromString(exact.value("from").toString(), Qt::ISODateWithMs);
        const qint64 span = exactFrom.msecsTo(
            QDateTime::fromString(exact.value("to").toString(), Qt::ISODateWithMs));
        QVERIFY2(span == 15 * kMinuteMs || span == 16 * kMinuteMs,
                 qPrintable(QString::number(span)));
        QCOMPARE(exactFrom.toMSecsSinceEpoch() % kMinuteMs, 0);
        QVERIFY(exact.value("requests").toInt() >= 4);

        // A short range in minutes: one bucket a minute, the range as they cover it.
        const QJsonObject minutes =
            HttpClient::request(port, "GET",
                                "/api/v1/stats/timeline?from=now-15m&bucket=minute&endpoint=/prcpt")
                .json()
                .object();
        const QJsonArray perMinute = minutes.value("buckets").toArray();
        QVERIFY2(perMinute.size() == 15 || perMinute.size() == 16,
                 qPrintable(QString::number(perMinute.size())));
        requests = 0;
        for (const auto &bucket : perMinute)
            requests += bucket.toObject().value("requests").toInt();
        QCOMPARE(requests, 4);
        QCOMPARE(minutes.value("bucket").toString(), u"minute"_s);
        const qint64 coveredMs =
            QDateTime::fromString(minutes.value("to").toString(), Qt::ISODate).toMSecsSinceEpoch()
            - QDateTime::fromString(minutes.value("from").toString(), Qt::ISODate)
                  .toMSecsSinceEpoch();
        QCOMPARE(coveredMs, perMinute.size() * 60'000);
        QCOMPARE(
            HttpClient::request(port, "GET", "/api/v1/stats/timeline?from=now-25h&bucket=minute")
                .status,
            400);

        const QJsonArray cells =
            HttpClient::request(port, "GET", "/api/v1/stats/geography?from=now-1h")
                .json()
                .object()
                .value("cells")
                .toArray();
        QCOMPARE(cells.size(), 1);
        const GridCell london = GridCell::locate(51.5074, -0.1278, 1000);
        const QJsonObject cell = cells[0].toObject();
        QCOMPARE(cell.value("requests").toInt(), 3);
        QCOMPARE(cell.value("latitude").toDouble(), london.centreLatitude);
        QCOMPARE(cell.value("bounds").toObject().value("south").toDouble(), london.south);
        QCOMPARE(cell.value("cache").toObject().value("miss").toInt(), 1);
        QCOMPARE(cell.value("cache").toObject().value("hit").toInt(), 2);

        const HttpReply geojson =
            HttpClient::request(port, "GET", "/api/v1/stats/geography?from=now-1h&format=geojson");
        QCOMPARE(geojson.header("content-type"), QByteArray("application/geo+json"));
        const QJsonObject feature =
            geojson.json().object().value("features").toArray().first().toObject();
        QCOMPARE(feature.value("geometry").toObject().value("type").toString(), u"Polygon"_s);
        const QJsonArray ring =
            feature.value("geometry").toObject().value("coordinates").toArray().first().toArray();
        QCOMPARE(ring.size(), 5);
        QCOMPARE(ring.first(), ring.last());
        QCOMPARE(feature.value("properties").toObject().value("requests").toInt(), 3);

        // No tokens without auth: callers are named by their address, as the limiter keys them.
        const QJsonArray users = HttpClient::request(port, "GET", "/api/v1/stats/users?from=now-1h")
                                     .json()
                                     .object()
                                     .value("users")
                                     .toArray();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users.first().toObject().value("subject").toString(), u"addr:127.0.0.1"_s);
        QCOMPARE(server.stop(), 0);
    }

    void geographyBytesAreTheJsonShapes()
    {
        // The answers are written without QJsonObject: they must be byte for byte what
        // QJsonDocument writes for the documented shapes (the desktop's map reads them).
        const QList<CellCount> cells = {
            {CellBounds{51.5045, -0.1278, 0.0045, 0.0072}, 1'234'567, 1'000'000, 200'000, 34'567},
            {CellBounds{-33.8688, 151.2093, 0.0045, 0.0054}, 3, 1, 2, 0},
            {CellBounds{0.0045, 179.9964, 0.0045, 0.0036}, 1, 0, 1, 0},
        };
        QJsonArray objects;
        for (const CellCount &c : cells) {
            const CellBounds &b = c.cell;
            objects.append(QJsonObject{
                {u"latitude"_s, b.latitude},
                {u"longitude"_s, b.longitude},
                {u"bounds"_s, QJsonObject{{u"south"_s, b.latitude - b.halfLatitude},
                                          {u"west"_s, b.longitude - b.halfLongitude},
                                          {u"north"_s, b.latitude + b.halfLatitude},
                                          {u"east"_s, b.longitude + b.halfLongitude}}},
                {u"requests"_s, double(c.requests)},
                {u"cache"_s, QJsonObject{{u"hit"_s, double(c.hits)},
                                         {u"miss"_s, double(c.misses)},
                                         {u"stale"_s, double(c.stale)}}},
            });
        }
        const QString from = u"2026-11-24T10:00:00Z"_s, to = u"2026-11-25T10:00:00Z"_s;
        QCOMPARE(GeographyJson::cells(cells, from, to),
                 QJsonDocument(QJsonObject{{u"from"_s, from}, {u"to"_s, to}, {u"cells"_s, objects}})
                     .toJson(QJsonDocument::Compact));
        QJsonArray features;
        for (const auto &value : std::as_const(objects)) {
            QJsonObject properties = value.toObject();
            const QJsonObject b = properties.take(u"bounds"_s).toObject();
            const double w = b.value(u"west").toDouble(), e = b.value(u"east").toDouble();
            const double s = b.value(u"south").toDouble(), n = b.value(u"north").toDouble();
            // A polygon is a list of rings. Appended, not braced: QJsonArray{ring} would copy
            // the ring rather than nest it (a braced list of one element of the same type).
            QJsonArray polygon;
            polygon.append(QJsonArray{QJsonArray{w, s}, QJsonArray{e, s}, QJsonArray{e, n},
                                      QJsonArray{w, n}, QJsonArray{w, s}});
            features.append(QJsonObject{
                {u"type"_s, u"Feature"_s},
                {u"geometry"_s,
                 QJsonObject{{u"type"_s, u"Polygon"_s}, {u"coordinates"_s, polygon}}},
                {u"properties"_s, properties},
            });
        }
        QCOMPARE(GeographyJson::featureCollection(cells),
                 QJsonDocument(
                     QJsonObject{{u"type"_s, u"FeatureCollection"_s}, {u"features"_s, features}})
                     .toJson(QJsonDocument::Compact));
        QCOMPARE(GeographyJson::cells({}, from, to),
                 QByteArray(
                     R"({"cells":[],"from":"2026-11-24T10:00:00Z","to":"2026-11-25T10:00:00Z"})"));
        QCOMPARE(GeographyJson::featureCollection({}),
                 QByteArray(R"({"features":[],"type":"FeatureCollection"})"));
    }

    void statsParametersAreChecked_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad from") << QByteArray("/api/v1/stats/summary?from=yesterday") << "from";
        QTest::newRow("zoneless time")
            << QByteArray("/api/v1/stats/summary?from=2026-11-25T10:00:00") << "from";
        QTest::newRow("to before from")
            << QByteArray("/api/v1/stats/summary?from=now-1h&to=now-2h") << "to";
        QTest::newRow("over 400 days") << QByteArray("/api/v1/stats/users?from=now-401d") << "from";
        QTest::newRow("bucket") << QByteArray("/api/v1/stats/timeline?bucket=week") << "bucket";
        QTest::newRow("format") << QByteArray("/api/v1/stats/geography?format=kml") << "format";
        QTest::newRow("limit") << QByteArray("/api/v1/stats/users?limit=0") << "limit";
        QTest::newRow("cells limit")
            << QByteArray("/api/v1/stats/geography?limit=100001") << "limit";
    }
    void statsParametersAreChecked()
    {
        QFETCH(QByteArray, target);
        QFETCH(QString, field);
        static ServerProcess server;
        if (!server.port())
            QVERIFY2(startServer(server, "params.db"), server.output().constData());
        const HttpReply reply = HttpClient::request(server.port(), "GET", target);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(reply.json().object().value("field").toString(), field);
    }

    void prometheusExpositionPassesPromtool()
    {
        const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
        QVERIFY2(!promtool.isEmpty(),
                 "promtool (Debian package prometheus) is needed: packaging/install-deps.sh");
        ServerProcess server;
        // 0 would turn the scrape port off: a port of its own, held until the test ends.
        const ReservedPort scrape(ReservedPort::Use::ForAListener);
        const quint16 scrapePort = scrape.port();
        QVERIFY2(startServer(server, "metrics.db", {"--metrics-port", QString::number(scrapePort)}),
                 server.output().constData());
        HttpClient::request(server.port(), "GET", "/prcpt?lt=40.4168&lg=-3.7038");
        HttpClient::request(server.port(), "GET", "/api/public/timeseries/themes/");
        HttpClient::request(server.port(), "GET", "/nothing");
        const HttpReply metrics = HttpClient::request(server.port(), "GET", "/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.header("content-type").startsWith("text/plain; version=0.0.4"));
        for (const char *family :
             {"isobar_http_requests_total{route=\"/prcpt\",method=\"GET\",status=\"200\"} 1",
              "isobar_http_request_duration_seconds_bucket{route=\"/prcpt\",le=\"+Inf\"} 1",
              "isobar_weather_cache_misses_total 1",
              "isobar_upstream_calls_total{endpoint=\"current\",outcome=\"ok\"} 1",
              "isobar_request_events_dropped_total 0", "isobar_request_events_queue_depth",
              "process_resident_memory_bytes", "isobar_ingest_files_total",
              "isobar_rate_limited_total",
              "isobar_response_cache_misses_total{cache=\"metrics\"} 1",
              "isobar_response_cache_evictions_total{cache=\"charts\"} 0"})
            QVERIFY2(metrics.body.contains(family), family);

        QProcess check;
        check.start(promtool, {"check", "metrics"});
        check.write(metrics.body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        const QByteArray verdict = check.readAllStandardOutput() + check.readAllStandardError();
        QVERIFY2(check.exitCode() == 0, verdict.constData());
        QVERIFY2(verdict.trimmed().isEmpty(), verdict.constData()); // not even lint warnings

        // The scrape-only port serves /metrics and nothing else.
        QCOMPARE(HttpClient::request(scrapePort, "GET", "/metrics").status, 200);
        QCOMPARE(HttpClient::request(scrapePort, "GET", "/health").status, 404);
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMonitoring)
#include "TestMonitoring.moc"
