#include "MetricsApi.h"

#include "DateParsing.h"
#include "DrfFields.h"
#include "PointDownloads.h"
#include "TrendDirection.h"
#include "UkhsaWire.h"
#include "api/Today.h"
#include "http/JsonBytes.h"

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <variant>

using namespace Qt::StringLiterals;

namespace isobar {

MetricsApi::MetricsApi(QueryRunner &runner, Options options, ResponseCache *cache)
    : m_runner(runner)
    , m_options(options)
    , m_cache(cache)
{}

void MetricsApi::registerRoutes(Router &router)
{
    router.add("GET", u"/api/v1/catalogue"_s,
               u"Every metric and area with public data, in one answer"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return catalogue(r);
               }));
    router.add("GET", u"/api/headlines/v3"_s, u"Latest headline value of a headline metric"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return headline(r);
               }));
    router.add("GET", u"/api/trends/v3"_s,
               u"Latest change of a metric with its direction and colour"_s,
               cachedRoute(m_cache,
                           [this](const HttpRequest &r, const RouteParams &) { return trend(r); }));
    router.add("POST", u"/api/tables/v4"_s, u"Plots as a table, newest date first"_s,
               cachedRoute(m_cache,
                           [this](const HttpRequest &r, const RouteParams &) { return table(r); }));
    router.add("POST", u"/api/downloads/v2"_s, u"Plot points as JSON or CSV"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return download(r);
               }));
    // UKHSA's routes refuse other methods as UKHSA does.
    for (const QString &path : {u"/api/headlines/v3"_s, u"/api/trends/v3"_s})
        UkhsaWire::refuseMethodsAsDrf(router, path);
    for (const QString &path : {u"/api/tables/v4"_s, u"/api/downloads/v2"_s})
        UkhsaWire::refuseMethodsAsDrf(router, path, "POST, OPTIONS");
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
                                       {u"metric"_s, entry.metric},
                                       {u"kind"_s, seriesKindName(entry.kind)}});
        }
        return HttpResponse::json(
            QJsonObject{{u"count"_s, double(results.size())}, {u"results"_s, results}});
    });
}

