#pragma once

#include "MetricsQuery.h"
#include "UkhsaChartFields.h"
#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

#include <variant>

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
        QString label;  // the segment's, else its value
        QString colour; // the segment's, a UKHSA colour name
        PointSelection selection;
    };
    // Which serializer reads the body: the table's and the chart's take a chart's fields.
    enum class Route { Table, Download, Chart };
    struct Request {
        UkhsaChartFields chart; // Table and Chart
        bool headline = false;
        QString xAxis;
        QString secondaryCategory;
        QStringList segmentValues; // as sent, in order: the CSV's columns
        QString fileFormat;        // downloads: json | csv
        QList<Plot> plots;         // per primary value, per segment
    };

    // A body as the route's serializer reads it, then UKHSA's rules; or UKHSA's answer.
    static std::variant<Request, HttpResponse> read(MetricsQuery &store, const QJsonObject &body,
                                                    Route route, QDate today, int maxPlots);
    const Limits &limits() const { return m_limits; }

private:
    QFuture<HttpResponse> answer(const HttpRequest &request, bool table) const;
    HttpResponse table(MetricsQuery &store, const Request &request) const;
    HttpResponse download(MetricsQuery &store, const Request &request) const;

    QueryRunner &m_runner;
    Limits m_limits;
    ResponseCache *m_cache;
};

} // namespace isobar
