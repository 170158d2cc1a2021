// The OpenID Connect provider misbehaving under a running `isobar serve`, through a relay that
// injects the fault (support/FaultProxy) in front of its JWKS: slow, silent, refusing, and down
// from the server's start. Tokens signed by keys the server holds keep being accepted without
// waiting for the provider, an unknown kid is refused at once, /health and /readyz say what the
// keys are, and a server that started without keys gets them once the provider is back.
#include "FaultProxy.h"
#include "OidcTestProvider.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

const QString kAudience = u"isobar-api"_s;
// Auth passed, then the handler refused the position: the token was accepted, nothing upstream.
const QByteArray kWatchTarget = "/prcpt?lt=north&lg=0";
// Far below the provider's faults (a 1.5 s delay each way, silence, the key refresh's 5 s
// deadline): an answer this fast did not wait for the provider. Slack for a parallel run.
constexpr qint64 kPromptMs = 1000;

struct TimedReply {
    HttpReply reply;
    qint64 elapsedMs;
};

TimedReply timedGet(quint16 port, const QByteArray &target, const QByteArray &token = {})
{
    QElapsedTimer timer;
    timer.start();
    HttpReply reply = HttpClient::request(
        port, "GET", target, {},
        token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n");
    return {std::move(reply), timer.elapsed()};
}

QJsonObject authHealth(quint16 port)
{
    return HttpClient::request(port, "GET", "/health").json()[u"auth"].toObject();
}

} // namespace

