#include "HttpServer.h"

#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// One client as the per-address limit counts it: an IPv4 address (also when it reaches a
// dual-stack socket as ::ffff:a.b.c.d), or the /64 an IPv6 address is in, since one host
// is usually given a whole /64 and could otherwise take a new address per connection.
QHostAddress clientOf(const QHostAddress &peer)
{
    bool isIPv4 = false;
    const quint32 ipv4 = peer.toIPv4Address(&isIPv4);
    if (isIPv4)
        return QHostAddress(ipv4);
    Q_IPV6ADDR ipv6 = peer.toIPv6Address();
    std::fill(ipv6.c + 8, ipv6.c + 16, quint8(0));
    return QHostAddress(ipv6);
}

} // namespace

HttpServer::HttpServer(HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_limits(std::move(limits))
{
    m_dispatcher = [this](const HttpRequest &request) { return m_router.dispatch(request); };
    m_tcp.accepted = [this](int descriptor) { accept(descriptor); };
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    // Qt's default of 50 drops connections under a burst before they are ever accepted.
    m_tcp.setListenBacklogSize(m_limits.listenBacklog);
    return m_tcp.listen(address, port);
}

void HttpServer::accept(int descriptor)
{
    auto *socket = new ClientSocket(descriptor, m_limits.kernelUnsentBytes, this);
    const QHostAddress client = clientOf(socket->peerAddress());
    if (m_draining) {
        refuse(socket, HttpConnectionEvents::RefusedDraining, u"the server is shutting down"_s);
        return;
    }
    if (m_connections >= m_limits.maxConnections) {
        refuse(socket, HttpConnectionEvents::RefusedFull, u"too many connections"_s);
        return;
    }
    if (m_connectionsFrom.value(client) >= m_limits.maxConnectionsPerAddress) {
        refuse(socket, HttpConnectionEvents::RefusedPerAddress,
               u"too many connections from this address"_s);
        return;
    }
    auto *connection = new HttpConnection(socket, m_dispatcher, m_limits, m_events, this);
    connection->setObserver(m_observer);
    ++m_connections;
    ++m_connectionsFrom[client];
    connect(connection, &HttpConnection::closed, this, [this, client] {
        --m_connections;
        if (--m_connectionsFrom[client] == 0)
            m_connectionsFrom.remove(client); // the table holds connected clients only
        if (m_draining && m_connections == 0)
            Q_EMIT drained();
    });
}

void HttpServer::refuse(ClientSocket *socket, HttpConnectionEvents::Event why,
                        const QString &detail)
{
    m_events.count(why);
    // A short answer the kernel takes at once, then close: a refusal costs no connection slot.
    HttpResponse busy = HttpResponse::problem(503, detail);
    if (!m_draining)
        busy.setHeader("Retry-After", "1");
    connect(socket, &ClientSocket::disconnected, socket, &QObject::deleteLater);
    if (socket->write(busy.head(false), busy.body))
        socket->disconnectFromHost();
    else
        socket->deleteLater(); // the client has gone already
}

void HttpServer::drain()
{
    m_draining = true;
    m_tcp.close();
    if (m_connections == 0) {
        Q_EMIT drained();
        return;
    }
    for (HttpConnection *connection : findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly))
        connection->drain();
}

void HttpServer::writePrometheus(PrometheusText &out) const
{
    out.family(prometheus::kHttpConnections, "gauge", "Client connections open.");
    out.sample(prometheus::kHttpConnections, {}, m_connections);
    out.family(prometheus::kHttpConnectionEvents, "counter",
               "What the connection guard did: connections no longer read because their client "
               "left answers unread (paused_unread) and closed for it (dropped_unread), closed "
               "silent since accept (closed_silent) or idle after an answer (closed_idle), and "
               "refused at accept (refused_full, refused_per_address, refused_draining).");
    for (int event = 0; event < HttpConnectionEvents::EventCount; ++event) {
        const auto which = HttpConnectionEvents::Event(event);
        out.sample(prometheus::kHttpConnectionEvents,
                   {{u"event"_s, QString::fromLatin1(HttpConnectionEvents::label(which))}},
                   double(m_events.value(which)));
    }
}

} // namespace isobar
