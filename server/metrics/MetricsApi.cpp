#include "MetricsApi.h"

#include "PointDownloads.h"
#include "TrendDirection.h"
#include "UkhsaWire.h"
#include "http/JsonBytes.h"

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>
#include <QUrl>
#include <cmath>
#include <map>
#include <variant>

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
            if (value && !UkhsaWire::pythonBoolean(*value))
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
            errors.append({field, u"\"%1\" is not a valid choice."_s.arg(*value)});
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
// (value, period end).
std::optional<std::pair<double, QDate>> latestValue(MetricsQuery &store,
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
        return std::pair(point->value, point->date);
    }
    return std::nullopt;
}

// UKHSA keeps a period's end as midnight in London, in UTC: a summer day ends at 23:00 the day
// before.
QDateTime periodEndUtc(QDate periodEnd)
{
    static const QTimeZone london("Europe/London");
    return QDateTime(periodEnd, QTime(0, 0), london).toUTC();
}

HttpResponse errorMessage(const QString &message)
{
    return UkhsaWire::viewAnswer(HttpResponse::bytes(
        "{\"error_message\":" + JsonBytes::string(message) + '}', "application/json", 400));
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
            return errorMessage(u"No data could be found for those parameters"_s);
        QByteArray body = "{\"value\":";
        UkhsaWire::appendPythonFloat(body, latest->first);
        body += ",\"period_end\":\""
                + periodEndUtc(latest->second).date().toString(Qt::ISODate).toLatin1()
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
            return errorMessage(u"Data for `%1` and `%2` could not be found."_s.arg(
                query.selection.topic, (percent ? query.selection : percentage).metric));
        const auto colour = ukhsaTrendColour(query.selection.metric, percent->first);
        if (!colour)
            return errorMessage(
                u"`%1` is not a metric whose trend has a colour: its name names "
                "none of cases, deaths, admission, occupied, positivity, vaccines, "
                "vaccination, vaccinated, tests, pcr"_s.arg(query.selection.metric));
        auto periodEnd = [](QDate day) -> QByteArray {
            return '"' + periodEndUtc(day).toString(u"yyyy-MM-ddTHH:mm:ss"_s).toLatin1() + "Z\"";
        };
        QByteArray body =
            "{\"metric_name\":" + JsonBytes::string(query.selection.metric) + ",\"metric_value\":";
        UkhsaWire::appendPythonFloat(body, change->first);
        body += ",\"metric_period_end\":" + periodEnd(change->second)
                + ",\"percentage_metric_name\":" + JsonBytes::string(percentage.metric)
                + ",\"percentage_metric_value\":";
        UkhsaWire::appendPythonFloat(body, percent->first);
        body += ",\"percentage_metric_period_end\":" + periodEnd(percent->second)
                + ",\"direction\":\"" + directionName(trendDirection(percent->first)).toLatin1()
                + "\",\"colour\":\"" + colour->toLatin1() + "\"}";
        return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), "application/json"));
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
