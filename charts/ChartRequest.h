#pragma once

#include "MetricsQuery.h"

#include <QColor>
#include <QList>
#include <QSize>
#include <optional>

namespace isobar {

enum class ChartType {
    SimpleLine,
    LineWithShadedSection,
    LineMultiColoured,
    LineSingleSimplified,
    Bar,
    StackedBar,
    Waffle,
    Heatmap,
};

enum class ChartFormat { Png, Jpeg, Svg };

// What a category axis groups points by: their date, one of a series' names, or the subplot
// a point was read for (ChartPoint::category; the categories are ChartRequest::subplotTitles).
enum class ChartAxis { Date, Age, Stratum, Sex, Geography, Subplot };

QString chartTypeName(ChartType type); // the request's spelling, e.g. "line_with_shaded_section"
QString chartFormatName(ChartFormat format); // png | jpeg | svg
QByteArray chartContentType(ChartFormat format);
// The pixel size of a data classification's marking across a chart, as UKHSA sizes it: about
// three quarters of the width.
int watermarkPixelSize(int chartWidth, const QString &marking);

// A request the store cannot draw (ChartData): `field` names the offending part of the body
// ("plots[2].metric"), `detail` says why.
struct ChartRequestError {
    QString field;
    QString detail;
};

struct ChartPlot {
    PointSelection selection;
    ChartType type = ChartType::LineMultiColoured;
    QString label;                // empty: none given (no legend entry)
    std::optional<QColor> colour; // from `line_colour`; unset: the palette's next colour
    bool dashed = false;          // `line_type` DASH
    bool smooth = true;           // `use_smooth_lines` (UKHSA's default: true)
    bool markers = false;         // `use_markers`: a marker on every point of a line
};

// A chart to draw: a charts v2 or v3 body as ChartBody (server/charts/) reads it, or one made in
// code, as the desktop's view makes one; ChartData reads its points. The limits below are
// Isobar's, which ChartBody applies to a body.
struct ChartRequest {
    static constexpr int kMaxPlots = 10;
    static constexpr int kMinSize = 50;
    static constexpr int kMaxSize = 4000;
    static constexpr int kMaxWafflePlots = 3;

    QList<ChartPlot> plots;
    // ChartBody takes the body's (SVG when none is named); a request made in code, as the
    // desktop's view makes one, is drawn for a raster (docs/CHARTS.md, "Raster speed").
    ChartFormat format = ChartFormat::Png;
    QSize size{515, 220};
    ChartAxis xAxis = ChartAxis::Date;
    ChartAxis categoryAxis = ChartAxis::Age; // heatmap rows (`y_axis`)
    QString xAxisTitle;
    QString yAxisTitle;
    std::optional<double> yMinimum;
    std::optional<double> yMaximum;
    QString legendTitle;
    // `confidence_intervals`: bounds drawn where the data have them (a band behind a line, a
    // whisker on a bar), in `confidence_colour` (unset: the first palette colour).
    bool confidenceIntervals = false;
    std::optional<QColor> confidenceColour;
    // The data classification's marking ("OFFICIAL-SENSITIVE") written across a chart of data
    // that are not public; empty: none.
    QString watermark;
    // A subplot chart's columns, in order (x axis Subplot), and its target: a band from the
    // threshold up, with its label.
    QStringList subplotTitles;
    std::optional<double> targetThreshold;
    QString targetThresholdLabel;

    // The chart's type: the first plot's, except that bars and lines together make
    // `line_multi_coloured` with bars in it (UKHSA's "common" chart); ChartBody refuses other
    // mixes.
    ChartType type() const;
    bool hasBars() const; // a `bar` plot among the plots
};

} // namespace isobar
