#include "AccuWeatherClient.h"

#include "Durations.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcUpstream, "isobar.upstream")

std::optional<qint64> parseHttpDate(const QByteArray &value)
{
    // RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    const QDateTime parsed = QLocale::c().toDateTime(QString::fromLatin1(value).trimmed(),
                                                     u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!parsed.isValid())
        return std::nullopt;
    QDateTime utc = parsed;
    utc.setTimeSpec(Qt::UTC);
    return utc.toMSecsSinceEpoch();
}

bool isQuotaBody(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    return object.value(u"Code").toString() == u"ServiceUnavailable"
           && object.value(u"Message").toString().contains(u"allowed number of requests");
}

UpstreamResult failure(UpstreamError::Kind kind, QString detail)
{
    UpstreamResult result;
    result.error = UpstreamError{kind, std::move(detail)};
    return result;
}

} // namespace

QString upstreamErrorName(UpstreamError::Kind kind)
{
    switch (kind) {
    case UpstreamError::Kind::None:
        return u"none"_s;
    case UpstreamError::Kind::Timeout:
        return u"timeout"_s;
    case UpstreamError::Kind::Network:
        return u"network"_s;
    case UpstreamError::Kind::ServerError:
        return u"server_error"_s;
    case UpstreamError::Kind::Rejected:
        return u"rejected"_s;
    case UpstreamError::Kind::Unauthorized:
        return u"unauthorized"_s;
    case UpstreamError::Kind::QuotaExceeded:
        return u"quota_exceeded"_s;
    case UpstreamError::Kind::BudgetSpent:
        return u"budget_spent"_s;
    case UpstreamError::Kind::QueueFull:
        return u"queue_full"_s;
    case UpstreamError::Kind::BadResponse:
        return u"bad_response"_s;
    }
    return u"unknown"_s;
}

QString AccuWeatherClient::endpointName(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Geoposition:
        return u"geoposition"_s;
    case Endpoint::Current:
        return u"current"_s;
    case Endpoint::Daily:
        return u"daily"_s;
    case Endpoint::Hourly:
        return u"hourly"_s;
    }
    return {};
}

