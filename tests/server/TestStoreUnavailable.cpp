// A store that cannot be read is an error everywhere the server answers from it: 503
// problem+json with Retry-After, never 200 with nothing; /health fails and names the cause;
// and once the store is readable again the same server answers again, without a restart.

#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "ServerThread.h"
#include "TestSupport.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

class TestStoreUnavailable : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<ServerThread> m_server;

    // What a damaged store looks like to a reader: the tables it reads are gone.
    void renameTables(const char *from, const char *to)
    {
        MetricsDatabase db;
        QVERIFY2(db.open(m_path), qPrintable(db.errorString()));
        QSqlQuery rename(db.connection());
        for (const char *table : {"theme", "store_state", "rollup_endpoint"}) {
            const QString sql = u"ALTER TABLE %1%2 RENAME TO %1%3"_s.arg(
                QLatin1String(table), QLatin1String(from), QLatin1String(to));
            QVERIFY2(rename.exec(sql), qPrintable(rename.lastQuery()));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"store.db"_s);
        MetricsDatabase db;
        QVERIFY2(db.open(m_path), qPrintable(db.errorString()));
        QCOMPARE(Ingestor(db.connection()).ingest({fixturesDir() + u"/metrics"_s}).filesFailed(),
                 0);
        ServerConfig config;
        config.port = 0;
        config.databasePath = m_path;
        config.auth.enabled = false;
        config.captureRequests = false; // the request log would need the renamed tables
        config.responseCacheEntries = 0;
        m_server = std::make_unique<ServerThread>(config);
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    }

    void cleanupTestCase()
    {
        QSignalSpy stopped(m_server.get(), &ServerThread::stopped);
        m_server->stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 30'000);
    }

    void unreadableStoreAnswers503ThenRecovers_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("themes") << QByteArray("/api/public/timeseries/themes/");
        QTest::newRow("catalogue") << QByteArray("/api/v1/catalogue");
        QTest::newRow("stats summary") << QByteArray("/api/v1/stats/summary");
        QTest::newRow("health") << QByteArray("/health");
        QTest::newRow("UKHSA's readiness probe") << QByteArray("/.well-known/health-check/");
    }

    void unreadableStoreAnswers503ThenRecovers()
    {
        QFETCH(QByteArray, target);
        const quint16 port = m_server->port();
        QCOMPARE(HttpClient::request(port, "GET", target).status, 200);

        renameTables("", "_gone");
        const HttpReply broken = HttpClient::request(port, "GET", target);
        renameTables("_gone", ""); // before any check can stop the test
        QCOMPARE(broken.status, 503);
        if (target == "/health") {
            const QJsonObject database = broken.json().object().value(u"database").toObject();
            QCOMPARE(database.value(u"status").toString(), u"unavailable"_s);
            QVERIFY(database.value(u"error").toString().contains(u"store_state"));
        } else if (target.startsWith("/.well-known/")) {
            QVERIFY(broken.body.isEmpty()); // UKHSA's probes answer with their status alone
        } else {
            QCOMPARE(broken.header("content-type"), QByteArray("application/problem+json"));
            QCOMPARE(broken.header("retry-after"), QByteArray("5"));
            QVERIFY2(broken.json().object().value(u"detail").toString().startsWith(
                         u"the metrics store cannot be read: "),
                     broken.body.constData());
        }

        QCOMPARE(HttpClient::request(port, "GET", target).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestStoreUnavailable)
#include "TestStoreUnavailable.moc"
