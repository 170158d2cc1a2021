#include "MetricsWriter.h"

#include "DateParsing.h"
#include "MetricsDatabase.h"
#include "PostgresqlCopy.h"
#include "StoreStatement.h"

#include <QSqlError>
#include <utility>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QSqlQuery prepared(QSqlDatabase &db, const char *sql)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(QLatin1String(sql)))
        qFatal("cannot prepare '%s': %s", sql, qPrintable(query.lastError().text()));
    return query;
}

QString cacheKey(const QVariantList &values)
{
    QString key;
    for (const QVariant &value : values) {
        key += value.toString();
        key += QChar(0x1f);
    }
    return key;
}

// A null QString binds as SQL NULL; dimension columns hold '' for "not given".
QString notNull(const QString &text)
{
    return text.isNull() ? u""_s : text;
}

QVariant optionalValue(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

QVariant optionalValue(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<double>());
}

} // namespace

MetricsWriter::MetricsWriter(QSqlDatabase &db)
    : m_db(db)
    , m_selectTheme(prepared(db, "SELECT id FROM theme WHERE name = ?"))
    , m_insertTheme(prepared(db, "INSERT INTO theme(name) VALUES (?)"))
    , m_selectSubTheme(prepared(db, "SELECT id FROM sub_theme WHERE theme_id = ? AND name = ?"))
    , m_insertSubTheme(prepared(db, "INSERT INTO sub_theme(theme_id, name) VALUES (?, ?)"))
    , m_selectTopic(prepared(db, "SELECT id FROM topic WHERE sub_theme_id = ? AND name = ?"))
    , m_insertTopic(prepared(db, "INSERT INTO topic(sub_theme_id, name) VALUES (?, ?)"))
    , m_selectMetric(prepared(db, "SELECT id, kind FROM metric WHERE topic_id = ? AND name = ?"))
    , m_insertMetric(prepared(
          db, "INSERT INTO metric(topic_id, name, metric_group, kind) VALUES (?, ?, ?, ?)"))
    , m_selectGeography(
          prepared(db, "SELECT id, code FROM geography WHERE geography_type = ? AND name = ?"))
    , m_insertGeography(
          prepared(db, "INSERT INTO geography(geography_type, name, code) VALUES (?, ?, ?)"))
    , m_updateGeographyCode(prepared(db, "UPDATE geography SET code = ? WHERE id = ?"))
    , m_selectSeries(prepared(db, "SELECT id FROM series WHERE metric_id = ? AND geography_id = ?"
                                  " AND stratum = ? AND age = ? AND sex = ?"))
    , m_insertSeries(prepared(db, "INSERT INTO series(metric_id, geography_id, stratum, age, sex,"
                                  " frequency) VALUES (?, ?, ?, ?, ?, ?)"))
    , m_insertNewSeries(prepared(db, "INSERT INTO series(metric_id, geography_id, stratum, age,"
                                     " sex, frequency) VALUES (?, ?, ?, ?, ?, ?)"
                                     " ON CONFLICT DO NOTHING RETURNING id"))
    , m_postgresql(MetricsDatabase::isPostgresql(db))
    // Replaces a value only under a newer refresh date and only when something differs.
    , m_updatePoint(prepared(
          db, "UPDATE point SET epiweek = ?, value = ?, embargo = ?,"
              " is_public = ?, in_reporting_delay = ?, upper_confidence = ?,"
              " lower_confidence = ?, refresh = ?"
              " WHERE series_id = ? AND day = ? AND refresh < ?"
              " AND (epiweek != ? OR value != ? OR embargo IS DISTINCT FROM ?"
              " OR is_public != ? OR in_reporting_delay != ?"
              " OR upper_confidence IS DISTINCT FROM ? OR lower_confidence IS DISTINCT FROM ?)"))
    , m_touchPoint(prepared(db, "UPDATE point SET refresh = ? WHERE series_id = ? AND day = ?"
                                " AND refresh < ?"))
    , m_insertHeadline(prepared(db, "INSERT INTO headline(series_id, period_end, period_start,"
                                    " period_start_at, period_end_at, value, upper_confidence,"
                                    " lower_confidence, embargo, is_public, refresh)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                    " ON CONFLICT DO NOTHING"))
    , m_updateHeadline(prepared(
          db, "UPDATE headline SET period_start = ?, period_start_at = ?, period_end_at = ?,"
              " value = ?, upper_confidence = ?, lower_confidence = ?, embargo = ?,"
              " is_public = ?, refresh = ?"
              " WHERE series_id = ? AND period_end = ? AND refresh < ?"
              " AND (period_start != ? OR period_start_at IS DISTINCT FROM ?"
              " OR period_end_at IS DISTINCT FROM ? OR value != ?"
              " OR upper_confidence IS DISTINCT FROM ? OR lower_confidence IS DISTINCT FROM ?"
              " OR embargo IS DISTINCT FROM ? OR is_public != ?)"))
    , m_touchHeadline(prepared(db, "UPDATE headline SET refresh = ? WHERE series_id = ?"
                                   " AND period_end = ? AND refresh < ?"))
{}

bool MetricsWriter::begin(QString *error)
{
    m_counts = {};
    m_stagingReady = false;
    m_newSeries.clear();
    if (!MetricsDatabase::beginWrite(m_db, error)) {
        return false;
    }
    if (m_postgresql)
        return true;
    // The last row of the point table's key: one step down its B-tree.
    QSqlQuery highest(m_db);
    if (!highest.exec(u"SELECT max(series_id) FROM point"_s) || !highest.next()) {
        *error = highest.lastError().text();
        m_db.rollback();
        return false;
    }
    m_highestSeriesWithPoints = highest.isNull(0) ? -1 : highest.value(0).toLongLong();
    return true;
}

bool MetricsWriter::commit(QString *error)
{
    if (!writePendingPoints(error)) {
        rollback();
        return false;
    }
    if (m_counts.inserted + m_counts.updated > 0) {
        QSqlQuery bump(m_db);
        const bool notify = MetricsDatabase::isPostgresql(m_db);
        if (!bump.exec(u"UPDATE store_state SET value = value + 1 WHERE key = 'data_version'"_s)
            || (notify
                && !bump.exec(u"NOTIFY "_s
                              + QLatin1String(MetricsDatabase::kDataChangedChannel)))) {
            *error = bump.lastError().text();
            rollback();
            return false;
        }
    }
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        rollback();
        return false;
    }
    return true;
}

void MetricsWriter::rollback()
{
    m_pendingPoints.clear();
    m_pendingNewPoints.clear();
    m_db.rollback();
    forgetUncommittedIds();
}

void MetricsWriter::forgetUncommittedIds()
{
    for (auto *cache : {&m_themes, &m_subThemes, &m_topics, &m_metrics, &m_geographies, &m_series})
        cache->clear();
    m_seriesMarkedPublic.clear();
    m_publicToMark.clear();
}

void MetricsWriter::markPublic(qint64 seriesId)
{
    if (!m_seriesMarkedPublic.contains(seriesId)) {
        m_seriesMarkedPublic.insert(seriesId);
        m_publicToMark << seriesId;
    }
}

bool MetricsWriter::writePublicMarks(QString *error)
{
    // Many series a statement: a file of thousands of series once spent a round trip on each.
    // The ids are the store's own integers, written into the statement as numbers.
    constexpr qsizetype kIdsPerStatement = 500;
    QSqlQuery mark(m_db);
    for (qsizetype from = 0; from < m_publicToMark.size(); from += kIdsPerStatement) {
        QStringList ids;
        for (const qint64 id : m_publicToMark.mid(from, kIdsPerStatement))
            ids << QString::number(id);
        if (!mark.exec(
                u"UPDATE series SET has_public = 1 WHERE has_public = 0 AND id IN (%1)"_s.arg(
                    ids.join(u',')))) {
            *error = mark.lastError().text();
            return false;
        }
    }
    m_publicToMark.clear();
    return true;
}

void MetricsWriter::bindAll(QSqlQuery &query, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values[i]);
}

