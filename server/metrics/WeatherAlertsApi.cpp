#include "WeatherAlertsApi.h"

#include "DateParsing.h"
#include "UkhsaWire.h"
#include "http/JsonBytes.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// UKHSA files alerts under this geography type, whichever hazard.
const QString kAlertGeographyType = u"Government Office Region"_s;
// The level of a region without a live alert.
constexpr int kNoAlertLevel = 1;

// The level as a whole number; advice, impact and likelihood exist for levels 1-16 only.
std::optional<int> wholeLevel(double value)
{
    return std::floor(value) == value && std::abs(value) < 1000 ? std::optional<int>(int(value))
                                                                : std::nullopt;
}

// The colour of a level: 1-6 Green, 7-11 Yellow, 12-15 Amber, 16 Red.
QByteArray status(double value)
{
    if (value <= 6)
        return "Green";
    if (value <= 11)
        return "Yellow";
    if (value <= 15)
        return "Amber";
    return "Red";
}

// The impact and likelihood axes of UKHSA's 4x4 risk matrix, by level 1-16.
constexpr std::array<const char *, 16> kImpact = {
    "Very low", "Very low", "Very low", "Very low", "Low",    "Low",  "Low",  "Low",
    "Medium",   "Medium",   "High",     "Medium",   "Medium", "High", "High", "High"};
constexpr std::array<const char *, 16> kLikelihood = {
    "Very low", "Low", "Medium",   "High",   "Very low", "Low", "Medium", "High",
    "Very low", "Low", "Very low", "Medium", "High",     "Low", "Medium", "High"};

QByteArray onMatrix(const std::array<const char *, 16> &axis, std::optional<int> level)
{
    return level && *level >= 1 && *level <= 16 ? axis.at(*level - 1) : "";
}

QByteArray quotedOrNull(std::optional<QByteArray> text)
{
    return text ? '"' + *text + '"' : QByteArrayLiteral("null");
}

QByteArray dateTimeOrNull(std::optional<qint64> utcSeconds)
{
    return quotedOrNull(utcSeconds ? std::optional(londonIsoDateTime(*utcSeconds)) : std::nullopt);
}

// The advice texts of each hazard by level, JSON strings ready to write.
QHash<QString, QHash<int, QByteArray>> adviceTexts()
{
    QFile file(u":/isobar/alerts/texts.json"_s);
    QHash<QString, QHash<int, QByteArray>> texts;
    if (!file.open(QIODevice::ReadOnly))
        return texts;
    const QJsonObject hazards = QJsonDocument::fromJson(file.readAll()).object();
    for (auto hazard = hazards.begin(); hazard != hazards.end(); ++hazard) {
        const QJsonObject levels = hazard.value().toObject();
        for (auto level = levels.begin(); level != levels.end(); ++level)
            texts[hazard.key()].insert(level.key().toInt(),
                                       JsonBytes::string(level.value().toString()));
    }
    return texts;
}

} // namespace

WeatherAlertsApi::WeatherAlertsApi(QueryRunner &runner)
    : m_runner(runner)
{
    const auto texts = adviceTexts();
    for (const auto &[path, topic] :
         {std::pair(u"heat"_s, u"Heat-alert"_s), std::pair(u"cold"_s, u"Cold-alert"_s)})
        m_hazards.append(
            {path, topic, path + u"-alert_headline_matrixNumber"_s, texts.value(topic)});
}

void WeatherAlertsApi::registerRoutes(Router &router)
{
    for (const Hazard &hazard : std::as_const(m_hazards)) {
        const QString listPath = u"/api/alerts/v1/"_s + hazard.path;
        const QString detailPath = listPath + u"/<geography_code>"_s;
        router.add(
            "GET", listPath,
            u"Every region's %1 alert status (UKHSA's weather-health alerts)"_s.arg(hazard.path),
            UkhsaWire::exactSlash(listPath,
                                  [this, &hazard](const HttpRequest &, const RouteParams &) {
                                      return list(hazard);
                                  }));
        router.add(
            "GET", detailPath,
            u"A region's %1 alert: level, impact, likelihood, advice and period"_s.arg(hazard.path),
            UkhsaWire::exactSlash(detailPath,
                                  [this, &hazard](const HttpRequest &, const RouteParams &params) {
                                      return detail(hazard, params.value(u"geography_code"_s));
                                  }));
        UkhsaWire::refuseMethodsAsDrf(router, listPath);
        UkhsaWire::refuseMethodsAsDrf(router, detailPath);
    }
}

