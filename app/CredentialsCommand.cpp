#include "CredentialsCommand.h"

#include "config/ServerSettings.h"
#include "credentials/AccuWeatherKeyCheck.h"
#include "credentials/AccuWeatherKeyProvider.h"
#include "weather/AccuWeatherClient.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QTextStream>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <iterator>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// One table for all actions; --help prints it.
enum ExitCode {
    kOk = 0,
    kNoKey = 1,           // status: no key in any source
    kUsage = 2,           // bad arguments, or input that is not a key
    kSourceProblem = 3,   // keychain unavailable/locked/failed, or an unusable key file/variable
    kKeyRejected = 4,     // status --check: the upstream refused the key (401/403)
    kQuotaExhausted = 5,  // status --check: the upstream quota is spent (429/503)
    kUpstreamProblem = 6, // status --check: unreachable, timed out, or an unexpected answer
};

const char *const kDescription =
    "Manage the AccuWeather API key Isobar uses to answer watches.\n"
    "\n"
    "Actions:\n"
    "  set     read the key from standard input (hidden on a terminal, or from a pipe)\n"
    "          and store it in the OS keychain (service \"isobar\", key \"accuweather-api-key\")\n"
    "  status  show which source 'isobar serve' would take the key from now, and whether a key\n"
    "          is there; --check also makes one call to AccuWeather to try the key\n"
    "  clear   remove the key from the keychain\n"
    "\n"
    "Sources, first match wins: ISOBAR_ACCUWEATHER_API_KEY_FILE (a file holding the key),\n"
    "ISOBAR_ACCUWEATHER_API_KEY, the keychain. The key is never a command-line argument, never\n"
    "printed, and never written to a plain file when the keychain fails.\n"
    "\n"
    "Exit codes:\n"
    "  0  done (status: a usable key is there; with --check, AccuWeather accepted it)\n"
    "  1  status: no key in any source\n"
    "  2  bad arguments, or the input is not a key (empty, too long, odd characters)\n"
    "  3  the keychain is unavailable, locked or failed, or the key file/variable is unusable\n"
    "  4  --check: unauthorised key, AccuWeather refused it (401/403)\n"
    "  5  --check: the AccuWeather quota is exhausted\n"
    "  6  --check: AccuWeather could not be reached or answered unexpectedly";

// A key and a newline; more than this on stdin is not a key.
constexpr qsizetype kMaxInputBytes = 4096;

// Terminal state to put back if a signal ends the program while echo is off.
struct termios g_savedTerminal;

void restoreTerminalAndReraise(int signalNumber)
{
    ::tcsetattr(STDIN_FILENO, TCSANOW, &g_savedTerminal); // async-signal-safe
    std::signal(signalNumber, SIG_DFL);
    std::raise(signalNumber);
}

// Turns terminal echo off for its lifetime (the newline is still echoed), and back on even
// when Ctrl-C or a hang-up interrupts the input.
class HiddenTerminalInput
{
public:
    HiddenTerminalInput()
    {
        if (::tcgetattr(STDIN_FILENO, &g_savedTerminal) != 0)
            return;
        m_active = true;
        for (std::size_t i = 0; i < std::size(kSignals); ++i) {
            struct sigaction action = {};
            action.sa_handler = restoreTerminalAndReraise;
            sigemptyset(&action.sa_mask);
            sigaction(kSignals[i], &action, &m_previous[i]);
        }
        struct termios hidden = g_savedTerminal;
        hidden.c_lflag &= ~tcflag_t(ECHO);
        hidden.c_lflag |= ECHONL;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden);
    }
    ~HiddenTerminalInput()
    {
        if (!m_active)
            return;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_savedTerminal);
        for (std::size_t i = 0; i < std::size(kSignals); ++i)
            sigaction(kSignals[i], &m_previous[i], nullptr);
    }
    HiddenTerminalInput(const HiddenTerminalInput &) = delete;
    HiddenTerminalInput &operator=(const HiddenTerminalInput &) = delete;

private:
    static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
    struct sigaction m_previous[std::size(kSignals)] = {};
    bool m_active = false;
};

struct KeyInput {
    QString key;
    QString problem; // never quotes the input
};

