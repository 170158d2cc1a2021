#pragma once

#include "api/QueryRunner.h"
#include "api/RequestParsing.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

namespace isobar {

// The UKHSA data-dashboard compatible API: headlines, trends, tables and downloads, and
// Isobar's flattened catalogue (the public drill-down is PublicTimeseriesApi). One method per
// endpoint; parameters are checked on the event loop, store reads run on the QueryRunner.
class MetricsApi
{
public:
    struct Options {
        PlotLimits plots;
        int maxRowsPerRequest = 200'000;
    };

    // `cache` (optional) keeps successful answers until the data version changes.
    MetricsApi(QueryRunner &runner, Options options, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

private:
    // The drill-down flattened: one answer instead of a request per level and parent.
    QFuture<HttpResponse> catalogue(const HttpRequest &request);
    QFuture<HttpResponse> headline(const HttpRequest &request);
    QFuture<HttpResponse> trend(const HttpRequest &request);
    QFuture<HttpResponse> table(const HttpRequest &request);
    QFuture<HttpResponse> download(const HttpRequest &request);

    // Serves repeated requests from the cache; everything else goes to `handler`.
    RouteHandler cached(RouteHandler handler);
    QList<PublicPoint> plotPoints(MetricsQuery &query, const PlotRequest &plot, int index) const;

    QueryRunner &m_runner;
    Options m_options;
    ResponseCache *m_cache;
};

} // namespace isobar
