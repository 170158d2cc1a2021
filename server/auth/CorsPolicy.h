#pragma once

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QStringList>
#include <optional>

namespace isobar {

// Cross-origin access for web clients: only configured origins (none by default) get
// Access-Control-Allow-* headers; preflights are answered here, before routing and auth.
class CorsPolicy
{
public:
    explicit CorsPolicy(QStringList allowedOrigins = {}, int maxAgeSeconds = 600);

    bool allows(const QByteArray &origin) const;
    // The answer to an OPTIONS preflight for a route allowing `methods`.
    HttpResponse preflight(const HttpRequest &request, const QByteArrayList &methods) const;
    // Adds the headers a browser needs to let the page read `response`.
    void decorate(const HttpRequest &request, HttpResponse &response) const;

private:
    QStringList m_origins;
    int m_maxAge;
};

} // namespace isobar
