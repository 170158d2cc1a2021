#pragma once

#include "IngestReport.h"
#include "MetricRecords.h"
#include "SeenDays.h"
#include "StoreStatement.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <memory>
#include <optional>

namespace isobar {

// Writes one file's records into the store as a single transaction: begin(), any number of
// series/points, then commit() or rollback(). A rolled-back file leaves the store untouched.
// Points are upserted: a (series, date) already stored is replaced only by a newer refresh date.
class MetricsWriter
{
public:
    explicit MetricsWriter(QSqlDatabase &db);

    bool begin(QString *error);
    bool commit(QString *error); // bumps the store's data_version when anything changed
    void rollback();

    // The id of the series, creating its dimensions as needed; nullopt with a message when
    // the key contradicts what is stored (a metric of another kind, another geography code).
    std::optional<qint64> seriesId(const SeriesKey &key, QString *error);
    // Points are written in batches of many rows: an error may concern an earlier point of the
    // file, and counts() includes them all after writePendingPoints() (commit() calls it).
    bool addPoint(qint64 seriesId, const TimeSeriesPoint &point, QString *error);
    bool writePendingPoints(QString *error);
    bool addHeadline(qint64 seriesId, const HeadlinePoint &point, QString *error);
    void countSkipped() { ++m_counts.skipped; }

    WriteCounts counts() const { return m_counts; }

private:
    struct PendingPoint {
        qint64 seriesId;
        TimeSeriesPoint point;
    };
    std::optional<qint64> dimensionId(QHash<QString, qint64> &cache, QSqlQuery &select,
                                      QSqlQuery &insert, const QVariantList &values,
                                      QString *error);
    std::optional<qint64> metricId(qint64 topicId, const SeriesKey &key, QString *error);
    std::optional<qint64> geographyId(const SeriesKey &key, QString *error);
    bool exec(QSqlQuery &query, QString *error);
    static void bindAll(QSqlQuery &query, const QVariantList &values);
    bool touch(QSqlQuery &query, qint64 seriesId, qint64 day, qint64 refresh, QString *error);
    // The series holds a public point: flagged with the next batch (writePublicMarks).
    void markPublic(qint64 seriesId);
    bool writePublicMarks(QString *error);
    using PointKeys = QSet<std::pair<qint64, qint64>>; // (series, day)
    // The two ways a batch of points goes in; each lists the (series, day) it inserted.
    bool insertPoints(const QList<PendingPoint> &points, PointKeys *inserted, QString *error);
    bool copyPoints(const QList<PendingPoint> &points, PointKeys *inserted, QString *error);
    // On SQLite, points that cannot be stored yet (see addPoint), inserted without asking which.
    bool writeNewPoints(QString *error);
    struct BatchStatements {
        std::unique_ptr<StoreStatement> full, partial;
    };
    // The INSERT of `rows` points, then `tail`; full batches reuse one statement.
    StoreStatement &pointInsert(BatchStatements &statements, qsizetype rows, const char *tail);
    static void bindPoints(StoreStatement &insert, const QList<PendingPoint> &points);
    // Rows in COPY's text format.
    static QByteArray copyText(const QList<PendingPoint> &points);
    // A point already stored: replaced by a newer refresh date, counted as updated or not.
    bool updatePoint(qint64 seriesId, const TimeSeriesPoint &point, QString *error);
    void forgetUncommittedIds();

    QSqlDatabase &m_db;
    WriteCounts m_counts;

    QSqlQuery m_selectTheme, m_insertTheme;
    QSqlQuery m_selectSubTheme, m_insertSubTheme;
    QSqlQuery m_selectTopic, m_insertTopic;
    QSqlQuery m_selectMetric, m_insertMetric;
    QSqlQuery m_selectGeography, m_insertGeography, m_updateGeographyCode;
    QSqlQuery m_selectSeries, m_insertSeries;
    QSqlQuery m_insertNewSeries; // PostgreSQL: insert, or learn it exists, in one exchange
    // 10 values a row: well under SQLite's 32,766 parameters and PostgreSQL's 65,535.
    static constexpr qsizetype kPointsPerInsert = 500;
    // On PostgreSQL a batch is one COPY into a staging table and one INSERT ... SELECT from it:
    // larger batches, fewer round trips (about 1 MB of COPY text each).
    static constexpr qsizetype kPointsPerCopy = 10'000;
    const bool m_postgresql;
    bool m_stagingReady = false; // the transaction's staging table exists
    // The series this transaction created, on SQLite with the days their points were given;
    // there, only those with an id above any points were stored under when it began.
    QHash<qint64, SeenDays> m_newSeries;
    qint64 m_highestSeriesWithPoints = -1;
    QList<PendingPoint> m_pendingPoints;
    QList<PendingPoint> m_pendingNewPoints; // on SQLite: see addPoint
    BatchStatements m_insertPoints, m_insertNewPoints;
    QSqlQuery m_updatePoint, m_touchPoint;
    QSqlQuery m_insertHeadline, m_updateHeadline, m_touchHeadline;

    // Ids by natural key; cleared on rollback since ids created inside it are gone.
    QHash<QString, qint64> m_themes, m_subThemes, m_topics, m_metrics, m_geographies, m_series;
    QSet<qint64> m_seriesMarkedPublic;
    QList<qint64> m_publicToMark; // marked, not yet written
};

} // namespace isobar
