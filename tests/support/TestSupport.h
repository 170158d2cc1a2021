#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QString>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <optional>

namespace isobar::test {

// The repository's bundled sample data (data/ukhsa) and test fixtures.
QString sampleDataDir();
QString fixturesDir();

struct HttpReply {
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;

    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

// A blocking HTTP/1.1 client over a real loopback socket that shows exactly what the server
// wrote. Blocking is fine because the server under test runs in another thread or process.
class HttpClient
{
public:
    explicit HttpClient(quint16 port);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void sendRaw(const QByteArray &bytes);
    // Reads one response (Content-Length framed); nullopt on timeout or a closed connection.
    std::optional<HttpReply> readReply(int timeoutMs = 30000);
    // Everything the server sends until it closes the connection (or the timeout).
    QByteArray readUntilClose(int timeoutMs);
    // True when the server closed the connection within the timeout.
    bool waitForClose(int timeoutMs);

    // One request on a fresh connection.
    static HttpReply request(quint16 port, const QByteArray &method, const QByteArray &target,
                             const QByteArray &body = {}, const QByteArray &extraHeaders = {});

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

// A loopback TCP port held for as long as the object lives: bound, never listening, so the
// kernel hands it to no one else, neither to a listen on port 0 nor as the local port of a
// connection. A port probed free and then closed has no such guarantee: another test running
// beside this one can take it in between.
//  - NobodyListens: connecting to it is refused, for "a server that is not there".
//  - ForAListener: a process the test starts may still listen on it (both sides set
//    SO_REUSEADDR, as QTcpServer does), for a setting whose value is the port itself.
class ReservedPort
{
public:
    enum class Use { NobodyListens, ForAListener };
    explicit ReservedPort(Use use);
    ~ReservedPort();
    ReservedPort(const ReservedPort &) = delete;
    ReservedPort &operator=(const ReservedPort &) = delete;
    quint16 port() const { return m_port; }

private:
    int m_socket = -1;
    quint16 m_port = 0;
};

// `isobar serve` as a real child process on an ephemeral port, over a database file.
class ServerProcess
{
public:
    ~ServerProcess();
    // Without --oidc-issuer among the arguments the server runs with --no-auth: most suites
    // test something other than tokens.
    bool start(const QString &databasePath, const QStringList &extraArguments = {});
    // Sets a variable in the server's environment (on top of the test's own), before start():
    // how a test points the server at a local upstream and hands it secrets off the command line.
    void setEnvironmentVariable(const QString &name, const QString &value);
    quint16 port() const { return m_port; }
    qint64 processId() const { return m_process.processId(); }
    // SIGTERM, then the exit code (-1 if it did not exit in time).
    int stop(int timeoutMs = 10000);
    QByteArray output() const { return m_output; }

private:
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_output;
};

// The first column of the first row of `sql`; the test stops if the query fails.
qint64 scalar(QSqlDatabase &db, const QString &sql);

// Runs `isobar ingest` on paths into a database; returns the exit code, output in `output`.
int runIngest(const QString &databasePath, const QStringList &paths, QByteArray *output = nullptr);

// One run of the isobar binary with `arguments`: its exit code (-1 if it crashed or did not end
// within 20 s) and its merged output.
struct IsobarRun {
    int exitCode = -1;
    QByteArray output;
};
IsobarRun runIsobar(const QStringList &arguments);

} // namespace isobar::test
