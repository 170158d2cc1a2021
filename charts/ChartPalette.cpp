#include "ChartPalette.h"

#include <array>

using namespace Qt::StringLiterals;

namespace isobar::ChartPalette {

namespace {

struct NamedColour {
    const char *name;
    int r, g, b;
};

// UKHSA's RGBAChartLineColours (metrics/domain/charts/colour_scheme.py) in its order. GREEN
// and TURQUOISE are left out: they repeat TREND_LINE_POSITIVE's and COLOUR_2_TURQUOISE's
// values, so Python's Enum makes them aliases and UKHSA's choices never offer them.
constexpr std::array kColours = {
    NamedColour{"COLOUR_1_DARK_BLUE", 18, 67, 109},
    NamedColour{"COLOUR_2_TURQUOISE", 40, 161, 151},
    NamedColour{"COLOUR_3_DARK_PINK", 128, 22, 80},
    NamedColour{"COLOUR_4_ORANGE", 244, 106, 37},
    NamedColour{"COLOUR_5_DARK_GREY", 61, 61, 61},
    NamedColour{"COLOUR_6_LIGHT_PURPLE", 162, 133, 209},
    NamedColour{"COLOUR_7_BURGUNDY", 84, 13, 52},
    NamedColour{"COLOUR_8_MUSTARD", 194, 132, 0},
    NamedColour{"COLOUR_9_DEEP_PLUM", 51, 25, 77},
    NamedColour{"COLOUR_10_PINK", 229, 102, 183},
    NamedColour{"COLOUR_11_KHAKI", 71, 71, 0},
    NamedColour{"COLOUR_12_BLUE", 0, 157, 214},
    NamedColour{"MAP_COLOUR_1_LIGHT_YELLOW", 240, 249, 232},
    NamedColour{"MAP_COLOUR_2_LIGHT_GREEN", 186, 228, 188},
    NamedColour{"MAP_COLOUR_3_TURQUOISE", 123, 204, 196},
    NamedColour{"MAP_COLOUR_4_BLUE", 67, 162, 202},
    NamedColour{"MAP_COLOUR_5_DARK_BLUE", 8, 104, 172},
    NamedColour{"TREND_LINE_POSITIVE", 0, 112, 60},
    NamedColour{"TREND_LINE_NEGATIVE", 171, 43, 23},
    NamedColour{"TREND_LINE_NEUTRAL", 56, 63, 67},
    NamedColour{"RED", 212, 53, 28},
    NamedColour{"YELLOW", 255, 221, 0},
    NamedColour{"BLUE", 29, 112, 184},
    NamedColour{"DARK_BLUE", 0, 48, 120},
    NamedColour{"LIGHT_BLUE", 86, 148, 202},
    NamedColour{"PURPLE", 76, 44, 146},
    NamedColour{"BLACK", 11, 12, 12},
    NamedColour{"DARK_GREY", 80, 90, 95},
    NamedColour{"MID_GREY", 177, 180, 182},
    NamedColour{"LIGHT_GREY", 243, 242, 241},
    NamedColour{"LIGHT_PURPLE", 111, 114, 175},
    NamedColour{"BRIGHT_PURPLE", 145, 43, 136},
    NamedColour{"PINK", 213, 56, 128},
    NamedColour{"LIGHT_PINK", 244, 153, 190},
    NamedColour{"ORANGE", 244, 119, 56},
    NamedColour{"BROWN", 181, 136, 64},
    NamedColour{"LIGHT_GREEN", 133, 153, 75},
};
constexpr int kLineColours = 12; // COLOUR_1 .. COLOUR_12, the ones plots cycle through

// A name of the table above, so a role cannot drift from the value requests get by name.
QColor named(const char *name)
{
    return *colour(QLatin1String(name));
}

} // namespace

QStringList names()
{
    QStringList result;
    for (const NamedColour &c : kColours)
        result << QLatin1String(c.name);
    return result;
}

std::optional<QColor> colour(const QString &name)
{
    for (const NamedColour &c : kColours) {
        if (name == QLatin1String(c.name))
            return QColor(c.r, c.g, c.b);
    }
    return std::nullopt;
}

QColor seriesColour(int index)
{
    const NamedColour &c = kColours[std::size_t(index % kLineColours)];
    return QColor(c.r, c.g, c.b);
}

QString rgbaText(const QColor &colour)
{
    return u"rgba(%1, %2, %3, %4)"_s.arg(colour.red())
        .arg(colour.green())
        .arg(colour.blue())
        .arg(QString::number(colour.alphaF()));
}

QColor trendPositive()
{
    return named("TREND_LINE_POSITIVE");
}
QColor trendNegative()
{
    return named("TREND_LINE_NEGATIVE");
}
QColor trendNeutral()
{
    return named("TREND_LINE_NEUTRAL");
}
QColor goodShade()
{
    return QColor(204, 226, 216);
}
QColor badShade()
{
    return QColor(246, 215, 210);
}
QColor neutralShade()
{
    return QColor(235, 233, 231);
}
QColor reportingDelayShade()
{
    return QColor(177, 180, 182);
}
QColor lineBackground()
{
    return QColor(248, 248, 248);
}
QColor lineFill()
{
    return QColor(243, 242, 241);
}

} // namespace isobar::ChartPalette
