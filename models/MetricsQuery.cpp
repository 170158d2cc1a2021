#include "MetricsQuery.h"

#include "DateParsing.h"
#include "MetricsDatabase.h"
#include "StoreError.h"
#include "StoreStatement.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QSqlError>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr const char *kJoins = " FROM metric m"
                               " JOIN topic tp ON tp.id = m.topic_id"
                               " JOIN sub_theme st ON st.id = tp.sub_theme_id"
                               " JOIN theme t ON t.id = st.theme_id"
                               " JOIN series s ON s.metric_id = m.id"
                               " JOIN geography g ON g.id = s.geography_id";

// The columns pointAt() reads, in its order.
constexpr const char *kPointColumns = "SELECT p.series_id, p.day, p.epiweek, p.value,"
                                      " p.in_reporting_delay, p.upper_confidence,"
                                      " p.lower_confidence";

std::optional<double> optionalDouble(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
}

// The first row a statement yields, read by `read`, or nothing if it yields none; steps past the
// rest, which readies the statement for its next run. Throws StoreError if the engine refuses.
template <typename Read>
auto firstRow(StoreStatement *statement, Read read)
    -> std::optional<std::invoke_result_t<Read, const StoreStatement &>>
{
    std::optional<std::invoke_result_t<Read, const StoreStatement &>> result;
    if (statement->next()) {
        result = read(*statement);
        while (statement->next())
            ;
    }
    if (!statement->error().isEmpty())
        throw StoreError(statement->error());
    return result;
}

// A headline period's bound from its instant column, or London midnight of its day column in
// rows stored before instants were kept.
qint64 periodBound(const QSqlQuery &query, int instantColumn, int dayColumn)
{
    const QVariant instant = query.value(instantColumn);
    return instant.isNull() ? londonMidnightUtc(fromDayNumber(query.value(dayColumn).toLongLong()))
                                  .toSecsSinceEpoch()
                            : instant.toLongLong();
}

// PostgreSQL's text cannot hold U+0000, and QPSQL cuts a bound value at one (a syntax error,
// once a 5xx for a client's "%00"): a name holding one names nothing there, as NULL does for
// the `column = ?` conditions here.
void bindNulTextAsNull(QSqlQuery *query)
{
    const QVariantList values = query->boundValues();
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (values[i].typeId() == QMetaType::QString && values[i].toString().contains(QChar(0)))
            query->bindValue(int(i), QVariant(QMetaType::fromType<QString>()));
    }
}

// Appends "AND column = ?" for every given filter and collects the bound values in order.
class WhereClause
{
public:
    void equals(const char *column, const QVariant &value)
    {
        m_sql += u" AND %1 = ?"_s.arg(QLatin1String(column));
        m_values << value;
    }
    void equalsIfGiven(const char *column, const QString &value)
    {
        if (!value.isEmpty())
            equals(column, value);
    }
    void raw(const QString &condition, const QVariantList &values = {})
    {
        m_sql += u" AND "_s + condition;
        m_values << values;
    }
    QString sql() const { return u" WHERE TRUE"_s + m_sql; }
    const QVariantList &values() const { return m_values; }
    // Binds the values to the first placeholders of a statement built with sql().
    void bindTo(QSqlQuery *query) const
    {
        for (int i = 0; i < m_values.size(); ++i)
            query->bindValue(i, m_values[i]);
    }
    void bindTo(StoreStatement *statement) const
    {
        for (int i = 0; i < m_values.size(); ++i) {
            const QVariant &value = m_values[i];
            if (value.typeId() == QMetaType::QString) {
                // No stored name holds a NUL (ingestion refuses them) and PostgreSQL's text
                // cannot: NULL matches nothing, as such a name would.
                const QByteArray utf8 = value.toString().toUtf8();
                if (utf8.contains('\0'))
                    statement->bindNull(i + 1);
                else
                    statement->bind(i + 1, utf8);
            } else if (value.typeId() == QMetaType::Double) {
                statement->bind(i + 1, value.toDouble());
            } else {
                statement->bind(i + 1, value.toLongLong());
            }
        }
    }

private:
    QString m_sql;
    QVariantList m_values;
};

