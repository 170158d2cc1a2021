#include "MetricsApi.h"

#include "PointDownloads.h"
#include "TrendDirection.h"
#include "http/JsonBytes.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUrl>
#include <cmath>
#include <map>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// An ISO date as QJsonDocument writes the string, without going through QString.
void appendJsonDate(QByteArray &out, QDate date)
{
    if (date.year() < 1000 || date.year() > 9999) {
        out += date.toString(Qt::ISODate).toLatin1();
        return;
    }
    const int y = date.year(), m = date.month(), d = date.day();
    const char text[10] = {char('0' + y / 1000),
                           char('0' + y / 100 % 10),
                           char('0' + y / 10 % 10),
                           char('0' + y % 10),
                           '-',
                           char('0' + m / 10),
                           char('0' + m % 10),
                           '-',
                           char('0' + d / 10),
                           char('0' + d % 10)};
    out.append(text, sizeof text);
}

// Writes PointDownloads::object() objects straight into bytes, identical to QJsonDocument's compact
// output (keys sorted), because building a QJsonObject per point and serialising it took ~80% of a
// 365-point answer. The names a series shares are escaped once per series.
class PointJsonWriter
{
public:
    void append(QByteArray &out, const PublicPoint &point)
    {
        const QByteArrayList &f = fragments(point.series.get());
        out += f[0];
        appendJsonDate(out, point.date);
        out += "\",\"epiweek\":";
        out += QByteArray::number(point.epiweek);
        out += f[1];
        out += point.inReportingDelay ? "true" : "false";
        out += f[2];
        JsonBytes::appendNumber(out, point.value);
        out += ",\"month\":";
        out += QByteArray::number(point.date.month());
        out += f[3];
        out += QByteArray::number(point.date.year());
        out += '}';
    }

private:
    const QByteArrayList &fragments(const SeriesDescription *s)
    {
        auto known = m_fragments.constFind(s);
        if (known != m_fragments.constEnd())
            return *known;
        return *m_fragments.insert(
            s, {"{\"age\":" + JsonBytes::string(s->age) + ",\"date\":\"",
                ",\"geography\":" + JsonBytes::string(s->geography) + ",\"geography_code\":"
                    + JsonBytes::string(s->geographyCode) + ",\"geography_type\":"
                    + JsonBytes::string(s->geographyType) + ",\"in_reporting_delay_period\":",
                ",\"metric\":" + JsonBytes::string(s->metric) + ",\"metric_group\":"
                    + JsonBytes::string(s->metricGroup) + ",\"metric_value\":",
                ",\"sex\":" + JsonBytes::string(s->sex)
                    + ",\"stratum\":" + JsonBytes::string(s->stratum) + ",\"sub_theme\":"
                    + JsonBytes::string(s->subTheme) + ",\"theme\":" + JsonBytes::string(s->theme)
                    + ",\"topic\":" + JsonBytes::string(s->topic) + ",\"year\":"});
    }

    QHash<const SeriesDescription *, QByteArrayList> m_fragments;
};

// The points as a JSON array, as QJsonDocument would write a QJsonArray of
// PointDownloads::object().
QByteArray pointsJson(const QList<PublicPoint> &points)
{
    PointJsonWriter writer;
    QByteArray out;
    out.reserve(points.size() * 400 + 2);
    out += '[';
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (i > 0)
            out += ',';
        writer.append(out, points[i]);
    }
    out += ']';
    return out;
}

} // namespace

MetricsApi::MetricsApi(QueryRunner &runner, Options options, ResponseCache *cache)
    : m_runner(runner)
    , m_options(options)
    , m_cache(cache)
{}

RouteHandler MetricsApi::cached(RouteHandler handler)
{
    return cachedRoute(m_cache, std::move(handler));
}

void MetricsApi::registerRoutes(Router &router)
{
    router.add("GET", u"/api/v1/catalogue"_s,
               u"Every metric and area with public time series, in one answer"_s,
               cached([this](const HttpRequest &r, const RouteParams &) { return catalogue(r); }));
    router.add("GET", u"/api/headlines/v3"_s, u"Latest headline value of a headline metric"_s,
               cached([this](const HttpRequest &r, const RouteParams &) { return headline(r); }));
    router.add("GET", u"/api/trends/v3"_s,
               u"Latest change of a metric with its direction and colour"_s,
               cached([this](const HttpRequest &r, const RouteParams &) { return trend(r); }));
    router.add("POST", u"/api/tables/v4"_s, u"Plots as a table, newest date first"_s,
               cached([this](const HttpRequest &r, const RouteParams &) { return table(r); }));
    router.add("POST", u"/api/downloads/v2"_s, u"Plot points as JSON or CSV"_s,
               cached([this](const HttpRequest &r, const RouteParams &) { return download(r); }));
}

