#include "HttpConnection.h"

#include "Router.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QScopeGuard>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
// Read at most this far ahead of the parser: a client that sends faster than it is answered
// meets TCP's flow control instead of growing the server's memory.
constexpr qint64 kReadBufferBytes = qint64(64) * 1024;
// How long a refused client's remaining bytes are read and discarded before the close.
constexpr int kLingerMs = 2'000;
} // namespace

const char *HttpConnectionEvents::label(Event event)
{
    switch (event) {
    case PausedUnread:
        return "paused_unread";
    case DroppedUnread:
        return "dropped_unread";
    case ClosedSilent:
        return "closed_silent";
    case ClosedIdle:
        return "closed_idle";
    case RefusedFull:
        return "refused_full";
    case RefusedPerAddress:
        return "refused_per_address";
    case RefusedDraining:
        return "refused_draining";
    case EventCount:
        break;
    }
    return "";
}

HttpConnection::HttpConnection(ClientSocket *socket, Dispatcher dispatcher,
                               const HttpLimits &limits, HttpConnectionEvents &events,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_dispatcher(std::move(dispatcher))
    , m_limits(limits)
    , m_events(events)
    , m_parser(limits)
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress();
    m_peerText = m_peer.toString();
    m_localPort = m_socket->localPort();
    m_openedMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &ClientSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &ClientSocket::disconnected, this, &HttpConnection::closeNow);
    connect(m_socket, &ClientSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
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
    if (m_lingering)
        return; // lingerAndClose() set the last deadline
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 since = 0;
    int allowedMs = 0;
    if (m_parser.inMessage()) {
        if (m_requestStartedMs == 0)
            m_requestStartedMs = now;
        m_deadline = Deadline::Request;
        since = m_requestStartedMs;
        allowedMs = m_limits.requestTimeoutMs;
    } else if (m_socket->bytesToWrite() > 0) {
        m_deadline = Deadline::Unread;
        since = m_writtenAtMs;
        allowedMs = m_limits.idleTimeoutMs;
    } else if (m_pending.empty() && m_nextSequence == 0) {
        // No request yet: the deadline runs from accept, so stray bytes do not extend it.
        m_deadline = Deadline::FirstByte;
        since = m_openedMs;
        allowedMs = m_limits.firstByteTimeoutMs;
    } else if (m_pending.empty()) {
        // From the last answer: bytes that start no request (stray CRLFs) do not extend it.
        m_deadline = Deadline::Idle;
        since = m_idleSinceMs;
        allowedMs = m_limits.idleTimeoutMs;
    } else {
        m_deadline = Deadline::None; // a handler is working; its own deadline applies
        return;                      // a timer still running finds nothing due when it fires
    }
    scheduleAt(since + allowedMs, now);
}

void HttpConnection::scheduleAt(qint64 dueMs, qint64 nowMs)
{
    m_dueMs = dueMs;
    // A deadline mostly moves later (every answer restarts the idle one): a timer that fires
    // sooner is left running and re-armed when it fires, rather than restarted per request.
    if (m_timer.isActive() && m_timerDueMs <= dueMs)
        return;
    m_timerDueMs = dueMs;
    m_timer.start(int(qMax<qint64>(0, dueMs - nowMs)));
}

void HttpConnection::onTimeout()
{
    if (m_deadline == Deadline::None)
        return;
    // Not due yet: the deadline moved since the timer was started (or a coarse timer fired
    // a little early).
    if (const qint64 now = QDateTime::currentMSecsSinceEpoch(); now < m_dueMs) {
        scheduleAt(m_dueMs, now);
        return;
    }
    switch (m_deadline) {
    case Deadline::Request:
        rejectAndClose(
            408, u"the request was not complete within %1 ms"_s.arg(m_limits.requestTimeoutMs));
        return;
    case Deadline::Unread: // the client stopped reading its answers
        m_events.count(HttpConnectionEvents::DroppedUnread);
        closeNow();
        return;
    case Deadline::FirstByte:
        m_events.count(HttpConnectionEvents::ClosedSilent);
        closeNow();
        return;
    case Deadline::Idle:
        m_events.count(HttpConnectionEvents::ClosedIdle);
        closeNow();
        return;
    case Deadline::Linger:
        closeNow();
        return;
    case Deadline::None:
        return;
    }
}

void HttpConnection::onReadyRead()
{
    m_readable = true;
    if (!m_closing) {
        processInput();
        return;
    }
    // After the last request, the rest of the stream is discarded: one read per wake-up, so
    // that a client sending without pause cannot hold the loop (and the linger deadline).
    QByteArray discarded;
    if (m_socket->read(discarded, kReadBufferBytes) == ClientSocket::ReadResult::Closed)
        closeNow();
}

