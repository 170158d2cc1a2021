#pragma once

#include "HttpConnection.h"
#include "HttpLimits.h"
#include "Router.h"

#include <QHash>
#include <QHostAddress>
#include <QTcpServer>
#include <functional>

namespace isobar {

class PrometheusText;

// A listening socket that hands each accepted descriptor over as it is, where QTcpServer would
// wrap it in a QTcpSocket first.
class DescriptorListener : public QTcpServer
{
public:
    std::function<void(int descriptor)> accepted;

protected:
    void incomingConnection(qintptr descriptor) override { accepted(int(descriptor)); }
};

// The listening socket: accepts connections up to the limits, overall and per client address,
// and gives each an HttpConnection bound to the shared route table.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(HttpLimits limits = {}, QObject *parent = nullptr);

    Router &router() { return m_router; }
    const Router &router() const { return m_router; }
    const HttpLimits &limits() const { return m_limits; }
    void setObserver(HttpConnection::ExchangeObserver observer)
    {
        m_observer = std::move(observer);
    }
    // Replaces plain routing (the default) for connections accepted from now on.
    void setDispatcher(Dispatcher dispatcher) { m_dispatcher = std::move(dispatcher); }

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_tcp.serverPort(); }
    QHostAddress address() const { return m_tcp.serverAddress(); }
    QString errorString() const { return m_tcp.errorString(); }

    // Stops accepting, lets in-flight requests finish, emits drained() when none are left.
    void drain();

    const HttpConnectionEvents &connectionEvents() const { return m_events; }
    // Its families of /metrics: open connections, and what the connection guard did.
    void writePrometheus(PrometheusText &out) const;

Q_SIGNALS:
    void drained();

private:
    void accept(int descriptor);
    // Answers 503 and closes, without an HttpConnection.
    void refuse(ClientSocket *socket, HttpConnectionEvents::Event why, const QString &detail);

    HttpLimits m_limits;
    Router m_router;
    HttpConnection::ExchangeObserver m_observer;
    Dispatcher m_dispatcher;
    DescriptorListener m_tcp;
    int m_connections = 0;
    QHash<QHostAddress, int> m_connectionsFrom; // open connections per clientOf() address
    bool m_draining = false;
    HttpConnectionEvents m_events;
};

} // namespace isobar
