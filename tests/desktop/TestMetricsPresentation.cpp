#include "EnglandSeries.h"
#include "MetricUnit.h"
#include "SeriesExport.h"
#include "SeriesSelection.h"
#include "SeriesTableModel.h"
#include "TrendSummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// England's series with its geography named with a comma, which exports must quote.
std::shared_ptr<const SeriesDescription> series(const QString &metric, const QString &frequency)
{
    SeriesDescription names = *test::englandSeries(metric, frequency);
    names.geography = u"England, with a comma"_s;
    return std::make_shared<const SeriesDescription>(names);
}

QList<ChartPoint> daily(const QString &metric, const QList<double> &values)
{
    QList<ChartPoint> points;
    const auto names = series(metric, u"daily"_s);
    for (int i = 0; i < values.size(); ++i)
        points.append({names, QDate(2024, 1, 1).addDays(i), values[i], false, {}, {}});
    return points;
}

} // namespace

// What the Metrics page's cards say and write, without a window: trend wording and colour,
// the period filter's dates, the table's shading and the download formats.
class TestMetricsPresentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void trendWording_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QString>("figure");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("arrow");
        QTest::addColumn<QString>("verdict");
        const QList<double> rising{10, 10, 10, 10, 10, 10, 10, 15, 15, 15, 15, 15, 15, 15};
        const QList<double> falling{15, 15, 15, 15, 15, 15, 15, 10, 10, 10, 10, 10, 10, 10};
        // Counts: the change is between 7-day totals, and the card shows the total it is about.
        QTest::newRow("cases rising is bad news")
            << u"COVID-19_cases_casesByDay"_s << rising << u"7-day total 105"_s
            << u"Increase of 35 (50.0%) compared to the previous 7 days"_s << u"▲"_s << u"red"_s;
        QTest::newRow("cases falling is good news")
            << u"COVID-19_cases_casesByDay"_s << falling << u"7-day total 70"_s
            << u"Decrease of 35 (33.3%) compared to the previous 7 days"_s << u"▼"_s << u"green"_s;
        QList<double> thousands(7, 2000.0);
        thousands += QList<double>(7, 2250.5);
        QTest::newRow("rounded to the series' precision, with separators")
            << u"new_cases_daily"_s << thousands << u"7-day total 15,753.5"_s
            << u"Increase of 1,753.5 (12.5%) compared to the previous 7 days"_s << u"▲"_s
            << u"red"_s;
        // Shares and rates do not add up: their 7-day means, a change in percentage points.
        QTest::newRow("vaccinations rising is good news")
            << u"COVID-19_vaccinations_uptakeByDay"_s << rising << u"7-day average 15.0%"_s
            << u"Increase of 5.0 percentage points (50.0%) compared to the previous 7 days"_s
            << u"▲"_s << u"green"_s;
        QTest::newRow("rates are per 100,000")
            << u"COVID-19_cases_rateRollingMean"_s << rising << u"7-day average 15.0 per 100,000"_s
            << u"Increase of 5.0 per 100,000 (50.0%) compared to the previous 7 days"_s << u"▲"_s
            << u"red"_s;
        QTest::newRow("too few points")
            << u"COVID-19_cases_casesByDay"_s << QList<double>{1, 2, 3} << QString()
            << u"Not enough data for a trend"_s << QString() << u"neutral"_s;
    }

    void trendWording()
    {
        QFETCH(QString, metric);
        QFETCH(QList<double>, values);
        const TrendSummary trend = TrendSummary::of(daily(metric, values));
        QTEST(trend.figure, "figure");
        QTEST(trend.text, "text");
        QTEST(trend.arrow, "arrow");
        QTEST(trend.verdict, "verdict");
    }

    void weeklySeriesCompareWithTheWeekBefore()
    {
        QList<ChartPoint> points;
        const auto names = series(u"influenza_testing_positivityByWeek"_s, u"weekly"_s);
        points.append({names, QDate(2024, 1, 1), 8, false, {}, {}});
        points.append({names, QDate(2024, 1, 8), 6, false, {}, {}});
        const TrendSummary trend = TrendSummary::of(points);
        // The latest figure is the card's headline: no separate figure.
        QVERIFY(trend.figure.isEmpty());
        QCOMPARE(trend.text,
                 u"Decrease of 2 percentage points (25.0%) compared to the previous week"_s);
    }

    void valuesAreRoundedWithTheirUnits_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QString>("latest");
        QTest::newRow("whole counts")
            << u"new_cases_daily"_s << QList<double>{12, 123456} << u"123,456"_s;
        QTest::newRow("a rate to one decimal")
            << u"weekly_hospital_admissions_rate_by_age"_s << QList<double>{2.5, 1.525477409}
            << u"1.5 per 100,000"_s;
        QTest::newRow("a share") << u"influenza_testing_positivityByWeek"_s
                                 << QList<double>{10.25, 12.3456} << u"12.3%"_s;
        QTest::newRow("small values keep two decimals")
            << u"COVID-19_cases_rateRollingMean"_s << QList<double>{0.5, 0.04}
            << u"0.04 per 100,000"_s;
        QTest::newRow("a percent change is a share")
            << u"new_admissions_7days_change_percentage"_s << QList<double>{-3.75} << u"-3.8%"_s;
    }

    void valuesAreRoundedWithTheirUnits()
    {
        QFETCH(QString, metric);
        QFETCH(QList<double>, values);
        QFETCH(QString, latest);
        QCOMPARE(formatMetricValue(values.constLast(), metricUnit(metric), displayDecimals(values),
                                   QLocale::c()),
                 latest);
    }

    void periodStartsAndDefault()
    {
        const QDate last(2023, 3, 8);
        QCOMPARE(periodStart(Period::OneMonth, last), QDate(2023, 2, 9));
        QCOMPARE(periodStart(Period::ThreeMonths, last), QDate(2022, 12, 9));
        QCOMPARE(periodStart(Period::SixMonths, last), QDate(2022, 9, 9));
        QCOMPARE(periodStart(Period::OneYear, last), QDate(2022, 3, 9));
        QVERIFY(!periodStart(Period::All, last).isValid());
        // Daily data over more than a year: a year of it.
        QList<QDate> daily;
        for (QDate d(2020, 1, 1); d <= last; d = d.addDays(1))
            daily << d;
        QCOMPARE(defaultPeriod(daily), Period::OneYear);
        QCOMPARE(defaultPeriod(daily.mid(daily.indexOf(QDate(2022, 3, 9)))),
                 Period::All); // exactly a year
        QCOMPARE(defaultPeriod(daily.mid(daily.indexOf(QDate(2022, 3, 8)))), Period::OneYear);
        // Yearly data over ten years would show one point in a year: all of it.
        QList<QDate> yearly;
        for (int year = 2014; year <= 2023; ++year)
            yearly << QDate(year, 3, 8);
        QCOMPARE(defaultPeriod(yearly), Period::All);
        // Monthly data: 12 points in the last year are enough.
        QList<QDate> monthly;
        for (QDate d(2020, 4, 8); d <= last; d = d.addMonths(1))
            monthly << d;
        QCOMPARE(defaultPeriod(monthly), Period::OneYear);
        QCOMPARE(defaultPeriod({}), Period::All);
    }

    void selectionSurvivesAStream()
    {
        SeriesSelection selection;
        selection.series = {u"t"_s, u"st"_s, u"topic"_s, u"m"_s, u"Nation"_s, u"England"_s};
        selection.age = u"65+"_s;
        selection.stratum = u"default"_s;
        selection.period = Period::SixMonths;
        QByteArray bytes;
        {
            QDataStream out(&bytes, QIODevice::WriteOnly);
            out << selection;
        }
        SeriesSelection read;
        QDataStream in(bytes);
        in >> read;
        QCOMPARE(read, selection);
    }

    void tableIsNewestFirstWithDelayRowsShaded()
    {
        QList<PublicPoint> points;
        const auto names = series(u"m"_s, u"daily"_s);
        points.append({names, QDate(2024, 1, 1), 0, 1.5, false});
        points.append({names, QDate(2024, 1, 2), 0, 2.5, true});
        SeriesTableModel model;
        model.setPoints(points);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data(SeriesTableModel::DateRole).toDate(), QDate(2024, 1, 2));
        QVERIFY(model.index(0, 1).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(1, 1).data(Qt::BackgroundRole).isValid());
        QCOMPARE(model.index(1, 1).data(SeriesTableModel::ValueRole).toDouble(), 1.5);
    }

    void downloadsHaveTheApiShapes()
    {
        QList<PublicPoint> points;
        points.append({series(u"m"_s, u"daily"_s), QDate(2024, 2, 29), 9, 12.25, true});
        // UKHSA's downloads/v2 shapes: the CSV with sex before age, the JSON after stratum,
        // values with four decimals.
        const QList<QByteArray> csv = SeriesExport::csv(points).split('\n');
        QCOMPARE(csv[0], QByteArray("theme,sub_theme,topic,geography_type,geography,metric,sex,"
                                    "age,stratum,year,date,metric_value,"
                                    "in_reporting_delay_period\r"));
        QCOMPARE(csv[1], QByteArray("infectious_disease,respiratory,COVID-19,Nation,\"England, "
                                    "with a comma\",m,all,all,default,2024,2024-02-29,12.2500,"
                                    "True\r"));
        QCOMPARE(
            SeriesExport::json(points),
            QByteArray("[{\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\","
                       "\"topic\":\"COVID-19\",\"geography_type\":\"Nation\",\"geography\":"
                       "\"England, with a comma\",\"metric\":\"m\",\"age\":\"all\",\"stratum\":"
                       "\"default\",\"sex\":\"all\",\"year\":2024,\"date\":\"2024-02-29\","
                       "\"metric_value\":\"12.2500\",\"in_reporting_delay_period\":true}]"));
    }
};

QTEST_MAIN(TestMetricsPresentation)
#include "TestMetricsPresentation.moc"