class TestAuthProviderFaults : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    TokenSigner m_signer;
    std::unique_ptr<OidcTestProvider> m_provider;
    // One relay and server whose keys were fetched before the faults, one whose provider was
    // down from its start.
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<FaultProxy> m_downAtStartProxy;
    ServerProcess m_server;
    ServerProcess m_downAtStart;

    // A token no server has verified yet (a new jti), so it is checked against the keys.
    QByteArray freshToken(const QString &kid = u"rsa-1"_s) const
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{"iss", m_provider->issuer()},
                                 {"aud", kAudience},
                                 {"sub", "watch-0042"},
                                 {"scope", "weather:read"},
                                 {"jti", QUuid::createUuid().toString()},
                                 {"iat", double(now - 10)},
                                 {"exp", double(now + 600)}};
        return m_signer.signRs256(claims, kid);
    }

    bool startServer(ServerProcess &server, const FaultProxy &proxy, const QString &name)
    {
        return server.start(m_dir.filePath(name),
                            {u"--oidc-issuer"_s, m_provider->issuer(), u"--oidc-audience"_s,
                             kAudience, u"--oidc-jwks-url"_s,
                             u"http://127.0.0.1:%1/jwks.json"_s.arg(proxy.port()),
                             u"--rate-limit"_s, u"0"_s});
    }

    // Tokens of known keys and the probes, answered without the provider.
    void expectKnownKeysServed(const char *fault)
    {
        const TimedReply known = timedGet(m_server.port(), kWatchTarget, freshToken());
        QCOMPARE(known.reply.status, 400);
        QVERIFY2(known.elapsedMs < kPromptMs,
                 qPrintable(u"%1: a known key took %2 ms"_s.arg(fault).arg(known.elapsedMs)));
        const TimedReply health = timedGet(m_server.port(), "/health");
        QCOMPARE(health.reply.status, 200);
        QVERIFY(health.elapsedMs < kPromptMs);
        QCOMPARE(health.reply.json()[u"auth"][u"signing_keys"].toInt(), 2);
        QCOMPARE(timedGet(m_server.port(), "/readyz").reply.status, 200);
    }

    // Within 30 s of the last refresh an unknown kid asks nothing of the provider.
    void expectUnknownKidRefusedAtOnce(const char *fault)
    {
        expectKnownKeysServed(fault);
        const TimedReply unknown =
            timedGet(m_server.port(), kWatchTarget, freshToken(u"rotated-away"_s));
        QCOMPARE(unknown.reply.status, 401);
        QVERIFY2(unknown.elapsedMs < kPromptMs,
                 qPrintable(u"%1: an unknown kid took %2 ms"_s.arg(fault).arg(unknown.elapsedMs)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_provider = std::make_unique<OidcTestProvider>(m_signer);
        QVERIFY(m_provider->start());
        m_proxy = std::make_unique<FaultProxy>(m_provider->port());
        m_downAtStartProxy = std::make_unique<FaultProxy>(m_provider->port());
        QVERIFY(m_proxy->start() > 0);
        QVERIFY(m_downAtStartProxy->start() > 0);
        m_downAtStartProxy->setRefusing(true);
        QVERIFY2(startServer(m_server, *m_proxy, u"keys.db"_s), m_server.output().constData());
        QVERIFY2(startServer(m_downAtStart, *m_downAtStartProxy, u"no-keys.db"_s),
                 m_downAtStart.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(authHealth(m_server.port())[u"signing_keys"].toInt(), 2, 20'000);
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_server.stop(), 0);
        QCOMPARE(m_downAtStart.stop(), 0);
    }

    void aSlowProviderIsNotWaitedFor()
    {
        m_proxy->setDelay(1500);
        expectUnknownKidRefusedAtOnce("slow");
        m_proxy->setDelay(0);
    }

    void aSilentProviderIsNotWaitedFor()
    {
        m_proxy->setSilent(true);
        expectUnknownKidRefusedAtOnce("silent");
        m_proxy->setSilent(false);
    }

    void aProviderThatRefusesIsNotWaitedFor()
    {
        m_proxy->setRefusing(true);
        expectUnknownKidRefusedAtOnce("refusing");
        m_proxy->setRefusing(false);
    }

    // No keys: every token is refused at once, /health and /readyz say so; once the provider is
    // back the next refresh an unknown kid may ask for (at most one per 30 s) brings the keys.
    void keysArriveWhenAProviderDownAtStartIsBack()
    {
        QTRY_COMPARE_WITH_TIMEOUT(authHealth(m_downAtStart.port())[u"last_refresh"].toString(),
                                  u"failed"_s, 10'000);
        QCOMPARE(authHealth(m_downAtStart.port())[u"signing_keys"].toInt(), 0);
        QCOMPARE(timedGet(m_downAtStart.port(), "/readyz").reply.status, 503);
        const TimedReply refused = timedGet(m_downAtStart.port(), kWatchTarget, freshToken());
        QCOMPARE(refused.reply.status, 401);
        QVERIFY2(refused.elapsedMs < kPromptMs, qPrintable(QString::number(refused.elapsedMs)));

        m_downAtStartProxy->setRefusing(false);
        QTRY_COMPARE_WITH_TIMEOUT(
            timedGet(m_downAtStart.port(), kWatchTarget, freshToken()).reply.status, 400, 40'000);
        const QJsonObject auth = authHealth(m_downAtStart.port());
        QCOMPARE(auth[u"signing_keys"].toInt(), 2);
        QCOMPARE(auth[u"last_refresh"].toString(), u"ok"_s);
        QCOMPARE(timedGet(m_downAtStart.port(), "/readyz").reply.status, 200);
    }

    // Past the 30 s between refreshes (the test above waited them out), an unknown kid asks the
    // silent provider: that request waits for the refresh's deadline (5 s), no longer, and
    // meanwhile known keys and the probes are answered at once.
    void anUnknownKidWaitsForASilentProviderOnlyUntilTheDeadline()
    {
        constexpr qint64 kRefreshDeadlineMs = 5000;
        const int failures = authHealth(m_server.port())[u"key_refresh_failures"].toInt();
        m_proxy->setSilent(true);
        QElapsedTimer timer;
        timer.start();
        HttpClient waiting(m_server.port());
        waiting.sendRaw("GET " + kWatchTarget + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + freshToken(u"rotated-in"_s) + "\r\n\r\n");
        expectKnownKeysServed("silent, a refresh waiting");
        const auto refused = waiting.readReply(kRefreshDeadlineMs * 3);
        const qint64 elapsedMs = timer.elapsed();
        m_proxy->setSilent(false);
        QVERIFY(refused);
        QCOMPARE(refused->status, 401);
        QVERIFY2(elapsedMs < kRefreshDeadlineMs + 3000, qPrintable(QString::number(elapsedMs)));
        const QJsonObject auth = authHealth(m_server.port());
        QCOMPARE(auth[u"key_refresh_failures"].toInt(), failures + 1);
        QCOMPARE(auth[u"last_refresh"].toString(), u"failed"_s);
        expectKnownKeysServed("after a failed refresh"); // a failed refresh keeps the keys
    }
};

QTEST_GUILESS_MAIN(TestAuthProviderFaults)
#include "TestAuthProviderFaults.moc"
