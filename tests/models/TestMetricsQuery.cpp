#include "EnglandSeries.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "MetricsQuery.h"
#include "TestStores.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

QByteArray series(const char *metric, const char *geography, const char *embargo, bool isPublic,
                  const QList<QPair<const char *, double>> &points)
{
    QJsonArray records;
    for (const auto &[date, value] : points)
        records << QJsonObject{{u"epiweek"_s, 1},
                               {u"date"_s, QLatin1String(date)},
                               {u"metric_value"_s, value},
                               {u"embargo"_s, embargo ? QJsonValue(QLatin1String(embargo))
                                                      : QJsonValue(QJsonValue::Null)},
                               {u"is_public"_s, isPublic}};
    QJsonObject file = test::englandFile(QLatin1String(metric), records);
    file[u"geography"_s] = QLatin1String(geography);
    file[u"refresh_date"_s] = u"2024-01-01"_s;
    return QJsonDocument(file).toJson();
}

} // namespace

class TestMetricsQuery : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;
    QString m_store;
    MetricsDatabase m_db;
    std::unique_ptr<MetricsQuery> m_query;

private Q_SLOTS:
    void initTestCase()
    {
        m_store = m_stores.fresh(u"query"_s);
        QVERIFY2(!m_store.isEmpty(), qPrintable(m_stores.errorString()));
        QVERIFY2(m_db.open(m_store), qPrintable(m_db.errorString()));
        Ingestor ingestor(m_db.connection());
        QVERIFY(
            ingestor
                .ingestContent(series("cases", "England", nullptr, true,
                                      {{"2024-01-01", 1}, {"2024-01-02", 2}, {"2024-01-03", 3}}),
                               "cases.json", 0)
                .ok);
        // Released at noon UK time on 2024-01-04.
        QVERIFY(ingestor
                    .ingestContent(
                        series("cases", "Wales", "2024-01-04 12:00:00", true, {{"2024-01-03", 30}}),
                        "wales.json", 0)
                    .ok);
        QVERIFY(ingestor
                    .ingestContent(series("hidden", "England", nullptr, false, {{"2024-01-01", 9}}),
                                   "OFF-SENS_hidden.json", 0)
                    .ok);
        m_query = std::make_unique<MetricsQuery>(m_db.connection());
    }

    void embargoHidesUntilItPasses()
    {
        const qint64 release =
            QDateTime(QDate(2024, 1, 4), QTime(12, 0), Qt::UTC).toSecsSinceEpoch();
        PointSelection wales{.topic = "COVID-19", .metric = "cases", .geography = "Wales"};
        m_query->setNow([&] { return release - 1; });
        QVERIFY(m_query->points(wales, 0, 10).isEmpty());
        QVERIFY(!m_query
                     ->childNames(CatalogueLevel::Geography,
                                  {"infectious_disease", "respiratory", "COVID-19", "Nation"})
                     .isEmpty());
        m_query->setNow([&] { return release; });
        QCOMPARE(m_query->points(wales, 0, 10).size(), 1);
        m_query->setNow([] { return QDateTime::currentSecsSinceEpoch(); });
    }

    void nonPublicSeriesAreInvisible()
    {
        const QStringList metrics =
            m_query->childNames(CatalogueLevel::Metric, {"infectious_disease", "respiratory",
                                                         "COVID-19", "Nation", "England"});
        QCOMPARE(metrics, QStringList{"cases"});
        QVERIFY(m_query->points({.topic = "COVID-19", .metric = "hidden"}, 0, 10).isEmpty());
    }

    void pagingAndFilters()
    {
        PointSelection england{.topic = "COVID-19", .metric = "cases", .geography = "England"};
        qint64 total = 0;
        QList<PublicPoint> page = m_query->points(england, 1, 1, &total);
        QCOMPARE(total, 3);
        QCOMPARE(page.size(), 1);
        QCOMPARE(page[0].date, QDate(2024, 1, 2));
        QCOMPARE(page[0].series->geographyCode, u"E92000001"_s);
        england.from = QDate(2024, 1, 2);
        QCOMPARE(m_query->points(england, 0, 10, &total).size(), 2);
        england.date = QDate(2024, 1, 3);
        QCOMPARE(m_query->points(england, 0, 10).at(0).value, 3.0);
        england.sex = "female";
        QVERIFY(m_query->points(england, 0, 10).isEmpty());
    }

    void aPointReadsEveryColumn()
    {
        QJsonArray records;
        records << QJsonObject{{u"epiweek"_s, 52},
                               {u"date"_s, u"2023-12-30"_s},
                               {u"metric_value"_s, 1.25},
                               {u"in_reporting_delay_period"_s, true},
                               {u"upper_confidence"_s, 2.5},
                               {u"lower_confidence"_s, 0.5},
                               {u"embargo"_s, QJsonValue(QJsonValue::Null)},
                               {u"is_public"_s, true}}
                << QJsonObject{{u"epiweek"_s, 52},
                               {u"date"_s, u"2023-12-31"_s},
                               {u"metric_value"_s, -3},
                               {u"in_reporting_delay_period"_s, false},
                               {u"upper_confidence"_s, QJsonValue(QJsonValue::Null)},
                               {u"lower_confidence"_s, QJsonValue(QJsonValue::Null)},
                               {u"embargo"_s, QJsonValue(QJsonValue::Null)},
                               {u"is_public"_s, true}};
        QJsonObject file = test::englandFile(u"bounds"_s, records);
        file[u"refresh_date"_s] = u"2024-01-01"_s;
        Ingestor ingestor(m_db.connection());
        QVERIFY(ingestor.ingestContent(QJsonDocument(file).toJson(), "bounds.json", 0).ok);

        PointSelection bounds{.topic = "COVID-19", .metric = "bounds", .geography = "England"};
        const QList<PublicPoint> points = m_query->points(bounds, 0, 10);
        QCOMPARE(points.size(), 2);
        QCOMPARE(points[0].date, QDate(2023, 12, 30));
        QCOMPARE(points[0].epiweek, 52);
        QCOMPARE(points[0].value, 1.25);
        QVERIFY(points[0].inReportingDelay);
        QCOMPARE(points[0].upperConfidence, std::optional(2.5));
        QCOMPARE(points[0].lowerConfidence, std::optional(0.5));
        QCOMPARE(points[0].series->metric, u"bounds"_s);
        QCOMPARE(points[1].value, -3.0);
        QVERIFY(!points[1].inReportingDelay);
        QVERIFY(!points[1].upperConfidence);
        QVERIFY(!points[1].lowerConfidence);
        // A name no store can hold matches nothing, on either engine, and is no error.
        bounds.geography = QStringLiteral("Eng") + QChar(0) + u"land"_s;
        QVERIFY(m_query->points(bounds, 0, 10).isEmpty());
    }

    void latestAndMetricInfo()
    {
        const auto latest =
            m_query->latestPoint({.topic = "COVID-19", .metric = "cases", .geography = "England"});
        QVERIFY(latest);
        QCOMPARE(latest->date, QDate(2024, 1, 3));
        bool inTopic = true;
        QVERIFY(m_query->metricInfo("Influenza", "cases", &inTopic));
        QVERIFY(!inTopic);
        QVERIFY(!m_query->metricInfo("COVID-19", "nope"));
        QVERIFY_THROWS_NO_EXCEPTION(m_query->checkReadable());
    }

    void seriesIngestedElsewhereAreRead()
    {
        // A reader keeps which series a selection names; an ingest through another connection
        // (as every writer is) adds one, then a second under the same names, and both are read.
        PointSelection scotland{.topic = "COVID-19", .metric = "cases", .geography = "Scotland"};
        QVERIFY(m_query->points(scotland, 0, 10).isEmpty());
        MetricsDatabase writer;
        QVERIFY2(writer.open(m_store), qPrintable(writer.errorString()));
        Ingestor ingestor(writer.connection());
        QVERIFY(ingestor
                    .ingestContent(series("cases", "Scotland", nullptr, true, {{"2024-01-02", 5}}),
                                   "scotland.json", 0)
                    .ok);
        QCOMPARE(m_query->points(scotland, 0, 10).size(), 1);
        QJsonObject female =
            QJsonDocument::fromJson(series("cases", "Scotland", nullptr, true, {{"2024-01-01", 7}}))
                .object();
        female[u"sex"_s] = u"f"_s;
        QVERIFY(ingestor.ingestContent(QJsonDocument(female).toJson(), "scotland-f.json", 0).ok);
        const QList<PublicPoint> both = m_query->points(scotland, 0, 10);
        QCOMPARE(both.size(), 2);
        QCOMPARE(both[0].value, 7.0); // by date, across the two series
        QCOMPARE(both[0].series->sex, u"f"_s);
        QCOMPARE(both[1].value, 5.0);
    }

    void topicsAndMetricsIngestedElsewhereAreKnown()
    {
        // A reader keeps what it looked up, the misses too; an ingest through another
        // connection must be seen at the next read all the same.
        QVERIFY(!m_query->metricInfo("COVID-19", "admissions"));
        QVERIFY(!m_query->topicExists("Measles"));
        MetricsDatabase writer;
        QVERIFY2(writer.open(m_store), qPrintable(writer.errorString()));
        Ingestor ingestor(writer.connection());
        QVERIFY(
            ingestor
                .ingestContent(series("admissions", "England", nullptr, true, {{"2024-01-02", 5}}),
                               "admissions.json", 0)
                .ok);
        QJsonObject measles = QJsonDocument::fromJson(series("measles_cases", "England", nullptr,
                                                             true, {{"2024-01-02", 3}}))
                                  .object();
        measles[u"topic"_s] = u"Measles"_s;
        QVERIFY(ingestor.ingestContent(QJsonDocument(measles).toJson(), "measles.json", 0).ok);
        bool inTopic = false;
        QVERIFY(m_query->metricInfo("COVID-19", "admissions", &inTopic));
        QVERIFY(inTopic);
        QVERIFY(m_query->topicExists("Measles"));
        // Asked again, from what the reader kept: the same answers.
        inTopic = true;
        QVERIFY(m_query->metricInfo("Influenza", "admissions", &inTopic));
        QVERIFY(!inTopic);
        QVERIFY(m_query->metricInfo("COVID-19", "admissions", &inTopic));
        QVERIFY(inTopic);
        QVERIFY(m_query->topicExists("Measles"));
        QVERIFY(!m_query->topicExists("Mumps"));
    }
};

QTEST_GUILESS_MAIN(TestMetricsQuery)
#include "TestMetricsQuery.moc"
