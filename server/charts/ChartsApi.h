#pragma once

#include "ChartBody.h"
#include "RenderQueue.h"
#include "http/Router.h"
#include "http/SharedAnswers.h"

#include <QDate>
#include <functional>
#include <variant>

namespace isobar {

class PrometheusText;

class QueryRunner;
class ResponseCache;

// UKHSA's chart routes, answered as its dashboard answers them: POST /api/charts/v2 (the image),
// /api/charts/v3 (SVG inside JSON, with alt text and the Plotly figure; ChartBody reads both
// bodies), /api/charts/dual-category/v1 (stacked bars per segment) and /api/charts/subplot/v1
// (grouped bars, a column per subplot), these two as JSON like v3, or the image with
// ?preview=true. Each request goes: byte cache (HTTP thread) -> body checks and store read
// (query pool) -> draw (RenderQueue, GUI thread) -> cache. Nothing on the HTTP thread waits for
// the others.
class ChartsApi
{
public:
    using Today = std::function<QDate()>;
    struct Limits {
        int maxPlots =
            10; // a dual-category chart's primary values x segments, a subplot chart's plots
        int maxRowsPerRequest = 200'000; // points per plot
    };

    ChartsApi(QueryRunner &runner, RenderQueue &renders, ResponseCache *cache, Limits limits,
              Today today = {});

    void registerRoutes(Router &router);
    // Its families of /metrics: charts drawn and waiting, answers from the byte cache.
    void writePrometheus(PrometheusText &out) const;

    // A chart ready to draw, and how it is answered: the image (typed image/<format> as UKHSA
    // types it) or UKHSA's JSON.
    struct Prepared {
        ChartRequest request;
        ChartDataset data;
        QString fileFormat;
        bool image = false;
    };
    using Prepare = std::function<std::variant<Prepared, HttpResponse>(
        MetricsQuery &store, const QJsonObject &body, QDate today)>;

private:
    Eventual<HttpResponse> serve(const HttpRequest &request, const QByteArray &route,
                                 Prepare prepare, std::optional<bool> image);
    // Reads and draws the chart `body` asks for (the answer not yet revalidated).
    QFuture<HttpResponse> draw(const QJsonObject &body, QDate today, const Prepare &prepare,
                               bool image);
    static HttpResponse answer(const Prepared &chart, const RenderedChart &rendered);

    QueryRunner &m_runner;
    RenderQueue &m_renders;
    ResponseCache *m_cache;
    SharedAnswers m_drawings; // by cache key: the charts being read and drawn now
    Limits m_limits;
    Today m_today;
};

} // namespace isobar
