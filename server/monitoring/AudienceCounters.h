#pragma once

#include <QHash>
#include <QString>

namespace isobar {

class PrometheusText;

// Where the watches ask from and who asks most, for the ops board's map and its requests per
// user, in a form Prometheus can keep: labels must stay few, so positions are counted by
// 10-degree area (at most 648 series) and callers are shown as this hour's ten busiest.
// Event-loop thread only.
class AudienceCounters
{
public:
    static constexpr int kAreaDegrees = 10;
    static constexpr int kTopCallers = 10;
    // Callers counted per hour; beyond it a new caller is counted under "(others)", so a flood
    // of one-off callers cannot grow the table without bound.
    static constexpr int kMaxCallers = 100'000;

    // A weather request for a position (its cell's centre).
    void countPosition(double latitude, double longitude);
    // A request from `caller` (a token's subject, else the client's address) at `nowMs`.
    void countCaller(const QString &caller, qint64 nowMs);
    void writePrometheus(PrometheusText &out, qint64 nowMs) const;

private:
    QHash<std::pair<int, int>, qint64> m_areas; // area centre (lat, lon) -> requests
    QHash<QString, qint64> m_callers;           // requests in the hour m_hour
    qint64 m_hour = -1;
};

} // namespace isobar
