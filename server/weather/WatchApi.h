#pragma once

#include "WeatherCache.h"
#include "http/Router.h"

#include <functional>
#include <memory>

namespace isobar {

// The weather routes for watches: the Meteo French compatible API that deployed watches call
// (GET /, /prcpt, /uvidx; same paths, parameters and success bodies) and the richer
// /api/v1/weather/* API for new watch software. Invalid input is refused before any upstream
// call; answers carry Cache-Control and Age consistent with the cache. GET / (the service's
// name and version) is left to UKHSA's public API when that is mounted at the root.
class WatchApi
{
public:
    explicit WatchApi(WeatherCache &cache, bool serveRoot = true);
    void registerRoutes(Router &router);

private:
    Eventual<HttpResponse> compatibility(const HttpRequest &request, bool uvIndex);
    Eventual<HttpResponse> current(const HttpRequest &request);
    Eventual<HttpResponse> forecast(const HttpRequest &request, WeatherProduct product);

    WeatherCache &m_cache;
    bool m_serveRoot;
    // The compatibility bodies of the documents served lately: a city's watches ask for one
    // document many times between two refreshes, and reading it out of its JSON cost more than
    // the rest of the answer. Shared with the answers still waiting for the upstream, which
    // may outlive this object when the server stops.
    class CompatibilityBodies;
    std::shared_ptr<CompatibilityBodies> m_compatibilityBodies;
};

} // namespace isobar
