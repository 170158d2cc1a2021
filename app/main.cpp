#include "ChartCommand.h"
#include "CredentialsCommand.h"
#include "DesktopCommand.h"
#include "HealthcheckCommand.h"
#include "IngestCommand.h"
#include "SandboxCommand.h"
#include "ServeCommand.h"
#include "StoreCheckCommand.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
// CI's test build (AddressSanitizer) also runs as the .deb's service and in the image, where
// the leak check at exit cannot work: it stops the process's threads with ptrace, which
// systemd's system-call filter and the container's seccomp profile forbid. It is off by
// default there; the test suite turns it on (ASAN_OPTIONS overrides this).
// NOLINTNEXTLINE(bugprone-reserved-identifier): the name is the sanitizer runtime's hook.
extern "C" const char *__asan_default_options()
{
    return "detect_leaks=0";
}
#endif
#endif

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
    "  healthcheck          ask the local server's readiness probe; exit 0 when ready\n"
    "  check-store          check the metrics store without changing it; exit 0 when sound\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help; 'isobar COMMAND --help' for a command's options\n"
    "  -v, --version  show the version\n";

bool needsHeadlessPlatform()
{
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

// Qt's GUI start-up looks in XDG_RUNTIME_DIR even offscreen, and warns on every start when a
// service or a container (no login session) has none. Isobar keeps nothing there; a private
// folder under the temporary one, made as Qt would make it, answers the question silently.
void useQuietRuntimeDirectory()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    const QByteArray folder =
        QDir::tempPath().toLocal8Bit() + "/isobar-runtime-" + QByteArray::number(uint(getuid()));
    ::mkdir(folder.constData(), 0700);
    // Taken only if it is ours and private: another user's folder of that name is left alone.
    struct stat made = {};
    if (::lstat(folder.constData(), &made) == 0 && S_ISDIR(made.st_mode) && made.st_uid == getuid()
        && (made.st_mode & 0077) == 0)
        qputenv("XDG_RUNTIME_DIR", folder);
}

} // namespace

int main(int argc, char *argv[])
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    QCoreApplication::setApplicationName(u"isobar"_s);
    QCoreApplication::setOrganizationName(u"Isobar"_s);
    QCoreApplication::setApplicationVersion(QString::fromUtf8(ISOBAR_VERSION));

    // Each command: whether it draws (QtCharts needs a QApplication; without a display it runs
    // offscreen) and whether it is the headless server, and what runs it, with the command word
    // taken out of the arguments.
    struct Command {
        const char16_t *name;
        bool draws;
        bool serves;
        int (*run)(const QStringList &arguments);
    };
    static const Command kCommands[] = {
        {u"serve", true, true, isobar::runServeCommand},
        {u"chart", true, false, isobar::runChartCommand},
        {u"accuweather-sandbox", false, false, isobar::runSandboxCommand},
        {u"ingest", false, false, isobar::runIngestCommand},
        {u"credentials", false, false, isobar::runCredentialsCommand},
        {u"healthcheck", false, false, isobar::runHealthcheckCommand},
        {u"check-store", false, false, isobar::runStoreCheckCommand},
    };
    for (const Command &entry : kCommands) {
        if (command != QStringView(entry.name))
            continue;
        // Qt's own poll loop on every thread rather than GLib's: nothing headless needs GLib,
        // and the watch path answers 12-18% more requests for less CPU each (bench/README.md).
        // Read as each thread starts; a QT_NO_GLIB already set is left as it is.
        if (entry.serves && qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
            qputenv("QT_NO_GLIB", "1");
        if (entry.draws && needsHeadlessPlatform())
            qputenv("QT_QPA_PLATFORM", "offscreen");
        if (entry.draws)
            useQuietRuntimeDirectory();
        std::unique_ptr<QCoreApplication> app =
            entry.draws ? std::make_unique<QApplication>(argc, argv)
                        : std::make_unique<QCoreApplication>(argc, argv);
        QStringList arguments = QCoreApplication::arguments();
        arguments.removeAt(1);
        return entry.run(arguments);
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
        arguments[1] = u"--help"_s;
    return isobar::runDesktop(arguments);
}
