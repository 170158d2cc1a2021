#include "MetricsDatabase.h"
#include "SchemaMigrations.h"

#include <QSqlError>
#include <QSqlQuery>
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
             {"weather_location", "request_event", "rollup_endpoint", "rollup_cell"}) {
            QVERIFY2(query.exec(u"SELECT COUNT(*) FROM %1"_s.arg(QLatin1String(table)))
                         && query.next(),
                     table);
            QCOMPARE(query.value(0).toInt(), 0);
        }
        // Columns added to earlier tables are there too.
        QVERIFY2(query.exec("SELECT upper_confidence, lower_confidence FROM point"),
                 qPrintable(query.lastError().text()));
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
