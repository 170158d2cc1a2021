#include "ChartRequest.h"

#include "ChartPalette.h"
#include "PlotSelection.h"

#include <QJsonArray>
#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

struct TypeName {
    ChartType type;
    const char *name;
};

constexpr std::array kTypeNames = {
    TypeName{ChartType::SimpleLine, "simple_line"},
    TypeName{ChartType::LineWithShadedSection, "line_with_shaded_section"},
    TypeName{ChartType::LineMultiColoured, "line_multi_coloured"},
    TypeName{ChartType::LineSingleSimplified, "line_single_simplified"},
    TypeName{ChartType::Bar, "bar"},
    TypeName{ChartType::StackedBar, "stacked_bar"},
    TypeName{ChartType::Waffle, "waffle"},
    TypeName{ChartType::Heatmap, "heatmap"},
};

std::optional<ChartAxis> axisNamed(const QString &name)
{
    if (name == u"date")
        return ChartAxis::Date;
    if (name == u"age")
        return ChartAxis::Age;
    if (name == u"stratum")
        return ChartAxis::Stratum;
    if (name == u"sex")
        return ChartAxis::Sex;
    if (name == u"geography")
        return ChartAxis::Geography;
    return std::nullopt;
}

// Reads the body's fields and reports the first problem; parsing stops there.
class BodyReader
{
public:
    explicit BodyReader(ChartRequestError *error)
        : m_error(error)
    {}
    bool failed() const { return m_failed; }

    void fail(const QString &field, const QString &detail)
    {
        if (m_failed)
            return;
        m_failed = true;
        if (m_error)
            *m_error = {field, detail};
    }

    QString text(const QJsonObject &object, const char *name, const QString &field)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString()) {
            fail(field, u"must be a string"_s);
            return {};
        }
        QString text = value.toString().trimmed();
        if (const auto tooLong = textLengthProblem(text)) {
            fail(field, *tooLong);
            return {};
        }
        return text;
    }

    std::optional<double> number(const QJsonObject &object, const char *name)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (value.isDouble())
            return value.toDouble();
        // The dashboard's clients send some numbers as strings, where "nan" and "inf" also parse.
        bool ok = false;
        const double parsed = value.toString().toDouble(&ok);
        if (value.isString() && ok && std::isfinite(parsed))
            return parsed;
        fail(QLatin1String(name), u"must be a number"_s);
        return std::nullopt;
    }

    int size(const QJsonObject &object, const char *name, int fallback)
    {
        const std::optional<double> value = number(object, name);
        if (!value)
            return fallback;
        const int pixels = int(*value);
        if (pixels != *value || pixels < ChartRequest::kMinSize || pixels > ChartRequest::kMaxSize)
            fail(QLatin1String(name), u"must be a whole number of pixels from %1 to "
                                      "%2, got %3"_s.arg(ChartRequest::kMinSize)
                                          .arg(ChartRequest::kMaxSize)
                                          .arg(*value));
        return pixels;
    }

    bool flag(const QJsonObject &object, const char *name, const QString &field)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return false;
        if (value.isBool())
            return value.toBool();
        const QString spelled = value.toString().toLower();
        if (value.isString() && (spelled == u"true" || spelled == u"false"))
            return spelled == u"true";
        fail(field, u"must be true or false"_s);
        return false;
    }

private:
    ChartRequestError *m_error;
    bool m_failed = false;
};

void readFormat(BodyReader &read, const QJsonObject &body, ChartRequest &request)
{
    const QString format = read.text(body, "file_format", u"file_format"_s).toLower();
    if (format == u"png")
        request.format = ChartFormat::Png;
    else if (format == u"jpg" || format == u"jpeg")
        request.format = ChartFormat::Jpeg;
    else if (format.isEmpty() || format == u"svg")
        request.format = ChartFormat::Svg;
    else
        read.fail(u"file_format"_s, u"must be png, svg, jpg or jpeg, got '%1'"_s.arg(format));
}