QFuture<HttpResponse> MetricsApi::catalogue(const HttpRequest &request)
{
    // These answers take no parameter: any is refused (the constructor throws).
    [[maybe_unused]] const QueryParameters none(request.query, {});
    return m_runner.run([](MetricsQuery &query) {
        QJsonArray results;
        for (const CatalogueEntry &entry : query.catalogue()) {
            results.append(QJsonObject{{u"theme"_s, entry.theme},
                                       {u"sub_theme"_s, entry.subTheme},
                                       {u"topic"_s, entry.topic},
                                       {u"geography_type"_s, entry.geographyType},
                                       {u"geography"_s, entry.geography},
                                       {u"metric"_s, entry.metric}});
        }
        return HttpResponse::json(
            QJsonObject{{u"count"_s, double(results.size())}, {u"results"_s, results}});
    });
}

namespace {

PointSelection selectionFrom(const QueryParameters &query, const QString &metricParameter)
{
    PointSelection selection;
    selection.topic = query.requiredText(u"topic"_s);
    selection.metric = query.requiredText(metricParameter);
    selection.geography = query.text(u"geography"_s);
    selection.geographyType = query.text(u"geography_type"_s);
    selection.stratum = query.text(u"stratum"_s);
    selection.age = query.text(u"age"_s);
    selection.sex = query.text(u"sex"_s);
    return selection;
}

const QStringList kHeadlineParameters = {
    u"topic"_s, u"metric"_s, u"geography"_s, u"geography_type"_s, u"stratum"_s, u"age"_s, u"sex"_s};

// The latest public value of a metric, whichever kind it is: (value, period end).
std::optional<std::pair<double, QDate>>
latestValue(MetricsQuery &store, const PointSelection &selection, const QString &parameter)
{
    bool inTopic = false;
    const auto info = store.metricInfo(selection.topic, selection.metric, &inTopic);
    if (!info)
        throw ApiError{400, u"unknown metric '%1'"_s.arg(selection.metric), parameter};
    if (!inTopic)
        throw ApiError{
            400,
            u"metric '%1' does not belong to topic '%2'"_s.arg(selection.metric, selection.topic),
            u"topic"_s};
    if (info->kind == SeriesKind::Headline) {
        if (const auto headline = store.latestHeadline(selection))
            return std::pair(headline->value, headline->periodEnd);
    } else if (const auto point = store.latestPoint(selection)) {
        return std::pair(point->value, point->date);
    }
    return std::nullopt;
}

} // namespace

QFuture<HttpResponse> MetricsApi::headline(const HttpRequest &request)
{
    const QueryParameters query(request.query, kHeadlineParameters);
    const PointSelection selection = selectionFrom(query, u"metric"_s);
    return m_runner.run([selection](MetricsQuery &store) {
        bool inTopic = false;
        const auto info = store.metricInfo(selection.topic, selection.metric, &inTopic);
        if (info && inTopic && info->kind != SeriesKind::Headline)
            throw ApiError{400,
                           u"'%1' is a time-series metric; headlines serve "
                           "headline metrics only"_s.arg(selection.metric),
                           u"metric"_s};
        const auto latest = latestValue(store, selection, u"metric"_s);
        if (!latest)
            throw ApiError{404, u"no public headline data for this selection"_s, {}};
        return HttpResponse::json(QJsonObject{
            {u"value"_s, latest->first},
            {u"period_end"_s, latest->second.toString(Qt::ISODate)},
        });
    });
}

QFuture<HttpResponse> MetricsApi::trend(const HttpRequest &request)
{
    const QueryParameters query(request.query,
                                kHeadlineParameters + QStringList{u"percentage_metric"_s});
    const PointSelection selection = selectionFrom(query, u"metric"_s);
    PointSelection percentage = selection;
    percentage.metric = query.requiredText(u"percentage_metric"_s);
    return m_runner.run([selection, percentage](MetricsQuery &store) {
        const auto change = latestValue(store, selection, u"metric"_s);
        const auto percent = latestValue(store, percentage, u"percentage_metric"_s);
        if (!change || !percent)
            throw ApiError{404, u"no public trend data for this selection"_s, {}};
        const TrendDirection direction = trendDirection(change->first);
        return HttpResponse::json(QJsonObject{
            {u"metric_name"_s, selection.metric},
            {u"metric_value"_s, change->first},
            {u"metric_period_end"_s, change->second.toString(Qt::ISODate)},
            {u"percentage_metric_name"_s, percentage.metric},
            {u"percentage_metric_value"_s, percent->first},
            {u"percentage_metric_period_end"_s, percent->second.toString(Qt::ISODate)},
            {u"direction"_s, directionName(direction)},
            {u"colour"_s, trendColour(direction, trendPolarity(selection.metric))},
        });
    });
}