AccuWeatherClient::AccuWeatherClient(Options options, KeyProvider key, Clock clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_key(std::move(key))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{
    // Keep connections to the upstream open between calls.
    m_network.setAutoDeleteReplies(false);
}

AccuWeatherClient::~AccuWeatherClient()
{
    // Calls still under way end here: their replies must not call back into a half-destroyed
    // client, and their callers learn that no answer is coming.
    for (QNetworkReply *reply : m_network.findChildren<QNetworkReply *>()) {
        reply->disconnect(this);
        reply->abort();
    }
    for (Job &job : m_queue)
        complete(job, failure(UpstreamError::Kind::Network, u"client shut down"_s));
}

QFuture<UpstreamResult> AccuWeatherClient::geoposition(double latitude, double longitude,
                                                       const QString &language)
{
    QUrlQuery query;
    query.addQueryItem(u"q"_s, u"%1,%2"_s.arg(latitude, 0, 'f', 6).arg(longitude, 0, 'f', 6));
    if (!language.isEmpty())
        query.addQueryItem(u"language"_s, language);
    return enqueue(Endpoint::Geoposition, u"/locations/v1/cities/geoposition/search"_s, query);
}

QFuture<UpstreamResult> AccuWeatherClient::currentConditions(const QString &locationKey,
                                                             const QString &language)
{
    return byLocation(Endpoint::Current, u"/currentconditions/v1/"_s, locationKey, std::nullopt,
                      language);
}

QFuture<UpstreamResult> AccuWeatherClient::dailyForecast(const QString &locationKey, bool metric,
                                                         const QString &language)
{
    return byLocation(Endpoint::Daily, u"/forecasts/v1/daily/5day/"_s, locationKey, metric,
                      language);
}

QFuture<UpstreamResult> AccuWeatherClient::hourlyForecast(const QString &locationKey, bool metric,
                                                          const QString &language)
{
    return byLocation(Endpoint::Hourly, u"/forecasts/v1/hourly/12hour/"_s, locationKey, metric,
                      language);
}

QFuture<UpstreamResult> AccuWeatherClient::byLocation(Endpoint endpoint, const QString &path,
                                                      const QString &locationKey,
                                                      std::optional<bool> metric,
                                                      const QString &language)
{
    QUrlQuery query;
    if (metric)
        query.addQueryItem(u"metric"_s, *metric ? u"true"_s : u"false"_s);
    query.addQueryItem(u"details"_s, u"true"_s);
    if (!language.isEmpty())
        query.addQueryItem(u"language"_s, language);
    return enqueue(endpoint, path + QString::fromLatin1(QUrl::toPercentEncoding(locationKey)),
                   query);
}

QFuture<UpstreamResult> AccuWeatherClient::enqueue(Endpoint endpoint, const QString &path,
                                                   const QUrlQuery &query)
{
    auto promise = std::make_shared<QPromise<UpstreamResult>>();
    QFuture<UpstreamResult> future = promise->future();
    promise->start();
    Job job{endpoint, path, query, 0, promise, QDeadlineTimer(m_options.timeoutMs)};
    if (int(m_queue.size()) >= m_options.maxQueued) {
        complete(job,
                 failure(UpstreamError::Kind::QueueFull, u"too many upstream calls waiting"_s));
        return future;
    }
    m_queue.push_back(std::move(job));
    pump();
    return future;
}

void AccuWeatherClient::pump()
{
    while (m_inFlight < m_options.maxConcurrent && !m_queue.empty()) {
        Job job = std::move(m_queue.front());
        m_queue.pop_front();
        start(std::move(job));
    }
}

bool AccuWeatherClient::spendBudget()
{
    if (m_options.dailyBudget <= 0)
        return true;
    const qint64 day = m_clock() / kDayMs;
    if (day != m_budgetDay) {
        m_budgetDay = day;
        m_budgetUsed = 0;
    }
    if (m_budgetUsed >= m_options.dailyBudget)
        return false;
    ++m_budgetUsed;
    return true;
}

bool AccuWeatherClient::hasTimeFor(Job &job)
{
    if (job.deadline.remainingTime() >= m_options.timeoutMs / 4)
        return true;
    complete(job, failure(UpstreamError::Kind::Timeout,
                          u"no answer within %1 ms (the call waited its turn)"_s.arg(
                              m_options.timeoutMs)));
    return false;
}

void AccuWeatherClient::start(Job job)
{
    if (!hasTimeFor(job))
        return;
    const qint64 now = m_clock();
    if (now < m_stats.quotaBlockedUntilMs) {
        complete(job, failure(UpstreamError::Kind::QuotaExceeded,
                              u"upstream quota exhausted; backing off for %1 s"_s.arg(
                                  (m_stats.quotaBlockedUntilMs - now + 999) / 1000)));
        return;
    }
    auto spent = [this](Job refused) {
        complete(refused, failure(UpstreamError::Kind::BudgetSpent,
                                  u"the daily upstream call budget is spent"_s));
    };
    if (m_fleetBudget && m_options.dailyBudget > 0) {
        const qint64 day = now / kDayMs;
        ++m_inFlight; // the call's slot is taken while the fleet counts
        m_fleetBudget(day).then(this, [this, job = std::move(job), day,
                                       spent](std::optional<qint64> fleetCount) mutable {
            --m_inFlight;
            const auto next = qScopeGuard([this] { pump(); });
            if (!fleetCount) { // the fleet cannot tell: count here, as a lone replica would
                if (spendBudget())
                    send(std::move(job), m_clock());
                else
                    spent(std::move(job));
                return;
            }
            m_budgetDay = day;
            m_budgetUsed = qMin(*fleetCount, m_options.dailyBudget);
            if (*fleetCount > m_options.dailyBudget)
                spent(std::move(job));
            else
                send(std::move(job), m_clock());
        });
        return;
    }
    if (!spendBudget()) {
        spent(std::move(job));
        return;
    }
    send(std::move(job), now);
}

void AccuWeatherClient::send(Job job, qint64 now)
{
    QUrl url = m_options.baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + job.path);
    QUrlQuery query = job.query;
    const QString key = m_key ? m_key() : QString();
    if (!key.isEmpty() && m_options.keyPlacement == KeyPlacement::QueryParameter)
        query.addQueryItem(u"apikey"_s, key);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    // Qt asks for gzip itself and inflates the answer; setting the header would turn that off.
    if (!key.isEmpty() && m_options.keyPlacement == KeyPlacement::BearerHeader)
        request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    ++m_inFlight;
    ++m_stats.endpoints[int(job.endpoint)].calls;
    QNetworkReply *reply = m_network.get(request);
    // A deadline for the whole call: a transfer timeout alone restarts with every byte, so a
    // server that trickles its answer would hold the call (and its caller) indefinitely.
    QTimer::singleShot(int(job.deadline.remainingTime()), reply, [reply] {
        if (reply->isRunning())
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this,
            [this, job = std::move(job), reply, now]() mutable {
                finished(std::move(job), reply, now);
            });
}

void AccuWeatherClient::finished(Job job, QNetworkReply *reply, qint64 startedMs)
{
    --m_inFlight;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString endpoint = endpointName(job.endpoint);
    qCInfo(lcUpstream).noquote()
        << u"event=upstream_call endpoint=%1 status=%2 attempt=%3 ms=%4 error=%5"_s.arg(endpoint)
               .arg(status)
               .arg(job.attempt + 1)
               .arg(m_clock() - startedMs)
               .arg(status ? u"none"_s : QString::number(int(networkError)));

    UpstreamResult result;
    bool retry = false;
    if (status == 0) {
        const bool timedOut = networkError == QNetworkReply::OperationCanceledError
                              || networkError == QNetworkReply::TimeoutError;
        result = timedOut ? failure(UpstreamError::Kind::Timeout,
                                    u"no answer within %1 ms"_s.arg(m_options.timeoutMs))
                          : failure(UpstreamError::Kind::Network,
                                    u"connection failed (%1)"_s.arg(int(networkError)));
        retry = !timedOut;
    } else if (status == 401 || status == 403) {
        if (!m_stats.keyRejected)
            qCWarning(lcUpstream).noquote() << u"event=upstream_key_rejected status=%1 "
                                               "hint=check the AccuWeather API key"_s.arg(status);
        m_stats.keyRejected = true;
        result = failure(UpstreamError::Kind::Unauthorized,
                         u"the upstream refused the API key (%1)"_s.arg(status));
    } else if (status == 429 || (status == 503 && isQuotaBody(body))) {
        const auto retryAfter = reply->rawHeader("Retry-After").toLongLong();
        const qint64 now = m_clock();
        // A daily quota resets at midnight UTC; a 429 is a short rate limit unless told otherwise.
        qint64 until =
            status == 429 ? now + m_options.rateLimitBackoffMs : (now / kDayMs + 1) * kDayMs;
        if (retryAfter > 0)
            until = now + retryAfter * 1000;
        m_stats.quotaBlockedUntilMs = qMax(m_stats.quotaBlockedUntilMs, until);
        qCWarning(lcUpstream).noquote()
            << u"event=upstream_quota_exhausted status=%1 backoff_s=%2"_s.arg(status).arg(
                   (until - now) / 1000);
        result = failure(UpstreamError::Kind::QuotaExceeded, u"upstream quota exhausted"_s);
    } else if (status >= 500) {
        result = failure(UpstreamError::Kind::ServerError, u"upstream answered %1"_s.arg(status));
        retry = true;
    } else if (status >= 400) {
        result = failure(UpstreamError::Kind::Rejected,
                         u"upstream refused the request (%1)"_s.arg(status));
    } else {
        m_stats.keyRejected = false;
        result = validate(job.endpoint, body);
        if (result.ok) {
            if (const auto expires = parseHttpDate(reply->rawHeader("Expires")))
                result.expiresAtMs = expires;
        }
    }

    if (retry && job.attempt < m_options.maxRetries) {
        ++m_stats.retries;
        ++job.attempt;
        // Exponential back-off with full jitter, so many callers do not retry in lockstep.
        std::uniform_int_distribution<int> spread(0, m_options.retryBaseDelayMs << job.attempt);
        QTimer::singleShot(spread(m_jitter), this, [this, job = std::move(job)]() mutable {
            if (!hasTimeFor(job))
                return;
            m_queue.push_front(std::move(job));
            pump();
        });
        pump();
        return;
    }
    ++(result.ok ? m_stats.endpoints[int(job.endpoint)].ok
                 : m_stats.endpoints[int(job.endpoint)].failed);
    complete(job, std::move(result));
    pump();
}

UpstreamResult AccuWeatherClient::validate(Endpoint endpoint, const QByteArray &body) const
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return failure(UpstreamError::Kind::BadResponse,
                       u"upstream JSON is malformed: %1"_s.arg(error.errorString()));
    bool expected = false;
    switch (endpoint) {
    case Endpoint::Geoposition:
        expected = document.isObject() && document.object().value(u"Key").isString();
        break;
    case Endpoint::Current:
        // The live endpoint answers an array holding one observation.
        expected =
            document.isArray() && !document.array().isEmpty() && document.array().at(0).isObject();
        if (expected)
            document = QJsonDocument(document.array().at(0).toObject());
        break;
    case Endpoint::Daily:
        expected = document.isObject() && document.object().value(u"DailyForecasts").isArray();
        break;
    case Endpoint::Hourly:
        expected = document.isArray();
        break;
    }
    if (!expected)
        return failure(UpstreamError::Kind::BadResponse,
                       u"upstream %1 answer has an unexpected shape"_s.arg(endpointName(endpoint)));
    UpstreamResult result;
    result.ok = true;
    result.document = std::move(document);
    return result;
}

