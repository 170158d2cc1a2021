// `isobar check-store`, the real binary: a sound store passes, a damaged page fails with
// SQLite's finding, and the check changes nothing (a missing store is not created, an older
// schema is not migrated).
#include "MetricsDatabase.h"
#include "SchemaMigrations.h"
#include "TestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

class TestStoreCheckCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static IsobarRun check(const QString &store)
    {
        return runIsobar({u"check-store"_s, u"--database"_s, store});
    }

private Q_SLOTS:
    void aSoundStorePasses()
    {
        const QString store = m_dir.filePath(u"sound.db"_s);
        QCOMPARE(runIngest(store, {fixturesDir() + u"/metrics"_s}), 0);
        const IsobarRun run = check(store);
        QVERIFY2(run.exitCode == 0, run.output.constData());
        QVERIFY2(run.output.contains("integrity: ok"), run.output.constData());
        QVERIFY2(run.output.contains("(current)"), run.output.constData());
    }

    void aDamagedPageFails()
    {
        const QString store = m_dir.filePath(u"damaged.db"_s);
        QCOMPARE(runIngest(store, {fixturesDir() + u"/metrics"_s}), 0);
        // The last page holds rows (the store has no free pages): garbage over it is a table
        // SQLite can no longer read, not a file it cannot open.
        QFile file(store);
        QVERIFY(file.open(QIODevice::ReadWrite));
        constexpr qint64 kPage = 4096;
        QVERIFY(file.size() >= 4 * kPage);
        QVERIFY(file.seek(file.size() - kPage));
        QCOMPARE(file.write(QByteArray(kPage, '\xff')), kPage);
        file.close();
        const IsobarRun run = check(store);
        QVERIFY2(run.exitCode == 1, run.output.constData());
        QVERIFY2(run.output.contains("integrity: damaged"), run.output.constData());
    }

    void aMissingStoreIsNotCreated()
    {
        const QString store = m_dir.filePath(u"missing.db"_s);
        QCOMPARE(check(store).exitCode, 2);
        QVERIFY(!QFile::exists(store));
    }

    void anOlderSchemaIsReportedNotMigrated()
    {
        const QString store = m_dir.filePath(u"old.db"_s);
        {
            MetricsDatabase db;
            QVERIFY(db.open(store, MetricsDatabase::Mode::ReadWrite, 5));
        }
        const IsobarRun run = check(store);
        QVERIFY2(run.exitCode == 0, run.output.constData());
        QVERIFY2(run.output.contains("schema version 5 (the next serve or ingest migrates it"),
                 run.output.constData());
        MetricsDatabase db;
        QVERIFY(db.open(store, MetricsDatabase::Mode::ReadWrite, 0));
        QCOMPARE(SchemaMigrations::currentVersion(db.connection()), 5);
    }
};

QTEST_GUILESS_MAIN(TestStoreCheckCommand)
#include "TestStoreCheckCommand.moc"