WeatherAlertsApi::AlertState WeatherAlertsApi::stateOf(const QHash<QString, AlertRecord> &records,
                                                       const QString &code)
{
    const auto found = records.constFind(code);
    if (found == records.constEnd())
        return {};
    // A period that ends now has ended, as UKHSA counts it.
    return {*found, found->periodEnd > QDateTime::currentSecsSinceEpoch()};
}

double WeatherAlertsApi::AlertState::level() const
{
    return live ? record->value : kNoAlertLevel;
}

std::optional<qint64> WeatherAlertsApi::AlertState::refreshed() const
{
    if (!record)
        return std::nullopt;
    return live ? record->refreshDate : record->periodEnd;
}

QHash<QString, AlertRecord> WeatherAlertsApi::records(MetricsQuery &store, const Hazard &hazard)
{
    PointSelection selection;
    selection.topic = hazard.topic;
    selection.metric = hazard.metric;
    selection.geographyType = kAlertGeographyType;
    return store.latestRefreshedHeadlines(selection);
}

QFuture<HttpResponse> WeatherAlertsApi::list(const Hazard &hazard) const
{
    return m_runner.run([&hazard](MetricsQuery &store) {
        QList<GeographyName> regions = store.geographiesOfType(kAlertGeographyType);
        std::sort(regions.begin(), regions.end(),
                  [](const GeographyName &a, const GeographyName &b) { return a.code < b.code; });
        const QHash<QString, AlertRecord> latest = records(store, hazard);
        QByteArrayList items;
        for (const GeographyName &region : std::as_const(regions)) {
            const AlertState state = stateOf(latest, region.code);
            items << "{\"geography_code\":" + JsonBytes::string(region.code)
                         + ",\"geography_name\":" + JsonBytes::string(region.name)
                         + ",\"status\":\"" + status(state.level())
                         + "\",\"refresh_date\":" + dateTimeOrNull(state.refreshed()) + '}';
        }
        return UkhsaWire::viewAnswer(
            HttpResponse::bytes('[' + items.join(',') + ']', "application/json"));
    });
}

QFuture<HttpResponse> WeatherAlertsApi::detail(const Hazard &hazard, const QString &code) const
{
    return m_runner.run([&hazard, code](MetricsQuery &store) {
        const QList<GeographyName> regions = store.geographiesOfType(kAlertGeographyType);
        const auto region =
            std::find_if(regions.begin(), regions.end(),
                         [&code](const GeographyName &each) { return each.code == code; });
        if (region == regions.end()) // UKHSA's body: an object, not a list of messages
            return UkhsaWire::viewAnswer(HttpResponse::bytes(
                "{\"geography_code\":{\"name\":\"Please enter a valid geography code.\"}}",
                "application/json", 400));
        const AlertState state = stateOf(records(store, hazard), code);
        const double value = state.level();
        const std::optional<int> level = wholeLevel(value);
        QByteArray body =
            "{\"geography_name\":" + JsonBytes::string(region->name)
            + ",\"geography_code\":" + JsonBytes::string(code) + ",\"status\":\"" + status(value)
            + "\",\"text\":" + hazard.texts.value(level.value_or(0), "\"\"") + ",\"risk_score\":";
        // UKHSA's stored level is a decimal (11.0); the level it falls back to an integer.
        if (state.live)
            UkhsaWire::appendStoredDecimal(body, value);
        else
            body += QByteArray::number(kNoAlertLevel);
        const std::optional<AlertRecord> &record = state.record;
        body += ",\"impact\":\"" + onMatrix(kImpact, level) + "\",\"likelihood\":\""
                + onMatrix(kLikelihood, level) + "\",\"period_start\":"
                + dateTimeOrNull(record ? std::optional(record->periodStart) : std::nullopt)
                + ",\"period_end\":"
                + dateTimeOrNull(record ? std::optional(record->periodEnd) : std::nullopt)
                + ",\"refresh_date\":" + dateTimeOrNull(state.refreshed()) + '}';
        return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), "application/json"));
    });
}

} // namespace isobar
