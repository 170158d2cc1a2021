#pragma once

#include "GeographyRelationships.h"
#include "UkhsaMaps.h"
#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

namespace isobar {

// UKHSA's POST /api/maps/v1, as UKHSA answers it: for each geography asked for (or every one of
// the type, by name), its newest public released value between the two dates, with the
// accompanying points read at the geography named, the same one, or the area it sits within
// (GeographyRelationships).
class MapsApi
{
public:
    // `maxReads` bounds the values one map reads (a geography's and each accompanying point's).
    MapsApi(QueryRunner &runner, int maxReads, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

private:
    QFuture<HttpResponse> map(const HttpRequest &request) const;
    HttpResponse answer(MetricsQuery &store, const UkhsaMaps::Request &request) const;
    // The accompanying points' values at a geography that has one, as JSON.
    QByteArray accompanyingPoints(MetricsQuery &store, const UkhsaMaps::Request &request,
                                  const QString &geography) const;
    // Where a point is read for `geography`: nullopt when UKHSA leaves the point out. A null
    // name (an area the lookups do not know) filters on no geography, as UKHSA's query does.
    std::optional<QString> pointGeography(MetricsQuery &store, const UkhsaMaps::Request &request,
                                          const UkhsaMaps::AccompanyingPoint &point,
                                          const QString &geography) const;

    QueryRunner &m_runner;
    int m_maxReads;
    ResponseCache *m_cache;
    GeographyRelationships m_relationships;
};

} // namespace isobar
