#include "ChartPalette.h"
#include "PlotlyFigure.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// Expected JSON holding "#" colours stays out of the test class: moc misreads a "#" within a
// raw string there.
const char *const kReportingDelayShapes = R"j({"shapes": [
    {"type": "rect", "fillcolor": "#D2E9F1", "opacity": 0.6, "line": {"width": 0},
     "x0": "2025-01-07", "x1": "2025-01-10", "xref": "x",
     "y0": 0, "y1": 1, "yref": "y domain"},
    {"type": "line", "line": {"color": "#0090C6", "width": 2},
     "x0": "2025-01-07", "x1": "2025-01-07", "xref": "x",
     "y0": 0, "y1": 1, "yref": "y domain"},
    {"type": "line", "line": {"color": "#0090C6", "width": 2},
     "x0": "2025-01-10", "x1": "2025-01-10", "xref": "x",
     "y0": 0, "y1": 1, "yref": "y domain"}]})j";
const char *const kReportingDelayLegend = R"j({"type": "scatter", "x": [null], "y": [null],
    "mode": "markers", "name": "Reporting delay",
    "marker": {"color": "#D2E9F1", "opacity": 0.6, "symbol": "square", "size": 15,
               "line": {"color": "#0090C6", "width": 2}},
    "hovertemplate": "%{y:,} (%{x|%d %b %Y})<extra></extra>"})j";
const char *const kHoverLabel = R"j({"align": "left", "bgcolor": "#0b0c0c",
    "bordercolor": "#0b0c0c", "font": {"size": 16, "color": "white",
    "family": "var(--font-primary), arial, sans-serif"}})j";

std::shared_ptr<const SeriesDescription> series(const QString &age = u"all"_s)
{
    auto description = std::make_shared<SeriesDescription>();
    description->topic = u"COVID-19"_s;
    description->metric = u"COVID-19_cases_casesByDay"_s;
    description->age = age;
    return description;
}

// One point every `step` days from `first`, oldest first.
QList<ChartPoint> points(QDate first, const QList<double> &values, int step = 1)
{
    QList<ChartPoint> result;
    for (int i = 0; i < values.size(); ++i)
        result.append(
            ChartPoint{series(), first.addDays(qint64(i) * step), values[i], false, {}, {}});
    return result;
}

ChartPlot plot(ChartType type, const QString &label = {})
{
    ChartPlot p;
    p.type = type;
    p.label = label;
    return p;
}

ChartRequest requestOf(const QList<ChartPlot> &plots)
{
    ChartRequest request;
    request.plots = plots;
    return request;
}

ChartDataset datasetOf(const QList<QList<ChartPoint>> &plots)
{
    ChartDataset data;
    data.plots = plots;
    return data;
}

// Expected JSON, written as JSON (the `j` delimiters let it hold "rgba(..., 1)").
QJsonObject json(const char *text)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "bad expected JSON:" << error.errorString() << "at" << error.offset;
    return document.object();
}

QJsonObject trace(const QJsonObject &figure, int index)
{
    return figure[u"data"].toArray()[index].toObject();
}

QJsonObject layout(const QJsonObject &figure)
{
    return figure[u"layout"].toObject();
}

QJsonObject axis(const QJsonObject &figure, const char *name)
{
    return layout(figure)[QLatin1String(name)].toObject();
}

// A line chart of two points, at `first` and `last`.
QJsonObject spanningFigure(QDate first, QDate last, int width)
{
    ChartRequest request;
    request.size = {width, 220};
    request.plots = {plot(ChartType::LineMultiColoured)};
    ChartDataset data = datasetOf({points(first, {1, 2}, int(first.daysTo(last)))});
    return PlotlyFigure::build(request, data);
}

} // namespace

