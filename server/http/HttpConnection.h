#pragma once

#include "HttpLimits.h"
#include "HttpRequest.h"
#include "HttpResponse.h"
#include "Router.h"

#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>
#include <http_parser.h>

class QTcpSocket;

namespace isobar {

// One client connection: parses requests with http_parser, enforces HttpLimits (413 for
// oversized headers or bodies before they are buffered, 408 for slow or stalled requests,
// close when silent since accept or idle), and writes responses strictly in request order
// even when handlers finish out of order.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // Called for every finished exchange (monitoring hooks in here later).
    using ExchangeObserver =
        std::function<void(const HttpRequest &, const HttpResponse &, qint64 micros)>;

    HttpConnection(QTcpSocket *socket, Dispatcher dispatcher, const HttpLimits &limits,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    void setObserver(ExchangeObserver observer) { m_observer = std::move(observer); }
    // Stop taking requests; close once the ones in flight are answered.
    void drain();
    bool isIdle() const { return m_pending.empty() && !m_inMessage; }

Q_SIGNALS:
    void closed();

private:
    struct Pending {
        quint64 sequence = 0;
        bool ready = false;
        bool keepAlive = true;
        bool headOnly = false;
        bool abort = false;
        QByteArray bytes;
    };

    void onReadyRead();
    void processInput();
    void dispatch();
    void rejectAndClose(int status, const QString &detail);
    void complete(quint64 sequence, const HttpResponse &response);
    void flushReady();
    // A dispatched request's answer arrived (or failed); false when the connection is gone.
    bool settle();
    void armTimer();
    void onTimeout();
    void closeNow();

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    bool countHeaderBytes(size_t length);

    QTcpSocket *m_socket;
    QHostAddress m_peer;
    QString m_peerText;
    Dispatcher m_dispatcher;
    HttpLimits m_limits;
    ExchangeObserver m_observer;

    http_parser m_parser;
    http_parser_settings m_settings;
    QByteArray m_input;
    HttpRequest m_request;
    QByteArray m_headerField;
    bool m_lastWasValue = false;
    qsizetype m_headerBytes = 0;
    int m_limitStatus = 0; // set by a callback that hit a limit
    bool m_inMessage = false;
    bool m_messageDone = false;
    bool m_closing = false; // no more requests are read
    bool m_draining = false;
    bool m_closed = false;
    bool m_processingInput = false; // processInput() is on the stack
    // Answers still being computed. The connection outlives them even after the socket has
    // gone: their continuations run on this object, which must not be deleted under them.
    int m_inFlight = 0;

    std::deque<Pending> m_pending;
    quint64 m_nextSequence = 0;
    QTimer m_timer;
    qint64 m_requestStartedMs = 0;
    qint64 m_openedMs = 0;    // accepted at: the first-byte deadline runs from here
    qint64 m_idleSinceMs = 0; // the last answer left: the idle deadline runs from here
};

} // namespace isobar
