#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrlQuery>

namespace isobar {

// The period the Operations page looks at, as Grafana users pick it: a relative preset ("last
// hour", sent as from=now-1h&to=now so the server's clock decides) or a custom absolute range.
class TimeRange
{
    Q_DECLARE_TR_FUNCTIONS(TimeRange)
public:
    enum class Preset {
        Last15Minutes,
        LastHour,
        Last6Hours,
        Last24Hours,
        Last7Days,
        Last30Days,
        Custom
    };

    TimeRange() = default;
    explicit TimeRange(Preset preset);
    static TimeRange custom(const QDateTime &from, const QDateTime &to);

    static QList<Preset> presets(); // in menu order, Custom last
    static QString label(Preset preset);

    Preset preset() const { return m_preset; }
    QDateTime customFrom() const { return m_from; }
    QDateTime customTo() const { return m_to; }
    // Custom ranges must end after they start; presets are always valid.
    bool isValid() const;
    // The span covered, for choosing chart buckets and axis formats.
    qint64 spanMs() const;

    // The from/to parameters of every stats request.
    QUrlQuery query() const;
    // The timeline's bucket ("minute", "hour"): minutes for the ranges the server answers
    // in minutes (RequestStats::kMinuteRangeMs), so a short range is more than one or two bars.
    QString timelineBucket() const;

    friend bool operator==(const TimeRange &, const TimeRange &) = default;

private:
    Preset m_preset = Preset::LastHour;
    QDateTime m_from; // custom only, UTC
    QDateTime m_to;
};

} // namespace isobar
