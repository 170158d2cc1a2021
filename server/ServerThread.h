#pragma once

#include "ServerConfig.h"

#include <QObject>
#include <QString>
#include <QThread>

namespace isobar {

class ApiServer;

// Runs an ApiServer on its own thread with its own event loop, so the main (GUI) thread stays
// free for what only it may do: widgets and QtCharts renders (docs/CHARTS.md). The server is
// created, started, stopped and destroyed on that thread; this object is used from the main one.
class ServerThread : public QObject
{
    Q_OBJECT
public:
    explicit ServerThread(ServerConfig config, QObject *parent = nullptr);
    ~ServerThread() override;

    // Starts the thread and the server on it; waits until it listens or fails.
    bool start();
    // Asks the server to drain; stopped() follows once it has, and the thread has ended.
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }

    QString errorString() const { return m_error; }
    QString url() const { return m_url; }
    quint16 port() const { return m_port; }
    // The scrape-only listener's port (--metrics-port), 0 when there is none.
    quint16 prometheusPort() const { return m_prometheusPort; }
    // The server itself, for calls marshalled onto its thread (QMetaObject::invokeMethod).
    ApiServer *server() const { return m_server; }

Q_SIGNALS:
    void stopped();

private:
    void finish();

    ServerConfig m_config;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread: queued calls run there
    ApiServer *m_server = nullptr;
    QString m_error;
    QString m_url;
    quint16 m_port = 0;
    quint16 m_prometheusPort = 0;
};

} // namespace isobar
