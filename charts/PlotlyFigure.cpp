// The shapes follow UKHSA's data-dashboard-api, route POST /api/charts/v3: its answer's `figure`
// is Plotly's figure dict (plotly.py's `Figure.to_dict()`) of the chart UKHSA draws, with traces
// as in metrics/domain/charts (common_charts, line_single_simplified, reporting_delay_period.py),
// layout as in metrics/domain/charts/chart_settings, then the interactive settings and watermark
// of metrics/interfaces/charts/common/chart_output.py. Plotly's default `template`, which
// plotly.py attaches to every figure, is left out: Plotly.js applies those defaults when a figure
// names no template.
#include "PlotlyFigure.h"

#include "CategoryOrder.h"
#include "ChartPalette.h"

#include <QJsonArray>
#include <QLocale>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace isobar::PlotlyFigure {

namespace {

// The CSS font UKHSA's pages give an interactive chart's ticks and hover labels.
const QString kPageFont = u"var(--font-primary), arial, sans-serif"_s;
const QString kTickColour = u"rgba(107, 114, 118, 1)"_s; // RGBAColours.DARK_BLUE_GREY
const QString kEndTickColour = u"rgba(56, 63, 67, 1)"_s; // RGBAColours.LS_DARK_GREY
const QString kTransparent = u"rgba(0, 0, 0, 0)"_s;      // RGBAColours.WHITE is transparent
const QString kFaintLine = u"rgba(0,0,0,0.05)"_s;        // grid and axis lines
const QString kHiddenTick = u"rgba(0,0,0,0)"_s;          // tick marks keep their space only
const QString kHoverBackground = u"#0b0c0c"_s;           // the page's text colour
const QString kDelayFill = u"#D2E9F1"_s;                 // the reporting delay's light blue
const QString kDelayEdge = u"#0090C6"_s;                 // ... and its cyan boundaries
const QString kWatermarkColour = u"rgba(0, 0, 0, 0.25)"_s;
// UKHSA's default chart width: a wider chart has room for month and year on one line.
constexpr int kNarrowChartWidth = 515;
// Spans up to this many days get a tick a week or fortnight, labelled with the day.
constexpr qint64 kDaysOfDayTicks = 92;
constexpr qint64 kWeekMilliseconds = 7LL * 24 * 3600 * 1000;

// What every part of the figure reads: the request, its points, and which plots are drawn.
struct Chart {
    const ChartRequest &request;
    const ChartDataset &data;
    QList<qsizetype> drawn;
    bool simplified = false; // line_single_simplified
};

struct DateSpan {
    QDate first;
    QDate last;
};

struct ValueRange {
    double min = 0;
    double max = 0;
};

QString isoDate(QDate date)
{
    return date.toString(Qt::ISODate);
}

void insertAll(QJsonObject &into, const QJsonObject &from)
{
    for (auto it = from.begin(); it != from.end(); ++it)
        into.insert(it.key(), it.value());
}

// UKHSA drops plots that find no rows, and draws only the first plot of a simplified chart.
QList<qsizetype> drawnPlots(const ChartRequest &request, const ChartDataset &data)
{
    QList<qsizetype> drawn;
    for (qsizetype i = 0; i < request.plots.size() && i < data.plots.size(); ++i) {
        if (!data.plots[i].isEmpty())
            drawn.append(i);
    }
    if (request.type() == ChartType::LineSingleSimplified && drawn.size() > 1)
        drawn.resize(1);
    return drawn;
}

// ---- Traces ----

// A point's place on the x axis: its date, or its series' category; UKHSA spaces the dash of
// an age band ("65-84" becomes "65 - 84").
QJsonValue xValue(const ChartPoint &point, ChartAxis axis)
{
    if (axis == ChartAxis::Date)
        return isoDate(point.date);
    if (!point.series)
        return QString();
    const QString category = categoryOf(*point.series, axis);
    return axis == ChartAxis::Age ? spacedAgeBand(category) : category;
}

QJsonObject pointsTrace(const QString &type, const QList<ChartPoint> &points, ChartAxis axis)
{
    QJsonArray x;
    QJsonArray y;
    for (const ChartPoint &point : points) {
        x.append(xValue(point, axis));
        y.append(point.value);
    }
    return {{u"type"_s, type}, {u"x"_s, x}, {u"y"_s, y}};
}

// UKHSA draws a plot (or whiskers) naming no colour in COLOUR_1_DARK_BLUE, where Isobar's own
// charts take the next palette colour.
QString colourText(const std::optional<QColor> &colour)
{
    return ChartPalette::rgbaText(colour.value_or(ChartPalette::seriesColour(0)));
}

QString lineShape(const ChartPlot &plot)
{
    return plot.smooth ? u"spline"_s : u"linear"_s;
}

void addName(QJsonObject &trace, const QString &label)
{
    trace.insert(u"name"_s, label);
    trace.insert(u"showlegend"_s, !label.isEmpty());
}

QJsonObject lineTrace(const ChartPlot &plot, const QList<ChartPoint> &points, ChartAxis axis)
{
    QJsonObject trace = pointsTrace(u"scatter"_s, points, axis);
    trace.insert(u"mode"_s, plot.markers ? u"lines+markers"_s : u"lines"_s);
    trace.insert(u"line"_s, QJsonObject{{u"width"_s, 2},
                                        {u"color"_s, colourText(plot.colour)},
                                        {u"dash"_s, plot.dashed ? u"dash"_s : u"solid"_s},
                                        {u"shape"_s, lineShape(plot)}});
    addName(trace, plot.label);
    return trace;
}

// UKHSA subtracts Decimals: 12.3 - 10.1 is 2.2 there, not 2.2000000000000011. Nine places drop
// the binary error and keep any precision the published figures have.
double decimalDifference(double a, double b)
{
    constexpr double kPlaces = 1e9;
    return std::round((a - b) * kPlaces) / kPlaces;
}

// Whiskers from each bar's value to its bounds; a missing bound draws none.
QJsonObject errorBars(const QList<ChartPoint> &points, const std::optional<QColor> &colour)
{
    QJsonArray above;
    QJsonArray below;
    for (const ChartPoint &point : points) {
        above.append(point.upper ? decimalDifference(*point.upper, point.value) : 0.0);
        below.append(point.lower ? decimalDifference(point.value, *point.lower) : 0.0);
    }
    return {{u"type"_s, u"data"_s},           {u"array"_s, above},   {u"arrayminus"_s, below},
            {u"color"_s, colourText(colour)}, {u"thickness"_s, 1.5}, {u"width"_s, 3}};
}

QJsonObject barTrace(const ChartPlot &plot, const QList<ChartPoint> &points,
                     const ChartRequest &request)
{
    QJsonObject trace = pointsTrace(u"bar"_s, points, request.xAxis);
    const QString colour = colourText(plot.colour);
    trace.insert(u"marker"_s,
                 QJsonObject{{u"color"_s, colour},
                             {u"line"_s, QJsonObject{{u"color"_s, colour}, {u"width"_s, 1}}}});
    addName(trace, plot.label);
    const bool hasBounds = std::any_of(points.begin(), points.end(),
                                       [](const ChartPoint &p) { return p.upper || p.lower; });
    if (request.confidenceIntervals && hasBounds)
        trace.insert(u"error_y"_s, errorBars(points, request.confidenceColour));
    return trace;
}

// The simplified chart's one line: thicker, with no name or legend entry.
QJsonObject simplifiedTrace(const ChartPlot &plot, const QList<ChartPoint> &points, ChartAxis axis)
{
    QJsonObject trace = pointsTrace(u"scatter"_s, points, axis);
    trace.insert(u"mode"_s, u"lines"_s);
    trace.insert(u"line"_s, QJsonObject{{u"color"_s, colourText(plot.colour)},
                                        {u"width"_s, 3},
                                        {u"shape"_s, lineShape(plot)}});
    return trace;
}

QJsonObject plotTrace(const Chart &chart, qsizetype index)
{
    const ChartPlot &plot = chart.request.plots[index];
    const QList<ChartPoint> &points = chart.data.plots[index];
    if (chart.simplified)
        return simplifiedTrace(plot, points, chart.request.xAxis);
    if (plot.type == ChartType::Bar || plot.type == ChartType::StackedBar)
        return barTrace(plot, points, chart.request);
    return lineTrace(plot, points, chart.request.xAxis);
}

// What UKHSA's pages show on hover: the value, and the point's date or category.
QString hoverTemplate(const ChartDataset &data)
{
    return data.headline ? u"%{y:,} (%{x})<extra></extra>"_s
                         : u"%{y:,} (%{x|%d %b %Y})<extra></extra>"_s;
}

// ---- Reporting delay ----

// From the earliest point in the reporting delay to the newest point drawn; none when no point
// is in it.
std::optional<DateSpan> reportingDelay(const Chart &chart)
{
    QDate start;
    QDate end;
    for (const qsizetype plot : chart.drawn) {
        for (const ChartPoint &point : chart.data.plots[plot]) {
            if (point.inReportingDelay && (!start.isValid() || point.date < start))
                start = point.date;
            if (!end.isValid() || point.date > end)
                end = point.date;
        }
    }
    if (!start.isValid())
        return std::nullopt;
    return DateSpan{start, end};
}

// As Plotly's add_vrect and add_vline make them: x in data, y across the whole plot area.
QJsonObject verticalShape(QJsonObject shape, QDate from, QDate to)
{
    insertAll(shape, {{u"x0"_s, isoDate(from)},
                      {u"x1"_s, isoDate(to)},
                      {u"xref"_s, u"x"_s},
                      {u"y0"_s, 0},
                      {u"y1"_s, 1},
                      {u"yref"_s, u"y domain"_s}});
    return shape;
}

QJsonArray reportingDelayShapes(const DateSpan &period)
{
    const QJsonObject shade{{u"type"_s, u"rect"_s},
                            {u"fillcolor"_s, kDelayFill},
                            {u"opacity"_s, 0.6},
                            {u"line"_s, QJsonObject{{u"width"_s, 0}}}};
    const QJsonObject edge{{u"type"_s, u"line"_s},
                           {u"line"_s, QJsonObject{{u"color"_s, kDelayEdge}, {u"width"_s, 2}}}};
    return {verticalShape(shade, period.first, period.last),
            verticalShape(edge, period.first, period.first),
            verticalShape(edge, period.last, period.last)};
}

// Shapes have no legend entry: a trace without points stands in for the shaded period.
QJsonObject reportingDelayLegend()
{
    const QJsonObject marker{{u"color"_s, kDelayFill},
                             {u"opacity"_s, 0.6},
                             {u"symbol"_s, u"square"_s},
                             {u"size"_s, 15},
                             {u"line"_s, QJsonObject{{u"color"_s, kDelayEdge}, {u"width"_s, 2}}}};
    const QJsonArray nothing{QJsonValue(QJsonValue::Null)};
    return {{u"type"_s, u"scatter"_s},
            {u"x"_s, nothing},
            {u"y"_s, nothing},
            {u"mode"_s, u"markers"_s},
            {u"name"_s, u"Reporting delay"_s},
            {u"marker"_s, marker}};
}

// ---- Axes ----

QJsonObject font(const QString &family, const QString &colour)
{
    return {{u"family"_s, family}, {u"color"_s, colour}};
}

// A title keeps the font of UKHSA's image: only tick fonts change for interactive charts.
void addTitle(QJsonObject &axis, const QString &title)
{
    if (!title.isEmpty())
        axis.insert(u"title"_s,
                    QJsonObject{{u"text"_s, title}, {u"font"_s, font(u"Arial"_s, kTickColour)}});
}

// What both axes share: a faint grid and frame, tick labels outside without tick marks, no
// zooming.
QJsonObject framedAxis()
{
    return {{u"showgrid"_s, true},         {u"showline"_s, true},
            {u"mirror"_s, true},           {u"fixedrange"_s, true},
            {u"gridcolor"_s, kFaintLine},  {u"linecolor"_s, kFaintLine},
            {u"ticks"_s, u"outside"_s},    {u"tickson"_s, u"boundaries"_s},
            {u"tickcolor"_s, kHiddenTick}, {u"tickfont"_s, font(kPageFont, kTickColour)}};
}

std::optional<DateSpan> dateSpan(const Chart &chart)
{
    std::optional<DateSpan> span;
    for (const qsizetype plot : chart.drawn) {
        for (const ChartPoint &point : chart.data.plots[plot]) {
            if (!span)
                span = DateSpan{point.date, point.date};
            span->first = std::min(span->first, point.date);
            span->last = std::max(span->last, point.date);
        }
    }
    return span;
}

struct DateTicks {
    QJsonValue dtick;
    int marginDays = 1; // the range's padding either side, so Plotly crops no end point
};

// Plotly's dtick: "D7", whole months ("M3"), or milliseconds for a week or a fortnight, which
// it cannot say otherwise.
DateTicks dateTicks(qint64 days, int months)
{
    if (days <= 7)
        return {u"D7"_s};
    if (days <= 61)
        return {kWeekMilliseconds};
    if (days <= kDaysOfDayTicks)
        return {2 * kWeekMilliseconds};
    if (months <= 12)
        return {u"M1"_s, 15};
    if (months <= 24)
        return {u"M3"_s, 45};
    if (months <= 36)
        return {u"M6"_s, 90};
    return {u"M12"_s, 178};
}

QString dateTickFormat(qint64 days, int chartWidth)
{
    if (days <= kDaysOfDayTicks)
        return u"%d %b<br>%Y"_s;
    return chartWidth > kNarrowChartWidth ? u"%b %Y"_s : u"%b<br>%Y"_s;
}

// Ticks from the first of the first month; the span is counted from there.
QJsonObject dateAxisKeys(const DateSpan &span, int chartWidth)
{
    const QDate tick0(span.first.year(), span.first.month(), 1);
    const qint64 days = tick0.daysTo(span.last);
    const int months = (span.last.year() - tick0.year()) * 12 + span.last.month() - tick0.month();
    const DateTicks ticks = dateTicks(days, months);
    const QJsonArray range{isoDate(tick0.addDays(-ticks.marginDays)),
                           isoDate(span.last.addDays(ticks.marginDays))};
    return {{u"tick0"_s, isoDate(tick0)},
            {u"dtick"_s, ticks.dtick},
            {u"tickformat"_s, dateTickFormat(days, chartWidth)},
            {u"range"_s, range}};
}

QJsonObject xAxis(const Chart &chart)
{
    const bool dates = chart.request.xAxis == ChartAxis::Date;
    QJsonObject axis = framedAxis();
    // Spikes stay styled as in UKHSA's image, but are off: UKHSA turns them off interactively.
    insertAll(axis, {{u"showspikes"_s, false},
                     {u"spikecolor"_s, u"#b1b4b6"_s},
                     {u"spikedash"_s, u"2px"_s},
                     {u"spikethickness"_s, 1},
                     {u"spikemode"_s, u"toaxis+across+marker"_s},
                     {u"spikesnap"_s, u"cursor"_s},
                     {u"zeroline"_s, false},
                     {u"autotickangles"_s, QJsonArray{0, 90}},
                     {u"type"_s, dates ? u"date"_s : u"-"_s}});
    addTitle(axis, chart.request.xAxisTitle);
    if (const std::optional<DateSpan> span = dates ? dateSpan(chart) : std::nullopt)
        insertAll(axis, dateAxisKeys(*span, chart.request.size.width()));
    return axis;
}

// UKHSA tests the maximum's truth: 0 is no maximum.
std::optional<double> yMaximum(const ChartRequest &request)
{
    return request.yMaximum && *request.yMaximum != 0 ? request.yMaximum : std::nullopt;
}

// The values drawn and, when intervals are asked for, their lower bounds: UKHSA widens the range
// by those (passing over bounds of 0).
std::optional<ValueRange> dataRange(const Chart &chart)
{
    std::optional<ValueRange> range;
    auto include = [&range](double value) {
        range = range ? ValueRange{std::min(range->min, value), std::max(range->max, value)}
                      : ValueRange{value, value};
    };
    for (const qsizetype plot : chart.drawn) {
        for (const ChartPoint &point : chart.data.plots[plot]) {
            include(point.value);
            if (chart.request.confidenceIntervals && point.lower && *point.lower != 0)
                include(*point.lower);
        }
    }
    return range;
}

// The requested limits where they lie beyond the data, otherwise the data's own.
ValueRange yRange(const Chart &chart)
{
    const double requestedMin = chart.request.yMinimum.value_or(0);
    const std::optional<double> requestedMax = yMaximum(chart.request);
    const std::optional<ValueRange> data = dataRange(chart);
    if (!data)
        return {requestedMin, requestedMax.value_or(requestedMin)};
    return {std::min(requestedMin, data->min),
            requestedMax ? std::max(*requestedMax, data->max) : data->max};
}

// Thousands separators on small ticks, whole numbers, then SI prefixes ("200k") from 100,000.
QJsonArray tickFormatStops()
{
    auto stop = [](const QJsonValue &from, const QJsonValue &to, const QString &format) {
        return QJsonObject{{u"dtickrange"_s, QJsonArray{from, to}}, {u"value"_s, format}};
    };
    const QJsonValue open(QJsonValue::Null);
    return {stop(open, 999, u","_s), stop(1000, 99999, u",.0f"_s), stop(100000, open, u".0s"_s)};
}

QJsonObject yAxis(const Chart &chart, const ValueRange &range)
{
    QJsonObject axis = framedAxis();
    insertAll(axis, {{u"tickformatstops"_s, tickFormatStops()},
                     {u"showticklabels"_s, true},
                     {u"tick0"_s, range.min},
                     {u"rangemode"_s, range.min == 0 ? u"tozero"_s : u"normal"_s}});
    if (yMaximum(chart.request))
        axis.insert(u"range"_s, QJsonArray{range.min, range.max});
    addTitle(axis, chart.request.yAxisTitle);
    return axis;
}

// ---- Layout ----

// UKHSA's pages let no click on the legend hide a plot.
QJsonObject legendClicksOff()
{
    return {{u"itemclick"_s, false}, {u"itemdoubleclick"_s, false}};
}

QJsonObject legend(const ChartRequest &request)
{
    QJsonObject legend{{u"font"_s, font(u"Arial"_s, kTickColour)},
                       {u"orientation"_s, u"h"_s},
                       {u"y"_s, 1.0},
                       {u"x"_s, 0.5},
                       {u"xanchor"_s, u"center"_s},
                       {u"yanchor"_s, u"bottom"_s}};
    insertAll(legend, legendClicksOff());
    // UKHSA gives the title as a string, which Plotly's figure dict holds as title.text.
    if (!request.legendTitle.isEmpty())
        legend.insert(u"title"_s,
                      QJsonObject{{u"text"_s, QString(u"<b>" + request.legendTitle + u"</b>")}});
    return legend;
}

QJsonObject hoverLabel()
{
    return {{u"align"_s, u"left"_s},
            {u"bgcolor"_s, kHoverBackground},
            {u"bordercolor"_s, kHoverBackground},
            {u"font"_s,
             QJsonObject{{u"size"_s, 16}, {u"color"_s, u"white"_s}, {u"family"_s, kPageFont}}}};
}

// No `width`, and autosize: UKHSA lets the page size an interactive chart to its column.
QJsonObject baseLayout(const ChartRequest &request)
{
    return {{u"paper_bgcolor"_s, kTransparent},
            {u"plot_bgcolor"_s, kTransparent},
            {u"hoverlabel"_s, hoverLabel()},
            {u"margin"_s, QJsonObject{{u"l"_s, 0}, {u"r"_s, 0}, {u"b"_s, 0}, {u"t"_s, 0}}},
            {u"autosize"_s, true},
            {u"height"_s, request.size.height()},
            {u"showlegend"_s, true}};
}

QJsonObject commonLayout(const Chart &chart)
{
    QJsonObject layout = baseLayout(chart.request);
    layout.insert(u"barmode"_s,
                  chart.request.type() == ChartType::StackedBar ? u"stack"_s : u"group"_s);
    layout.insert(u"legend"_s, legend(chart.request));
    layout.insert(u"xaxis"_s, xAxis(chart));
    layout.insert(u"yaxis"_s, yAxis(chart, yRange(chart)));
    return layout;
}

// UKHSA's short labels of the simplified chart: rounded to the leading digit's place (as
// Python's round(), halves to even), then 1k, 1m.
QString shortNumber(double value)
{
    const double whole = std::nearbyint(value);
    const auto digits = QString::number(qint64(whole)).size(); // a minus sign counts, as in UKHSA
    const double place = std::pow(10.0, double(digits - 1));
    const auto rounded = qint64(std::nearbyint(whole / place) * place);
    if (rounded >= 1'000'000)
        return QString::number(rounded / 1'000'000) + u'm';
    if (rounded >= 1'000)
        return QString::number(rounded / 1'000) + u'k';
    return QString::number(rounded);
}

// Ticks only at an axis's two ends, without grid or frame.
QJsonObject endTicks(const QJsonArray &values, const QJsonArray &texts)
{
    return {{u"showgrid"_s, false}, {u"mirror"_s, false},
            {u"ticklen"_s, 0},      {u"tickvals"_s, values},
            {u"ticktext"_s, texts}, {u"tickfont"_s, font(kPageFont, kEndTickColour)}};
}

QJsonObject simplifiedXAxis(const Chart &chart)
{
    QJsonObject axis = xAxis(chart);
    if (chart.drawn.isEmpty())
        return axis;
    const QList<ChartPoint> &points = chart.data.plots[chart.drawn.first()];
    QJsonArray values;
    QJsonArray texts;
    for (const ChartPoint &point : {points.first(), points.last()}) {
        const QJsonValue x = xValue(point, chart.request.xAxis);
        values.append(x);
        texts.append(chart.request.xAxis == ChartAxis::Date
                         ? QLocale::c().toString(point.date, u"MMM, yyyy"_s)
                         : x);
    }
    // The line along the axis stays: UKHSA's interactive settings turn it back on.
    insertAll(axis, endTicks(values, texts));
    return axis;
}

QJsonObject simplifiedYAxis(const Chart &chart)
{
    const ValueRange range = yRange(chart);
    QJsonObject axis = yAxis(chart, range);
    insertAll(axis,
              endTicks({range.min, range.max}, {shortNumber(range.min), shortNumber(range.max)}));
    insertAll(axis, {{u"showline"_s, false},
                     {u"zeroline"_s, false},
                     {u"range"_s, QJsonArray{range.min, range.max}}});
    return axis;
}

// No legend, grid or frame, and room around the plot for the end ticks.
QJsonObject simplifiedLayout(const Chart &chart)
{
    QJsonObject layout = baseLayout(chart.request);
    layout.insert(u"showlegend"_s, false);
    layout.insert(
        u"margin"_s,
        QJsonObject{{u"l"_s, 25}, {u"r"_s, 35}, {u"b"_s, 0}, {u"t"_s, 12}, {u"pad"_s, 25}});
    layout.insert(u"legend"_s, legendClicksOff());
    layout.insert(u"xaxis"_s, simplifiedXAxis(chart));
    layout.insert(u"yaxis"_s, simplifiedYAxis(chart));
    return layout;
}

// The data classification's marking, sized to span about three quarters of the chart's width.
QJsonObject watermark(const QString &text, int chartWidth)
{
    const int size = watermarkPixelSize(chartWidth, text);
    return {{u"text"_s, text},
            {u"xref"_s, u"paper"_s},
            {u"yref"_s, u"paper"_s},
            {u"x"_s, 0.5},
            {u"y"_s, 0.8},
            {u"showarrow"_s, false},
            {u"font"_s, QJsonObject{{u"size"_s, size}, {u"color"_s, kWatermarkColour}}},
            {u"textangle"_s, 0},
            {u"opacity"_s, 0.58}};
}

// ---- Subplots ----

// A subplot's title under its column: the part before "(" in bold, the rest on a line below.
QString subplotTick(const QString &title)
{
    const qsizetype open = title.indexOf(u'(');
    if (open < 0)
        return u"<b>"_s + title + u"</b>"_s;
    return u"<b>"_s + title.first(open).trimmed() + u"</b><br>"_s + title.sliced(open);
}

// How far below the plots UKHSA puts the legend (twice this) and the x title, by width.
double subplotLegendBase(int width)
{
    if (width <= 400)
        return 0.6;
    if (width <= 515)
        return 0.4;
    if (width <= 650)
        return 0.5;
    return width <= 1100 ? 0.3 : 0.1;
}

// Plotly's name of the nth (from 0) subplot's axis: "x", "x2", ...
QString axisName(const char *axis, qsizetype index)
{
    return QLatin1String(axis) + (index == 0 ? QString() : QString::number(index + 1));
}

// Each subplot's bars: one trace per plot with a value there, named after the plot's value on
// the x axis, each name in the legend once.
QJsonArray subplotTraces(const ChartRequest &request, const ChartDataset &data,
                         QList<qsizetype> *barsPerSubplot)
{
    QJsonArray traces;
    QSet<QString> named;
    for (qsizetype s = 0; s < request.subplotTitles.size(); ++s) {
        qsizetype bars = 0;
        for (qsizetype p = 0; p < data.plots.size() && p < request.plots.size(); ++p) {
            for (const ChartPoint &point : data.plots[p]) {
                if (point.category != request.subplotTitles[s])
                    continue;
                const QString &name = request.plots[p].label;
                const QString colour = colourText(request.plots[p].colour);
                traces.append(
                    QJsonObject{{u"type"_s, u"bar"_s},
                                {u"x"_s, QJsonArray{name}},
                                {u"y"_s, QJsonArray{point.value}},
                                {u"name"_s, name},
                                {u"legendgroup"_s, name},
                                {u"showlegend"_s, !named.contains(name)},
                                {u"marker"_s, QJsonObject{{u"color"_s, QJsonArray{colour}}}},
                                {u"xaxis"_s, axisName("x", s)},
                                {u"yaxis"_s, axisName("y", s)},
                                {u"hovertemplate"_s, u"%{y} %{fullData.name}<extra></extra>"_s}});
                named.insert(name);
                ++bars;
            }
        }
        barsPerSubplot->append(bars);
    }
    return traces;
}

// UKHSA's target: a line at the top of the range, a band from the threshold up, a dashed line
// at the threshold, across the whole width.
QJsonArray targetShapes(double threshold, double top)
{
    auto across = [](double y0, double y1) {
        return QJsonObject{{u"xref"_s, u"paper"_s}, {u"yref"_s, u"y"_s}, {u"x0"_s, 0}, {u"x1"_s, 1},
                           {u"y0"_s, y0},           {u"y1"_s, y1}};
    };
    QJsonObject topLine = across(top, top);
    topLine.insert(u"type"_s, u"line"_s);
    topLine.insert(u"line"_s, QJsonObject{{u"color"_s, u"blue"_s}, {u"width"_s, 2}});
    QJsonObject band = across(threshold, top);
    band.insert(u"type"_s, u"rect"_s);
    band.insert(u"fillcolor"_s, u"rgba(135, 206, 235, 0.3)"_s);
    band.insert(u"line"_s, QJsonObject{{u"width"_s, 0}});
    QJsonObject thresholdLine = across(threshold, threshold);
    thresholdLine.insert(u"type"_s, u"line"_s);
    thresholdLine.insert(
        u"line"_s, QJsonObject{{u"color"_s, u"blue"_s}, {u"width"_s, 2}, {u"dash"_s, u"dash"_s}});
    return {topLine, band, thresholdLine};
}

QJsonObject subplotAxes(QJsonObject layout, const ChartRequest &request,
                        const QList<qsizetype> &barsPerSubplot)
{
    const qsizetype columns = std::max<qsizetype>(1, request.subplotTitles.size());
    const double spacing = 0.03; // make_subplots' horizontal_spacing in UKHSA's chart
    const double width = (1 - spacing * double(columns - 1)) / double(columns);
    for (qsizetype s = 0; s < request.subplotTitles.size(); ++s) {
        const double left = double(s) * (width + spacing);
        const qsizetype bars = std::max<qsizetype>(1, barsPerSubplot.value(s));
        QJsonObject x{{u"domain"_s, QJsonArray{left, left + width}},
                      {u"anchor"_s, axisName("y", s)},
                      {u"showgrid"_s, true},
                      {u"griddash"_s, u"dash"_s},
                      {u"gridcolor"_s, u"rgba(200,200,200,0.5)"_s},
                      {u"ticklen"_s, 5},
                      {u"ticks"_s, u"outside"_s},
                      {u"ticktext"_s, QJsonArray{subplotTick(request.subplotTitles[s])}},
                      {u"tickvals"_s, QJsonArray{(bars + 1) / 2 - 1}}};
        QJsonObject y{{u"anchor"_s, axisName("x", s)},
                      {u"showticklabels"_s, s == 0},
                      {u"ticklen"_s, s == 0 ? 5 : 0},
                      {u"tickson"_s, u"boundaries"_s},
                      {u"gridcolor"_s, u"rgba(220, 220, 220, 0.7)"_s},
                      {u"griddash"_s, u"dash"_s}};
        if (s > 0)
            y.insert(u"matches"_s, u"y"_s); // shared_yaxes
        else
            addTitle(y, request.yAxisTitle);
        layout.insert(axisName("xaxis", s), x);
        layout.insert(axisName("yaxis", s), y);
    }
    return layout;
}

// UKHSA's subplot chart (charts/subplot/v1): a column per subplot, a bar per plot in it.
QJsonObject subplotFigure(const ChartRequest &request, const ChartDataset &data)
{
    QList<qsizetype> barsPerSubplot;
    const QJsonArray traces = subplotTraces(request, data, &barsPerSubplot);
    QJsonObject layout = baseLayout(request);
    layout.insert(u"margin"_s, QJsonObject{{u"l"_s, 3}, {u"b"_s, 3}, {u"t"_s, 3}});
    const double base = subplotLegendBase(request.size.width());
    QJsonObject legendFont = font(u"Arial"_s, kTickColour);
    legendFont.insert(u"size"_s, 14);
    layout.insert(u"legend"_s, QJsonObject{{u"font"_s, legendFont},
                                           {u"orientation"_s, u"h"_s},
                                           {u"x"_s, 0.5},
                                           {u"xanchor"_s, u"center"_s},
                                           {u"yanchor"_s, u"bottom"_s},
                                           {u"y"_s, -(base * 2)}});
    layout = subplotAxes(layout, request, barsPerSubplot);
    QJsonArray annotations;
    if (!request.xAxisTitle.isEmpty())
        annotations.append(QJsonObject{{u"text"_s, request.xAxisTitle},
                                       {u"x"_s, 0.5},
                                       {u"y"_s, -base},
                                       {u"xref"_s, u"paper"_s},
                                       {u"yref"_s, u"paper"_s},
                                       {u"showarrow"_s, false},
                                       {u"xanchor"_s, u"center"_s},
                                       {u"font"_s, QJsonObject{{u"size"_s, 14}}}});
    if (request.targetThreshold) {
        double top = *request.targetThreshold;
        for (const auto &plot : data.plots) {
            for (const ChartPoint &point : plot)
                top = std::max(top, point.value);
        }
        layout.insert(u"shapes"_s, targetShapes(*request.targetThreshold, top));
        if (!request.targetThresholdLabel.isEmpty())
            annotations.append(QJsonObject{{u"text"_s, request.targetThresholdLabel},
                                           {u"x"_s, 1.0125},
                                           {u"y"_s, *request.targetThreshold},
                                           {u"xref"_s, u"paper"_s},
                                           {u"yref"_s, u"y"_s},
                                           {u"showarrow"_s, false},
                                           {u"xanchor"_s, u"left"_s},
                                           {u"font"_s, QJsonObject{{u"size"_s, 10}}}});
    }
    if (!request.watermark.isEmpty())
        annotations.append(watermark(request.watermark, request.size.width()));
    if (!annotations.isEmpty())
        layout.insert(u"annotations"_s, annotations);
    return {{u"data"_s, traces}, {u"layout"_s, layout}};
}

} // namespace

QJsonObject build(const ChartRequest &request, const ChartDataset &data)
{
    if (request.xAxis == ChartAxis::Subplot)
        return subplotFigure(request, data);
    const bool simplified = request.type() == ChartType::LineSingleSimplified;
    const Chart chart{request, data, drawnPlots(request, data), simplified};
    QJsonArray traces;
    for (const qsizetype plot : chart.drawn)
        traces.append(plotTrace(chart, plot));
    QJsonObject layout = simplified ? simplifiedLayout(chart) : commonLayout(chart);
    const std::optional<DateSpan> delay =
        !simplified && request.xAxis == ChartAxis::Date ? reportingDelay(chart) : std::nullopt;
    if (delay) {
        layout.insert(u"shapes"_s, reportingDelayShapes(*delay));
        traces.append(reportingDelayLegend());
    }
    if (!request.watermark.isEmpty())
        layout.insert(u"annotations"_s,
                      QJsonArray{watermark(request.watermark, request.size.width())});
    QJsonArray hovering; // every trace, the delay's stand-in too
    for (const auto &trace : std::as_const(traces)) {
        QJsonObject withHover = trace.toObject();
        withHover.insert(u"hovertemplate"_s, hoverTemplate(data));
        hovering.append(withHover);
    }
    return {{u"data"_s, hovering}, {u"layout"_s, layout}};
}

} // namespace isobar::PlotlyFigure
