#pragma once

#include <QCommandLineParser>
#include <QString>
#include <optional>

namespace isobar {

// One configurable value: its command-line flag, environment variable and INI key, with its
// default. The README's configuration table lists exactly these.
struct SettingSpec {
    const char *flag;        // --port
    const char *environment; // ISOBAR_PORT
    const char *iniKey;      // server/port
    const char *valueName;   // nullptr: a switch (--no-auth), set by the flag alone
    const char *defaultValue;
    const char *description;
};

// Resolves settings in the documented precedence: flag > ISOBAR_* variable > config file
// (--config or ISOBAR_CONFIG, INI) > built-in default.
class Settings
{
public:
    static const QList<SettingSpec> &serveSpecs();
    static void addOptions(QCommandLineParser &parser, const QList<SettingSpec> &specs);

    explicit Settings(const QCommandLineParser &parser);

    QString text(const char *flag) const;
    // A whole number within [minimum, maximum]; a bad value sets error() naming its source.
    qint64 integer(const char *flag, qint64 minimum, qint64 maximum);
    // A switch: the flag alone, or true/false, yes/no, on/off, 1/0 from the other sources.
    bool enabled(const char *flag);
    QString error() const { return m_error; }

private:
    const SettingSpec *spec(const char *flag) const;
    QString source(const char *flag) const;

    const QCommandLineParser &m_parser;
    QString m_configFile;
    QString m_error;
};

} // namespace isobar
