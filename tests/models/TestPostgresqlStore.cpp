#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "PostgresqlTestDatabase.h"
#include "SchemaMigrations.h"
#include "TestSupport.h"

#include <QSqlQuery>
#include <QTest>
#include <QtConcurrent>

using namespace isobar;
using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

// One UKHSA time-series file of `values` for England; a value may be a bad one on purpose.
QByteArray ukhsaFile(const QStringList &values)
{
    QByteArray points;
    for (int i = 0; i < values.size(); ++i) {
        if (i)
            points += ',';
        points += uR"({"date":"2024-01-%1","epiweek":1,"metric_value":%2,
                                     "embargo":null,"is_public":true})"_s
                      .arg(i + 1, 2, 10, QChar(u'0'))
                      .arg(values[i])
                      .toUtf8();
    }
    return R"({"parent_theme":"infectious_disease","child_theme":"respiratory",
               "topic":"COVID-19","metric_group":"cases","metric":"COVID-19_cases_casesByDay",
               "geography_type":"Nation","geography":"England","geography_code":"E92000001",
               "age":"all","sex":"all","stratum":"default","metric_frequency":"daily",
               "refresh_date":"2024-02-01","time_series":[)"
           + points + "]}";
}

} // namespace

// What only PostgreSQL does: replicas migrating one store together, and the engine's own rules
// (64-bit keys and times, transactional DDL). The suites that run on both engines cover the rest.
class TestPostgresqlStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFreshDatabaseIsMigratedToTheLatestVersion()
    {
        PostgresqlTestDatabase server;
        QVERIFY2(server.isValid(), qPrintable(server.errorString()));
        MetricsDatabase store;
        QVERIFY2(store.open(server.url()), qPrintable(store.errorString()));
        QVERIFY(store.isPostgresql());
        QCOMPARE(SchemaMigrations::currentVersion(store.connection()),
                 SchemaMigrations::latestVersion());
        QCOMPARE(scalar(store.connection(), u"SELECT count(*) FROM schema_version"_s), 1);
        // Times in ms and byte counts outgrow 32 bits: SQLite's INTEGER is 64-bit, so ours is.
        QCOMPARE(scalar(store.connection(),
                        u"SELECT count(*) FROM information_schema.columns WHERE data_type = "
                        "'integer' AND table_schema = 'public' AND table_name <> "
                        "'schema_version'"_s),
                 0);
        store.close();
        QVERIFY2(store.open(server.url()), qPrintable(store.errorString())); // nothing to do
        QCOMPARE(scalar(store.connection(), u"SELECT version FROM schema_version"_s),
                 SchemaMigrations::latestVersion());
    }

    // Replicas of a rollout start at once: each step must run once, and none may fail.
    void replicasStartingTogetherMigrateOnce()
    {
        PostgresqlTestDatabase server;
        QVERIFY2(server.isValid(), qPrintable(server.errorString()));
        constexpr int kReplicas = 6;
        QList<QFuture<QString>> opened;
        for (int i = 0; i < kReplicas; ++i) {
            opened << QtConcurrent::run([url = server.url()] {
                MetricsDatabase store;
                return store.open(url) ? QString() : store.errorString();
            });
        }
        for (QFuture<QString> &replica : opened)
            QVERIFY2(replica.result().isEmpty(), qPrintable(replica.result()));
        MetricsDatabase store;
        QVERIFY2(store.open(server.url(), MetricsDatabase::Mode::ReadOnly),
                 qPrintable(store.errorString()));
        QCOMPARE(scalar(store.connection(), u"SELECT count(*) FROM schema_version"_s), 1);
        QCOMPARE(scalar(store.connection(), u"SELECT count(*) FROM store_state"_s), 1);
    }

    void aStoreNewerThanThisBuildIsRefused()
    {
        PostgresqlTestDatabase server;
        QVERIFY2(server.isValid(), qPrintable(server.errorString()));
        {
            MetricsDatabase store;
            QVERIFY2(store.open(server.url()), qPrintable(store.errorString()));
            QSqlQuery(store.connection()).exec(u"UPDATE schema_version SET version = 999"_s);
        }
        MetricsDatabase store;
        QVERIFY(!store.open(server.url()));
        QVERIFY2(store.errorString().contains(u"newer than this build"),
                 qPrintable(store.errorString()));
    }

    // One file, one transaction: a bad record leaves nothing of its file behind.
    void aBadFileLeavesNothingAndAGoodOneCountsAsAChange()
    {
        PostgresqlTestDatabase server;
        QVERIFY2(server.isValid(), qPrintable(server.errorString()));
        MetricsDatabase store;
        QVERIFY2(store.open(server.url()), qPrintable(store.errorString()));
        Ingestor ingestor(store.connection());

        const FileReport bad =
            ingestor.ingestContent(ukhsaFile({u"1.5"_s, u"\"abc\""_s}), u"bad.json"_s, 0);
        QVERIFY(!bad.ok);
        QCOMPARE(scalar(store.connection(), u"SELECT count(*) FROM point"_s), 0);
        QCOMPARE(store.dataVersion(), 0);

        const FileReport good =
            ingestor.ingestContent(ukhsaFile({u"1.5"_s, u"2.25"_s}), u"good.json"_s, 0);
        QVERIFY2(good.ok, qPrintable(good.errors.join(u"; ")));
        QCOMPARE(scalar(store.connection(), u"SELECT count(*) FROM point"_s), 2);
        QCOMPARE(store.dataVersion(), 1);
    }

    void aServerThatIsNotThereIsReportedAtOnce()
    {
        const ReservedPort nobody(ReservedPort::Use::NobodyListens);
        const QString where = u"postgresql://isobar@127.0.0.1:%1/isobar"_s.arg(nobody.port());
        MetricsDatabase store;
        QVERIFY(!store.open(where));
        QVERIFY2(store.errorString().startsWith(u"cannot open " + where),
                 qPrintable(store.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestPostgresqlStore)
#include "TestPostgresqlStore.moc"
