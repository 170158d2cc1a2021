#pragma once

#include "ApiError.h"
#include "http/HttpResponse.h"

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent>
#include <atomic>
#include <functional>

namespace isobar {

class MetricsQuery;

// Runs store reads off the event loop, on a bounded pool whose threads each keep their own
// read-only connection. Beyond `maxQueued` waiting queries, callers get 503 at once.
class QueryRunner
{
public:
    using Work = std::function<HttpResponse(MetricsQuery &)>;

    QueryRunner(QString databasePath, int threads, int maxQueued);
    ~QueryRunner();

    QFuture<HttpResponse> run(Work work);
    int inFlight() const { return m_inFlight.load(); }

private:
    QString m_databasePath;
    int m_maxQueued;
    QThreadPool m_pool;
    std::atomic_int m_inFlight{0};
};

} // namespace isobar
