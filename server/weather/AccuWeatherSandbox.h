#pragma once

#include "AccuWeatherClient.h"
#include "http/HttpServer.h"

#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QRandomGenerator>
#include <QString>
#include <functional>
#include <optional>

namespace isobar {

// A local stand-in for the AccuWeather API: the four calls Isobar makes, in AccuWeather's exact
// wire format (responses shaped like tests/fixtures/accuweather/), with its authentication
// (Bearer header or apikey parameter; 401 otherwise), Expires headers and gzip. Weather comes
// from SandboxWeather: plausible, varying with place and time, and named as the sandbox's.
// It runs the real client path offline (packaging/demo.sh) and in tests, where faults can be
// injected and every call is counted.
//
// The fault plan and the counters may be used from any thread (a test may drive a sandbox that
// runs its own event loop in another thread); everything else belongs to the sandbox's thread.
class AccuWeatherSandbox : public QObject
{
    Q_OBJECT
public:
    enum class Fault {
        None,
        Delay,           // answer normally after delayMs
        ServerError,     // 500
        TooManyRequests, // 429 (a rate limit)
        QuotaExceeded,   // 503 with the "allowed number of requests" body
        Malformed,       // 200 with truncated JSON
        Reset,           // drop the connection without answering
    };
    struct FaultPlan {
        Fault kind = Fault::None;
        double probability = 1.0; // of each call being hit, in [0, 1]
        int delayMs = 0;          // for Fault::Delay
    };
    using Clock = std::function<qint64()>; // milliseconds since the epoch

    // The key clients must present. It is compared, never logged nor echoed.
    explicit AccuWeatherSandbox(const QString &apiKey, QObject *parent = nullptr);
    ~AccuWeatherSandbox() override;

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_http.port(); }
    QString errorString() const { return m_http.errorString(); }

    void setClock(Clock clock);
    void setFaultPlan(const FaultPlan &plan);
    FaultPlan faultPlan() const;

    // Requests received per endpoint ("geoposition", "current", "daily", "hourly"), whatever
    // their outcome (refused keys and injected faults count: upstream calls cost either way).
    int calls(const QString &endpoint) const;
    int totalCalls() const;
    void resetCounts();

    // "delay", "server-error", "429", "quota", "malformed", "reset" (and a few aliases);
    // nullopt for an unknown name. Used by the command line and the sandbox_fault parameter.
    static std::optional<Fault> faultFromName(const QString &name);
    static QString faultName(Fault fault);

private:
    // The same four calls the client makes, counted under the same names.
    using Endpoint = AccuWeatherClient::Endpoint;
    static constexpr int kEndpointCount = AccuWeatherClient::kEndpointCount;

    using Answer =
        std::function<HttpResponse(const HttpRequest &, const RouteParams &, qint64 nowMs)>;
    void addEndpoint(Endpoint endpoint, const QString &pattern, const QString &summary,
                     Answer answer);
    QFuture<HttpResponse> serve(Endpoint endpoint, const HttpRequest &request,
                                const RouteParams &params, const Answer &answer);
    bool authorised(const HttpRequest &request) const;
    FaultPlan faultFor(const HttpRequest &request, HttpResponse *refusal);

    HttpResponse geoposition(const HttpRequest &request, qint64 nowMs) const;
    HttpResponse currentConditions(const RouteParams &params, const HttpRequest &request,
                                   qint64 nowMs) const;
    // Daily or Hourly: the same checks, another shape and lifetime.
    HttpResponse forecast(Endpoint endpoint, const RouteParams &params, const HttpRequest &request,
                          qint64 nowMs) const;

    QByteArray m_apiKey;
    HttpServer m_http;
    Clock m_clock;

    mutable QMutex m_mutex; // guards what other threads may touch: the plan, the counters, the dice
    FaultPlan m_plan;
    int m_calls[kEndpointCount] = {};
    QRandomGenerator m_dice{20240501};
};

} // namespace isobar
