#pragma once

#include <QDeadlineTimer>
#include <QFuture>
#include <QHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPromise>
#include <QUrl>
#include <QUrlQuery>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>

namespace isobar {

using namespace Qt::StringLiterals;

class PrometheusText;

// Why an upstream answer could not be had. The detail never contains the API key.
struct UpstreamError {
    enum class Kind {
        None,
        Timeout,       // no answer in time                       -> 504 to the watch
        Network,       // refused, reset, DNS ...                  -> 502
        ServerError,   // 5xx after retries                        -> 502
        Rejected,      // another 4xx: the request was refused     -> 502
        Unauthorized,  // 401/403: a bad or unauthorised key       -> 502, and health says so
        QuotaExceeded, // 429, or 503 "allowed number of requests" -> 503 until the window resets
        BudgetSpent,   // our own daily call budget                -> 503
        QueueFull,     // too many calls waiting                   -> 503
        BadResponse,   // unparsable or unexpected JSON            -> 502
    };
    Kind kind = Kind::None;
    QString detail;
};

QString upstreamErrorName(UpstreamError::Kind kind);

struct UpstreamResult {
    bool ok = false;
    QJsonDocument document;
    std::optional<qint64> expiresAtMs; // the upstream's Expires header
    std::optional<qint64> fetchedAtMs; // set when the answer is an older copy (the fleet's)
    UpstreamError error;
};

// Asynchronous client of the AccuWeather API: every call runs on the event loop through one
// QNetworkAccessManager (no thread per request), with a per-call timeout, bounded concurrency
// and queue, retries with jitter on connection errors and 5xx (never on 4xx), quota back-off,
// and a daily call budget. Every HTTP attempt counts against the budget: it is what costs.
class AccuWeatherClient : public QObject
{
    Q_OBJECT
public:
    enum class Endpoint { Geoposition, Current, Daily, Hourly };
    static constexpr int kEndpointCount = 4;
    static QString endpointName(Endpoint endpoint);

    enum class KeyPlacement { BearerHeader, QueryParameter };

    struct Options {
        QUrl baseUrl = QUrl(u"https://dataservice.accuweather.com"_s);
        KeyPlacement keyPlacement = KeyPlacement::BearerHeader;
        int timeoutMs = 5000;
        int maxConcurrent = 8;
        int maxQueued = 2000;
        int maxRetries = 2;
        int retryBaseDelayMs = 200;
        qint64 dailyBudget = 0;          // calls per UTC day; 0 = unlimited
        int rateLimitBackoffMs = 10'000; // after a 429 without Retry-After
    };

    struct EndpointStats {
        qint64 calls = 0; // HTTP attempts
        qint64 ok = 0;
        qint64 failed = 0;
    };
    struct Stats {
        EndpointStats endpoints[kEndpointCount];
        qint64 retries = 0;
        qint64 budgetLeft = -1; // -1: unlimited
        qint64 quotaBlockedUntilMs = 0;
        bool keyRejected = false;
        int inFlight = 0;
        int queued = 0;
    };

    using KeyProvider = std::function<QString()>;
    using Clock = std::function<qint64()>; // milliseconds since the epoch

    AccuWeatherClient(Options options, KeyProvider key, Clock clock = {},
                      QObject *parent = nullptr);
    ~AccuWeatherClient() override;

    QFuture<UpstreamResult> geoposition(double latitude, double longitude,
                                        const QString &language = {});
    QFuture<UpstreamResult> currentConditions(const QString &locationKey,
                                              const QString &language = {});
    QFuture<UpstreamResult> dailyForecast(const QString &locationKey, bool metric,
                                          const QString &language = {});
    QFuture<UpstreamResult> hourlyForecast(const QString &locationKey, bool metric,
                                           const QString &language = {});

    Stats stats() const;
    // Its families of /metrics: calls by endpoint and outcome, the day's budget left.
    void writePrometheus(PrometheusText &out) const;
    // "ok", or why calls cannot succeed now (rejected key, quota, budget).
    QString health() const;

    // Counts the day's budget across the fleet (Redis) rather than in this replica alone:
    // `spend(day)` returns the fleet's count for that UTC day after this call's share, or
    // nullopt when it cannot tell (this replica then counts alone, as without a fleet).
    using FleetBudget = std::function<QFuture<std::optional<qint64>>(qint64 day)>;
    void shareBudget(FleetBudget fleet) { m_fleetBudget = std::move(fleet); }

private:
    // The three calls on a location key: path + key, details, units when they matter.
    QFuture<UpstreamResult> byLocation(Endpoint endpoint, const QString &path,
                                       const QString &locationKey, std::optional<bool> metric,
                                       const QString &language);
    struct Job {
        Endpoint endpoint;
        QString path;
        QUrlQuery query;
        int attempt = 0;
        std::shared_ptr<QPromise<UpstreamResult>> promise;
        // timeoutMs from when the call was asked for: its wait in the queue and its retries
        // count, so a caller never waits longer than the timeout for an answer.
        QDeadlineTimer deadline;
    };
    // Whether the job still has time for an attempt: at least a quarter of the timeout, since
    // a call that cannot finish only costs a quota unit; otherwise it is completed as timed out.
    bool hasTimeFor(Job &job);

    QFuture<UpstreamResult> enqueue(Endpoint endpoint, const QString &path, const QUrlQuery &query);
    void pump();
    void start(Job job);
    void send(Job job, qint64 now);
    void finished(Job job, QNetworkReply *reply, qint64 startedMs);
    void complete(Job &job, UpstreamResult result);
    bool spendBudget();
    UpstreamResult validate(Endpoint endpoint, const QByteArray &body) const;

    Options m_options;
    KeyProvider m_key;
    Clock m_clock;
    QNetworkAccessManager m_network;
    std::deque<Job> m_queue;
    int m_inFlight = 0;
    Stats m_stats;
    qint64 m_budgetDay = -1;
    qint64 m_budgetUsed = 0; // this replica's, or the fleet's as last counted
    FleetBudget m_fleetBudget;
    std::mt19937 m_jitter{std::random_device{}()};
};

} // namespace isobar
