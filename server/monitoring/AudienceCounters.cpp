#include "AudienceCounters.h"

#include "Durations.h"
#include "PrometheusNames.h"
#include "PrometheusText.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The centre of the area `degrees` falls in, areas starting at -90 / -180.
int areaCentre(double degrees, double lowest, double highest)
{
    const double clamped = std::clamp(degrees, lowest, highest - 1e-9);
    const int size = AudienceCounters::kAreaDegrees;
    return int(std::floor((clamped - lowest) / size)) * size + int(lowest) + size / 2;
}

} // namespace

void AudienceCounters::countPosition(double latitude, double longitude)
{
    ++m_areas[{areaCentre(latitude, -90, 90), areaCentre(longitude, -180, 180)}];
}

void AudienceCounters::countCaller(const QString &caller, qint64 nowMs)
{
    if (const qint64 hour = nowMs / kHourMs; hour != m_hour) {
        m_callers.clear();
        m_hour = hour;
    }
    if (auto it = m_callers.find(caller); it != m_callers.end())
        ++*it;
    else
        ++m_callers[m_callers.size() < kMaxCallers ? caller : u"(others)"_s];
}

void AudienceCounters::writePrometheus(PrometheusText &out, qint64 nowMs) const
{
    out.family(prometheus::kWeatherRequestsByArea, "counter",
               "Weather requests by 10-degree area; labels are the area's centre in degrees.");
    for (auto it = m_areas.cbegin(); it != m_areas.cend(); ++it)
        out.sample(prometheus::kWeatherRequestsByArea,
                   {{u"latitude"_s, QString::number(it.key().first)},
                    {u"longitude"_s, QString::number(it.key().second)}},
                   double(it.value()));

    out.family(prometheus::kTopCallerRequests, "gauge",
               "Requests so far this UTC hour from each of the ten busiest callers.");
    if (nowMs / kHourMs != m_hour)
        return; // nobody has called this hour
    QList<std::pair<qint64, QString>> callers;
    callers.reserve(m_callers.size());
    for (auto it = m_callers.cbegin(); it != m_callers.cend(); ++it)
        callers.append({it.value(), it.key()});
    const auto top = callers.begin() + std::min<qsizetype>(kTopCallers, callers.size());
    std::partial_sort(callers.begin(), top, callers.end(),
                      [](const auto &a, const auto &b) { return a.first > b.first; });
    for (auto it = callers.begin(); it != top; ++it)
        out.sample(prometheus::kTopCallerRequests, {{u"caller"_s, it->second}}, double(it->first));
}

} // namespace isobar
