#include "HttpConnection.h"

#include "Router.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
HttpConnection *self(http_parser *parser)
{
    return static_cast<HttpConnection *>(parser->data);
}
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, Dispatcher dispatcher, const HttpLimits &limits,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_dispatcher(std::move(dispatcher))
    , m_limits(limits)
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress();
    m_peerText = m_peer.toString();
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    http_parser_settings_init(&m_settings);
    m_settings.on_message_begin = &HttpConnection::onMessageBegin;
    m_settings.on_url = &HttpConnection::onUrl;
    m_settings.on_header_field = &HttpConnection::onHeaderField;
    m_settings.on_header_value = &HttpConnection::onHeaderValue;
    m_settings.on_headers_complete = &HttpConnection::onHeadersComplete;
    m_settings.on_body = &HttpConnection::onBody;
    m_settings.on_message_complete = &HttpConnection::onMessageComplete;

    m_openedMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::closeNow);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_closing && m_pending.empty() && m_socket->bytesToWrite() == 0)
            m_socket->disconnectFromHost();
    });
    armTimer();
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::drain()
{
    m_draining = true;
    if (isIdle())
        closeNow();
}

void HttpConnection::armTimer()
{
    if (m_inMessage) {
        const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_requestStartedMs;
        m_timer.start(int(qMax<qint64>(0, m_limits.requestTimeoutMs - elapsed)));
    } else if (m_pending.empty() && m_nextSequence == 0) {
        // No request yet: the deadline runs from accept, so stray bytes do not extend it.
        const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_openedMs;
        m_timer.start(int(qMax<qint64>(0, m_limits.firstByteTimeoutMs - elapsed)));
    } else if (m_pending.empty()) {
        // From the last answer: bytes that start no request (stray CRLFs) do not extend it.
        const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_idleSinceMs;
        m_timer.start(int(qMax<qint64>(0, m_limits.idleTimeoutMs - elapsed)));
    } else {
        m_timer.stop(); // a handler is working; its own deadline applies
    }
}

void HttpConnection::onTimeout()
{
    if (m_inMessage) {
        rejectAndClose(
            408, u"the request was not complete within %1 ms"_s.arg(m_limits.requestTimeoutMs));
    } else if (m_pending.empty()) {
        closeNow();
    }
}

void HttpConnection::onReadyRead()
{
    if (m_closing) {
        m_socket->readAll(); // after a rejection, the rest of the stream is discarded
        return;
    }
    m_input += m_socket->readAll();
    processInput();
}

void HttpConnection::processInput()
{
    // An answer that is ready at once comes back here through complete() and flushReady().
    // The loop below is already running and takes the freed slot itself: calling in again
    // would recurse once per pipelined request until the stack overflowed.
    if (m_processingInput)
        return;
    m_processingInput = true;
    const auto processed = qScopeGuard([this] { m_processingInput = false; });
    while (!m_input.isEmpty() && !m_closing && !m_draining && !m_closed
           && int(m_pending.size()) < m_limits.maxPipelined) {
        const size_t parsed = http_parser_execute(&m_parser, &m_settings, m_input.constData(),
                                                  size_t(m_input.size()));
        m_input.remove(0, qsizetype(parsed));
        const auto error = HTTP_PARSER_ERRNO(&m_parser);
        if (m_limitStatus) {
            rejectAndClose(m_limitStatus,
                           m_limitStatus == 413 && m_headerBytes > m_limits.maxHeaderBytes
                               ? u"request headers exceed %1 bytes"_s.arg(m_limits.maxHeaderBytes)
                               : u"request body exceeds %1 bytes"_s.arg(m_limits.maxBodyBytes));
            return;
        }
        if (error == HPE_PAUSED) {
            // onMessageComplete pauses so that each request is dispatched before the next is read.
            http_parser_pause(&m_parser, 0);
            dispatch();
            continue;
        }
        if (error == HPE_HEADER_OVERFLOW) {
            rejectAndClose(413, u"request headers are too large"_s);
            return;
        }
        if (error != HPE_OK) {
            rejectAndClose(400, u"malformed HTTP request: %1"_s.arg(
                                    QLatin1String(http_errno_description(error))));
            return;
        }
        if (parsed == 0)
            break;
    }
    if (!m_closed)
        armTimer();
}

bool HttpConnection::countHeaderBytes(size_t length)
{
    m_headerBytes += qsizetype(length);
    if (m_headerBytes <= m_limits.maxHeaderBytes)
        return true;
    m_limitStatus = 413;
    return false;
}

int HttpConnection::onMessageBegin(http_parser *parser)
{
    HttpConnection *c = self(parser);
    c->m_request = HttpRequest{};
    c->m_request.peer = c->m_peer;
    c->m_request.peerText = c->m_peerText;
    c->m_request.localPort = c->m_socket->localPort();
    c->m_headerField.clear();
    c->m_lastWasValue = false;
    c->m_headerBytes = 0;
    c->m_inMessage = true;
    c->m_requestStartedMs = QDateTime::currentMSecsSinceEpoch();
    c->armTimer();
    return 0;
}

