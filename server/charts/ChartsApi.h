#pragma once

#include "ChartBody.h"
#include "RenderQueue.h"
#include "http/Router.h"

#include <QDate>
#include <functional>

namespace isobar {

class PrometheusText;

class QueryRunner;
class RenderQueue;
class ResponseCache;

// POST /api/charts/v2 (the image) and /api/charts/v3 (SVG inside JSON, with alt text and the
// Plotly figure), as UKHSA's dashboard answers them (ChartBody reads the body). Each request
// goes: byte cache (HTTP thread) -> body checks and store read (query pool) -> draw
// (RenderQueue, GUI thread) -> cache. Nothing on the HTTP thread waits for the others.
class ChartsApi
{
public:
    using Today = std::function<QDate()>;

    ChartsApi(QueryRunner &runner, RenderQueue &renders, ResponseCache *cache, Today today = {});

    void registerRoutes(Router &router);
    // Its families of /metrics: charts drawn and waiting, answers from the byte cache.
    void writePrometheus(PrometheusText &out) const;

private:
    QFuture<HttpResponse> chart(const HttpRequest &request, ChartBody::Version version);
    HttpResponse answer(const ChartBody::Chart &chart, const ChartDataset &data,
                        const RenderedChart &rendered, ChartBody::Version version) const;

    QueryRunner &m_runner;
    RenderQueue &m_renders;
    ResponseCache *m_cache;
    Today m_today;
};

} // namespace isobar
