// What an orchestrator and a log shipper see of a real `isobar serve`: three probes on their
// own paths (start-up waits for the first signing-key fetch, readiness for the keys, and
// readiness ends at SIGTERM while requests are still answered for --shutdown-delay-ms), the
// `isobar healthcheck` command a container runs, and --log-format json: every line of output
// one JSON event, with no stray warning among them.

#include "OidcTestProvider.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace isobar::test;

namespace {

constexpr int kWaitMs = 20000;

QJsonObject probe(quint16 port, const QByteArray &path, int *status = nullptr)
{
    const HttpReply reply = HttpClient::request(port, "GET", path);
    if (status)
        *status = reply.status;
    return reply.json().object();
}

int status(quint16 port, const QByteArray &path)
{
    int code = 0;
    probe(port, path, &code);
    return code;
}

IsobarRun healthcheck(const QStringList &arguments)
{
    return runIsobar(QStringList{u"healthcheck"_s} + arguments);
}

} // namespace

class TestReplicaProbes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void eachProbeAnswersOnItsOwnPath()
    {
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"plain.db"_s)), server.output().constData());
        QCOMPARE(probe(server.port(), "/livez")[u"status"].toString(), u"alive"_s);
        QCOMPARE(probe(server.port(), "/startupz")[u"status"].toString(), u"started"_s);
        QCOMPARE(probe(server.port(), "/readyz")[u"status"].toString(), u"ready"_s);
        const HttpReply metrics = HttpClient::request(server.port(), "GET", "/metrics");
        QVERIFY2(metrics.body.contains("\nisobar_ready 1\n"), metrics.body.constData());
        QCOMPARE(server.stop(), 0);
    }

    // Until its keys arrive a replica cannot check a token: it has not finished starting while
    // the first fetch is under way, and it takes no traffic until it holds keys; alive it is.
    void startupAndReadinessWaitForTheSigningKeys()
    {
        TokenSigner signer;
        OidcTestProvider provider(signer);
        QVERIFY(provider.start());
        provider.holdJwks();
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"keys.db"_s),
                              {"--oidc-issuer", provider.issuer(), "--oidc-audience", "isobar"}),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(provider.heldJwksRequests(), 1, kWaitMs);

        QCOMPARE(status(server.port(), "/livez"), 200);
        int code = 0;
        QJsonObject startup = probe(server.port(), "/startupz", &code);
        QCOMPARE(code, 503);
        QCOMPARE(startup[u"status"].toString(), u"starting"_s);
        const QJsonObject ready = probe(server.port(), "/readyz", &code);
        QCOMPARE(code, 503);
        QVERIFY2(ready[u"reasons"].toArray().first().toString().contains(u"signing keys"),
                 QJsonDocument(ready).toJson().constData());
        QCOMPARE(healthcheck({u"--port"_s, QString::number(server.port())}).exitCode, 1);

        provider.releaseJwks();
        QTRY_COMPARE_WITH_TIMEOUT(status(server.port(), "/readyz"), 200, kWaitMs);
        QCOMPARE(status(server.port(), "/startupz"), 200);
        const IsobarRun ok = healthcheck({u"--port"_s, QString::number(server.port())});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.output.contains("/readyz: 200"), ok.output.constData());
        QCOMPARE(server.stop(), 0);
    }

    // Kubernetes stops sending traffic some time after it sends SIGTERM: the replica says it is
    // not ready at once and still answers, then drains and exits 0.
    void shutdownTurnsReadinessOffAndKeepsServingForTheDelay()
    {
        constexpr int kDelayMs = 8000; // far longer than the checks below take, even loaded
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"drain.db"_s),
                              {"--shutdown-delay-ms", QString::number(kDelayMs)}),
                 server.output().constData());
        HttpClient keptAlive(server.port());
        QVERIFY(keptAlive.isConnected());
        ::kill(pid_t(server.processId()), SIGTERM);
        QTRY_COMPARE_WITH_TIMEOUT(status(server.port(), "/readyz"), 503, kWaitMs);
        const QJsonObject ready = probe(server.port(), "/readyz");
        QCOMPARE(ready[u"reasons"].toArray(), QJsonArray{u"shutting down"_s});
        // New connections and kept-alive ones are both still answered.
        QCOMPARE(status(server.port(), "/openapi.json"), 200);
        keptAlive.sendRaw("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::optional<HttpReply> reply = keptAlive.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(server.stop(kDelayMs + kWaitMs), 0);
        QVERIFY2(server.output().contains("event=shutting_down delay_ms=8000"),
                 server.output().constData());
    }

    void healthcheckFailsWhenNothingAnswers()
    {
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"gone.db"_s)), server.output().constData());
        const QString port = QString::number(server.port());
        QCOMPARE(healthcheck({u"--port"_s, port, u"--path"_s, u"/livez"_s}).exitCode, 0);
        QCOMPARE(healthcheck({u"--port"_s, port, u"--path"_s, u"/no-such-probe"_s}).exitCode, 1);
        QCOMPARE(healthcheck({u"--port"_s, port, u"--path"_s, u"livez"_s}).exitCode, 2);
        QCOMPARE(server.stop(), 0);
        const IsobarRun refused = healthcheck({u"--port"_s, port});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.output.contains("refused"), refused.output.constData());
    }

    void jsonLogsAreOneEventPerLine()
    {
        ServerProcess server;
        // As in a container: no login session, so no XDG_RUNTIME_DIR.
        server.setEnvironmentVariable(u"XDG_RUNTIME_DIR"_s, QString());
        QVERIFY2(server.start(m_dir.filePath(u"json.db"_s), {"--log-format", "json", "--access-log",
                                                             "true", "--replica-id", "eu-paris-7"}),
                 server.output().constData());
        QCOMPARE(
            HttpClient::request(server.port(), "GET", "/livez", {}, "X-Request-Id: trace-42\r\n")
                .status,
            200);
        QCOMPARE(HttpClient::request(server.port(), "GET", "/no/such/route", {},
                                     "X-Request-Id: not an id\r\n")
                     .status,
                 404);
        QCOMPARE(server.stop(), 0);

        QList<QJsonObject> requests;
        const QList<QByteArray> lines = server.output().trimmed().split('\n');
        QVERIFY(lines.size() >= 4);
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonObject event = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError && !event.isEmpty(), line.constData());
            for (const char *field : {"time", "level", "category", "replica", "event"})
                QVERIFY2(event.contains(QLatin1String(field)), line.constData());
            QCOMPARE(event[u"replica"].toString(), u"eu-paris-7"_s);
            if (event[u"event"].toString() == u"request")
                requests << event;
        }
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0][u"request_id"].toString(), u"trace-42"_s);
        QCOMPARE(requests[0][u"route"].toString(), u"/livez"_s);
        QCOMPARE(requests[0][u"status"].toInt(), 200);
        QVERIFY(requests[0][u"duration_ms"].isDouble());
        QCOMPARE(requests[0][u"user"].toString(), u"-"_s);
        QCOMPARE(requests[1][u"status"].toInt(), 404);
        QCOMPARE(requests[1][u"path"].toString(), u"/no/such/route"_s);
        QCOMPARE(requests[1][u"route"].toString(), u"(unmatched)"_s); // as /metrics counts it
        // A header that is not an id is not copied into the logs; the request gets its own.
        QVERIFY(!requests[1][u"request_id"].toString().contains(u' '));
        QVERIFY(!requests[1][u"request_id"].toString().isEmpty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestReplicaProbes)
#include "TestReplicaProbes.moc"
