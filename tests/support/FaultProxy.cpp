#include "FaultProxy.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <sys/socket.h>

namespace isobar::test {

// The relay proper, on the proxy's thread: one pair of sockets per accepted connection.
class FaultRelay : public QTcpServer
{
public:
    explicit FaultRelay(quint16 targetPort)
        : m_targetPort(targetPort)
    {
        connect(this, &QTcpServer::newConnection, this, &FaultRelay::acceptAll);
    }

    void setDelay(int milliseconds) { m_delayMs = milliseconds; }

    void setSilent(bool silent)
    {
        m_silent = silent;
        if (!silent) {
            for (const Pair &pair : std::as_const(m_pairs)) {
                pass(pair.client, pair.server);
                pass(pair.server, pair.client);
            }
        }
    }

    void setRefusing(bool refusing)
    {
        m_refusing = refusing;
        if (!refusing)
            return;
        for (const Pair &pair : std::exchange(m_pairs, {})) {
            reset(pair.client);
            reset(pair.server);
        }
    }

private:
    struct Pair {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> server;
    };

    void acceptAll()
    {
        while (QTcpSocket *client = nextPendingConnection()) {
            if (m_refusing) {
                reset(client);
                continue;
            }
            auto *server = new QTcpSocket(this);
            client->setParent(this);
            m_pairs.append(Pair{client, server});
            connect(client, &QTcpSocket::readyRead, this,
                    [this, client, server] { pass(client, server); });
            connect(server, &QTcpSocket::readyRead, this,
                    [this, client, server] { pass(server, client); });
            // What one side ends, the other does too, once what is in flight has gone on.
            for (const auto &[from, to] : {std::pair{client, server}, std::pair{server, client}}) {
                connect(from, &QTcpSocket::disconnected, this, [this, peer = to] {
                    QTimer::singleShot(m_delayMs, peer, [peer] { peer->disconnectFromHost(); });
                });
            }
            connect(server, &QTcpSocket::errorOccurred, this, [client] { reset(client); });
            server->connectToHost(QHostAddress::LocalHost, m_targetPort);
        }
    }

    // Closed with a TCP reset (SO_LINGER 0), as a refused or dropped connection ends; not an
    // orderly close, which a client takes for an answer.
    static void reset(QTcpSocket *socket)
    {
        if (!socket)
            return;
        const linger immediately{1, 0};
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &immediately,
                     sizeof immediately);
        socket->abort();
        socket->deleteLater();
    }

    void pass(QTcpSocket *from, QTcpSocket *to)
    {
        if (m_silent || !from || !to)
            return;
        const QByteArray bytes = from->readAll();
        if (bytes.isEmpty())
            return;
        if (m_delayMs == 0) {
            to->write(bytes);
            return;
        }
        // Equal delays keep the order: Qt fires timers of one interval in the order set.
        QTimer::singleShot(m_delayMs, to, [to, bytes] { to->write(bytes); });
    }

    quint16 m_targetPort;
    int m_delayMs = 0;
    bool m_silent = false;
    bool m_refusing = false;
    QList<Pair> m_pairs;
};

FaultProxy::FaultProxy(quint16 targetPort)
    : m_targetPort(targetPort)
{}

FaultProxy::~FaultProxy()
{
    quit();
    wait();
}

quint16 FaultProxy::start()
{
    QThread::start();
    m_port = m_ready.get_future().get();
    return m_port;
}

void FaultProxy::run()
{
    FaultRelay relay(m_targetPort);
    m_relay = &relay;
    m_ready.set_value(relay.listen(QHostAddress::LocalHost, 0) ? relay.serverPort() : 0);
    exec();
    m_relay = nullptr;
}

void FaultProxy::setDelay(int milliseconds)
{
    QMetaObject::invokeMethod(
        m_relay, [this, milliseconds] { m_relay->setDelay(milliseconds); },
        Qt::BlockingQueuedConnection);
}

void FaultProxy::setSilent(bool silent)
{
    QMetaObject::invokeMethod(
        m_relay, [this, silent] { m_relay->setSilent(silent); }, Qt::BlockingQueuedConnection);
}

void FaultProxy::setRefusing(bool refusing)
{
    QMetaObject::invokeMethod(
        m_relay, [this, refusing] { m_relay->setRefusing(refusing); },
        Qt::BlockingQueuedConnection);
}

} // namespace isobar::test