namespace {

// The parameters of UKHSA's headlines/v3 and trends/v3, in its serializer's order.
const QStringList kHeadlineFields = {u"topic"_s,   u"metric"_s, u"geography"_s, u"geography_type"_s,
                                     u"stratum"_s, u"age"_s,    u"sex"_s};
const QString kPercentageField = u"percentage_metric"_s;

// What a headline or trend request asks for, once UKHSA's checks have passed.
struct HeadlineQuery {
    PointSelection selection;
    QString percentageMetric; // trends only
};

// UKHSA's serializer, field by field: each missing field "required", each name the store does
// not hold "not a valid choice" (metric: a headline metric; percentage_metric: a metric whose
// name says percent), is_public a boolean. UKHSA answers a missing geography, geography_type,
// stratum, age or sex with a 500; Isobar names it as it names a missing topic.
std::variant<HeadlineQuery, QList<std::pair<QString, QString>>>
checkHeadlineQuery(MetricsQuery &store, const UkhsaWire::QueryItems &items, bool trend)
{
    QList<std::pair<QString, QString>> errors;
    QHash<QString, QString> values;
    const QStringList fields = kHeadlineFields + QStringList{u"is_public"_s}
                               + (trend ? QStringList{kPercentageField} : QStringList());
    using Dimension = MetricsQuery::Dimension;
    static const QHash<QString, Dimension> dimensions = {
        {u"geography"_s, Dimension::Geography},
        {u"geography_type"_s, Dimension::GeographyType},
        {u"stratum"_s, Dimension::Stratum},
        {u"age"_s, Dimension::Age},
        {u"sex"_s, Dimension::Sex}};
    for (const QString &field : fields) {
        const auto value = UkhsaWire::lastValue(items, field);
        if (field == u"is_public") { // optional, and Isobar serves public data only
            if (value && !UkhsaWire::drfBoolean(*value))
                errors.append({field, u"Must be a valid boolean."_s});
            continue;
        }
        if (!value) {
            errors.append({field, u"This field is required."_s});
            continue;
        }
        bool valid = false;
        if (field == u"topic") {
            valid = store.topicExists(*value);
        } else if (field == u"metric" || field == kPercentageField) {
            // Any topic's: UKHSA lists every such metric as a choice.
            bool inTopic = false;
            const auto info = store.metricInfo(values.value(u"topic"_s), *value, &inTopic);
            valid = info
                    && (field == u"metric" ? info->kind == SeriesKind::Headline
                                           : value->contains(u"percent", Qt::CaseInsensitive));
        } else {
            valid = store.holds(dimensions.value(field), *value);
        }
        if (!valid)
            errors.append({field, DrfFields::notAChoice(*value)});
        values.insert(field, *value);
    }
    if (!errors.isEmpty())
        return errors;
    HeadlineQuery query;
    PointSelection &s = query.selection;
    s.topic = values.value(u"topic"_s);
    s.metric = values.value(u"metric"_s);
    s.geography = values.value(u"geography"_s);
    s.geographyType = values.value(u"geography_type"_s);
    s.stratum = values.value(u"stratum"_s);
    s.age = values.value(u"age"_s);
    s.sex = values.value(u"sex"_s);
    query.percentageMetric = values.value(kPercentageField);
    return query;
}

// The latest public value of a metric of the selection's topic, whichever kind it is:
// (value, period end as UTC seconds; a point's period ends at London midnight of its date).
std::optional<std::pair<double, qint64>> latestValue(MetricsQuery &store,
                                                     const PointSelection &selection)
{
    bool inTopic = false;
    const auto info = store.metricInfo(selection.topic, selection.metric, &inTopic);
    if (!info || !inTopic)
        return std::nullopt;
    if (info->kind == SeriesKind::Headline) {
        if (const auto headline = store.latestHeadline(selection))
            return std::pair(headline->value, headline->periodEnd);
    } else if (const auto point = store.latestPoint(selection)) {
        return std::pair(point->value, londonMidnightUtc(point->date).toSecsSinceEpoch());
    }
    return std::nullopt;
}

// UKHSA's colour of a trend, from its percentage change and the main metric's name: a fall is
// good news for cases, deaths, admissions, occupancy and positivity, a rise for vaccination and
// testing. UKHSA fails (500) on any other metric with a change; Isobar says why.
std::optional<QString> ukhsaTrendColour(const QString &metric, double percentage)
{
    if (percentage == 0)
        return u"neutral"_s;
    const QString name = metric.toLower();
    static const QStringList upIsBad = {u"cases"_s, u"deaths"_s, u"admission"_s, u"occupied"_s,
                                        u"positivity"_s};
    static const QStringList upIsGood = {u"vaccines"_s, u"vaccination"_s, u"vaccinated"_s,
                                         u"tests"_s, u"pcr"_s};
    auto named = [&name](const QStringList &words) {
        return std::any_of(words.begin(), words.end(),
                           [&name](const QString &word) { return name.contains(word); });
    };
    if (named(upIsBad))
        return percentage < 0 ? u"green"_s : u"red"_s;
    if (named(upIsGood))
        return percentage > 0 ? u"green"_s : u"red"_s;
    return std::nullopt;
}

} // namespace

QFuture<HttpResponse> MetricsApi::headline(const HttpRequest &request)
{
    const UkhsaWire::QueryItems items = UkhsaWire::queryItems(request);
    return m_runner.run([items](MetricsQuery &store) {
        const auto checked = checkHeadlineQuery(store, items, false);
        if (const auto *errors = std::get_if<1>(&checked))
            return UkhsaWire::viewAnswer(UkhsaWire::fieldErrors(*errors));
        const PointSelection &selection = std::get<0>(checked).selection;
        const auto latest = latestValue(store, selection);
        if (!latest)
            return UkhsaWire::errorMessage(u"No data could be found for those parameters"_s);
        QByteArray body = "{\"value\":";
        UkhsaWire::appendStoredDecimal(body, latest->first);
        // UKHSA keeps the London date of the period's end and shows it as a naive midnight.
        body += ",\"period_end\":\""
                + londonTime(latest->second).date().toString(Qt::ISODate).toLatin1()
                + "T00:00:00\"}";
        return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), "application/json"));
    });
}

