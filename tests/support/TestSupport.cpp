#include "TestSupport.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QSqlQuery>
#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace isobar::test {

QString sampleDataDir()
{
    return QString::fromUtf8(ISOBAR_TEST_DATA_DIR "/ukhsa");
}
QString fixturesDir()
{
    return QString::fromUtf8(ISOBAR_TEST_FIXTURES_DIR);
}

HttpClient::HttpClient(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    m_socket.waitForConnected(30000);
}

void HttpClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.waitForBytesWritten(30000);
}

std::optional<HttpReply> HttpClient::readReply(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    auto fill = [&] {
        if (m_socket.bytesAvailable() == 0
            && !m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            return false;
        m_buffer += m_socket.readAll();
        return true;
    };
    qsizetype headerEnd;
    while ((headerEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (deadline.hasExpired() || !fill())
            return std::nullopt;
    }
    HttpReply reply;
    const QList<QByteArray> lines = m_buffer.first(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    reply.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            reply.headers.insert(lines[i].first(colon).trimmed().toLower(),
                                 lines[i].sliced(colon + 1).trimmed());
    }
    const qsizetype length = reply.headers.value("content-length").toLongLong();
    while (m_buffer.size() < headerEnd + 4 + length) {
        if (deadline.hasExpired() || !fill())
            return std::nullopt;
    }
    reply.body = m_buffer.sliced(headerEnd + 4, length);
    m_buffer.remove(0, headerEnd + 4 + length);
    return reply;
}

QByteArray HttpClient::readUntilClose(int timeoutMs)
{
    waitForClose(timeoutMs);
    m_buffer += m_socket.readAll();
    return std::exchange(m_buffer, {});
}

bool HttpClient::waitForClose(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return true;
        if (m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            m_buffer += m_socket.readAll();
        else if (m_socket.state() != QAbstractSocket::ConnectedState
                 || m_socket.error() == QAbstractSocket::RemoteHostClosedError)
            return true;
    }
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

HttpReply HttpClient::request(quint16 port, const QByteArray &method, const QByteArray &target,
                              const QByteArray &body, const QByteArray &extraHeaders)
{
    HttpClient client(port);
    QByteArray raw = method + ' ' + target + " HTTP/1.1\r\nHost: localhost:"
                     + QByteArray::number(port) + "\r\nConnection: close\r\n" + extraHeaders;
    if (!body.isEmpty() || method == "POST" || method == "PUT") {
        if (!extraHeaders.toLower().contains("content-type:"))
            raw += "Content-Type: application/json\r\n";
        raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    raw += "\r\n" + body;
    client.sendRaw(raw);
    return client.readReply(30000).value_or(HttpReply{});
}

ReservedPort::ReservedPort(Use use)
{
    m_socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_socket < 0)
        qFatal("ReservedPort: no socket");
    if (use == Use::ForAListener) {
        const int on = 1;
        ::setsockopt(m_socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_socket, reinterpret_cast<sockaddr *>(&address), length) != 0
        || ::getsockname(m_socket, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        qFatal("ReservedPort: cannot bind a loopback port");
    m_port = ntohs(address.sin_port);
}

ReservedPort::~ReservedPort()
{
    ::close(m_socket);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool ServerProcess::start(const QString &databasePath, const QStringList &extraArguments)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // A suite that crashes never runs its destructors: the server then goes with it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.start(QString::fromUtf8(ISOBAR_BINARY),
                    QStringList{u"serve"_s, u"--database"_s, databasePath, u"--port"_s, u"0"_s}
                        + extraArguments
                        + (extraArguments.contains(u"--oidc-issuer"_s)
                                   || extraArguments.contains(u"--no-auth"_s)
                               ? QStringList()
                               : QStringList{u"--no-auth"_s}));
    // The text line, or the JSON event of --log-format json.
    static const QRegularExpression listening(
        u"(?:listening on |\"event\":\"listening\".*\"url\":\")http://[^:]+:(\\d+)"_s);
    const QDeadlineTimer deadline(60000); // a loaded machine can take long to start a process
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(200) && m_process.state() == QProcess::NotRunning)
            break;
        m_output += m_process.readAll();
        const auto match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    m_output += m_process.readAll();
    return false;
}

void ServerProcess::setEnvironmentVariable(const QString &name, const QString &value)
{
    QProcessEnvironment environment = m_process.processEnvironment();
    if (environment.isEmpty())
        environment = QProcessEnvironment::systemEnvironment();
    environment.insert(name, value);
    m_process.setProcessEnvironment(environment);
}

int ServerProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs)) {
        qWarning("isobar serve did not stop within %d ms of SIGTERM", timeoutMs);
        return -1;
    }
    m_output += m_process.readAll();
    if (m_process.exitStatus() != QProcess::NormalExit) {
        qWarning("isobar serve crashed on SIGTERM: %s", m_output.right(2000).constData());
        return -1;
    }
    return m_process.exitCode();
}

IsobarRun runIsobar(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QString::fromUtf8(ISOBAR_BINARY), arguments);
    if (!process.waitForFinished(20000))
        return {-1, process.readAll()};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAll()};
}

int runIngest(const QString &databasePath, const QStringList &paths, QByteArray *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QString::fromUtf8(ISOBAR_BINARY),
                  QStringList{u"ingest"_s, u"--database"_s, databasePath} + paths);
    process.waitForFinished(300000);
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        qFatal("query failed: %s", qPrintable(sql));
    return query.value(0).toLongLong();
}

} // namespace isobar::test
