#pragma once

#include "MetricsQuery.h"
#include "UkhsaChartFields.h"
#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

#include <QJsonObject>

namespace isobar {

// UKHSA's subplot tables and downloads: POST /api/tables/subplot/v1 and
// /api/downloads/subplot/v1. A subplot request names one metric per subplot ("6-in-1 at 12
// months") and the same plots in each (England, a region, an authority); its rows are grouped by
// the x axis' value of the plots (a geography), one value per subplot. Bodies are checked as
// UKHSA's serializers check them, errors nested as DRF nests them.
class SubplotApi
{
public:
    struct Limits {
        int maxPlots = 10;               // subplots x plots (UKHSA has no limit)
        int maxRowsPerRequest = 200'000; // points per plot
    };
    SubplotApi(QueryRunner &runner, Limits limits, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

    // One group of the request: a plot per subplot that has one with the group's value.
    struct GroupPlot {
        QString subplotTitle;
        PointSelection selection;
        QString colour; // line_colour as sent (UKHSA's chart draws an unknown name dark blue)
    };
    struct Group {
        QString reference; // the plots' value on the x axis, as sent
        QList<GroupPlot> plots;
    };
    struct Request {
        UkhsaChartFields chart; // the serializer's chart fields (the chart route draws them)
        QString xAxis;
        QString fileFormat;
        QStringList subplotTitles;
        QList<Group> groups;
        QList<std::pair<double, double>> valueRanges; // kept: inside any, bounds included
    };

    // A body as UKHSA's subplot serializer reads it, or its answer (400 and DRF's errors).
    using Checked = std::variant<Request, HttpResponse>;
    static Checked read(const QJsonObject &body, int maxPlots);
    // A plot's points inside the value ranges, or the answer to more than `maxRows`.
    static std::variant<QList<PublicPoint>, HttpResponse> points(MetricsQuery &store,
                                                                 const Request &request,
                                                                 const PointSelection &selection,
                                                                 int index, int maxRows);

private:
    QFuture<HttpResponse> answer(const HttpRequest &request, bool table) const;
    HttpResponse table(MetricsQuery &store, const Request &request) const;
    HttpResponse download(MetricsQuery &store, const Request &request) const;

    QueryRunner &m_runner;
    Limits m_limits;
    ResponseCache *m_cache;
};

} // namespace isobar
