#include "StoreLocation.h"

#include <QTest>

using namespace isobar;
using namespace Qt::StringLiterals;

class TestStoreLocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sqliteFiles_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");
        QTest::newRow("a plain path") << u"isobar.db"_s << u"isobar.db"_s;
        QTest::newRow("an absolute path")
            << u"/var/lib/isobar/store.db"_s << u"/var/lib/isobar/store.db"_s;
        QTest::newRow("sqlite: relative") << u"sqlite:data/isobar.db"_s << u"data/isobar.db"_s;
        QTest::newRow("sqlite: absolute") << u"sqlite:/srv/isobar.db"_s << u"/srv/isobar.db"_s;
        QTest::newRow("sqlite:// empty authority")
            << u"sqlite:///srv/isobar.db"_s << u"/srv/isobar.db"_s;
        QTest::newRow("escaped space") << u"sqlite:/srv/my%20store.db"_s << u"/srv/my store.db"_s;
    }
    void sqliteFiles()
    {
        QFETCH(QString, text);
        QFETCH(QString, path);
        QString error;
        const auto location = StoreLocation::parse(text, &error);
        QVERIFY2(location, qPrintable(error));
        QVERIFY(!location->isPostgresql());
        QCOMPARE(location->sqlitePath, path);
        QCOMPARE(location->displayName(), path);
    }

    void aPostgresqlUrlGivesEachPartToLibpq()
    {
        QString error;
        const auto location = StoreLocation::parse(
            u"postgresql://isobar@db.internal:6432/metrics?sslmode=verify-full&application_name=isobar-eu-1"_s,
            &error);
        QVERIFY2(location, qPrintable(error));
        QVERIFY(location->isPostgresql());
        QCOMPARE(location->host, u"db.internal"_s);
        QCOMPARE(location->port, 6432);
        QCOMPARE(location->user, u"isobar"_s);
        QCOMPARE(location->databaseName, u"metrics"_s);
        QCOMPARE(location->options,
                 QStringList({u"sslmode=verify-full"_s, u"application_name=isobar-eu-1"_s,
                              u"connect_timeout=5"_s}));
        QCOMPARE(location->displayName(), u"postgresql://isobar@db.internal:6432/metrics"_s);
    }

    // What the URL leaves out, libpq takes from PGHOST, PGUSER, ...: nothing is invented here.
    void aBareUrlLeavesTheRestToLibpq()
    {
        QString error;
        const auto location = StoreLocation::parse(u"postgres://"_s, &error);
        QVERIFY2(location, qPrintable(error));
        QVERIFY(location->host.isEmpty());
        QCOMPARE(location->port, -1);
        QVERIFY(location->user.isEmpty());
        QVERIFY(location->databaseName.isEmpty());
    }

    void aGivenConnectTimeoutIsKept()
    {
        QString error;
        const auto location =
            StoreLocation::parse(u"postgresql://h/db?connect_timeout=30"_s, &error);
        QVERIFY2(location, qPrintable(error));
        QCOMPARE(location->options, QStringList{u"connect_timeout=30"_s});
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("password in the URL")
            << u"postgresql://isobar:s3cret@db/metrics"_s << u"PGPASSFILE"_s;
        QTest::newRow("unknown parameter")
            << u"postgresql://db/metrics?pool=10"_s << u"unknown PostgreSQL URL parameter 'pool'"_s;
        QTest::newRow("a value that would add a pair")
            << u"postgresql://db/metrics?sslmode=require%20host=evil"_s << u"'sslmode'"_s;
        QTest::newRow("a path below the database")
            << u"postgresql://db/metrics/x"_s << u"not a database name"_s;
        QTest::newRow("another engine") << u"mysql://db/metrics"_s << u"'mysql'"_s;
        QTest::newRow("nothing") << u"  "_s << u"no store"_s;
        QTest::newRow("sqlite: without a file") << u"sqlite:"_s << u"names no file"_s;
    }
    void refusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!StoreLocation::parse(text, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        QVERIFY2(!error.contains(u"s3cret"), "the refusal repeats the password");
    }
};

QTEST_GUILESS_MAIN(TestStoreLocation)
#include "TestStoreLocation.moc"
