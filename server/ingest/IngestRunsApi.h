#pragma once

#include "http/Router.h"

#include <QJsonObject>
#include <functional>

namespace isobar {

class QueryRunner;

// GET /api/v1/ingest/runs: what became of the files taken from the drop-off, newest first, for
// the whole fleet (the store's record), with this replica's view of its drop-off.
class IngestRunsApi
{
public:
    static constexpr int kDefaultLimit = 100;
    static constexpr int kMaxLimit = 1000;
    // This replica's drop-off as /health shows it ({"status": "off"} without one).
    using DropoffHealth = std::function<QJsonObject()>;

    IngestRunsApi(QueryRunner &runner, DropoffHealth dropoff);
    void registerRoutes(Router &router);

private:
    QFuture<HttpResponse> runs(const HttpRequest &request);

    QueryRunner &m_runner;
    DropoffHealth m_dropoff;
};

} // namespace isobar