void AccuWeatherClient::complete(Job &job, UpstreamResult result)
{
    job.promise->addResult(std::move(result));
    job.promise->finish();
}

AccuWeatherClient::Stats AccuWeatherClient::stats() const
{
    Stats stats = m_stats;
    stats.inFlight = m_inFlight;
    stats.queued = int(m_queue.size());
    if (m_options.dailyBudget > 0) {
        const bool sameDay = m_budgetDay == m_clock() / kDayMs;
        stats.budgetLeft = m_options.dailyBudget - (sameDay ? m_budgetUsed : 0);
    }
    return stats;
}

QString AccuWeatherClient::health() const
{
    if (m_stats.keyRejected)
        return u"key rejected by upstream"_s;
    if (m_clock() < m_stats.quotaBlockedUntilMs)
        return u"quota exhausted"_s;
    const Stats s = stats();
    if (s.budgetLeft == 0)
        return u"daily budget spent"_s;
    return u"ok"_s;
}

void AccuWeatherClient::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.family(prometheus::kUpstreamCalls, "counter",
               "AccuWeather HTTP attempts by endpoint and outcome.");
    for (int i = 0; i < kEndpointCount; ++i) {
        const QString endpoint = endpointName(Endpoint(i));
        const EndpointStats &e = now.endpoints[i];
        out.sample(prometheus::kUpstreamCalls, {{u"endpoint"_s, endpoint}, {u"outcome"_s, u"ok"_s}},
                   double(e.ok));
        out.sample(prometheus::kUpstreamCalls,
                   {{u"endpoint"_s, endpoint}, {u"outcome"_s, u"failed"_s}}, double(e.failed));
    }
    if (now.budgetLeft >= 0) {
        out.single(prometheus::kUpstreamBudgetRemaining, "gauge",
                   "AccuWeather calls left in today's budget.", double(now.budgetLeft));
        out.single(prometheus::kUpstreamBudgetDaily, "gauge",
                   "AccuWeather calls allowed per UTC day (--accuweather-daily-budget).",
                   double(m_options.dailyBudget));
    }
}

} // namespace isobar
