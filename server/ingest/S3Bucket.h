#pragma once

#include "S3Access.h"

#include <QIODevice>
#include <QList>
#include <atomic>
#include <functional>

typedef void CURL; // NOLINT(modernize-use-using): curl.h declares it so

namespace isobar {

// The two S3 calls a drop-off needs, ListObjectsV2 and GetObject, made with libcurl, whose
// AWS Signature Version 4 (CURLOPT_AWS_SIGV4) signs them: Amazon S3 refuses version 2 for
// buckets made since 2020, and libs3 (Debian's) signs version 2 only. Calls block, so they run
// on the drop-off's own thread, with deadlines; an error names the call and S3's error code and
// message, never a credential.
class S3Bucket
{
public:
    struct Object {
        QString key;
        QString etag;
        qint64 bytes = 0;
        qint64 lastModifiedMs = 0;
    };
    struct Limits {
        int connectTimeoutMs = 10'000;
        int listTimeoutMs = 60'000;    // one page of a listing
        int stalledTimeoutMs = 30'000; // a download that moved no byte for this long
        int maxListed = 100'000;       // objects under the prefix that are looked at
    };

    // `cancel` (may be null) stops any call at once.
    S3Bucket(S3Access access, Limits limits, const std::atomic_bool *cancel = nullptr);
    ~S3Bucket();
    S3Bucket(const S3Bucket &) = delete;
    S3Bucket &operator=(const S3Bucket &) = delete;

    const S3Access &access() const { return m_access; }
    // Every object under the prefix (up to maxListed), in key order.
    bool list(QList<Object> *objects, QString *error);
    // The object's bytes into `into`; refused beyond `maxBytes`.
    bool download(const QString &key, QIODevice &into, qint64 maxBytes, QString *error);

private:
    using Sink = std::function<bool(const char *data, size_t size)>; // false: stop
    // One signed GET; the body goes to `sink` when the answer is 2xx, else it becomes the error.
    bool get(const QByteArray &url, int timeoutMs, const Sink &sink, QString *error);

    S3Access m_access;
    Limits m_limits;
    const std::atomic_bool *m_cancel;
    CURL *m_curl = nullptr; // kept between calls: its connections are reused
};

} // namespace isobar
