#include "MapsApi.h"

#include "UkhsaPlots.h"
#include "UkhsaWire.h"
#include "http/JsonBytes.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QByteArray kAllow = "POST, OPTIONS";

void appendValue(QByteArray &out, const std::optional<PublicPoint> &point)
{
    if (point)
        UkhsaWire::appendStoredDecimal(out, point->value);
    else
        out += "null";
}

// UKHSA's query: theme and sub-theme filter nothing, an empty name filters nothing either.
PointSelection selection(const UkhsaMaps::Request &request)
{
    PointSelection s;
    s.topic = request.topic;
    s.metric = request.metric;
    s.geographyType = request.geographyType;
    s.stratum = request.stratum;
    s.age = request.age;
    s.sex = request.sex;
    s.from = request.from;
    s.to = request.to;
    return s;
}

} // namespace

MapsApi::MapsApi(QueryRunner &runner, int maxReads, ResponseCache *cache)
    : m_runner(runner)
    , m_maxReads(maxReads)
    , m_cache(cache)
{}

void MapsApi::registerRoutes(Router &router)
{
    router.add(
        "POST", u"/api/maps/v1"_s,
        u"Each geography's newest value between two dates, with accompanying points"_s,
        cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) { return map(r); }));
    UkhsaWire::refuseMethodsAsDrf(router, u"/api/maps/v1"_s, kAllow);
}

QFuture<HttpResponse> MapsApi::map(const HttpRequest &request) const
{
    HttpResponse refused;
    const auto body = UkhsaPlots::parseBody(request.body, &refused);
    if (!body)
        return readyResponse(std::move(refused));
    auto checked = UkhsaMaps::check(*body);
    if (auto *answered = std::get_if<HttpResponse>(&checked))
        return readyResponse(std::move(*answered));
    return m_runner.run([this, maps = std::get<UkhsaMaps::Request>(std::move(checked))](
                            MetricsQuery &store) { return answer(store, maps); });
}

HttpResponse MapsApi::answer(MetricsQuery &store, const UkhsaMaps::Request &request) const
{
    QStringList geographies = request.geographies;
    if (geographies.isEmpty()) {
        for (const GeographyName &geography : store.geographiesOfType(request.geographyType))
            geographies << geography.name;
    }
    const qint64 reads = qint64(geographies.size()) * (1 + request.points.size());
    if (reads > m_maxReads)
        return UkhsaWire::errorMessage(u"the map reads %1 values (geographies times one plus the "
                                       "accompanying points), more than the limit of %2; ask for "
                                       "fewer geographies or accompanying points"_s.arg(reads)
                                           .arg(m_maxReads),
                                       kAllow);
    QByteArray out = "{\"data\":[";
    QDate latest;
    for (qsizetype i = 0; i < geographies.size(); ++i) {
        const QString &name = geographies[i];
        PointSelection main = selection(request);
        main.geography = name;
        const auto found = store.latestPoint(main);
        const QString code = found
                                 ? found->series->geographyCode
                                 : store.geographyCode(request.geographyType, name).value_or(u""_s);
        if (i > 0)
            out += ',';
        out += "{\"geography_code\":" + JsonBytes::string(code)
               + ",\"geography_type\":" + JsonBytes::string(request.geographyType)
               + ",\"geography\":" + JsonBytes::string(name) + ",\"metric_value\":";
        appendValue(out, found);
        out += ",\"accompanying_points\":";
        if (found) {
            if (!latest.isValid() || found->date > latest)
                latest = found->date;
            out += accompanyingPoints(store, request, name);
        } else {
            out += "null";
        }
        out += '}';
    }
    out += "],\"latest_date\":";
    out +=
        latest.isValid() ? '"' + latest.toString(Qt::ISODate).toLatin1() + '"' : QByteArray("null");
    return UkhsaWire::viewAnswer(HttpResponse::bytes(out + '}', "application/json"), kAllow);
}

QByteArray MapsApi::accompanyingPoints(MetricsQuery &store, const UkhsaMaps::Request &request,
                                       const QString &geography) const
{
    QByteArrayList items;
    for (const UkhsaMaps::AccompanyingPoint &point : request.points) {
        const auto where = pointGeography(store, request, point, geography);
        if (!where)
            continue;
        PointSelection s = selection(request);
        s.topic = point.topic.value_or(QString());
        s.metric = point.metric.value_or(QString());
        s.geographyType = point.geographyType.value_or(QString());
        s.geography = *where;
        s.stratum = point.stratum.value_or(QString());
        s.age = point.age.value_or(QString());
        s.sex = point.sex.value_or(QString());
        // A null topic or metric matches nothing in UKHSA's query.
        const bool named = point.topic && point.metric;
        QByteArray item =
            "{\"label_prefix\":" + JsonBytes::string(point.labelPrefix) + ",\"label_suffix\":"
            + (point.labelSuffix ? JsonBytes::string(*point.labelSuffix) : QByteArray("null"))
            + ",\"metric_value\":";
        appendValue(item, named ? store.latestPoint(s) : std::nullopt);
        items << item + '}';
    }
    return '[' + items.join(',') + ']';
}

std::optional<QString> MapsApi::pointGeography(MetricsQuery &store,
                                               const UkhsaMaps::Request &request,
                                               const UkhsaMaps::AccompanyingPoint &point,
                                               const QString &geography) const
{
    if (point.geography && !point.geography->isEmpty())
        return *point.geography;
    const QString type = point.geographyType.value_or(QString());
    if (type.isEmpty() || type == request.geographyType)
        return geography;
    const auto code = store.geographyCode(request.geographyType, geography);
    const auto upstream =
        code ? m_relationships.upstream(request.geographyType, *code) : std::nullopt;
    if (!upstream)
        return std::nullopt;
    for (const GeographyName &area : *upstream) {
        if (area.type == type)
            return area.name;
    }
    return std::nullopt;
}

} // namespace isobar
