#include "WeatherLocationStore.h"

#include "PostgresqlDeadline.h"

#include <QVariant>

using namespace Qt::StringLiterals;

namespace isobar {

WeatherLocationStore::WeatherLocationStore(QSqlDatabase &db)
    : m_db(db)
    , m_select(db)
    , m_upsert(db)
{
    m_select.prepare(
        u"SELECT location_key, name, country, time_zone, latitude, longitude, fetched_at"
        " FROM weather_location WHERE cell_size = ? AND cell_row = ? AND cell_column = ?"_s);
    // An upsert both engines take (SQLite's INSERT OR REPLACE is its own).
    m_upsert.prepare(
        u"INSERT INTO weather_location (cell_size, cell_row, cell_column, location_key,"
        " name, country, time_zone, latitude, longitude, fetched_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (cell_size, cell_row, cell_column) DO UPDATE SET"
        " location_key = excluded.location_key, name = excluded.name,"
        " country = excluded.country, time_zone = excluded.time_zone,"
        " latitude = excluded.latitude, longitude = excluded.longitude,"
        " fetched_at = excluded.fetched_at"_s);
}

std::optional<StoredLocation> WeatherLocationStore::find(double cellSize, int row, int column)
{
    m_select.bindValue(0, cellSize);
    m_select.bindValue(1, row);
    m_select.bindValue(2, column);
    const PostgresqlDeadline deadline(m_db, PostgresqlDeadline::kEventLoopTimeoutMs);
    if (!m_select.exec() || !m_select.next())
        return std::nullopt;
    StoredLocation location{m_select.value(0).toString(),  m_select.value(1).toString(),
                            m_select.value(2).toString(),  m_select.value(3).toString(),
                            m_select.value(4).toDouble(),  m_select.value(5).toDouble(),
                            m_select.value(6).toLongLong()};
    m_select.finish();
    return location;
}

bool WeatherLocationStore::save(double cellSize, int row, int column,
                                const StoredLocation &location)
{
    const QVariantList values{cellSize,
                              row,
                              column,
                              location.key,
                              location.name,
                              location.country,
                              location.timeZone,
                              location.latitude,
                              location.longitude,
                              location.fetchedAtMs};
    for (int i = 0; i < values.size(); ++i)
        m_upsert.bindValue(i, values[i]);
    const PostgresqlDeadline deadline(m_db, PostgresqlDeadline::kEventLoopTimeoutMs);
    return m_upsert.exec();
}

qint64 WeatherLocationStore::count()
{
    QSqlQuery query(m_db);
    return query.exec(u"SELECT COUNT(*) FROM weather_location"_s) && query.next()
               ? query.value(0).toLongLong()
               : 0;
}

} // namespace isobar
