#include "AccuWeatherSandbox.h"

#include "Durations.h"
#include "SandboxWeather.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QPromise>
#include <QTimer>
#include <array>
#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcSandbox, "isobar.sandbox")

// How long each answer stays valid, as the live service announces it in Expires.
constexpr qint64 kLocationLifetimeMs = kMinuteMs * 60 * 24;
constexpr qint64 kCurrentLifetimeMs = 10 * kMinuteMs;
constexpr qint64 kHourlyLifetimeMs = 60 * kMinuteMs;
constexpr qint64 kDailyLifetimeMs = kMinuteMs * 60 * 6;

QByteArray httpDate(qint64 ms)
{
    return QLocale::c()
        .toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s)
        .toLatin1();
}

// Equal or not, in a time that does not depend on where the first difference is.
bool sameSecret(const QByteArray &offered, const QByteArray &expected)
{
    if (offered.size() != expected.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < offered.size(); ++i)
        difference |= static_cast<unsigned char>(offered[i] ^ expected[i]);
    return difference == 0;
}

// The request as AccuWeather echoes it in error bodies ("Reference"), minus the API key and
// the sandbox's own parameters.
QString reference(const HttpRequest &request)
{
    QUrlQuery query = request.query;
    query.removeAllQueryItems(u"apikey"_s);
    query.removeAllQueryItems(u"sandbox_fault"_s);
    query.removeAllQueryItems(u"sandbox_delay_ms"_s);
    const QString rest = query.toString(QUrl::FullyEncoded);
    return request.path + (rest.isEmpty() ? QString() : u'?' + rest);
}

// AccuWeather's error body: {"Code", "Message", "Reference"}.
HttpResponse upstreamError(int status, const QString &code, const QString &message,
                           const HttpRequest &request)
{
    return HttpResponse::json(QJsonObject{{u"Code"_s, code},
                                          {u"Message"_s, message},
                                          {u"Reference"_s, reference(request)}},
                              status);
}