// Reads up to kMaxInputBytes + 1 bytes: one line from a terminal, everything from a pipe.
QByteArray readStandardInput(bool oneLine)
{
    QByteArray bytes;
    char buffer[512];
    while (bytes.size() <= kMaxInputBytes) {
        const ssize_t count = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break;
        bytes.append(buffer, count);
        if (oneLine && bytes.contains('\n'))
            break;
    }
    std::fill(std::begin(buffer), std::end(buffer), '\0');
    return bytes;
}

KeyInput readKey(QTextStream &err)
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    QByteArray bytes;
    if (terminal) {
        err << "AccuWeather API key (input hidden): " << Qt::flush;
        HiddenTerminalInput hidden;
        bytes = readStandardInput(true);
    } else {
        bytes = readStandardInput(false);
    }
    KeyInput input;
    if (bytes.size() > kMaxInputBytes) {
        input.problem =
            u"the input is longer than %1 bytes; give only the key"_s.arg(kMaxInputBytes);
    } else {
        const QByteArray line = bytes.trimmed();
        if (line.isEmpty())
            input.problem = terminal ? u"no key was typed"_s
                                     : u"standard input is empty; pipe the key in, e.g. "
                                       "'isobar credentials set < keyfile'"_s;
        else if (line.contains('\n'))
            input.problem = u"the input has more than one line; give only the key"_s;
        else
            input.key = QString::fromUtf8(line);
        if (input.problem.isEmpty())
            input.problem = AccuWeatherKeyProvider::keyShapeProblem(input.key);
        if (!input.problem.isEmpty())
            input.key.fill(u'\0');
    }
    bytes.fill('\0');
    return input;
}