QList<PublicPoint> MetricsApi::plotPoints(MetricsQuery &query, const PlotRequest &plot,
                                          int index) const
{
    checkPlotMetric(query, plot, index, SeriesKind::TimeSeries);
    qint64 total = 0;
    QList<PublicPoint> points =
        query.points(plot.selection, 0, m_options.maxRowsPerRequest + 1, &total);
    if (total > m_options.maxRowsPerRequest)
        throw ApiError{400,
                       u"plot %1 selects %2 points, more than the limit of %3; "
                       "narrow the dates or filters"_s.arg(index)
                           .arg(total)
                           .arg(m_options.maxRowsPerRequest),
                       u"plots[%1]"_s.arg(index)};
    return points;
}

QFuture<HttpResponse> MetricsApi::table(const HttpRequest &request)
{
    const QJsonObject body = parseJsonBody(request.body);
    const QString xAxis = body.value(u"x_axis").toString(u"date"_s);
    if (xAxis != u"date")
        throw ApiError{400, u"x_axis '%1' is not supported by tables; use 'date'"_s.arg(xAxis),
                       u"x_axis"_s};
    const QList<PlotRequest> plots = parsePlots(body, QDate::currentDate(), m_options.plots);
    return m_runner.run([this, plots](MetricsQuery &store) {
        // date -> one value slot per plot, so every row lists every plot in request order.
        std::map<QDate, QList<std::optional<PublicPoint>>, std::greater<>> rows;
        for (int i = 0; i < plots.size(); ++i) {
            for (const PublicPoint &point : plotPoints(store, plots[i], i)) {
                auto &slots = rows[point.date];
                if (slots.isEmpty())
                    slots.resize(plots.size());
                if (!slots[i])
                    slots[i] = point;
            }
        }
        // Written straight to bytes, as the points are (PointJsonWriter), keys in sorted order:
        // [{"reference", "values": [{"in_reporting_delay_period", "label", "value"}]}].
        QByteArrayList labels;
        for (const PlotRequest &plot : plots)
            labels << ",\"label\":" + JsonBytes::string(plot.label) + ",\"value\":";
        QByteArray out;
        out.reserve(qsizetype(rows.size()) * (40 + plots.size() * 80) + 2);
        out += '[';
        for (const auto &[date, slots] : rows) {
            if (out.size() > 1)
                out += ',';
            out += "{\"reference\":\"";
            appendJsonDate(out, date);
            out += "\",\"values\":[";
            for (int i = 0; i < plots.size(); ++i) {
                if (i > 0)
                    out += ',';
                out += "{\"in_reporting_delay_period\":";
                out += slots[i] && slots[i]->inReportingDelay ? "true" : "false";
                out += labels[i];
                if (slots[i])
                    JsonBytes::appendNumber(out, slots[i]->value);
                else
                    out += "null";
                out += '}';
            }
            out += "]}";
        }
        out += ']';
        return HttpResponse::bytes(std::move(out), "application/json");
    });
}

QFuture<HttpResponse> MetricsApi::download(const HttpRequest &request)
{
    const QJsonObject body = parseJsonBody(request.body);
    const QString format = body.value(u"file_format").toString(u"json"_s);
    if (format != u"json" && format != u"csv")
        throw ApiError{400, u"file_format must be 'json' or 'csv', got '%1'"_s.arg(format),
                       u"file_format"_s};
    const QList<PlotRequest> plots = parsePlots(body, QDate::currentDate(), m_options.plots);
    return m_runner.run([this, plots, format](MetricsQuery &store) {
        QList<PublicPoint> all;
        for (int i = 0; i < plots.size(); ++i)
            all += plotPoints(store, plots[i], i);
        if (format == u"json") {
            HttpResponse response = HttpResponse::bytes(pointsJson(all), "application/json");
            response.setHeader("Content-Disposition",
                               "attachment; filename=\"isobar-download.json\"");
            return response;
        }
        const QByteArray csv = PointDownloads::csv(all);
        HttpResponse response = HttpResponse::bytes(csv, "text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"isobar-download.csv\"");
        return response;
    });
}

} // namespace isobar
