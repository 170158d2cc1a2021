#include "CategoryOrder.h"
#include "ChartPalette.h"
#include "ChartRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QDate kToday(2024, 6, 15);

QJsonObject plot(const QString &type = u"line_multi_coloured"_s)
{
    return QJsonObject{
        {"topic", "COVID-19"}, {"metric", "COVID-19_cases_casesByDay"}, {"chart_type", type}};
}

QJsonObject body(const QJsonArray &plots, const QJsonObject &extra = {})
{
    QJsonObject result = extra;
    result.insert(u"plots", plots);
    return result;
}

} // namespace

class TestChartRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        ChartRequestError error;
        const auto request = ChartRequest::parse(body({plot()}), kToday, &error);
        QVERIFY(request);
        QCOMPARE(request->size, QSize(515, 220));
        QCOMPARE(request->format, ChartFormat::Svg);
        QCOMPARE(request->xAxis, ChartAxis::Date);
        QCOMPARE(request->plots.size(), 1);
        QCOMPARE(*request->plots[0].selection.from, QDate(2023, 6, 1));
        QCOMPARE(*request->plots[0].selection.to, kToday);
        QVERIFY(!request->plots[0].colour);
    }

    void fullBody()
    {
        QJsonObject p = plot(u"line_multi_coloured"_s);
        p.insert(u"line_colour", u"COLOUR_4_ORANGE"_s);
        p.insert(u"line_type", u"DASH"_s);
        p.insert(u"use_smooth_lines", true);
        p.insert(u"label", u"England"_s);
        p.insert(u"date_from", u"2024-01-01"_s);
        p.insert(u"date_to", u"2024-02-01"_s);
        ChartRequestError error;
        const auto request = ChartRequest::parse(body({p}, {{"file_format", "jpg"},
                                                            {"chart_width", 1200},
                                                            {"chart_height", "600"},
                                                            {"x_axis_title", "Date"},
                                                            {"y_axis_title", "Cases"},
                                                            {"y_axis_minimum_value", 0},
                                                            {"y_axis_maximum_value", 500}}),
                                                 kToday, &error);
        QVERIFY2(request, qPrintable(error.field + u": " + error.detail));
        QCOMPARE(request->format, ChartFormat::Jpeg);
        QCOMPARE(request->size, QSize(1200, 600));
        QCOMPARE(request->xAxisTitle, u"Date"_s);
        QCOMPARE(*request->yMaximum, 500.0);
        QCOMPARE(*request->plots[0].colour, QColor(244, 106, 37));
        QVERIFY(request->plots[0].dashed);
        QVERIFY(request->plots[0].smooth);
        QCOMPARE(request->plots[0].label, u"England"_s);
        QCOMPARE(*request->plots[0].selection.to, QDate(2024, 2, 1));
    }

    void errorsNameTheirField_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("mentions");

        QJsonObject unknownType = plot(u"pie"_s);
        QTest::newRow("unknown chart type") << body({unknownType}) << "plots[0].chart_type"
                                            << "pie";
        QTest::newRow("width under 50") << body({plot()}, {{"chart_width", 49}}) << "chart_width"
                                        << "50";
        QTest::newRow("height over 4000")
            << body({plot()}, {{"chart_height", 4001}}) << "chart_height"
            << "4000";
        QJsonArray eleven;
        for (int i = 0; i < 11; ++i)
            eleven.append(plot());
        QTest::newRow("more than 10 plots") << body(eleven) << "plots"
                                            << "10";
        QJsonObject badColour = plot();
        badColour.insert(u"line_colour", u"COLOUR_99_GOLD"_s);
        QTest::newRow("unknown colour") << body({plot(), badColour}) << "plots[1].line_colour"
                                        << "COLOUR_99_GOLD";
        QJsonObject lowerCase = plot();
        lowerCase.insert(u"line_colour", u"colour_4_orange"_s);
        QTest::newRow("colour name in lower case") << body({lowerCase}) << "plots[0].line_colour"
                                                   << "colour_4_orange";
        QJsonObject backwards = plot();
        backwards.insert(u"date_from", u"2024-03-01"_s);
        backwards.insert(u"date_to", u"2024-02-01"_s);
        QTest::newRow("date_to before date_from") << body({backwards}) << "plots[0].date_to"
                                                  << "before";
        QJsonArray fourWaffles;
        for (int i = 0; i < 4; ++i)
            fourWaffles.append(plot(u"waffle"_s));
        QTest::newRow("waffle with 4 percentages") << body(fourWaffles) << "plots"
                                                   << "3";
        QTest::newRow("unknown format") << body({plot()}, {{"file_format", "gif"}}) << "file_format"
                                        << "gif";
        QJsonObject dotted = plot();
        dotted.insert(u"line_type", u"DOTTED"_s);
        QTest::newRow("unknown line type") << body({dotted}) << "plots[0].line_type"
                                           << "DOTTED";
        QJsonObject noTopic = plot();
        noTopic.remove(u"topic");
        QTest::newRow("missing topic") << body({noTopic}) << "plots[0].topic"
                                       << "required";
        QTest::newRow("mixed chart types")
            << body({plot(), plot(u"bar"_s)}) << "plots[1].chart_type"
            << "same";
        QTest::newRow("unknown x axis") << body({plot()}, {{"x_axis", "colour"}}) << "x_axis"
                                        << "colour";
        QTest::newRow("no plots") << body({}) << "plots"
                                  << "non-empty";
        QTest::newRow("y bound not finite")
            << body({plot()}, {{"y_axis_maximum_value", "inf"}}) << "y_axis_maximum_value"
            << "number";
        QTest::newRow("size not a number")
            << body({plot()}, {{"chart_width", "wide"}}) << "chart_width"
            << "number";
        QJsonObject badDate = plot();
        badDate.insert(u"date_from", u"01/02/2024"_s);
        QTest::newRow("malformed date") << body({badDate}) << "plots[0].date_from"
                                        << "01/02/2024";
    }

    void errorsNameTheirField()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, field);
        QFETCH(QString, mentions);
        ChartRequestError error;
        QVERIFY(!ChartRequest::parse(body, kToday, &error));
        QCOMPARE(error.field, field);
        QVERIFY2(error.detail.contains(mentions), qPrintable(error.detail));
    }

    // Text QtCharts lays out costs more than its length (a 50 KB title took 7 s and 2.4 GB):
    // every string field is refused past the limit, naming the field and the limit.
    void overlongTextIsRefused_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");

        const QString overlong(kMaxTextFieldLength + 1, u'x');
        for (const char *name : {"x_axis_title", "y_axis_title", "file_format", "x_axis", "y_axis"})
            QTest::newRow(name) << body({plot()}, {{QLatin1String(name), overlong}}) << name;
        for (const char *name :
             {"label", "topic", "metric", "stratum", "age", "sex", "geography", "geography_type",
              "date_from", "date_to", "chart_type", "line_colour", "line_type"}) {
            QJsonObject p = plot();
            p.insert(QLatin1String(name), overlong);
            QTest::newRow(qPrintable(u"plots[1]."_s + QLatin1String(name)))
                << body({plot(), p}) << u"plots[1]."_s + QLatin1String(name);
        }
        QTest::newRow("a 50 KB title")
            << body({plot()}, {{"x_axis_title", QString(qsizetype(50) * 1024, u'T')}})
            << "x_axis_title";
        // Counted in characters as JSON Schema counts them: a surrogate pair is one.
        QString emoji;
        for (int i = 0; i <= kMaxTextFieldLength; ++i)
            emoji += u"\U0001F600"_s;
        QTest::newRow("characters outside the BMP")
            << body({plot()}, {{"y_axis_title", emoji}}) << "y_axis_title";
    }

    void overlongTextIsRefused()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, field);
        ChartRequestError error;
        QVERIFY(!ChartRequest::parse(body, kToday, &error));
        QCOMPARE(error.field, field);
        QVERIFY2(error.detail.contains(QString::number(kMaxTextFieldLength)),
                 qPrintable(error.detail));
    }

    void textUpToTheLimitIsKept()
    {
        const QString longest(kMaxTextFieldLength, u'y');
        QString emoji;
        for (int i = 0; i < kMaxTextFieldLength; ++i)
            emoji += u"\U0001F600"_s;
        QJsonObject p = plot();
        p.insert(u"label", longest);
        ChartRequestError error;
        const auto request = ChartRequest::parse(
            body({p}, {{"x_axis_title", longest}, {"y_axis_title", emoji}}), kToday, &error);
        QVERIFY2(request, qPrintable(error.field + u": " + error.detail));
        QCOMPARE(request->xAxisTitle, longest);
        QCOMPARE(request->yAxisTitle, emoji);
        QCOMPARE(request->plots[0].label, longest);
    }

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

QTEST_GUILESS_MAIN(TestChartRequest)
#include "TestChartRequest.moc"
