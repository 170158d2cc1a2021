// Everything that touches one store at once, as in a desktop session with its embedded server:
// imports (good and rejected files) on their own threads, uploads through the API, clients
// reading the metrics and stats APIs, the request log writing batches, sealing hours and folding
// days. After every round the file must pass SQLite's integrity check, every answer must have
// been a real one (never a 5xx), and only the good files' data may be stored.
//
// The rounds are few by default so the suite stays quick; ISOBAR_STRESS_ROUNDS raises them
// (the TSan run in .ci uses this test with its own count).

#include "Durations.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "RequestLogWriter.h"
#include "ServerThread.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QtConcurrent>
#include <atomic>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

constexpr int kSeededHours = 50;
constexpr int kSeededEventsPerHour = 100;

// Files the importer and the uploads take turns with: each good one has a broken twin.
const QStringList kFiles = {
    u"COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"_s,
    u"COVID-19_deaths_ONSByWeek_LTLA_E07000040_all_all_default.json"_s,
    u"COVID-19_headline_cases_7DayTotals_CTRY_E92000001_all_all_default.json"_s,
};

// Every kind of read the server answers from the store.
const QByteArray kCovid = "/api/public/timeseries/themes/infectious_disease/sub_themes/"
                          "respiratory/topics/COVID-19";
const QList<QByteArray> kReads = {
    "/api/public/timeseries/themes/",
    kCovid + "/geography_types/Nation/geographies/",
    kCovid
        + "/geography_types/Nation/geographies/England/metrics/"
          "COVID-19_cases_casesByDay?page_size=365",
    "/api/v1/catalogue",
    "/api/v1/stats/summary?from=now-7d",
    "/api/v1/stats/timeline?from=now-3d",
    "/api/v1/stats/geography?from=now-3d",
    "/api/v1/stats/users?from=now-3d",
    "/health",
};

