#include "HttpRequestParser.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
HttpRequestParser *self(http_parser *parser)
{
    return static_cast<HttpRequestParser *>(parser->data);
}
} // namespace

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    http_parser_settings_init(&m_settings);
    m_settings.on_message_begin = &HttpRequestParser::onMessageBegin;
    m_settings.on_url = &HttpRequestParser::onUrl;
    m_settings.on_header_field = &HttpRequestParser::onHeaderField;
    m_settings.on_header_value = &HttpRequestParser::onHeaderValue;
    m_settings.on_headers_complete = &HttpRequestParser::onHeadersComplete;
    m_settings.on_body = &HttpRequestParser::onBody;
    m_settings.on_message_complete = &HttpRequestParser::onMessageComplete;
}

HttpRequestParser::Result HttpRequestParser::parse(QByteArray &input)
{
    if (m_rejection.status)
        return Result::Rejected;
    if (!m_head.complete) {
        scanHead(input);
        if (m_rejection.status)
            return Result::Rejected;
        if (m_head.bytes > m_limits.maxHeaderBytes)
            return reject(413, u"request headers exceed %1 bytes"_s.arg(m_limits.maxHeaderBytes));
    }
    const size_t parsed =
        http_parser_execute(&m_parser, &m_settings, input.constData(), size_t(input.size()));
    input.remove(0, qsizetype(parsed));
    if (m_limitStatus == 413)
        return reject(413, u"request body exceeds %1 bytes"_s.arg(m_limits.maxBodyBytes));
    if (m_limitStatus)
        return reject(m_limitStatus, u"the request target is not a valid absolute URI"_s);
    const auto error = HTTP_PARSER_ERRNO(&m_parser);
    if (error == HPE_PAUSED) {
        // onMessageComplete pauses, so that each request is handed over before the next is read.
        http_parser_pause(&m_parser, 0);
        m_keepAlive = http_should_keep_alive(&m_parser) != 0;
        m_inMessage = false;
        m_head = HeadScan{};
        return Result::Request;
    }
    if (error == HPE_HEADER_OVERFLOW)
        return reject(413, u"request headers are too large"_s);
    if (error != HPE_OK)
        return reject(
            400, u"malformed HTTP request: %1"_s.arg(QLatin1String(http_errno_description(error))));
    return Result::NeedMore;
}

void HttpRequestParser::scanHead(const QByteArray &input)
{
    // Every byte of the input is head until the empty line: a body is never scanned.
    const char *const end = input.constData() + input.size();
    for (const char *at = input.constData(); at < end && !m_head.complete; ++at) {
        if (!m_head.lineStart && !m_head.afterCr) {
            // Within a line only its end matters: skip to the next CR or LF at memchr's pace
            // (a bearer token alone is about a kilobyte).
            const char *cr = static_cast<const char *>(std::memchr(at, '\r', size_t(end - at)));
            const char *lf =
                static_cast<const char *>(std::memchr(at, '\n', size_t((cr ? cr : end) - at)));
            const char *stop = lf ? lf : cr ? cr : end;
            m_head.bytes += stop - at;
            at = stop;
            if (at == end)
                break;
        }
        const char byte = *at;
        ++m_head.bytes;
        if (byte == '\n') {
            if (!m_head.afterCr) {
                reject(400, u"malformed HTTP request: a line of the head ends in LF without CR"_s);
                return;
            }
            // An empty line ends the head, once the request line has begun; before it, empty
            // lines are skipped (RFC 9112 section 2.2).
            m_head.complete = m_head.lineStart && m_head.requestLine;
            m_head.lineStart = true;
            m_head.afterCr = false;
            continue;
        }
        if (m_head.afterCr) {
            reject(400, u"malformed HTTP request: a CR in the head is not followed by LF"_s);
            return;
        }
        m_head.afterCr = byte == '\r';
        if (m_head.afterCr)
            continue;
        if (m_head.lineStart && m_head.requestLine && (byte == ' ' || byte == '\t')) {
            reject(400, u"malformed HTTP request: a header line is folded (obs-fold)"_s);
            return;
        }
        m_head.lineStart = false;
        m_head.requestLine = true;
    }
}

