// A PostgreSQL store that misbehaves under a running `isobar serve`, through a relay that
// injects the fault (support/FaultProxy): a server that stays connected and says nothing (paused,
// swapping, a black-holing route), one that answers slowly, one that refuses and resets. Each:
// the documented answer within its time (503 with Retry-After on the metrics routes, /health
// saying what is wrong within a probe's time), the routes that need no store unaffected, and
// recovery without a restart once the store is back.
#include "FaultProxy.h"
#include "PostgresqlTestDatabase.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kThemes = "/api/public/timeseries/themes/";
constexpr int kQueryTimeoutMs = 1500;
// The server's grace past the query timeout before it cuts a silent connection, plus this
// machine's scheduling under a parallel test run.
constexpr int kSlackMs = 3000;

struct TimedReply {
    HttpReply reply;
    qint64 elapsedMs;
};

TimedReply timedGet(quint16 port, const QByteArray &target)
{
    QElapsedTimer timer;
    timer.start();
    HttpReply reply = HttpClient::request(port, "GET", target);
    return {std::move(reply), timer.elapsed()};
}

QString storeError(const HttpReply &health)
{
    return health.json()[u"database"].toObject()[u"error"].toString();
}

} // namespace

class TestStoreFaults : public QObject
{
    Q_OBJECT
    PostgresqlTestDatabase m_store;
    std::unique_ptr<FaultProxy> m_proxy;
    ServerProcess m_server;

    void expectStoreDown(const char *why)
    {
        const TimedReply metrics = timedGet(m_server.port(), kThemes);
        QCOMPARE(metrics.reply.status, 503);
        QVERIFY(!metrics.reply.header("Retry-After").isEmpty());
        QVERIFY2(metrics.elapsedMs < kQueryTimeoutMs + kSlackMs,
                 qPrintable(u"%1: answered after %2 ms"_s.arg(why).arg(metrics.elapsedMs)));

        // Probes answer within their own time, whatever the readers wait for.
        const TimedReply health = timedGet(m_server.port(), "/health");
        QCOMPARE(health.reply.status, 503);
        QVERIFY2(!storeError(health.reply).isEmpty(), health.reply.body.constData());
        QVERIFY2(health.elapsedMs < kSlackMs,
                 qPrintable(u"%1: /health after %2 ms"_s.arg(why).arg(health.elapsedMs)));
        QCOMPARE(timedGet(m_server.port(), "/readyz").reply.status, 503);

        // What needs no store is served as before.
        const TimedReply openApi = timedGet(m_server.port(), "/openapi.json");
        QCOMPARE(openApi.reply.status, 200);
        QVERIFY(openApi.elapsedMs < kSlackMs);
    }

    void expectRecovered()
    {
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::request(m_server.port(), "GET", kThemes).status, 200,
                                  20'000);
        QVERIFY(HttpClient::request(m_server.port(), "GET", kThemes).body.contains("immunisation"));
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::request(m_server.port(), "GET", "/health").status,
                                  200, 20'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_store.isValid(), qPrintable(m_store.errorString()));
        QCOMPARE(
            runIngest(m_store.url(),
                      {sampleDataDir()
                       + u"/json/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json"_s}),
            0);
        QUrl proxied(m_store.url());
        m_proxy = std::make_unique<FaultProxy>(quint16(proxied.port()));
        proxied.setPort(m_proxy->start());
        QVERIFY(proxied.port() > 0);
        // No response cache: every request below reads the store.
        QVERIFY2(m_server.start(proxied.toString(),
                                {u"--response-cache-entries"_s, u"0"_s, u"--query-timeout-ms"_s,
                                 QString::number(kQueryTimeoutMs), u"--query-threads"_s, u"2"_s}),
                 m_server.output().constData());
        QCOMPARE(HttpClient::request(m_server.port(), "GET", kThemes).status, 200);
    }

    void cleanupTestCase()
    {
        const int code = m_server.stop();
        QVERIFY2(code == 0, m_server.output().constData());
    }

    void aSilentStoreIsNotWaitedFor()
    {
        m_proxy->setSilent(true);
        expectStoreDown("silent");
        // More readers than query threads: each is cut in turn, none waits for ever.
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 4; ++i)
            QCOMPARE(HttpClient::request(m_server.port(), "GET", kThemes).status, 503);
        QVERIFY2(timer.elapsed() < qint64(4) * (kQueryTimeoutMs + kSlackMs),
                 qPrintable(QString::number(timer.elapsed())));
        m_proxy->setSilent(false);
        expectRecovered();
    }

    void aSlowStoreIsWaitedFor()
    {
        constexpr int kDelayMs = 100; // each way, for each of the request's round trips
        m_proxy->setDelay(kDelayMs);
        const TimedReply slow = timedGet(m_server.port(), kThemes);
        m_proxy->setDelay(0);
        QCOMPARE(slow.reply.status, 200);
        QVERIFY(slow.elapsedMs >= kDelayMs);
        QCOMPARE(HttpClient::request(m_server.port(), "GET", "/health").status, 200);
    }

    void aStoreThatRefusesIsReportedAtOnce()
    {
        m_proxy->setRefusing(true);
        expectStoreDown("refused");
        QVERIFY(storeError(HttpClient::request(m_server.port(), "GET", "/health"))
                    .contains(u"connect"_s, Qt::CaseInsensitive));
        m_proxy->setRefusing(false);
        expectRecovered();
    }
};

QTEST_GUILESS_MAIN(TestStoreFaults)
#include "TestStoreFaults.moc"
