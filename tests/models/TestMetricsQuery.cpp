#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "MetricsQuery.h"
#include "TestStores.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

QByteArray series(const char *metric, const char *geography, const char *embargo, bool isPublic,
                  const QList<QPair<const char *, double>> &points)
{
    QByteArray records;
    for (const auto &[date, value] : points) {
        if (!records.isEmpty())
            records += ',';
        records +=
            uR"({"epiweek": 1, "date": "%1", "metric_value": %2, "embargo": %3, "is_public": %4})"_s
                .arg(QLatin1String(date))
                .arg(value)
                .arg(embargo ? u"\"%1\""_s.arg(QLatin1String(embargo)) : u"null"_s,
                     isPublic ? u"true"_s : u"false"_s)
                .toUtf8();
    }
    return uR"({"parent_theme": "infectious_disease", "child_theme": "respiratory",
        "topic": "COVID-19", "metric_group": "cases", "metric": "%1", "geography_type": "Nation",
        "geography": "%2", "geography_code": "E92000001", "age": "all", "sex": "all",
        "stratum": "default", "metric_frequency": "daily", "refresh_date": "2024-01-01",
        "time_series": [)"_s.arg(QLatin1String(metric), QLatin1String(geography))
               .toUtf8()
           + records + "]}";
}

} // namespace

class TestMetricsQuery : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;
    MetricsDatabase m_db;
    std::unique_ptr<MetricsQuery> m_query;

private Q_SLOTS:
    void initTestCase()
    {
        const QString store = m_stores.fresh(u"query"_s);
        QVERIFY2(!store.isEmpty(), qPrintable(m_stores.errorString()));
        QVERIFY2(m_db.open(store), qPrintable(m_db.errorString()));
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
};

QTEST_GUILESS_MAIN(TestMetricsQuery)
#include "TestMetricsQuery.moc"