WhereClause seriesWhere(const PointSelection &selection)
{
    WhereClause where;
    where.equals("m.name", selection.metric);
    where.equals("tp.name", selection.topic);
    where.equalsIfGiven("st.name", selection.subTheme);
    where.equalsIfGiven("t.name", selection.theme);
    where.equalsIfGiven("g.geography_type", selection.geographyType);
    where.equalsIfGiven("g.name", selection.geography);
    where.equalsIfGiven("s.stratum", selection.stratum);
    where.equalsIfGiven("s.age", selection.age);
    where.equalsIfGiven("s.sex", selection.sex);
    return where;
}

// Public, released, and inside the selection's dates; `alias` is the fact table, `day` its
// date column.
void addPointConditions(WhereClause &where, const PointSelection &selection, const char *alias,
                        const char *day, qint64 now, bool postgresql)
{
    const QString a = QLatin1String(alias);
    const QString d = a + u'.' + QLatin1String(day);
    where.raw(a + u".is_public = 1 AND ("_s + a + u".embargo IS NULL OR "_s + a
                  + u".embargo <= ?)"_s,
              {now});
    if (selection.from)
        where.raw(d + u" >= ?"_s, {toDayNumber(*selection.from)});
    if (selection.to)
        where.raw(d + u" <= ?"_s, {toDayNumber(*selection.to)});
    if (selection.date)
        where.raw(d + u" = ?"_s, {toDayNumber(*selection.date)});
    if (selection.year)
        where.raw(d + u" BETWEEN ? AND ?"_s, {toDayNumber(QDate(*selection.year, 1, 1)),
                                              toDayNumber(QDate(*selection.year, 12, 31))});
    // Days are counted from 1970-01-01; each engine names a day's month its own way.
    if (selection.month)
        where.raw((postgresql ? u"EXTRACT(MONTH FROM DATE '1970-01-01' + CAST(%1 AS integer)) = ?"_s
                              : u"CAST(strftime('%m', %1 * 86400, 'unixepoch') AS INTEGER) = ?"_s)
                      .arg(d),
                  {*selection.month});
    if (QLatin1String(alias) != u"p")
        return;
    if (selection.epiweek)
        where.raw(u"p.epiweek = ?"_s, {*selection.epiweek});
    if (selection.inReportingDelay)
        where.raw(u"p.in_reporting_delay = ?"_s, {*selection.inReportingDelay ? 1 : 0});
}

} // namespace

MetricsQuery::MetricsQuery(QSqlDatabase &db)
    : m_db(db)
    , m_now([] { return QDateTime::currentSecsSinceEpoch(); })
{}

MetricsQuery::~MetricsQuery()
{
    qDeleteAll(m_statements);
}

QSqlQuery *MetricsQuery::preparedQuery(const QString &sql)
{
    if (QSqlQuery *cached = m_statements.value(sql))
        return cached;
    auto query = std::make_unique<QSqlQuery>(m_db);
    // Forward-only saves SQLite a copy of every row. On PostgreSQL it streams rows one by one,
    // and a second statement on the connection (describe() while points() reads) would discard
    // the rest: there the driver takes whole results.
    query->setForwardOnly(!MetricsDatabase::isPostgresql(m_db));
    if (!query->prepare(sql))
        throw StoreError(query->lastError().text());
    m_statements.insert(sql, query.get());
    return query.release();
}

StoreStatement *MetricsQuery::preparedStatement(const QString &sql)
{
    std::unique_ptr<StoreStatement> &statement = m_rawStatements[sql];
    if (!statement) {
        std::unique_ptr<StoreStatement> prepared = StoreStatement::prepare(m_db, sql.toUtf8());
        if (!prepared->isValid())
            throw StoreError(prepared->error());
        statement = std::move(prepared);
    }
    return statement.get();
}

void MetricsQuery::run(QSqlQuery *query)
{
    if (query->driver()->dbmsType() == QSqlDriver::PostgreSQL)
        bindNulTextAsNull(query);
    if (!query->exec())
        throw StoreError(query->lastError().text());
}

bool MetricsQuery::fetch(QSqlQuery *query)
{
    if (query->next())
        return true;
    // next() is false at the end and on a failed step alike; only the error says which.
    if (query->lastError().isValid())
        throw StoreError(query->lastError().text());
    return false;
}

