#pragma once

#include "http/Router.h"

#include <QDate>
#include <functional>

namespace isobar {

class PrometheusText;

class QueryRunner;
class RenderQueue;
class ResponseCache;

// POST /api/charts/v2 (the image) and /api/charts/v3 (SVG inside JSON, with alt text and the
// plotted data), compatible with the UKHSA dashboard's charts API. Each request goes: parse and
// check (HTTP thread) -> byte cache -> store read (query pool) -> draw (RenderQueue, GUI thread)
// -> cache. Nothing on the HTTP thread waits for the others.
class ChartsApi
{
public:
    using Today = std::function<QDate()>;

    ChartsApi(QueryRunner &runner, RenderQueue &renders, ResponseCache *cache, Today today = {});

    void registerRoutes(Router &router);
    // Its families of /metrics: charts drawn and waiting, answers from the byte cache.
    void writePrometheus(PrometheusText &out) const;

private:
    enum class Version { V2, V3 };
    QFuture<HttpResponse> chart(const HttpRequest &request, Version version);

    QueryRunner &m_runner;
    RenderQueue &m_renders;
    ResponseCache *m_cache;
    Today m_today;
};

} // namespace isobar
