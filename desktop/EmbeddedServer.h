#pragma once

#include "ServerConfig.h"

#include <QObject>
#include <QUrl>
#include <memory>

namespace isobar {

class ServerThread;

// The API server the desktop runs in-process: the same ApiServer as `isobar serve`, on its own
// thread (ServerThread), so the window stays responsive and chart renders keep the GUI thread.
class EmbeddedServer : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Running, Stopping };
    Q_ENUM(State)

    explicit EmbeddedServer(QObject *parent = nullptr);
    ~EmbeddedServer() override;

    // Starts listening; false with errorString() when the port or database cannot be had.
    bool start(const ServerConfig &config);
    // Drains in-flight requests; stateChanged(Stopped) follows.
    void stop();

    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    // With tokens checked: the credential this run's server accepts from the desktop itself
    // (AuthConfig::localAdminToken), for its Operations page; empty otherwise. In memory only.
    QByteArray localToken() const { return m_localToken; }
    // "Running on http://127.0.0.1:8080 (no auth)", for the status bar and the tray.
    QString describe() const;

Q_SIGNALS:
    void stateChanged(isobar::EmbeddedServer::State state);

private:
    void setState(State state);

    std::unique_ptr<ServerThread> m_thread;
    State m_state = State::Stopped;
    QUrl m_url;
    QString m_error;
    bool m_authEnabled = false;
    QByteArray m_localToken;
};

} // namespace isobar
