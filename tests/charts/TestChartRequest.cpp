#include "CategoryOrder.h"
#include "ChartPalette.h"
#include "ChartRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace isobar;

namespace {

const QDate kToday(2024, 6, 15);

QJsonObject plot(const QString &type = QStringLiteral("line_multi_coloured"))
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
        QJsonObject p = plot(QStringLiteral("line_multi_coloured"));
        p.insert(u"line_colour", u"COLOUR_4_ORANGE"_qs);
        p.insert(u"line_type", u"DASH"_qs);
        p.insert(u"use_smooth_lines", true);
        p.insert(u"label", u"England"_qs);
        p.insert(u"date_from", u"2024-01-01"_qs);
        p.insert(u"date_to", u"2024-02-01"_qs);
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
        QCOMPARE(request->xAxisTitle, u"Date"_qs);
        QCOMPARE(*request->yMaximum, 500.0);
        QCOMPARE(*request->plots[0].colour, QColor(244, 106, 37));
        QVERIFY(request->plots[0].dashed);
        QVERIFY(request->plots[0].smooth);
        QCOMPARE(request->plots[0].label, u"England"_qs);
        QCOMPARE(*request->plots[0].selection.to, QDate(2024, 2, 1));
    }

    void errorsNameTheirField_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("mentions");

        QJsonObject unknownType = plot(QStringLiteral("pie"));
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
        badColour.insert(u"line_colour", u"COLOUR_99_GOLD"_qs);
        QTest::newRow("unknown colour") << body({plot(), badColour}) << "plots[1].line_colour"
                                        << "COLOUR_99_GOLD";
        QJsonObject backwards = plot();
        backwards.insert(u"date_from", u"2024-03-01"_qs);
        backwards.insert(u"date_to", u"2024-02-01"_qs);
        QTest::newRow("date_to before date_from") << body({backwards}) << "plots[0].date_to"
                                                  << "before";
        QJsonArray fourWaffles;
        for (int i = 0; i < 4; ++i)
            fourWaffles.append(plot(QStringLiteral("waffle")));
        QTest::newRow("waffle with 4 percentages") << body(fourWaffles) << "plots"
                                                   << "3";
        QTest::newRow("unknown format") << body({plot()}, {{"file_format", "gif"}}) << "file_format"
                                        << "gif";
        QJsonObject dotted = plot();
        dotted.insert(u"line_type", u"DOTTED"_qs);
        QTest::newRow("unknown line type") << body({dotted}) << "plots[0].line_type"
                                           << "DOTTED";
        QJsonObject noTopic = plot();
        noTopic.remove(u"topic");
        QTest::newRow("missing topic") << body({noTopic}) << "plots[0].topic"
                                       << "required";
        QTest::newRow("mixed chart types")
            << body({plot(), plot(QStringLiteral("bar"))}) << "plots[1].chart_type"
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
        badDate.insert(u"date_from", u"01/02/2024"_qs);
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
            QTest::newRow(qPrintable(u"plots[1]."_qs + QLatin1String(name)))
                << body({plot(), p}) << u"plots[1]."_qs + QLatin1String(name);
        }
        QTest::newRow("a 50 KB title")
            << body({plot()}, {{"x_axis_title", QString(50 * 1024, u'T')}}) << "x_axis_title";
        // Counted in characters as JSON Schema counts them: a surrogate pair is one.
        QString emoji;
        for (int i = 0; i <= kMaxTextFieldLength; ++i)
            emoji += QStringLiteral("\U0001F600");
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
            emoji += QStringLiteral("\U0001F600");
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
        QCOMPARE(ChartPalette::names().size(), 15);
        QCOMPARE(*ChartPalette::colour(u"COLOUR_1_DARK_BLUE"_qs), QColor(18, 67, 109));
        QCOMPARE(*ChartPalette::colour(u"COLOUR_6_LIGHT_PURPLE"_qs), QColor(162, 133, 209));
        QCOMPARE(*ChartPalette::colour(u"COLOUR_7_BURGUNDY"_qs), QColor(84, 13, 52));
        QCOMPARE(*ChartPalette::colour(u"COLOUR_12_BLUE"_qs), QColor(0, 157, 214));
        QCOMPARE(*ChartPalette::colour(u"TREND_LINE_NEGATIVE"_qs), QColor(171, 43, 23));
        QVERIFY(!ChartPalette::colour(u"RED"_qs));
        QCOMPARE(ChartPalette::seriesColour(12), ChartPalette::seriesColour(0));
    }

    void ageBandsSortByAge_data()
    {
        QTest::addColumn<int>("axis");
        QTest::addColumn<QStringList>("categories");
        QTest::addColumn<QStringList>("expected");
        const int age = int(ChartAxis::Age);
        const int stratum = int(ChartAxis::Stratum);
        QTest::newRow("under one first, 90+ last, the total after")
            << age << QStringList{u"90+"_qs,   u"5-9"_qs,   u"all"_qs, u"10-14"_qs,
                                  u"00-04"_qs, u"85-89"_qs, u"<1"_qs,  u"15-44"_qs}
            << QStringList{u"<1"_qs,    u"00-04"_qs, u"5-9"_qs, u"10-14"_qs,
                           u"15-44"_qs, u"85-89"_qs, u"90+"_qs, u"all"_qs};
        QTest::newRow("same start: the narrower band first")
            << age
            << QStringList{u"65+"_qs, u"65-74"_qs, u"65 and over"_qs, u"05-14"_qs, u"05-09"_qs}
            << QStringList{u"05-09"_qs, u"05-14"_qs, u"65-74"_qs, u"65 and over"_qs, u"65+"_qs};
        QTest::newRow("unrecognised names after the bands")
            << age << QStringList{u"unknown"_qs, u"50+"_qs, u"20-24"_qs}
            << QStringList{u"20-24"_qs, u"50+"_qs, u"unknown"_qs};
        QTest::newRow("CSV strata that are age bands")
            << stratum << QStringList{u"default"_qs, u"5_9"_qs, u"10_14"_qs, u"0_4"_qs, u"90+"_qs}
            << QStringList{u"0_4"_qs, u"5_9"_qs, u"10_14"_qs, u"90+"_qs, u"default"_qs};
        QTest::newRow("immunisation strata in months and years")
            << stratum << QStringList{u"5y"_qs, u"24m"_qs, u"12m"_qs}
            << QStringList{u"12m"_qs, u"24m"_qs, u"5y"_qs};
        QTest::newRow("strata that are not all ages sort by name")
            << stratum << QStringList{u"10_14"_qs, u"male"_qs, u"5_9"_qs}
            << QStringList{u"10_14"_qs, u"5_9"_qs, u"male"_qs};
        QTest::newRow("other axes by name, the total still last")
            << int(ChartAxis::Sex) << QStringList{u"m"_qs, u"all"_qs, u"f"_qs}
            << QStringList{u"f"_qs, u"m"_qs, u"all"_qs};
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
