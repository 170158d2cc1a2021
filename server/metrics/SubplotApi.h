#pragma once

#include "MetricsQuery.h"
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
    };
    struct Group {
        QString reference; // the plots' value on the x axis, as sent
        QList<GroupPlot> plots;
    };
    struct Request {
        QString xAxis;
        QString fileFormat;
        QStringList subplotTitles;
        QList<Group> groups;
        QList<std::pair<double, double>> valueRanges; // kept: inside any, bounds included
    };

private:
    QFuture<HttpResponse> answer(const HttpRequest &request, bool table) const;
    HttpResponse table(MetricsQuery &store, const Request &request) const;
    HttpResponse download(MetricsQuery &store, const Request &request) const;
    // A plot's points inside the value ranges, or the answer to too many points.
    std::variant<QList<PublicPoint>, HttpResponse> points(MetricsQuery &store,
                                                          const Request &request,
                                                          const PointSelection &selection,
                                                          int index) const;

    QueryRunner &m_runner;
    Limits m_limits;
    ResponseCache *m_cache;
};

} // namespace isobar
