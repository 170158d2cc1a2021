#pragma once

#include "Cities.h"
#include "RequestEvent.h"

#include <QList>
#include <QStringList>
#include <random>
#include <vector>

namespace isobar::bench {

struct RouteName {
    QByteArray method;
    QString pattern;
};

// The routes a running server declares: the real table, not a copy that could drift.
QList<RouteName> liveRoutes(QString *error);

// The monitoring benchmark's request stream, the same for the same seed: 1% unmatched, 80% on
// the weather routes (mostly /prcpt, then the UV index) from --subjects watches, each living near
// a city drawn by population, the rest on the other routes from public callers and a few admins.
// Statuses are mostly 200, some 4xx/5xx; weather calls carry their 1 km cache cell and a
// hit/miss/stale outcome.
class RequestTraffic
{
public:
    RequestTraffic(const QList<RouteName> &routes, const std::vector<City> &cities, int subjects,
                   quint64 seed);

    qsizetype weatherRoutes() const { return m_weather.size(); }
    qsizetype otherRoutes() const { return m_other.size(); }

    RequestEvent next(qint64 timeMs);

private:
    struct Watch {
        City city;
        double latitude = 0, longitude = 0;
        QString subject, client;
    };

    int weatherStatus(double u);
    qint64 lognormal(double medianUs, double sigma);
    // From home (within 100 m) three times in four, else anywhere around the city.
    CellBounds cellOf(const Watch &watch);

    std::mt19937_64 m_random;
    std::uniform_real_distribution<double> m_unit{0.0, 1.0};
    std::normal_distribution<double> m_normal{0.0, 1.0};
    QList<RouteName> m_weather, m_other;
    std::discrete_distribution<int> m_weatherPick;
    std::vector<Watch> m_watches;
    QStringList m_publicClients;
    const QString m_unmatched; // the route of requests no route matched
    const QString m_admin;     // the subject of the stats and admin calls
};

} // namespace isobar::bench
