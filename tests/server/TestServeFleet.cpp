#include "PostgresqlTestDatabase.h"
#include "RedisServer.h"
#include "TestSupport.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject health(quint16 port)
{
    return HttpClient::request(port, "GET", "/health").json().object();
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
// at start with the reason, and what a PostgreSQL store does not do yet said in /health.
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

    void aPostgresqlStoreSaysItKeepsNoRequestLog()
    {
        PostgresqlTestDatabase store;
        QVERIFY2(store.isValid(), qPrintable(store.errorString()));
        ServerProcess server;
        QVERIFY2(server.start(store.url()), server.output().constData());
        const QJsonObject requestLog = health(server.port())[u"request_log"].toObject();
        QCOMPARE(requestLog[u"status"].toString(), u"off"_s);
        QVERIFY(requestLog[u"reason"].toString().contains(u"SQLite"));
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServeFleet)
#include "TestServeFleet.moc"
