#pragma once

#include "MetricsSource.h"

#include <QNetworkAccessManager>
#include <QUrl>

namespace isobar {

// A remote Isobar read through its public API only, never its database: GET /api/v1/catalogue
// (or, from a server without it, the UKHSA-compatible drill-down /api/public/timeseries/...) for
// the catalogue, POST /api/downloads/v2 for a series' points. QNetworkAccessManager answers
// asynchronously on the GUI thread; JSON is parsed on a worker.
class RemoteMetricsSource : public MetricsSource
{
public:
    explicit RemoteMetricsSource(const QUrl &baseUrl);

    QString displayName() const override;
    QFuture<CatalogueResult> catalogue() override;
    QFuture<SeriesResult> series(const SeriesQuery &query) override;

    // The server's address joined with an API path whose segments are already encoded.
    QUrl endpoint(const QByteArray &encodedPath) const;

private:
    QUrl m_baseUrl;
    QNetworkAccessManager m_network;
};

// The human reason a reply failed: the problem+json detail when the server sent one.
QString replyError(class QNetworkReply *reply, const QByteArray &body);

} // namespace isobar
