#pragma once

#include "MetricRecords.h"

#include <QDate>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

namespace isobar {

class StoreStatement;

// The drill-down levels of the public time-series API, in order.
enum class CatalogueLevel { Theme, SubTheme, Topic, GeographyType, Geography, Metric };

// Which stored series and dates a request means. Empty strings and unset optionals mean
// "not filtered"; topic and metric are always given.
struct PointSelection {
    QString theme;
    QString subTheme;
    QString topic;
    QString metric;
    QString geographyType;
    QString geography;
    QString stratum;
    QString age;
    QString sex;
    std::optional<QDate> from;
    std::optional<QDate> to;
    std::optional<QDate> date;
    std::optional<int> year;
    std::optional<int> month; // 1-12, in any year
    std::optional<int> epiweek;
    std::optional<bool> inReportingDelay;
};

// The names a series is filed under; shared by all of its points.
struct SeriesDescription {
    QString theme, subTheme, topic, metric, metricGroup;
    QString geographyType, geography, geographyCode;
    QString stratum, age, sex, frequency;
};

struct PublicPoint {
    std::shared_ptr<const SeriesDescription> series;
    QDate date;
    int epiweek = 0;
    double value = 0;
    bool inReportingDelay = false;
    std::optional<double> upperConfidence;
    std::optional<double> lowerConfidence;
};

struct PublicHeadline {
    std::shared_ptr<const SeriesDescription> series;
    qint64 periodStart = 0; // UTC seconds, as HeadlinePoint
    qint64 periodEnd = 0;
    double value = 0;
    std::optional<double> upperConfidence;
    std::optional<double> lowerConfidence;
};

// One metric's place in the drill-down: every level's name, and whether it holds dated points
// or headline figures. The whole catalogue in one read (the desktop's navigator, GET
// /api/v1/catalogue) instead of a read per level.
struct CatalogueEntry {
    QString theme;
    QString subTheme;
    QString topic;
    QString geographyType;
    QString geography;
    QString metric;
    SeriesKind kind = SeriesKind::TimeSeries;

    friend bool operator==(const CatalogueEntry &, const CatalogueEntry &) = default;
};

// A geography as UKHSA's geographies API lists it.
struct GeographyName {
    QString type;
    QString name;
    QString code;
};

// The record that decides a weather-health alert (UKHSA's latest headline of an alert metric).
struct AlertRecord {
    double value = 0;
    qint64 periodStart = 0; // UTC seconds
    qint64 periodEnd = 0;
    qint64 refreshDate = 0;
};

struct MetricInfo {
    SeriesKind kind = SeriesKind::TimeSeries;
    QString metricGroup;
};

// Read side of the store: what the public API serves. Only public points whose embargo has
// passed are ever returned. One instance per connection (and so per thread). A read SQLite
// refuses throws StoreError: an unreadable store must never look like an empty one. What it
// keeps between reads (series descriptions, the series a selection names, the topics and
// metrics looked up) is dropped when the store's data version moves, which every ingest that
// changed something does (MetricsWriter).
class MetricsQuery
{
public:
    explicit MetricsQuery(QSqlDatabase &db);
    // The read connection itself, for other read models on the same pool thread (stats).
    QSqlDatabase &database() { return m_db; }
    ~MetricsQuery();
    MetricsQuery(const MetricsQuery &) = delete;
    MetricsQuery &operator=(const MetricsQuery &) = delete;

    // Every (theme, sub-theme, topic, geography type, geography, metric) with public data,
    // sorted; its time series are the names childNames() offers level by level.
    QList<CatalogueEntry> catalogue();
    // Names one level below `parents` (the values of the levels above, in order), sorted, of
    // time-series data only. Empty when the parent path does not exist (or holds no public data).
    QStringList childNames(CatalogueLevel level, const QStringList &parents);

    // Geographies with public, released time-series data of `topic`, by type then name.
    QList<GeographyName> geographiesWithData(const QString &topic);
    // Every geography of `type` the store holds, by name.
    QList<GeographyName> geographiesOfType(const QString &type);
    // The code of the geography of that type and name; nullopt when the store holds none.
    std::optional<QString> geographyCode(const QString &type, const QString &name);

