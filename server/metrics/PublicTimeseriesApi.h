#pragma once

#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

namespace isobar {

// UKHSA's public API, as UKHSA serves it: the hyperlinked drill-down theme > sub-theme >
// topic > geography type > geography > metric > paginated time series, in two trees (v1, and
// v2/ which writes spaces in names as '+'), under one mount ("/api/public/timeseries/" by
// default; "/" for a deployment that serves this API alone, as UKHSA's public mode does).
// Shapes, slashes, links, filters, pagination and errors are UKHSA's, byte for byte.
class PublicTimeseriesApi
{
public:
    static constexpr const char *kDefaultMount = "/api/public/timeseries/";

    // `mount` starts and ends with '/' (checkMount). `cache` (optional) keeps successful answers
    // until the data version changes.
    PublicTimeseriesApi(QueryRunner &runner, QString mount, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

    // Why `mount` cannot be a mount point, or an empty string when it can.
    static QString checkMount(const QString &mount);

private:
    QFuture<HttpResponse> timeseries(bool v2, const HttpRequest &request,
                                     const RouteParams &params);

    QueryRunner &m_runner;
    QString m_mount;
    ResponseCache *m_cache;
};

} // namespace isobar
