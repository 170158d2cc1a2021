// What a store looks like after the process writing it is killed outright (SIGKILL: no handler,
// no destructor, no flush): an `isobar ingest` in the middle of a large file, an `isobar serve`
// whose request log is being written under traffic, and one in the middle of migrating an older
// store. Afterwards the store passes its integrity check, holds every file committed before
// whole and the interrupted one not at all, is at the schema it had or the latest (never one
// in between), and a server starts on it and serves. Runs on SQLite and on PostgreSQL.
#include "EnglandSeries.h"
#include "MetricsDatabase.h"
#include "SchemaMigrations.h"
#include "TestStores.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <signal.h>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kSample = QStringLiteral(ISOBAR_SOURCE_DIR "/data/ukhsa/respiratory_2023.csv");

// Bytes of an unfinished transaction on disk that prove the killed process was mid-write.
constexpr qint64 kOnDisk = qint64(8) * 1024 * 1024;

// The sample CSV `copies` times over, copy k with every geography renamed ("England 07"), so
// that every row is a new point: big enough that its ingest is still running when killed.
bool writeReplicatedCsv(const QString &path, int copies)
{
    QFile in(kSample);
    QFile out(path);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
        return false;
    const QByteArrayList lines = in.readAll().split('\n');
    out.write(lines.first() + '\n');
    constexpr int kGeographyColumn = 4;
    for (int copy = 0; copy < copies; ++copy) {
        const QByteArray suffix = ' ' + QByteArray::number(copy).rightJustified(2, '0');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (lines[i].isEmpty())
                continue;
            QByteArrayList fields = lines[i].split(',');
            fields[kGeographyColumn] += suffix;
            out.write(fields.join(',') + '\n');
        }
    }
    return out.flush();
}

// The schema before the roll-ups were rebuilt with a replica in their key (migration 7, a copy
// of every roll-up table), with a step between (6): a migration committed step by step would
// leave a version in between.
constexpr int kOldSchema = 5;
// Rows in each of the two large roll-ups: some 110 MB in all, seconds to copy, so the copy of
// the second is still to come when the first one's pages reach the disk. 64 keys an hour, over
// the half year before yesterday: within the retention of a server that starts on the store,
// and clear of the hours its own requests are logged in.
constexpr int kRollupRows = 300'000;
constexpr int kRollupKeysPerHour = 64;
qint64 lastRollupHour()
{
    return QDateTime::currentSecsSinceEpoch() / 3600 - 48;
}
// Days of the one series the old store holds.
constexpr int kOldPoints = 365;

bool execAll(QSqlDatabase &db, const QList<std::pair<QString, QVariantList>> &statements)
{
    for (const auto &[sql, values] : statements) {
        QSqlQuery query(db);
        if (!query.prepare(sql))
            return false;
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec()) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
            return false;
        }
    }
    return true;
}

