#pragma once

#include "UkhsaPlots.h"
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
        int maxPlots = 10; // per table or download (UKHSA has no limit)
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

    // Checks a tables or downloads body as UKHSA does, then answers it on the query pool.
    using PlotsAnswer = std::function<HttpResponse(MetricsQuery &, const UkhsaPlots::Request &)>;
    QFuture<HttpResponse> withPlots(const HttpRequest &request, UkhsaPlots::Route route,
                                    PlotsAnswer answer);
    HttpResponse timeseriesTable(MetricsQuery &store, const UkhsaPlots::Request &request) const;
    static HttpResponse headlineTable(MetricsQuery &store, const UkhsaPlots::Request &request);

    QueryRunner &m_runner;
    Options m_options;
    ResponseCache *m_cache;
};

} // namespace isobar
