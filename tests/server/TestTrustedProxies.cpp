// Behind a load balancer every connection comes from the balancer: its X-Forwarded-* headers
// say who the client is and how it called, but only a trusted proxy's are believed. Unit checks
// of TrustedProxies, then a real `isobar serve` behind a "proxy" on loopback: callers are told
// apart (rate limit, access log) and links carry the scheme and host the client used.

#include "TestSupport.h"
#include "http/HttpRequest.h"
#include "http/TrustedProxies.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace isobar;
using namespace isobar::test;

namespace {

TrustedProxies trusting(const QStringList &entries)
{
    TrustedProxies proxies;
    const QString bad = TrustedProxies::parse(entries, &proxies);
    if (!bad.isEmpty())
        qFatal("bad entry %s", qPrintable(bad));
    return proxies;
}

HttpRequest from(const QString &peer, const QHash<QByteArray, QByteArray> &headers)
{
    HttpRequest request;
    request.peer = QHostAddress(peer);
    request.peerText = request.peer.toString();
    request.headers = headers;
    return request;
}

} // namespace

class TestTrustedProxies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entriesAreAddressesOrSubnets()
    {
        TrustedProxies proxies;
        QCOMPARE(
            TrustedProxies::parse({u"10.0.0.0/8"_s, u"192.168.1.7"_s, u"fd00::/8"_s}, &proxies),
            QString());
        QVERIFY(proxies.contains(QHostAddress(u"10.42.0.3"_s)));
        QVERIFY(proxies.contains(QHostAddress(u"::ffff:10.42.0.3"_s))); // dual-stack socket
        QVERIFY(proxies.contains(QHostAddress(u"192.168.1.7"_s)));
        QVERIFY(!proxies.contains(QHostAddress(u"192.168.1.8"_s)));
        QVERIFY(proxies.contains(QHostAddress(u"fd12::1"_s)));
        QCOMPARE(TrustedProxies::parse({u"10.0.0.0/8"_s, u"ingress"_s}, &proxies), u"ingress"_s);
        QVERIFY(proxies.contains(QHostAddress(u"10.42.0.3"_s))); // a refusal changes nothing
    }

    void theClientIsTheNearestUntrustedHop()
    {
        const TrustedProxies proxies = trusting({u"10.0.0.0/8"_s});
        // The client wrote a first hop itself; the ingress (10.1.1.1) and the cloud balancer
        // (10.2.2.2) appended what they saw.
        HttpRequest request =
            from(u"10.2.2.2"_s, {{"x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.1.1"},
                                 {"x-forwarded-proto", "https, http"},
                                 {"x-forwarded-host", "api.example.org"},
                                 {"host", "isobar:8080"}});
        proxies.apply(request);
        QCOMPARE(request.peerText, u"203.0.113.9"_s);
        QCOMPARE(request.baseUrl(), u"https://api.example.org"_s);
    }

    void anUntrustedPeersHeadersAreIgnored()
    {
        const TrustedProxies proxies = trusting({u"10.0.0.0/8"_s});
        HttpRequest request = from(u"198.51.100.4"_s, {{"x-forwarded-for", "203.0.113.9"},
                                                       {"x-forwarded-proto", "https"},
                                                       {"x-forwarded-host", "evil.example"},
                                                       {"host", "api.example.org"}});
        proxies.apply(request);
        QCOMPARE(request.peerText, u"198.51.100.4"_s);
        QCOMPARE(request.baseUrl(), u"http://api.example.org"_s);
    }

    void garbageStopsTheWalk()
    {
        const TrustedProxies proxies = trusting({u"10.0.0.0/8"_s});
        HttpRequest request = from(u"10.2.2.2"_s, {{"x-forwarded-for", "203.0.113.9, unknown"},
                                                   {"x-forwarded-proto", "gopher"},
                                                   {"x-forwarded-host", "bad host/x"},
                                                   {"host", "api.example.org"}});
        proxies.apply(request);
        QCOMPARE(request.peerText, u"10.2.2.2"_s); // nothing believable past "unknown"
        // An unknown scheme is ignored; an implausible host is replaced as a bad Host is.
        QVERIFY(request.baseUrl().startsWith(u"http://localhost:"_s));
    }

    void aServerBehindAProxyTellsCallersApart()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY2(
            server.start(dir.filePath(u"proxied.db"_s), {"--trusted-proxies", "127.0.0.0/8",
                                                         "--rate-limit", "1", "--rate-burst", "1"}),
            server.output().constData());
        auto get = [&server](const QByteArray &client) {
            return HttpClient::request(server.port(), "GET", "/api/public/timeseries/themes/", {},
                                       "X-Forwarded-For: " + client
                                           + "\r\nX-Forwarded-Proto: https\r\n"
                                             "X-Forwarded-Host: api.example.org\r\n");
        };
        QCOMPARE(get("203.0.113.9").status, 200);
        QCOMPARE(get("203.0.113.10").status, 200); // another caller, its own allowance
        QCOMPARE(get("203.0.113.9").status, 429);
        QCOMPARE(server.stop(), 0);

        ServerProcess direct;
        QVERIFY2(
            direct.start(dir.filePath(u"direct.db"_s), {"--rate-limit", "1", "--rate-burst", "1"}),
            direct.output().constData());
        auto spoofed = [&direct](const QByteArray &client) {
            return HttpClient::request(direct.port(), "GET", "/api/public/timeseries/themes/", {},
                                       "X-Forwarded-For: " + client + "\r\n");
        };
        QCOMPARE(spoofed("203.0.113.9").status, 200);
        QCOMPARE(spoofed("203.0.113.10").status, 429); // the same caller, whatever it writes
        QCOMPARE(direct.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTrustedProxies)
#include "TestTrustedProxies.moc"