quint32 crc32(const QByteArray &data)
{
    static const auto table = [] {
        std::array<quint32, 256> t{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    quint32 c = 0xffffffffU;
    for (const char byte : data)
        c = table[(c ^ static_cast<unsigned char>(byte)) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffU;
}

// gzip (RFC 1952) from qCompress's zlib stream: the same deflate data, another wrapper. This
// keeps the sandbox on Qt's own zlib instead of linking zlib for one function.
QByteArray gzip(const QByteArray &data)
{
    const QByteArray zlib = qCompress(data);
    // qCompress: 4-byte length, 2-byte zlib header, deflate data, 4-byte Adler-32.
    const QByteArray deflate = zlib.mid(6, zlib.size() - 6 - 4);
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10); // no name, no time, Unix
    out += deflate;
    auto appendLittleEndian = [&out](quint32 value) {
        for (int i = 0; i < 4; ++i)
            out += char((value >> (8 * i)) & 0xff);
    };
    appendLittleEndian(crc32(data));
    appendLittleEndian(quint32(data.size()));
    return out;
}

bool acceptsGzip(const HttpRequest &request)
{
    for (const QByteArray &coding : request.header("accept-encoding").split(',')) {
        const QList<QByteArray> parts = coding.trimmed().split(';');
        if (parts.value(0).trimmed().toLower() != "gzip")
            continue;
        // "gzip;q=0" means "anything but gzip".
        const QByteArray weight = parts.value(1).trimmed();
        return !weight.startsWith("q=") || weight.sliced(2).toDouble() > 0;
    }
    return false;
}

std::optional<bool> flag(const HttpRequest &request, const QString &name)
{
    const QString value = request.query.queryItemValue(name).trimmed().toLower();
    if (value.isEmpty())
        return std::nullopt;
    return value == u"true";
}

HttpResponse answerJson(const QJsonDocument &document, qint64 nowMs, qint64 lifetimeMs)
{
    HttpResponse response = HttpResponse::json(document);
    response.setHeader("Content-Type", "application/json; charset=utf-8");
    response.setHeader("Expires", httpDate(nowMs + lifetimeMs));
    response.setHeader("Cache-Control", "public, max-age=" + QByteArray::number(lifetimeMs / 1000));
    return response;
}

} // namespace

AccuWeatherSandbox::AccuWeatherSandbox(const QString &apiKey, QObject *parent)
    : QObject(parent)
    , m_apiKey(apiKey.toUtf8())
    , m_http(HttpLimits{}, this)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    addEndpoint(Endpoint::Geoposition, u"/locations/v1/cities/geoposition/search"_s,
                u"Location key and names for q=LAT,LON"_s,
                [this](const HttpRequest &request, const RouteParams &, qint64 now) {
                    return geoposition(request, now);
                });
    addEndpoint(Endpoint::Current, u"/currentconditions/v1/<key>"_s,
                u"Current conditions (an array of one observation)"_s,
                [this](const HttpRequest &request, const RouteParams &params, qint64 now) {
                    return currentConditions(params, request, now);
                });
    addEndpoint(Endpoint::Daily, u"/forecasts/v1/daily/5day/<key>"_s, u"Five-day daily forecast"_s,
                [this](const HttpRequest &request, const RouteParams &params, qint64 now) {
                    return forecast(Endpoint::Daily, params, request, now);
                });
    addEndpoint(Endpoint::Hourly, u"/forecasts/v1/hourly/12hour/<key>"_s,
                u"Twelve-hour hourly forecast"_s,
                [this](const HttpRequest &request, const RouteParams &params, qint64 now) {
                    return forecast(Endpoint::Hourly, params, request, now);
                });
    // Unknown paths and methods answer in AccuWeather's error shape too, not Isobar's.
    m_http.setDispatcher([this](const HttpRequest &request) -> Eventual<HttpResponse> {
        const Router::Match match = m_http.router().match(request.method, request.path);
        if (match.route)
            return match.route->handler(request, match.params);
        HttpResponse response =
            match.allowedMethods.isEmpty()
                ? upstreamError(404, u"ResourceNotFound"_s, u"Api resource not found"_s, request)
                : upstreamError(405, u"MethodNotAllowed"_s,
                                u"The requested method is not allowed"_s, request);
        if (!match.allowedMethods.isEmpty())
            response.setHeader("Allow", match.allowedMethods.join(", "));
        response.setHeader("X-Sandbox", "isobar accuweather-sandbox; not real weather");
        return response;
    });
}

AccuWeatherSandbox::~AccuWeatherSandbox() = default;

bool AccuWeatherSandbox::listen(const QHostAddress &address, quint16 port)
{
    return m_http.listen(address, port);
}

void AccuWeatherSandbox::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); });
}

void AccuWeatherSandbox::setFaultPlan(const FaultPlan &plan)
{
    QMutexLocker lock(&m_mutex);
    m_plan = plan;
}

AccuWeatherSandbox::FaultPlan AccuWeatherSandbox::faultPlan() const
{
    QMutexLocker lock(&m_mutex);
    return m_plan;
}

int AccuWeatherSandbox::calls(const QString &endpoint) const
{
    QMutexLocker lock(&m_mutex);
    for (int i = 0; i < kEndpointCount; ++i) {
        if (AccuWeatherClient::endpointName(Endpoint(i)) == endpoint)
            return m_calls[i];
    }
    return 0;
}

int AccuWeatherSandbox::totalCalls() const
{
    QMutexLocker lock(&m_mutex);
    int total = 0;
    for (int count : m_calls)
        total += count;
    return total;
}

void AccuWeatherSandbox::resetCounts()
{
    QMutexLocker lock(&m_mutex);
    std::fill(std::begin(m_calls), std::end(m_calls), 0);
}

std::optional<AccuWeatherSandbox::Fault> AccuWeatherSandbox::faultFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"none")
        return Fault::None;
    if (n == u"delay" || n == u"slow")
        return Fault::Delay;
    if (n == u"server-error" || n == u"5xx" || n == u"500")
        return Fault::ServerError;
    if (n == u"429" || n == u"rate-limit" || n == u"too-many-requests")
        return Fault::TooManyRequests;
    if (n == u"quota" || n == u"quota-503")
        return Fault::QuotaExceeded;
    if (n == u"malformed" || n == u"bad-json")
        return Fault::Malformed;
    if (n == u"reset" || n == u"connection-reset")
        return Fault::Reset;
    return std::nullopt;
}

