#include "ServeCommand.h"

#include "ServerThread.h"
#include "ShutdownSignals.h"
#include "config/ServerSettings.h"
#include "credentials/AccuWeatherKeyProvider.h"
#include "monitoring/LogFormat.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>
#include <QThread>
#include <QUrl>
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// How much lower than the server's own priority charts are drawn (Linux nice values: 0 normal,
// 19 lowest). Relative, so that a server started under `nice` still puts charts below answers.
constexpr int kRenderNicenessStep = 10;
constexpr int kLowestNiceness = 19;

Q_LOGGING_CATEGORY(lcServe, "isobar.serve")

} // namespace

int runServeCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Serve the Isobar REST API without a window (for containers and VMs).\n"
        "Settings: flag > ISOBAR_* environment variable > --config INI file > default."_s);
    parser.addHelpOption();
    ServerSettings::addOptions(parser);
    parser.process(arguments);

    QTextStream err(stderr);
    ServerConfig config;
    if (const QString error = ServerSettings::apply(config, SettingSources::commandLine(parser));
        !error.isEmpty()) {
        err << "isobar serve: " << error << '\n';
        return 2;
    }

    // In JSON, stdout carries log events only: the lines for people below become events.
    const bool json = config.logFormat == LogFormat::Json;
    if (json)
        logformat::installJsonOutput(config.replicaName());

    // The key is looked up once, here: a mounted file, the environment, or (on a desktop
    // session, where a Secret Service can answer) the OS keychain. Only its source is shown.
    const AccuWeatherKeyProvider::Resolution key =
        AccuWeatherKeyProvider().resolve(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    if (!key.problem.isEmpty()) {
        err << "isobar serve: AccuWeather key: " << key.problem << '\n';
        return 1;
    }
    const QString keySource =
        key.key.isEmpty() ? u"none (weather routes will answer 502)"_s : key.where;
    if (json)
        qCInfo(lcServe).noquote().nospace()
            << "event=accuweather_key source=" << logformat::value(keySource);
    else
        QTextStream(stdout) << "AccuWeather key: " << keySource << '\n';
    config.accuWeatherKey = [secret = key.key] { return secret; };

    // The HTTP loop gets its own thread; this (main) thread keeps the event loop that renders
    // charts and watches for signals.
    ServerThread server(config);
    // Before start(): the "listening" line (logged by the HTTP thread in JSON) tells whoever
    // waits for it that SIGTERM is safe, and this thread may reach its next line long after;
    // a signal caught now is acted on once the event loop runs.
    watchShutdownSignals(&server, [&server] { server.stop(); });
    if (!server.start()) {
        err << "isobar serve: " << server.errorString() << '\n';
        return 1;
    }
    QObject::connect(&server, &ServerThread::stopped, qApp, [] { QCoreApplication::exit(0); });
    // Headless, this (main) thread only draws charts; the HTTP loop and the query pool run on
    // threads created before this line, at normal priority. On two cores a burst of renders
    // would otherwise take CPU from watches' answers: charts are batch work, answers are not.
    // Threads made from here on (the render queue's encoders) inherit the lower priority.
    errno = 0; // getpriority() may return -1 as a value
    const int niceness = getpriority(PRIO_PROCESS, id_t(gettid()));
    if ((niceness == -1 && errno != 0)
        || setpriority(PRIO_PROCESS, id_t(gettid()),
                       qMin(niceness + kRenderNicenessStep, kLowestNiceness))
               != 0)
        qWarning("isobar serve: cannot lower the render thread's priority");
    if (json) // ApiServer logged event=listening
        return QCoreApplication::exec();
    QTextStream out(stdout);
    out << "Isobar API listening on " << server.url() << "/  (Ctrl+C to stop)\n";
    if (server.prometheusPort())
        out << "Prometheus metrics on http://" << config.metricsBind.toString() << ':'
            << server.prometheusPort() << "/metrics\n";
    out << Qt::flush;
    return QCoreApplication::exec();
}

} // namespace isobar
