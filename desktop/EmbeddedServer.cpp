#include "EmbeddedServer.h"

#include "ServerThread.h"

#include <QRandomGenerator>

namespace isobar {

EmbeddedServer::EmbeddedServer(QObject *parent)
    : QObject(parent)
{}

// ServerThread's destructor drains and joins the server's thread.
EmbeddedServer::~EmbeddedServer() = default;

bool EmbeddedServer::start(const ServerConfig &config)
{
    if (m_state != State::Stopped) {
        m_error = tr("the server is already running");
        return false;
    }
    // A fresh credential per start, for the window's own reads of its server's stats.
    ServerConfig withLocalToken = config;
    QByteArray token;
    if (config.auth.enabled) {
        QByteArray random(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(random.data()),
                                              random.size() / int(sizeof(quint32)));
        token = random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        withLocalToken.auth.localAdminToken = token;
    }
    auto thread = std::make_unique<ServerThread>(withLocalToken);
    if (!thread->start()) {
        m_error = thread->errorString();
        return false;
    }
    connect(thread.get(), &ServerThread::stopped, this, [this] {
        // Deleted after the signal has returned: the thread object is still on the stack.
        m_thread.release()->deleteLater();
        m_url.clear();
        m_localToken.clear();
        setState(State::Stopped);
    });
    m_url = QUrl(thread->url());
    m_authEnabled = config.auth.enabled;
    m_localToken = token;
    m_error.clear();
    m_thread = std::move(thread);
    setState(State::Running);
    return true;
}

void EmbeddedServer::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    m_thread->stop();
}

QString EmbeddedServer::describe() const
{
    switch (m_state) {
    case State::Running:
        return m_authEnabled ? tr("Server running on %1 (tokens checked)").arg(m_url.toString())
                             : tr("Server running on %1 (no auth)").arg(m_url.toString());
    case State::Stopping:
        return tr("Server stopping…");
    case State::Stopped:
        break;
    }
    return tr("Server stopped");
}

void EmbeddedServer::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace isobar
