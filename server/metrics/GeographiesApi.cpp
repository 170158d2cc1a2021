#include "GeographiesApi.h"

#include "UkhsaWire.h"
#include "http/JsonBytes.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QByteArray relationship(const GeographyName &geography)
{
    auto text = [](const QString &value) {
        return value.isNull() ? QByteArrayLiteral("null") : JsonBytes::string(value);
    };
    return "{\"geography_type\":" + JsonBytes::string(geography.type) + ",\"name\":"
           + text(geography.name) + ",\"geography_code\":" + text(geography.code) + '}';
}

} // namespace

GeographiesApi::GeographiesApi(QueryRunner &runner, ResponseCache *cache)
    : m_runner(runner)
    , m_cache(cache)
{}

void GeographiesApi::registerRoutes(Router &router)
{
    router.add("GET", u"/api/geographies/v2/<topic>"_s,
               u"Geographies with public time series of a topic, by type (UKHSA's, deprecated)"_s,
               cachedRoute(m_cache, [this](const HttpRequest &, const RouteParams &params) {
                   return byTopic(params.value(u"topic"_s));
               }));
    router.add("GET", u"/api/geographies/v3"_s,
               u"Geographies by topic or of a type, each with the areas it sits within"_s,
               cachedRoute(m_cache, [this](const HttpRequest &request, const RouteParams &) {
                   return v3(request);
               }));
    for (const QString &path : {u"/api/geographies/v2/<topic>"_s, u"/api/geographies/v3"_s})
        UkhsaWire::refuseMethodsAsDrf(router, path);
}

QByteArray GeographiesApi::relationships(const GeographyName &geography) const
{
    const auto upstream = m_relationships.upstream(geography.type, geography.code);
    if (!upstream)
        return "null";
    QByteArrayList items;
    for (const GeographyName &area : *upstream)
        items << relationship(area);
    return '[' + items.join(',') + ']';
}

QByteArray GeographiesApi::groups(const QList<GeographyName> &geographies) const
{
    // Groups in first-seen order, the geographies already sorted within them.
    QStringList types;
    QHash<QString, QByteArrayList> items;
    for (const GeographyName &geography : geographies) {
        if (!items.contains(geography.type))
            types << geography.type;
        items[geography.type] << "{\"name\":" + JsonBytes::string(geography.name)
                                     + ",\"geography_code\":" + JsonBytes::string(geography.code)
                                     + ",\"relationships\":" + relationships(geography) + '}';
    }
    QByteArrayList out;
    for (const QString &type : std::as_const(types))
        out << "{\"geography_type\":" + JsonBytes::string(type) + ",\"geographies\":["
                   + items.value(type).join(',') + "]}";
    return '[' + out.join(',') + ']';
}

QFuture<HttpResponse> GeographiesApi::byTopic(const QString &topic) const
{
    return m_runner.run([this, topic](MetricsQuery &store) {
        if (!store.topicExists(topic)) // UKHSA's body: an object, not a list of messages
            return UkhsaWire::viewAnswer(
                HttpResponse::bytes("{\"topic\":{\"name\":\"Please enter a valid topic name.\"}}",
                                    "application/json", 400));
        return UkhsaWire::viewAnswer(
            HttpResponse::bytes(groups(store.geographiesWithData(topic)), "application/json"));
    });
}

QFuture<HttpResponse> GeographiesApi::v3(const HttpRequest &request) const
{
    const UkhsaWire::QueryItems items = UkhsaWire::queryItems(request);
    const auto topic = UkhsaWire::lastValue(items, u"topic"_s);
    const auto type = UkhsaWire::lastValue(items, u"geography_type"_s);
    QList<std::pair<QString, QString>> errors;
    if (topic && topic->isEmpty())
        errors.append({u"topic"_s, u"This field may not be blank."_s});
    if (type && type->isEmpty())
        errors.append({u"geography_type"_s, u"This field may not be blank."_s});
    if (errors.isEmpty() && !topic && !type)
        errors.append(
            {u"non_field_errors"_s, u"Either 'topic' or 'geography_type' must be provided."_s});
    if (errors.isEmpty() && topic && type)
        errors.append({u"non_field_errors"_s,
                       u"Only one of 'topic' or 'geography_type' should be provided, not both."_s});
    if (!errors.isEmpty())
        return readyResponse(UkhsaWire::viewAnswer(UkhsaWire::fieldErrors(errors)));
    if (topic)
        return byTopic(*topic);
    return m_runner.run([this, type = *type](MetricsQuery &store) {
        // One group, the type echoed as sent, even when the store holds none of it.
        const QList<GeographyName> geographies = store.geographiesOfType(type);
        QByteArray body = groups(geographies);
        if (geographies.isEmpty())
            body = "[{\"geography_type\":" + JsonBytes::string(type) + ",\"geographies\":[]}]";
        return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), "application/json"));
    });
}

} // namespace isobar
