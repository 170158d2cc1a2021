#include "ServerThread.h"

#include "ApiServer.h"

using namespace Qt::StringLiterals;

namespace isobar {

ServerThread::ServerThread(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_thread.setObjectName(u"isobar-http"_s);
}

ServerThread::~ServerThread()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(
            m_context, [this] { finish(); }, Qt::BlockingQueuedConnection);
        m_thread.wait();
    }
}

bool ServerThread::start()
{
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_context,
        [this, &ok] {
            m_server = new ApiServer(m_config);
            ok = m_server->start();
            m_error = m_server->errorString();
            m_url = m_server->url();
            m_port = m_server->port();
            m_prometheusPort = m_server->prometheusPort();
            // Queued: the server is deleted after its signal has returned, not inside it.
            connect(
                m_server, &ApiServer::stopped, m_context,
                [this] {
                    finish();
                    QMetaObject::invokeMethod(this, &ServerThread::stopped, Qt::QueuedConnection);
                },
                Qt::QueuedConnection);
        },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        QMetaObject::invokeMethod(
            m_context, [this] { finish(); }, Qt::BlockingQueuedConnection);
        m_thread.wait();
    }
    return ok;
}

void ServerThread::stop()
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, &ApiServer::stop, Qt::QueuedConnection);
}

// On the server's thread: its objects die where they were made, then the thread ends.
void ServerThread::finish()
{
    delete m_server;
    m_server = nullptr;
    m_context->deleteLater();
    m_thread.quit();
}

} // namespace isobar
