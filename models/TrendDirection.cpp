#include "TrendDirection.h"

#include <array>

using namespace Qt::StringLiterals;

namespace isobar {

TrendPolarity trendPolarity(const QString &metricName)
{
    const QString name = metricName.toLower();
    static constexpr std::array bad = {u"case",    u"death", u"admission", u"occupied", u"bed",
                                       u"positiv", u"icu",   u"hospital",  u"mortality"};
    static constexpr std::array good = {u"vaccin", u"uptake", u"coverage", u"test"};
    for (const char16_t *word : bad) {
        if (name.contains(QStringView(word)))
            return TrendPolarity::UpIsBad;
    }
    for (const char16_t *word : good) {
        if (name.contains(QStringView(word)))
            return TrendPolarity::UpIsGood;
    }
    return TrendPolarity::Neutral;
}

bool isChangeMetric(const QString &metricName)
{
    return metricName.endsWith(u"Change", Qt::CaseInsensitive);
}

TrendDirection trendDirection(double change)
{
    if (change > 0)
        return TrendDirection::Up;
    if (change < 0)
        return TrendDirection::Down;
    return TrendDirection::Neutral;
}

QString directionName(TrendDirection direction)
{
    switch (direction) {
    case TrendDirection::Up:
        return u"up"_s;
    case TrendDirection::Down:
        return u"down"_s;
    case TrendDirection::Neutral:
        break;
    }
    return u"neutral"_s;
}

QString trendColour(TrendDirection direction, TrendPolarity polarity)
{
    if (direction == TrendDirection::Neutral || polarity == TrendPolarity::Neutral)
        return u"neutral"_s;
    const bool good = (direction == TrendDirection::Up) == (polarity == TrendPolarity::UpIsGood);
    return good ? u"green"_s : u"red"_s;
}

} // namespace isobar
