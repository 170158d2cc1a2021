#include "Durations.h"
#include "LatencyBuckets.h"
#include "MetricsDatabase.h"
#include "SchemaMigrations.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

class TestSchemaMigrations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freshFileIsMigratedToLatest()
    {
        QTemporaryDir dir;
        MetricsDatabase db;
        QVERIFY2(db.open(dir.filePath("store.db")), qPrintable(db.errorString()));
        QCOMPARE(SchemaMigrations::currentVersion(db.connection()),
                 SchemaMigrations::latestVersion());
        QSqlQuery journal(db.connection());
        QVERIFY(journal.exec("PRAGMA journal_mode") && journal.next());
        QCOMPARE(journal.value(0).toString(), u"wal"_s);
        QCOMPARE(db.dataVersion(), 0);
    }

    void reopeningAppliesNothingAndKeepsData()
    {
        QTemporaryDir dir;
        {
            MetricsDatabase db;
            QVERIFY(db.open(dir.filePath("store.db")));
            QSqlQuery(db.connection()).exec("INSERT INTO theme(name) VALUES ('kept')");
        }
        MetricsDatabase db;
        QVERIFY(db.open(dir.filePath("store.db")));
        QSqlQuery query(db.connection());
        QVERIFY(query.exec("SELECT name FROM theme") && query.next());
        QCOMPARE(query.value(0).toString(), u"kept"_s);
    }

    void previousVersionIsUpgradedWithItsData_data()
    {
        QTest::addColumn<int>("version");
        for (int version = 1; version < SchemaMigrations::latestVersion(); ++version)
            QTest::addRow("from schema %d", version) << version;
    }
    void previousVersionIsUpgradedWithItsData()
    {
        // A store written by an earlier release opens as the latest, its data intact.
        QFETCH(int, version);
        QTemporaryDir dir;
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase("QSQLITE", "old");
            raw.setDatabaseName(dir.filePath("store.db"));
            QVERIFY(raw.open());
            QString error;
            QVERIFY2(SchemaMigrations::migrate(raw, &error, version), qPrintable(error));
            QSqlQuery(raw).exec("INSERT INTO theme(name) VALUES ('from an old release')");
            QCOMPARE(SchemaMigrations::currentVersion(raw), version);
            raw.close();
        }
        QSqlDatabase::removeDatabase("old");
        MetricsDatabase db;
        QVERIFY2(db.open(dir.filePath("store.db")), qPrintable(db.errorString()));
        QCOMPARE(SchemaMigrations::currentVersion(db.connection()),
                 SchemaMigrations::latestVersion());
        QSqlQuery query(db.connection());
        QVERIFY(query.exec("SELECT name FROM theme") && query.next());
        QCOMPARE(query.value(0).toString(), u"from an old release"_s);
        // Tables of later migrations are there, empty.
        for (const char *table :
             {"weather_location", "rollup_endpoint_minute", "rollup_endpoint", "rollup_cell"}) {
            QVERIFY2(query.exec(u"SELECT COUNT(*) FROM %1"_s.arg(QLatin1String(table)))
                         && query.next(),
                     table);
            QCOMPARE(query.value(0).toInt(), 0);
        }
        // Columns added to earlier tables are there too.
        QVERIFY2(query.exec("SELECT upper_confidence, lower_confidence FROM point"),
                 qPrintable(query.lastError().text()));
    }

    void requestsStoredOneByOneBecomeTheirMinutes()
    {
        // Schema 10 kept a row per request: upgrading sums them into the minute roll-ups, as the
        // writer sums a batch, and drops the rows.
        QTemporaryDir dir;
        const qint64 minute = 29'400'480; // 2025-11-25T00:00Z
        const qint64 t = minute * kMinuteMs;
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase("QSQLITE", "events");
            raw.setDatabaseName(dir.filePath("store.db"));
            QVERIFY(raw.open());
            QString error;
            QVERIFY2(SchemaMigrations::migrate(raw, &error, 10), qPrintable(error));
            QSqlQuery insert(raw);
            // Three /prcpt requests of watch-1 in the first minute (one refused by the rate
            // limit), one of watch-2 in the next, and one from a release before replicas.
            QVERIFY2(
                insert.exec(u"INSERT INTO request_event (time_ms, method, route, status,"
                            " duration_us, bytes, subject, client, replica) VALUES"
                            " (%1, 'GET', '/prcpt', 200, 400, 10, 'watch-1', 'a', 'paris-1'),"
                            " (%2, 'GET', '/prcpt', 200, 3000, 20, 'watch-1', 'a', 'paris-1'),"
                            " (%3, 'GET', '/prcpt', 429, 100, 5, 'watch-1', 'a', 'paris-1'),"
                            " (%4, 'GET', '/prcpt', 200, 600, 10, 'watch-2', 'b', 'paris-1'),"
                            " (%5, 'GET', '/uvidx', 200, 600, 10, NULL, 'c', NULL)"_s.arg(t + 5)
                                .arg(t + 59'999)
                                .arg(t + 30'000)
                                .arg(t + kMinuteMs)
                                .arg(t + 7)),
                qPrintable(insert.lastError().text()));
            raw.close();
        }
        QSqlDatabase::removeDatabase("events");
        MetricsDatabase db;
        QVERIFY2(db.open(dir.filePath("store.db")), qPrintable(db.errorString()));
        QSqlQuery query(db.connection());
        auto rows = [&](const QString &sql) {
            QStringList read;
            if (!query.exec(sql))
                return QStringList{query.lastError().text()};
            while (query.next()) {
                QStringList columns;
                for (int c = 0; c < query.record().count(); ++c)
                    columns << query.value(c).toString();
                read << columns.join(u' ');
            }
            return read;
        };
        const QString first = QString::number(minute), next = QString::number(minute + 1);
        QCOMPARE(rows(u"SELECT minute, route, status, replica, requests, duration_us, bytes"
                      " FROM rollup_endpoint_minute ORDER BY 1, 2, 3"_s),
                 QStringList({first + u" /prcpt 200 paris-1 2 3400 30"_s,
                              first + u" /prcpt 429 paris-1 1 100 5"_s,
                              first + u" /uvidx 200  1 600 10"_s,
                              next + u" /prcpt 200 paris-1 1 600 10"_s}));
        const QString fast = QString::number(LatencyBuckets::bucketOf(400));
        QCOMPARE(fast, QString::number(LatencyBuckets::bucketOf(100)));
        QCOMPARE(rows(u"SELECT minute, route, bucket, requests FROM rollup_latency_minute"
                      " WHERE route = '/prcpt' ORDER BY 1, 3"_s),
                 QStringList({first + u" /prcpt "_s + fast + u" 2"_s,
                              first + u" /prcpt %1 1"_s.arg(LatencyBuckets::bucketOf(3000)),
                              next + u" /prcpt %1 1"_s.arg(LatencyBuckets::bucketOf(600))}));
        QCOMPARE(rows(u"SELECT minute, subject, replica, requests, errors, limited, first_ms,"
                      " last_ms FROM rollup_subject_minute ORDER BY 1, 2"_s),
                 QStringList({first + u" watch-1 paris-1 3 1 1 %1 %2"_s.arg(t + 5).arg(t + 59'999),
                              next + u" watch-2 paris-1 1 0 0 %1 %1"_s.arg(t + kMinuteMs)}));
        QVERIFY(!query.exec(u"SELECT count(*) FROM request_event"_s));
    }

    void partialVersionIsCompleted()
    {
        // A store left at version 0 (created, never migrated) is brought to the latest.
        QTemporaryDir dir;
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase("QSQLITE", "raw");
            raw.setDatabaseName(dir.filePath("store.db"));
            QVERIFY(raw.open());
            QString error;
            QVERIFY(SchemaMigrations::migrate(raw, &error, 0));
            QCOMPARE(SchemaMigrations::currentVersion(raw), 0);
            raw.close();
        }
        QSqlDatabase::removeDatabase("raw");
        MetricsDatabase db;
        QVERIFY2(db.open(dir.filePath("store.db")), qPrintable(db.errorString()));
        QCOMPARE(SchemaMigrations::currentVersion(db.connection()),
                 SchemaMigrations::latestVersion());
    }

    void failedUpgradeLeavesTheVersionItHad()
    {
        // A step that fails takes the steps before it back too: the store stays at a version
        // the release before opens (it refuses any newer than its own).
        QTemporaryDir dir;
        const QString path = dir.filePath("store.db");
        {
            MetricsDatabase db;
            QVERIFY(db.open(path, MetricsDatabase::Mode::ReadWrite, 5));
            // Migration 7 rebuilds the roll-ups through tables of this name: it fails there,
            // after 6 has run.
            QVERIFY(QSqlQuery(db.connection()).exec("CREATE TABLE rollup_endpoint_new (x)"));
        }
        MetricsDatabase db;
        QVERIFY(!db.open(path));
        QVERIFY2(db.errorString().contains("migration 7"), qPrintable(db.errorString()));
        QVERIFY(db.open(path, MetricsDatabase::Mode::ReadWrite, 0));
        QCOMPARE(SchemaMigrations::currentVersion(db.connection()), 5);
        QSqlQuery query(db.connection());
        QVERIFY(query.exec("SELECT count(*) FROM sqlite_master WHERE name = 'cell'")
                && query.next());
        QCOMPARE(query.value(0).toInt(), 0); // migration 6's table
    }

    void newerStoreIsRefused()
    {
        QTemporaryDir dir;
        {
            MetricsDatabase db;
            QVERIFY(db.open(dir.filePath("store.db")));
            QSqlQuery(db.connection())
                .exec(u"PRAGMA user_version = %1"_s.arg(SchemaMigrations::latestVersion() + 1));
        }
        MetricsDatabase db;
        QVERIFY(!db.open(dir.filePath("store.db")));
        QVERIFY2(db.errorString().contains("newer than this build"), qPrintable(db.errorString()));
    }

    void readOnlyNeverCreates()
    {
        QTemporaryDir dir;
        MetricsDatabase db;
        QVERIFY(!db.open(dir.filePath("missing.db"), MetricsDatabase::Mode::ReadOnly));
        QVERIFY(!QFile::exists(dir.filePath("missing.db")));
    }
};

QTEST_GUILESS_MAIN(TestSchemaMigrations)
#include "TestSchemaMigrations.moc"
