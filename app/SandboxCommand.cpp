#include "SandboxCommand.h"

#include "ShutdownSignals.h"
#include "weather/AccuWeatherSandbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr auto kKeyVariable = "ISOBAR_SANDBOX_API_KEY";

} // namespace

int runSandboxCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Serve AccuWeather's wire format on a local port, so Isobar's whole upstream path runs\n"
        "offline: /locations/v1/cities/geoposition/search, /currentconditions/v1/{key},\n"
        "/forecasts/v1/daily/5day/{key} and /forecasts/v1/hourly/12hour/{key}.\n"
        "Weather is synthetic and named as the sandbox's; location keys cover ~10 km areas.\n"
        "\n"
        "The API key clients must present (Authorization: Bearer KEY, or apikey=KEY) is read\n"
        "from the environment variable ISOBAR_SANDBOX_API_KEY, never from the command line.\n"
        "A request can ask for one fault itself: ?sandbox_fault=NAME[&sandbox_delay_ms=N].\n"
        "Runs until SIGTERM or SIGINT."_s);
    parser.addHelpOption();
    const QCommandLineOption port(u"port"_s, u"TCP port (0: any free port)."_s, u"port"_s,
                                  u"8089"_s);
    const QCommandLineOption bind(u"bind"_s, u"Address to listen on."_s, u"address"_s,
                                  u"127.0.0.1"_s);
    const QCommandLineOption fault(
        u"fault"_s,
        u"Inject a fault into calls: delay, server-error, 429, quota, malformed, reset."_s,
        u"kind"_s, u"none"_s);
    const QCommandLineOption probability(
        u"fault-probability"_s, u"Share of calls the fault hits, 0 to 1."_s, u"p"_s, u"1"_s);
    const QCommandLineOption delay(u"delay-ms"_s, u"How late a delayed answer comes."_s, u"ms"_s,
                                   u"3000"_s);
    parser.addOptions({port, bind, fault, probability, delay});
    parser.process(arguments);

    QTextStream err(stderr);
    const QString name = u"isobar accuweather-sandbox: "_s;
    if (!parser.positionalArguments().isEmpty()) {
        err << name << "unexpected argument '" << parser.positionalArguments().constFirst()
            << "'\n";
        return 2;
    }
    bool ok = false;
    const uint portNumber = parser.value(port).toUInt(&ok);
    if (!ok || portNumber > 65535) {
        err << name << "--port: '" << parser.value(port) << "' is not a port number\n";
        return 2;
    }
    const QHostAddress address(parser.value(bind));
    if (address.isNull()) {
        err << name << "--bind: '" << parser.value(bind) << "' is not an IP address\n";
        return 2;
    }
    AccuWeatherSandbox::FaultPlan plan;
    const auto kind = AccuWeatherSandbox::faultFromName(parser.value(fault));
    if (!kind) {
        err << name << "--fault: '" << parser.value(fault)
            << "' is not one of delay, server-error, 429, quota, malformed, reset\n";
        return 2;
    }
    plan.kind = *kind;
    plan.probability = parser.value(probability).toDouble(&ok);
    if (!ok || plan.probability < 0 || plan.probability > 1) {
        err << name << "--fault-probability: '" << parser.value(probability)
            << "' is not between 0 and 1\n";
        return 2;
    }
    plan.delayMs = parser.value(delay).toInt(&ok);
    if (!ok || plan.delayMs < 0 || plan.delayMs > 600'000) {
        err << name << "--delay-ms: '" << parser.value(delay) << "' is not between 0 and 600000\n";
        return 2;
    }
    const QString key = qEnvironmentVariable(kKeyVariable);
    if (key.isEmpty()) {
        err << name << kKeyVariable << " is not set: it holds the API key clients must present\n";
        return 2;
    }

    AccuWeatherSandbox sandbox(key);
    sandbox.setFaultPlan(plan);
    if (!sandbox.listen(address, quint16(portNumber))) {
        err << name << "cannot listen on " << address.toString() << ':' << portNumber << ": "
            << sandbox.errorString() << '\n';
        return 1;
    }
    // Before the "listening" line: whoever waits for it may signal at once.
    if (!watchShutdownSignals(qApp, [] { QCoreApplication::exit(0); })) {
        err << name << "cannot watch for SIGTERM/SIGINT\n";
        return 1;
    }
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    QTextStream(stdout) << "AccuWeather sandbox (not real weather) listening on http://" << host
                        << ':' << sandbox.port()
                        << "/  fault=" << AccuWeatherSandbox::faultName(plan.kind)
                        << "  (Ctrl+C to stop)\n"
                        << Qt::flush;
    return QCoreApplication::exec();
}

} // namespace isobar