void MetricsQuery::dropCachesIfStoreChanged()
{
    // The store's counter on both engines, not SQLite's `PRAGMA data_version`: that one moves
    // with every commit of another connection, the request log's into the same file several
    // times a second among them, and dropped these caches on nearly every read.
    StoreStatement *query = preparedStatement(QLatin1String(MetricsDatabase::kDataVersionQuery));
    const auto version = firstRow(query, [](const StoreStatement &row) { return row.int64At(0); });
    if (version && *version != m_seenDataVersion) {
        m_descriptions.clear();
        m_seriesOfNames.clear();
        m_topicExists.clear();
        m_metricInfos.clear();
        m_lastDescribedId = -1;
        m_lastDescribed.reset();
        m_seenDataVersion = *version;
    }
}

std::shared_ptr<const SeriesDescription> MetricsQuery::describe(qint64 seriesId)
{
    if (seriesId != m_lastDescribedId) {
        m_lastDescribed = lookUpDescription(seriesId);
        m_lastDescribedId = m_lastDescribed ? seriesId : -1;
    }
    return m_lastDescribed;
}

std::shared_ptr<const SeriesDescription> MetricsQuery::lookUpDescription(qint64 seriesId)
{
    if (auto known = m_descriptions.value(seriesId))
        return known;
    QSqlQuery *query =
        preparedQuery(u"SELECT t.name, st.name, tp.name, m.name, m.metric_group,"
                      " g.geography_type, g.name, g.code, s.stratum, s.age, s.sex, s.frequency"_s
                      + QLatin1String(kJoins) + u" WHERE s.id = ?"_s);
    query->bindValue(0, seriesId);
    run(query);
    if (!fetch(query))
        return nullptr;
    auto description = std::make_shared<const SeriesDescription>(SeriesDescription{
        query->value(0).toString(), query->value(1).toString(), query->value(2).toString(),
        query->value(3).toString(), query->value(4).toString(), query->value(5).toString(),
        query->value(6).toString(), query->value(7).toString(), query->value(8).toString(),
        query->value(9).toString(), query->value(10).toString(), query->value(11).toString()});
    query->finish();
    m_descriptions.insert(seriesId, description);
    return description;
}

QList<CatalogueEntry> MetricsQuery::catalogue()
{
    // One pass over the series table (a few thousand rows even in a 10-million-point store).
    QSqlQuery *query = preparedQuery(
        u"SELECT DISTINCT t.name, st.name, tp.name, g.geography_type, g.name, m.name, m.kind"_s
        + QLatin1String(kJoins) + u" WHERE s.has_public = 1 ORDER BY 1, 2, 3, 4, 5, 6"_s);
    run(query);
    QList<CatalogueEntry> entries;
    while (fetch(query))
        entries.append(
            {query->value(0).toString(), query->value(1).toString(), query->value(2).toString(),
             query->value(3).toString(), query->value(4).toString(), query->value(5).toString(),
             query->value(6).toInt() == int(SeriesKind::Headline) ? SeriesKind::Headline
                                                                  : SeriesKind::TimeSeries});
    return entries;
}

QStringList MetricsQuery::childNames(CatalogueLevel level, const QStringList &parents)
{
    static const char *const columns[] = {"t.name",           "st.name", "tp.name",
                                          "g.geography_type", "g.name",  "m.name"};
    WhereClause where;
    for (int i = 0; i < parents.size() && i < int(level); ++i)
        where.equals(columns[i], parents[i]);
    // The drill-down serves dated points: headline-only names would lead to empty pages.
    where.raw(u"s.has_public = 1 AND m.kind = ?"_s, {int(SeriesKind::TimeSeries)});
    const QString sql = u"SELECT DISTINCT %1"_s.arg(QLatin1String(columns[int(level)]))
                        + QLatin1String(kJoins) + where.sql() + u" ORDER BY 1"_s;
    QSqlQuery *query = preparedQuery(sql);
    where.bindTo(query);
    run(query);
    QStringList names;
    while (fetch(query))
        names << query->value(0).toString();
    return names;
}

bool MetricsQuery::topicExists(const QString &topic)
{
    dropCachesIfStoreChanged();
    if (const bool *known = m_topicExists.find({topic}))
        return *known;
    QSqlQuery *query = preparedQuery(u"SELECT 1 FROM topic WHERE name = ? LIMIT 1"_s);
    query->bindValue(0, topic);
    run(query);
    const bool found = fetch(query);
    query->finish();
    return m_topicExists.keep({topic}, found);
}