QByteArray fixture(const QString &name)
{
    QFile file(fixturesDir() + u"/metrics/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

// The same file with one value that is not a number: a file the ingestion must reject whole.
QByteArray broken(QByteArray content)
{
    const qsizetype at = content.indexOf("\"metric_value\"");
    if (at < 0)
        qFatal("fixture without metric_value");
    const qsizetype colon = content.indexOf(':', at);
    const qsizetype end = content.indexOf(',', colon);
    content.replace(colon + 1, end - colon - 1, " \"abc\"");
    return content;
}

QString integrity(const QString &path)
{
    MetricsDatabase db;
    if (!db.open(path, MetricsDatabase::Mode::ReadOnly))
        return db.errorString();
    QSqlQuery check(db.connection());
    if (!check.exec(u"PRAGMA integrity_check"_s))
        return check.lastError().text();
    QStringList lines;
    while (check.next())
        lines << check.value(0).toString();
    return lines.join(u'\n');
}

// Request events over the last two days, so that the recorder has hours to seal and days to
// fold while the clients run.
void seedRequestLog(const QString &path)
{
    MetricsDatabase db;
    QVERIFY2(db.open(path), qPrintable(db.errorString()));
    RequestLogWriter writer(db.connection());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<RequestEvent> events;
    for (qint64 hour = 1; hour <= kSeededHours; ++hour) {
        for (int i = 0; i < kSeededEventsPerHour; ++i) {
            RequestEvent event{now - hour * kHourMs + qint64(i) * 1000, "GET", u"/prcpt"_s,
                               i % 7 ? 200 : 503, 1500 + i * 10};
            event.subject = u"watch-%1"_s.arg(i % 5);
            event.cell = CellBounds{48.0 + i * 0.01, 2.0 + hour * 0.01, 0.0045, 0.0068};
            event.cacheOutcome = i % 3 ? "hit" : "miss";
            events << event;
        }
    }
    QString error;
    QVERIFY2(writer.write(events, &error), qPrintable(error));
}

struct Tally {
    std::atomic_int answered{0};
    std::atomic_int serverErrors{0};
    std::atomic_int rejectedUploads{0};
    QMutex mutex;
    QStringList failures;

    void note(const QByteArray &target, const HttpReply &reply)
    {
        ++answered;
        if (reply.status >= 500 || reply.status == 0) {
            ++serverErrors;
            QMutexLocker lock(&mutex);
            failures << u"%1 -> %2 %3"_s.arg(QString::fromLatin1(target))
                            .arg(reply.status)
                            .arg(QString::fromUtf8(reply.body.left(200)));
        }
    }
};

// A point count and sum: what a rejected file must leave as it was.
std::pair<qint64, double> pointSums(const QString &path)
{
    MetricsDatabase db;
    if (!db.open(path, MetricsDatabase::Mode::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QSqlQuery sums(db.connection());
    sums.exec(u"SELECT count(*), total(value) FROM point"_s);
    sums.next();
    return {sums.value(0).toLongLong(), sums.value(1).toDouble()};
}

} // namespace

class TestStoreStress : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    quint16 m_port = 0;
    Tally m_tally;

    // As the desktop imports: its own connection on a pool thread, a good file and its broken
    // twin, which alone must fail.
    void importRound(int round)
    {
        for (const QString &name : kFiles) {
            const QString good = m_dir.filePath(u"r%1-%2"_s.arg(round).arg(name));
            const QString bad = m_dir.filePath(u"bad-r%1-%2"_s.arg(round).arg(name));
            writeFile(good, fixture(name));
            writeFile(bad, broken(fixture(name)));
            MetricsDatabase db;
            if (!db.open(m_path))
                qFatal("import cannot open the store: %s", qPrintable(db.errorString()));
            if (Ingestor(db.connection()).ingest({good, bad}).filesFailed() != 1)
                qFatal("expected the broken file alone to fail");
        }
    }

    void uploadRound()
    {
        for (const QString &name : kFiles) {
            const QByteArray target = "/api/upload?filename=" + name.toUtf8();
            const QByteArray json = "Content-Type: application/json\r\n";
            m_tally.note(target, HttpClient::request(m_port, "PUT", target, fixture(name), json));
            const HttpReply rejected =
                HttpClient::request(m_port, "PUT", target, broken(fixture(name)), json);
            m_tally.note(target, rejected);
            m_tally.rejectedUploads += rejected.status == 400;
        }
    }

    // Each request is also an event for the request log.
    void readRound(int client)
    {
        for (int i = 0; i < 100; ++i) {
            const QByteArray &target = kReads[(i + client) % kReads.size()];
            m_tally.note(target, HttpClient::request(m_port, "GET", target));
        }
    }

    static void writeFile(const QString &path, const QByteArray &content)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"stress.db"_s);
        MetricsDatabase db;
        QVERIFY2(db.open(m_path), qPrintable(db.errorString()));
        QCOMPARE(Ingestor(db.connection()).ingest({fixturesDir() + u"/metrics"_s}).filesFailed(),
                 0);
        seedRequestLog(m_path);
    }

    void importsReadsAndTheRequestLogLeaveTheStoreIntact()
    {
        const int rounds = qEnvironmentVariableIsSet("ISOBAR_STRESS_ROUNDS")
                               ? qEnvironmentVariableIntValue("ISOBAR_STRESS_ROUNDS")
                               : 20;
        const auto seededPoints = pointSums(m_path);
        QVERIFY(seededPoints.first > 0);

        ServerConfig config;
        config.port = 0;
        config.databasePath = m_path;
        config.auth.enabled = false;
        config.rateLimit.ratePerSecond = 0;
        config.uploadEnabled = true;
        config.dataVersionPollMs = 20;
        config.recorder.flushIntervalMs = 10;
        config.recorder.batchSize = 50;
        config.recorder.retentionIntervalMs = 10; // expiry and day folds between batches
        ServerThread server(config);
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        m_port = server.port();

        for (int round = 0; round < rounds; ++round) {
            QList<QFuture<void>> work = {
                QtConcurrent::run([this, round] { importRound(round); }),
                QtConcurrent::run([this] { uploadRound(); }),
                QtConcurrent::run([this] { readRound(0); }),
                QtConcurrent::run([this] { readRound(1); }),
            };
            // The main thread keeps its event loop turning meanwhile, as the desktop's does:
            // whatever the server hands to it runs beside the server's own thread.
            for (QFuture<void> &future : work)
                QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 300'000);
            QCOMPARE(integrity(m_path), u"ok"_s);
        }
        {
            QMutexLocker lock(&m_tally.mutex);
            QVERIFY2(m_tally.serverErrors == 0, qPrintable(m_tally.failures.join(u'\n')));
        }
        QCOMPARE(m_tally.rejectedUploads.load(), rounds * int(kFiles.size()));

        QSignalSpy stopped(&server, &ServerThread::stopped);
        server.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 60'000);
        QCOMPARE(integrity(m_path), u"ok"_s);

        // The good files were loaded already and the broken ones changed nothing.
        QCOMPARE(pointSums(m_path), seededPoints);
        // Every request the clients made reached the log, beside the seeded events.
        MetricsDatabase db;
        QVERIFY(db.open(m_path, MetricsDatabase::Mode::ReadOnly));
        QVERIFY(scalar(db.connection(), u"SELECT sum(requests) FROM rollup_endpoint_minute"_s)
                >= m_tally.answered.load() + kSeededHours * kSeededEventsPerHour);
    }
};

QTEST_GUILESS_MAIN(TestStoreStress)
#include "TestStoreStress.moc"
