#include "RequestPipeline.h"

#include "auth/AccessPolicy.h"
#include "monitoring/CallerNames.h"
#include "monitoring/ReplicaProbes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

HttpResponse unauthorized()
{
    // RFC 6750: the same answer for every bad token, so it teaches an attacker nothing.
    HttpResponse response = HttpResponse::problem(401, u"a valid bearer token is required"_s);
    response.setHeader("WWW-Authenticate", "Bearer realm=\"isobar\", error=\"invalid_token\"");
    return response;
}

HttpResponse forbidden(const QString &scope)
{
    HttpResponse response =
        HttpResponse::problem(403, u"the token lacks the scope '%1'"_s.arg(scope));
    response.setHeader("WWW-Authenticate",
                       "Bearer realm=\"isobar\", error=\"insufficient_scope\", scope=\""
                           + scope.toLatin1() + '"');
    return response;
}

HttpResponse tooManyRequests(int retryAfterSeconds)
{
    HttpResponse response = HttpResponse::problem(429, u"rate limit exceeded; slow down"_s);
    response.setHeader("Retry-After", QByteArray::number(retryAfterSeconds));
    return response;
}

} // namespace

RequestPipeline::RequestPipeline(const Router &router, Authenticator *authenticator,
                                 RateLimiter &limiter, CorsPolicy cors)
    : m_router(router)
    , m_authenticator(authenticator)
    , m_limiter(limiter)
    , m_cors(std::move(cors))
{}

bool RequestPipeline::isProbe(const QString &pattern)
{
    return pattern == kHealthRoute || pattern == kUkhsaLivenessRoute
           || pattern == kUkhsaReadinessRoute || pattern == ReplicaProbes::kStartupRoute
           || pattern == ReplicaProbes::kLivenessRoute || pattern == ReplicaProbes::kReadinessRoute;
}

Eventual<HttpResponse> RequestPipeline::handle(const HttpRequest &request)
{
    const Router::Match match = m_router.match(request.method, request.path);
    // Monitoring counts endpoints by pattern: /geographies/England and /Wales are one endpoint.
    return decide(request, match)
        .then([route = match.route ? match.route->pattern : QString()](HttpResponse response) {
            response.notes.route = route;
            return response;
        });
}

Eventual<HttpResponse> RequestPipeline::decide(const HttpRequest &request,
                                               const Router::Match &match)
{
    if (request.path == u"*")
        return serverOptions(request.method);
    if (request.method == "OPTIONS") {
        if (match.allowedMethods.isEmpty())
            return finish(request, m_router.dispatch(request));
        if (!request.header("origin").isEmpty())
            return m_cors.preflight(request, match.allowedMethods);
        HttpResponse allow;
        allow.status = 204;
        allow.setHeader("Allow", (match.allowedMethods + QByteArrayList{"OPTIONS"}).join(", "));
        return allow;
    }
    if (!match.route)
        return finish(request, m_router.dispatch(request));

    const QString scope = AccessPolicy::requiredScope(match.route->pattern);
    const QString address = u"addr:"_s + request.peerText;
    if (scope.isEmpty() || !m_authenticator)
        return admit(request, *match.route, match.params, address);

    const Route *route = match.route;
    const RouteParams params = match.params;
    // A token not verified before costs the caller's address one request of its rate limit
    // before any signature work: bad tokens cannot be sent faster than requests.
    Eventual<AuthOutcome> outcome = m_authenticator->authenticate(
        request.header("authorization"), [this, &address] { return m_limiter.acquire(address); });
    auto decide = [this, request, route, params, scope](const AuthOutcome &auth) {
        // Refused before a subject was verified: counted against what was presented.
        auto refused = [&request, &auth](HttpResponse response) {
            response.notes.presented = CallerNames::presented(
                !request.header("authorization").isEmpty(), auth.throttledSeconds > 0);
            return response;
        };
        if (auth.throttledSeconds > 0)
            return finish(request, refused(tooManyRequests(auth.throttledSeconds)));
        if (!auth.ok)
            return finish(request, refused(unauthorized()));
        if (!auth.scopes.contains(scope))
            return finish(request, forbidden(scope));
        HttpRequest identified = request;
        identified.subject = auth.subject;
        return admit(identified, *route, params, u"sub:"_s + auth.subject);
    };
    if (outcome.isReady())
        return decide(std::move(outcome).take());
    return std::move(outcome)
        .toFuture()
        .then(m_authenticator,
              [decide](const AuthOutcome &auth) { return decide(auth).toFuture(); })
        .unwrap();
}

HttpResponse RequestPipeline::serverOptions(const QByteArray &method) const
{
    // "OPTIONS *" asks about the server as a whole (RFC 9110 section 9.3.7): the methods some
    // route takes. No other method has a meaning for "*".
    if (method != "OPTIONS")
        return HttpResponse::problem(400, u"the request target * is for OPTIONS only"_s);
    QByteArrayList methods{"OPTIONS"};
    for (const Route &route : m_router.routes()) {
        if (!methods.contains(route.method))
            methods << route.method;
        if (route.method == "GET" && !methods.contains("HEAD"))
            methods << "HEAD";
    }
    std::sort(methods.begin(), methods.end());
    HttpResponse allow;
    allow.status = 204;
    allow.setHeader("Allow", methods.join(", "));
    return allow;
}

Eventual<HttpResponse> RequestPipeline::admit(const HttpRequest &request, const Route &route,
                                              const RouteParams &params, const QString &caller)
{
    if (const int wait = isProbe(route.pattern) ? 0 : m_limiter.acquire(caller)) {
        HttpResponse throttled = tooManyRequests(wait);
        throttled.notes.subject = request.subject; // a verified caller's 429s are its own
        return finish(request, std::move(throttled));
    }
    Eventual<HttpResponse> answer = Router::answer(route, request, params);
    if (request.subject.isEmpty())
        return finish(request, std::move(answer));
    return finish(request,
                  std::move(answer).then([subject = request.subject](HttpResponse response) {
                      response.notes.subject = subject;
                      return response;
                  }));
}

Eventual<HttpResponse> RequestPipeline::finish(const HttpRequest &request,
                                               Eventual<HttpResponse> response) const
{
    if (request.header("origin").isEmpty())
        return response;
    return std::move(response).then([cors = m_cors, request](HttpResponse answer) {
        cors.decorate(request, answer);
        return answer;
    });
}

} // namespace isobar