// A store as a release at kOldSchema left it: the England series (MetricsWriter writes columns
// of later schemas, so plain SQL) and months of request roll-ups with long keys, as a busy
// server's are. The SQL reads the same on both engines.
bool fillOldStore(QSqlDatabase &db, qint64 lastHour)
{
    const SeriesKey key = englandKey(u"COVID-19_cases_casesByDay"_s);
    const QString rows = u"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n"
                         " WHERE i < %1) "_s;
    const QString route = u"/api/public/timeseries/themes/<theme>/sub_themes/<sub_theme>/topics/"
                          "<topic>/geography_types/<geography_type>/geographies/<geography>/"
                          "metrics/<metric>"_s;
    const QString subject(120, u's'); // some providers' subjects are that long
    QString error;
    return MetricsDatabase::beginWrite(db, &error)
           && execAll(
               db,
               {
                   {u"INSERT INTO theme (id, name) VALUES (1, ?)"_s, {key.theme}},
                   {u"INSERT INTO sub_theme (id, theme_id, name) VALUES (1, 1, ?)"_s,
                    {key.subTheme}},
                   {u"INSERT INTO topic (id, sub_theme_id, name) VALUES (1, 1, ?)"_s, {key.topic}},
                   {u"INSERT INTO metric (id, topic_id, name, metric_group, kind)"
                    " VALUES (1, 1, ?, ?, ?)"_s,
                    {key.metric, key.metricGroup, int(key.kind)}},
                   {u"INSERT INTO geography (id, geography_type, name, code) VALUES (1, ?, ?, ?)"_s,
                    {key.geographyType, key.geography, key.geographyCode}},
                   {u"INSERT INTO series (id, metric_id, geography_id, stratum, age, sex,"
                    " frequency, has_public) VALUES (1, 1, 1, ?, ?, ?, ?, 1)"_s,
                    {key.stratum, key.age, key.sex, key.frequency}},
                   {rows.arg(kOldPoints - 1)
                        + u"INSERT INTO point (series_id, day, epiweek, value, is_public, refresh)"
                          " SELECT 1, 19358 + i, i / 7 + 1, i, 1, 0 FROM n"_s,
                    {}},
                   {rows.arg(kRollupRows - 1)
                        + u"INSERT INTO rollup_endpoint (hour, route, method, status, requests,"
                          " duration_us, bytes) SELECT %1 - i / %2, '%3' || (i % %2), 'GET', 200,"
                          " i % 1000 + 1, i, 2 * i FROM n"_s.arg(lastHour)
                              .arg(kRollupKeysPerHour)
                              .arg(route),
                    {}},
                   {rows.arg(kRollupRows - 1)
                        + u"INSERT INTO rollup_subject (hour, subject, requests, errors,"
                          " first_ms, last_ms) SELECT %1 - i / %2, '%3' || (i % %2), i % 1000 + 1,"
                          " i % 7, i, i + 1 FROM n"_s.arg(lastHour)
                              .arg(kRollupKeysPerHour)
                              .arg(subject),
                    {}},
               })
           && db.commit();
}

// The requests the old roll-ups count, to compare before and after: a server's maintenance
// folds past hours into fewer rows, but keeps their sums.
QString rollupTotals(QSqlDatabase &db, qint64 lastHour)
{
    QStringList totals;
    for (const char *table : {"rollup_endpoint", "rollup_subject"})
        totals << u"%1: %2 requests"_s.arg(QLatin1String(table))
                      .arg(scalar(db, u"SELECT sum(requests) FROM %1 WHERE hour <= %2"_s
                                          .arg(QLatin1String(table))
                                          .arg(lastHour)));
    return totals.join(u"; ");
}

QString integrityOf(MetricsDatabase &db)
{
    QSqlQuery query(db.connection());
    if (!query.exec(u"PRAGMA integrity_check"_s) || !query.next())
        return u"the check did not run: "_s + query.lastError().text();
    return query.value(0).toString();
}

} // namespace

class TestCrashRecovery : public QObject
{
    Q_OBJECT
private:
    TestStores m_stores;
    QTemporaryDir m_dir;

    // A fresh store holding the sample CSV, and how many points that is.
    QString storeWithSample(const QString &name, qint64 *points)
    {
        QString store = m_stores.fresh(name);
        if (store.isEmpty() || runIngest(store, {kSample}) != 0)
            return {};
        MetricsDatabase db;
        if (!db.open(store))
            return {};
        *points = scalar(db.connection(), u"SELECT COUNT(*) FROM point"_s);
        return store;
    }