void HttpConnection::onBytesWritten()
{
    // Only bytes the socket queued report here: an answer the kernel took whole never does.
    // This is the slow reader's path, where what the client left unread drains.
    m_writtenAtMs = QDateTime::currentMSecsSinceEpoch();
    // A client taking its answers as they come only moves its deadline on; the parse loop runs
    // again only for one whose reading had paused over answers it left unread.
    if (m_socket->bytesToWrite() > 0 || (!m_pausedUnread && !m_closing)) {
        armTimer();
        return;
    }
    if (m_lingering) {
        m_socket->shutdownWrite();
        return;
    }
    if (m_closing && m_pending.empty()) {
        m_socket->disconnectFromHost();
        return;
    }
    processInput(); // reading may have paused while answers were unread
}

bool HttpConnection::mayRead() const
{
    return !m_closing && !m_draining && !m_closed && int(m_pending.size()) < m_limits.maxPipelined
           && m_socket->bytesToWrite() <= m_limits.maxUnsentBytes;
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
    while (mayRead()) {
        if (m_input.isEmpty()) {
            // A read that came back short emptied the kernel's buffer: the next one waits for
            // readyRead() rather than costing a system call that finds nothing.
            if (!m_readable)
                break;
            const ClientSocket::ReadResult result = m_socket->read(m_input, kReadBufferBytes);
            if (result == ClientSocket::ReadResult::Closed) {
                closeNow();
                return;
            }
            m_readable = m_input.size() == kReadBufferBytes;
            if (m_input.isEmpty())
                break;
        }
        switch (m_parser.parse(m_input)) {
        case HttpRequestParser::Result::NeedMore:
            break;
        case HttpRequestParser::Result::Request:
            dispatch();
            break;
        case HttpRequestParser::Result::Rejected:
            rejectAndClose(m_parser.rejection().status, m_parser.rejection().detail);
            return;
        }
    }
    const bool unread = m_socket->bytesToWrite() > m_limits.maxUnsentBytes;
    if (unread && !m_pausedUnread)
        m_events.count(HttpConnectionEvents::PausedUnread);
    m_pausedUnread = unread;
    if (m_closed)
        return;
    // Level-triggered: a client the loop above stopped reading would wake it over and over.
    m_socket->setReadEnabled(m_closing || mayRead());
    armTimer();
}

void HttpConnection::dispatch()
{
    m_requestStartedMs = 0;
    Pending pending;
    pending.sequence = m_nextSequence++;
    pending.keepAlive = m_parser.keepAlive() && !m_draining;
    HttpRequest request = m_parser.takeRequest();
    request.peer = m_peer;
    request.peerText = m_peerText;
    request.localPort = m_localPort;
    pending.headOnly = request.method == "HEAD";
    if (!pending.keepAlive)
        m_closing = true;
    m_pending.push_back(pending);

    const quint64 sequence = pending.sequence;
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
    Eventual<HttpResponse> response = m_dispatcher(request);
    // A ready answer (a warm cache, a refusal) is written at once: three continuations on it
    // would cost more than computing it did.
    if (response.isReady()) {
        answer(std::move(response).take());
        return;
    }
    std::move(response)
        .toFuture()
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
            pending.head = response.head(pending.keepAlive);
            if (!pending.headOnly) {
                pending.body = response.body;
                pending.bodyFile = response.bodyFile;
            }
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
        if (!send(front))
            return;
        m_idleSinceMs = m_writtenAtMs = QDateTime::currentMSecsSinceEpoch();
        if (!front.keepAlive) {
            m_closing = true;
            m_pending.clear();
            if (m_lingering)
                lingerAndClose();
            else
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

bool HttpConnection::send(const Pending &answer)
{
    if (m_socket->write(answer.head, answer.body, answer.bodyFile))
        return true;
    closeNow(); // the client is gone (reset, broken pipe)
    return false;
}

void HttpConnection::rejectAndClose(int status, const QString &detail)
{
    m_closing = true;
    m_lingering = true; // the client may still be sending what was refused
    m_requestStartedMs = 0;
    m_timer.stop();
    m_input.clear();
    // Earlier requests still get their answers first; this one is the last on the connection.
    Pending pending;
    pending.sequence = m_nextSequence++;
    pending.keepAlive = false;
    pending.ready = true;
    const HttpResponse refusal = HttpResponse::problem(status, detail);
    pending.head = refusal.head(false);
    pending.body = refusal.body;
    m_pending.push_back(pending);
    if (m_observer) {
        HttpRequest partial = m_parser.partialRequest();
        if (partial.method.isEmpty())
            partial.method = "?";
        partial.peer = m_peer;
        partial.peerText = m_peerText;
        partial.localPort = m_localPort;
        m_observer(partial, refusal, 0);
    }
    flushReady();
}

void HttpConnection::lingerAndClose()
{
    m_deadline = Deadline::Linger;
    m_timer.stop();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    scheduleAt(now + kLingerMs, now);
    if (m_socket->bytesToWrite() == 0)
        m_socket->shutdownWrite();
    // else onBytesWritten() shuts the sending side once the refusal is out
}

void HttpConnection::closeNow()
{
    if (m_closed)
        return;
    m_closed = true;
    m_socket->abort();
    m_timer.stop();
    Q_EMIT closed();
    if (m_inFlight == 0)
        deleteLater(); // else the last answer to arrive deletes it (settle())
}

} // namespace isobar