bool MetricsWriter::touch(QSqlQuery &query, qint64 seriesId, qint64 day, qint64 refresh,
                          QString *error)
{
    query.bindValue(0, refresh);
    query.bindValue(1, seriesId);
    query.bindValue(2, day);
    query.bindValue(3, refresh);
    return exec(query, error);
}

bool MetricsWriter::exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

std::optional<qint64> MetricsWriter::dimensionId(QHash<QString, qint64> &cache, QSqlQuery &select,
                                                 QSqlQuery &insert, const QVariantList &values,
                                                 QString *error)
{
    const QString key = cacheKey(values);
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    bindAll(select, values);
    if (!exec(select, error))
        return std::nullopt;
    qint64 id = -1;
    if (select.next()) {
        id = select.value(0).toLongLong();
    } else {
        bindAll(insert, values);
        if (!exec(insert, error))
            return std::nullopt;
        id = insert.lastInsertId().toLongLong();
    }
    select.finish();
    cache.insert(key, id);
    return id;
}

std::optional<qint64> MetricsWriter::metricId(qint64 topicId, const SeriesKey &key, QString *error)
{
    const QString cached = cacheKey({topicId, key.metric, int(key.kind)});
    if (const auto it = m_metrics.constFind(cached); it != m_metrics.constEnd())
        return *it;
    m_selectMetric.bindValue(0, topicId);
    m_selectMetric.bindValue(1, key.metric);
    if (!exec(m_selectMetric, error))
        return std::nullopt;
    qint64 id = -1;
    if (m_selectMetric.next()) {
        id = m_selectMetric.value(0).toLongLong();
        const auto storedKind = SeriesKind(m_selectMetric.value(1).toInt());
        m_selectMetric.finish();
        if (storedKind != key.kind) {
            *error = u"metric '%1' is stored as a %2 metric, this record is a %3"_s.arg(
                key.metric, storedKind == SeriesKind::Headline ? u"headline" : u"time-series",
                key.kind == SeriesKind::Headline ? u"headline" : u"time-series");
            return std::nullopt;
        }
    } else {
        m_selectMetric.finish();
        m_insertMetric.bindValue(0, topicId);
        m_insertMetric.bindValue(1, key.metric);
        m_insertMetric.bindValue(2, notNull(key.metricGroup));
        m_insertMetric.bindValue(3, int(key.kind));
        if (!exec(m_insertMetric, error))
            return std::nullopt;
        id = m_insertMetric.lastInsertId().toLongLong();
    }
    m_metrics.insert(cached, id);
    return id;
}

