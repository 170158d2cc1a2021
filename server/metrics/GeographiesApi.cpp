#include "GeographiesApi.h"

#include "UkhsaWire.h"
#include "http/JsonBytes.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The rows of a lookup file below its header; only the first and the last fields are read, and
// neither holds a comma (names between them may, quoted).
QList<QStringList> lookupRows(const QString &path)
{
    QFile file(path);
    QList<QStringList> rows;
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    file.readLine(); // the header
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty())
            rows.append(line.split(u','));
    }
    return rows;
}

QByteArray relationship(const QString &type, const QString &name, const QString &code)
{
    auto text = [](const QString &value) {
        return value.isNull() ? QByteArrayLiteral("null") : JsonBytes::string(value);
    };
    return "{\"geography_type\":" + JsonBytes::string(type) + ",\"name\":" + text(name)
           + ",\"geography_code\":" + text(code) + '}';
}

const QByteArray kUnitedKingdom =
    relationship(u"United Kingdom"_s, u"United Kingdom"_s, u"K02000001"_s);

} // namespace

GeographiesApi::GeographiesApi(QueryRunner &runner, ResponseCache *cache)
    : m_runner(runner)
    , m_cache(cache)
{
    for (const QStringList &row : lookupRows(u":/isobar/geography/regions.csv"_s)) {
        if (row.size() == 4) {
            m_regionsByCode.insert(row[0], {row[1], row[0], row[2], row[3]});
            m_regionCodesByName.insert(row[1], row[0]);
        }
    }
    for (const QStringList &row :
         lookupRows(u":/isobar/geography/upper-tier-local-authority-regions.csv"_s)) {
        if (row.size() >= 3)
            m_upperTierRegions.insert(row.constFirst(), row.constLast());
    }
}

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
    // A nation's, or a region's by its code; unknown parts are nulls, as UKHSA writes them.
    auto nationOf = [this](const QString &regionCode) {
        const auto region = m_regionsByCode.constFind(regionCode);
        return region == m_regionsByCode.constEnd()
                   ? relationship(u"Nation"_s, {}, {})
                   : relationship(u"Nation"_s, region->nation, region->nationCode);
    };
    if (geography.type == u"Nation")
        return '[' + kUnitedKingdom + ']';
    if (geography.type == u"Region")
        return '[' + kUnitedKingdom + ',' + nationOf(geography.code) + ']';
    if (geography.type == u"Upper Tier Local Authority") {
        const QString region = m_upperTierRegions.value(geography.code);
        const QString regionCode = m_regionCodesByName.value(region);
        return '[' + kUnitedKingdom + ','
               + relationship(u"Region"_s, regionCode.isNull() ? QString() : region, regionCode)
               + ',' + nationOf(regionCode) + ']';
    }
    return "null";
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
