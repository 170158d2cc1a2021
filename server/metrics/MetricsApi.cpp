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

const QString kTimeseriesBase = u"/api/public/timeseries"_s;

// The drill-down: collection name and path parameter of each level, in order.
struct Level {
    const char *collection;
    const char *parameter;
};
constexpr Level kLevels[] = {
    {"themes", "theme"},          {"sub_themes", "sub_theme"},
    {"topics", "topic"},          {"geography_types", "geography_type"},
    {"geographies", "geography"}, {"metrics", "metric"},
};
constexpr int kLevelCount = int(std::size(kLevels));

const QStringList kSeriesFilters = {u"stratum"_s, u"age"_s, u"sex"_s};

// "/themes/<theme>/sub_themes/<sub_theme>" for the levels above `level`.
QString pathPattern(int level)
{
    QString path = kTimeseriesBase;
    for (int i = 0; i < level; ++i)
        path += u"/%1/<%2>"_s.arg(QLatin1String(kLevels[i].collection),
                                  QLatin1String(kLevels[i].parameter));
    return path;
}

// The same path with the request's values filled in and percent-encoded.
QString concretePath(int level, const RouteParams &params)
{
    QString path = kTimeseriesBase;
    for (int i = 0; i < level; ++i)
        path += u"/%1/%2"_s.arg(QLatin1String(kLevels[i].collection),
                                QString::fromLatin1(QUrl::toPercentEncoding(
                                    params.value(QLatin1String(kLevels[i].parameter)))));
    return path;
}

QStringList parentValues(int level, const RouteParams &params)
{
    QStringList values;
    for (int i = 0; i < level; ++i)
        values << params.value(QLatin1String(kLevels[i].parameter));
    return values;
}

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

QString pageUrl(const HttpRequest &request, int page)
{
    QUrlQuery query = request.query;
    query.removeAllQueryItems(u"page"_s);
    query.addQueryItem(u"page"_s, QString::number(page));
    return request.baseUrl() + request.path + u'?' + query.toString(QUrl::FullyEncoded);
}

} // namespace

MetricsApi::MetricsApi(QueryRunner &runner, Options options, ResponseCache *cache)
    : m_runner(runner)
    , m_options(options)
    , m_cache(cache)
{}

RouteHandler MetricsApi::cached(RouteHandler handler)
{
    if (!m_cache)
        return handler;
    return [this, handler](const HttpRequest &request, const RouteParams &params) {
        // Links in answers carry the scheme and host the client used (a trusted proxy's
        // X-Forwarded-Proto and -Host, else the Host header), and default date ranges depend on
        // today.
        const QByteArray key =
            request.method + ' ' + request.scheme + ' '
            + (request.host.isEmpty() ? request.header("host") : request.host) + request.target
            + '\n' + QDate::currentDate().toString(Qt::ISODate).toLatin1() + '\n' + request.body;
        if (auto hit = m_cache->find(key))
            return readyResponse(std::move(*hit));
        const qint64 version = m_cache->dataVersion();
        return handler(request, params).then([this, key, version](HttpResponse response) {
            if (response.status == 200)
                m_cache->insert(key, response, version);
            return response;
        });
    };
}