QString AccuWeatherSandbox::faultName(Fault fault)
{
    switch (fault) {
    case Fault::None:
        return u"none"_s;
    case Fault::Delay:
        return u"delay"_s;
    case Fault::ServerError:
        return u"server-error"_s;
    case Fault::TooManyRequests:
        return u"429"_s;
    case Fault::QuotaExceeded:
        return u"quota"_s;
    case Fault::Malformed:
        return u"malformed"_s;
    case Fault::Reset:
        return u"reset"_s;
    }
    return {};
}

void AccuWeatherSandbox::addEndpoint(Endpoint endpoint, const QString &pattern,
                                     const QString &summary, Answer answer)
{
    m_http.router().add("GET", pattern, summary,
                        [this, endpoint, answer = std::move(answer)](const HttpRequest &request,
                                                                     const RouteParams &params) {
                            return serve(endpoint, request, params, answer);
                        });
}

bool AccuWeatherSandbox::authorised(const HttpRequest &request) const
{
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.size() > 7
        && authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return sameSecret(authorization.sliced(7).trimmed(), m_apiKey);
    const QString apiKey = request.query.queryItemValue(u"apikey"_s, QUrl::FullyDecoded);
    return !apiKey.isEmpty() && sameSecret(apiKey.toUtf8(), m_apiKey);
}

