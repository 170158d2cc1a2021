#pragma once

#include "MetricsQuery.h"
#include "api/QueryRunner.h"
#include "http/Router.h"

#include <QHash>

namespace isobar {

// UKHSA's weather-health alerts, as UKHSA answers them: GET /api/alerts/v1/{heat,cold} (every
// Government Office Region by code, with its status) and /{geography_code} (the alert's level,
// impact, likelihood, advice and period). An alert is the headline of the hazard's matrix
// metric ingested like any other; the record refreshed last decides it, and once its period
// has ended the region is back to Green (level 1). The advice texts are UKHSA's, by level, in
// resources/alerts/texts.json.
class WeatherAlertsApi
{
public:
    explicit WeatherAlertsApi(QueryRunner &runner);
    void registerRoutes(Router &router);

private:
    struct Hazard {
        QString path;  // "heat"
        QString topic; // "Heat-alert"
        QString metric;
        QHash<int, QByteArray> texts; // JSON strings by level
    };
    // What a region's alert says now: its record's level while the period lasts, else level 1,
    // last refreshed when the period ended.
    struct AlertState {
        std::optional<AlertRecord> record;
        bool live = false;
        double level() const;
        std::optional<qint64> refreshed() const;
    };

    QFuture<HttpResponse> list(const Hazard &hazard) const;
    QFuture<HttpResponse> detail(const Hazard &hazard, const QString &code) const;
    // The deciding records, by region code.
    static QHash<QString, AlertRecord> records(MetricsQuery &store, const Hazard &hazard);
    static AlertState stateOf(const QHash<QString, AlertRecord> &records, const QString &code);

    QueryRunner &m_runner;
    QList<Hazard> m_hazards;
};

} // namespace isobar