QList<GeographyName> MetricsQuery::geographyNames(QSqlQuery *query)
{
    run(query);
    QList<GeographyName> names;
    while (fetch(query))
        names.append(
            {query->value(0).toString(), query->value(1).toString(), query->value(2).toString()});
    return names;
}

QList<GeographyName> MetricsQuery::geographiesWithData(const QString &topic)
{
    QSqlQuery *query = preparedQuery(
        u"SELECT DISTINCT g.geography_type, g.name, g.code FROM geography g"
        " JOIN series s ON s.geography_id = g.id JOIN metric m ON m.id = s.metric_id"
        " JOIN topic tp ON tp.id = m.topic_id WHERE tp.name = ? AND m.kind = ?"
        " AND EXISTS (SELECT 1 FROM point p WHERE p.series_id = s.id AND p.is_public = 1"
        " AND (p.embargo IS NULL OR p.embargo <= ?))"
        " ORDER BY g.geography_type, g.name"_s);
    query->bindValue(0, topic);
    query->bindValue(1, int(SeriesKind::TimeSeries));
    query->bindValue(2, m_now());
    return geographyNames(query);
}

QList<GeographyName> MetricsQuery::geographiesOfType(const QString &type)
{
    QSqlQuery *query =
        preparedQuery(u"SELECT geography_type, name, code FROM geography WHERE geography_type = ?"
                      " ORDER BY name"_s);
    query->bindValue(0, type);
    return geographyNames(query);
}

std::optional<QString> MetricsQuery::geographyCode(const QString &type, const QString &name)
{
    QSqlQuery *query =
        preparedQuery(u"SELECT code FROM geography WHERE geography_type = ? AND name = ?"_s);
    query->bindValue(0, type);
    query->bindValue(1, name);
    run(query);
    if (!fetch(query))
        return std::nullopt;
    QString code = query->value(0).toString();
    query->finish();
    return code;
}

bool MetricsQuery::holds(Dimension dimension, const QString &name)
{
    static const QHash<Dimension, QString> statements = {
        {Dimension::GeographyType, u"SELECT 1 FROM geography WHERE geography_type = ? LIMIT 1"_s},
        {Dimension::Geography, u"SELECT 1 FROM geography WHERE name = ? LIMIT 1"_s},
        {Dimension::Stratum, u"SELECT 1 FROM series WHERE stratum = ? LIMIT 1"_s},
        {Dimension::Age, u"SELECT 1 FROM series WHERE age = ? LIMIT 1"_s},
        {Dimension::Sex, u"SELECT 1 FROM series WHERE sex = ? LIMIT 1"_s},
    };
    QSqlQuery *query = preparedQuery(statements.value(dimension));
    query->bindValue(0, name);
    run(query);
    const bool found = fetch(query);
    query->finish();
    return found;
}

std::optional<MetricInfo> MetricsQuery::metricInfo(const QString &topic, const QString &metric,
                                                   bool *inTopic)
{
    dropCachesIfStoreChanged();
    const QStringList names{topic, metric};
    const auto *known = m_metricInfos.find(names);
    if (!known) {
        QSqlQuery *query = preparedQuery(
            u"SELECT m.kind, m.metric_group, tp.name = ? FROM metric m"
            " JOIN topic tp ON tp.id = m.topic_id WHERE m.name = ?"
            // A metric with only non-public series is unknown to the API, as in the catalogue.
            " AND EXISTS (SELECT 1 FROM series s WHERE s.metric_id = m.id AND s.has_public = 1)"
            " ORDER BY 3 DESC LIMIT 1"_s);
        query->bindValue(0, topic);
        query->bindValue(1, metric);
        run(query);
        std::optional<std::pair<MetricInfo, bool>> found;
        if (fetch(query))
            found = {MetricInfo{SeriesKind(query->value(0).toInt()), query->value(1).toString()},
                     query->value(2).toBool()};
        query->finish();
        known = &m_metricInfos.keep(names, found);
    }
    if (!*known)
        return std::nullopt;
    if (inTopic)
        *inTopic = (*known)->second;
    return (*known)->first;
}

