#pragma once

#include "http/HttpResponse.h"
#include "http/Router.h"
#include "http/SharedAnswers.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <list>
#include <optional>

namespace isobar {

class PrometheusText;

// Answers already computed for the current data version, least recently used out first.
// Bounded by entries and bytes; cleared whenever the store's data version changes. Used from
// the event loop and from query threads, hence the mutex.
class ResponseCache
{
public:
    struct Limits {
        int maxEntries = 10'000;
        qint64 maxBytes = qint64{64} * 1024 * 1024;
        // Bodies this large or larger are also kept in a BodyFile, sent without a copy; each
        // file holds a descriptor, hence a bound of its own below the process's descriptors.
        qint64 bodyFileMinBytes = qint64{16} * 1024;
        int maxBodyFiles = 64;
    };
    struct Stats {
        qint64 hits = 0;
        qint64 misses = 0;
        qint64 evictions = 0;
        int entries = 0;
        int bodyFiles = 0;
        qint64 bytes = 0;
    };

    explicit ResponseCache(Limits limits);

    std::optional<HttpResponse> find(const QByteArray &key);
    // `askedAtVersion` is dataVersion() when the answer was started: an answer computed from
    // data that has changed since is not kept. A large body is kept in a BodyFile as well
    // (counted twice against maxBytes: the file's pages are the process's memory too).
    void insert(const QByteArray &key, const HttpResponse &response, qint64 askedAtVersion);
    qint64 dataVersion() const;
    // The caches' families of /metrics, a sample per cache by its name: what each holds, and
    // what it evicted (a cache too small for what is asked evicts and computes again).
    static void writePrometheus(PrometheusText &out,
                                const QList<std::pair<QString, const ResponseCache *>> &caches);
    // Drops everything when `dataVersion` differs from the version the entries were made for.
    void setDataVersion(qint64 dataVersion);
    Stats stats() const;

private:
    struct Entry {
        QByteArray key;
        HttpResponse response;
        qint64 bytes;
    };
    void erase(std::list<Entry>::iterator entry);
    void evictWhileOver();

    Limits m_limits;
    mutable QMutex m_mutex;
    std::list<Entry> m_lru; // front: most recently used
    QHash<QByteArray, std::list<Entry>::iterator> m_index;
    qint64 m_dataVersion = -1;
    Stats m_stats;
};

// The answer to the request `key` names: `cache`'s copy when it has one, else `compute`'s,
// shared with the identical requests in flight (`shared`) and, a 200, kept in `cache` until the
// data version changes. Without a cache, shared only.
Eventual<HttpResponse> cachedAnswer(ResponseCache *cache, SharedAnswers &shared,
                                    const QByteArray &key, const SharedAnswers::Compute &compute);

// `handler` behind `cache` (none: the handler alone), keyed by the whole request: a repeated
// request is answered from the cache (cachedAnswer).
RouteHandler cachedRoute(ResponseCache *cache, RouteHandler handler);

} // namespace isobar