HttpRequestParser::Result HttpRequestParser::reject(int status, QString detail)
{
    m_rejection = Rejection{status, std::move(detail)};
    m_inMessage = false;
    return Result::Rejected;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest{};
    return request;
}

bool HttpRequestParser::takeAbsoluteForm()
{
    http_parser_url url;
    http_parser_url_init(&url);
    const QByteArray &target = m_request.target;
    if (http_parser_parse_url(target.constData(), size_t(target.size()), 0, &url) != 0
        || !(url.field_set & (1 << UF_HOST)))
        return false;
    const auto field = [&](http_parser_url_fields name) {
        return (url.field_set & (1 << name))
                   ? target.mid(url.field_data[name].off, url.field_data[name].len)
                   : QByteArray();
    };
    // The authority is everything between "//" and the path: host and port as sent.
    const qsizetype authorityAt = target.indexOf("//") + 2;
    const qsizetype pathAt = (url.field_set & (1 << UF_PATH))    ? url.field_data[UF_PATH].off
                             : (url.field_set & (1 << UF_QUERY)) ? url.field_data[UF_QUERY].off - 1
                                                                 : target.size();
    m_request.headers.insert("host", target.mid(authorityAt, pathAt - authorityAt));
    QByteArray originForm = field(UF_PATH);
    if (originForm.isEmpty())
        originForm = "/";
    if (url.field_set & (1 << UF_QUERY))
        originForm += '?' + field(UF_QUERY);
    m_request.target = originForm;
    return true;
}

int HttpRequestParser::onMessageBegin(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    p->m_request = HttpRequest{};
    p->m_headerField.clear();
    p->m_lastWasValue = false;
    p->m_inMessage = true;
    return 0;
}

int HttpRequestParser::onUrl(http_parser *parser, const char *at, size_t length)
{
    self(parser)->m_request.target.append(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    if (p->m_lastWasValue) {
        p->m_headerField.clear();
        p->m_lastWasValue = false;
    }
    p->m_headerField.append(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    const QByteArray name = p->m_headerField.toLower();
    QByteArray &value = p->m_request.headers[name];
    if (!p->m_lastWasValue && !value.isEmpty())
        value.append(", "); // a repeated header joins the earlier one, per RFC 9110
    value.append(at, qsizetype(length));
    p->m_lastWasValue = true;
    return 0;
}

int HttpRequestParser::onHeadersComplete(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    // Refuse a declared body that is too large before a byte of it is buffered.
    if ((parser->flags & F_CONTENTLENGTH) && parser->content_length != ULLONG_MAX
        && parser->content_length > quint64(p->m_limits.maxBodyBytes)) {
        p->m_limitStatus = 413;
        return -1;
    }
    HttpRequest &request = p->m_request;
    request.method = http_method_str(http_method(parser->method));
    if (!request.target.startsWith('/') && request.target != "*" && !p->takeAbsoluteForm()) {
        p->m_limitStatus = 400;
        return -1;
    }
    const qsizetype queryAt = request.target.indexOf('?');
    request.path = QString::fromUtf8(queryAt < 0 ? request.target : request.target.first(queryAt));
    if (queryAt >= 0)
        request.query.setQuery(QString::fromUtf8(request.target.sliced(queryAt + 1)));
    return 0;
}

int HttpRequestParser::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    if (p->m_request.body.size() + qsizetype(length) > p->m_limits.maxBodyBytes) {
        p->m_limitStatus = 413; // a chunked body that grew past the limit
        return 1;
    }
    p->m_request.body.append(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onMessageComplete(http_parser *parser)
{
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace isobar
