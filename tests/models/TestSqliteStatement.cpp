#include "MetricsDatabase.h"
#include "SqliteStatement.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

class TestSqliteStatement : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<MetricsDatabase> m_db;
    int m_file = 0;

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<MetricsDatabase>();
        QVERIFY(m_db->open(m_dir.filePath(u"statement%1.db"_s.arg(++m_file))));
    }

    void aStatementThatCannotBePreparedNeverSteps()
    {
        SqliteStatement broken(m_db->connection(), "SELECT value FROM no_such_table");
        QVERIFY(!broken.isValid());
        QVERIFY2(broken.error().contains(u"no_such_table"), qPrintable(broken.error()));
        QVERIFY(!broken.next()); // used to step a null statement and crash
        QVERIFY(!broken.execute());
        QVERIFY2(broken.error().contains(u"no_such_table"), qPrintable(broken.error()));
    }

    void blobsRoundTripAndEmptyIsNotNull()
    {
        SqliteStatement create(m_db->connection(), "CREATE TABLE b (id INTEGER, bytes BLOB)");
        QVERIFY(create.execute());
        const QByteArray bytes("\x00\x01\xff\x80", 4);
        SqliteStatement insert(m_db->connection(), "INSERT INTO b VALUES (?, ?)");
        insert.bind(1, qint64(1));
        insert.bindBlob(2, bytes);
        QVERIFY(insert.execute());
        insert.bind(1, qint64(2));
        insert.bindBlob(2, QByteArrayView());
        QVERIFY(insert.execute());
        QCOMPARE(insert.changes(), qint64(1));

        SqliteStatement select(m_db->connection(),
                               "SELECT bytes, typeof(bytes) FROM b ORDER BY id");
        QVERIFY(select.next());
        QCOMPARE(select.blobAt(0).toByteArray(), bytes);
        QVERIFY(select.next());
        QCOMPARE(select.blobAt(0).size(), 0);
        QCOMPARE(select.utf8At(1).toByteArray(), QByteArray("blob"));
        QVERIFY(!select.next());

        SqliteStatement remove(m_db->connection(), "DELETE FROM b");
        QVERIFY(remove.execute());
        QCOMPARE(remove.changes(), qint64(2));
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "TestSqliteStatement.moc"
