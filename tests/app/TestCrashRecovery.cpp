// What a store looks like after the process writing it is killed outright (SIGKILL: no handler,
// no destructor, no flush): an `isobar ingest` in the middle of a large file, and an
// `isobar serve` whose request log is being written under traffic. Afterwards the store passes
// its integrity check, holds every file committed before whole and the interrupted one not at
// all, and a server starts on it and serves. Runs on SQLite and on PostgreSQL.
#include "MetricsDatabase.h"
#include "TestStores.h"
#include "TestSupport.h"

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
        QVERIFY2(db.open(store), qPrintable(db.errorString()));
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
        constexpr qint64 kOnDisk = qint64(8) * 1024 * 1024;
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
        // Pipelined requests keep the request log's writer busy; it is killed once rows have
        // reached the store, with more on their way.
        HttpClient client(server.port());
        QVERIFY(client.isConnected());
        const QByteArray request =
            "GET /api/public/timeseries/themes/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
        auto written = [&db] {
            return scalar(db.connection(), u"SELECT COUNT(*) FROM request_event"_s);
        };
        for (int round = 0; round < 100 && written() == 0; ++round) {
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
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "TestCrashRecovery.moc"
