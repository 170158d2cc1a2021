#pragma once

#include "auth/Authenticator.h"
#include "auth/CorsPolicy.h"
#include "auth/RateLimiter.h"
#include "http/Router.h"

namespace isobar {

// What every request goes through before its route handler, in order: CORS preflight,
// routing (404/405), the access policy (the route's scope, verified from a bearer token),
// the per-caller rate limit, then the handler; CORS headers are added on the way out.
// Without an Authenticator (--no-auth) every route is open.
class RequestPipeline
{
public:
    RequestPipeline(const Router &router, Authenticator *authenticator, RateLimiter &limiter,
                    CorsPolicy cors);

    Eventual<HttpResponse> handle(const HttpRequest &request);

    // The status document; it and the probes (ReplicaProbes) are never refused by the rate
    // limit, since an orchestrator that is told 429 restarts a healthy replica (its probes may
    // share an address with the traffic behind a load balancer).
    static inline const QString kHealthRoute = QString::fromUtf16(u"/health");
    // The probes UKHSA's deployments ask: liveness, and readiness with the store.
    static inline const QString kUkhsaLivenessRoute = QString::fromUtf16(u"/health/");
    static inline const QString kUkhsaReadinessRoute =
        QString::fromUtf16(u"/.well-known/health-check/");
    static bool isProbe(const QString &pattern);

private:
    Eventual<HttpResponse> decide(const HttpRequest &request, const Router::Match &match);
    // The answer to a request for "*", the server as a whole.
    HttpResponse serverOptions(const QByteArray &method) const;
    Eventual<HttpResponse> admit(const HttpRequest &request, const Route &route,
                                 const RouteParams &params, const QString &caller);
    Eventual<HttpResponse> finish(const HttpRequest &request,
                                  Eventual<HttpResponse> response) const;

    const Router &m_router;
    Authenticator *m_authenticator;
    RateLimiter &m_limiter;
    CorsPolicy m_cors;
};

} // namespace isobar
