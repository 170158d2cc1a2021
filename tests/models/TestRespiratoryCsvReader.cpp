#include "IngestLimits.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "MetricsWriter.h"
#include "RespiratoryCsvReader.h"
#include "TestStores.h"
#include "TestSupport.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {
const QByteArray kHeader = "parent_theme,child_theme,topic,geography_type,geography,metric_name,"
                           "stratum,sex,period,year,epiweek,date,metric_value\n";
const QByteArray kRow = "infectious_disease,respiratory,COVID-19,Nation,England,new_cases_daily,"
                        "default,all,daily,2023,10,8/3/2023,2364\n";

// A CSV whose third line never ends: after `head`, 'x' up to `size` bytes. It counts what was
// read from it, to show how much of the line a reader took in.
class EndlessLine : public QIODevice
{
public:
    EndlessLine(QByteArray head, qint64 size)
        : m_head(std::move(head))
        , m_size(size)
    {}
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_size - m_served + QIODevice::bytesAvailable();
    }
    qint64 served() const { return m_served; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = qMin(maxSize, m_size - m_served);
        for (qint64 i = 0; i < n; ++i, ++m_served)
            data[i] = m_served < m_head.size() ? m_head[m_served] : 'x';
        return n > 0 ? n : -1;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_head;
    qint64 m_size;
    qint64 m_served = 0;
};

QByteArray rowWithGeography(const QByteArray &geography)
{
    return "infectious_disease,respiratory,COVID-19,Nation," + geography
           + ",new_cases_daily,default,all,daily,2023,10,8/3/2023,2364\n";
}
} // namespace