    // Whether a topic of that name exists (with or without public data).
    bool topicExists(const QString &topic);
    // Whether any series is filed under this name of a dimension (with or without public data).
    enum class Dimension { GeographyType, Geography, Stratum, Age, Sex };
    bool holds(Dimension dimension, const QString &name);
    // nullopt: no such metric with public data. `inTopic` false: the metric exists but under
    // another topic.
    std::optional<MetricInfo> metricInfo(const QString &topic, const QString &metric,
                                         bool *inTopic = nullptr);

    // Public points, oldest first; `total` (if given) receives the unpaged count.
    QList<PublicPoint> points(const PointSelection &selection, qint64 offset, qint64 limit,
                              qint64 *total = nullptr);
    // Newest first: the latest public point or headline record of the selection.
    std::optional<PublicPoint> latestPoint(const PointSelection &selection);
    std::optional<PublicHeadline> latestHeadline(const PointSelection &selection);
    // Every public, released headline record of the selection (all ages, sexes and strata
    // unless it names them), oldest period first: a headline metric holds few.
    QList<PublicHeadline> headlines(const PointSelection &selection);
    // Per geography code, the newest-refreshed public, released headline of the selection's
    // metric: UKHSA decides an alert by its latest refresh, whatever its period.
    QHash<QString, AlertRecord> latestRefreshedHeadlines(const PointSelection &selection);

    QDate newestDate(const PointSelection &selection);

    // Throws StoreError unless the store answers a trivial read.
    void checkReadable();

    // The clock used for embargoes (seconds since epoch); tests pin it.
    void setNow(std::function<qint64()> now) { m_now = std::move(now); }

private:
    QSqlQuery *preparedQuery(const QString &sql);
    // The same statement on the engine's own library (StoreStatement), for reads of many rows,
    // where QtSql's QVariant per value cost as much as the query itself.
    StoreStatement *preparedStatement(const QString &sql);
    // exec() and next() that throw StoreError when SQLite refuses; fetch() is false at the end.
    static void run(QSqlQuery *query);
    static bool fetch(QSqlQuery *query);
    std::shared_ptr<const SeriesDescription> describe(qint64 seriesId);
    // describe() of another series than the last: from m_descriptions, else from the store.
    std::shared_ptr<const SeriesDescription> lookUpDescription(qint64 seriesId);
    // Runs a statement selecting type, name, code.
    static QList<GeographyName> geographyNames(QSqlQuery *query);
    // A point from a row of kPointColumns.
    PublicPoint pointAt(const StoreStatement &row);
    // The series the selection's names match, at most two (enough to tell one from several).
    QList<qint64> seriesOf(const PointSelection &selection);
    // Headline rows of the selection, public and released, in `order` (an ORDER BY clause).
    QSqlQuery *headlineQuery(const PointSelection &selection, const QString &order);
    PublicHeadline headlineAt(const QSqlQuery &row);
    void dropCachesIfStoreChanged();

    QSqlDatabase &m_db;
    std::function<qint64()> m_now;
    QHash<QString, QSqlQuery *> m_statements;
    std::unordered_map<QString, std::unique_ptr<StoreStatement>> m_rawStatements;
    QHash<qint64, std::shared_ptr<const SeriesDescription>> m_descriptions;
    // Answers by the names a client sent: dropped with the descriptions, and when full
    // (clients choose the names).
    template <typename Value> class AnswersByNames
    {
    public:
        const Value *find(const QStringList &names) const
        {
            const auto known = m_answers.constFind(names);
            return known == m_answers.constEnd() ? nullptr : &*known;
        }
        const Value &keep(const QStringList &names, Value value)
        {
            if (m_answers.size() >= kMaxEntries)
                m_answers.clear();
            return *m_answers.insert(names, std::move(value));
        }
        void clear() { m_answers.clear(); }

    private:
        static constexpr qsizetype kMaxEntries = 10'000;
        QHash<QStringList, Value> m_answers;
    };
    AnswersByNames<QList<qint64>> m_seriesOfNames;
    AnswersByNames<bool> m_topicExists;
    // The metric's info and whether it is filed under the topic asked.
    AnswersByNames<std::optional<std::pair<MetricInfo, bool>>> m_metricInfos;
    // The last series described: points come series by series.
    qint64 m_lastDescribedId = -1;
    std::shared_ptr<const SeriesDescription> m_lastDescribed;
    qint64 m_seenDataVersion = -1;
};

} // namespace isobar
