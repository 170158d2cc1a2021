#pragma once

#include "http/ApiError.h"
#include "http/Router.h"

#include <QObject>
#include <QThreadPool>
#include <atomic>
#include <functional>

namespace isobar {

class PrometheusText;

// PUT /api/upload/: one CSV or JSON file, as the raw body or as the file part of a
// multipart/form-data body, loaded by the same Ingestor as `isobar ingest` (same validation,
// one all-or-nothing transaction, same report, as JSON). Uploads run one at a time on their
// own thread with their own write connection, never on the event loop; at most `maxQueued`
// wait, further ones get 503.
class UploadApi
{
public:
    struct Options {
        bool enabled = false;
        int maxQueued = 4;
    };
    // Told after an upload changed the store, so caches keyed on the data version move on.
    // It runs on the thread that made this object, never on the upload's.
    using Changed = std::function<void()>;

    UploadApi(QString databasePath, Options options, Changed changed);
    ~UploadApi();

    void registerRoutes(Router &router);

    struct Stats {
        qint64 filesOk = 0;
        qint64 filesFailed = 0;
        qint64 pointsInserted = 0;
        qint64 pointsUpdated = 0;
    };
    Stats stats() const;
    // Its families of /metrics: files by outcome, points by change.
    void writePrometheus(PrometheusText &out) const;

    struct Upload {
        QString fileName;
        QByteArray content;
    };
    // The file in a request, or the 400 naming what is wrong with it: the file, or the
    // ?filename= that named it.
    static Upload extract(const HttpRequest &request, ApiError *error);

private:
    QFuture<HttpResponse> upload(const HttpRequest &request);

    QString m_databasePath;
    Options m_options;
    Changed m_changed;
    // Lives on the thread that made this object (the server's): `changed` runs there, beside
    // the server's other uses of its connection, never on another thread at the same time.
    QObject m_home;
    QThreadPool m_pool;
    std::atomic_int m_pending{0};
    std::atomic<qint64> m_filesOk{0}, m_filesFailed{0}, m_pointsInserted{0}, m_pointsUpdated{0};
};

} // namespace isobar
