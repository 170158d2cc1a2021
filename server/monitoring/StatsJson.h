#pragma once

#include "StatsSummary.h"
#include "TimelineBucket.h"
#include "UserActivity.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace isobar {

// The stats API's summary, timeline and users answers as JSON: written from RequestStats' typed
// results (StatsApi) and read back into the same types (the desktop's Operations page). Each key
// is spelled once, in StatsJson.cpp, for both directions, so the two cannot drift apart. Times
// are ISO 8601 in UTC with milliseconds. (Geography answers are GeographyJson's.)
class StatsJson
{
public:
    // {"endpoints":[...],"from":..,"no_go":..,"no_go_threshold":..,"objective_ms":..,
    //  "requests":..,"status_counts":{"1xx":..},"status_ratios":{"1xx":..},"to":..}
    static QJsonObject summary(const StatsSummary &summary);
    static StatsSummary readSummary(const QJsonObject &json);

    // {"bucket":"hour"|"day","buckets":[...],"endpoint":.. (when one was asked for),"from":..,
    //  "to":..}; `from` and `to` are the range asked for, as the caller writes it.
    static QJsonObject timeline(const QList<TimelineBucket> &buckets, const QString &from,
                                const QString &to, const QString &bucket, const QString &endpoint);
    static Timeline readTimeline(const QJsonObject &json);

    // {"from":..,"to":..,"users":[{"errors":..,"first_seen":..,"last_seen":..,"requests":..,
    //  "subject":..}]}
    static QJsonObject users(const QList<UserActivity> &users, const QString &from,
                             const QString &to);
    static QList<UserActivity> readUsers(const QJsonObject &json);
};

} // namespace isobar
