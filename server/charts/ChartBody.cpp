#include "ChartBody.h"

#include "ChartPalette.h"
#include "metrics/DrfFields.h"
#include "metrics/UkhsaChartFields.h"
#include "metrics/UkhsaPlots.h"
#include "metrics/UkhsaWire.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace isobar::ChartBody {

namespace {

// UKHSA's selectable chart types, then Isobar's.
const QStringList kChartTypes = {u"line_multi_coloured"_s,
                                 u"bar"_s,
                                 u"line_single_simplified"_s,
                                 u"simple_line"_s,
                                 u"line_with_shaded_section"_s,
                                 u"stacked_bar"_s,
                                 u"waffle"_s,
                                 u"heatmap"_s};
const QStringList kLineTypes = {u"SOLID"_s, u"DASH"_s};

ChartType typeNamed(const QString &name)
{
    for (int i = 0; i <= int(ChartType::Heatmap); ++i) {
        if (chartTypeName(ChartType(i)) == name)
            return ChartType(i);
    }
    return ChartType::LineMultiColoured;
}

std::optional<ChartAxis> axisNamed(const QString &name)
{
    static const QHash<QString, ChartAxis> axes = {{u"date"_s, ChartAxis::Date},
                                                   {u"age"_s, ChartAxis::Age},
                                                   {u"stratum"_s, ChartAxis::Stratum},
                                                   {u"sex"_s, ChartAxis::Sex},
                                                   {u"geography"_s, ChartAxis::Geography}};
    const auto found = axes.constFind(name);
    return found == axes.cend() ? std::nullopt : std::optional<ChartAxis>(*found);
}

ChartPlot readPlot(const QJsonObject &object, DrfFields::Reader &fields)
{
    ChartPlot plot;
    plot.type =
        typeNamed(DrfFields::choice(object, fields, u"chart_type"_s, kChartTypes, true, false)
                      .value_or(QString()));
    // A plot without a colour is drawn in the first line colour, as UKHSA draws it.
    const QString colour =
        DrfFields::choice(object, fields, u"line_colour"_s, ChartPalette::names(), false, true)
            .value_or(QString());
    plot.colour = ChartPalette::colour(colour.isEmpty() ? ChartPalette::names()[0] : colour);
    plot.dashed =
        DrfFields::choice(object, fields, u"line_type"_s, kLineTypes, false, true) == u"DASH"_s;
    plot.smooth = DrfFields::boolean(object, fields, u"use_smooth_lines"_s, false).value_or(true);
    plot.markers = DrfFields::boolean(object, fields, u"use_markers"_s, false).value_or(false);
    return plot;
}

// UKHSA draws bars and lines together, or line_single_simplified alone; Isobar's own types
// are drawn alone too.
bool mixable(const QList<ChartPlot> &plots)
{
    const auto common = [](ChartType type) {
        return type == ChartType::Bar || type == ChartType::LineMultiColoured;
    };
    for (const ChartPlot &plot : plots) {
        if (plot.type != plots[0].type && !(common(plot.type) && common(plots[0].type)))
            return false;
    }
    return true;
}

// The type UKHSA's message names: line_single_simplified, which it never mixes, else the first.
QString oddType(const ChartRequest &request)
{
    for (const ChartPlot &plot : request.plots) {
        if (plot.type == ChartType::LineSingleSimplified)
            return chartTypeName(plot.type);
    }
    return chartTypeName(request.plots[0].type);
}

// Isobar's bounds on what a chart draws (UKHSA has none).
std::optional<HttpResponse> beyondIsobarLimits(const ChartRequest &request)
{
    if (request.type() == ChartType::Waffle && request.plots.size() > ChartRequest::kMaxWafflePlots)
        return UkhsaWire::fieldErrors(
            {{u"plots"_s, u"A waffle chart shows at most %1 percentages."_s.arg(
                              ChartRequest::kMaxWafflePlots)}});
    return std::nullopt;
}

} // namespace

ChartRequest chartOf(const UkhsaChartFields &fields)
{
    ChartRequest request;
    request.format = fields.fileFormat == u"png"   ? ChartFormat::Png
                     : fields.fileFormat == u"svg" ? ChartFormat::Svg
                                                   : ChartFormat::Jpeg;
    request.size = QSize(fields.width, fields.height);
    request.xAxis = axisNamed(fields.xAxis).value_or(ChartAxis::Date);
    request.categoryAxis = axisNamed(fields.yAxis).value_or(ChartAxis::Age);
    request.xAxisTitle = fields.xAxisTitle;
    request.yAxisTitle = fields.yAxisTitle;
    request.yMinimum = fields.yMinimum;
    request.yMaximum = fields.yMaximum;
    request.legendTitle = fields.legendTitle;
    request.confidenceIntervals = fields.confidenceIntervals;
    if (!fields.confidenceColour.isEmpty())
        request.confidenceColour = ChartPalette::colour(fields.confidenceColour);
    if (!fields.isPublic)
        request.watermark = UkhsaChartFields::marking(fields.dataClassification);
    return request;
}

std::variant<Chart, HttpResponse> read(MetricsQuery &store, const QJsonObject &body,
                                       Version version, QDate today)
{
    static const QStringList v2Formats = {u"svg"_s, u"png"_s, u"jpg"_s, u"jpeg"_s};
    static const QStringList v3Formats = {u"svg"_s};
    DrfFields::Reader top(body);
    const UkhsaChartFields fields =
        UkhsaChartFields::read(body, top, version == Version::V2 ? v2Formats : v3Formats);
    if (!axisNamed(fields.xAxis)) // UKHSA plots metric values along x; Isobar does not
        top.fail(u"x_axis"_s, DrfFields::notAChoice(fields.xAxis));

    QHash<qsizetype, ChartPlot> plots;
    UkhsaPlots::ChartExtras extras{
        top.fieldErrors(), fields.xAxis,
        [&plots](const QJsonObject &plot, qsizetype index, DrfFields::Reader &plotFields) {
            plots.insert(index, readPlot(plot, plotFields));
        }};
    std::variant<UkhsaPlots::Request, HttpResponse> checked = UkhsaPlots::check(
        store, body, UkhsaPlots::Route::Charts, today, ChartRequest::kMaxPlots, &extras);
    if (auto *answer = std::get_if<HttpResponse>(&checked))
        return std::move(*answer);
    const UkhsaPlots::Request &plotted = std::get<UkhsaPlots::Request>(checked);

    Chart chart{chartOf(fields), fields.fileFormat};
    ChartRequest &request = chart.request;
    for (qsizetype i = 0; i < plotted.plots.size(); ++i) {
        ChartPlot plot = plots.value(i);
        plot.selection = plotted.plots[i].selection;
        plot.label = plotted.plots[i].label;
        request.plots.append(plot);
    }
    if (!mixable(request.plots))
        return UkhsaWire::errorMessage(u"There has been an invalid combination of plots selected, "
                                       "Please review your plot data. %1"_s.arg(oddType(request)),
                                       "POST, OPTIONS");
    if (auto beyond = beyondIsobarLimits(request))
        return std::move(*beyond);
    return chart;
}

} // namespace isobar::ChartBody
