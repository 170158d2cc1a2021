#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QUrlQuery>

namespace isobar {

// One parsed HTTP/1.1 request, complete with its body (bounded by HttpLimits).
struct HttpRequest {
    QByteArray method; // GET, POST, ... as sent
    QByteArray target; // the raw request target, path and query
    QString path;      // as sent, still percent-encoded: the router decodes per segment
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    QHostAddress peer;
    QString peerText; // peer.toString(), made once per connection: logs and limits key on it
    quint16 localPort = 0;
    QString subject; // the verified token's "sub", once authenticated
    // How the client addressed us: as received, or as a trusted proxy says (TrustedProxies).
    QByteArray scheme = QByteArrayLiteral("http");
    QByteArray host; // empty: the Host header

    QByteArray header(const QByteArray &lowerCaseName) const
    {
        return headers.value(lowerCaseName);
    }
    // "scheme://host:port" as the client addressed us, for absolute links in responses.
    QString baseUrl() const;
};

} // namespace isobar
