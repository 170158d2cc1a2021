#pragma once

#include "HttpLimits.h"
#include "HttpRequest.h"

#include <QByteArray>
#include <QString>
#include <http_parser.h>

namespace isobar {

// Turns the bytes of one connection into complete requests, one at a time, with HttpLimits'
// head and body limits applied as the bytes arrive (413 before an oversized body is buffered).
// It knows nothing of sockets: HttpConnection feeds it, and the fuzz target and the tests
// drive it with bytes alone.
//
// Stricter than http_parser where leniency lets a proxy in front and Isobar read one stream as
// different requests (RFC 9112 section 2.2, 5.2, 11.2): the head's lines must end in CRLF (a
// bare LF or CR is refused), and a header line continued on the next (obs-fold) is refused.
// A request with both Content-Length and Transfer-Encoding is refused by http_parser itself.
class HttpRequestParser
{
public:
    explicit HttpRequestParser(const HttpLimits &limits);
    HttpRequestParser(const HttpRequestParser &) = delete; // http_parser points back at it
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    enum class Result {
        NeedMore, // every byte was taken; the request is not complete yet
        Request,  // a request is complete: takeRequest(); bytes after it are left in `input`
        Rejected, // the stream is unusable from here: answer rejection() and close
    };
    // Consumes bytes from the front of `input`.
    Result parse(QByteArray &input);

    // The request parse() just completed.
    HttpRequest takeRequest();
    // Whether the connection may carry another request after the one just taken.
    bool keepAlive() const { return m_keepAlive; }
    // A request has begun (some of its bytes arrived) and is not complete.
    bool inMessage() const { return m_inMessage; }

    struct Rejection {
        int status = 0;
        QString detail;
    };
    const Rejection &rejection() const { return m_rejection; }
    // What is known of the request that was refused, for the access log.
    const HttpRequest &partialRequest() const { return m_request; }

private:
    // Checks the head's bytes before http_parser reads them (a fault sets m_rejection).
    void scanHead(const QByteArray &input);
    Result reject(int status, QString detail);
    // The request line's target in absolute form ("http://host/path?q"): its path and query
    // become the target and its authority the Host (RFC 9112 section 3.2.2).
    bool takeAbsoluteForm();

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);

    HttpLimits m_limits;
    http_parser m_parser;
    http_parser_settings m_settings;
    HttpRequest m_request;
    QByteArray m_headerField;
    bool m_lastWasValue = false;
    bool m_inMessage = false;
    bool m_keepAlive = true;
    int m_limitStatus = 0; // set by a callback that hit a limit
    Rejection m_rejection;

    // The head scanner's state, for the request whose head is being read.
    struct HeadScan {
        bool complete = false;    // the empty line after the headers was seen
        qsizetype bytes = 0;      // bytes of the head checked so far (its size once complete)
        bool lineStart = true;    // the next byte starts a line
        bool afterCr = false;     // the last byte was CR
        bool requestLine = false; // the request line has begun (empty lines before it are skipped)
    } m_head;
};

} // namespace isobar
