#include "OidcTestProvider.h"
#include "TestSupport.h"
#include "auth/OidcKeyProvider.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>
#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kAudience = u"isobar-api"_s;
// Auth passed, then the handler refused the position: proves the token was accepted without
// making an upstream call.
const QByteArray kWatchTarget = "/prcpt?lt=north&lg=0";
const QByteArray kCsvHeader = "parent_theme,child_theme,topic,geography_type,geography,metric_name,"
                              "stratum,sex,period,year,epiweek,date,metric_value\n";

qint64 now()
{
    return QDateTime::currentSecsSinceEpoch();
}

QByteArray bearer(const QByteArray &token)
{
    return "Authorization: Bearer " + token + "\r\n";
}

// GET requests sent at once, each on its own connection, answered in any order while the
// test's event loop turns.
class ConcurrentGets
{
public:
    bool send(quint16 port, const QByteArray &target, const QByteArray &headers)
    {
        auto &socket = m_sockets.emplace_back(std::make_unique<QTcpSocket>());
        m_received.append(QByteArray());
        socket->connectToHost(QHostAddress::LocalHost, port);
        if (!socket->waitForConnected(5000))
            return false;
        socket->write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      + headers + "\r\n");
        return socket->waitForBytesWritten(5000);
    }

    // Requests whose answer has been read to the end (the server closes after it).
    int answered()
    {
        int count = 0;
        for (size_t i = 0; i < m_sockets.size(); ++i) {
            m_received[qsizetype(i)] += m_sockets[i]->readAll();
            if (m_sockets[i]->state() == QAbstractSocket::UnconnectedState
                && m_received[qsizetype(i)].startsWith("HTTP/1.1 "))
                ++count;
        }
        return count;
    }

    QList<int> statuses() const
    {
        QList<int> statuses;
        for (const QByteArray &received : m_received)
            statuses << received.mid(9, 3).toInt();
        return statuses;
    }

private:
    std::vector<std::unique_ptr<QTcpSocket>> m_sockets;
    QList<QByteArray> m_received;
};

} // namespace