void MetricsApi::registerRoutes(Router &router)
{
    for (int level = 0; level < kLevelCount; ++level) {
        const QString list = pathPattern(level) + u'/' + QLatin1String(kLevels[level].collection);
        router.add("GET", list,
                   u"List the %1 with public data"_s.arg(QLatin1String(kLevels[level].collection)),
                   cached([this, level](const HttpRequest &r, const RouteParams &p) {
                       return catalogueList(level, r, p);
                   }));
        const QString detail = list + u"/<%1>"_s.arg(QLatin1String(kLevels[level].parameter));
        if (level + 1 < kLevelCount) {
            router.add(
                "GET", detail,
                u"One %1, linking to its %2"_s.arg(QLatin1String(kLevels[level].parameter),
                                                   QLatin1String(kLevels[level + 1].collection)),
                cached([this, level](const HttpRequest &r, const RouteParams &p) {
                    return catalogueDetail(level, r, p);
                }));
        } else {
            router.add("GET", detail, u"Paginated public points of one metric"_s,
                       cached([this](const HttpRequest &r, const RouteParams &p) {
                           return timeseriesPoints(r, p);
                       }));
        }
    }
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

QFuture<HttpResponse> MetricsApi::catalogueList(int level, const HttpRequest &request,
                                                const RouteParams &params)
{
    // These answers take no parameter: any is refused (the constructor throws).
    [[maybe_unused]] const QueryParameters none(request.query, {});
    const QStringList parents = parentValues(level, params);
    const QString base = request.baseUrl() + concretePath(level, params) + u'/'
                         + QLatin1String(kLevels[level].collection) + u'/';
    return m_runner.run([level, parents, base](MetricsQuery &query) {
        if (level > 0
            && query.childNames(CatalogueLevel(level - 1), parents.first(level - 1))
                       .indexOf(parents.constLast())
                   < 0)
            throw ApiError{404,
                           u"no %1 named '%2'"_s.arg(QLatin1String(kLevels[level - 1].parameter),
                                                     parents.constLast()),
                           QLatin1String(kLevels[level - 1].parameter)};
        QJsonArray items;
        for (const QString &name : query.childNames(CatalogueLevel(level), parents)) {
            items.append(QJsonObject{
                {u"name"_s, name},
                {u"link"_s, QString(base + QString::fromLatin1(QUrl::toPercentEncoding(name)))},
            });
        }
        return HttpResponse::json(items);
    });
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

QFuture<HttpResponse> MetricsApi::catalogueDetail(int level, const HttpRequest &request,
                                                  const RouteParams &params)
{
    // These answers take no parameter: any is refused (the constructor throws).
    [[maybe_unused]] const QueryParameters none(request.query, {});
    const QStringList values = parentValues(level + 1, params);
    const QString next = request.baseUrl() + concretePath(level + 1, params) + u'/'
                         + QLatin1String(kLevels[level + 1].collection) + u'/';
    return m_runner.run([level, values, next](MetricsQuery &query) {
        if (query.childNames(CatalogueLevel(level), values.first(level)).indexOf(values.constLast())
            < 0)
            throw ApiError{404,
                           u"no %1 named '%2'"_s.arg(QLatin1String(kLevels[level].parameter),
                                                     values.constLast()),
                           QLatin1String(kLevels[level].parameter)};
        return HttpResponse::json(QJsonObject{
            {u"name"_s, values.constLast()},
            {QLatin1String(kLevels[level + 1].collection), next},
        });
    });
}

QFuture<HttpResponse> MetricsApi::timeseriesPoints(const HttpRequest &request,
                                                   const RouteParams &params)
{
    const QueryParameters query(request.query,
                                {u"page"_s, u"page_size"_s, u"stratum"_s, u"sex"_s, u"age"_s,
                                 u"year"_s, u"epiweek"_s, u"date"_s, u"date_from"_s, u"date_to"_s});
    const int page = query.integer(u"page"_s, 1, 1'000'000'000).value_or(1);
    const int pageSize = query.integer(u"page_size"_s, 1, 365).value_or(5);
    PointSelection selection;
    selection.theme = params.value(u"theme"_s);
    selection.subTheme = params.value(u"sub_theme"_s);
    selection.topic = params.value(u"topic"_s);
    selection.geographyType = params.value(u"geography_type"_s);
    selection.geography = params.value(u"geography"_s);
    selection.metric = params.value(u"metric"_s);
    selection.stratum = query.text(u"stratum"_s);
    selection.sex = query.text(u"sex"_s);
    selection.age = query.text(u"age"_s);
    selection.year = query.integer(u"year"_s, 1900, 2200);
    selection.epiweek = query.integer(u"epiweek"_s, 1, 53);
    selection.date = query.date(u"date"_s);
    selection.from = query.date(u"date_from"_s);
    selection.to = query.date(u"date_to"_s);
    if (selection.from && selection.to && *selection.to < *selection.from)
        throw ApiError{400, u"date_to is before date_from"_s, u"date_to"_s};

    const QStringList path = parentValues(kLevelCount, params);
    const QString previousUrl = page > 1 ? pageUrl(request, page - 1) : QString();
    const QString nextUrl = pageUrl(request, page + 1);
    return m_runner.run([=](MetricsQuery &store) {
        if (store.childNames(CatalogueLevel::Metric, path.first(kLevelCount - 1))
                .indexOf(selection.metric)
            < 0)
            throw ApiError{404, u"no metric '%1' under this path"_s.arg(selection.metric),
                           u"metric"_s};
        qint64 total = 0;
        const QList<PublicPoint> points =
            store.points(selection, qint64(page - 1) * pageSize, pageSize, &total);
        const qint64 pages = qMax<qint64>(1, (total + pageSize - 1) / pageSize);
        if (page > pages)
            throw ApiError{400,
                           u"page %1 is out of range; there are %2 pages"_s.arg(page).arg(pages),
                           u"page"_s};
        // "results" sorts last, so the envelope ends with its empty array: put the points there.
        QByteArray body =
            QJsonDocument(QJsonObject{
                              {u"count"_s, total},
                              {u"next"_s, page < pages ? QJsonValue(nextUrl) : QJsonValue()},
                              {u"previous"_s, page > 1 ? QJsonValue(previousUrl) : QJsonValue()},
                              {u"results"_s, QJsonArray()},
                          })
                .toJson(QJsonDocument::Compact);
        body.chop(3); // "[]}"
        body += pointsJson(points) + '}';
        return HttpResponse::bytes(std::move(body), "application/json");
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
