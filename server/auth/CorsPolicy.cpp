#include "CorsPolicy.h"

using namespace Qt::StringLiterals;

namespace isobar {

CorsPolicy::CorsPolicy(QStringList allowedOrigins, int maxAgeSeconds)
    : m_origins(std::move(allowedOrigins))
    , m_maxAge(maxAgeSeconds)
{}

bool CorsPolicy::allows(const QByteArray &origin) const
{
    return !origin.isEmpty()
           && (m_origins.contains(u"*"_s) || m_origins.contains(QString::fromLatin1(origin)));
}

HttpResponse CorsPolicy::preflight(const HttpRequest &request, const QByteArrayList &methods) const
{
    HttpResponse response;
    response.status = 204;
    response.setHeader("Vary", "Origin");
    const QByteArray origin = request.header("origin");
    const QByteArray asked = request.header("access-control-request-method");
    if (!allows(origin)
        || (!asked.isEmpty() && !methods.contains(asked)
            && !(asked == "HEAD" && methods.contains("GET"))))
        return response; // no Allow-Origin: the browser refuses the cross-origin call
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Methods",
                       (methods + QByteArrayList{"OPTIONS"}).join(", "));
    response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type");
    response.setHeader("Access-Control-Max-Age", QByteArray::number(m_maxAge));
    return response;
}

void CorsPolicy::decorate(const HttpRequest &request, HttpResponse &response) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || m_origins.isEmpty())
        return;
    response.setHeader("Vary", "Origin");
    if (allows(origin)) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Expose-Headers",
                           "Retry-After, Age, Warning, X-Isobar-Cache");
    }
}

} // namespace isobar
