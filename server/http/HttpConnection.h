#pragma once

#include "ClientSocket.h"
#include "HttpLimits.h"
#include "HttpRequest.h"
#include "HttpRequestParser.h"
#include "HttpResponse.h"
#include "Router.h"

#include <QObject>
#include <QTimer>
#include <array>
#include <atomic>
#include <deque>
#include <functional>

namespace isobar {

// What a server's connections did that operators watch for (GET /metrics); shared by them and
// read from any thread.
class HttpConnectionEvents
{
public:
    enum Event {
        PausedUnread,      // stopped reading: the client left answers unread
        DroppedUnread,     // closed: the client read nothing for the idle timeout
        ClosedSilent,      // closed: no request within the first-byte timeout
        ClosedIdle,        // closed: no next request within the idle timeout
        RefusedFull,       // refused at accept: the server holds max-connections
        RefusedPerAddress, // refused at accept: the address holds its share
        RefusedDraining,   // refused at accept: the server is shutting down
        EventCount
    };
    // The value of /metrics' "event" label.
    static const char *label(Event event);

    void count(Event event) { ++m_counts[event]; }
    qint64 value(Event event) const { return m_counts[event].load(); }

private:
    std::array<std::atomic<qint64>, EventCount> m_counts{};
};

// One client connection: HttpRequestParser turns its bytes into requests (413 for oversized
// heads or bodies before they are buffered, 400 for malformed ones); the connection answers
// them strictly in request order even when handlers finish out of order, 408s slow or stalled
// requests, closes when silent since accept or idle, and stops reading while a client leaves
// its answers unread (dropping it when it reads nothing for the idle timeout).
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // Called for every finished exchange (monitoring hooks in here later).
    using ExchangeObserver =
        std::function<void(const HttpRequest &, const HttpResponse &, qint64 micros)>;

    HttpConnection(ClientSocket *socket, Dispatcher dispatcher, const HttpLimits &limits,
                   HttpConnectionEvents &events, QObject *parent = nullptr);
    ~HttpConnection() override;

    void setObserver(ExchangeObserver observer) { m_observer = std::move(observer); }
    // Stop taking requests; close once the ones in flight are answered.
    void drain();
    bool isIdle() const { return m_pending.empty() && !m_parser.inMessage(); }

Q_SIGNALS:
    void closed();

private:
    struct Pending {
        quint64 sequence = 0;
        bool ready = false;
        bool keepAlive = true;
        bool headOnly = false;
        bool abort = false;
        QByteArray head;
        QByteArray body; // shared with the response (and so with a cache that holds it)
        std::shared_ptr<const BodyFile> bodyFile; // the response's, when it has one
    };

    void onReadyRead();
    void onBytesWritten();
    void processInput();
    // Whether another request may be read now (pipelining and unsent-answer limits).
    bool mayRead() const;
    void dispatch();
    void rejectAndClose(int status, const QString &detail);
    void complete(quint64 sequence, const HttpResponse &response);
    void flushReady();
    // Writes an answer; false when the client turned out to be gone (closed now).
    bool send(const Pending &answer);
    // A dispatched request's answer arrived (or failed); false when the connection is gone.
    bool settle();
    // What the connection's one timer is waiting for.
    enum class Deadline { None, FirstByte, Request, Idle, Unread, Linger };
    void armTimer();
    void scheduleAt(qint64 dueMs, qint64 nowMs);
    void onTimeout();
    // After a refusal: stop sending, read and discard what the client still sends for a
    // moment, then close, so that the refusal reaches it before the connection resets.
    void lingerAndClose();
    void closeNow();

    ClientSocket *m_socket;
    QHostAddress m_peer;
    QString m_peerText;
    quint16 m_localPort = 0;
    Dispatcher m_dispatcher;
    HttpLimits m_limits;
    HttpConnectionEvents &m_events;
    ExchangeObserver m_observer;

    HttpRequestParser m_parser;
    QByteArray m_input;
    bool m_closing = false; // no more requests are read
    bool m_lingering = false;
    bool m_pausedUnread = false; // reading stopped until the client takes its answers
    bool m_draining = false;
    bool m_closed = false;
    bool m_processingInput = false; // processInput() is on the stack
    bool m_readable = true;         // the kernel may hold bytes not read yet
    // Answers still being computed. The connection outlives them even after the socket has
    // gone: their continuations run on this object, which must not be deleted under them.
    int m_inFlight = 0;

    std::deque<Pending> m_pending;
    quint64 m_nextSequence = 0;
    QTimer m_timer;
    Deadline m_deadline = Deadline::None;
    qint64 m_dueMs = 0;            // when m_deadline falls due
    qint64 m_timerDueMs = 0;       // when the running timer fires: never after m_dueMs
    qint64 m_requestStartedMs = 0; // 0: no request has begun since the last one completed
    qint64 m_openedMs = 0;         // accepted at: the first-byte deadline runs from here
    qint64 m_idleSinceMs = 0;      // the last answer left: the idle deadline runs from here
    qint64 m_writtenAtMs = 0;      // the client last took bytes of its answers
};

} // namespace isobar
