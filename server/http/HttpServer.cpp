#include "HttpServer.h"

#include <QTcpSocket>

namespace isobar {

HttpServer::HttpServer(HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
{
    m_dispatcher = [this](const HttpRequest &request) { return m_router.dispatch(request); };
    connect(&m_tcp, &QTcpServer::newConnection, this, &HttpServer::acceptPending);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_tcp.listen(address, port);
}

void HttpServer::acceptPending()
{
    while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
        if (m_draining || m_connections >= m_limits.maxConnections) {
            const HttpResponse busy = HttpResponse::problem(
                503, m_draining ? QStringLiteral("the server is shutting down")
                                : QStringLiteral("too many connections"));
            socket->write(busy.serialize(false));
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *connection = new HttpConnection(socket, m_dispatcher, m_limits, this);
        connection->setObserver(m_observer);
        ++m_connections;
        connect(connection, &HttpConnection::closed, this, [this] {
            --m_connections;
            if (m_draining && m_connections == 0)
                Q_EMIT drained();
        });
    }
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

} // namespace isobar
