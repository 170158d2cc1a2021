#include "PostgresqlTestDatabase.h"
#include "RedisServer.h"
#include "SandboxThread.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject health(quint16 port)
{
    return HttpClient::request(port, "GET", "/health").json().object();
}

QJsonObject requestLog(quint16 port)
{
    return health(port)[u"request_log"].toObject();
}

// The requests the last hour's stats count for `route`, as one replica answers them: the whole
// fleet's, or those of `replica`.
int endpointRequests(quint16 port, const char *route, const QByteArray &replica = {})
{
    const QByteArray query = replica.isEmpty() ? QByteArray() : "&replica=" + replica;
    const QJsonArray endpoints =
        HttpClient::request(port, "GET", "/api/v1/stats/summary?from=now-1h" + query)
            .json()[u"endpoints"]
            .toArray();
    for (const auto &endpoint : endpoints) {
        if (endpoint[u"endpoint"].toString() == QLatin1String(route))
            return endpoint[u"requests"].toInt();
    }
    return 0;
}

// A GET of `target` sent from the local address `from`, so that the server sees another
// caller than the test's usual 127.0.0.1: the status and the body (0 and nothing when no answer
// came).
std::pair<int, QByteArray> getFrom(const QHostAddress &from, quint16 port, const QByteArray &target)
{
    QTcpSocket socket;
    if (!socket.bind(from))
        return {};
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(10'000))
        answer += socket.readAll();
    if (!answer.startsWith("HTTP/1.1 "))
        return {};
    return {answer.mid(9, 3).toInt(), answer.mid(answer.indexOf("\r\n\r\n") + 4)};
}

// How many of `replicas` say they run the once-only jobs.
int maintainers(std::initializer_list<const isobar::test::ServerProcess *> replicas)
{
    int count = 0;
    for (const auto *replica : replicas)
        count += requestLog(replica->port())[u"maintainer"].toBool() ? 1 : 0;
    return count;
}

// `isobar serve` with these arguments, expected to refuse them: its exit code and output.
std::pair<int, QByteArray> refusedServe(const QStringList &arguments)
{
    QProcess serve;
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.start(QString::fromUtf8(ISOBAR_BINARY),
                QStringList{u"serve"_s, u"--no-auth"_s, u"--port"_s, u"0"_s} + arguments);
    if (!serve.waitForFinished(30'000)) {
        serve.kill();
        serve.waitForFinished();
        return {-1, "still running: the arguments were not refused"};
    }
    return {serve.exitCode(), serve.readAll()};
}

} // namespace

// The fleet as `isobar serve` shows it: Redis in /health and /metrics, Redis settings refused
// at start with the reason, replicas sharing one request log on PostgreSQL, and a request log
// that outlives an outage of its store.
class TestServeFleet : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void redisIsShownAndItsLossDegradesWithoutFailing()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"fleet.db"_s), {u"--redis-url"_s, redis.url()}),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(health(server.port())[u"cache"].toObject()[u"redis"].toString(),
                                  u"ok"_s, 20'000);
        QCOMPARE(health(server.port())[u"status"].toString(), u"ok"_s);
        QVERIFY(HttpClient::request(server.port(), "GET", "/metrics")
                    .body.contains("\nisobar_redis_up 1\n"));

        redis.kill();
        QTRY_COMPARE_WITH_TIMEOUT(health(server.port())[u"cache"].toObject()[u"redis"].toString(),
                                  u"unavailable"_s, 20'000);
        const HttpReply degraded = HttpClient::request(server.port(), "GET", "/health");
        QCOMPARE(degraded.status, 200); // alive: an orchestrator must not restart it for this
        QCOMPARE(degraded.json().object()[u"status"].toString(), u"degraded"_s);
        QVERIFY(!degraded.json().object()[u"cache"].toObject()[u"error"].toString().isEmpty());

        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(health(server.port())[u"status"].toString(), u"ok"_s, 20'000);
        QCOMPARE(server.stop(), 0);
    }

    // A Redis process stopped (SIGSTOP) mid-traffic keeps its sockets open: its commands end at
    // --redis-timeout-ms, the watch routes answer from the replica's own cache or upstream
    // alone, /health says degraded, and SIGCONT brings the fleet back without a restart.
    void aStoppedRedisIsNotWaitedFor()
    {
        SandboxThread sandboxThread(u"fleet-key"_s,
                                    [] { return QDateTime::currentMSecsSinceEpoch(); });
        isobar::AccuWeatherSandbox *sandbox = sandboxThread.startSandbox();
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        constexpr int kRedisTimeoutMs = 300;
        ServerProcess server;
        server.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, u"fleet-key"_s);
        QVERIFY2(
            server.start(m_dir.filePath(u"stopped-redis.db"_s),
                         {u"--redis-url"_s, redis.url(), u"--redis-timeout-ms"_s,
                          QString::number(kRedisTimeoutMs), u"--rate-limit"_s, u"0"_s,
                          u"--accuweather-url"_s, u"http://127.0.0.1:%1"_s.arg(sandbox->port())}),
            server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(health(server.port())[u"status"].toString(), u"ok"_s, 20'000);
        auto prcpt = [](int n) -> QByteArray {
            return "/prcpt?lt=" + QByteArray::number(40 + n * 0.5, 'f', 1) + "&lg=2.35";
        };
        QCOMPARE(HttpClient::request(server.port(), "GET", prcpt(0)).status, 200); // warm

        // Requests in flight when Redis stops, then more: every one answered, none held long.
        HttpClient inFlight(server.port());
        inFlight.sendRaw("GET " + prcpt(1) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        redis.pause();
        const auto first = inFlight.readReply(10'000);
        QVERIFY(first);
        QCOMPARE(first->status, 200);
        // A few Redis round trips each (the fleet's copy, its lock), each cut at the deadline.
        constexpr qint64 kBoundMs = 4 * kRedisTimeoutMs + 2000;
        for (int n = 0; n < 6; ++n) {
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(
                HttpClient::request(server.port(), "GET", prcpt(n % 3 == 0 ? 0 : 2 + n)).status,
                200);
            QVERIFY2(timer.elapsed() < kBoundMs,
                     qPrintable(u"request %1 took %2 ms"_s.arg(n).arg(timer.elapsed())));
        }
        QTRY_COMPARE_WITH_TIMEOUT(health(server.port())[u"status"].toString(), u"degraded"_s, 5000);
        QCOMPARE(health(server.port())[u"cache"][u"redis"].toString(), u"unavailable"_s);

        redis.resume();
        QTRY_COMPARE_WITH_TIMEOUT(health(server.port())[u"status"].toString(), u"ok"_s, 20'000);
        QCOMPARE(HttpClient::request(server.port(), "GET", prcpt(20)).status, 200);
        QCOMPARE(server.stop(), 0);
    }

    void badRedisSettingsAreRefusedAtStart_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("reason");
        QTest::newRow("password in the URL")
            << QStringList{u"--redis-url"_s, u"redis://:s3cret@127.0.0.1:6379"_s}
            << u"--redis-url: the URL holds a password"_s;
        QTest::newRow("not a Redis URL") << QStringList{u"--redis-url"_s, u"http://cache"_s}
                                         << u"--redis-url: 'http://cache' is not a redis://"_s;
        QTest::newRow("unreadable password file")
            << QStringList{u"--redis-url"_s, u"redis://127.0.0.1:6379"_s,
                           u"--redis-password-file"_s, u"/nonexistent/redis-password"_s}
            << u"--redis-password-file: cannot read /nonexistent/redis-password"_s;
    }
    void badRedisSettingsAreRefusedAtStart()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        const auto [code, output] =
            refusedServe(QStringList{u"--database"_s, m_dir.filePath(u"refused.db"_s)} + arguments);
        QVERIFY2(code != 0, output.constData());
        QVERIFY2(output.contains(reason.toUtf8()), output.constData());
        QVERIFY2(!output.contains("s3cret"), output.constData());
    }

    void theRateLimitHoldsAcrossTheFleet()
    {
        // One caller spreads requests over two replicas that share Redis. Alone, each would
        // grant its own burst of 20: 40 of the first 60. Together they grant the fleet's 20,
        // and a few more that arrive while a count is on its way to Redis and back.
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        const QStringList limits = {u"--redis-url"_s, redis.url(),       u"--rate-limit"_s,
                                    u"1"_s,           u"--rate-burst"_s, u"20"_s};
        ServerProcess first, second;
        QVERIFY2(first.start(m_dir.filePath(u"rate1.db"_s), limits), first.output().constData());
        QVERIFY2(second.start(m_dir.filePath(u"rate2.db"_s), limits), second.output().constData());
        // (/health is never rate limited: polling it spends none of the caller's requests.)
        for (const ServerProcess *replica : {&first, &second})
            QTRY_COMPARE_WITH_TIMEOUT(
                health(replica->port())[u"cache"].toObject()[u"redis"].toString(), u"ok"_s, 20'000);
        // The caller comes from an address of its own, so its buckets start full.
        const QHostAddress caller(u"127.0.0.2"_s);
        int granted = 0;
        QSet<quint16> refusing;
        for (int i = 0; i < 60; ++i) {
            const quint16 port = (i % 2 ? second : first).port();
            const int status = getFrom(caller, port, "/openapi.json").first;
            if (status == 200)
                ++granted;
            else if (status == 429)
                refusing << port;
        }
        // Each replica learns that the caller is over the limit from the count of a request it
        // has already let through: a few more than the burst, never the 40 of two alone.
        QVERIFY2(granted >= 20 && granted <= 30, qPrintable(QString::number(granted)));
        QCOMPARE(refusing.size(), 2); // both replicas refuse the caller
    }

    // The fleet's promise over HTTP: a thousand watches asking at once for a cell no replica has
    // seen, half through each replica, cost one geoposition and one current-conditions call.
    void aThousandRequestsForANewCellCostOneCallOfEachKind()
    {
        SandboxThread sandboxThread(u"fleet-key"_s,
                                    [] { return QDateTime::currentMSecsSinceEpoch(); });
        isobar::AccuWeatherSandbox *sandbox = sandboxThread.startSandbox();
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        PostgresqlTestDatabase store;
        QVERIFY2(store.isValid(), qPrintable(store.errorString()));
        ServerProcess replicas[2];
        for (ServerProcess &replica : replicas) {
            replica.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, u"fleet-key"_s);
            // A Redis answer later than --redis-timeout-ms sends a replica upstream alone, as it
            // should; on a loaded CI machine 200 ms can pass, and this test is about sharing.
            QVERIFY2(replica.start(store.url(),
                                   QStringList{u"--redis-url"_s, redis.url(),
                                               u"--redis-timeout-ms"_s, u"10000"_s,
                                               u"--rate-limit"_s, u"0"_s, u"--accuweather-url"_s,
                                               u"http://127.0.0.1:%1"_s.arg(sandbox->port())}),
                     replica.output().constData());
            QTRY_COMPARE_WITH_TIMEOUT(health(replica.port())[u"cache"][u"redis"].toString(),
                                      u"ok"_s, 20'000);
        }

        // 50 connections, 20 requests pipelined on each, all written before any answer is read.
        constexpr int kConnections = 50, kPerConnection = 20;
        std::vector<std::unique_ptr<HttpClient>> clients;
        for (int c = 0; c < kConnections; ++c) {
            clients.push_back(std::make_unique<HttpClient>(replicas[c % 2].port()));
            QByteArray requests;
            for (int r = 0; r < kPerConnection; ++r)
                requests += "GET /prcpt?lt="
                            + QByteArray::number(48.8566 + (c * kPerConnection + r) * 1e-7, 'f', 7)
                            + "&lg=2.3522 HTTP/1.1\r\nHost: localhost\r\n\r\n";
            clients.back()->sendRaw(requests);
        }
        int ok = 0;
        for (const auto &client : clients) {
            for (int r = 0; r < kPerConnection; ++r) {
                const auto reply = client->readReply(60'000);
                ok += reply && reply->status == 200 ? 1 : 0;
            }
        }
        QCOMPARE(ok, kConnections * kPerConnection);
        QCOMPARE(sandbox->calls(u"geoposition"_s), 1);
        QCOMPARE(sandbox->calls(u"current"_s), 1);
    }

    void replicasOnOnePostgresqlShareTheirRequestLog()
    {
        // Two replicas on one store: each one's stats count the other's traffic too, and one
        // of them (not both) holds the once-only jobs.
        PostgresqlTestDatabase store;
        QVERIFY2(store.isValid(), qPrintable(store.errorString()));
        ServerProcess paris, oregon;
        // (Polling for new data once an hour: only PostgreSQL's word can make it known sooner.)
        QVERIFY2(paris.start(store.url(), {u"--replica-id"_s, u"paris-1"_s, u"--enable-upload"_s,
                                           u"--store-poll-ms"_s, u"3600000"_s}),
                 paris.output().constData());
        QVERIFY2(oregon.start(store.url(), {u"--replica-id"_s, u"oregon-1"_s, u"--store-poll-ms"_s,
                                            u"3600000"_s}),
                 oregon.output().constData());

        // A file loaded through one replica is served by the other at once, though the other
        // had cached the catalogue without it.
        const QByteArray themes = "/api/public/timeseries/themes/";
        QVERIFY(!HttpClient::request(oregon.port(), "GET", themes).body.contains("immunisation"));
        QFile file(sampleDataDir()
                   + u"/json/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(HttpClient::request(paris.port(), "PUT", "/api/upload?filename=6-in-1.json",
                                     file.readAll(), "Content-Type: application/json\r\n")
                     .status,
                 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            HttpClient::request(oregon.port(), "GET", themes).body.contains("immunisation"),
            10'000);
        for (int i = 0; i < 7; ++i)
            QCOMPARE(HttpClient::request(paris.port(), "GET", "/openapi.json").status, 200);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(HttpClient::request(oregon.port(), "GET", "/openapi.json").status, 200);
        for (const ServerProcess *replica : {&paris, &oregon})
            QTRY_COMPARE_WITH_TIMEOUT(endpointRequests(replica->port(), "/openapi.json"), 12,
                                      30'000);
        // Either replica answers for one of them when asked.
        QCOMPARE(endpointRequests(paris.port(), "/openapi.json", "oregon-1"), 5);
        QCOMPARE(endpointRequests(oregon.port(), "/openapi.json", "paris-1"), 7);
        QTRY_COMPARE_WITH_TIMEOUT(maintainers({&paris, &oregon}), 1, 30'000);

        // The maintainer dies without a goodbye: what it recorded stays, and the other replica
        // takes the once-only jobs over.
        const bool parisMaintains = requestLog(paris.port())[u"maintainer"].toBool();
        ServerProcess &dead = parisMaintains ? paris : oregon;
        ServerProcess &survivor = parisMaintains ? oregon : paris;
        QCOMPARE(::kill(pid_t(dead.processId()), SIGKILL), 0);
        QTRY_VERIFY_WITH_TIMEOUT(requestLog(survivor.port())[u"maintainer"].toBool(), 30'000);
        QCOMPARE(endpointRequests(survivor.port(), "/openapi.json"), 12);
        QCOMPARE(survivor.stop(), 0);
    }

    void theRequestLogWaitsForItsStoreAndCatchesUp()
    {
        PostgresqlTestDatabase store;
        QVERIFY2(store.isValid(), qPrintable(store.errorString()));
        ServerProcess server;
        QVERIFY2(server.start(store.url()), server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(requestLog(server.port())[u"maintainer"].toBool(), true, 30'000);

        QVERIFY2(store.setReachable(false), qPrintable(store.errorString()));
        // The store is gone: /health says so (503), the watch routes still answer, and the
        // request log keeps what it cannot write.
        for (int i = 0; i < 9; ++i)
            QCOMPARE(HttpClient::request(server.port(), "GET", "/openapi.json").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(requestLog(server.port())[u"status"].toString(), u"behind"_s,
                                  30'000);
        QCOMPARE(HttpClient::request(server.port(), "GET", "/health").status, 503);
        QVERIFY(requestLog(server.port())[u"queued"].toInt() >= 9);
        QCOMPARE(requestLog(server.port())[u"maintainer"].toBool(), false);

        QVERIFY2(store.setReachable(true), qPrintable(store.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(requestLog(server.port())[u"status"].toString(), u"on"_s, 60'000);
        QTRY_COMPARE_WITH_TIMEOUT(endpointRequests(server.port(), "/openapi.json"), 9, 30'000);
        QCOMPARE(HttpClient::request(server.port(), "GET", "/health").status, 200);

        // The server's own connection is back too: an ingest by another process reaches the
        // answers it had cached after the outage.
        const QByteArray themes = "/api/public/timeseries/themes/";
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::request(server.port(), "GET", themes).status, 200,
                                  30'000);
        QVERIFY(!HttpClient::request(server.port(), "GET", themes).body.contains("immunisation"));
        QByteArray output;
        QCOMPARE(
            runIngest(store.url(),
                      {sampleDataDir()
                       + u"/json/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json"_s},
                      &output),
            0);
        QTRY_VERIFY_WITH_TIMEOUT(
            HttpClient::request(server.port(), "GET", themes).body.contains("immunisation"),
            10'000);
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServeFleet)
#include "TestServeFleet.moc"
