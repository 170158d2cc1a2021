#include "IngestLimits.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "TestStores.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/resource.h>

using namespace Qt::StringLiterals;

using namespace isobar;
using isobar::test::scalar;

namespace {

// How far a running process has read a file: the offset of its descriptor on it, from /proc;
// -1 while it has none open (before it opened the file, or after it closed it).
qint64 readOffset(qint64 pid, const QString &path)
{
    const QString target = QFileInfo(path).canonicalFilePath();
    const QString fds = u"/proc/%1/fd"_s.arg(pid);
    for (const QString &fd :
         QDir(fds).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        if (QFile::symLinkTarget(fds + u'/' + fd) != target)
            continue;
        QFile info(u"/proc/%1/fdinfo/%2"_s.arg(pid).arg(fd));
        if (!info.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : info.readAll().split('\n')) {
            if (line.startsWith("pos:"))
                return line.mid(4).trimmed().toLongLong();
        }
    }
    return -1;
}

// Counts records straight from the source files, independently of the readers under test.
struct SourceCounts {
    qint64 values = 0;  // records with a value
    qint64 missing = 0; // null / NA
    int files = 0;
};

SourceCounts countSource(const QString &dir)
{
    SourceCounts counts;
    QDirIterator it(dir, {"*.json", "*.csv"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        file.open(QIODevice::ReadOnly);
        ++counts.files;
        if (file.fileName().endsWith(".csv")) {
            file.readLine();
            while (!file.atEnd()) {
                const QByteArray line = file.readLine().trimmed();
                if (line.isEmpty())
                    continue;
                (line.endsWith(",NA") ? counts.missing : counts.values) += 1;
            }
            continue;
        }
        const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray records =
            root.contains("data") ? root["data"].toArray() : root["time_series"].toArray();
        for (const auto &record : records)
            (record.toObject().value(u"metric_value").isNull() ? counts.missing : counts.values) +=
                1;
    }
    return counts;
}

// The most memory this process has held at once.
qint64 peakMemoryKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

QByteArray storeFingerprint(QSqlDatabase &db)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const char *sql :
         {"SELECT * FROM point ORDER BY series_id, day",
          "SELECT * FROM headline ORDER BY series_id, period_end",
          "SELECT * FROM series ORDER BY id", "SELECT * FROM geography ORDER BY id"}) {
        QSqlQuery q(db);
        q.exec(QLatin1String(sql));
        while (q.next()) {
            for (int i = 0; i < q.record().count(); ++i)
                hash.addData(QByteArray(q.value(i).toString().toUtf8() + '|'));
        }
    }
    return hash.result().toHex();
}

} // namespace

class TestIngestSampleData : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;

