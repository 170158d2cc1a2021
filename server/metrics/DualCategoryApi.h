#pragma once

#include "MetricsQuery.h"
#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

namespace isobar {

// UKHSA's dual-category tables and downloads: POST /api/tables/dual-category/v1 and
// /api/downloads/dual-category/v1. A request names one series' fields once (static_fields) and
// a second category split into segments (ages, sexes); a headline metric is split on the x
// axis too (primary_field_values). Tables give a row per x-axis value with a value per segment;
// downloads give the same rows as records, a column per segment. Bodies are checked as UKHSA's
// serializers check them.
class DualCategoryApi
{
public:
    struct Limits {
        int maxPlots = 10;               // primary values x segments (UKHSA has no limit)
        int maxRowsPerRequest = 200'000; // points per plot
    };
    DualCategoryApi(QueryRunner &runner, Limits limits, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

    struct Plot {
        QString label; // the segment's, else its value
        PointSelection selection;
    };
    struct Request {
        bool headline = false;
        QString xAxis;
        QString secondaryCategory;
        QStringList segmentValues; // as sent, in order: the CSV's columns
        QString fileFormat;        // downloads: json | csv
        QList<Plot> plots;         // per primary value, per segment
    };

private:
    QFuture<HttpResponse> answer(const HttpRequest &request, bool table) const;
    HttpResponse table(MetricsQuery &store, const Request &request) const;
    HttpResponse download(MetricsQuery &store, const Request &request) const;

    QueryRunner &m_runner;
    Limits m_limits;
    ResponseCache *m_cache;
};

} // namespace isobar
