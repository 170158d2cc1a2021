#pragma once

#include "DrfFields.h"
#include "MetricsQuery.h"
#include "UkhsaWire.h"

#include <QDate>
#include <QJsonObject>
#include <QSet>
#include <functional>
#include <variant>

namespace isobar {

// The body of UKHSA's tables/v4 and downloads/v2, checked as UKHSA's serializers and plot rules
// check it: DRF's errors field by field (plots as a list aligned with the request's), then its
// "Invalid plot parameter" message. Parsing needs the store for the names tables accept.
namespace UkhsaPlots {

// What the route's serializer takes beside `plots`.
enum class Route { Tables, Downloads, Charts };

// What a chart's serializer adds (Route::Charts): its own fields, read before (DRF lists their
// errors first), and a plot's chart fields, read by `readPlot` with the plot's other fields.
struct ChartExtras {
    UkhsaWire::ErrorFields bodyErrors;
    QString xAxis;
    std::function<void(const QJsonObject &plot, qsizetype index, DrfFields::Reader &fields)>
        readPlot;
};

struct Plot {
    PointSelection selection; // dates filled in with UKHSA's defaults
    QString label;            // as sent; empty: UKHSA numbers it
};

struct Request {
    QList<Plot> plots;
    QString xAxis;           // stratum | age | date | metric | geography | sex
    QString fileFormat;      // downloads: json | csv
    bool confidence = false; // downloads: confidence_intervals, truthy as UKHSA reads it
    bool headline = false;   // the first plot's metric names a headline metric
};

// nullopt and `*error` set when the body is not a JSON object DRF would read (an empty body
// reads as one without fields).
std::optional<QJsonObject> parseBody(const QByteArray &body, HttpResponse *error);

// The request, or the answer UKHSA gives to it (400 with its body). `maxPlots` bounds the list
// (Isobar's limit; UKHSA has none).
std::variant<Request, HttpResponse> check(MetricsQuery &store, const QJsonObject &body, Route route,
                                          QDate today, int maxPlots,
                                          const ChartExtras *chart = nullptr);

// UKHSA's messages for a request it read but cannot answer.
HttpResponse noData();

// A plot's points, oldest first, or the answer to a plot (the `index`th) that selects more
// than `maxRows` (Isobar's limit).
std::variant<QList<PublicPoint>, HttpResponse>
readPoints(MetricsQuery &store, const PointSelection &selection, int index, int maxRows);

// A row's reference on UKHSA's x axis: the date, or a name (an age band's "-" spaced out, as
// UKHSA shows it), or for "metric" the value itself.
QByteArray axisKey(const QString &axis, const SeriesDescription &series, QDate date, double value);

// Sets the field a request names (theme, sub_theme, topic, metric, age, sex, stratum,
// geography_type, geography).
void setDimension(PointSelection &selection, const QString &name, const QString &value);

// A headline plot's latest record: UKHSA's dates apply to time series only.
std::optional<PublicHeadline> latestHeadline(MetricsQuery &store, PointSelection selection);

// UKHSA's plot rules once a body is read: date_to after date_from (as sent) when both are
// given, the metric named after its topic. The answer to a plot that breaks them, else nullopt.
std::optional<HttpResponse> breaksPlotRules(MetricsQuery &store, const PointSelection &selection,
                                            const QString &dateFrom, const QString &dateTo);
// UKHSA's dates for a plot that names none: from the first of the month a year ago, to today.
void defaultDates(PointSelection &selection, QDate today);

// Several plots' points merged as UKHSA merges its querysets: a series' date once, newest
// date first.
class MergedPoints
{
public:
    void add(QList<PublicPoint> points);
    // Reads a plot (readPoints) into the merge; the answer to too many points, else nullopt.
    std::optional<HttpResponse> read(MetricsQuery &store, const PointSelection &selection,
                                     int index, int maxRows);
    bool isEmpty() const { return m_points.isEmpty(); }
    QList<PublicPoint> newestFirst() const;

private:
    QList<PublicPoint> m_points;
    QSet<std::pair<const SeriesDescription *, qint64>> m_seen;
};

// Rows in the order UKHSA lists them: newest date first on the date axis, else first seen.
template <typename Row> class TableRows
{
public:
    explicit TableRows(bool newestFirst)
        : m_newestFirst(newestFirst)
    {}
    Row &operator[](const QByteArray &key)
    {
        if (!m_rows.contains(key))
            m_order.append(key);
        return m_rows[key];
    }
    QByteArrayList keys() const
    {
        QByteArrayList keys = m_order;
        if (m_newestFirst)
            std::sort(keys.begin(), keys.end(), std::greater<>());
        return keys;
    }
    const Row &at(const QByteArray &key) const { return *m_rows.constFind(key); }
    bool isEmpty() const { return m_order.isEmpty(); }

private:
    bool m_newestFirst;
    QByteArrayList m_order;
    QHash<QByteArray, Row> m_rows;
};

} // namespace UkhsaPlots

} // namespace isobar