QString keychainEntry(const Keychain &keychain)
{
    return u"%1, service \"%2\", key \"%3\""_s.arg(
        Keychain::backendName(), keychain.service(),
        QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
}

// The variables that win over the keychain, so a stored key would not be the one in use.
QStringList overridingVariables()
{
    QStringList set;
    for (const char *variable :
         {AccuWeatherKeyProvider::kFileVariable, AccuWeatherKeyProvider::kVariable}) {
        if (!qEnvironmentVariable(variable).trimmed().isEmpty())
            set << QLatin1String(variable);
    }
    return set;
}

int setKey(const Keychain &keychain, QTextStream &out, QTextStream &err)
{
    KeyInput input = readKey(err);
    if (!input.problem.isEmpty()) {
        err << "isobar credentials set: " << input.problem << "; nothing was stored\n";
        return kUsage;
    }
    const Keychain::Result written =
        keychain.write(QLatin1String(AccuWeatherKeyProvider::kKeychainKey), input.key);
    if (!written.ok()) {
        input.key.fill(u'\0');
        err << "isobar credentials set: cannot store the key: "
            << Keychain::statusName(written.status) << ": " << written.error
            << "\nNothing was written anywhere else. Without a keychain, give the key through "
            << AccuWeatherKeyProvider::kFileVariable << " or " << AccuWeatherKeyProvider::kVariable
            << ".\n";
        return kSourceProblem;
    }
    // Read it back: a keychain that accepts a write but loses it should not look like success.
    Keychain::Result stored = keychain.read(QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
    const bool same = stored.ok() && stored.secret == input.key;
    stored.secret.fill(u'\0');
    input.key.fill(u'\0');
    if (!same) {
        err << "isobar credentials set: the keychain accepted the key but does not give it back ("
            << (stored.ok() ? u"a different value"_s : stored.error) << ")\n";
        return kSourceProblem;
    }
    out << "stored the AccuWeather API key in the keychain (" << keychainEntry(keychain) << ")\n";
    for (const QString &variable : overridingVariables())
        out << "note: " << variable << " is set and takes precedence over the keychain\n";
    return kOk;
}

int clearKey(const Keychain &keychain, QTextStream &out, QTextStream &err)
{
    const Keychain::Result removed =
        keychain.remove(QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
    if (removed.status == Keychain::Status::NotFound) {
        out << "no AccuWeather API key in the keychain (" << keychainEntry(keychain)
            << "); nothing to remove\n";
    } else if (removed.ok()) {
        out << "removed the AccuWeather API key from the keychain (" << keychainEntry(keychain)
            << ")\n";
    } else {
        err << "isobar credentials clear: cannot remove the key: "
            << Keychain::statusName(removed.status) << ": " << removed.error << '\n';
        return kSourceProblem;
    }
    for (const QString &variable : overridingVariables())
        out << "note: " << variable << " is still set and provides the key\n";
    return kOk;
}

int checkUpstream(const QString &key, const AccuWeatherClient::Options &options, QTextStream &out)
{
    AccuWeatherClient client(options, [key] { return key; });
    QFutureWatcher<UpstreamResult> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<UpstreamResult>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(AccuWeatherKeyCheck::start(client));
    if (!watcher.isFinished())
        loop.exec();
    const AccuWeatherKeyCheck check =
        AccuWeatherKeyCheck::fromResult(watcher.result(), options.baseUrl);
    out << "check: " << check.message << '\n';
    switch (check.verdict) {
    case AccuWeatherKeyCheck::Verdict::Accepted:
        return kOk;
    case AccuWeatherKeyCheck::Verdict::Rejected:
        return kKeyRejected;
    case AccuWeatherKeyCheck::Verdict::QuotaExhausted:
        return kQuotaExhausted;
    case AccuWeatherKeyCheck::Verdict::Unreachable:
    case AccuWeatherKeyCheck::Verdict::Unexpected:
        break;
    }
    return kUpstreamProblem;
}

int showStatus(const Keychain &keychain, bool check, const AccuWeatherClient::Options &options,
               QTextStream &out)
{
    const AccuWeatherKeyProvider provider(keychain);
    AccuWeatherKeyProvider::Resolution resolution = provider.resolve();
    out << "source: " << AccuWeatherKeyProvider::sourceName(resolution.source) << '\n';
    if (!resolution.where.isEmpty())
        out << "where: " << resolution.where << '\n';
    int code = kOk;
    if (resolution.usable()) {
        out << "key: present\n";
    } else if (!resolution.problem.isEmpty()) {
        out << "key: unusable: " << resolution.problem << '\n';
        code = kSourceProblem;
    } else {
        out << "key: absent (no " << AccuWeatherKeyProvider::kFileVariable << ", no "
            << AccuWeatherKeyProvider::kVariable
            << ", nothing in the keychain: " << keychainEntry(keychain)
            << "); store one with 'isobar credentials set'\n";
        code = kNoKey;
    }
    if (check) {
        if (code == kOk)
            code = checkUpstream(resolution.key, options, out);
        else
            out << "check: skipped (no usable key)\n";
    }
    resolution.key.fill(u'\0');
    return code;
}

} // namespace

int runCredentialsCommand(const QStringList &arguments)
{
    // QtKeychain prints its own debug lines; this command reports what happened itself.
    // QT_LOGGING_RULES still overrides this when debugging.
    QLoggingCategory::setFilterRules(u"default.debug=false\nisobar.upstream=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(QLatin1String(kDescription));
    parser.addHelpOption();
    parser.addPositionalArgument(u"action"_s, u"set, status or clear."_s,
                                 u"credentials set|status|clear"_s);
    const QCommandLineOption check(u"check"_s,
                                   u"status: also try the key with one AccuWeather call "
                                   "(a geoposition search)."_s);
    parser.addOption(check);
    const QList<const char *> upstreamSettings = {"accuweather-url", "accuweather-key-placement",
                                                  "accuweather-timeout-ms"};
    ServerSettings::addOptions(parser, upstreamSettings);
    parser.process(arguments);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (positional.size() != 1 || (action != u"set" && action != u"status" && action != u"clear")) {
        err << "isobar credentials: give one action: set, status or clear (see 'isobar credentials "
               "--help')\n";
        return kUsage;
    }
    if (parser.isSet(check) && action != u"status") {
        err << "isobar credentials: --check goes with 'status'\n";
        return kUsage;
    }

    const Keychain keychain;
    if (action == u"set")
        return setKey(keychain, out, err);
    if (action == u"clear")
        return clearKey(keychain, out, err);

    ServerConfig config;
    if (const QString error =
            ServerSettings::apply(config, SettingSources::commandLine(parser), upstreamSettings);
        !error.isEmpty()) {
        err << "isobar credentials: " << error << '\n';
        return kUsage;
    }
    AccuWeatherClient::Options options = config.upstream;
    options.maxRetries = 0; // one real call, as promised
    return showStatus(keychain, parser.isSet(check), options, out);
}

} // namespace isobar
