#include "ResponseCache.h"

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

} // namespace isobar
