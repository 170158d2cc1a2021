#include "ChartCommand.h"
#include "CredentialsCommand.h"
#include "DesktopCommand.h"
#include "IngestCommand.h"
#include "SandboxCommand.h"
#include "ServeCommand.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

namespace {

const char *const kUsage =
    "Usage: isobar [command] [options]\n"
    "\n"
    "Public-health metrics for analysts, an API server for web clients and watches.\n"
    "\n"
    "Commands:\n"
    "  (none)               open the desktop application ('isobar --help-desktop' for its\n"
    "                       options: --database FILE, --start-server, --metric NAME, ...)\n"
    "  serve                run the REST API without a window\n"
    "  ingest               load UKHSA JSON/CSV files into the metrics store\n"
    "  chart                render a chart request (JSON) from the store to PNG, SVG or JPEG\n"
    "  accuweather-sandbox  serve AccuWeather's wire format on localhost (offline runs, tests)\n"
    "  credentials          store, show or clear the AccuWeather API key (set|status|clear)\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help; 'isobar COMMAND --help' for a command's options\n"
    "  -v, --version  show the version\n";

bool needsHeadlessPlatform()
{
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char *argv[])
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    QCoreApplication::setApplicationName(QStringLiteral("isobar"));
    QCoreApplication::setOrganizationName(QStringLiteral("Isobar"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ISOBAR_VERSION));

    if (command == u"serve") {
        // Chart rendering needs a QApplication; without a display it runs offscreen.
        if (needsHeadlessPlatform())
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        QStringList arguments = app.arguments();
        arguments.removeAt(1);
        return isobar::runServeCommand(arguments);
    }
    if (command == u"chart") {
        // QtCharts needs a QApplication; without a display it runs offscreen.
        if (needsHeadlessPlatform())
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        QStringList arguments = app.arguments();
        arguments.removeAt(1);
        return isobar::runChartCommand(arguments);
    }
    if (command == u"accuweather-sandbox") {
        QCoreApplication app(argc, argv);
        QStringList arguments = app.arguments();
        arguments.removeAt(1);
        return isobar::runSandboxCommand(arguments);
    }
    if (command == u"ingest") {
        QCoreApplication app(argc, argv);
        QStringList arguments = app.arguments();
        arguments.removeAt(1);
        return isobar::runIngestCommand(arguments);
    }
    if (command == u"credentials") {
        QCoreApplication app(argc, argv);
        QStringList arguments = app.arguments();
        arguments.removeAt(1);
        return isobar::runCredentialsCommand(arguments);
    }
    if (command == u"--version" || command == u"-v") {
        QTextStream(stdout) << "isobar " << ISOBAR_VERSION << '\n';
        return 0;
    }
    if (command == u"--help" || command == u"-h" || command == u"help") {
        QTextStream(stdout) << kUsage;
        return 0;
    }
    // The desktop takes options but no command word.
    if (!command.isEmpty() && !command.startsWith(u'-')) {
        QTextStream(stderr) << "isobar: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    }
    QApplication app(argc, argv);
    QStringList arguments = app.arguments();
    if (command == u"--help-desktop")
        arguments[1] = QStringLiteral("--help");
    return isobar::runDesktop(arguments);
}
