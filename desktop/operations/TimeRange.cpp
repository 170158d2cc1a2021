#include "TimeRange.h"

#include "Durations.h"
#include "RequestStats.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

struct PresetSpec {
    TimeRange::Preset preset;
    const char *label;
    const char *from; // the stats API's relative syntax
    qint64 spanMs;
};

// One table for the menu, the parameters sent and the span, so the three cannot disagree.
constexpr PresetSpec kPresets[] = {
    {TimeRange::Preset::Last15Minutes, QT_TRANSLATE_NOOP("TimeRange", "Last 15 minutes"), "now-15m",
     15 * kMinuteMs},
    {TimeRange::Preset::LastHour, QT_TRANSLATE_NOOP("TimeRange", "Last hour"), "now-1h", kHourMs},
    {TimeRange::Preset::Last6Hours, QT_TRANSLATE_NOOP("TimeRange", "Last 6 hours"), "now-6h",
     6 * kHourMs},
    {TimeRange::Preset::Last24Hours, QT_TRANSLATE_NOOP("TimeRange", "Last 24 hours"), "now-24h",
     kDayMs},
    {TimeRange::Preset::Last7Days, QT_TRANSLATE_NOOP("TimeRange", "Last 7 days"), "now-7d",
     7 * kDayMs},
    {TimeRange::Preset::Last30Days, QT_TRANSLATE_NOOP("TimeRange", "Last 30 days"), "now-30d",
     30 * kDayMs},
};

const PresetSpec *specOf(TimeRange::Preset preset)
{
    for (const PresetSpec &spec : kPresets) {
        if (spec.preset == preset)
            return &spec;
    }
    return nullptr;
}

} // namespace

TimeRange::TimeRange(Preset preset)
    : m_preset(preset)
{}

TimeRange TimeRange::custom(const QDateTime &from, const QDateTime &to)
{
    TimeRange range(Preset::Custom);
    range.m_from = from.toUTC();
    range.m_to = to.toUTC();
    return range;
}

QList<TimeRange::Preset> TimeRange::presets()
{
    QList<Preset> list;
    for (const PresetSpec &spec : kPresets)
        list << spec.preset;
    list << Preset::Custom;
    return list;
}

QString TimeRange::label(Preset preset)
{
    if (const PresetSpec *spec = specOf(preset))
        return tr(spec->label);
    return tr("Custom range");
}

bool TimeRange::isValid() const
{
    if (m_preset != Preset::Custom)
        return true;
    return m_from.isValid() && m_to.isValid() && m_from < m_to;
}

qint64 TimeRange::spanMs() const
{
    if (const PresetSpec *spec = specOf(m_preset))
        return spec->spanMs;
    return isValid() ? m_from.msecsTo(m_to) : 0;
}

QUrlQuery TimeRange::query() const
{
    QUrlQuery query;
    if (const PresetSpec *spec = specOf(m_preset)) {
        query.addQueryItem(u"from"_s, QLatin1String(spec->from));
        query.addQueryItem(u"to"_s, u"now"_s);
    } else {
        // Whole seconds with a Z: the server refuses times without a zone.
        query.addQueryItem(u"from"_s, m_from.toString(Qt::ISODate));
        query.addQueryItem(u"to"_s, m_to.toString(Qt::ISODate));
    }
    return query;
}

QString TimeRange::timelineBucket() const
{
    return spanMs() <= RequestStats::kMinuteRangeMs ? u"minute"_s : u"hour"_s;
}

} // namespace isobar
