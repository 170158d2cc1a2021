#pragma once

#include "GeographyRelationships.h"
#include "MetricsQuery.h"
#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

namespace isobar {

// UKHSA's geographies routes, as UKHSA answers them: GET /api/geographies/v2/{topic} (the
// geographies with public time series of a topic) and GET /api/geographies/v3 (by topic, or
// every geography of a type), grouped by type, each with the geographies it sits within
// (GeographyRelationships).
class GeographiesApi
{
public:
    GeographiesApi(QueryRunner &runner, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

private:
    QFuture<HttpResponse> byTopic(const QString &topic) const;
    QFuture<HttpResponse> v3(const HttpRequest &request) const;
    // The "relationships" of a geography: JSON, "null" for a type UKHSA relates to nothing.
    QByteArray relationships(const GeographyName &geography) const;
    QByteArray groups(const QList<GeographyName> &geographies) const;

    QueryRunner &m_runner;
    ResponseCache *m_cache;
    GeographyRelationships m_relationships;
};

} // namespace isobar