private Q_SLOTS:
    // First, while this process's peak memory is still low: a JSON file over the limit is
    // refused before it is read (the reader would refuse it too, after reading it whole).
    void tooLargeJsonFileIsNotRead()
    {
        QTemporaryDir input;
        QFile json(input.filePath("large.json"));
        QVERIFY(json.open(QIODevice::WriteOnly) && json.resize(512 << 20)); // sparse
        json.close();
        MetricsDatabase db;
        QVERIFY(db.open(m_stores.fresh(u"large"_s)));
        const qint64 peakBefore = peakMemoryKiB();
        const FileReport report =
            Ingestor(db.connection()).ingestFile(json.fileName(), u"large.json"_s, 0);
        QCOMPARE(report.errors, QStringList{u"large.json: 536870912 bytes, over the %1 bytes a "
                                            "JSON file may hold"_s.arg(kMaxJsonFileBytes)});
        QVERIFY2(peakMemoryKiB() - peakBefore < (128 << 10),
                 qPrintable(u"peak grew by %1 KiB"_s.arg(peakMemoryKiB() - peakBefore)));
    }

    void everyFileLoadsAndCountsMatch()
    {
        const SourceCounts source = countSource(test::sampleDataDir());
        QVERIFY(source.files > 900);
        MetricsDatabase db;
        QVERIFY(db.open(m_stores.fresh(u"sample"_s)));
        Ingestor ingestor(db.connection());
        const IngestReport first = ingestor.ingest({test::sampleDataDir()});
        QCOMPARE(first.filesFailed(), 0);
        QCOMPARE(first.filesOk(), source.files);
        QCOMPARE(first.totals().inserted, source.values);
        QCOMPARE(first.totals().skipped, source.missing);
        QCOMPARE(scalar(db.connection(),
                        "SELECT (SELECT COUNT(*) FROM point) + (SELECT COUNT(*) FROM headline)"),
                 source.values);

        // Ingesting the same files again adds and changes nothing.
        const QByteArray before = storeFingerprint(db.connection());
        const qint64 version = db.dataVersion();
        const IngestReport second = ingestor.ingest({test::sampleDataDir()});
        QCOMPARE(second.totals().inserted, 0);
        QCOMPARE(second.totals().updated, 0);
        QCOMPARE(second.totals().unchanged, source.values);
        QCOMPARE(storeFingerprint(db.connection()), before);
        QCOMPARE(db.dataVersion(), version);
    }

    void correctionReplacesOnlyThatValue()
    {
        const QString name = "COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json";
        QFile original(test::sampleDataDir() + "/json/" + name);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(original.readAll()).object();
        MetricsDatabase db;
        QVERIFY(db.open(m_stores.fresh(u"correction"_s)));
        Ingestor ingestor(db.connection());
        QVERIFY(ingestor.ingestContent(QJsonDocument(root).toJson(), name, 0).ok);

        QJsonArray series = root["time_series"].toArray();
        QJsonObject changed = series[3].toObject();
        changed["metric_value"] = 123456.0;
        series[3] = changed;
        root["time_series"] = series;
        root["refresh_date"] = "2030-01-01 00:00:00";
        const FileReport report = ingestor.ingestContent(QJsonDocument(root).toJson(), name, 0);
        QVERIFY(report.ok);
        QCOMPARE(report.counts.updated, 1);
        QCOMPARE(report.counts.inserted, 0);
        QCOMPARE(report.counts.unchanged + report.counts.skipped, series.size() - 1);
        QSqlQuery q(db.connection());
        q.prepare("SELECT value FROM point WHERE day = ?");
        q.addBindValue(QDate::fromString(changed["date"].toString(), Qt::ISODate).toJulianDay()
                       - 2440588);
        QVERIFY(q.exec() && q.next());
        QCOMPARE(q.value(0).toDouble(), 123456.0);
    }

    void malformedFileIsRejectedWholeAndStoreUnchanged()
    {
        QTemporaryDir input;
        QFile::copy(test::sampleDataDir()
                        + "/json/COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json",
                    input.filePath("good.json"));
        const QString db = m_stores.fresh(u"malformed"_s);
        QCOMPARE(test::runIngest(db, {input.path()}), 0);
        MetricsDatabase store;
        QVERIFY(store.open(db));
        const QByteArray before = storeFingerprint(store.connection());
        store.close();

        // A new geography (it would add dimension rows) and one impossible date at the end.
        QFile good(input.filePath("good.json"));
        QVERIFY(good.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(good.readAll()).object();
        QJsonArray series = root["time_series"].toArray();
        QJsonObject last = series.last().toObject();
        last["date"] = "2020-13-45";
        series[series.size() - 1] = last;
        root["time_series"] = series;
        root["geography"] = "Somewhere new";
        QFile badFile(input.filePath("bad.json"));
        badFile.open(QIODevice::WriteOnly);
        badFile.write(QJsonDocument(root).toJson());
        badFile.close();

        QByteArray output;
        QCOMPARE(test::runIngest(db, {input.filePath("bad.json")}, &output), 1);
        QVERIFY2(output.contains("FAILED") && output.contains("field 'date'"), output.constData());
        QVERIFY(output.contains("files: 0 ok, 1 failed"));
        QVERIFY(store.open(db));
        QCOMPARE(storeFingerprint(store.connection()), before);
    }

    void oversizedFilesFailAloneWithAReport()
    {
        // A CSV line of 64 MiB without an end and a JSON file one byte over its limit (both
        // sparse, so they cost no disk): each file fails with its reason, the report is printed,
        // the file after them loads.
        QTemporaryDir input;
        QFile csv(input.filePath("a_endless.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("parent_theme,child_theme,topic,geography_type,geography,metric_name,stratum,sex,"
                  "period,year,epiweek,date,metric_value\n");
        QVERIFY(csv.resize(64 << 20));
        csv.close();
        QFile json(input.filePath("b_large.json"));
        QVERIFY(json.open(QIODevice::WriteOnly) && json.resize(kMaxJsonFileBytes + 1));
        json.close();
        QVERIFY(
            QFile::copy(test::sampleDataDir()
                            + "/json/COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json",
                        input.filePath("c_good.json")));

        const QString db = m_stores.fresh(u"oversized"_s);
        QByteArray output;
        QCOMPARE(test::runIngest(db, {input.path()}, &output), 1);
        QVERIFY2(output.contains("a_endless.csv: line 2: longer than 8192 bytes"),
                 output.constData());
        QVERIFY2(output.contains("b_large.json: 33554433 bytes, over the 33554432 bytes"),
                 output.constData());
        QVERIFY2(output.contains("files: 1 ok, 2 failed"), output.constData());
        MetricsDatabase store;
        QVERIFY(store.open(db));
        QVERIFY(scalar(store.connection(), "SELECT COUNT(*) FROM point") > 0);
    }

    void excelCsvWithByteOrderMarkLoads()
    {
        // The sample CSV as Excel saves it ("CSV UTF-8"): a byte order mark first.
        QTemporaryDir input;
        QFile source(test::sampleDataDir() + "/respiratory_2023.csv");
        QFile excel(input.filePath("excel.csv"));
        QVERIFY(source.open(QIODevice::ReadOnly) && excel.open(QIODevice::WriteOnly));
        excel.write("\xEF\xBB\xBF" + source.readAll());
        excel.close();
        const SourceCounts expected = countSource(input.path());
        MetricsDatabase db;
        QVERIFY(db.open(m_stores.fresh(u"excel"_s)));
        const IngestReport report = Ingestor(db.connection()).ingest({excel.fileName()});
        QVERIFY2(report.filesOk() == 1, qPrintable(report.summary()));
        QCOMPARE(report.totals().inserted, expected.values);
        QCOMPARE(report.totals().skipped, expected.missing);
    }

    void repeatedRowsOfTheSampleCsv()
    {
        // The sample CSV with its first row given again at the end: identical, it is read once;
        // with another value, the file is refused naming both lines and the store is unchanged.
        QFile source(test::sampleDataDir() + "/respiratory_2023.csv");
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray csv = source.readAll();
        if (!csv.endsWith('\n'))
            csv += '\n';
        const qsizetype lines = csv.count('\n');
        const QList<QByteArray> rows = csv.split('\n');
        QVERIFY(rows[1].endsWith(",2364"));
        MetricsDatabase db;
        QVERIFY(db.open(m_stores.fresh(u"repeats"_s)));
        Ingestor ingestor(db.connection());
        const FileReport once = ingestor.ingestContent(csv + rows[1] + '\n', "again.csv", 100);
        QVERIFY2(once.ok, qPrintable(once.errors.join('\n')));
        QCOMPARE(once.counts.records(), lines - 1);
        const QByteArray before = storeFingerprint(db.connection());

        QByteArray changed = rows[1];
        changed.replace(",2364", ",2365");
        const FileReport conflict = ingestor.ingestContent(csv + changed + '\n', "again.csv", 200);
        QVERIFY(!conflict.ok);
        QCOMPARE(conflict.errors,
                 QStringList{u"again.csv: line %1: field 'metric_value': '2365' differs from line "
                             "2's '2364' for the same series and date"_s.arg(lines + 1)});
        QCOMPARE(storeFingerprint(db.connection()), before);
    }

    void dryRunStoresNothing()
    {
        MetricsDatabase db;
        QVERIFY(db.open(m_stores.fresh(u"dry"_s)));
        Ingestor ingestor(db.connection());
        ingestor.setDryRun(true);
        const IngestReport report =
            ingestor.ingest({test::sampleDataDir() + "/respiratory_2023.csv"});
        QCOMPARE(report.filesOk(), 1);
        QVERIFY(report.totals().inserted > 20000);
        QCOMPARE(scalar(db.connection(), "SELECT COUNT(*) FROM point"), 0);
        QVERIFY(report.summary().startsWith("dry run (nothing stored)"));
    }

    void killedIngestLeavesNoPartialFile()
    {
        // A large file, killed mid-way: its one transaction never commits.
        QTemporaryDir input;
        QFile csv(input.filePath("big.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("parent_theme,child_theme,topic,geography_type,geography,metric_name,stratum,sex,"
                  "period,year,epiweek,date,metric_value\n");
        const QDate start(1900, 1, 1);
        for (int series = 0; series < 60; ++series) {
            for (int day = 0; day < 10000; ++day) {
                const QDate d = start.addDays(day);
                csv.write(u"t,s,topic,Nation,England,m%1,default,all,daily,%2,1,%3/%4/%2,%5\n"_s
                              .arg(series)
                              .arg(d.year())
                              .arg(d.day())
                              .arg(d.month())
                              .arg(day)
                              .toUtf8());
            }
        }
        csv.close();
        const QString db = m_stores.fresh(u"killed"_s);
        QProcess ingest;
        ingest.start(ISOBAR_BINARY, {"ingest", "--database", db, csv.fileName()});
        QVERIFY(ingest.waitForStarted());
        // Killed once it has read part of the file into its transaction, not after a guess at
        // how long that takes: a loaded machine may not have opened the file by then.
        const qint64 size = csv.size();
        QTRY_VERIFY_WITH_TIMEOUT(readOffset(ingest.processId(), csv.fileName()) > size / 20
                                     || ingest.state() != QProcess::Running,
                                 60'000);
        const bool wasRunning = ingest.state() == QProcess::Running;
        ::kill(pid_t(ingest.processId()), SIGKILL);
        ingest.waitForFinished();
        if (!wasRunning)
            QSKIP("the ingest finished before it could be killed; machine too fast for this check");
        MetricsDatabase store;
        QVERIFY(store.open(db));
        QCOMPARE(scalar(store.connection(), "SELECT COUNT(*) FROM point"), 0);
        QCOMPARE(scalar(store.connection(), "SELECT COUNT(*) FROM series"), 0);
    }
};

QTEST_GUILESS_MAIN(TestIngestSampleData)
#include "TestIngestSampleData.moc"
