#include "ResponseCache.h"

#include "DateParsing.h"
#include "Today.h"
#include "http/BodyFile.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

using namespace Qt::StringLiterals;

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
    qint64 bytes = key.size() + response.body.size() + 256;
    // Stale already (an ingest while it was computed): no file made for nothing. The check
    // under the lock below is the one that counts.
    if (m_limits.maxEntries <= 0 || bytes > m_limits.maxBytes || askedAtVersion != dataVersion())
        return;
    HttpResponse kept = response;
    const bool wantsFile = response.body.size() >= m_limits.bodyFileMinBytes
                           && bytes + response.body.size() <= m_limits.maxBytes;
    // Made outside the lock: it copies the body once into the file.
    if (wantsFile && m_limits.maxBodyFiles > 0)
        kept.bodyFile = BodyFile::create(response.body);
    QMutexLocker lock(&m_mutex);
    if (askedAtVersion != m_dataVersion)
        return;
    if (const auto it = m_index.constFind(key); it != m_index.constEnd())
        erase(*it);
    if (kept.bodyFile) {
        bytes += response.body.size();
        ++m_stats.bodyFiles;
    }
    m_lru.push_front(Entry{key, std::move(kept), bytes});
    m_index.insert(key, m_lru.begin());
    m_stats.bytes += bytes;
    evictWhileOver();
}

void ResponseCache::erase(std::list<Entry>::iterator entry)
{
    m_stats.bytes -= entry->bytes;
    if (entry->response.bodyFile)
        --m_stats.bodyFiles;
    m_index.remove(entry->key);
    m_lru.erase(entry);
}

void ResponseCache::evictWhileOver()
{
    // Past maxBodyFiles, the least recently used answers with a file keep their bytes only.
    for (auto it = m_lru.rbegin(); m_stats.bodyFiles > m_limits.maxBodyFiles && it != m_lru.rend();
         ++it) {
        if (!it->response.bodyFile)
            continue;
        it->response.bodyFile.reset(); // a connection sending it holds it until it is sent
        it->bytes -= it->response.body.size();
        m_stats.bytes -= it->response.body.size();
        --m_stats.bodyFiles;
    }
    while (!m_lru.empty()
           && (m_index.size() > m_limits.maxEntries || m_stats.bytes > m_limits.maxBytes)) {
        erase(std::prev(m_lru.end()));
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
    m_stats.bodyFiles = 0;
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

void ResponseCache::writePrometheus(PrometheusText &out,
                                    const QList<std::pair<QString, const ResponseCache *>> &caches)
{
    QList<std::pair<PrometheusText::Labels, Stats>> samples;
    for (const auto &[name, cache] : caches) {
        if (cache)
            samples.append({{{u"cache"_s, name}}, cache->stats()});
    }
    const auto family = [&](const char *metric, const char *type, const char *help,
                            double (*value)(const Stats &)) {
        out.family(metric, type, help);
        for (const auto &[labels, stats] : samples)
            out.sample(metric, labels, value(stats));
    };
    family(prometheus::kResponseCacheHits, "counter", "Requests answered from a cached answer.",
           [](const Stats &s) { return double(s.hits); });
    family(prometheus::kResponseCacheMisses, "counter", "Requests whose answer was not cached.",
           [](const Stats &s) { return double(s.misses); });
    family(prometheus::kResponseCacheEvictions, "counter",
           "Cached answers dropped to stay within the cache's bounds.",
           [](const Stats &s) { return double(s.evictions); });
    family(prometheus::kResponseCacheEntries, "gauge", "Answers cached.",
           [](const Stats &s) { return double(s.entries); });
    family(prometheus::kResponseCacheBytes, "gauge",
           "Bytes the cached answers take, their body files included.",
           [](const Stats &s) { return double(s.bytes); });
    family(prometheus::kResponseCacheBodyFiles, "gauge",
           "Cached answers also kept in a file sent without a copy.",
           [](const Stats &s) { return double(s.bodyFiles); });
}

Eventual<HttpResponse> cachedAnswer(ResponseCache *cache, SharedAnswers &shared,
                                    const QByteArray &key, const SharedAnswers::Compute &compute)
{
    if (!cache)
        return shared.answer(key, compute);
    if (auto hit = cache->find(key))
        return std::move(*hit);
    return shared.answer(key, [&] {
        // The version before the answer is computed: an ingest meanwhile makes it stale.
        const qint64 version = cache->dataVersion();
        return compute().then([cache, key, version](HttpResponse response) {
            if (response.status == 200)
                cache->insert(key, response, version);
            return response;
        });
    });
}

RouteHandler cachedRoute(ResponseCache *cache, RouteHandler handler)
{
    if (!cache)
        return handler;
    return [cache, handler, shared = std::make_shared<SharedAnswers>()](
               const HttpRequest &request, const RouteParams &params) -> Eventual<HttpResponse> {
        // Links in answers carry the scheme and host the client used (a trusted proxy's
        // X-Forwarded-Proto and -Host, else the Host header), and default date ranges depend on
        // today.
        const QByteArray key = request.method + ' ' + request.scheme + ' '
                               + (request.host.isEmpty() ? request.header("host") : request.host)
                               + request.target + '\n' + isoDateBytes(localToday()) + '\n'
                               + request.body;
        return cachedAnswer(cache, *shared, key, [&] { return handler(request, params); });
    };
}

} // namespace isobar