QList<PublicPoint> MetricsQuery::points(const PointSelection &selection, qint64 offset,
                                        qint64 limit, qint64 *total)
{
    dropCachesIfStoreChanged();
    // One series' points are read from the point table alone, in its key's order, while
    // merging several by day takes the joins and a sort (a fifth of a year's read): most
    // selections name one series, so look them up first.
    const QList<qint64> seriesIds = seriesOf(selection);
    if (seriesIds.isEmpty()) {
        if (total)
            *total = 0;
        return {};
    }
    const bool one = seriesIds.size() == 1;
    WhereClause where = one ? WhereClause() : seriesWhere(selection);
    if (one)
        where.raw(u"p.series_id = ?"_s, {seriesIds.front()});
    addPointConditions(where, selection, "p", "day", m_now(), MetricsDatabase::isPostgresql(m_db));
    const QString from = (one ? u" FROM point p"_s
                              : QLatin1String(kJoins) + u" JOIN point p ON p.series_id = s.id"_s)
                         + where.sql();

    StoreStatement *rows = preparedStatement(QLatin1String(kPointColumns) + from
                                             + (one ? u" ORDER BY p.day LIMIT ? OFFSET ?"_s
                                                    : u" ORDER BY p.day, s.id LIMIT ? OFFSET ?"_s));
    where.bindTo(rows);
    // One row past the page says whether another follows (see the count below).
    rows->bind(int(where.values().size()) + 1, total ? limit + 1 : limit);
    rows->bind(int(where.values().size()) + 2, offset);
    QList<PublicPoint> result;
    // A year's page at once; a larger limit is often a bound, not the size (tables ask for
    // their row limit), and grows as read.
    result.reserve(qsizetype(std::clamp<qint64>(limit + 1, 0, 512)));
    while (rows->next())
        result.append(pointAt(*rows));
    if (!rows->error().isEmpty())
        throw StoreError(rows->error());
    if (!total)
        return result;
    const bool more = result.size() > limit;
    const std::optional<PublicPoint> next = more ? std::optional(result.takeLast()) : std::nullopt;
    // With no page after this one and this one not past the end, the total is known without
    // counting (most answers are one page, and counting cost a third of such a read).
    if (!more && (offset == 0 || !result.isEmpty())) {
        *total = offset + result.size();
        return result;
    }
    // One series counts what follows the page from the row after it, through its key, rather
    // than all its rows again: a leap year asked for 365 points at a time counts one.
    if (one && next) {
        WhereClause rest = where;
        rest.raw(u"p.day >= ?"_s, {toDayNumber(next->date)});
        StoreStatement *count = preparedStatement(u"SELECT COUNT(*) FROM point p"_s + rest.sql());
        rest.bindTo(count);
        const auto after =
            firstRow(count, [](const StoreStatement &row) { return row.int64At(0); });
        *total = offset + result.size() + after.value_or(0);
        return result;
    }
    QSqlQuery *count = preparedQuery(u"SELECT COUNT(*)"_s + from);
    where.bindTo(count);
    run(count);
    *total = fetch(count) ? count->value(0).toLongLong() : 0;
    count->finish();
    return result;
}

QList<qint64> MetricsQuery::seriesOf(const PointSelection &selection)
{
    const QStringList names = {selection.theme,   selection.subTheme,      selection.topic,
                               selection.metric,  selection.geographyType, selection.geography,
                               selection.stratum, selection.age,           selection.sex};
    if (const QList<qint64> *known = m_seriesOfNames.find(names))
        return *known;
    const WhereClause where = seriesWhere(selection);
    StoreStatement *series =
        preparedStatement(u"SELECT s.id"_s + QLatin1String(kJoins) + where.sql() + u" LIMIT 2"_s);
    where.bindTo(series);
    QList<qint64> ids;
    while (series->next())
        ids.append(series->int64At(0));
    if (!series->error().isEmpty())
        throw StoreError(series->error());
    return m_seriesOfNames.keep(names, ids);
}

PublicPoint MetricsQuery::pointAt(const StoreStatement &row)
{
    const auto optional = [&row](int column) {
        return row.isNullAt(column) ? std::nullopt : std::optional(row.doubleAt(column));
    };
    return PublicPoint{describe(row.int64At(0)),
                       fromDayNumber(row.int64At(1)),
                       int(row.int64At(2)),
                       row.doubleAt(3),
                       row.int64At(4) != 0,
                       optional(5),
                       optional(6)};
}

