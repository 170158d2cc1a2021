#pragma once

#include "Eventual.h"
#include "HttpRequest.h"
#include "HttpResponse.h"

#include <QFuture>
#include <QHash>
#include <QList>
#include <QStringList>
#include <functional>

namespace isobar {

using RouteParams = QHash<QString, QString>;
// Handlers answer at once (a response, or a ready future) or later (work on a thread pool); the
// connection writes answers in request order whatever order they finish in.
using RouteHandler =
    std::function<Eventual<HttpResponse>(const HttpRequest &, const RouteParams &)>;

// Whether a path must end with '/' to reach a route. Paths are matched with or without one by
// default; a route that shares its path with another route spelt without the slash (UKHSA's
// "/health/" beside Isobar's "/health") requires it.
enum class TrailingSlash { Optional, Required };

// How a route's path answers a method it does not take (405), when not as problem+json.
using MethodRefusal = std::function<HttpResponse(const QByteArray &method)>;

struct Route {
    QByteArray method;
    QString pattern; // "/api/public/timeseries/themes/<theme>"
    QString summary; // one line for the OpenAPI document
    RouteHandler handler;
    QStringList segments;
    TrailingSlash trailingSlash = TrailingSlash::Optional;
    MethodRefusal refuseMethod; // none: problem+json
};

// The route table: every route is declared here once; 404 for unknown paths, 405 (with Allow)
// for known paths asked with another method.
class Router
{
public:
    void add(const QByteArray &method, const QString &pattern, const QString &summary,
             RouteHandler handler, TrailingSlash trailingSlash = TrailingSlash::Optional);

    // The routes of `pattern` refuse other methods with `refusal` (a compatibility route's
    // own 405 body); `pattern` must already be added.
    void refuseMethodsWith(const QString &pattern, const MethodRefusal &refusal);

    struct Match {
        const Route *route = nullptr;
        RouteParams params;
        QByteArrayList allowedMethods; // when the path matched but the method did not
        MethodRefusal refuseMethod;    // ...and how the path says so, when not as problem+json
    };
    Match match(const QByteArray &method, const QString &path) const;

    const QList<Route> &routes() const { return m_routes; }
    Eventual<HttpResponse> dispatch(const HttpRequest &request) const;
    // Runs a route's handler: the one place a thrown ApiError becomes its problem+json answer.
    static Eventual<HttpResponse> answer(const Route &route, const HttpRequest &request,
                                         const RouteParams &params);

private:
    QList<Route> m_routes;
};

QFuture<HttpResponse> readyResponse(HttpResponse response);

// Takes a complete request to its answer: the router alone, or a pipeline in front of it.
using Dispatcher = std::function<Eventual<HttpResponse>(const HttpRequest &)>;

} // namespace isobar