int HttpConnection::onUrl(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (!c->countHeaderBytes(length))
        return 1;
    c->m_request.target.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (!c->countHeaderBytes(length))
        return 1;
    if (c->m_lastWasValue) {
        c->m_headerField.clear();
        c->m_lastWasValue = false;
    }
    c->m_headerField.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (!c->countHeaderBytes(length))
        return 1;
    const QByteArray name = c->m_headerField.toLower();
    QByteArray &value = c->m_request.headers[name];
    if (!c->m_lastWasValue && !value.isEmpty())
        value.append(", "); // a repeated header joins the earlier one, per RFC 9110
    value.append(at, qsizetype(length));
    c->m_lastWasValue = true;
    return 0;
}

int HttpConnection::onHeadersComplete(http_parser *parser)
{
    HttpConnection *c = self(parser);
    // Refuse a declared body that is too large before a byte of it is buffered.
    if ((parser->flags & F_CONTENTLENGTH) && parser->content_length != ULLONG_MAX
        && parser->content_length > quint64(c->m_limits.maxBodyBytes)) {
        c->m_limitStatus = 413;
        return -1;
    }
    c->m_request.method = http_method_str(http_method(parser->method));
    const qsizetype queryAt = c->m_request.target.indexOf('?');
    c->m_request.path =
        QString::fromUtf8(queryAt < 0 ? c->m_request.target : c->m_request.target.first(queryAt));
    if (queryAt >= 0)
        c->m_request.query.setQuery(QString::fromUtf8(c->m_request.target.sliced(queryAt + 1)));
    return 0;
}

int HttpConnection::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (c->m_request.body.size() + qsizetype(length) > c->m_limits.maxBodyBytes) {
        c->m_limitStatus = 413; // a chunked body that grew past the limit
        return 1;
    }
    c->m_request.body.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *parser)
{
    HttpConnection *c = self(parser);
    c->m_messageDone = true;
    http_parser_pause(parser, 1);
    return 0;
}

void HttpConnection::dispatch()
{
    m_inMessage = false;
    m_messageDone = false;
    Pending pending;
    pending.sequence = m_nextSequence++;
    pending.keepAlive = http_should_keep_alive(&m_parser) && !m_draining;
    pending.headOnly = m_request.method == "HEAD";
    if (!pending.keepAlive)
        m_closing = true;
    m_pending.push_back(pending);

    const quint64 sequence = pending.sequence;
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest{};
    m_limits.trustedProxies.apply(request);
    QElapsedTimer timer;
    timer.start();
    ++m_inFlight;
    auto answer = [this, sequence, request, timer](const HttpResponse &response) {
        if (m_observer)
            m_observer(request, response, timer.nsecsElapsed() / 1000);
        if (settle())
            complete(sequence, response);
    };
    m_dispatcher(request)
        .then(this, answer)
        .onFailed(this,
                  [answer] {
                      answer(HttpResponse::problem(500, u"the request could not be processed"_s));
                  })
        .onCanceled(this, [answer] {
            // A handler's promise died unfinished (a shutdown under way): still answer.
            answer(HttpResponse::problem(503, u"the server is shutting down"_s));
        });
}

bool HttpConnection::settle()
{
    --m_inFlight;
    if (!m_closed)
        return true;
    if (m_inFlight == 0)
        deleteLater(); // the last answer of a connection that closed while it was computed
    return false;
}

void HttpConnection::complete(quint64 sequence, const HttpResponse &response)
{
    for (Pending &pending : m_pending) {
        if (pending.sequence == sequence) {
            pending.bytes = response.serialize(pending.keepAlive, pending.headOnly);
            pending.abort = response.abortConnection;
            pending.ready = true;
            break;
        }
    }
    flushReady();
}

void HttpConnection::flushReady()
{
    // Only the oldest answer may go out: responses leave in request order.
    while (!m_pending.empty() && m_pending.front().ready) {
        const Pending front = std::move(m_pending.front());
        m_pending.pop_front();
        if (front.abort) {
            closeNow();
            return;
        }
        m_socket->write(front.bytes);
        m_idleSinceMs = QDateTime::currentMSecsSinceEpoch();
        if (!front.keepAlive) {
            m_closing = true;
            m_pending.clear();
            m_socket->disconnectFromHost();
            return;
        }
    }
    if (m_draining && isIdle()) {
        m_socket->disconnectFromHost();
        return;
    }
    processInput(); // reading may have paused at the pipelining limit
}

void HttpConnection::rejectAndClose(int status, const QString &detail)
{
    m_closing = true;
    m_inMessage = false;
    m_timer.stop();
    m_input.clear();
    // Earlier requests still get their answers first; this one is the last on the connection.
    Pending pending;
    pending.sequence = m_nextSequence++;
    pending.keepAlive = false;
    pending.ready = true;
    pending.bytes = HttpResponse::problem(status, detail).serialize(false);
    m_pending.push_back(pending);
    if (m_observer) {
        HttpRequest partial = m_request;
        if (partial.method.isEmpty())
            partial.method = "?";
        m_observer(partial, HttpResponse::problem(status, detail), 0);
    }
    flushReady();
}

void HttpConnection::closeNow()
{
    if (m_closed)
        return;
    m_closed = true;
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    m_timer.stop();
    Q_EMIT closed();
    if (m_inFlight == 0)
        deleteLater(); // else the last answer to arrive deletes it (settle())
}

} // namespace isobar