void readAxes(BodyReader &read, const QJsonObject &body, ChartRequest &request)
{
    const QString xAxis = read.text(body, "x_axis", u"x_axis"_s);
    if (!xAxis.isEmpty()) {
        const auto axis = axisNamed(xAxis);
        if (!axis)
            read.fail(u"x_axis"_s,
                      u"must be date, age, stratum, sex or geography, got '%1'"_s.arg(xAxis));
        else
            request.xAxis = *axis;
    }
    // For line and bar charts y is the metric's value; a heatmap's rows are a category.
    const QString yAxis = read.text(body, "y_axis", u"y_axis"_s);
    if (!yAxis.isEmpty() && yAxis != u"metric") {
        const auto axis = axisNamed(yAxis);
        if (!axis || *axis == ChartAxis::Date)
            read.fail(u"y_axis"_s,
                      u"must be metric, age, stratum, sex or geography, got '%1'"_s.arg(yAxis));
        else
            request.categoryAxis = *axis;
    }
    request.xAxisTitle = read.text(body, "x_axis_title", u"x_axis_title"_s);
    request.yAxisTitle = read.text(body, "y_axis_title", u"y_axis_title"_s);
    request.yMinimum = read.number(body, "y_axis_minimum_value");
    request.yMaximum = read.number(body, "y_axis_maximum_value");
    if (request.yMinimum && request.yMaximum && *request.yMaximum <= *request.yMinimum)
        read.fail(u"y_axis_maximum_value"_s, u"must be greater than y_axis_minimum_value"_s);
}

// A plot's `chart_type`; every plot must have the first plot's (null for the first itself).
void readChartType(BodyReader &read, const QString &typeName, const QString &field,
                   const ChartPlot *firstPlot, ChartPlot &plot)
{
    bool knownType = typeName.isEmpty();
    for (const TypeName &entry : kTypeNames) {
        if (typeName == QLatin1String(entry.name)) {
            plot.type = entry.type;
            knownType = true;
        }
    }
    if (!knownType) {
        QStringList names;
        for (const TypeName &entry : kTypeNames)
            names << QLatin1String(entry.name);
        read.fail(field, u"unknown chart type '%1'; one of: %2"_s.arg(typeName, names.join(u", ")));
    }
    if (firstPlot && plot.type != firstPlot->type)
        read.fail(field, u"every plot of a chart has the same chart_type ('%1')"_s.arg(
                             chartTypeName(firstPlot->type)));
}

// Only the first problem is reported, so the order of these checks decides which one that is.
ChartPlot readPlot(BodyReader &read, const QJsonObject &object, const QString &prefix, QDate today,
                   const ChartPlot *firstPlot)
{
    auto field = [&](const char *name) -> QString { return prefix + QLatin1String(name); };
    auto text = [&](const char *name) { return read.text(object, name, field(name)); };

    ChartPlot plot;
    FieldProblem problem;
    const std::optional<PointSelection> selection =
        readPlotSelection(object, prefix, today, &problem);
    if (selection)
        plot.selection = *selection;
    else
        read.fail(problem.field, problem.detail);

    readChartType(read, text("chart_type"), field("chart_type"), firstPlot, plot);

    plot.label = text("label");
    const QString colourName = text("line_colour");
    if (!colourName.isEmpty()) {
        plot.colour = ChartPalette::colour(colourName);
        if (!plot.colour)
            read.fail(field("line_colour"), u"unknown colour '%1'; one of: %2"_s.arg(
                                                colourName, ChartPalette::names().join(u", ")));
    }
    const QString lineType = text("line_type").toUpper();
    if (lineType == u"DASH")
        plot.dashed = true;
    else if (!lineType.isEmpty() && lineType != u"SOLID")
        read.fail(field("line_type"), u"must be SOLID or DASH, got '%1'"_s.arg(lineType));
    plot.smooth = !object.contains(u"use_smooth_lines")
                  || read.flag(object, "use_smooth_lines", field("use_smooth_lines"));
    plot.markers = read.flag(object, "use_markers", field("use_markers"));
    return plot;
}

