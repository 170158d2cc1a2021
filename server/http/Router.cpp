#include "Router.h"

#include "ApiError.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QStringList splitPath(const QString &path)
{
    QStringList segments = path.split(u'/');
    // "/a/b/" and "/a/b" are the same resource; "/" is the root.
    if (!segments.isEmpty() && segments.constFirst().isEmpty())
        segments.removeFirst();
    if (!segments.isEmpty() && segments.constLast().isEmpty())
        segments.removeLast();
    return segments;
}

// The path's segments, each decoded on its own, so an escaped "/" (%2F) inside a name stays in
// that name. Decoded once per request, not once per route tried.
QStringList decodedSegments(const QString &path)
{
    QStringList segments = splitPath(path);
    for (QString &segment : segments) {
        if (segment.contains(u'%'))
            segment = QUrl::fromPercentEncoding(segment.toUtf8());
    }
    return segments;
}

bool isParameter(const QString &segment)
{
    return segment.startsWith(u'<') && segment.endsWith(u'>');
}

bool matchSegments(const Route &route, const QStringList &segments, RouteParams *params)
{
    if (route.segments.size() != segments.size())
        return false;
    // Literal segments first: most routes differ from the path there, before any parameter is
    // copied out.
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (!isParameter(route.segments[i]) && route.segments[i] != segments[i])
            return false;
    }
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &expected = route.segments[i];
        if (!isParameter(expected))
            continue;
        if (segments[i].isEmpty())
            return false;
        params->insert(expected.mid(1, expected.size() - 2), segments[i]);
    }
    return true;
}

} // namespace

QFuture<HttpResponse> readyResponse(HttpResponse response)
{
    return QtFuture::makeReadyFuture(std::move(response));
}

void Router::add(const QByteArray &method, const QString &pattern, const QString &summary,
                 RouteHandler handler, TrailingSlash trailingSlash)
{
    m_routes.append(
        Route{method, pattern, summary, std::move(handler), splitPath(pattern), trailingSlash});
}

void Router::refuseMethodsWith(const QString &pattern, const MethodRefusal &refusal)
{
    bool found = false;
    for (Route &route : m_routes) {
        if (route.pattern == pattern) {
            route.refuseMethod = refusal;
            found = true;
        }
    }
    // A misspelt pattern would leave the route refusing methods Isobar's way: a programming
    // error, caught by the first start of any server.
    if (!found)
        qFatal("Router::refuseMethodsWith: no route %s", qPrintable(pattern));
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    const QStringList segments = decodedSegments(path);
    Match result;
    for (const Route &route : m_routes) {
        RouteParams params;
        if ((route.trailingSlash == TrailingSlash::Required && !path.endsWith(u'/'))
            || !matchSegments(route, segments, &params))
            continue;
        // HEAD is answered by the GET route, without the body.
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            result.route = &route;
            result.params = std::move(params);
            return result;
        }
        if (!result.allowedMethods.contains(route.method))
            result.allowedMethods << route.method;
        if (!result.refuseMethod)
            result.refuseMethod = route.refuseMethod;
    }
    return result;
}

Eventual<HttpResponse> Router::answer(const Route &route, const HttpRequest &request,
                                      const RouteParams &params)
{
    try {
        return route.handler(request, params);
    } catch (const ApiError &error) {
        return error.toResponse();
    }
}

Eventual<HttpResponse> Router::dispatch(const HttpRequest &request) const
{
    const Match found = match(request.method, request.path);
    if (found.route)
        return answer(*found.route, request, found.params);
    if (!found.allowedMethods.isEmpty() && found.refuseMethod)
        return found.refuseMethod(request.method);
    if (!found.allowedMethods.isEmpty()) {
        HttpResponse response =
            HttpResponse::problem(405, u"%1 is not allowed on %2; use %3"_s.arg(
                                           QString::fromLatin1(request.method), request.path,
                                           QString::fromLatin1(found.allowedMethods.join(", "))));
        response.setHeader("Allow", found.allowedMethods.join(", "));
        return response;
    }
    return HttpResponse::problem(404, u"no resource at %1"_s.arg(request.path));
}

} // namespace isobar
