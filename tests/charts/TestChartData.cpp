#include "ChartData.h"
#include "ChartDescription.h"
#include "MetricsDatabase.h"
#include "MetricsWriter.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QDate kToday(2024, 6, 15);
const QDate kFirst(2024, 5, 1);
using Plots = QList<ChartPlot>;

SeriesKey key(const QString &topic, const QString &metric, const QString &age = u"all"_s)
{
    SeriesKey k;
    k.theme = u"infectious_disease"_s;
    k.subTheme = u"respiratory"_s;
    k.topic = topic;
    k.metricGroup = u"cases"_s;
    k.metric = metric;
    k.geographyType = u"Nation"_s;
    k.geography = u"England"_s;
    k.geographyCode = u"E92000001"_s;
    k.age = age;
    k.sex = u"all"_s;
    k.stratum = u"default"_s;
    k.frequency = u"daily"_s;
    return k;
}

} // namespace

class TestChartData : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    MetricsDatabase m_store;

    void write(const SeriesKey &k, const QList<double> &values)
    {
        MetricsWriter writer(m_store.connection());
        QString error;
        QVERIFY2(writer.begin(&error), qPrintable(error));
        const auto id = writer.seriesId(k, &error);
        QVERIFY2(id, qPrintable(error));
        for (int i = 0; i < values.size(); ++i) {
            TimeSeriesPoint p;
            p.date = kFirst.addDays(i);
            p.value = values[i];
            QVERIFY2(writer.addPoint(*id, p, &error), qPrintable(error));
        }
        QVERIFY2(writer.commit(&error), qPrintable(error));
    }

    std::optional<ChartDataset> load(const Plots &plots, ChartRequestError *error)
    {
        ChartRequest request;
        request.plots = plots;
        MetricsQuery query(m_store.connection());
        return ChartData::load(query, request, error);
    }

    // Dates as a body that names none gets them: from the first of the month a year ago.
    static ChartPlot plot(const QString &topic, const QString &metric,
                          ChartType type = ChartType::Bar)
    {
        ChartPlot p;
        p.type = type;
        p.selection.topic = topic;
        p.selection.metric = metric;
        p.selection.from = QDate(2023, 6, 1);
        p.selection.to = kToday;
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_store.open(m_dir.filePath(u"charts.db"_s)), qPrintable(m_store.errorString()));
        QList<double> cases;
        for (int i = 0; i < 14; ++i)
            cases << 100 + 10 * i;
        write(key(u"COVID-19"_s, u"COVID-19_cases_casesByDay"_s), cases);
        write(key(u"Influenza"_s, u"influenza_testing_positivityByWeek"_s), {5, 6, 7});
        write(key(u"COVID-19"_s, u"COVID-19_vaccinations_autumn22_uptakeByDay"_s), {45});
        write(key(u"COVID-19"_s, u"COVID-19_vaccinations_spring23_uptakeByDay"_s), {60});
        write(key(u"COVID-19"_s, u"COVID-19_cases_countRollingMean"_s), {250});
    }

    void readsThePlotsPoints()
    {
        ChartRequestError error;
        const auto data = load({plot(u"COVID-19"_s, u"COVID-19_cases_casesByDay"_s)}, &error);
        QVERIFY2(data, qPrintable(error.field + u": " + error.detail));
        QCOMPARE(data->plots.size(), 1);
        QCOMPARE(data->plots[0].size(), 14);
        QCOMPARE(data->plots[0].constLast().value, 230.0);
        QCOMPARE(data->newestDate(), kFirst.addDays(13));
        QCOMPARE(data->plots[0].constFirst().series->geography, u"England"_s);
    }

    void storeErrorsNameTheirField_data()
    {
        QTest::addColumn<Plots>("plots");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown topic")
            << Plots{plot(u"Measles"_s, u"COVID-19_cases_casesByDay"_s)} << "plots[0].topic"
            << "Measles";
        QTest::newRow("unknown metric")
            << Plots{plot(u"COVID-19"_s, u"COVID-19_cases_nope"_s)} << "plots[0].metric"
            << "COVID-19_cases_nope";
        QTest::newRow("metric of another topic")
            << Plots{plot(u"COVID-19"_s, u"COVID-19_cases_casesByDay"_s),
                     plot(u"COVID-19"_s, u"influenza_testing_positivityByWeek"_s)}
            << "plots[1].metric"
            << "does not belong";
        QTest::newRow("waffle of a count")
            << Plots{plot(u"COVID-19"_s, u"COVID-19_cases_countRollingMean"_s, ChartType::Waffle)}
            << "plots[0].metric"
            << "percentages";
        QTest::newRow("waffle not descending")
            << Plots{plot(u"COVID-19"_s, u"COVID-19_vaccinations_autumn22_uptakeByDay"_s,
                          ChartType::Waffle),
                     plot(u"COVID-19"_s, u"COVID-19_vaccinations_spring23_uptakeByDay"_s,
                          ChartType::Waffle)}
            << "plots[1]"
            << "descending";
    }

    void storeErrorsNameTheirField()
    {
        QFETCH(Plots, plots);
        QFETCH(QString, field);
        QFETCH(QString, mentions);
        ChartRequestError error;
        QVERIFY(!load(plots, &error));
        QCOMPARE(error.field, field);
        QVERIFY2(error.detail.contains(mentions), qPrintable(error.detail));
    }

    void waffleInDescendingOrderLoads()
    {
        ChartRequestError error;
        const auto data = load({plot(u"COVID-19"_s, u"COVID-19_vaccinations_spring23_uptakeByDay"_s,
                                     ChartType::Waffle),
                                plot(u"COVID-19"_s, u"COVID-19_vaccinations_autumn22_uptakeByDay"_s,
                                     ChartType::Waffle)},
                               &error);
        QVERIFY2(data, qPrintable(error.field + u": " + error.detail));
    }

    void noDataIsAnEmptyDatasetNotAnError()
    {
        ChartPlot later = plot(u"COVID-19"_s, u"COVID-19_cases_casesByDay"_s);
        later.selection.from = QDate(2024, 6, 1);
        ChartRequestError error;
        const auto data = load({later}, &error);
        QVERIFY(data);
        QVERIFY(data->isEmpty());
    }

    void descriptionSaysWhatTheChartShows()
    {
        ChartRequest request;
        request.plots = {
            plot(u"COVID-19"_s, u"COVID-19_cases_casesByDay"_s, ChartType::LineWithShadedSection)};
        ChartRequestError error;
        MetricsQuery query(m_store.connection());
        const auto data = ChartData::load(query, request, &error);
        QVERIFY(data);
        const QString text = ChartDescription::describe(request, *data);
        QVERIFY2(text.contains(u"COVID-19_cases_casesByDay"), qPrintable(text));
        QVERIFY2(text.contains(u"England"), qPrintable(text));
        QVERIFY2(text.contains(u"1 May 2024") && text.contains(u"14 May 2024"), qPrintable(text));
        QVERIFY2(text.contains(u"230"), qPrintable(text));
        // Last 7 days (1,400 + ...) against the 7 before: 490 more, bad news for cases.
        QVERIFY2(text.contains(u"490 more"), qPrintable(text));
        QVERIFY2(text.contains(u"worse"), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestChartData)
#include "TestChartData.moc"
