#include "EnglandSeries.h"
#include "IngestLimits.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "TestStores.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace isobar;

namespace {

QJsonObject timeSeriesFile()
{
    return test::englandFile("COVID-19_cases_casesByDay",
                             QJsonArray{
                                 QJsonObject{{"epiweek", 10},
                                             {"date", "2023-03-08"},
                                             {"metric_value", 2364},
                                             {"embargo", QJsonValue()},
                                             {"is_public", true}},
                                 QJsonObject{{"epiweek", "10"},
                                             {"date", "2023-03-09"},
                                             {"metric_value", 2100.5},
                                             {"embargo", "2023-03-10 09:30:00"},
                                             {"is_public", true}},
                                 QJsonObject{{"epiweek", 10},
                                             {"date", "2023-03-10"},
                                             {"metric_value", QJsonValue()},
                                             {"embargo", QJsonValue()},
                                             {"is_public", true}},
                             });
}

} // namespace

class TestUkhsaJsonReader : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;
    std::unique_ptr<MetricsDatabase> m_db;

    FileReport load(const QJsonObject &file, const QString &name = "file.json")
    {
        Ingestor ingestor(m_db->connection());
        return ingestor.ingestContent(QJsonDocument(file).toJson(), name, 0);
    }
    qint64 points()
    {
        return test::scalar(
            m_db->connection(),
            u"SELECT (SELECT COUNT(*) FROM point) + (SELECT COUNT(*) FROM headline)"_s);
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<MetricsDatabase>();
        const QString store = m_stores.fresh(u"store"_s);
        QVERIFY2(!store.isEmpty(), qPrintable(m_stores.errorString()));
        QVERIFY2(m_db->open(store), qPrintable(m_db->errorString()));
    }

    void validFileLoads()
    {
        const FileReport report = load(timeSeriesFile());
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 2);
        QCOMPARE(report.counts.skipped, 1); // the null value
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("SELECT day, epiweek, value, embargo FROM point ORDER BY day"));
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toInt(), 10);
        QCOMPARE(q.value(2).toDouble(), 2364.0);
        QVERIFY(q.value(3).isNull());
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toInt(), 10); // "10" as a string is accepted
        QVERIFY(!q.value(3).isNull());
    }

    void invalidRecordRejectsWholeFile_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad date") << "date" << QJsonValue("2023-02-30") << "field 'date'";
        QTest::newRow("epiweek 54") << "epiweek" << QJsonValue(54) << "field 'epiweek'";
        QTest::newRow("epiweek text") << "epiweek" << QJsonValue("ten") << "field 'epiweek'";
        QTest::newRow("value text")
            << "metric_value" << QJsonValue("many") << "field 'metric_value'";
        QTest::newRow("embargo shape") << "embargo" << QJsonValue("soon") << "field 'embargo'";
        QTest::newRow("is_public missing")
            << "is_public" << QJsonValue(QJsonValue::Undefined) << "field 'is_public'";
        QTest::newRow("unknown field")
            << "colour" << QJsonValue("red") << "field 'colour': unknown field";
        QTest::newRow("bound text")
            << "upper_confidence" << QJsonValue("wide") << "field 'upper_confidence'";
        QTest::newRow("long date") << "date" << QJsonValue(QString(1000, u'2'))
                                   << "field 'date': longer than 255 characters";
        QTest::newRow("early date")
            << "date" << QJsonValue("0001-01-01")
            << "field 'date': '0001-01-01' is outside 1900-01-01 to 2100-12-31";
        QTest::newRow("late date")
            << "date" << QJsonValue("9999-12-31")
            << "field 'date': '9999-12-31' is outside 1900-01-01 to 2100-12-31";
        QTest::newRow("late embargo")
            << "embargo" << QJsonValue("9999-12-31 09:30:00")
            << "field 'embargo': '9999-12-31 09:30:00' is outside 1900-01-01 to 2100-12-31";
        // The day of the first record, saying otherwise.
        QTest::newRow("repeated date")
            << "date" << QJsonValue("2023-03-08")
            << "field 'date': 2023-03-08 repeats time_series[0] with another metric_value";
    }
    void invalidRecordRejectsWholeFile()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QJsonObject file = timeSeriesFile();
        QJsonArray records = file["time_series"].toArray();
        QJsonObject last = records[1].toObject();
        if (value.isUndefined())
            last.remove(field);
        else
            last[field] = value;
        records[1] = last;
        file["time_series"] = records;
        const FileReport report = load(file, "broken.json");
        QVERIFY(!report.ok);
        QVERIFY2(report.errors.join('\n').contains("broken.json: time_series[1]: " + message),
                 qPrintable(report.errors.join('\n')));
        QCOMPARE(points(), 0); // the valid first record was rolled back too
    }

    void headerChecks_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("geography code shape")
            << "geography_code" << QJsonValue("England1") << "field 'geography_code'";
        QTest::newRow("missing topic")
            << "topic" << QJsonValue(QJsonValue::Undefined) << "field 'topic': required";
        QTest::newRow("empty metric")
            << "metric" << QJsonValue("") << "field 'metric': must not be empty";
        QTest::newRow("refresh date")
            << "refresh_date" << QJsonValue("yesterday") << "field 'refresh_date'";
        QTest::newRow("unknown header")
            << "source" << QJsonValue("x") << "field 'source': unknown field";
        QTest::newRow("NUL in a name")
            << "geography" << QJsonValue(QString::fromUtf16(u"Eng\0land", 8))
            << "file.json: field 'geography': control character U+0000 at character 4";
        QTest::newRow("line end in a name")
            << "topic" << QJsonValue("COVID\n19")
            << "file.json: field 'topic': control character U+000A at character 6";
        QTest::newRow("early refresh date")
            << "refresh_date" << QJsonValue("1899-12-31 23:59:59")
            << "field 'refresh_date': '1899-12-31 23:59:59' is outside 1900-01-01 to 2100-12-31";
        QTest::newRow("long geography")
            << "geography" << QJsonValue(QString(kMaxNameCharacters + 1, u'g'))
            << "field 'geography': longer than 255 characters";
        QTest::newRow("long stratum") << "stratum" << QJsonValue(QString(1 << 20, u's'))
                                      << "field 'stratum': longer than 255 characters";
        // Only the start of an unknown key is shown.
        QTest::newRow("long unknown header")
            << QString(1 << 20, u'k') << QJsonValue("x")
            << "file.json: field '" + QString(64, u'k') + "...': unknown field";
    }
    void headerChecks()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QJsonObject file = timeSeriesFile();
        if (value.isUndefined())
            file.remove(field);
        else
            file[field] = value;
        const FileReport report = load(file);
        QVERIFY(!report.ok);
        QVERIFY2(report.errors.join('\n').contains(message),
                 qPrintable(report.errors.join('\n').left(1000)));
        QVERIFY(report.errors.join('\n').size() < 1000); // no value is echoed whole
        QCOMPARE(points(), 0);
    }

    void nameLimitCountsCharacters()
    {
        // 255 characters outside the BMP (two UTF-16 units each) are a name.
        QString longest;
        for (int i = 0; i < kMaxNameCharacters; ++i)
            longest += QString::fromUcs4(U"\U0001F600", 1);
        QJsonObject file = timeSeriesFile();
        file["geography"] = longest;
        const FileReport report = load(file);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
    }

    void fileSizeLimit()
    {
        // A file is parsed whole, so one larger than kMaxJsonFileBytes is refused unread.
        QByteArray content = QJsonDocument(timeSeriesFile()).toJson();
        content.append(QByteArray(kMaxJsonFileBytes - content.size(), ' '));
        Ingestor ingestor(m_db->connection());
        FileReport report = ingestor.ingestContent(content, "large.json", 0);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        content.append(' ');
        report = ingestor.ingestContent(content, "larger.json", 0);
        QVERIFY(!report.ok);
        QCOMPARE(report.errors, QStringList{u"larger.json: 33554433 bytes, over the 33554432 bytes "
                                            "a JSON file may hold"_s});
    }

    void offSensitiveFilesMustBeNonPublic()
    {
        // Public records in an OFF-SENS_ file (and the reverse) contradict the file's class.
        FileReport report = load(timeSeriesFile(), "OFF-SENS_cases.json");
        QVERIFY(!report.ok);
        QVERIFY(report.errors.join('\n').contains("must be false in an OFF-SENS_ file"));

        QJsonObject hidden = timeSeriesFile();
        QJsonArray records = hidden["time_series"].toArray();
        for (qsizetype i = 0; i < records.size(); ++i) {
            QJsonObject r = records[i].toObject();
            r["is_public"] = false;
            records[i] = r;
        }
        hidden["time_series"] = records;
        report = load(hidden, "cases.json");
        QVERIFY(!report.ok);
        QVERIFY(report.errors.join('\n').contains("must be true outside OFF-SENS_ files"));
        report = load(hidden, "OFF-SENS_cases.json");
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
    }

    void headlineFile()
    {
        QJsonObject file = timeSeriesFile();
        file.remove("time_series");
        file.remove("metric_frequency");
        file["metric"] = "COVID-19_headline_cases_7DayTotals";
        file["metric_group"] = "headline";
        file["data"] = QJsonArray{QJsonObject{{"period_start", "2023-10-28"},
                                              {"period_end", "2023-11-03"},
                                              {"metric_value", 6276},
                                              {"upper_confidence", 7000},
                                              {"lower_confidence", 5000},
                                              {"embargo", QJsonValue()},
                                              {"is_public", true}}};
        const FileReport report = load(file);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("SELECT value, upper_confidence, lower_confidence FROM headline")
                && q.next());
        QCOMPARE(q.value(0).toDouble(), 6276.0);
        QCOMPARE(q.value(1).toDouble(), 7000.0);

        // The same metric name as time series afterwards contradicts the stored kind.
        QJsonObject mixed = timeSeriesFile();
        mixed["metric"] = "COVID-19_headline_cases_7DayTotals";
        const FileReport clash = load(mixed);
        QVERIFY(!clash.ok);
        QVERIFY(clash.errors.join('\n').contains("stored as a headline metric"));
    }

    void periodEndBeforeStartIsRejected()
    {
        QJsonObject file = timeSeriesFile();
        file.remove("time_series");
        file["data"] = QJsonArray{QJsonObject{{"period_start", "2023-11-03"},
                                              {"period_end", "2023-10-28"},
                                              {"metric_value", 1},
                                              {"embargo", QJsonValue()},
                                              {"is_public", true}}};
        const FileReport report = load(file);
        QVERIFY(!report.ok);
        QVERIFY(report.errors.join('\n').contains("field 'period_end': is before period_start"));
    }

    void pointConfidenceBoundsAreStored()
    {
        QJsonObject file = timeSeriesFile();
        QJsonArray records = file["time_series"].toArray();
        QJsonObject first = records[0].toObject();
        first["upper_confidence"] = 2500.5;
        first["lower_confidence"] = 2200;
        records[0] = first;
        file["time_series"] = records;
        const FileReport report = load(file);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("SELECT upper_confidence, lower_confidence FROM point ORDER BY day"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toDouble(), 2500.5);
        QCOMPARE(q.value(1).toDouble(), 2200.0);
        QVERIFY(q.next()); // a point without bounds keeps none
        QVERIFY(q.value(0).isNull() && q.value(1).isNull());

        // A newer refresh that only changes the bounds is a correction like any other.
        first["upper_confidence"] = 2400;
        records[0] = first;
        file["time_series"] = records;
        file["refresh_date"] = "2023-11-16 10:00:00";
        const FileReport corrected = load(file);
        QVERIFY2(corrected.ok, qPrintable(corrected.errors.join('\n')));
        QCOMPARE(corrected.counts.updated, 1);
        QVERIFY(q.exec("SELECT upper_confidence FROM point ORDER BY day LIMIT 1") && q.next());
        QCOMPARE(q.value(0).toDouble(), 2400.0);
    }

    void lowerBoundAboveUpperIsRejected()
    {
        QJsonObject file = timeSeriesFile();
        QJsonArray records = file["time_series"].toArray();
        QJsonObject first = records[0].toObject();
        first["upper_confidence"] = 2000;
        first["lower_confidence"] = 2100;
        records[0] = first;
        file["time_series"] = records;
        const FileReport report = load(file);
        QVERIFY(!report.ok);
        QVERIFY2(report.errors.join('\n').contains(
                     "time_series[0]: field 'lower_confidence': is above upper_confidence"),
                 qPrintable(report.errors.join('\n')));
        QCOMPARE(points(), 0);
    }

    void identicalRepeatIsReadOnce()
    {
        QJsonObject file = timeSeriesFile();
        QJsonArray records = file["time_series"].toArray();
        records.append(records[0]);
        records.append(records[2]); // without a value
        file["time_series"] = records;
        const FileReport report = load(file);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 2);
        QCOMPARE(report.counts.skipped, 1);
        QCOMPARE(points(), 2);
    }

    void repeatsThatDisagreeAreRefused_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("value") << "metric_value" << QJsonValue(1) << "another metric_value";
        QTest::newRow("no value") << "metric_value" << QJsonValue() << "another metric_value";
        QTest::newRow("week") << "epiweek" << QJsonValue(11) << "another epiweek";
        QTest::newRow("embargo") << "embargo" << QJsonValue("2023-03-10 09:30:00")
                                 << "another embargo";
    }
    void repeatsThatDisagreeAreRefused()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QJsonObject file = timeSeriesFile();
        QJsonArray records = file["time_series"].toArray();
        QJsonObject repeat = records[0].toObject();
        repeat[field] = value;
        records.append(repeat);
        file["time_series"] = records;
        const FileReport report = load(file, "twice.json");
        QVERIFY(!report.ok);
        QCOMPARE(report.errors,
                 QStringList{"twice.json: time_series[3]: field 'date': 2023-03-08 repeats "
                             "time_series[0] with "
                             + message});
        QCOMPARE(points(), 0);
    }

    void headlinesOfOneDayAreOneRecord()
    {
        // A headline is kept by the London day its period ends on: two periods ending that day
        // are one record given twice.
        QJsonObject file = timeSeriesFile();
        file.remove("time_series");
        file.remove("metric_frequency");
        QJsonObject first{{"period_start", "2023-09-10 09:00:00"},
                          {"period_end", "2023-09-10 15:00:00"},
                          {"metric_value", 1},
                          {"embargo", QJsonValue()},
                          {"is_public", true}};
        QJsonObject second = first;
        second["period_end"] = "2023-09-10 18:00:00";
        file["data"] = QJsonArray{first, second, first};
        const FileReport report = load(file, "alerts.json");
        QVERIFY(!report.ok);
        QCOMPARE(report.errors, QStringList{"alerts.json: data[1]: field 'period_end': 2023-09-10 "
                                            "repeats data[0] with another period_end"});
        file["data"] = QJsonArray{first, first};
        const FileReport once = load(file, "alerts.json");
        QVERIFY2(once.ok, qPrintable(once.errors.join('\n')));
        QCOMPARE(once.counts.inserted, 1);
    }

    void invalidUtf8IsRefusedWhereItIs_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("where");
        QTest::newRow("header") << QByteArray("England") << "field 'geography'";
        QTest::newRow("record") << QByteArray("2023-03-10 09:30:00")
                                << "time_series[1]: field 'embargo'";
        QTest::newRow("key") << QByteArray("in_reporting_delay_period") << "time_series[2]: a key";
    }
    void invalidUtf8IsRefusedWhereItIs()
    {
        // Not replaced by U+FFFD: refused, naming the record and field.
        QFETCH(QByteArray, text);
        QFETCH(QString, where);
        QJsonObject file = timeSeriesFile();
        QJsonArray records = file["time_series"].toArray();
        QJsonObject last = records[2].toObject();
        last["in_reporting_delay_period"] = false;
        records[2] = last;
        file["time_series"] = records;
        QByteArray content = QJsonDocument(file).toJson(QJsonDocument::Compact);
        const qsizetype at = content.indexOf(text) + 3;
        QVERIFY(at > 3);
        content[at] = '\xff';
        Ingestor ingestor(m_db->connection());
        const FileReport report = ingestor.ingestContent(content, "bytes.json", 0);
        QVERIFY(!report.ok);
        QCOMPARE(report.errors, QStringList{u"bytes.json: %1: invalid UTF-8 at offset %2 (line 1, "
                                            "column %3)"_s.arg(where)
                                                .arg(at)
                                                .arg(at + 1)});
    }

    void byteOrderMarkIsSkipped()
    {
        Ingestor ingestor(m_db->connection());
        const FileReport report = ingestor.ingestContent(
            "\xEF\xBB\xBF" + QJsonDocument(timeSeriesFile()).toJson(), "bom.json", 0);
        QVERIFY2(report.ok, qPrintable(report.errors.join('\n')));
        QCOMPARE(report.counts.inserted, 2);
    }

    void malformedJson()
    {
        Ingestor ingestor(m_db->connection());
        const FileReport report = ingestor.ingestContent("{\"topic\": ", "cut.json", 0);
        QVERIFY(!report.ok);
        QVERIFY(report.errors.join('\n').contains("cut.json: offset"));
    }
};

QTEST_GUILESS_MAIN(TestUkhsaJsonReader)
#include "TestUkhsaJsonReader.moc"
