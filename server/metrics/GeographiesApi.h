#pragma once

#include "MetricsQuery.h"
#include "api/QueryRunner.h"
#include "api/ResponseCache.h"
#include "http/Router.h"

#include <QHash>

namespace isobar {

// UKHSA's geographies routes, as UKHSA answers them: GET /api/geographies/v2/{topic} (the
// geographies with public time series of a topic) and GET /api/geographies/v3 (by topic, or
// every geography of a type), grouped by type, each with the geographies it sits within
// (Nation: the United Kingdom; Region: and its nation; Upper Tier Local Authority: and its
// region), from the ONS lookups in resources/geography/.
class GeographiesApi
{
public:
    GeographiesApi(QueryRunner &runner, ResponseCache *cache = nullptr);
    void registerRoutes(Router &router);

private:
    struct Region {
        QString name;
        QString code;
        QString nation;
        QString nationCode;
    };

    QFuture<HttpResponse> byTopic(const QString &topic) const;
    QFuture<HttpResponse> v3(const HttpRequest &request) const;
    // The "relationships" of a geography: JSON, "null" for a type UKHSA relates to nothing.
    QByteArray relationships(const GeographyName &geography) const;
    QByteArray groups(const QList<GeographyName> &geographies) const;

    QueryRunner &m_runner;
    ResponseCache *m_cache;
    QHash<QString, Region> m_regionsByCode;
    QHash<QString, QString> m_regionCodesByName;
    QHash<QString, QString> m_upperTierRegions; // upper-tier authority code -> region name
};

} // namespace isobar