AccuWeatherSandbox::FaultPlan AccuWeatherSandbox::faultFor(const HttpRequest &request,
                                                           HttpResponse *refusal)
{
    // A fault asked for by the request itself always happens (handy with curl).
    const QString named = request.query.queryItemValue(u"sandbox_fault"_s);
    if (!named.isEmpty()) {
        const auto kind = faultFromName(named);
        if (!kind) {
            *refusal = upstreamError(400, u"400"_s,
                                     u"Unknown sandbox_fault; use delay, server-error, 429, quota, "
                                     "malformed or reset"_s,
                                     request);
            return {};
        }
        bool ok = false;
        const int delay = request.query.queryItemValue(u"sandbox_delay_ms"_s).toInt(&ok);
        return FaultPlan{*kind, 1.0, ok ? qBound(0, delay, 600'000) : 2000};
    }
    QMutexLocker lock(&m_mutex);
    if (m_plan.kind == Fault::None || m_dice.generateDouble() >= m_plan.probability)
        return {};
    return m_plan;
}

QFuture<HttpResponse> AccuWeatherSandbox::serve(Endpoint endpoint, const HttpRequest &request,
                                                const RouteParams &params, const Answer &answer)
{
    {
        QMutexLocker lock(&m_mutex);
        ++m_calls[int(endpoint)];
    }
    const bool gzipped = acceptsGzip(request);
    auto finish = [&](HttpResponse response, const FaultPlan &fault) {
        // The path only: the query may hold the API key.
        qCInfo(lcSandbox).noquote()
            << u"event=sandbox_call endpoint=%1 path=%2 status=%3 fault=%4"_s
                   .arg(AccuWeatherClient::endpointName(endpoint), request.path)
                   .arg(response.abortConnection ? 0 : response.status)
                   .arg(faultName(fault.kind));
        response.setHeader("X-Sandbox", "isobar accuweather-sandbox; not real weather");
        response.setHeader("Date", httpDate(m_clock()));
        if (gzipped && !response.body.isEmpty()) {
            response.body = gzip(response.body);
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setHeader("Vary", "Accept-Encoding");
        return response;
    };

    if (!authorised(request))
        return readyResponse(finish(
            upstreamError(401, u"Unauthorized"_s, u"Api Authorization failed"_s, request), {}));
    HttpResponse refusal;
    const FaultPlan fault = faultFor(request, &refusal);
    if (refusal.status != 200)
        return readyResponse(finish(std::move(refusal), {}));

    auto later = [this](HttpResponse response, int delayMs) {
        // Late, not blocking: the event loop keeps serving other calls meanwhile.
        auto promise = std::make_shared<QPromise<HttpResponse>>();
        promise->start();
        QTimer::singleShot(delayMs, this, [promise, response = std::move(response)] {
            promise->addResult(response);
            promise->finish();
        });
        return promise->future();
    };

    HttpResponse response;
    switch (fault.kind) {
    case Fault::Reset:
        // Dropped without a byte of answer (after delayMs, if set). Note that Qt's HTTP stack,
        // like browsers, may resend a request once when that happens: one call can arrive twice.
        response.abortConnection = true;
        response = finish(std::move(response), fault);
        return fault.delayMs > 0 ? later(std::move(response), fault.delayMs)
                                 : readyResponse(std::move(response));
    case Fault::ServerError:
        return readyResponse(
            finish(upstreamError(500, u"ServerError"_s,
                                 u"An error has occurred while processing the request."_s, request),
                   fault));
    case Fault::TooManyRequests:
        return readyResponse(
            finish(upstreamError(429, u"TooManyRequests"_s,
                                 u"The request rate limit has been exceeded."_s, request),
                   fault));
    case Fault::QuotaExceeded:
        return readyResponse(
            finish(upstreamError(503, u"ServiceUnavailable"_s,
                                 u"The allowed number of requests has been exceeded."_s, request),
                   fault));
    default:
        break;
    }

    response = answer(request, params, m_clock());
    if (fault.kind == Fault::Malformed && response.status == 200)
        response.body.truncate(response.body.size() / 2); // cut mid-document: unparsable
    response = finish(std::move(response), fault);
    if (fault.kind != Fault::Delay || fault.delayMs <= 0)
        return readyResponse(std::move(response));
    return later(std::move(response), fault.delayMs);
}

HttpResponse AccuWeatherSandbox::geoposition(const HttpRequest &request, qint64 nowMs) const
{
    const QStringList parts = request.query.queryItemValue(u"q"_s, QUrl::FullyDecoded).split(u',');
    bool latitudeOk = false, longitudeOk = false;
    const double latitude = parts.value(0).trimmed().toDouble(&latitudeOk);
    const double longitude = parts.value(1).trimmed().toDouble(&longitudeOk);
    if (parts.size() != 2 || !latitudeOk || !longitudeOk || !std::isfinite(latitude)
        || !std::isfinite(longitude) || std::abs(latitude) > 90 || std::abs(longitude) > 180)
        return upstreamError(400, u"400"_s, u"Invalid location: q must be latitude,longitude"_s,
                             request);
    return answerJson(
        QJsonDocument(SandboxWeather(SandboxArea::at(latitude, longitude)).location()), nowMs,
        kLocationLifetimeMs);
}

HttpResponse AccuWeatherSandbox::currentConditions(const RouteParams &params,
                                                   const HttpRequest &request, qint64 nowMs) const
{
    const auto area = SandboxArea::fromKey(params.value(u"key"_s));
    if (!area)
        return upstreamError(400, u"400"_s, u"LocationKey is invalid: "_s + params.value(u"key"_s),
                             request);
    const bool details = flag(request, u"details"_s).value_or(false);
    // The live endpoint wraps its one observation in an array.
    return answerJson(
        QJsonDocument(QJsonArray{SandboxWeather(*area).currentConditions(nowMs, details)}), nowMs,
        kCurrentLifetimeMs);
}

HttpResponse AccuWeatherSandbox::forecast(Endpoint endpoint, const RouteParams &params,
                                          const HttpRequest &request, qint64 nowMs) const
{
    const auto area = SandboxArea::fromKey(params.value(u"key"_s));
    if (!area)
        return upstreamError(400, u"400"_s, u"LocationKey is invalid: "_s + params.value(u"key"_s),
                             request);
    // As on the live service, forecasts are imperial unless metric=true is asked for.
    const bool metric = flag(request, u"metric"_s).value_or(false);
    const bool details = flag(request, u"details"_s).value_or(false);
    const SandboxWeather weather(*area);
    if (endpoint == Endpoint::Daily)
        return answerJson(QJsonDocument(weather.dailyForecast(nowMs, metric, details)), nowMs,
                          kDailyLifetimeMs);
    return answerJson(QJsonDocument(weather.hourlyForecast(nowMs, metric, details)), nowMs,
                      kHourlyLifetimeMs);
}

} // namespace isobar
