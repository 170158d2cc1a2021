#include "TestSupport.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

struct Run {
    int exitCode = -1;
    QString output;
};

Run runIsobar(const QStringList &arguments,
              const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(ISOBAR_BINARY, arguments);
    process.waitForFinished(30000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void versionAndHelp()
    {
        Run run = runIsobar({"--version"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.output.startsWith("isobar " ISOBAR_VERSION));
        run = runIsobar({"--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.output.contains("serve") && run.output.contains("ingest"));
        run = runIsobar({"serve", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("--max-body-bytes") && run.output.contains("ISOBAR_PORT"),
                 qPrintable(run.output));
    }

    void unknownCommandIsAnError()
    {
        const Run run = runIsobar({"frobnicate"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.output.contains("unknown command 'frobnicate'"));
    }

    void badSettingNamesItsSource_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QString>("message");
        QTest::newRow("flag")
            << QStringList{"--port", "http"} << ""
            << "port: 'http' must be a whole number from 0 to 65535 (from --port)";
        QTest::newRow("env") << QStringList{} << "ISOBAR_MAX_BODY_BYTES=-5"
                             << "max-body-bytes: '-5' must be a whole number from 0 to 1073741824 "
                                "(from ISOBAR_MAX_BODY_BYTES)";
        QTest::newRow("bind") << QStringList{"--bind", "localhostt"} << ""
                              << "bind: 'localhostt' is not an IP address (from --bind)";
        QTest::newRow("choice") << QStringList{} << "ISOBAR_ACCUWEATHER_KEY_PLACEMENT=header"
                                << "accuweather-key-placement: 'header' must be bearer or query "
                                   "(from ISOBAR_ACCUWEATHER_KEY_PLACEMENT)";
    }
    void badSettingNamesItsSource()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, environment);
        QFETCH(QString, message);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!environment.isEmpty())
            env.insert(environment.section('=', 0, 0), environment.section('=', 1));
        const Run run = runIsobar(
            QStringList{"serve", "--database", m_dir.filePath("bad.db")} + arguments, env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains(message), qPrintable(run.output));
    }

    void ingestAndChartReadTheConfigFile()
    {
        // The store named in the INI file, under the key `serve` reads: ingest fills it there,
        // and chart draws from it.
        const QString store = m_dir.filePath(u"from-config.db"_s);
        const QString ini = m_dir.filePath(u"store.ini"_s);
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(u"[storage]\ndatabase=%1\n"_s.arg(store).toUtf8());
        file.close();
        Run run = runIsobar(
            {"ingest", "--config", ini, QString::fromUtf8(ISOBAR_TEST_FIXTURES_DIR "/metrics")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(QFile::exists(store), qPrintable(run.output));

        const QString request = m_dir.filePath(u"chart.json"_s);
        QFile body(request);
        QVERIFY(body.open(QIODevice::WriteOnly));
        body.write(R"({"plots": [{"topic": "COVID-19", "metric": "COVID-19_cases_casesByDay",
                       "chart_type": "line_multi_coloured", "date_from": "2022-12-01"}]})");
        body.close();
        const QString chart = m_dir.filePath(u"from-config.png"_s);
        run = runIsobar({"chart", "--config", ini, "--out", chart, request});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(QFileInfo(chart).size() > 0, qPrintable(run.output));
    }

    void precedenceFlagThenEnvironmentThenFileThenDefault()
    {
        // The ports are the values under test, so they are chosen here; held until the test
        // ends, so that no other test can take one before the server listens on it.
        const test::ReservedPort fileReserved(test::ReservedPort::Use::ForAListener);
        const test::ReservedPort envReserved(test::ReservedPort::Use::ForAListener);
        const quint16 filePort = fileReserved.port();
        const quint16 envPort = envReserved.port();
        const QString ini = m_dir.filePath("isobar.ini");
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(u"[server]\nport=%1\n"_s.arg(filePort).toUtf8());
        file.close();

        auto listeningPort = [&](const QStringList &extra, bool withEnv) {
            QProcess process;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("ISOBAR_CONFIG", ini);
            if (withEnv)
                env.insert("ISOBAR_PORT", QString::number(envPort));
            process.setProcessEnvironment(env);
            process.setProcessChannelMode(QProcess::MergedChannels);
            process.start(ISOBAR_BINARY,
                          QStringList{"serve", "--no-auth", "--database", m_dir.filePath("p.db")}
                              + extra);
            QString output;
            const QDeadlineTimer deadline(60000);
            while (!output.contains("listening on") && !deadline.hasExpired()) {
                if (!process.waitForReadyRead(200) && process.state() == QProcess::NotRunning)
                    break;
                output += QString::fromUtf8(process.readAll());
            }
            output += QString::fromUtf8(process.readAll());
            if (!output.contains("listening on"))
                qWarning("%s", qPrintable(output));
            process.terminate();
            process.waitForFinished(5000);
            return output.section("listening on http://127.0.0.1:", 1).section('/', 0, 0).toUInt();
        };
        QCOMPARE(listeningPort({}, false), filePort);
        QCOMPARE(listeningPort({}, true), envPort);
        QCOMPARE(listeningPort({"--port", "0"}, true) != envPort, true);
    }

    void sigtermDrainsAndExitsZero()
    {
        test::ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath("drain.db")), server.output().constData());
        test::HttpClient keptOpen(server.port());
        keptOpen.sendRaw("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(keptOpen.readReply());
        QCOMPARE(server.stop(), 0);
        QVERIFY(keptOpen.waitForClose(30000));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "TestCommandLine.moc"
