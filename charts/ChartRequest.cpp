#include "ChartRequest.h"

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

} // namespace isobar