    // The store passes its checks and a server on it serves the data it holds.
    void checkRecovered(const QString &store, qint64 expectedPoints)
    {
        MetricsDatabase db;
        // As found: a store left at an older schema is the server's to migrate.
        QVERIFY2(db.open(store, MetricsDatabase::Mode::ReadWrite, 0), qPrintable(db.errorString()));
        if (!m_stores.onPostgresql())
            QCOMPARE(integrityOf(db), u"ok"_s);
        QCOMPARE(scalar(db.connection(), u"SELECT COUNT(*) FROM point"_s), expectedPoints);
        db.close();

        ServerProcess server;
        QVERIFY2(server.start(store), server.output().constData());
        QCOMPARE(HttpClient::request(server.port(), "GET", "/health").status, 200);
        const HttpReply themes =
            HttpClient::request(server.port(), "GET", "/api/public/timeseries/themes/");
        QCOMPARE(themes.status, 200);
        QVERIFY2(themes.body.contains("infectious_disease"), themes.body.constData());
        QCOMPARE(server.stop(), 0);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void ingestKilledMidFileLeavesItOut()
    {
        qint64 committed = 0;
        const QString store = storeWithSample(u"ingest"_s, &committed);
        QVERIFY2(!store.isEmpty() && committed > 0, qPrintable(m_stores.errorString()));
        MetricsDatabase db;
        QVERIFY(db.open(store));
        // Bytes of the unfinished transaction on disk: PostgreSQL writes its rows into the
        // table as they come, SQLite pages into its write-ahead log once its 64 MiB cache
        // spills.
        auto pendingBytes = [&db, &store, onPostgresql = m_stores.onPostgresql()] {
            return onPostgresql ? scalar(db.connection(), u"SELECT pg_relation_size('point')"_s)
                                : QFileInfo(store + u"-wal"_s).size();
        };
        const qint64 pendingBefore = pendingBytes();

        // About 1.4 million rows, enough to spill SQLite's cache long before the end.
        const QString big = m_dir.filePath(u"big.csv"_s);
        QVERIFY(writeReplicatedCsv(big, 60));
        QProcess ingest;
        ingest.setProcessChannelMode(QProcess::MergedChannels);
        ingest.start(QString::fromUtf8(ISOBAR_BINARY), {u"ingest"_s, u"--database"_s, store, big});
        QVERIFY(ingest.waitForStarted());
        // Killed once part of the file's one transaction is on disk: what a crash must not
        // leave visible.
        QTRY_VERIFY_WITH_TIMEOUT(pendingBytes() - pendingBefore > kOnDisk
                                     || ingest.state() == QProcess::NotRunning,
                                 240'000);
        QVERIFY2(ingest.state() == QProcess::Running,
                 "the ingest ended before its rows reached the disk: the file is too small");
        ::kill(pid_t(ingest.processId()), SIGKILL);
        QVERIFY(ingest.waitForFinished(30'000));
        QCOMPARE(ingest.exitStatus(), QProcess::CrashExit);
        db.close();

        checkRecovered(store, committed);
    }

    void serveKilledWhileWritingItsRequestLog()
    {
        qint64 points = 0;
        const QString store = storeWithSample(u"serve"_s, &points);
        QVERIFY2(!store.isEmpty() && points > 0, qPrintable(m_stores.errorString()));
        MetricsDatabase db;
        QVERIFY(db.open(store));

        ServerProcess server;
        QVERIFY2(server.start(store, {u"--rate-limit"_s, u"0"_s}), server.output().constData());
        // Pipelined requests keep the request log's writer busy; it is killed once batches
        // have reached the store, with more on their way.
        HttpClient client(server.port());
        QVERIFY(client.isConnected());
        const QByteArray request =
            "GET /api/public/timeseries/themes/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
        auto written = [&db] {
            return scalar(db.connection(),
                          u"SELECT COALESCE(sum(requests), 0) FROM rollup_endpoint_minute"_s);
        };
        // Until rows are there, however long the writer's flush interval (a second) takes on
        // a loaded machine: a fixed number of rounds could all end before its first flush.
        for (QDeadlineTimer deadline(60'000); written() == 0 && !deadline.hasExpired();) {
            client.sendRaw(request.repeated(50));
            for (int i = 0; i < 50; ++i)
                QVERIFY(client.readReply());
        }
        QVERIFY2(written() > 0, "no request reached the request log");
        client.sendRaw(request.repeated(200));
        QVERIFY(client.readReply());
        ::kill(pid_t(server.processId()), SIGKILL);
        server.stop(); // reaps it
        db.close();

        checkRecovered(store, points);
    }

    void migrationKilledMidwayLeavesTheOldSchema()
    {
        const QString store = m_stores.fresh(u"migrate"_s);
        QVERIFY2(!store.isEmpty(), qPrintable(m_stores.errorString()));
        const qint64 lastHour = lastRollupHour();
        QString before;
        {
            MetricsDatabase db;
            QVERIFY2(db.open(store, MetricsDatabase::Mode::ReadWrite, kOldSchema),
                     qPrintable(db.errorString()));
            QVERIFY(fillOldStore(db.connection(), lastHour));
            before = rollupTotals(db.connection(), lastHour);
        } // closed, so SQLite folds its log into the file and deletes it: any log is the server's

        // Proof that the server is mid-migration, copying roll-ups: its uncommitted pages in
        // SQLite's log (a transaction spills there past its 64 MiB cache), or PostgreSQL
        // running the copy.
        MetricsDatabase probe;
        if (m_stores.onPostgresql())
            QVERIFY(probe.open(store, MetricsDatabase::Mode::ReadWrite, 0));
        auto copying = [&probe, &store, onPostgresql = m_stores.onPostgresql()] {
            return onPostgresql ? scalar(probe.connection(),
                                         u"SELECT count(*) FROM pg_stat_activity"
                                         " WHERE datname = current_database() AND state = 'active'"
                                         " AND query LIKE 'INSERT INTO rollup%_new SELECT%'"_s)
                                      > 0
                                : QFileInfo(store + u"-wal"_s).size() > kOnDisk;
        };
        QProcess serve;
        serve.setProcessChannelMode(QProcess::MergedChannels);
        serve.start(QString::fromUtf8(ISOBAR_BINARY),
                    {u"serve"_s, u"--database"_s, store, u"--port"_s, u"0"_s, u"--no-auth"_s});
        QVERIFY(serve.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(copying() || serve.state() == QProcess::NotRunning, 120'000);
        QVERIFY2(serve.state() == QProcess::Running, serve.readAll().constData());
        ::kill(pid_t(serve.processId()), SIGKILL);
        QVERIFY(serve.waitForFinished(30'000));
        QCOMPARE(serve.exitStatus(), QProcess::CrashExit);
        QVERIFY2(!serve.readAll().contains("listening on"), "killed after the migration");
        if (m_stores.onPostgresql()) {
            // PostgreSQL notices the client gone, and rolls its transaction back, once the
            // statement it runs is over.
            QTRY_COMPARE_WITH_TIMEOUT(scalar(probe.connection(),
                                             u"SELECT count(*) FROM pg_stat_activity"
                                             " WHERE datname = current_database()"
                                             " AND pid <> pg_backend_pid()"_s),
                                      0, 60'000);
            probe.close();
        }

        {
            MetricsDatabase found;
            QVERIFY2(found.open(store, MetricsDatabase::Mode::ReadWrite, 0),
                     qPrintable(found.errorString()));
            QCOMPARE(SchemaMigrations::currentVersion(found.connection()), kOldSchema);
            QCOMPARE(rollupTotals(found.connection(), lastHour), before);
        }
        checkRecovered(store, kOldPoints); // the server migrates, then serves
        MetricsDatabase migrated;
        QVERIFY2(migrated.open(store, MetricsDatabase::Mode::ReadWrite, 0),
                 qPrintable(migrated.errorString()));
        QCOMPARE(SchemaMigrations::currentVersion(migrated.connection()),
                 SchemaMigrations::latestVersion());
        QCOMPARE(rollupTotals(migrated.connection(), lastHour), before);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "TestCrashRecovery.moc"
