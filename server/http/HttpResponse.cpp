#include "HttpResponse.h"

#include "HttpRequest.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace isobar {

QString HttpRequest::baseUrl() const
{
    QByteArray host = this->host.isEmpty() ? header("host") : this->host;
    // A Host header is client input: keep it only when it looks like host[:port].
    const bool plausible =
        !host.isEmpty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':'
                   || c == '[' || c == ']';
        });
    if (!plausible)
        host = QByteArrayLiteral("localhost:") + QByteArray::number(localPort);
    return QString::fromLatin1(scheme) + u"://"_s + QString::fromLatin1(host);
}

HttpResponse &HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return *this;
        }
    }
    headers.append({name, value});
    return *this;
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

HttpResponse HttpResponse::json(const QJsonDocument &document, int status)
{
    return bytes(document.toJson(QJsonDocument::Compact), "application/json", status);
}

HttpResponse HttpResponse::json(const QJsonObject &object, int status)
{
    return json(QJsonDocument(object), status);
}

HttpResponse HttpResponse::json(const QJsonArray &array, int status)
{
    return json(QJsonDocument(array), status);
}

HttpResponse HttpResponse::bytes(QByteArray body, const QByteArray &contentType, int status)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers.append({"Content-Type", contentType});
    return response;
}

HttpResponse HttpResponse::problem(int status, const QString &detail, const QString &field)
{
    QJsonObject body{
        {u"type"_s, u"about:blank"_s},
        {u"title"_s, QString::fromLatin1(reasonPhrase(status))},
        {u"status"_s, status},
        {u"detail"_s, detail},
    };
    if (!field.isEmpty())
        body.insert(u"field"_s, field);
    return bytes(QJsonDocument(body).toJson(QJsonDocument::Compact), "application/problem+json",
                 status);
}

QByteArray HttpResponse::head(bool keepAlive) const
{
    QByteArray out;
    out.reserve(160);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return out;
}

QByteArray HttpResponse::serialize(bool keepAlive, bool headOnly) const
{
    return headOnly ? head(keepAlive) : head(keepAlive) + body;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

} // namespace isobar