QFuture<HttpResponse> MetricsApi::trend(const HttpRequest &request)
{
    const UkhsaWire::QueryItems items = UkhsaWire::queryItems(request);
    return m_runner.run([items](MetricsQuery &store) {
        const auto checked = checkHeadlineQuery(store, items, true);
        if (const auto *errors = std::get_if<1>(&checked))
            return UkhsaWire::viewAnswer(UkhsaWire::fieldErrors(*errors));
        const HeadlineQuery &query = std::get<0>(checked);
        PointSelection percentage = query.selection;
        percentage.metric = query.percentageMetric;
        // UKHSA reads the percentage first, and says which metric had nothing.
        const auto percent = latestValue(store, percentage);
        const auto change = percent ? latestValue(store, query.selection) : std::nullopt;
        if (!percent || !change)
            return UkhsaWire::errorMessage(u"Data for `%1` and `%2` could not be found."_s.arg(
                query.selection.topic, (percent ? query.selection : percentage).metric));
        const auto colour = ukhsaTrendColour(query.selection.metric, percent->first);
        if (!colour)
            return UkhsaWire::errorMessage(
                u"`%1` is not a metric whose trend has a colour: its name names "
                "none of cases, deaths, admission, occupied, positivity, vaccines, "
                "vaccination, vaccinated, tests, pcr"_s.arg(query.selection.metric));
        auto periodEnd = [](qint64 end) -> QByteArray {
            return '"' + londonIsoDateTime(end) + '"';
        };
        QByteArray body =
            "{\"metric_name\":" + JsonBytes::string(query.selection.metric) + ",\"metric_value\":";
        UkhsaWire::appendStoredDecimal(body, change->first);
        body += ",\"metric_period_end\":" + periodEnd(change->second)
                + ",\"percentage_metric_name\":" + JsonBytes::string(percentage.metric)
                + ",\"percentage_metric_value\":";
        UkhsaWire::appendStoredDecimal(body, percent->first);
        body += ",\"percentage_metric_period_end\":" + periodEnd(percent->second)
                + ",\"direction\":\"" + directionName(trendDirection(percent->first)).toLatin1()
                + "\",\"colour\":\"" + colour->toLatin1() + "\"}";
        return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), "application/json"));
    });
}

namespace {

HttpResponse postAnswer(QByteArray body, const QByteArray &contentType = "application/json")
{
    return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), contentType),
                                 "POST, OPTIONS");
}

// UKHSA numbers the plots without a label among those that returned data: Plot1, Plot2...
QString plotLabel(const UkhsaPlots::Plot &plot, int withData)
{
    return plot.label.isEmpty() ? u"Plot%1"_s.arg(withData) : plot.label;
}

} // namespace

QFuture<HttpResponse> MetricsApi::withPlots(const HttpRequest &request, UkhsaPlots::Route route,
                                            PlotsAnswer answer)
{
    HttpResponse refused;
    const auto body = UkhsaPlots::parseBody(request.body, &refused);
    if (!body)
        return readyResponse(std::move(refused));
    return m_runner.run([this, body = *body, route,
                         answer = std::move(answer)](MetricsQuery &store) -> HttpResponse {
        const auto checked =
            UkhsaPlots::check(store, body, route, localToday(), m_options.maxPlots);
        if (const auto *refusal = std::get_if<HttpResponse>(&checked))
            return *refusal;
        return answer(store, std::get<UkhsaPlots::Request>(checked));
    });
}

QFuture<HttpResponse> MetricsApi::table(const HttpRequest &request)
{
    return withPlots(request, UkhsaPlots::Route::Tables,
                     [this](MetricsQuery &store, const UkhsaPlots::Request &plots) {
                         return plots.headline ? headlineTable(store, plots)
                                               : timeseriesTable(store, plots);
                     });
}

HttpResponse MetricsApi::timeseriesTable(MetricsQuery &store,
                                         const UkhsaPlots::Request &request) const
{
    struct Row {
        QList<std::optional<double>> values; // one per plot with data, in plot order
        bool inReportingDelay = false;       // the last plot's flag: UKHSA keeps one per row
    };
    UkhsaPlots::TableRows<Row> rows(request.xAxis == u"date");
    QStringList labels;
    for (int i = 0; i < request.plots.size(); ++i) {
        auto read = UkhsaPlots::readPoints(store, request.plots[i].selection, i,
                                           m_options.maxRowsPerRequest);
        if (auto *refused = std::get_if<HttpResponse>(&read))
            return *refused;
        QList<PublicPoint> &points = std::get<0>(read);
        if (points.isEmpty())
            continue;
        labels << plotLabel(request.plots[i], int(labels.size()) + 1);
        // UKHSA's query orders by the x axis' field; on a name, several dates share a row and
        // the last one read wins.
        QList<std::pair<QByteArray, const PublicPoint *>> keyed;
        for (const PublicPoint &point : std::as_const(points))
            keyed.append(
                {UkhsaPlots::axisKey(request.xAxis, *point.series, point.date, point.value),
                 &point});
        // The field's own order: a value's number, an age band as stored ("85+" before "85-89").
        if (request.xAxis == u"metric")
            std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) {
                return a.second->value < b.second->value;
            });
        else if (request.xAxis == u"age")
            std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) {
                return a.second->series->age < b.second->series->age;
            });
        else if (request.xAxis != u"date")
            std::stable_sort(keyed.begin(), keyed.end(),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
        for (const auto &[key, point] : keyed) {
            Row &row = rows[key];
            row.values.resize(labels.size());
            row.values[labels.size() - 1] = point->value;
            row.inReportingDelay = point->inReportingDelay;
        }
    }
    if (rows.isEmpty())
        return UkhsaPlots::noData();
    QByteArrayList labelJson;
    for (const QString &label : std::as_const(labels))
        labelJson << "{\"label\":" + JsonBytes::string(label) + ",\"value\":";
    QByteArray out = "[";
    for (const QByteArray &key : rows.keys()) {
        const Row &row = rows.at(key);
        if (out.size() > 1)
            out += ',';
        out += "{\"reference\":" + JsonBytes::string(QString::fromUtf8(key)) + ",\"values\":[";
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                out += ',';
            out += labelJson[i];
            const auto value = i < row.values.size() ? row.values[i] : std::nullopt;
            out += value ? '"' + PointDownloads::fourDecimals(*value) + '"' : QByteArray("null");
            out += row.inReportingDelay ? ",\"in_reporting_delay_period\":true}"
                                        : ",\"in_reporting_delay_period\":false}";
        }
        out += "]}";
    }
    return postAnswer(out + ']');
}