class TestPlotlyFigure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // UKHSA's defaults: smooth, solid, no markers, COLOUR_1_DARK_BLUE when no colour is named.
    void lineTraceWithDefaults()
    {
        ChartRequest request = requestOf({plot(ChartType::LineMultiColoured, u"Cases"_s)});
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {10, 20, 15}, 7)});
        const QJsonObject figure = PlotlyFigure::build(request, data);
        QCOMPARE(figure[u"data"].toArray().size(), 1);
        QCOMPARE(trace(figure, 0), json(R"j({"type": "scatter",
            "x": ["2025-01-01", "2025-01-08", "2025-01-15"], "y": [10, 20, 15], "mode": "lines",
            "line": {"width": 2, "color": "rgba(18, 67, 109, 1)", "dash": "solid",
                     "shape": "spline"},
            "name": "Cases", "showlegend": true,
            "hovertemplate": "%{y:,} (%{x|%d %b %Y})<extra></extra>"})j"));
    }

    void lineTraceDashedLinearWithMarkers()
    {
        ChartPlot dashed = plot(ChartType::LineMultiColoured);
        dashed.colour = ChartPalette::colour(u"COLOUR_4_ORANGE"_s);
        dashed.dashed = true;
        dashed.smooth = false;
        dashed.markers = true;
        ChartRequest request = requestOf({dashed});
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1.5, 2})});
        QCOMPARE(trace(PlotlyFigure::build(request, data), 0), json(R"j({"type": "scatter",
            "x": ["2025-01-01", "2025-01-02"], "y": [1.5, 2], "mode": "lines+markers",
            "line": {"width": 2, "color": "rgba(244, 106, 37, 1)", "dash": "dash",
                     "shape": "linear"},
            "name": "", "showlegend": false,
            "hovertemplate": "%{y:,} (%{x|%d %b %Y})<extra></extra>"})j"));
    }

    // Whiskers to each bound in the confidence colour (unset: dark blue); a missing bound is 0.
    void barWithConfidenceIntervals()
    {
        ChartRequest request = requestOf({plot(ChartType::Bar, u"Rate"_s)});
        request.plots[0].colour = ChartPalette::colour(u"COLOUR_2_TURQUOISE"_s);
        request.confidenceIntervals = true;
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {10.1, 20})});
        data.plots[0][0].upper = 12.3;
        data.plots[0][0].lower = 8.1;
        data.plots[0][1].upper = 25;
        QCOMPARE(trace(PlotlyFigure::build(request, data), 0), json(R"j({"type": "bar",
            "x": ["2025-01-01", "2025-01-02"], "y": [10.1, 20],
            "marker": {"color": "rgba(40, 161, 151, 1)",
                       "line": {"color": "rgba(40, 161, 151, 1)", "width": 1}},
            "name": "Rate", "showlegend": true,
            "error_y": {"type": "data", "array": [2.2, 5], "arrayminus": [2, 0],
                        "color": "rgba(18, 67, 109, 1)", "thickness": 1.5, "width": 3},
            "hovertemplate": "%{y:,} (%{x|%d %b %Y})<extra></extra>"})j"));

        // The lower bound reaches below a requested minimum, which then gives way to it.
        request.yMinimum = 9;
        QCOMPARE(axis(PlotlyFigure::build(request, data), "yaxis")[u"tick0"].toDouble(), 8.1);

        request.confidenceColour = ChartPalette::colour(u"COLOUR_3_DARK_PINK"_s);
        QCOMPARE(trace(PlotlyFigure::build(request, data), 0)[u"error_y"][u"color"].toString(),
                 u"rgba(128, 22, 80, 1)"_s);
        request.confidenceIntervals = false;
        QVERIFY(!trace(PlotlyFigure::build(request, data), 0).contains(u"error_y"));
    }

    void barWithoutBoundsHasNoWhiskers()
    {
        ChartRequest request = requestOf({plot(ChartType::Bar)});
        request.confidenceIntervals = true;
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1, 2})});
        QVERIFY(!trace(PlotlyFigure::build(request, data), 0).contains(u"error_y"));
    }

    // UKHSA's "common" chart: every plot in request order, bars grouped beside each other.
    void barsAndLinesInRequestOrder()
    {
        ChartRequest request =
            requestOf({plot(ChartType::LineMultiColoured, u"a"_s), plot(ChartType::Bar, u"b"_s),
                       plot(ChartType::LineMultiColoured, u"c"_s), plot(ChartType::Bar, u"d"_s)});
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1, 2}),
                                       points(QDate(2025, 1, 1), {3, 4}),
                                       {},
                                       points(QDate(2025, 1, 1), {5, 6})});
        const QJsonObject figure = PlotlyFigure::build(request, data);
        // A plot that found no points is dropped, as UKHSA drops it.
        QCOMPARE(figure[u"data"].toArray().size(), 3);
        QCOMPARE(trace(figure, 0)[u"type"].toString(), u"scatter"_s);
        QCOMPARE(trace(figure, 0)[u"name"].toString(), u"a"_s);
        QCOMPARE(trace(figure, 1)[u"type"].toString(), u"bar"_s);
        QCOMPARE(trace(figure, 1)[u"name"].toString(), u"b"_s);
        QCOMPARE(trace(figure, 2)[u"type"].toString(), u"bar"_s);
        QCOMPARE(trace(figure, 2)[u"name"].toString(), u"d"_s);
        QCOMPARE(layout(figure)[u"barmode"].toString(), u"group"_s);
    }

    void stackedBarsStack()
    {
        ChartRequest request =
            requestOf({plot(ChartType::StackedBar), plot(ChartType::StackedBar)});
        ChartDataset data =
            datasetOf({points(QDate(2025, 1, 1), {1}), points(QDate(2025, 1, 1), {2})});
        const QJsonObject figure = PlotlyFigure::build(request, data);
        QCOMPARE(trace(figure, 1)[u"type"].toString(), u"bar"_s);
        QCOMPARE(layout(figure)[u"barmode"].toString(), u"stack"_s);
    }

    // One bar a plot, placed by its age band spaced as UKHSA writes it; no date formatting.
    void headlinesByAge()
    {
        ChartRequest request;
        request.xAxis = ChartAxis::Age;
        request.plots = {plot(ChartType::Bar), plot(ChartType::Bar)};
        ChartDataset data;
        data.headline = true;
        data.plots = {{ChartPoint{series(u"65-84"_s), QDate(2025, 1, 5), 12, true, {}, {}}},
                      {ChartPoint{series(u"85+"_s), QDate(2025, 1, 5), 30, true, {}, {}}}};
        const QJsonObject figure = PlotlyFigure::build(request, data);
        QCOMPARE(trace(figure, 0)[u"x"].toArray(), QJsonArray{u"65 - 84"_s});
        QCOMPARE(trace(figure, 1)[u"x"].toArray(), QJsonArray{u"85+"_s});
        QCOMPARE(trace(figure, 0)[u"hovertemplate"].toString(), u"%{y:,} (%{x})<extra></extra>"_s);
        const QJsonObject x = axis(figure, "xaxis");
        QCOMPARE(x[u"type"].toString(), u"-"_s);
        for (const char *dateKey : {"dtick", "tickformat", "tick0", "range"})
            QVERIFY2(!x.contains(QLatin1String(dateKey)), dateKey);
        // The reporting delay is drawn on date axes only.
        QCOMPARE(figure[u"data"].toArray().size(), 2);
        QVERIFY(!layout(figure).contains(u"shapes"));
    }

    // From the earliest delayed point of any plot to the newest point of all, with a legend
    // entry of its own.
    void reportingDelay()
    {
        ChartRequest request =
            requestOf({plot(ChartType::Bar), plot(ChartType::LineMultiColoured)});
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
                                       points(QDate(2025, 1, 1), {1, 2, 3, 4, 5, 6, 7, 8, 9})});
        for (int i = 7; i < 10; ++i)
            data.plots[0][i].inReportingDelay = true;
        data.plots[1][6].inReportingDelay = true; // 2025-01-07
        const QJsonObject figure = PlotlyFigure::build(request, data);
        const QJsonObject expected = json(kReportingDelayShapes);
        QCOMPARE(layout(figure)[u"shapes"].toArray(), expected[u"shapes"].toArray());
        QCOMPARE(figure[u"data"].toArray().size(), 3);
        QCOMPARE(trace(figure, 2), json(kReportingDelayLegend));
    }

    void noReportingDelayWithoutDelayedPoints()
    {
        ChartRequest request = requestOf({plot(ChartType::LineMultiColoured)});
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1, 2})});
        const QJsonObject figure = PlotlyFigure::build(request, data);
        QCOMPARE(figure[u"data"].toArray().size(), 1);
        QVERIFY(!layout(figure).contains(u"shapes"));
    }

    void dateAxisBySpan_data()
    {
        QTest::addColumn<QDate>("first");
        QTest::addColumn<QDate>("last");
        QTest::addColumn<int>("width");
        QTest::addColumn<QJsonValue>("dtick");
        QTest::addColumn<QString>("tickformat");
        QTest::addColumn<QStringList>("range");
        const QString days = u"%d %b<br>%Y"_s;
        const QString months = u"%b<br>%Y"_s;
        // Spans count from the first of the first month.
        QTest::newRow("up to 7 days: D7, a day either side")
            << QDate(2025, 1, 2) << QDate(2025, 1, 6) << 515 << QJsonValue(u"D7"_s) << days
            << QStringList{u"2024-12-31"_s, u"2025-01-07"_s};
        QTest::newRow("up to 61 days: a week in milliseconds")
            << QDate(2025, 1, 10) << QDate(2025, 2, 20) << 515 << QJsonValue(604800000) << days
            << QStringList{u"2024-12-31"_s, u"2025-02-21"_s};
        QTest::newRow("up to 92 days: a fortnight")
            << QDate(2025, 1, 1) << QDate(2025, 3, 20) << 515 << QJsonValue(1209600000) << days
            << QStringList{u"2024-12-31"_s, u"2025-03-21"_s};
        QTest::newRow("12 months at the default width: M1, month over year")
            << QDate(2024, 1, 15) << QDate(2024, 12, 20) << 515 << QJsonValue(u"M1"_s) << months
            << QStringList{u"2023-12-17"_s, u"2025-01-04"_s};
        QTest::newRow("12 months wider: month and year on one line")
            << QDate(2024, 1, 15) << QDate(2024, 12, 20) << 516 << QJsonValue(u"M1"_s) << u"%b %Y"_s
            << QStringList{u"2023-12-17"_s, u"2025-01-04"_s};
        QTest::newRow("24 months: M3, 45 days either side")
            << QDate(2023, 1, 1) << QDate(2024, 12, 31) << 515 << QJsonValue(u"M3"_s) << months
            << QStringList{u"2022-11-17"_s, u"2025-02-14"_s};
        QTest::newRow("30 months: M6, 90 days either side")
            << QDate(2022, 1, 10) << QDate(2024, 6, 30) << 515 << QJsonValue(u"M6"_s) << months
            << QStringList{u"2021-10-03"_s, u"2024-09-28"_s};
        QTest::newRow("over 36 months: M12, 178 days either side")
            << QDate(2020, 1, 1) << QDate(2024, 1, 1) << 515 << QJsonValue(u"M12"_s) << months
            << QStringList{u"2019-07-07"_s, u"2024-06-27"_s};
    }

    void dateAxisBySpan()
    {
        QFETCH(QDate, first);
        QFETCH(QDate, last);
        QFETCH(int, width);
        QFETCH(QJsonValue, dtick);
        QFETCH(QString, tickformat);
        QFETCH(QStringList, range);
        const QJsonObject x = axis(spanningFigure(first, last, width), "xaxis");
        QCOMPARE(x[u"type"].toString(), u"date"_s);
        QCOMPARE(x[u"tick0"].toString(),
                 QDate(first.year(), first.month(), 1).toString(Qt::ISODate));
        QCOMPARE(x[u"dtick"], dtick);
        QCOMPARE(x[u"tickformat"].toString(), tickformat);
        QCOMPARE(x[u"range"].toArray(), QJsonArray::fromStringList(range));
    }

    void yAxis()
    {
        ChartRequest request = requestOf({plot(ChartType::LineMultiColoured)});
        request.yAxisTitle = u"Cases"_s;
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {10, 40})});
        QJsonObject y = axis(PlotlyFigure::build(request, data), "yaxis");
        const QJsonObject stops = json(R"j({"stops": [
            {"dtickrange": [null, 999], "value": ","},
            {"dtickrange": [1000, 99999], "value": ",.0f"},
            {"dtickrange": [100000, null], "value": ".0s"}]})j");
        QCOMPARE(y[u"tickformatstops"].toArray(), stops[u"stops"].toArray());
        QCOMPARE(y[u"tick0"].toDouble(), 0.0);
        QCOMPARE(y[u"rangemode"].toString(), u"tozero"_s);
        QVERIFY(!y.contains(u"range"));
        QCOMPARE(y[u"title"].toObject(), json(R"j({"text": "Cases",
                           "font": {"family": "Arial", "color": "rgba(107, 114, 118, 1)"}})j"));

        // A minimum above the data gives way to it; a maximum above it holds.
        request.yMinimum = 20;
        request.yMaximum = 500;
        y = axis(PlotlyFigure::build(request, data), "yaxis");
        QCOMPARE(y[u"tick0"].toDouble(), 10.0);
        QCOMPARE(y[u"rangemode"].toString(), u"normal"_s);
        QCOMPARE(y[u"range"].toArray(), (QJsonArray{10, 500}));
        request.yMaximum = 30;
        y = axis(PlotlyFigure::build(request, data), "yaxis");
        QCOMPARE(y[u"range"].toArray(), (QJsonArray{10, 40}));
    }

    void baseLayout()
    {
        ChartRequest request;
        request.size = {700, 300};
        request.plots = {plot(ChartType::LineMultiColoured)};
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1, 2})});
        const QJsonObject l = layout(PlotlyFigure::build(request, data));
        QCOMPARE(l[u"height"].toInt(), 300);
        QVERIFY(!l.contains(u"width"));
        QVERIFY(!l.contains(u"template"));
        QCOMPARE(l[u"autosize"].toBool(), true);
        QCOMPARE(l[u"showlegend"].toBool(), true);
        QCOMPARE(l[u"paper_bgcolor"].toString(), u"rgba(0, 0, 0, 0)"_s);
        QCOMPARE(l[u"plot_bgcolor"].toString(), u"rgba(0, 0, 0, 0)"_s);
        QCOMPARE(l[u"margin"].toObject(), json(R"j({"l": 0, "r": 0, "b": 0, "t": 0})j"));
        QCOMPARE(l[u"hoverlabel"].toObject(), json(kHoverLabel));
        QVERIFY(!l.contains(u"annotations"));
        const QJsonObject x = l[u"xaxis"].toObject();
        QCOMPARE(x[u"showspikes"].toBool(), false);
        QCOMPARE(x[u"showline"].toBool(), true);
        QCOMPARE(x[u"tickfont"].toObject(),
                 json(R"j({"family": "var(--font-primary), arial, sans-serif",
                           "color": "rgba(107, 114, 118, 1)"})j"));
    }

    void legend()
    {
        ChartRequest request = requestOf({plot(ChartType::LineMultiColoured)});
        request.legendTitle = u"Age"_s;
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1, 2})});
        QCOMPARE(layout(PlotlyFigure::build(request, data))[u"legend"].toObject(),
                 json(R"j({"font": {"family": "Arial", "color": "rgba(107, 114, 118, 1)"},
            "orientation": "h", "y": 1.0, "x": 0.5, "xanchor": "center", "yanchor": "bottom",
            "itemclick": false, "itemdoubleclick": false, "title": {"text": "<b>Age</b>"}})j"));
        request.legendTitle.clear();
        const QJsonObject untitled =
            layout(PlotlyFigure::build(request, data))[u"legend"].toObject();
        QVERIFY(!untitled.contains(u"title"));
    }

    void watermarkSize_data()
    {
        QTest::addColumn<QString>("marking");
        QTest::addColumn<int>("size");
        QTest::newRow("OFFICIAL") << u"OFFICIAL"_s << 80;
        QTest::newRow("OFFICIAL-SENSITIVE") << u"OFFICIAL-SENSITIVE"_s << 36;
        QTest::newRow("PROTECTIVE MARKING NOT SET") << u"PROTECTIVE MARKING NOT SET"_s << 25;
        QTest::newRow("SECRET") << u"SECRET"_s << 107;
        QTest::newRow("TOP SECRET") << u"TOP SECRET"_s << 64;
    }

    // At UKHSA's default width of 515.
    void watermarkSize()
    {
        QFETCH(QString, marking);
        QFETCH(int, size);
        ChartRequest request = requestOf({plot(ChartType::Bar)});
        request.watermark = marking;
        ChartDataset data = datasetOf({points(QDate(2025, 1, 1), {1})});
        const QJsonArray annotations =
            layout(PlotlyFigure::build(request, data))[u"annotations"].toArray();
        QCOMPARE(annotations.size(), 1);
        QJsonObject expected = json(R"j({"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.8,
            "showarrow": false, "textangle": 0, "opacity": 0.58})j");
        expected.insert(u"text"_s, marking);
        expected.insert(u"font"_s,
                        QJsonObject{{u"size"_s, size}, {u"color"_s, u"rgba(0, 0, 0, 0.25)"_s}});
        QCOMPARE(annotations[0].toObject(), expected);
    }

    // The first plot only: thicker, nameless, ticks at the ends, no legend.
    void simplifiedLine()
    {
        ChartRequest request = requestOf({plot(ChartType::LineSingleSimplified, u"ignored"_s),
                                          plot(ChartType::LineSingleSimplified)});
        request.plots[0].colour = ChartPalette::trendPositive();
        ChartDataset data = datasetOf(
            {points(QDate(2025, 1, 20), {1400, 2690}, 40), points(QDate(2025, 1, 1), {1, 2})});
        const QJsonObject figure = PlotlyFigure::build(request, data);
        QCOMPARE(figure[u"data"].toArray().size(), 1);
        QCOMPARE(trace(figure, 0), json(R"j({"type": "scatter",
            "x": ["2025-01-20", "2025-03-01"], "y": [1400, 2690], "mode": "lines",
            "line": {"color": "rgba(0, 112, 60, 1)", "width": 3, "shape": "spline"},
            "hovertemplate": "%{y:,} (%{x|%d %b %Y})<extra></extra>"})j"));
        const QJsonObject l = layout(figure);
        QCOMPARE(l[u"showlegend"].toBool(), false);
        QCOMPARE(l[u"margin"].toObject(),
                 json(R"j({"l": 25, "r": 35, "b": 0, "t": 12, "pad": 25})j"));
        const QJsonObject x = l[u"xaxis"].toObject();
        QCOMPARE(x[u"tickvals"].toArray(), (QJsonArray{u"2025-01-20"_s, u"2025-03-01"_s}));
        QCOMPARE(x[u"ticktext"].toArray(), (QJsonArray{u"Jan, 2025"_s, u"Mar, 2025"_s}));
        QCOMPARE(x[u"showgrid"].toBool(), false);
        const QJsonObject y = l[u"yaxis"].toObject();
        QCOMPARE(y[u"tickvals"].toArray(), (QJsonArray{0, 2690}));
        QCOMPARE(y[u"ticktext"].toArray(), (QJsonArray{u"0"_s, u"3k"_s}));
        QCOMPARE(y[u"range"].toArray(), (QJsonArray{0, 2690}));
        QCOMPARE(y[u"showline"].toBool(), false);
        QCOMPARE(y[u"tickfont"][u"color"].toString(), u"rgba(56, 63, 67, 1)"_s);
    }
};

QTEST_GUILESS_MAIN(TestPlotlyFigure)
#include "TestPlotlyFigure.moc"
