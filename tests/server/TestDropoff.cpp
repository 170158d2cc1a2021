// The drop-off as `isobar serve` runs it: files dropped in a folder or under an S3 prefix (a real
// S3-compatible server) are loaded once, rejected ones kept and reported, files still being
// written left alone, an unreadable drop-off shown and recovered from, and, on PostgreSQL, one
// replica scanning for the fleet and another taking over when it dies.

#include "PostgresqlTestDatabase.h"
#include "S3Server.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 30'000;
constexpr int kFixturePoints = 7; // the points of the cases fixture
constexpr int kPublicPoints = 6;  // those served: the last is embargoed until 2099
const QByteArray kSeries = "/api/public/timeseries/themes/infectious_disease/sub_themes/"
                           "respiratory/topics/COVID-19/geography_types/Nation/geographies/"
                           "England/metrics/COVID-19_cases_casesByDay";

QByteArray fixture(const QString &name)
{
    QFile file(fixturesDir() + u"/metrics/"_s + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray cases()
{
    return fixture(u"COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"_s);
}

// The cases fixture with one value that is not a number: the whole file must be refused.
QByteArray invalidCases()
{
    QByteArray bytes = cases();
    return bytes.replace("\"metric_value\": 5524", "\"metric_value\": \"abc\"");
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QJsonObject dropoffHealth(quint16 port)
{
    return HttpClient::request(port, "GET", "/health").json()[u"dropoff"].toObject();
}

QJsonArray runs(quint16 port)
{
    return HttpClient::request(port, "GET", "/api/v1/ingest/runs").json()[u"runs"].toArray();
}

// The run of `file` among `all` (the newest, as they are listed newest first).
QJsonObject runOf(const QJsonArray &all, const QString &file)
{
    for (const auto &run : all) {
        if (run[u"file"].toString() == file)
            return run.toObject();
    }
    return {};
}

int seriesPoints(quint16 port)
{
    return HttpClient::request(port, "GET", kSeries).json()[u"count"].toInt();
}

const QStringList kQuickScans = {u"--dropoff-poll-ms"_s, u"100"_s, u"--dropoff-settle-ms"_s,
                                 u"0"_s};

} // namespace

class TestDropoff : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void aFolderLoadsEachVersionOnceAndKeepsWhatItRejects()
    {
        const QString drop = m_dir.filePath(u"drop"_s);
        QVERIFY(QDir().mkpath(drop));
        QVERIFY(write(drop + u"/cases.json"_s, cases()));
        QVERIFY(write(drop + u"/broken.json"_s, invalidCases()));
        const QString store = m_dir.filePath(u"folder.db"_s);

        ServerProcess server;
        QVERIFY2(server.start(store, QStringList{u"--dropoff"_s, drop} + kQuickScans),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(runs(server.port()).size(), 2, kWaitMs);
        const QJsonArray taken = runs(server.port());
        const QJsonObject loaded = runOf(taken, u"cases.json"_s);
        QCOMPARE(loaded[u"outcome"].toString(), u"loaded"_s);
        QCOMPARE(loaded[u"counts"][u"inserted"].toInt(), kFixturePoints);
        QCOMPARE(loaded[u"source"].toString(), QDir(drop).absolutePath());
        const QJsonObject rejected = runOf(taken, u"broken.json"_s);
        QCOMPARE(rejected[u"outcome"].toString(), u"rejected"_s);
        QVERIFY2(rejected[u"errors"][0].toString().contains(u"metric_value"_s),
                 qPrintable(rejected[u"errors"][0].toString()));
        QVERIFY(QFile::exists(drop + u"/broken.json"_s)); // kept for the data team
        QCOMPARE(seriesPoints(server.port()), kPublicPoints);
        const QJsonObject health = dropoffHealth(server.port());
        QCOMPARE(health[u"status"].toString(), u"ok"_s);
        QCOMPARE(health[u"loaded"].toInt(), 1);
        QCOMPARE(health[u"rejected"].toInt(), 1);

        // A file written under a hidden name is not read, however often the folder is scanned,
        // until it is renamed.
        QVERIFY(write(drop + u"/.late.json"_s, cases().left(200)));
        const int scans = dropoffHealth(server.port())[u"scans"].toInt();
        QTRY_VERIFY_WITH_TIMEOUT(dropoffHealth(server.port())[u"scans"].toInt() >= scans + 3,
                                 kWaitMs);
        QCOMPARE(runs(server.port()).size(), 2);
        QVERIFY(write(drop + u"/.late.json"_s, cases()));
        QVERIFY(QFile::rename(drop + u"/.late.json"_s, drop + u"/late.json"_s));
        QTRY_COMPARE_WITH_TIMEOUT(runs(server.port()).size(), 3, kWaitMs);
        QCOMPARE(runOf(runs(server.port()), u"late.json"_s)[u"outcome"].toString(), u"loaded"_s);
        QCOMPARE(server.stop(), 0);

        // Another process on the same store takes nothing twice.
        ServerProcess again;
        QVERIFY2(again.start(store, QStringList{u"--dropoff"_s, drop} + kQuickScans),
                 again.output().constData());
        QTRY_VERIFY_WITH_TIMEOUT(dropoffHealth(again.port())[u"scans"].toInt() >= 3, kWaitMs);
        QCOMPARE(runs(again.port()).size(), 3);

        // The corrected file, dropped under the same name, is a new version: loaded.
        QVERIFY(write(drop + u"/broken.json"_s, cases()));
        QTRY_COMPARE_WITH_TIMEOUT(runs(again.port()).size(), 4, kWaitMs);
        const QJsonObject corrected = runs(again.port())[0].toObject();
        QCOMPARE(corrected[u"file"].toString(), u"broken.json"_s);
        QCOMPARE(corrected[u"outcome"].toString(), u"loaded"_s);
        QCOMPARE(corrected[u"counts"][u"unchanged"].toInt(), kFixturePoints);
    }

    void aFolderThatGoesAwayDegradesAndRecovers()
    {
        const QString drop = m_dir.filePath(u"vanishing"_s);
        QVERIFY(QDir().mkpath(drop));
        ServerProcess server;
        // No writable temporary folder, as on a read-only root filesystem: a folder is read
        // where it is and needs none.
        server.setEnvironmentVariable(u"TMPDIR"_s, m_dir.filePath(u"no-such-folder"_s));
        QVERIFY2(server.start(m_dir.filePath(u"vanishing.db"_s),
                              QStringList{u"--dropoff"_s, drop} + kQuickScans),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(dropoffHealth(server.port())[u"status"].toString(), u"ok"_s,
                                  kWaitMs);

        QVERIFY(QDir(drop).removeRecursively());
        QTRY_COMPARE_WITH_TIMEOUT(dropoffHealth(server.port())[u"status"].toString(),
                                  u"unavailable"_s, kWaitMs);
        const HttpReply health = HttpClient::request(server.port(), "GET", "/health");
        QCOMPARE(health.status, 200); // the data already loaded is still served
        QCOMPARE(health.json()[u"status"].toString(), u"degraded"_s);
        QVERIFY(health.json()[u"dropoff"][u"error"].toString().contains(u"does not exist"_s));
        QVERIFY(HttpClient::request(server.port(), "GET", "/metrics")
                    .body.contains("\nisobar_dropoff_up 0\n"));

        QVERIFY(QDir().mkpath(drop));
        QVERIFY(write(drop + u"/cases.json"_s, cases()));
        QTRY_COMPARE_WITH_TIMEOUT(runs(server.port()).size(), 1, kWaitMs);
        QCOMPARE(dropoffHealth(server.port())[u"status"].toString(), u"ok"_s);
        QCOMPARE(seriesPoints(server.port()), kPublicPoints);
    }

    // A drop-off that cannot be used at all stops the server at start, saying why; bad
    // questions about the runs are answered 400, naming the parameter.
    void badDropoffSettingsAndQuestionsAreRefused()
    {
        QProcess serve;
        serve.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                 "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE"})
            environment.remove(QLatin1String(name));
        environment.insert(u"HOME"_s, m_dir.path()); // no ~/.aws of the machine's
        serve.setProcessEnvironment(environment);
        serve.start(QString::fromUtf8(ISOBAR_BINARY),
                    {u"serve"_s, u"--no-auth"_s, u"--port"_s, u"0"_s, u"--database"_s,
                     m_dir.filePath(u"refused.db"_s), u"--dropoff"_s, u"s3://drop/in"_s});
        QVERIFY(serve.waitForFinished(30'000));
        QVERIFY(serve.exitCode() != 0);
        const QByteArray said = serve.readAll();
        QVERIFY2(said.contains("dropoff: no S3 credentials"), said.constData());

        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath(u"questions.db"_s)), server.output().constData());
        for (const auto &[target, field] :
             {std::pair{"/api/v1/ingest/runs?limit=0", "limit"},
              std::pair{"/api/v1/ingest/runs?outcome=maybe", "outcome"},
              std::pair{"/api/v1/ingest/runs?before=x", "before"},
              std::pair{"/api/v1/ingest/runs?colour=red", "colour"}}) {
            const HttpReply reply = HttpClient::request(server.port(), "GET", target);
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.json()[u"field"].toString(), QLatin1String(field));
        }
        const QJsonObject answer =
            HttpClient::request(server.port(), "GET", "/api/v1/ingest/runs").json().object();
        QCOMPARE(answer[u"dropoff"][u"status"].toString(), u"off"_s);
        QVERIFY(answer[u"runs"].toArray().isEmpty());
        QVERIFY(answer[u"next_before"].isNull());
    }

    void anS3PrefixIsLoadedWithSignedRequests()
    {
        S3Server s3;
        QVERIFY2(s3.start({u"drop"_s}), qPrintable(s3.errorString()));
        QVERIFY2(s3.put(u"drop"_s, u"in/2026-12/cases.json"_s, cases()),
                 qPrintable(s3.errorString()));
        QVERIFY2(s3.put(u"drop"_s, u"in/broken.json"_s, invalidCases()),
                 qPrintable(s3.errorString()));
        QVERIFY2(s3.put(u"drop"_s, u"elsewhere/other.json"_s, cases()),
                 qPrintable(s3.errorString()));
        // The keys come from a mounted credentials file, as from a Kubernetes secret.
        const QString credentials = m_dir.filePath(u"aws-credentials"_s);
        QVERIFY(
            write(credentials, "[default]\naws_access_key_id = " + QByteArray(S3Server::kAccessKey)
                                   + "\naws_secret_access_key = " + S3Server::kSecret + "\n"));

        ServerProcess server;
        server.setEnvironmentVariable(u"AWS_ENDPOINT_URL"_s, s3.endpoint());
        server.setEnvironmentVariable(u"AWS_REGION"_s, u"eu-west-3"_s);
        server.setEnvironmentVariable(u"AWS_SHARED_CREDENTIALS_FILE"_s, credentials);
        QVERIFY2(server.start(m_dir.filePath(u"s3.db"_s),
                              QStringList{u"--dropoff"_s, u"s3://drop/in"_s} + kQuickScans),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(runs(server.port()).size(), 2, kWaitMs);
        const QJsonArray taken = runs(server.port());
        const QJsonObject loaded = runOf(taken, u"2026-12/cases.json"_s);
        QCOMPARE(loaded[u"outcome"].toString(), u"loaded"_s);
        QCOMPARE(loaded[u"source"].toString(), u"s3://drop/in/"_s);
        QCOMPARE(loaded[u"counts"][u"inserted"].toInt(), kFixturePoints);
        QCOMPARE(runOf(taken, u"broken.json"_s)[u"outcome"].toString(), u"rejected"_s);
        QCOMPARE(seriesPoints(server.port()), kPublicPoints);

        // A new object is picked up at the next scan.
        QVERIFY(s3.put(u"drop"_s, u"in/more.json"_s, cases()));
        QTRY_COMPARE_WITH_TIMEOUT(runs(server.port()).size(), 3, kWaitMs);
        QCOMPARE(runOf(runs(server.port()), u"more.json"_s)[u"counts"][u"unchanged"].toInt(),
                 kFixturePoints);
    }

    void aWrongS3SecretIsShownNotLoaded()
    {
        S3Server s3;
        QVERIFY2(s3.start({u"drop"_s}), qPrintable(s3.errorString()));
        QVERIFY(s3.put(u"drop"_s, u"cases.json"_s, cases()));
        ServerProcess server;
        server.setEnvironmentVariable(u"AWS_ENDPOINT_URL"_s, s3.endpoint());
        server.setEnvironmentVariable(u"AWS_ACCESS_KEY_ID"_s, QLatin1String(S3Server::kAccessKey));
        server.setEnvironmentVariable(u"AWS_SECRET_ACCESS_KEY"_s, u"not-the-secret"_s);
        QVERIFY2(server.start(m_dir.filePath(u"s3-refused.db"_s),
                              QStringList{u"--dropoff"_s, u"s3://drop"_s} + kQuickScans),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(dropoffHealth(server.port())[u"status"].toString(),
                                  u"unavailable"_s, kWaitMs);
        const QString error = dropoffHealth(server.port())[u"error"].toString();
        QVERIFY2(error.contains(u"403"_s) && error.contains(u"SignatureDoesNotMatch"_s),
                 qPrintable(error));
        QVERIFY(!error.contains(u"not-the-secret"_s));
        QVERIFY(runs(server.port()).isEmpty());
        QCOMPARE(server.stop(), 0);
        QVERIFY(!server.output().contains("not-the-secret"));
    }

    void oneReplicaScansAndAnotherTakesOver()
    {
        PostgresqlTestDatabase database;
        QVERIFY2(database.isValid(), qPrintable(database.errorString()));
        const QString drop = m_dir.filePath(u"fleet"_s);
        QVERIFY(QDir().mkpath(drop));
        ServerProcess first, second;
        QVERIFY2(first.start(database.url(),
                             QStringList{u"--dropoff"_s, drop, u"--replica-id"_s, u"first"_s}
                                 + kQuickScans),
                 first.output().constData());
        QVERIFY2(second.start(database.url(),
                              QStringList{u"--dropoff"_s, drop, u"--replica-id"_s, u"second"_s}
                                  + kQuickScans),
                 second.output().constData());
        const auto states = [&] {
            return QStringList{dropoffHealth(first.port())[u"status"].toString(),
                               dropoffHealth(second.port())[u"status"].toString()};
        };
        QTRY_VERIFY_WITH_TIMEOUT(states().contains(u"ok"_s) && states().contains(u"standby"_s),
                                 kWaitMs);
        const bool firstScans = states().constFirst() == u"ok"_s;
        ServerProcess &scanner = firstScans ? first : second;
        ServerProcess &other = firstScans ? second : first;
        const QString otherName = firstScans ? u"second"_s : u"first"_s;

        const QStringList files = {u"a.json"_s, u"b.json"_s, u"c.json"_s};
        for (const QString &file : files)
            QVERIFY(write(drop + u'/' + file, cases()));
        QTRY_COMPARE_WITH_TIMEOUT(runs(other.port()).size(), 3, kWaitMs);
        for (const auto &run : runs(other.port()))
            QCOMPARE(run[u"replica"].toString(), firstScans ? u"first"_s : u"second"_s);
        QCOMPARE(seriesPoints(other.port()), kPublicPoints); // loaded by one, served by both

        // The scanner dies without a word; its lock goes with its connection.
        ::kill(pid_t(scanner.processId()), SIGKILL);
        QTRY_COMPARE_WITH_TIMEOUT(dropoffHealth(other.port())[u"status"].toString(), u"ok"_s,
                                  kWaitMs);
        QVERIFY(write(drop + u"/d.json"_s, cases()));
        QTRY_COMPARE_WITH_TIMEOUT(runs(other.port()).size(), 4, kWaitMs);
        const QJsonArray taken = runs(other.port());
        QCOMPARE(taken[0][u"file"].toString(), u"d.json"_s);
        QCOMPARE(taken[0][u"replica"].toString(), otherName);
    }
};

QTEST_GUILESS_MAIN(TestDropoff)
#include "TestDropoff.moc"