class TestRespiratoryCsvReader : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;
    std::unique_ptr<MetricsDatabase> m_db;

    FileReport load(const QByteArray &csv, qint64 refresh = 100)
    {
        Ingestor ingestor(m_db->connection());
        return ingestor.ingestContent(csv, "resp.csv", refresh);
    }
    qint64 count(const char *sql) { return test::scalar(m_db->connection(), QLatin1String(sql)); }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<MetricsDatabase>();
        const QString store = m_stores.fresh(u"store"_s);
        QVERIFY2(!store.isEmpty(), qPrintable(m_stores.errorString()));
        QVERIFY2(m_db->open(store), qPrintable(m_db->errorString()));
    }

    void rowsLoad()
    {
        const FileReport report = load(kHeader + kRow
                                       + "infectious_disease,respiratory,COVID-19,Nation,England,"
                                         "new_cases_daily,default,all,daily,2023,10,9/3/2023,NA\n");
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 1);
        QCOMPARE(report.counts.skipped, 1);
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec(
            "SELECT p.day, p.value, m.metric_group, s.frequency, g.geography_type FROM point p"
            " JOIN series s ON s.id = p.series_id JOIN metric m ON m.id = s.metric_id"
            " JOIN geography g ON g.id = s.geography_id"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), QDate(2023, 3, 8).toJulianDay() - 2440588);
        QCOMPARE(q.value(1).toDouble(), 2364.0);
        QCOMPARE(q.value(2).toString(), u"cases"_s);
        QCOMPARE(q.value(3).toString(), u"daily"_s);
        QCOMPARE(q.value(4).toString(), u"Nation"_s);
    }

    void columnsInAnyOrder()
    {
        const FileReport report =
            load("metric_value,date,epiweek,year,period,sex,stratum,metric_name,"
                 "geography,geography_type,topic,child_theme,parent_theme\n"
                 "5,1/1/2023,52,2022,weekly,male,default,cases_age_sex,England,"
                 "Nation,COVID-19,respiratory,infectious_disease\n");
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(count("SELECT COUNT(*) FROM series WHERE sex = 'male'"), 1);
    }

    void invalidRows_data()
    {
        QTest::addColumn<QByteArray>("row");
        QTest::addColumn<QString>("message");
        const QByteArray base =
            "infectious_disease,respiratory,COVID-19,Nation,England,new_cases_daily,default,";
        QTest::newRow("sex") << base + "both,daily,2023,10,8/3/2023,1\n"
                             << "line 3: field 'sex': 'both' is not one of all, male, female";
        QTest::newRow("period") << base + "all,monthly,2023,10,8/3/2023,1\n"
                                << "line 3: field 'period'";
        QTest::newRow("epiweek") << base + "all,daily,2023,54,8/3/2023,1\n"
                                 << "line 3: field 'epiweek'";
        QTest::newRow("date") << base + "all,daily,2023,10,2023-03-08,1\n"
                              << "line 3: field 'date': '2023-03-08' is not a d/m/Y date";
        QTest::newRow("impossible date") << base + "all,daily,2023,10,31/2/2023,1\n"
                                         << "line 3: field 'date'";
        QTest::newRow("value") << base + "all,daily,2023,10,8/3/2023,lots\n"
                               << "line 3: field 'metric_value'";
        QTest::newRow("year") << base + "all,daily,20x3,10,8/3/2023,1\n"
                              << "line 3: field 'year'";
        QTest::newRow("field count") << QByteArray("a,b,c\n") << "line 3: 3 fields, expected 13";
        QTest::newRow("empty topic") << QByteArray("infectious_disease,respiratory,,Nation,England,"
                                                   "m,default,all,daily,2023,10,8/3/2023,1\n")
                                     << "line 3: field 'topic': must not be empty";
        // Names are UTF-8 without control characters, read as the file has them, never replaced.
        QTest::newRow("invalid UTF-8") << rowWithGeography("Engl\xff"
                                                           "nd")
                                       << "line 3: field 'geography': invalid UTF-8 at byte 5";
        QTest::newRow("overlong UTF-8")
            << rowWithGeography("\xc0\xaf") << "line 3: field 'geography': invalid UTF-8 at byte 1";
        QTest::newRow("UTF-8 surrogate") << rowWithGeography("a\xed\xa0\x80")
                                         << "line 3: field 'geography': invalid UTF-8 at byte 2";
        QTest::newRow("cut UTF-8") << rowWithGeography("England\xe2\x82")
                                   << "line 3: field 'geography': invalid UTF-8 at byte 8";
        QTest::newRow("NUL") << rowWithGeography(
            QByteArray("Eng\0land",
                       8)) << "line 3: field 'geography': control character U+0000 at character 4";
        QTest::newRow("tab")
            << rowWithGeography("\"Eng\tland\"")
            << "line 3: field 'geography': control character U+0009 at character 4";
        QTest::newRow("C1 control")
            << rowWithGeography("\xc3\xa9\xc2\x85")
            << "line 3: field 'geography': control character U+0085 at character 2";
        QTest::newRow("early date")
            << base + "all,daily,2023,10,1/1/0001,1\n"
            << "line 3: field 'date': '1/1/0001' is outside 1900-01-01 to 2100-12-31";
        QTest::newRow("late date")
            << base + "all,daily,2023,10,31/12/9999,1\n"
            << "line 3: field 'date': '31/12/9999' is outside 1900-01-01 to 2100-12-31";
        QTest::newRow("year range")
            << base + "all,daily,1800,10,8/3/2023,1\n"
            << "line 3: field 'year': '1800' is not a year from 1900 to 2100";
        QTest::newRow("year contradicts date")
            << base + "all,daily,2021,10,9/3/2023,1\n"
            << "line 3: field 'year': '2021' contradicts the date '9/3/2023' (week 10)";
        QTest::newRow("year before, not in week 52")
            << base + "all,daily,2022,1,1/1/2023,1\n"
            << "line 3: field 'year': '2022' contradicts the date '1/1/2023' (week 1)";
        // The same series and date twice, saying different things: which one is meant?
        QTest::newRow("repeat, another value")
            << base + "all,daily,2023,10,8/3/2023,1\n"
            << "line 3: field 'metric_value': '1' differs from line 2's '2364' for the same series "
               "and date";
        QTest::newRow("repeat, no value")
            << base + "all,daily,2023,10,8/3/2023,NA\n"
            << "line 3: field 'metric_value': 'NA' differs from line 2's '2364'";
        QTest::newRow("repeat, another week")
            << base + "all,daily,2023,11,8/3/2023,2364\n"
            << "line 3: field 'epiweek': '11' differs from line 2's '10'";
        QTest::newRow("repeat, quoted") << rowWithGeography("\"England\"").replace("2364", "2365")
                                        << "line 3: field 'metric_value': '2365' differs";
    }
    void invalidRows()
    {
        QFETCH(QByteArray, row);
        QFETCH(QString, message);
        const FileReport report = load(kHeader + kRow + row);
        QVERIFY(!report.ok);
        QVERIFY2(report.errors.join('\n').contains("resp.csv: " + message),
                 qPrintable(report.errors.join('\n')));
        QCOMPARE(count("SELECT COUNT(*) FROM point"), 0); // line 2 was valid but is rolled back
        QCOMPARE(count("SELECT COUNT(*) FROM series"), 0);
    }

    void overLongLineIsNotReadWhole()
    {
        // A line without an end (a binary, a runaway export): the reader stops at the limit
        // instead of holding the line in memory, and says why the file is refused.
        EndlessLine input(kHeader + kRow, 64 << 20);
        QVERIFY(input.open(QIODevice::ReadOnly));
        MetricsWriter writer(m_db->connection());
        QString error;
        QVERIFY2(writer.begin(&error), qPrintable(error));
        ValidationErrors errors;
        RespiratoryCsvReader::read(input, u"resp.csv"_s, 100, writer, errors);
        writer.rollback();
        const QString messages = errors.messages().join('\n');
        QVERIFY2(
            messages.contains(u"resp.csv: line 3: longer than %1 bytes"_s.arg(kMaxCsvLineBytes)),
            qPrintable(messages));
        QVERIFY2(input.served() < (1 << 20), QByteArray::number(input.served()));
    }

    void lineLimitIsExact()
    {
        // A line of exactly kMaxCsvLineBytes, its line end included, is read; one byte more is not.
        QByteArray row = kRow;
        row.insert(row.size() - 1, QByteArray(kMaxCsvLineBytes - row.size(), ' '));
        QCOMPARE(row.size(), kMaxCsvLineBytes);
        FileReport report = load(kHeader + row);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        row.insert(0, ' ');
        report = load(kHeader + row + kRow);
        QVERIFY(!report.ok);
        QCOMPARE(report.errors,
                 QStringList{u"resp.csv: line 2: longer than %1 bytes; the rest of the file is "
                             "not read"_s.arg(kMaxCsvLineBytes)});
    }

    void nameLimit()
    {
        // Characters, not bytes: 255 two-byte characters are a name, one more is not.
        const QByteArray longest = QString(kMaxNameCharacters, u'\u00e9').toUtf8();
        FileReport report = load(kHeader + rowWithGeography(longest));
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        report = load(kHeader + kRow + rowWithGeography(longest + "e"));
        QVERIFY(!report.ok);
        QVERIFY2(report.errors.join('\n').contains(
                     u"resp.csv: line 3: field 'geography': longer than %1 characters"_s.arg(
                         kMaxNameCharacters)),
                 qPrintable(report.errors.join('\n')));
        // A quoted name is measured as it reads, without its quotes.
        report = load(kHeader + rowWithGeography('"' + QByteArray(kMaxNameCharacters, 'g') + '"'));
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(count("SELECT COUNT(*) FROM geography WHERE length(name) = 255"), 2);
    }

    void identicalRepeatIsReadOnce()
    {
        const QByteArray na = "infectious_disease,respiratory,COVID-19,Nation,England,"
                              "new_cases_daily,default,all,daily,2023,10,9/3/2023,NA\n";
        const FileReport report = load(kHeader + kRow + na + kRow + na);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 1);
        QCOMPARE(report.counts.skipped, 1);
        QCOMPARE(report.counts.records(), 2);
    }

    void dateRangeIsInclusive()
    {
        const QByteArray base = "infectious_disease,respiratory,COVID-19,Nation,England,"
                                "new_cases_daily,default,all,daily,";
        FileReport report =
            load(kHeader + base + "1900,1,1/1/1900,1\n" + base + "2100,52,31/12/2100,2\n");
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 2);
        report = load(kHeader + base + "1900,52,31/12/1899,1\n");
        QVERIFY(!report.ok);
        QVERIFY(report.errors.join('\n').contains("field 'date': '31/12/1899' is outside"));
    }

    void yearIsTheWeeksYear()
    {
        // The first days of January may still be in the last week of the year before, the last
        // days of December already in the first week of the next.
        const QByteArray base = "infectious_disease,respiratory,COVID-19,Nation,England,"
                                "new_cases_daily,default,all,daily,";
        const FileReport report = load(kHeader + base + "2022,52,1/1/2023,1\n" + base
                                       + "2020,53,3/1/2021,2\n" + base + "2024,1,30/12/2023,3\n");
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 3);
    }

    void byteOrderMarkIsSkipped()
    {
        // Excel's "CSV UTF-8" starts the file with one.
        const FileReport report = load("\xEF\xBB\xBF" + kHeader + kRow);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 1);
        QCOMPARE(count("SELECT COUNT(*) FROM theme WHERE name = 'infectious_disease'"), 1);
    }

    void headerProblems()
    {
        FileReport report =
            load("parent_theme,child_theme,topic,geography_type,geography,metric_name,"
                 "stratum,sex,period,year,epiweek,date,metric_value,colour\n");
        QVERIFY(!report.ok);
        QVERIFY(report.errors.join('\n').contains("line 1: unknown column 'colour'"));
        report = load("parent_theme,child_theme\n");
        QVERIFY(report.errors.join('\n').contains("line 1: missing column 'topic'"));
        // A repeated column is refused, not read: its rows have more fields than the columns
        // known, and were read out of bounds (found by fuzz/ respiratory_csv).
        report = load("topic,parent_theme,child_theme," + kHeader + kRow);
        QVERIFY(!report.ok);
        QVERIFY2(report.errors.join('\n').contains("line 1: column 'topic' appears twice"),
                 qPrintable(report.errors.join('\n')));
        QCOMPARE(count("SELECT COUNT(*) FROM point"), 0);
    }

    void errorListIsCapped()
    {
        QByteArray csv = kHeader;
        for (int i = 0; i < 100; ++i)
            csv += "infectious_disease,respiratory,COVID-19,Nation,England,m,default,all,daily,"
                   "2023,99,8/3/2023,1\n";
        const FileReport report = load(csv);
        QCOMPARE(report.errors.size(), ValidationErrors::kMaxKept + 1);
        QCOMPARE(report.errors.constLast(), u"... and 80 more"_s);
    }

    void undatedNaRowsAreSkipped()
    {
        const FileReport report = load(
            kHeader
            + "infectious_disease,respiratory,Influenza,UKHSA Region,London,"
              "weekly_hospital_admissions_rate_by_geography,default,all,weekly,2022,NA,NA,NA\n");
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.skipped, 1);
    }

    void metricGroups()
    {
        QCOMPARE(RespiratoryCsvReader::metricGroupFor(u"new_deaths_7day_avg"), u"deaths"_s);
        QCOMPARE(RespiratoryCsvReader::metricGroupFor(u"covid_occupied_beds"), u"healthcare"_s);
        QCOMPARE(RespiratoryCsvReader::metricGroupFor(u"weekly_positivity"), u"testing"_s);
        QCOMPARE(RespiratoryCsvReader::metricGroupFor(u"new_vaccinations_autumn22"),
                 u"vaccinations"_s);
        QCOMPARE(RespiratoryCsvReader::metricGroupFor(u"new_cases_by_age"), u"cases"_s);
    }
};

QTEST_GUILESS_MAIN(TestRespiratoryCsvReader)
#include "TestRespiratoryCsvReader.moc"
