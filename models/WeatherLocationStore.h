#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <optional>

namespace isobar {

// What the upstream said a grid cell's location is; keys are stable, so this is kept.
struct StoredLocation {
    QString key;
    QString name;
    QString country;
    QString timeZone;
    double latitude = 0;
    double longitude = 0;
    qint64 fetchedAtMs = 0;
};

// Persists cell -> location key in the store so a restart does not buy them again. Used on the
// server's event loop: on PostgreSQL each call is bounded
// (PostgresqlDeadline::kEventLoopTimeoutMs), and a failed one is a cache miss, never a failed
// request.
class WeatherLocationStore
{
public:
    explicit WeatherLocationStore(QSqlDatabase &db);

    std::optional<StoredLocation> find(double cellSize, int row, int column);
    bool save(double cellSize, int row, int column, const StoredLocation &location);
    qint64 count();

private:
    QSqlDatabase &m_db;
    QSqlQuery m_select;
    QSqlQuery m_upsert;
};

} // namespace isobar
