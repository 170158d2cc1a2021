#include "RedisServer.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace isobar::test {

namespace {

// One inline command on a fresh connection; the first line of the answer.
QByteArray ask(quint16 port, const QByteArray &command, int timeoutMs = 2000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(command + "\r\n");
    if (!socket.waitForBytesWritten(timeoutMs) || !socket.waitForReadyRead(timeoutMs))
        return {};
    return socket.readLine().trimmed();
}

} // namespace

RedisServer::RedisServer() = default;

RedisServer::~RedisServer()
{
    kill();
}

QString RedisServer::url() const
{
    return u"redis://127.0.0.1:%1"_s.arg(port());
}

bool RedisServer::start()
{
    m_process = std::make_unique<QProcess>();
    m_process->setWorkingDirectory(m_dir.path());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // A suite that crashes never runs its destructors: the server then goes with it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start(u"redis-server"_s,
                     {u"--port"_s, QString::number(port()), u"--bind"_s, u"127.0.0.1"_s,
                      u"--save"_s, QString(), u"--appendonly"_s, u"no"_s, u"--dir"_s, m_dir.path(),
                      u"--enable-debug-command"_s, u"yes"_s});
    if (!m_process->waitForStarted(10'000)) {
        m_error = u"cannot start redis-server: %1"_s.arg(m_process->errorString());
        return false;
    }
    // Up means answering, not merely started.
    const QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
        if (ask(port(), "PING") == "+PONG")
            return true;
        if (m_process->state() != QProcess::Running) {
            m_error = u"redis-server exited: %1"_s.arg(QString::fromUtf8(m_process->readAll()));
            return false;
        }
        m_process->waitForReadyRead(50); // the only wait: for the process to say something
    }
    m_error = u"redis-server did not answer PING within 20 s"_s;
    return false;
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10'000);
    m_process.reset();
}

bool RedisServer::restart()
{
    kill();
    return start();
}

bool RedisServer::freeze(int milliseconds) const
{
    // Answered at once, and in force from that answer on: no race with the next command.
    return ask(port(), "CLIENT PAUSE " + QByteArray::number(milliseconds) + " ALL") == "+OK";
}

void RedisServer::pause() const
{
    if (m_process)
        ::kill(pid_t(m_process->processId()), SIGSTOP);
}

void RedisServer::resume() const
{
    if (m_process)
        ::kill(pid_t(m_process->processId()), SIGCONT);
}

} // namespace isobar::test