std::optional<qint64> MetricsWriter::geographyId(const SeriesKey &key, QString *error)
{
    const QString cached = cacheKey({key.geographyType, key.geography, key.geographyCode});
    if (const auto it = m_geographies.constFind(cached); it != m_geographies.constEnd())
        return *it;
    m_selectGeography.bindValue(0, key.geographyType);
    m_selectGeography.bindValue(1, key.geography);
    if (!exec(m_selectGeography, error))
        return std::nullopt;
    qint64 id = -1;
    if (m_selectGeography.next()) {
        id = m_selectGeography.value(0).toLongLong();
        const QString storedCode = m_selectGeography.value(1).toString();
        m_selectGeography.finish();
        if (!key.geographyCode.isEmpty() && storedCode != key.geographyCode) {
            if (!storedCode.isEmpty()) {
                *error = u"geography '%1' (%2) is stored with code %3, not %4"_s.arg(
                    key.geography, key.geographyType, storedCode, key.geographyCode);
                return std::nullopt;
            }
            m_updateGeographyCode.bindValue(0, key.geographyCode);
            m_updateGeographyCode.bindValue(1, id);
            if (!exec(m_updateGeographyCode, error))
                return std::nullopt;
        }
    } else {
        m_selectGeography.finish();
        m_insertGeography.bindValue(0, key.geographyType);
        m_insertGeography.bindValue(1, key.geography);
        m_insertGeography.bindValue(2, notNull(key.geographyCode));
        if (!exec(m_insertGeography, error))
            return std::nullopt;
        id = m_insertGeography.lastInsertId().toLongLong();
    }
    m_geographies.insert(cached, id);
    return id;
}

