// bench_weather_oidc_provider: a local OpenID Connect provider for the authenticated /prcpt
// run of bench/run-weather.sh. It serves discovery and the JWKS on a loopback port (the test
// suite's OidcTestProvider, with keys made at start) and prints, one per line:
//
//   issuer=http://127.0.0.1:PORT
//   token=<RS256 access token for --audience with --scope, one line per --subject, in order>
//
// then stays up until killed, so `isobar serve --oidc-issuer` can fetch the keys. The desktop's
// end-to-end test uses it too, for traffic from several token subjects.
//
//   bench_weather_oidc_provider [--audience AUD] [--subject SUB]... [--scope S] [--lifetime-s N]

#include "OidcTestProvider.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

using isobar::test::OidcTestProvider;
using isobar::test::TokenSigner;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Local OIDC provider and one access token, for benchmarks."_s);
    parser.addHelpOption();
    const QCommandLineOption audience(u"audience"_s, u"The token's aud."_s, u"aud"_s,
                                      u"isobar-bench"_s);
    const QCommandLineOption subject(u"subject"_s, u"A token's sub (repeat for more tokens)."_s,
                                     u"sub"_s, u"bench-watch"_s);
    const QCommandLineOption scope(u"scope"_s, u"The tokens' scope."_s, u"scope"_s,
                                   u"weather:read"_s);
    const QCommandLineOption lifetime(u"lifetime-s"_s, u"How long the token is valid."_s,
                                      u"seconds"_s, u"7200"_s);
    parser.addOptions({audience, subject, scope, lifetime});
    parser.process(app);

    TokenSigner signer;
    OidcTestProvider provider(signer);
    if (!provider.start()) {
        std::fprintf(stderr, "bench_weather_oidc_provider: cannot listen on loopback\n");
        return 1;
    }
    const double now = double(QDateTime::currentSecsSinceEpoch());
    std::printf("issuer=%s\n", qPrintable(provider.issuer()));
    for (const QString &sub : parser.values(subject)) {
        const QJsonObject claims{{u"iss"_s, provider.issuer()},
                                 {u"aud"_s, QJsonArray{parser.value(audience)}},
                                 {u"sub"_s, sub},
                                 {u"scope"_s, parser.value(scope)},
                                 {u"iat"_s, now},
                                 {u"nbf"_s, now},
                                 {u"exp"_s, now + parser.value(lifetime).toDouble()}};
        std::printf("token=%s\n", signer.signRs256(claims).constData());
    }
    std::fflush(stdout);
    // SIGTERM's default action ends the process; SIGINT as well. Nothing here needs draining.
    return app.exec();
}