std::optional<PublicPoint> MetricsQuery::latestPoint(const PointSelection &selection)
{
    dropCachesIfStoreChanged();
    WhereClause where = seriesWhere(selection);
    addPointConditions(where, selection, "p", "day", m_now(), MetricsDatabase::isPostgresql(m_db));
    StoreStatement *query =
        preparedStatement(QLatin1String(kPointColumns) + QLatin1String(kJoins)
                          + u" JOIN point p ON p.series_id = s.id"_s + where.sql()
                          + u" ORDER BY p.day DESC, s.id LIMIT 1"_s);
    where.bindTo(query);
    return firstRow(query, [this](const StoreStatement &row) { return pointAt(row); });
}

namespace {

constexpr const char *kHeadlineColumns =
    "SELECT s.id, h.period_start, h.period_end, h.value, h.upper_confidence,"
    " h.lower_confidence, h.period_start_at, h.period_end_at";

} // namespace

PublicHeadline MetricsQuery::headlineAt(const QSqlQuery &row)
{
    return PublicHeadline{describe(row.value(0).toLongLong()),
                          periodBound(row, 6, 1),
                          periodBound(row, 7, 2),
                          row.value(3).toDouble(),
                          optionalDouble(row, 4),
                          optionalDouble(row, 5)};
}

QSqlQuery *MetricsQuery::headlineQuery(const PointSelection &selection, const QString &order)
{
    dropCachesIfStoreChanged();
    WhereClause where = seriesWhere(selection);
    addPointConditions(where, selection, "h", "period_end", m_now(),
                       MetricsDatabase::isPostgresql(m_db));
    QSqlQuery *query =
        preparedQuery(QLatin1String(kHeadlineColumns) + QLatin1String(kJoins)
                      + u" JOIN headline h ON h.series_id = s.id"_s + where.sql() + order);
    where.bindTo(query);
    run(query);
    return query;
}

std::optional<PublicHeadline> MetricsQuery::latestHeadline(const PointSelection &selection)
{
    QSqlQuery *query = headlineQuery(selection, u" ORDER BY h.period_end DESC, s.id LIMIT 1"_s);
    if (!fetch(query))
        return std::nullopt;
    PublicHeadline headline = headlineAt(*query);
    query->finish();
    return headline;
}

QList<PublicHeadline> MetricsQuery::headlines(const PointSelection &selection)
{
    QSqlQuery *query = headlineQuery(selection, u" ORDER BY h.period_end, s.id"_s);
    QList<PublicHeadline> records;
    while (fetch(query))
        records.append(headlineAt(*query));
    return records;
}

void MetricsQuery::checkReadable()
{
    // The header, the schema and a table's first page: what a damaged or foreign file fails on.
    QSqlQuery *query = preparedQuery(u"SELECT value FROM store_state LIMIT 1"_s);
    run(query);
    if (!fetch(query))
        throw StoreError(u"the store has no state row"_s);
    query->finish();
}

QHash<QString, AlertRecord> MetricsQuery::latestRefreshedHeadlines(const PointSelection &selection)
{
    dropCachesIfStoreChanged();
    WhereClause where = seriesWhere(selection);
    addPointConditions(where, selection, "h", "period_end", m_now(),
                       MetricsDatabase::isPostgresql(m_db));
    QSqlQuery *query =
        preparedQuery(u"SELECT g.code, h.value, h.period_start, h.period_end, h.period_start_at,"
                      " h.period_end_at, h.refresh"_s
                      + QLatin1String(kJoins) + u" JOIN headline h ON h.series_id = s.id"_s
                      + where.sql() + u" ORDER BY h.refresh DESC, h.period_end DESC"_s);
    where.bindTo(query);
    run(query);
    QHash<QString, AlertRecord> records;
    while (fetch(query)) {
        const QString code = query->value(0).toString();
        if (!records.contains(code))
            records.insert(code, {query->value(1).toDouble(), periodBound(*query, 4, 2),
                                  periodBound(*query, 5, 3), query->value(6).toLongLong()});
    }
    return records;
}

QDate MetricsQuery::newestDate(const PointSelection &selection)
{
    const auto latest = latestPoint(selection);
    return latest ? latest->date : QDate();
}

} // namespace isobar