std::optional<qint64> MetricsWriter::seriesId(const SeriesKey &key, QString *error)
{
    const auto themeId = dimensionId(m_themes, m_selectTheme, m_insertTheme, {key.theme}, error);
    if (!themeId)
        return std::nullopt;
    const auto subThemeId = dimensionId(m_subThemes, m_selectSubTheme, m_insertSubTheme,
                                        {*themeId, key.subTheme}, error);
    if (!subThemeId)
        return std::nullopt;
    const auto topicId =
        dimensionId(m_topics, m_selectTopic, m_insertTopic, {*subThemeId, key.topic}, error);
    if (!topicId)
        return std::nullopt;
    const auto metric = metricId(*topicId, key, error);
    if (!metric)
        return std::nullopt;
    const auto geography = geographyId(key, error);
    if (!geography)
        return std::nullopt;

    const QVariantList seriesKey{*metric, *geography, key.stratum, key.age, key.sex};
    const QString cached = cacheKey(seriesKey);
    if (const auto it = m_series.constFind(cached); it != m_series.constEnd())
        return *it;
    if (m_postgresql) {
        // One round trip for a series new to the store, the usual case of a new file: each one
        // is a network exchange on PostgreSQL (12,642 series in the million-row CSV).
        bindAll(m_insertNewSeries, seriesKey + QVariantList{notNull(key.frequency)});
        if (!exec(m_insertNewSeries, error))
            return std::nullopt;
        const bool created = m_insertNewSeries.next();
        const qint64 id = created ? m_insertNewSeries.value(0).toLongLong() : -1;
        m_insertNewSeries.finish();
        if (created) {
            m_newSeries.insert(id, {});
            m_series.insert(cached, id);
            return id;
        }
    }
    bindAll(m_selectSeries, seriesKey);
    if (!exec(m_selectSeries, error))
        return std::nullopt;
    qint64 id = -1;
    if (m_selectSeries.next()) {
        id = m_selectSeries.value(0).toLongLong();
    } else {
        bindAll(m_insertSeries, seriesKey + QVariantList{notNull(key.frequency)});
        if (!exec(m_insertSeries, error))
            return std::nullopt;
        id = m_insertSeries.lastInsertId().toLongLong();
        // SQLite may give a series the id of one removed since, and its points may be left.
        if (m_postgresql || id > m_highestSeriesWithPoints)
            m_newSeries.insert(id, {});
    }
    m_selectSeries.finish();
    m_series.insert(cached, id);
    return id;
}

bool MetricsWriter::addPoint(qint64 seriesId, const TimeSeriesPoint &point, QString *error)
{
    if (point.isPublic)
        markPublic(seriesId);
    // A point of a series this transaction created, on a day no earlier point of the transaction
    // gave it, cannot be stored yet: it goes in without RETURNING, which was a sixth of the
    // ingest's CPU. (A set of the days themselves was as slow again.)
    const auto created = m_postgresql ? m_newSeries.end() : m_newSeries.find(seriesId);
    if (created != m_newSeries.end()) {
        if (created->add(toDayNumber(point.date))) {
            m_pendingNewPoints.append({seriesId, point});
            return m_pendingNewPoints.size() < kPointsPerInsert || writeNewPoints(error);
        }
    }
    m_pendingPoints.append({seriesId, point});
    return m_pendingPoints.size() < (m_postgresql ? kPointsPerCopy : kPointsPerInsert)
           || writePendingPoints(error);
}

bool MetricsWriter::writePendingPoints(QString *error)
{
    // New points first: a pending point of the same series and day came after them.
    if (!writePublicMarks(error) || !writeNewPoints(error))
        return false;
    if (m_pendingPoints.isEmpty())
        return true;
    const QList<PendingPoint> pending = std::exchange(m_pendingPoints, {});
    PointKeys inserted;
    if (!(m_postgresql ? copyPoints(pending, &inserted, error)
                       : insertPoints(pending, &inserted, error)))
        return false;
    m_counts.inserted += inserted.size();
    // The rest were stored already (or twice in this batch): a newer refresh may replace them.
    for (const auto &[seriesId, point] : pending) {
        if (!inserted.remove({seriesId, toDayNumber(point.date)})
            && !updatePoint(seriesId, point, error))
            return false;
    }
    return true;
}

StoreStatement &MetricsWriter::pointInsert(BatchStatements &statements, qsizetype rows,
                                           const char *tail)
{
    // Many rows a statement, bound straight to SQLite: per-statement work and Qt SQL's
    // per-value binding (a placeholder name formatted and looked up for every value) were most
    // of what ingest cost. OR IGNORE rather than ON CONFLICT DO NOTHING (the same here: every
    // NOT NULL column is bound a value): a statement that may abort halfway has SQLite copy
    // each page it changes to a temporary file first, so that it can be undone alone: 9 in 10
    // of the ingest's writes went to that journal.
    std::unique_ptr<StoreStatement> &insert =
        rows == kPointsPerInsert ? statements.full : statements.partial;
    if (!insert || rows != kPointsPerInsert) {
        QByteArray sql =
            "INSERT OR IGNORE INTO point(series_id, day, epiweek, value, embargo, is_public,"
            " in_reporting_delay, upper_confidence, lower_confidence, refresh)"
            " VALUES ";
        for (qsizetype i = 0; i < rows; ++i)
            sql += i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)";
        sql += tail;
        insert = StoreStatement::prepare(m_db, sql);
    }
    return *insert;
}

