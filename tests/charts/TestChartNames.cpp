#include "CategoryOrder.h"
#include "ChartPalette.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

// The names a chart request uses that charts/ owns: UKHSA's colours and the order of age bands.
class TestChartNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paletteHasTheDashboardValues()
    {
        const QStringList names = ChartPalette::names();
        QCOMPARE(names.size(), 37);
        QCOMPARE(names.first(), u"COLOUR_1_DARK_BLUE"_s);
        QCOMPARE(names.indexOf(u"MAP_COLOUR_1_LIGHT_YELLOW"_s), 12);
        QCOMPARE(names.indexOf(u"TREND_LINE_POSITIVE"_s), 17);
        QCOMPARE(names.indexOf(u"RED"_s), 20);
        QCOMPARE(names.last(), u"LIGHT_GREEN"_s);
        QCOMPARE(*ChartPalette::colour(u"COLOUR_1_DARK_BLUE"_s), QColor(18, 67, 109));
        QCOMPARE(*ChartPalette::colour(u"COLOUR_6_LIGHT_PURPLE"_s), QColor(162, 133, 209));
        QCOMPARE(*ChartPalette::colour(u"COLOUR_7_BURGUNDY"_s), QColor(84, 13, 52));
        QCOMPARE(*ChartPalette::colour(u"COLOUR_12_BLUE"_s), QColor(0, 157, 214));
        QCOMPARE(*ChartPalette::colour(u"MAP_COLOUR_5_DARK_BLUE"_s), QColor(8, 104, 172));
        QCOMPARE(*ChartPalette::colour(u"TREND_LINE_NEGATIVE"_s), QColor(171, 43, 23));
        QCOMPARE(*ChartPalette::colour(u"RED"_s), QColor(212, 53, 28));
        QCOMPARE(*ChartPalette::colour(u"LIGHT_PURPLE"_s), QColor(111, 114, 175));
        QCOMPARE(ChartPalette::trendPositive(), QColor(0, 112, 60));
        QCOMPARE(ChartPalette::seriesColour(12), ChartPalette::seriesColour(0));
        QCOMPARE(ChartPalette::seriesColour(11), QColor(0, 157, 214));
        QCOMPARE(ChartPalette::rgbaText(QColor(18, 67, 109)), u"rgba(18, 67, 109, 1)"_s);
    }

    // UKHSA's enum makes GREEN and TURQUOISE aliases of earlier values, which its choices skip;
    // DRF's ChoiceField compares names exactly.
    void paletteRejectsAliasesAndOtherCases()
    {
        for (const QString &name : {u"GREEN"_s, u"TURQUOISE"_s, u"red"_s, u"colour_1_dark_blue"_s})
            QVERIFY2(!ChartPalette::colour(name), qPrintable(name));
        QVERIFY(!ChartPalette::names().contains(u"GREEN"_s));
    }

    void ageBandsSortByAge_data()
    {
        QTest::addColumn<int>("axis");
        QTest::addColumn<QStringList>("categories");
        QTest::addColumn<QStringList>("expected");
        const int age = int(ChartAxis::Age);
        const int stratum = int(ChartAxis::Stratum);
        QTest::newRow("under one first, 90+ last, the total after")
            << age << QStringList{u"90+"_s,   u"5-9"_s,   u"all"_s, u"10-14"_s,
                                  u"00-04"_s, u"85-89"_s, u"<1"_s,  u"15-44"_s}
            << QStringList{u"<1"_s,    u"00-04"_s, u"5-9"_s, u"10-14"_s,
                           u"15-44"_s, u"85-89"_s, u"90+"_s, u"all"_s};
        QTest::newRow("same start: the narrower band first")
            << age << QStringList{u"65+"_s, u"65-74"_s, u"65 and over"_s, u"05-14"_s, u"05-09"_s}
            << QStringList{u"05-09"_s, u"05-14"_s, u"65-74"_s, u"65 and over"_s, u"65+"_s};
        QTest::newRow("unrecognised names after the bands")
            << age << QStringList{u"unknown"_s, u"50+"_s, u"20-24"_s}
            << QStringList{u"20-24"_s, u"50+"_s, u"unknown"_s};
        QTest::newRow("CSV strata that are age bands")
            << stratum << QStringList{u"default"_s, u"5_9"_s, u"10_14"_s, u"0_4"_s, u"90+"_s}
            << QStringList{u"0_4"_s, u"5_9"_s, u"10_14"_s, u"90+"_s, u"default"_s};
        QTest::newRow("immunisation strata in months and years")
            << stratum << QStringList{u"5y"_s, u"24m"_s, u"12m"_s}
            << QStringList{u"12m"_s, u"24m"_s, u"5y"_s};
        QTest::newRow("strata that are not all ages sort by name")
            << stratum << QStringList{u"10_14"_s, u"male"_s, u"5_9"_s}
            << QStringList{u"10_14"_s, u"5_9"_s, u"male"_s};
        QTest::newRow("other axes by name, the total still last")
            << int(ChartAxis::Sex) << QStringList{u"m"_s, u"all"_s, u"f"_s}
            << QStringList{u"f"_s, u"m"_s, u"all"_s};
    }

    void ageBandsSortByAge()
    {
        QFETCH(int, axis);
        QFETCH(QStringList, categories);
        QFETCH(QStringList, expected);
        QCOMPARE(sortedCategories(categories, ChartAxis(axis)), expected);
    }
};

QTEST_GUILESS_MAIN(TestChartNames)
#include "TestChartNames.moc"
