#pragma once

#include "ServerConfig.h"

#include <QCommandLineParser>
#include <QList>
#include <QSettings>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace isobar {

// One configurable value of the server: its command-line flag, environment variable, INI key
// and help, and how it is read from and written to a ServerConfig. A default-constructed
// ServerConfig holds the defaults, so each default is written once, beside its field; every
// face (`serve`, `ingest`, `chart`, `credentials`, the desktop) reads and writes through these
// rows, and the README's configuration table lists them.
struct ServerSetting {
    const char *flag;        // "port", given as --port
    const char *environment; // ISOBAR_PORT
    const char *iniKey;      // server/port, in `serve`'s --config file and the desktop's
    const char *valueName;   // nullptr: a switch (--no-auth), set by the flag alone
    const char *description;
    // The value as text: the default shown in --help, the value written to an INI file.
    std::function<QString(const ServerConfig &)> read;
    // Takes a value given as text; returns why it is refused (out of range, not one of the
    // choices, not an address), or an empty string.
    std::function<QString(ServerConfig &, const QString &)> write;
    qint64 minimum; // the range of a whole-number setting (both 0 for the others), for the
    qint64 maximum; // desktop's spin boxes

    QString defaultText() const { return read(ServerConfig{}); }
};

// Where values come from, in the documented precedence: command-line flag > ISOBAR_* variable >
// INI file > the value already in the config (its default, or a face's own default).
class SettingSources
{
public:
    // The flags of a parser set up by ServerSettings::addOptions, the environment, and the INI
    // file that --config or ISOBAR_CONFIG names.
    static SettingSources commandLine(const QCommandLineParser &parser);
    // The ISOBAR_* variables alone.
    static SettingSources environment();
    // A settings file alone (the desktop's preferences); it must outlive the sources.
    static SettingSources settingsFile(QSettings &ini);

    struct Value {
        QString text;
        QString source; // "--port", "ISOBAR_PORT", "server/port in FILE"
    };
    std::optional<Value> find(const ServerSetting &setting) const;

private:
    const QCommandLineParser *m_parser = nullptr;
    bool m_environment = false;
    std::shared_ptr<QSettings> m_ownIni; // the --config file
    QSettings *m_ini = nullptr;
};

namespace ServerSettings {

// Every setting, in the order of `serve --help` and the README.
const QList<ServerSetting> &all();
// The row of `flag`; an unknown flag is a programming error (fatal).
const ServerSetting &named(const char *flag);

// --config and the options of `flags` (every setting when empty), with their help.
void addOptions(QCommandLineParser &parser, const QList<const char *> &flags = {});
// Applies what `sources` give for `flags` (every setting when empty) onto `config`. A refused
// value leaves its field alone. Returns the first refusal, naming the setting, the value and
// where it came from ("port: 'http' must be a whole number from 0 to 65535 (from --port)");
// empty when every value was taken.
QString apply(ServerConfig &config, const SettingSources &sources,
              const QList<const char *> &flags = {});
// Writes the values of `flags` into an INI file under the keys `serve` reads.
void save(const ServerConfig &config, QSettings &ini, const QList<const char *> &flags);

} // namespace ServerSettings

} // namespace isobar