void MetricsWriter::bindPoints(StoreStatement &insert, const QList<PendingPoint> &points)
{
    int index = 0;
    const auto bindOptional = [&](const auto &value) {
        if (value)
            insert.bind(++index, *value);
        else
            insert.bindNull(++index);
    };
    for (const auto &[seriesId, point] : points) {
        insert.bind(++index, seriesId);
        insert.bind(++index, toDayNumber(point.date));
        insert.bind(++index, qint64(point.epiweek));
        insert.bind(++index, point.value);
        bindOptional(point.embargo);
        insert.bind(++index, qint64(point.isPublic));
        insert.bind(++index, qint64(point.inReportingDelay));
        bindOptional(point.upperConfidence);
        bindOptional(point.lowerConfidence);
        insert.bind(++index, point.refreshDate);
    }
}

bool MetricsWriter::insertPoints(const QList<PendingPoint> &points, PointKeys *inserted,
                                 QString *error)
{
    StoreStatement &insert =
        pointInsert(m_insertPoints, points.size(), " RETURNING series_id, day");
    bindPoints(insert, points);
    while (insert.next())
        inserted->insert({insert.int64At(0), insert.int64At(1)});
    if (!insert.error().isEmpty()) {
        *error = insert.error();
        return false;
    }
    return true;
}

bool MetricsWriter::writeNewPoints(QString *error)
{
    if (m_pendingNewPoints.isEmpty())
        return true;
    StoreStatement &insert = pointInsert(m_insertNewPoints, m_pendingNewPoints.size(), "");
    bindPoints(insert, m_pendingNewPoints);
    const qsizetype points = m_pendingNewPoints.size();
    m_pendingNewPoints.clear(); // keeps its capacity for the next batch
    if (!insert.execute()) {
        *error = insert.error();
        return false;
    }
    // Not one of them can have been stored (see addPoint and seriesId); should the store say
    // otherwise, the file is refused rather than miscounted.
    if (insert.changes() != points) {
        *error =
            u"%1 of %2 points of new series were stored already"_s.arg(points - insert.changes())
                .arg(points);
        return false;
    }
    m_counts.inserted += points;
    return true;
}

namespace {

const QString kPointCopyColumns =
    u"series_id, day, epiweek, value, embargo, is_public,"
    " in_reporting_delay, upper_confidence, lower_confidence, refresh"_s;

} // namespace

QByteArray MetricsWriter::copyText(const QList<PendingPoint> &points)
{
    QByteArray rows;
    rows.reserve(points.size() * 96);
    const auto field = [&rows](const QByteArray &text) {
        rows += text;
        rows += PostgresqlCopy::kFieldSeparator;
    };
    const auto number = [](double value) { return QByteArray::number(value, 'g', 17); };
    for (const auto &[seriesId, point] : points) {
        field(QByteArray::number(seriesId));
        field(QByteArray::number(toDayNumber(point.date)));
        field(QByteArray::number(point.epiweek));
        field(number(point.value));
        field(point.embargo ? QByteArray::number(*point.embargo) : PostgresqlCopy::kNull);
        field(point.isPublic ? "1" : "0");
        field(point.inReportingDelay ? "1" : "0");
        field(point.upperConfidence ? number(*point.upperConfidence) : PostgresqlCopy::kNull);
        field(point.lowerConfidence ? number(*point.lowerConfidence) : PostgresqlCopy::kNull);
        rows += QByteArray::number(point.refreshDate);
        rows += PostgresqlCopy::kRowEnd;
    }
    return rows;
}

