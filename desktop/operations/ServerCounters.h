#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace isobar {

// The few process counters of GET /metrics (Prometheus text format 0.0.4) that the stat tiles
// show: AccuWeather calls and the day's budget, and the weather cache's outcomes. They count
// since the server started, not over the page's time range.
struct ServerCounters {
    double upstreamCalls = 0;
    double upstreamFailures = 0;
    std::optional<double> budgetLeft; // absent when the server has no daily budget
    double cacheHits = 0;
    double cacheMisses = 0;
    double cacheStale = 0;

    static ServerCounters fromPrometheus(const QByteArray &text);
    // Share of weather lookups answered from the cache (fresh or stale); nullopt before any.
    std::optional<double> cacheHitRatio() const;
};

// One sample line of the Prometheus text format: name{label="value",...} number.
struct PrometheusSample {
    QString name;
    QHash<QString, QString> labels;
    double value = 0;

    // Every sample of an exposition; comments, blank and malformed lines are skipped.
    static QList<PrometheusSample> parse(const QByteArray &text);
};

} // namespace isobar
