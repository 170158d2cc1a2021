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

using isobar::test::OidcTestProvider;
using isobar::test::TokenSigner;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Local OIDC provider and one access token, for benchmarks."_qs);
    parser.addHelpOption();
    const QCommandLineOption audience(u"audience"_qs, u"The token's aud."_qs, u"aud"_qs,
                                      u"isobar-bench"_qs);
    const QCommandLineOption subject(u"subject"_qs, u"A token's sub (repeat for more tokens)."_qs,
                                     u"sub"_qs, u"bench-watch"_qs);
    const QCommandLineOption scope(u"scope"_qs, u"The tokens' scope."_qs, u"scope"_qs,
                                   u"weather:read"_qs);
    const QCommandLineOption lifetime(u"lifetime-s"_qs, u"How long the token is valid."_qs,
                                      u"seconds"_qs, u"7200"_qs);
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
        const QJsonObject claims{{u"iss"_qs, provider.issuer()},
                                 {u"aud"_qs, QJsonArray{parser.value(audience)}},
                                 {u"sub"_qs, sub},
                                 {u"scope"_qs, parser.value(scope)},
                                 {u"iat"_qs, now},
                                 {u"nbf"_qs, now},
                                 {u"exp"_qs, now + parser.value(lifetime).toDouble()}};
        std::printf("token=%s\n", signer.signRs256(claims).constData());
    }
    std::fflush(stdout);
    // SIGTERM's default action ends the process; SIGINT as well. Nothing here needs draining.
    return app.exec();
}