bool MetricsWriter::copyPoints(const QList<PendingPoint> &points, PointKeys *inserted,
                               QString *error)
{
    // Points of a series this transaction created cannot be stored yet: they are copied straight
    // into the table. Should the file hold one (series, day) twice, the copy fails, is undone to
    // its savepoint, and those points take the general path below.
    QList<PendingPoint> fresh, known;
    for (const PendingPoint &pending : points)
        (m_newSeries.contains(pending.seriesId) ? fresh : known) << pending;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!fresh.isEmpty()) {
        QString copyError;
        if (!query.exec(u"SAVEPOINT new_points"_s)) {
            *error = query.lastError().text();
            return false;
        }
        if (PostgresqlCopy::copyIn(m_db,
                                   "COPY point (" + kPointCopyColumns.toLatin1() + ") FROM STDIN",
                                   copyText(fresh), &copyError)) {
            for (const auto &[seriesId, point] : std::as_const(fresh))
                inserted->insert({seriesId, toDayNumber(point.date)});
        } else {
            known += fresh;
        }
        if (!query.exec(copyError.isEmpty() ? u"RELEASE SAVEPOINT new_points"_s
                                            : u"ROLLBACK TO SAVEPOINT new_points"_s)) {
            *error = query.lastError().text();
            return false;
        }
    }
    if (known.isEmpty())
        return true;

    // The others go through a staging table, dropped with the transaction, committed or not,
    // and are moved with one statement that leaves the points already stored alone.
    if (!m_stagingReady
        && !query.exec(u"CREATE TEMPORARY TABLE point_incoming ON COMMIT DROP AS SELECT %1"
                       " FROM point WITH NO DATA"_s.arg(kPointCopyColumns))) {
        *error = query.lastError().text();
        return false;
    }
    m_stagingReady = true;
    if (!PostgresqlCopy::copyIn(
            m_db, "COPY point_incoming (" + kPointCopyColumns.toLatin1() + ") FROM STDIN",
            copyText(known), error))
        return false;
    if (!query.exec(u"INSERT INTO point (%1) SELECT %1 FROM point_incoming"
                    " ON CONFLICT DO NOTHING RETURNING series_id, day"_s.arg(kPointCopyColumns))) {
        *error = query.lastError().text();
        return false;
    }
    while (query.next())
        inserted->insert({query.value(0).toLongLong(), query.value(1).toLongLong()});
    query.finish();
    if (!query.exec(u"TRUNCATE point_incoming"_s)) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

bool MetricsWriter::updatePoint(qint64 seriesId, const TimeSeriesPoint &point, QString *error)
{
    const qint64 day = toDayNumber(point.date);
    const QVariantList changed{point.epiweek,
                               point.value,
                               optionalValue(point.embargo),
                               int(point.isPublic),
                               int(point.inReportingDelay),
                               optionalValue(point.upperConfidence),
                               optionalValue(point.lowerConfidence)};
    bindAll(m_updatePoint,
            changed + QVariantList{point.refreshDate, seriesId, day, point.refreshDate} + changed);
    if (!exec(m_updatePoint, error))
        return false;
    if (m_updatePoint.numRowsAffected() == 1) {
        ++m_counts.updated;
        return true;
    }
    // Same values under a newer refresh date: remember the date, serve nothing new.
    ++m_counts.unchanged;
    return touch(m_touchPoint, seriesId, day, point.refreshDate, error);
}

bool MetricsWriter::addHeadline(qint64 seriesId, const HeadlinePoint &point, QString *error)
{
    if (point.isPublic)
        markPublic(seriesId);
    // The record's key is the London date its period ends on, as UKHSA's API shows it.
    const qint64 end = toDayNumber(londonTime(point.periodEnd).date());
    const QVariantList changed{toDayNumber(londonTime(point.periodStart).date()),
                               point.periodStart,
                               point.periodEnd,
                               point.value,
                               optionalValue(point.upperConfidence),
                               optionalValue(point.lowerConfidence),
                               optionalValue(point.embargo),
                               int(point.isPublic)};
    bindAll(m_insertHeadline,
            QVariantList{seriesId, end} + changed + QVariantList{point.refreshDate});
    if (!exec(m_insertHeadline, error))
        return false;
    if (m_insertHeadline.numRowsAffected() == 1) {
        ++m_counts.inserted;
        return true;
    }
    bindAll(m_updateHeadline,
            changed + QVariantList{point.refreshDate, seriesId, end, point.refreshDate} + changed);
    if (!exec(m_updateHeadline, error))
        return false;
    if (m_updateHeadline.numRowsAffected() == 1) {
        ++m_counts.updated;
        return true;
    }
    ++m_counts.unchanged;
    return touch(m_touchHeadline, seriesId, end, point.refreshDate, error);
}

} // namespace isobar
