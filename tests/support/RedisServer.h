#pragma once

#include "TestSupport.h"

#include <QProcess>
#include <QTemporaryDir>
#include <memory>

namespace isobar::test {

// A real redis-server for one suite, on a loopback port reserved for it, in memory only. It can
// be stopped and started again on the same port, to test what clients do while it is away.
class RedisServer
{
public:
    RedisServer();
    ~RedisServer();

    // Starts it and waits until it answers PING; false with errorString() otherwise.
    bool start();
    // Kills it at once (SIGKILL), as a crash or a lost node would.
    void kill();
    // Starts it again on the same port (empty: it kept nothing).
    bool restart();
    quint16 port() const { return m_port.port(); }
    QString url() const;
    QString errorString() const { return m_error; }
    // Holds every client's commands for `milliseconds` (CLIENT PAUSE): a Redis that is up
    // but does not answer. False when the server refused.
    bool freeze(int milliseconds) const;
    // Stops the process (SIGSTOP) until resume() (SIGCONT): its sockets stay open and the
    // kernel still accepts connections, but nothing answers, as with a stuck or swapped node.
    void pause() const;
    void resume() const;

private:
    ReservedPort m_port{ReservedPort::Use::ForAListener};
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
};

} // namespace isobar::test
