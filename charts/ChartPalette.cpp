#include "ChartPalette.h"

#include <array>

namespace isobar::ChartPalette {

namespace {

struct NamedColour {
    const char *name;
    int r, g, b;
};

// Values from the UKHSA data-dashboard (metrics/domain/charts/colour_scheme.py).
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
    NamedColour{"TREND_LINE_POSITIVE", 0, 112, 60},
    NamedColour{"TREND_LINE_NEGATIVE", 171, 43, 23},
    NamedColour{"TREND_LINE_NEUTRAL", 56, 63, 67},
};
constexpr int kSelectable = 12;

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
        if (name.compare(QLatin1String(c.name), Qt::CaseInsensitive) == 0)
            return QColor(c.r, c.g, c.b);
    }
    return std::nullopt;
}

QColor seriesColour(int index)
{
    const NamedColour &c = kColours[std::size_t(index % kSelectable)];
    return QColor(c.r, c.g, c.b);
}

QColor trendPositive()
{
    return QColor(0, 112, 60);
}
QColor trendNegative()
{
    return QColor(171, 43, 23);
}
QColor trendNeutral()
{
    return QColor(56, 63, 67);
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
