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
