#include "WeatherCache.h"

#include "Durations.h"
#include "WeatherLocationStore.h"
#include "cache/SharedWeatherCache.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString productName(WeatherProduct product)
{
    switch (product) {
    case WeatherProduct::Current:
        return u"current"_s;
    case WeatherProduct::Daily:
        return u"daily"_s;
    case WeatherProduct::Hourly:
        return u"hourly"_s;
    }
    return {};
}

QString entryKeyFor(const QString &locationKey, const WeatherQuery &query)
{
    // Current conditions carry both unit systems, so units are not part of their key.
    const bool perUnits = query.product != WeatherProduct::Current;
    return productName(query.product) + u'|' + locationKey + u'|'
           + (perUnits ? (query.metric ? u"metric" : u"imperial") : u"") + u'|' + query.language;
}

} // namespace

WeatherCache::WeatherCache(Options options, AccuWeatherClient &client, WeatherLocationStore *store,
                           Clock clock, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_client(client)
    , m_store(store)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{}

WeatherCache::~WeatherCache() = default;

qint64 WeatherCache::ttlMs(WeatherProduct product) const
{
    switch (product) {
    case WeatherProduct::Current:
        return m_options.currentTtlSeconds * 1000;
    case WeatherProduct::Hourly:
        return m_options.hourlyTtlSeconds * 1000;
    case WeatherProduct::Daily:
        return m_options.dailyTtlSeconds * 1000;
    }
    return 0;
}

Eventual<WeatherAnswer> WeatherCache::lookup(const WeatherQuery &query)
{
    const GridCell cell =
        GridCell::locate(query.latitude, query.longitude, m_options.cellSizeMetres);
    // The hot path (a known cell) answers without touching the future machinery's threads.
    const auto known = m_locations.constFind(cell);
    if (known != m_locations.constEnd()
        && m_clock() - known->fetchedAtMs < m_options.locationTtlSeconds * 1000)
        return documentFor(known->location, cell, query);
    return locationFor(cell)
        .then(this,
              [this, cell, query](const LocationResult &result) {
                  if (!result.ok) {
                      ++m_stats.errors;
                      return QtFuture::makeReadyFuture(failed(result.error, cell));
                  }
                  return documentFor(result.location, cell, query).toFuture();
              })
        .unwrap();
}

QFuture<WeatherCache::LocationResult> WeatherCache::locationFor(const GridCell &cell)
{
    const qint64 now = m_clock();
    const qint64 ttl = m_options.locationTtlSeconds * 1000;
    if (const auto it = m_locations.constFind(cell);
        it != m_locations.constEnd() && now - it->fetchedAtMs < ttl)
        return QtFuture::makeReadyFuture(LocationResult{true, it->location, {}});
    if (m_store) {
        if (const auto stored = m_store->find(cell.sizeMetres, cell.row, cell.column);
            stored && now - stored->fetchedAtMs < ttl) {
            const WeatherLocation location{stored->key,      stored->name,     stored->country,
                                           stored->timeZone, stored->latitude, stored->longitude};
            m_locations.insert(cell, LocationEntry{location, stored->fetchedAtMs});
            m_locationOrder.append(cell);
            return QtFuture::makeReadyFuture(LocationResult{true, location, {}});
        }
    }
    if (const auto flight = m_locationFlights.constFind(cell);
        flight != m_locationFlights.constEnd()) {
        ++m_stats.joinedFlights;
        return (*flight)->join();
    }
    // Registered before the call: a call refused at once (budget, quota) completes inside
    // geoposition(), and must not leave a finished flight behind for later callers to join.
    auto flight = std::make_shared<Flight<LocationResult>>();
    m_locationFlights.insert(cell, flight);
    QFuture<LocationResult> future = flight->join();
    const QString fleetKey =
        u"location|%1|%2|%3"_s.arg(cell.sizeMetres).arg(cell.row).arg(cell.column);
    upstream(
        fleetKey, ttl,
        [this, cell] { return m_client.geoposition(cell.centreLatitude, cell.centreLongitude); })
        .then(this,
              [this, cell](const UpstreamResult &reply) {
                  if (!reply.ok)
                      return LocationResult{false, {}, reply.error};
                  const QJsonObject object = reply.document.object();
                  const QJsonObject position = object.value(u"GeoPosition").toObject();
                  WeatherLocation location{
                      object.value(u"Key").toString(),
                      object.value(u"LocalizedName").toString(),
                      object.value(u"Country").toObject().value(u"ID").toString(),
                      object.value(u"TimeZone").toObject().value(u"Name").toString(),
                      position.value(u"Latitude").toDouble(cell.centreLatitude),
                      position.value(u"Longitude").toDouble(cell.centreLongitude),
                  };
                  const qint64 now = m_clock();
                  m_locations.insert(cell, LocationEntry{location, now});
                  m_locationOrder.append(cell);
                  // Forget the oldest cells beyond the bound; the store still has them.
                  while (m_locations.size() > m_options.maxLocations
                         && m_locationOrderStart < m_locationOrder.size())
                      m_locations.remove(m_locationOrder.at(m_locationOrderStart++));
                  if (m_locationOrderStart > m_locationOrder.size() / 2) {
                      m_locationOrder.remove(0, m_locationOrderStart);
                      m_locationOrderStart = 0;
                  }
                  if (m_store)
                      m_store->save(cell.sizeMetres, cell.row, cell.column,
                                    StoredLocation{location.key, location.name, location.country,
                                                   location.timeZone, location.latitude,
                                                   location.longitude, now});
                  return LocationResult{true, location, {}};
              })
        .then(this, [this, cell, flight](const LocationResult &result) {
            m_locationFlights.remove(cell);
            flight->finish(result);
        });
    return future;
}

WeatherCache::Entry *WeatherCache::findEntry(const QString &entryKey)
{
    const auto it = m_entries.constFind(entryKey);
    if (it == m_entries.constEnd())
        return nullptr;
    m_lru.splice(m_lru.begin(), m_lru, *it);
    return &**it;
}

Eventual<WeatherAnswer> WeatherCache::documentFor(const WeatherLocation &location,
                                                  const GridCell &cell, const WeatherQuery &query)
{
    const QString entryKey = entryKeyFor(location.key, query);
    const qint64 now = m_clock();
    if (Entry *entry = findEntry(entryKey)) {
        if (now < entry->expiresAtMs) {
            ++m_stats.hits;
            return answerFrom(*entry, location, cell, CacheOutcome::Hit);
        }
        if (now - entry->fetchedAtMs <= m_options.maxStaleSeconds * 1000) {
            // Serve what we have now; at most one refresh runs, and not in a tight loop
            // while the upstream is failing.
            ++m_stats.stale;
            WeatherAnswer answer = answerFrom(*entry, location, cell, CacheOutcome::Stale);
            if (now >= entry->refreshBlockedUntilMs)
                fetch(entryKey, location, query);
            return answer;
        }
    }
    ++m_stats.misses;
    return fetch(entryKey, location, query)
        .then(this, [this, entryKey, location, cell](const UpstreamResult &result) {
            if (Entry *entry = findEntry(entryKey); entry && result.ok)
                return answerFrom(*entry, location, cell, CacheOutcome::Miss);
            ++m_stats.errors;
            return failed(
                result.ok ? UpstreamError{UpstreamError::Kind::BadResponse, u"answer was evicted"_s}
                          : result.error,
                cell);
        });
}

QFuture<UpstreamResult> WeatherCache::fetch(const QString &entryKey,
                                            const WeatherLocation &location,
                                            const WeatherQuery &query)
{
    if (const auto flight = m_flights.constFind(entryKey); flight != m_flights.constEnd()) {
        ++m_stats.joinedFlights;
        return (*flight)->join();
    }
    auto flight = std::make_shared<Flight<UpstreamResult>>();
    m_flights.insert(entryKey, flight);
    QFuture<UpstreamResult> future = flight->join();
    const WeatherProduct product = query.product;
    QFuture<UpstreamResult> call = upstream(entryKey, ttlMs(product), [this, location, query] {
        switch (query.product) {
        case WeatherProduct::Daily:
            return m_client.dailyForecast(location.key, query.metric, query.language);
        case WeatherProduct::Hourly:
            return m_client.hourlyForecast(location.key, query.metric, query.language);
        case WeatherProduct::Current:
            break;
        }
        return m_client.currentConditions(location.key, query.language);
    });
    call.then(this, [this, entryKey, product, flight](const UpstreamResult &result) {
        m_flights.remove(entryKey);
        store(entryKey, result, product);
        flight->finish(result);
    });
    return future;
}

QFuture<UpstreamResult> WeatherCache::upstream(const QString &key, qint64 ttlMs,
                                               const std::function<QFuture<UpstreamResult>()> &call)
{
    return m_fleet ? m_fleet->fetch(key, ttlMs, call) : call();
}

void WeatherCache::store(const QString &entryKey, const UpstreamResult &result,
                         WeatherProduct product)
{
    const qint64 now = m_clock();
    if (!result.ok) {
        if (Entry *entry = findEntry(entryKey)) {
            entry->lastRefreshFailed = true;
            entry->refreshBlockedUntilMs = now + m_options.refreshRetrySeconds * 1000;
        }
        return;
    }
    qint64 expires = now + ttlMs(product);
    // Honour the upstream's Expires when it is sooner (but never in the past). An HTTP date
    // has whole seconds, so the same lifetime as our TTL reads up to 999 ms shorter: taking it
    // would refetch an entry a moment before its TTL ends. Only a whole second shorter counts.
    if (result.expiresAtMs && *result.expiresAtMs > now && *result.expiresAtMs <= expires - 1000)
        expires = *result.expiresAtMs;
    // A copy from the fleet is as old as its first fetch, not as this moment.
    const qint64 fetchedAt = result.fetchedAtMs.value_or(now);
    if (Entry *entry = findEntry(entryKey)) {
        *entry = Entry{entryKey, result.document, fetchedAt, expires, 0, false};
        return;
    }
    m_lru.push_front(Entry{entryKey, result.document, fetchedAt, expires, 0, false});
    m_entries.insert(entryKey, m_lru.begin());
    while (m_entries.size() > m_options.maxEntries && !m_lru.empty()) {
        m_entries.remove(m_lru.back().key);
        m_lru.pop_back();
        ++m_stats.evictions;
    }
}

WeatherAnswer WeatherCache::answerFrom(const Entry &entry, const WeatherLocation &location,
                                       const GridCell &cell, CacheOutcome outcome) const
{
    const qint64 now = m_clock();
    WeatherAnswer answer;
    answer.ok = true;
    answer.document = entry.document;
    answer.location = location;
    answer.cell = cell;
    answer.outcome = outcome;
    answer.fetchedAtMs = entry.fetchedAtMs;
    answer.ageSeconds = qMax<qint64>(0, (now - entry.fetchedAtMs) / 1000);
    answer.freshSeconds = qMax<qint64>(0, (entry.expiresAtMs - now) / 1000);
    answer.revalidationFailed = outcome == CacheOutcome::Stale && entry.lastRefreshFailed;
    return answer;
}

WeatherAnswer WeatherCache::failed(const UpstreamError &error, const GridCell &cell) const
{
    WeatherAnswer answer;
    answer.cell = cell;
    answer.error = error;
    if (error.kind == UpstreamError::Kind::QuotaExceeded) {
        const qint64 blockedUntil = m_client.stats().quotaBlockedUntilMs;
        answer.retryAfterSeconds = qMax<qint64>(1, (blockedUntil - m_clock() + 999) / 1000);
    } else if (error.kind == UpstreamError::Kind::BudgetSpent) {
        // The client's daily budget renews at midnight UTC.
        const qint64 now = m_clock();
        answer.retryAfterSeconds =
            qMax<qint64>(1, ((now / kDayMs + 1) * kDayMs - now + 999) / 1000);
    }
    return answer;
}

WeatherCache::Stats WeatherCache::stats() const
{
    Stats stats = m_stats;
    stats.entries = int(m_entries.size());
    stats.locations = int(m_locations.size());
    return stats;
}

void WeatherCache::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.single(prometheus::kWeatherCacheHits, "counter", "Weather lookups answered fresh.",
               double(now.hits));
    out.single(prometheus::kWeatherCacheMisses, "counter",
               "Weather lookups that had to call upstream.", double(now.misses));
    out.single(prometheus::kWeatherCacheStale, "counter",
               "Weather lookups answered with an expired document.", double(now.stale));
    out.single(prometheus::kWeatherCacheEvictions, "counter",
               "Weather documents dropped to make room.", double(now.evictions));
    out.single(prometheus::kWeatherCacheEntries, "gauge", "Weather documents held in memory.",
               now.entries);
}

} // namespace isobar
