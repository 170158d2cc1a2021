#pragma once

#include "AccuWeatherClient.h"
#include "GridCell.h"
#include "http/Eventual.h"
#include "http/Flight.h"

#include <QFuture>
#include <QHash>
#include <QJsonDocument>
#include <QObject>
#include <functional>
#include <list>
#include <memory>

namespace isobar {

class PrometheusText;
class SharedWeatherCache;
class WeatherLocationStore;

enum class WeatherProduct { Current, Daily, Hourly };

struct WeatherQuery {
    double latitude = 0;
    double longitude = 0;
    WeatherProduct product = WeatherProduct::Current;
    bool metric = true; // forecasts are fetched per unit system; current holds both
    QString language;
};

struct WeatherLocation {
    QString key;
    QString name;
    QString country;
    QString timeZone;
    double latitude = 0;
    double longitude = 0;
};

enum class CacheOutcome { Hit, Miss, Stale };

struct WeatherAnswer {
    bool ok = false;
    QJsonDocument document; // current: the observation object; forecasts: as upstream sent them
    WeatherLocation location;
    GridCell cell;
    CacheOutcome outcome = CacheOutcome::Miss;
    qint64 fetchedAtMs = 0; // when the upstream answered: with location.key, the document's version
    qint64 ageSeconds = 0;  // since the upstream answered
    qint64 freshSeconds = 0; // left before it expires (0 when stale)
    bool revalidationFailed = false;
    UpstreamError error; // when !ok
    qint64 retryAfterSeconds = 0;
};

// Weather for positions, spending as few upstream calls as possible:
//  - positions become grid cells; cell -> location key is kept for a long time (and persisted),
//    and many cells share one key, so many cells share one weather entry;
//  - location key -> document per product with its own TTL (shortened by upstream Expires);
//  - single flight: concurrent misses for one entry make one upstream call;
//  - stale-while-revalidate: an expired entry is served at once while one refresh runs;
//  - stale-if-error: during an outage entries up to maxStale old are served, marked stale;
//  - bounded by entry counts (LRU), with counters for monitoring.
class WeatherCache : public QObject
{
    Q_OBJECT
public:
    struct Options {
        double cellSizeMetres = 1000;
        qint64 currentTtlSeconds = 600;
        qint64 hourlyTtlSeconds = 1800;
        qint64 dailyTtlSeconds = qint64(6) * 3600;
        qint64 locationTtlSeconds = qint64(30) * 24 * 3600;
        qint64 maxStaleSeconds = qint64(6) * 3600;
        qint64 refreshRetrySeconds = 30; // after a failed refresh, before the next attempt
        int maxEntries = 50'000;
        int maxLocations = 500'000;
    };
    struct Stats {
        qint64 hits = 0;
        qint64 misses = 0;
        qint64 stale = 0;
        qint64 evictions = 0;
        qint64 errors = 0;
        qint64 joinedFlights = 0; // requests that waited for a call already under way
        int entries = 0;
        int locations = 0;
    };
    using Clock = std::function<qint64()>; // milliseconds since the epoch

    WeatherCache(Options options, AccuWeatherClient &client, WeatherLocationStore *store = nullptr,
                 Clock clock = {}, QObject *parent = nullptr);
    ~WeatherCache() override;

    // Ready at once on a hit or a stale answer; a miss waits for the upstream call.
    Eventual<WeatherAnswer> lookup(const WeatherQuery &query);
    // Shares location keys and documents with the fleet (Redis) from now on: a miss here
    // asks the fleet before AccuWeather. Null: this replica alone.
    void shareThrough(SharedWeatherCache *fleet) { m_fleet = fleet; }
    // Where location keys are kept from now on: another store when the server's connection was
    // opened again, null while it is closing (keys then stay in memory only).
    void useStore(WeatherLocationStore *store) { m_store = store; }
    Stats stats() const;
    // Its families of /metrics: lookups by outcome, documents held.
    void writePrometheus(PrometheusText &out) const;
    const Options &options() const { return m_options; }

private:
    struct LocationResult {
        bool ok = false;
        WeatherLocation location;
        UpstreamError error;
    };
    struct LocationEntry {
        WeatherLocation location;
        qint64 fetchedAtMs = 0;
    };
    struct Entry {
        QString key;
        QJsonDocument document;
        qint64 fetchedAtMs = 0;
        qint64 expiresAtMs = 0;
        qint64 refreshBlockedUntilMs = 0;
        bool lastRefreshFailed = false;
    };

    QFuture<LocationResult> locationFor(const GridCell &cell);
    Eventual<WeatherAnswer> documentFor(const WeatherLocation &location, const GridCell &cell,
                                        const WeatherQuery &query);
    QFuture<UpstreamResult> fetch(const QString &entryKey, const WeatherLocation &location,
                                  const WeatherQuery &query);
    // `call` through the fleet's cache when there is one, else at once.
    QFuture<UpstreamResult> upstream(const QString &key, qint64 ttlMs,
                                     const std::function<QFuture<UpstreamResult>()> &call);
    void store(const QString &entryKey, const UpstreamResult &result, WeatherProduct product);
    Entry *findEntry(const QString &entryKey);
    WeatherAnswer answerFrom(const Entry &entry, const WeatherLocation &location,
                             const GridCell &cell, CacheOutcome outcome) const;
    WeatherAnswer failed(const UpstreamError &error, const GridCell &cell) const;
    qint64 ttlMs(WeatherProduct product) const;

    Options m_options;
    AccuWeatherClient &m_client;
    WeatherLocationStore *m_store;
    SharedWeatherCache *m_fleet = nullptr;
    Clock m_clock;
    Stats m_stats;

    QHash<GridCell, LocationEntry> m_locations;
    QList<GridCell> m_locationOrder; // insertion order, for a simple bound on memory
    qsizetype m_locationOrderStart = 0;
    QHash<GridCell, std::shared_ptr<Flight<LocationResult>>> m_locationFlights;

    std::list<Entry> m_lru; // front: most recently used
    QHash<QString, std::list<Entry>::iterator> m_entries;
    QHash<QString, std::shared_ptr<Flight<UpstreamResult>>> m_flights;
};

} // namespace isobar