class TestServeAuth : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    TokenSigner m_signer;
    std::unique_ptr<OidcTestProvider> m_provider;
    ServerProcess m_server;

    QJsonObject claims(const QString &scope = u"weather:read"_s) const
    {
        return QJsonObject{
            {"iss", m_provider->issuer()}, {"aud", QJsonArray{kAudience, "another-api"}},
            {"sub", "watch-0042"},         {"scope", scope},
            {"iat", double(now() - 10)},   {"nbf", double(now() - 10)},
            {"exp", double(now() + 600)}};
    }
    QStringList authArguments() const
    {
        return {"--oidc-issuer", m_provider->issuer(), "--oidc-audience", kAudience};
    }
    HttpReply get(quint16 port, const QByteArray &target, const QByteArray &token)
    {
        return HttpClient::request(port, "GET", target, {},
                                   token.isNull() ? QByteArray() : bearer(token));
    }
    static void verifyInvalidToken(const HttpReply &reply)
    {
        QCOMPARE(reply.status, 401);
        QVERIFY2(reply.header("www-authenticate").contains("Bearer")
                     && reply.header("www-authenticate").contains("error=\"invalid_token\""),
                 reply.header("www-authenticate").constData());
        // One answer for every failure: nothing says which check failed.
        for (const char *hint : {"expired", "signature", "issuer", "audience", "kid", "alg"})
            QVERIFY2(!reply.body.toLower().contains(hint), reply.body.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_provider = std::make_unique<OidcTestProvider>(m_signer);
        QVERIFY(m_provider->start());
        // No rate limit here: the suite sends more bad tokens from one address than a real
        // client could (badTokensAreThrottledBeforeVerifying and rateLimitPerCaller test it).
        QVERIFY2(m_server.start(m_dir.filePath("auth.db"),
                                authArguments() + QStringList{"--rate-limit", "0"}),
                 m_server.output().constData());
    }

    void refusesToStartWithoutIssuer()
    {
        const IsobarRun run =
            runIsobar({"serve", "--port", "0", "--database", m_dir.filePath("none.db")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("--oidc-issuer") && run.output.contains("--no-auth"),
                 run.output.constData());
    }

    void refusesPlainHttpIssuerOffLoopback()
    {
        const IsobarRun run = runIsobar(
            {"serve", "--port", "0", "--database", m_dir.filePath("none.db"), "--oidc-issuer",
             "http://idp.example.com/realms/isobar", "--oidc-audience", kAudience});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("must use https"), run.output.constData());
    }

    void noAuthIsLoud()
    {
        ServerProcess open;
        QVERIFY2(open.start(m_dir.filePath("open.db"), {"--no-auth"}), open.output().constData());
        QVERIFY2(open.output().contains("event=auth_disabled"), open.output().constData());
        const HttpReply health = get(open.port(), "/health", {});
        QCOMPARE(health.status, 200);
        const QJsonObject auth = health.json().object().value("auth").toObject();
        QCOMPARE(auth.value("mode").toString(), u"disabled"_s);
        QVERIFY(auth.value("warning").toString().contains("--no-auth"));
        QCOMPARE(get(open.port(), kWatchTarget, {}).status, 400); // open: straight to the handler
    }

    void validTokensPass_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("RS256") << m_signer.signRs256(claims());
        QTest::newRow("ES256") << m_signer.signEs256(claims());
        QJsonObject scp = claims();
        scp.remove("scope");
        scp.insert("scp", QJsonArray{"openid", "weather:read"});
        QTest::newRow("scp array") << m_signer.signRs256(scp);
        QJsonObject single = claims();
        single.insert("aud", kAudience);
        QTest::newRow("aud as a string") << m_signer.signRs256(single);
        QTest::newRow("typ at+jwt")
            << m_signer.signRs256(claims(), "rsa-1", QJsonObject{{"typ", "at+jwt"}});
    }
    void validTokensPass()
    {
        QFETCH(QByteArray, token);
        const HttpReply reply = get(m_server.port(), kWatchTarget, token);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.body.contains("lt"));
    }

    void invalidTokensAreRejected_data()
    {
        QTest::addColumn<QByteArray>("token");
        QJsonObject c = claims();
        QTest::newRow("missing token") << QByteArray();
        QTest::newRow("alg none") << TokenSigner::unsignedToken(c);
        QTest::newRow("HS256 keyed with the RSA public key")
            << TokenSigner::signHs256(c, m_signer.rsaPublicKeyPem(), "rsa-1");
        QTest::newRow("unknown kid") << m_signer.signRs256(c, "rsa-rotated-away");
        const QByteArray good = m_signer.signRs256(c);
        QByteArray badSignature = good;
        badSignature[badSignature.size() - 5] =
            badSignature.at(badSignature.size() - 5) == 'A' ? 'B' : 'A';
        QTest::newRow("bad signature") << badSignature;
        QJsonObject elevated = c;
        elevated.insert("sub", "admin");
        const QList<QByteArray> parts = good.split('.');
        QTest::newRow("tampered payload")
            << parts[0] + '.'
                   + TokenSigner::base64Url(QJsonDocument(elevated).toJson(QJsonDocument::Compact))
                   + '.' + parts[2];
        QTest::newRow("signature from the other key")
            << parts[0] + '.' + parts[1] + '.' + m_signer.signEs256(c).split('.')[2];
        QJsonObject wrongIssuer = c;
        wrongIssuer.insert("iss", QString(m_provider->issuer() + "/other"));
        QTest::newRow("wrong issuer") << m_signer.signRs256(wrongIssuer);
        QJsonObject wrongAudience = c;
        wrongAudience.insert("aud", "someone-else");
        QTest::newRow("wrong audience") << m_signer.signRs256(wrongAudience);
        QJsonObject expired = c;
        expired.insert("exp", double(now() - 3600));
        QTest::newRow("expired") << m_signer.signRs256(expired);
        QJsonObject early = c;
        early.insert("nbf", double(now() + 3600));
        QTest::newRow("not yet valid") << m_signer.signRs256(early);
        QJsonObject future = c;
        future.insert("iat", double(now() + 3600));
        QTest::newRow("issued in the future") << m_signer.signRs256(future);
        QTest::newRow("wrong typ")
            << m_signer.signRs256(c, "rsa-1", QJsonObject{{"typ", "id+jwt"}});
        QTest::newRow("malformed base64") << QByteArray("eyJhbGciOi***.e30.c2ln");
        QTest::newRow("malformed JSON")
            << TokenSigner::base64Url("{\"alg\":") + '.' + TokenSigner::base64Url("{}") + ".c2ln";
        QTest::newRow("two parts") << parts[0] + '.' + parts[1];
        // RFC 7515: a crit extension the recipient does not understand refuses the token, and
        // segments are unpadded base64url.
        QTest::newRow("crit names an unknown extension") << m_signer.signRs256(
            c, "rsa-1",
            QJsonObject{{"crit", QJsonArray{"urn:example:x"}}, {"urn:example:x", true}});
        QTest::newRow("cty: a nested token")
            << m_signer.signRs256(c, "rsa-1", QJsonObject{{"cty", "JWT"}});
        QByteArray padded = good;
        while ((padded.size() - padded.lastIndexOf('.') - 1) % 4 != 0)
            padded += '=';
        QTest::newRow("padded signature") << padded;
        // Each registered claim of another JSON type than RFC 7519's is refused, not ignored.
        const QList<std::pair<const char *, QJsonValue>> wrongTypes = {
            {"nbf", QString::number(now() + 3600)}, {"exp", QString::number(now() + 600)},
            {"iat", QString::number(now() + 3600)}, {"sub", 42},
            {"scope", QJsonArray{"weather:read"}},  {"scp", QJsonObject{{"a", "weather:read"}}},
            {"aud", QJsonArray{kAudience, 7}},      {"iss", QJsonArray{m_provider->issuer()}}};
        for (const auto &[claim, value] : wrongTypes) {
            QJsonObject typed = c;
            typed.insert(QLatin1String(claim), value);
            QTest::newRow(qPrintable(u"%1 of the wrong type"_s.arg(QLatin1String(claim))))
                << m_signer.signRs256(typed);
        }
        QTest::newRow("not a bearer scheme") << QByteArray("Basic dXNlcjpwYXNz");
    }
    void invalidTokensAreRejected()
    {
        QFETCH(QByteArray, token);
        QByteArray header;
        if (token.startsWith("Basic "))
            header = "Authorization: " + token + "\r\n";
        else if (!token.isEmpty())
            header = bearer(token);
        verifyInvalidToken(HttpClient::request(m_server.port(), "GET", kWatchTarget, {}, header));
    }

    void embeddedKeyHeadersAreIgnored()
    {
        // An attacker's own key in jwk/jku/x5u must not be used: the token is still checked
        // against the provider's keys only (here: the kid is unknown to the provider).
        TokenSigner attacker;
        QJsonObject header{{"jku", "http://127.0.0.1:1/evil.json"},
                           {"jwk", attacker.jwks().value("keys").toArray().first()}};
        verifyInvalidToken(
            get(m_server.port(), kWatchTarget, attacker.signRs256(claims(), "evil-1", header)));
        verifyInvalidToken(
            get(m_server.port(), kWatchTarget, attacker.signRs256(claims(), "rsa-1", header)));
    }

    void missingScopeIsForbidden()
    {
        const HttpReply reply =
            get(m_server.port(), kWatchTarget, m_signer.signRs256(claims("openid profile")));
        QCOMPARE(reply.status, 403);
        QVERIFY(reply.header("www-authenticate").contains("insufficient_scope"));
        QVERIFY(reply.header("www-authenticate").contains("weather:read"));
    }

    void metricsApiStaysPublic()
    {
        QCOMPARE(get(m_server.port(), "/api/public/timeseries/themes/", {}).status, 200);
        QCOMPARE(get(m_server.port(), "/health", {}).status, 200);
    }

    void uploadNeedsAdmin()
    {
        const QByteArray csv = kCsvHeader
                               + "infectious_disease,respiratory,COVID-19,Nation,England,new_cases_"
                                 "daily,default,all,daily,2023,10,8/3/2023,2364\n";
        const QByteArray headers = "Content-Type: text/csv\r\n";
        HttpReply reply = HttpClient::request(m_server.port(), "PUT", "/api/upload/", csv, headers);
        QCOMPARE(reply.status, 401);
        reply = HttpClient::request(m_server.port(), "PUT", "/api/upload/", csv,
                                    headers + bearer(m_signer.signRs256(claims())));
        QCOMPARE(reply.status, 403);
        reply = HttpClient::request(m_server.port(), "PUT", "/api/upload/", csv,
                                    headers + bearer(m_signer.signRs256(claims("isobar:admin"))));
        QCOMPARE(reply.status, 403); // admin, but this server was started without --enable-upload
        QVERIFY(reply.body.contains("--enable-upload"));
    }

    void uploadLoadsThroughTheIngestor()
    {
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath("upload.db"),
                              authArguments() + QStringList{"--enable-upload"}),
                 server.output().constData());
        const QByteArray admin = bearer(m_signer.signRs256(claims("isobar:admin")));
        const QByteArray good = kCsvHeader
                                + "infectious_disease,respiratory,COVID-19,Nation,England,new_"
                                  "cases_daily,default,all,daily,2023,10,8/3/2023,2364\n"
                                  "infectious_disease,respiratory,COVID-19,Nation,England,new_"
                                  "cases_daily,default,all,daily,2023,10,9/3/2023,2401\n";
        HttpReply reply = HttpClient::request(server.port(), "PUT",
                                              "/api/upload/?filename=cases.csv", good, admin);
        QCOMPARE(reply.status, 200);
        QJsonObject report = reply.json().object();
        QVERIFY2(QJsonDocument(report).toJson().contains("\"inserted\": 2"),
                 reply.body.constData());

        // A file with one bad row is rejected whole, naming line and field; nothing changes.
        const QByteArray bad = kCsvHeader
                               + "infectious_disease,respiratory,COVID-19,Nation,Wales,new_cases_"
                                 "daily,default,all,daily,2023,10,8/3/2023,17\n"
                                 "infectious_disease,respiratory,COVID-19,Nation,Wales,new_cases_"
                                 "daily,default,all,daily,2023,99,9/3/2023,18\n";
        const QByteArray boundary = "----isobar" + QUuid::createUuid().toByteArray(QUuid::Id128);
        const QByteArray multipart =
            "--" + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"wales.csv\"\r\n"
              "Content-Type: text/csv\r\n\r\n"
            + bad + "\r\n--" + boundary + "--\r\n";
        reply = HttpClient::request(
            server.port(), "PUT", "/api/upload", multipart,
            admin + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n");
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.body.contains("epiweek") && reply.body.contains("wales.csv"),
                 reply.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            get(server.port(),
                "/api/public/timeseries/themes/infectious_disease/sub_themes/"
                "respiratory/topics/COVID-19/geography_types/Nation/geographies/",
                {})
                .body.contains("Wales"),
            false, 2000);

        reply = HttpClient::request(server.port(), "PUT", "/api/upload/?filename=../../etc/passwd",
                                    good, admin);
        QCOMPARE(reply.status, 400);
        reply = HttpClient::request(server.port(), "PUT", "/api/upload/", good,
                                    admin + "Content-Type: application/octet-stream\r\n");
        QCOMPARE(reply.status, 400); // no name, no telling media type: which format is it?
        QVERIFY(reply.json().object().value("field").toString() == "file");
        QCOMPARE(server.stop(), 0);
    }

    void statsNeedAdminAndNameSubjects()
    {
        QCOMPARE(get(m_server.port(), "/metrics", {}).status, 401);
        QCOMPARE(get(m_server.port(), "/api/v1/stats/summary", m_signer.signRs256(claims())).status,
                 403);
        const QByteArray admin = m_signer.signRs256(claims("isobar:admin"));
        const HttpReply metrics = get(m_server.port(), "/metrics", admin);
        QCOMPARE(metrics.status, 200);
        // Refused tokens are requests like any other: counted under their route.
        QVERIFY(metrics.body.contains(
            "isobar_http_requests_total{route=\"/prcpt\",method=\"GET\",status=\"401\"}"));
        QVERIFY(metrics.body.contains("isobar_tokens_total{result=\"rejected\"}"));
        // The watch's subject is recorded with its requests (the writer flushes every second).
        QTRY_VERIFY_WITH_TIMEOUT(get(m_server.port(), "/api/v1/stats/users?from=now-1h", admin)
                                     .body.contains("\"watch-0042\""),
                                 5000);
        const QJsonArray users = get(m_server.port(), "/api/v1/stats/users?from=now-1h", admin)
                                     .json()
                                     .object()
                                     .value("users")
                                     .toArray();
        const auto watch = std::find_if(users.begin(), users.end(), [](const QJsonValue &user) {
            return user.toObject().value("subject").toString() == u"watch-0042";
        });
        QVERIFY(watch != users.end());
        QVERIFY(watch->toObject().value("errors").toInt() > 0); // its /prcpt calls were 400s
        // Refused requests are counted against what they presented, never lost.
        QCOMPARE(get(m_server.port(), "/prcpt?lt=48.85&lg=2.35", "not.a.token").status, 401);
        QCOMPARE(get(m_server.port(), "/prcpt?lt=48.85&lg=2.35", {}).status, 401);
        auto callers = [&] {
            QStringList names;
            for (const auto &user : get(m_server.port(), "/api/v1/stats/users?from=now-1h", admin)
                                        .json()
                                        .object()
                                        .value("users")
                                        .toArray())
                names << user.toObject().value("subject").toString();
            return names;
        };
        QTRY_VERIFY_WITH_TIMEOUT(callers().contains(u"invalid token"_s), 5000);
        QVERIFY2(callers().contains(u"anonymous"_s), qPrintable(callers().join(u", ")));
    }

    void unknownKidRefreshIsRateLimited()
    {
        const int before = m_provider->jwksFetches();
        for (int i = 0; i < 20; ++i)
            verifyInvalidToken(get(m_server.port(), kWatchTarget,
                                   m_signer.signRs256(claims(), u"bogus-%1"_s.arg(i))));
        QVERIFY2(m_provider->jwksFetches() - before <= 1,
                 qPrintable(u"%1 JWKS fetches"_s.arg(m_provider->jwksFetches() - before)));
    }

    // Callers waiting for the same key refresh each get an answer. A Qt 6.4 future runs one
    // continuation, so one future handed to all of them answered one and left the rest hanging,
    // and SIGTERM could then not drain.
    void everyRequestWaitingForKeysIsAnswered_data()
    {
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<int>("status");
        // The keys hold the token's kid: accepted, then the handler refuses the position.
        QTest::newRow("the keys arrive") << "keys" << 400;
        QTest::newRow("the provider fails") << "failure" << 401;
        // The provider never answers: the refresh gives up, every request hears, the server
        // drains and exits.
        QTest::newRow("SIGTERM meanwhile") << "shutdown" << 401;
    }
    void everyRequestWaitingForKeysIsAnswered()
    {
        QFETCH(QString, outcome);
        QFETCH(int, status);
        OidcTestProvider provider(m_signer);
        QVERIFY(provider.start());
        provider.holdJwks();
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"slow-keys-%1.db"_s.arg(outcome)),
                              {"--oidc-issuer", provider.issuer(), "--oidc-audience", kAudience,
                               "--rate-limit", "0"}),
                 server.output().constData());
        // The server's first fetch of its keys is under way and held: every kid is new to it.
        QTRY_COMPARE(provider.heldJwksRequests(), 1);

        QJsonObject fresh = claims();
        fresh.insert("iss", provider.issuer());
        const QByteArray token = m_signer.signRs256(fresh);
        ConcurrentGets requests;
        for (int i = 0; i < 5; ++i)
            QVERIFY(requests.send(server.port(), kWatchTarget, bearer(token)));
        // Answered by the same event loop after it has read the five requests above.
        QCOMPARE(get(server.port(), "/health", {}).status, 200);
        QCOMPARE(requests.answered(), 0);

        if (outcome == u"keys")
            provider.releaseJwks();
        else if (outcome == u"failure")
            provider.releaseJwks(500);
        else
            QCOMPARE(server.stop(20000), 0);
        QTRY_COMPARE_WITH_TIMEOUT(requests.answered(), 5, 15000);
        QCOMPARE(requests.statuses(), QList<int>(5, status));
        QCOMPARE(provider.jwksFetches(), 1);
    }

    // The provider itself, in process: a refresh that gets no answer ends at its deadline or
    // at stop(), and every caller waiting for it hears either way.
    void keyRefreshEndsForEveryWaiter_data()
    {
        QTest::addColumn<bool>("stopped");
        QTest::newRow("at the deadline") << false;
        QTest::newRow("at stop()") << true;
    }
    void keyRefreshEndsForEveryWaiter()
    {
        QFETCH(bool, stopped);
        OidcTestProvider provider(m_signer);
        QVERIFY(provider.start());
        provider.holdJwks();
        OidcKeyProvider::Options options;
        options.issuer = QUrl(provider.issuer());
        options.timeoutMs = stopped ? 60000 : 200;
        OidcKeyProvider keys(options);
        QList<QFuture<void>> waiters;
        for (int i = 0; i < 5; ++i)
            waiters << keys.refresh();
        QCOMPARE(keys.stats().waiting, 5);

        if (stopped) {
            QTRY_COMPARE(provider.heldJwksRequests(), 1);
            keys.stop();
            QCOMPARE(keys.stats().waiting, 0);
        }
        QTRY_VERIFY(std::all_of(waiters.cbegin(), waiters.cend(),
                                [](const QFuture<void> &waiter) { return waiter.isFinished(); }));
        QCOMPARE(keys.stats().waiting, 0);
        QCOMPARE(keys.stats().failures, 1);
        QCOMPARE(keys.stats().keys, 0);
    }

    void hugeTokens()
    {
        const QByteArray megabytes =
            "eyJhbGciOiJSUzI1NiJ9." + QByteArray(qsizetype(3) * 1024 * 1024, 'A') + ".c2ln";
        // Past the connection guard's header limit: refused before any of it is parsed.
        QCOMPARE(get(m_server.port(), kWatchTarget, megabytes).status, 413);
        // Within a generous header limit the verifier still refuses it, without trying it.
        ServerProcess roomy;
        QVERIFY2(roomy.start(m_dir.filePath("roomy.db"),
                             authArguments() + QStringList{"--max-header-bytes", "81920"}),
                 roomy.output().constData());
        verifyInvalidToken(get(roomy.port(), kWatchTarget, megabytes.first(qsizetype(64) * 1024)));
    }

    void providerOutageKeepsCachedKeys()
    {
        QJsonObject fresh = claims();
        fresh.insert("jti", QUuid::createUuid().toString()); // not in the token cache
        m_provider->stop();
        QCOMPARE(get(m_server.port(), kWatchTarget, m_signer.signEs256(fresh)).status, 400);
        verifyInvalidToken(get(m_server.port(), kWatchTarget, m_signer.signRs256(fresh, "rsa-2")));
        const QJsonObject health = get(m_server.port(), "/health", {}).json().object();
        const QJsonObject auth = health.value("auth").toObject();
        QCOMPARE(auth.value("signing_keys").toInt(), 2);
        // The public document says whether the keys are current, never why a fetch failed.
        QVERIFY(QStringList({"ok", "failed"}).contains(auth.value("last_refresh").toString()));
        QVERIFY(!auth.contains("last_error"));
    }

    void rateLimitPerCaller()
    {
        ServerProcess limited;
        QVERIFY2(limited.start(m_dir.filePath("limited.db"),
                               {"--no-auth", "--rate-limit", "1", "--rate-burst", "3"}),
                 limited.output().constData());
        QList<int> statuses;
        for (int i = 0; i < 4; ++i)
            statuses << get(limited.port(), "/openapi.json", {}).status;
        QCOMPARE(statuses, (QList<int>{200, 200, 200, 429}));
        const HttpReply reply = get(limited.port(), "/openapi.json", {});
        QCOMPARE(reply.status, 429);
        QVERIFY(reply.header("retry-after").toInt() >= 1);
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        // The probe is never refused: an orchestrator told 429 would restart a healthy replica.
        QCOMPARE(get(limited.port(), "/health", {}).status, 200);
        // The caller (its address, without tokens) is seen with its 429s counted apart. The
        // stats read is the same caller's: refused while the budget is spent, it waits as long
        // as Retry-After says (the recorder writes within a second, so a few rounds suffice).
        int limitedCount = -1;
        for (int round = 0; round < 10 && limitedCount < 2; ++round) {
            const HttpReply stats = get(limited.port(), "/api/v1/stats/users?from=now-1h", {});
            if (stats.status == 429) {
                QTest::qWait(1000 * std::max(1, stats.header("retry-after").toInt()));
                continue;
            }
            for (const auto &user : stats.json().object().value("users").toArray()) {
                const QJsonObject caller = user.toObject();
                if (caller.value("subject").toString() == u"addr:127.0.0.1") {
                    limitedCount = caller.value("rate_limited").toInt();
                    QVERIFY(caller.value("errors").toInt() >= limitedCount);
                }
            }
        }
        QVERIFY2(limitedCount >= 2, qPrintable(QString::number(limitedCount)));
    }

    void badTokensAreThrottledBeforeVerifying()
    {
        // Its own provider: providerOutageKeepsCachedKeys stopped the suite's.
        OidcTestProvider provider(m_signer);
        QVERIFY(provider.start());
        ServerProcess limited;
        QVERIFY2(limited.start(m_dir.filePath("throttled.db"),
                               {"--oidc-issuer", provider.issuer(), "--oidc-audience", kAudience,
                                "--rate-limit", "1", "--rate-burst", "3"}),
                 limited.output().constData());
        // Ready once it holds the provider's keys: no token waits for them.
        QTRY_COMPARE_WITH_TIMEOUT(get(limited.port(), "/readyz", {}).status, 200, 20'000);
        QElapsedTimer elapsed;
        elapsed.start();
        QJsonObject genuine = claims();
        genuine.insert("iss", provider.issuer());
        const QByteArray good = m_signer.signRs256(genuine);
        QCOMPARE(get(limited.port(), kWatchTarget, good).status, 400); // verified: 1 of 3 spent
        QList<int> statuses;
        for (int i = 0; i < 8; ++i) {
            QJsonObject forged = genuine;
            forged.insert("jti", i);
            statuses << get(limited.port(), kWatchTarget, TokenSigner::signHs256(forged, "k", "x"))
                            .status;
        }
        // Two more verifications fit in the address's budget, and one more for each second the
        // test took (the budget refills); every other bad token gets 429 with no signature work.
        const qsizetype verified = statuses.count(401);
        QCOMPARE(verified + statuses.count(429), statuses.size());
        QVERIFY2(verified >= 2 && verified <= 2 + elapsed.elapsed() / 1000,
                 qPrintable(QString::number(verified)));
        QCOMPARE(statuses.mid(0, 2), (QList<int>{401, 401}));
        QCOMPARE(statuses.last(), 429);
        // A token verified before costs no verification: it still passes (its subject has
        // its own budget).
        QCOMPARE(get(limited.port(), kWatchTarget, good).status, 400);
        QCOMPARE(limited.stop(), 0);
        QCOMPARE(limited.output().count("event=token_rejected"), verified);
    }

    void corsAllowsOnlyConfiguredOrigins()
    {
        const QByteArray preflight =
            "Origin: https://dash.example\r\nAccess-Control-Request-Method: POST\r\n";
        // None allowed by default.
        HttpReply reply =
            HttpClient::request(m_server.port(), "OPTIONS", "/api/tables/v4", {}, preflight);
        QVERIFY(reply.header("access-control-allow-origin").isEmpty());

        ServerProcess web;
        QVERIFY2(web.start(m_dir.filePath("web.db"),
                           {"--no-auth", "--cors-origins", "https://dash.example"}),
                 web.output().constData());
        reply = HttpClient::request(web.port(), "OPTIONS", "/api/tables/v4", {}, preflight);
        QCOMPARE(reply.status, 204);
        QCOMPARE(reply.header("access-control-allow-origin"), QByteArray("https://dash.example"));
        QVERIFY(reply.header("access-control-allow-methods").contains("POST"));
        QVERIFY(reply.header("access-control-allow-headers").contains("Authorization"));
        reply = HttpClient::request(
            web.port(), "OPTIONS", "/api/tables/v4", {},
            "Origin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n");
        QVERIFY(reply.header("access-control-allow-origin").isEmpty());
        reply = HttpClient::request(web.port(), "GET", "/api/public/timeseries/themes/", {},
                                    "Origin: https://dash.example\r\n");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("access-control-allow-origin"), QByteArray("https://dash.example"));
        QCOMPARE(reply.header("vary"), QByteArray("Origin"));
    }
};

QTEST_GUILESS_MAIN(TestServeAuth)
#include "TestServeAuth.moc"