void readPlots(BodyReader &read, const QJsonArray &plots, QDate today, ChartRequest &request)
{
    if (plots.size() > ChartRequest::kMaxPlots)
        read.fail(
            u"plots"_s,
            u"at most %1 plots per chart, got %2"_s.arg(ChartRequest::kMaxPlots).arg(plots.size()));
    for (qsizetype i = 0; i < plots.size() && !read.failed(); ++i) {
        const QString prefix = u"plots[%1]."_s.arg(i);
        if (!plots[i].isObject()) {
            read.fail(prefix.chopped(1), u"must be a JSON object"_s);
            break;
        }
        const ChartPlot *firstPlot =
            request.plots.isEmpty() ? nullptr : &request.plots.constFirst();
        const ChartPlot plot = readPlot(read, plots[i].toObject(), prefix, today, firstPlot);
        request.plots.append(plot);
    }
    if (!read.failed() && request.type() == ChartType::Waffle
        && request.plots.size() > ChartRequest::kMaxWafflePlots)
        read.fail(u"plots"_s, u"a waffle chart shows at most %1 percentages, got %2 plots"_s
                                  .arg(ChartRequest::kMaxWafflePlots)
                                  .arg(request.plots.size()));
}

} // namespace

QString chartTypeName(ChartType type)
{
    for (const TypeName &entry : kTypeNames) {
        if (entry.type == type)
            return QLatin1String(entry.name);
    }
    return {};
}

ChartType ChartRequest::type() const
{
    const bool anyLine = std::any_of(plots.begin(), plots.end(), [](const ChartPlot &p) {
        return p.type == ChartType::LineMultiColoured;
    });
    return plots.isEmpty() || anyLine ? ChartType::LineMultiColoured : plots[0].type;
}

bool ChartRequest::hasBars() const
{
    return std::any_of(plots.begin(), plots.end(),
                       [](const ChartPlot &p) { return p.type == ChartType::Bar; });
}

int watermarkPixelSize(int chartWidth, const QString &marking)
{
    const double fitting = chartWidth * 0.75 / (double(marking.toUcs4().size()) * 0.6);
    // Python's round(): halves to even, as std::nearbyint does in the default rounding mode.
    return int(std::nearbyint(std::clamp(fitting, 8.0, 300.0)));
}

QString chartFormatName(ChartFormat format)
{
    switch (format) {
    case ChartFormat::Png:
        return u"png"_s;
    case ChartFormat::Jpeg:
        return u"jpeg"_s;
    case ChartFormat::Svg:
        break;
    }
    return u"svg"_s;
}

QByteArray chartContentType(ChartFormat format)
{
    switch (format) {
    case ChartFormat::Png:
        return "image/png";
    case ChartFormat::Jpeg:
        return "image/jpeg";
    case ChartFormat::Svg:
        break;
    }
    return "image/svg+xml";
}

std::optional<ChartRequest> ChartRequest::parse(const QJsonObject &body, QDate today,
                                                ChartRequestError *error)
{
    BodyReader read(error);
    ChartRequest request;
    readFormat(read, body, request);
    request.size.setWidth(read.size(body, "chart_width", 515));
    request.size.setHeight(read.size(body, "chart_height", 220));
    readAxes(read, body, request);
    request.confidenceIntervals =
        read.flag(body, "confidence_intervals", u"confidence_intervals"_s);
    request.legendTitle = read.text(body, "legend_title", u"legend_title"_s);

    const QJsonValue plots = body.value(u"plots");
    if (!plots.isArray() || plots.toArray().isEmpty()) {
        read.fail(u"plots"_s, u"must be a non-empty array"_s);
        return std::nullopt;
    }
    readPlots(read, plots.toArray(), today, request);
    if (read.failed())
        return std::nullopt;
    return request;
}

} // namespace isobar