HttpResponse MetricsApi::headlineTable(MetricsQuery &store, const UkhsaPlots::Request &request)
{
    // UKHSA asks its headline records for a date they do not have (a 500); Isobar says so.
    if (request.xAxis == u"date")
        return UkhsaWire::errorMessage(u"Headline tables need an x_axis other than date: one of "
                                       "stratum, age, metric, geography, sex."_s,
                                       "POST, OPTIONS");
    struct Row {
        QByteArray reference;
        QByteArrayList amounts;
    };
    UkhsaPlots::TableRows<Row> rows(false);
    int withData = 0;
    for (const UkhsaPlots::Plot &plot : request.plots) {
        const auto headline = UkhsaPlots::latestHeadline(store, plot.selection);
        if (!headline)
            continue;
        const QString label = plotLabel(plot, ++withData);
        const QByteArray key =
            UkhsaPlots::axisKey(request.xAxis, *headline->series, {}, headline->value);
        Row &row = rows[key];
        if (row.reference.isEmpty()) // the first plot's label names the row, unless a default one
            row.reference = label.contains(u"Plot") ? key : label.toUtf8();
        QByteArray amount = "{\"label\":\"Amount\",\"value\":\""
                            + PointDownloads::fourDecimals(headline->value)
                            + "\",\"in_reporting_delay_period\":false";
        if (headline->upperConfidence)
            amount += ",\"upper_confidence\":\""
                      + PointDownloads::fourDecimals(*headline->upperConfidence) + '"';
        if (headline->lowerConfidence)
            amount += ",\"lower_confidence\":\""
                      + PointDownloads::fourDecimals(*headline->lowerConfidence) + '"';
        row.amounts << amount + '}';
    }
    if (rows.isEmpty())
        return UkhsaPlots::noData();
    QByteArray out = "[";
    for (const QByteArray &key : rows.keys()) {
        const Row &row = rows.at(key);
        if (out.size() > 1)
            out += ',';
        out += "{\"reference\":" + JsonBytes::string(QString::fromUtf8(row.reference))
               + ",\"values\":[" + row.amounts.join(',') + "]}";
    }
    return postAnswer(out + ']');
}

QFuture<HttpResponse> MetricsApi::download(const HttpRequest &request)
{
    return withPlots(
        request, UkhsaPlots::Route::Downloads,
        [this](MetricsQuery &store, const UkhsaPlots::Request &request) -> HttpResponse {
            const bool csv = request.fileFormat == u"csv";
            QByteArray bytes;
            if (request.headline) {
                QList<PublicHeadline> headlines;
                for (const UkhsaPlots::Plot &plot : request.plots) {
                    if (auto headline = UkhsaPlots::latestHeadline(store, plot.selection))
                        headlines.append(std::move(*headline));
                }
                if (headlines.isEmpty())
                    return UkhsaPlots::noData();
                bytes = csv ? PointDownloads::headlineCsv(headlines, request.confidence)
                            : PointDownloads::headlineJson(headlines, request.confidence);
            } else {
                UkhsaPlots::MergedPoints merged;
                for (int i = 0; i < request.plots.size(); ++i) {
                    if (auto refused = merged.read(store, request.plots[i].selection, i,
                                                   m_options.maxRowsPerRequest))
                        return *refused;
                }
                if (merged.isEmpty())
                    return UkhsaPlots::noData();
                const QList<PublicPoint> all = merged.newestFirst();
                bytes = csv ? PointDownloads::csv(all) : PointDownloads::json(all);
            }
            HttpResponse response =
                postAnswer(std::move(bytes), csv ? "text/csv" : "application/json");
            response.setHeader("Content-Disposition",
                               csv ? "attachment; filename=\"chart_download.csv\""
                                   : "attachment; filename=chart_download.json");
            return response;
        });
}

} // namespace isobar
