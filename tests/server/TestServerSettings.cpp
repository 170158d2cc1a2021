// The one settings table: every row round-trips its default, refuses values out of its range
// naming the setting and the source, follows the documented precedence, and is the README's
// configuration table, column by column.

#include "TestSupport.h"
#include "config/ServerSettings.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

class TestServerSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyDefaultRoundTrips()
    {
        for (const ServerSetting &setting : ServerSettings::all()) {
            ServerConfig config;
            const QString text = setting.defaultText();
            QVERIFY2(setting.write(config, text).isEmpty(), setting.flag);
            QCOMPARE(setting.read(config), text);
        }
    }

    void wholeNumbersKeepToTheirRange()
    {
        for (const ServerSetting &setting : ServerSettings::all()) {
            if (setting.minimum == setting.maximum)
                continue; // not a whole number
            ServerConfig config;
            QVERIFY(setting.write(config, QString::number(setting.minimum)).isEmpty());
            QCOMPARE(setting.read(config), QString::number(setting.minimum));
            QVERIFY(setting.write(config, QString::number(setting.maximum)).isEmpty());
            QCOMPARE(setting.read(config), QString::number(setting.maximum));
            const QString expected =
                u"must be a whole number from %1 to %2"_s.arg(setting.minimum).arg(setting.maximum);
            QCOMPARE(setting.write(config, QString::number(setting.maximum + 1)), expected);
            QCOMPARE(setting.write(config, QString::number(setting.minimum - 1)), expected);
            QCOMPARE(setting.write(config, u"ten"_s), expected);
            QCOMPARE(setting.read(config), QString::number(setting.maximum)); // unchanged
        }
    }

    void flagThenEnvironmentThenFileThenDefault()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString ini = dir.filePath(u"isobar.ini"_s);
        {
            QSettings file(ini, QSettings::IniFormat);
            file.setValue(u"server/port"_s, 7001);
            file.setValue(u"limits/max_plots"_s, 7);
            file.setValue(u"weather/ttl_daily_s"_s, 7200);
        }
        qputenv("ISOBAR_MAX_PLOTS", "8");
        qputenv("ISOBAR_WEATHER_TTL_DAILY", "3600");
        QCommandLineParser parser;
        ServerSettings::addOptions(parser);
        QVERIFY(parser.parse({u"isobar"_s, u"--config"_s, ini, u"--weather-ttl-daily"_s, u"60"_s}));
        ServerConfig config;
        const QString refused = ServerSettings::apply(config, SettingSources::commandLine(parser));
        qunsetenv("ISOBAR_MAX_PLOTS");
        qunsetenv("ISOBAR_WEATHER_TTL_DAILY");
        QCOMPARE(refused, QString());
        QCOMPARE(config.weather.dailyTtlSeconds, 60);                         // flag
        QCOMPARE(config.maxPlots, 8);                                         // environment
        QCOMPARE(config.port, quint16(7001));                                 // file
        QCOMPARE(config.maxRowsPerRequest, ServerConfig{}.maxRowsPerRequest); // default
    }

    void aRefusalNamesTheSettingAndItsSource()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"isobar.ini"_s);
        {
            QSettings file(ini, QSettings::IniFormat);
            file.setValue(u"weather/key_placement"_s, u"header"_s);
            file.setValue(u"server/port"_s, 7002);
        }
        QSettings file(ini, QSettings::IniFormat);
        ServerConfig config;
        QCOMPARE(ServerSettings::apply(config, SettingSources::settingsFile(file)),
                 u"accuweather-key-placement: 'header' must be bearer or query "
                 "(from weather/key_placement in %1)"_s.arg(ini));
        QCOMPARE(config.port, quint16(7002)); // the other values are still taken
        QCOMPARE(config.upstream.keyPlacement, ServerConfig{}.upstream.keyPlacement);
    }

    // An operator writes a list in the INI file as they would anywhere: unquoted.
    void anUnquotedListInTheFileIsTheList()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"isobar.conf"_s);
        {
            QFile file(ini);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[server]\ncors_origins = https://a.example.org, https://b.example.org\n"
                       "[auth]\noidc_algorithms = \"RS256,ES256\"\n");
        }
        QSettings file(ini, QSettings::IniFormat);
        ServerConfig config;
        QCOMPARE(ServerSettings::apply(config, SettingSources::settingsFile(file)), QString());
        QCOMPARE(config.corsOrigins,
                 QStringList({u"https://a.example.org"_s, u"https://b.example.org"_s}));
        QCOMPARE(config.auth.algorithms, QStringList({u"RS256"_s, u"ES256"_s}));
    }

    void theReadmeTableIsThisTable()
    {
        QFile readme(QString::fromUtf8(ISOBAR_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        // | `--flag` | `VARIABLE` | `ini/key` | default | what it does |
        static const QRegularExpression row(
            u"^\\| `--([a-z0-9-]+)` \\| `(ISOBAR_[A-Z0-9_]+)` \\| `([a-z_/]+)` \\| "
            "([^|]+) \\|"_s);
        QHash<QString, QStringList> documented;
        for (const QString &line : QString::fromUtf8(readme.readAll()).split(u'\n')) {
            if (const auto match = row.match(line); match.hasMatch())
                documented.insert(match.captured(1), {match.captured(2), match.captured(3),
                                                      match.captured(4).trimmed()});
        }
        QCOMPARE(documented.size(), ServerSettings::all().size());
        for (const ServerSetting &setting : ServerSettings::all()) {
            const QStringList columns = documented.value(QLatin1String(setting.flag));
            QVERIFY2(!columns.isEmpty(), setting.flag);
            QCOMPARE(columns[0], QLatin1String(setting.environment));
            QCOMPARE(columns[1], QLatin1String(setting.iniKey));
            const QString &shown = columns[2];
            const QString defaultText = setting.defaultText();
            if (!setting.valueName)
                QCOMPARE(shown, defaultText == u"true" ? u"on"_s : u"off"_s);
            else if (defaultText.isEmpty())
                QVERIFY2(shown.startsWith(u'('), setting.flag); // (none), (discovered)
            else
                QVERIFY2(shown.startsWith(u'`' + defaultText + u'`'), setting.flag);
        }
    }
};

QTEST_GUILESS_MAIN(TestServerSettings)
#include "TestServerSettings.moc"
