#include "ResponseCache.h"

#include <QDate>

namespace isobar {

ResponseCache::ResponseCache(Limits limits)
    : m_limits(limits)
{}

std::optional<HttpResponse> ResponseCache::find(const QByteArray &key)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_index.constFind(key);
    if (it == m_index.constEnd()) {
        ++m_stats.misses;
        return std::nullopt;
    }
    m_lru.splice(m_lru.begin(), m_lru, *it);
    ++m_stats.hits;
    return (*it)->response;
}

void ResponseCache::insert(const QByteArray &key, const HttpResponse &response,
                           qint64 askedAtVersion)
{
    const qint64 bytes = key.size() + response.body.size() + 256;
    if (m_limits.maxEntries <= 0 || bytes > m_limits.maxBytes)
        return;
    QMutexLocker lock(&m_mutex);
    if (askedAtVersion != m_dataVersion)
        return;
    if (const auto it = m_index.constFind(key); it != m_index.constEnd()) {
        m_stats.bytes -= (*it)->bytes;
        m_lru.erase(*it);
        m_index.erase(it);
    }
    m_lru.push_front(Entry{key, response, bytes});
    m_index.insert(key, m_lru.begin());
    m_stats.bytes += bytes;
    evictWhileOver();
}

void ResponseCache::evictWhileOver()
{
    while (!m_lru.empty()
           && (m_index.size() > m_limits.maxEntries || m_stats.bytes > m_limits.maxBytes)) {
        const Entry &oldest = m_lru.back();
        m_stats.bytes -= oldest.bytes;
        m_index.remove(oldest.key);
        m_lru.pop_back();
        ++m_stats.evictions;
    }
}

void ResponseCache::setDataVersion(qint64 dataVersion)
{
    QMutexLocker lock(&m_mutex);
    if (dataVersion == m_dataVersion)
        return;
    m_dataVersion = dataVersion;
    m_lru.clear();
    m_index.clear();
    m_stats.bytes = 0;
}

qint64 ResponseCache::dataVersion() const
{
    QMutexLocker lock(&m_mutex);
    return m_dataVersion;
}

ResponseCache::Stats ResponseCache::stats() const
{
    QMutexLocker lock(&m_mutex);
    Stats stats = m_stats;
    stats.entries = int(m_index.size());
    return stats;
}

RouteHandler cachedRoute(ResponseCache *cache, RouteHandler handler)
{
    if (!cache)
        return handler;
    return [cache, handler](const HttpRequest &request, const RouteParams &params) {
        // Links in answers carry the scheme and host the client used (a trusted proxy's
        // X-Forwarded-Proto and -Host, else the Host header), and default date ranges depend on
        // today.
        const QByteArray key =
            request.method + ' ' + request.scheme + ' '
            + (request.host.isEmpty() ? request.header("host") : request.host) + request.target
            + '\n' + QDate::currentDate().toString(Qt::ISODate).toLatin1() + '\n' + request.body;
        if (auto hit = cache->find(key))
            return readyResponse(std::move(*hit));
        const qint64 version = cache->dataVersion();
        return handler(request, params).then([cache, key, version](HttpResponse response) {
            if (response.status == 200)
                cache->insert(key, response, version);
            return response;
        });
    };
}

} // namespace isobar
