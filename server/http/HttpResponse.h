#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>

namespace isobar {

struct HttpResponse {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // Drop the connection instead of answering (a reset, as a peer that misbehaves would see).
    bool abortConnection = false;

    HttpResponse &setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const;

    static HttpResponse json(const QJsonDocument &document, int status = 200);
    static HttpResponse json(const QJsonObject &object, int status = 200);
    static HttpResponse json(const QJsonArray &array, int status = 200);
    static HttpResponse bytes(QByteArray body, const QByteArray &contentType, int status = 200);

    // RFC 9457 problem details: application/problem+json with type, title, status, detail
    // and, for a bad parameter, the offending field.
    static HttpResponse problem(int status, const QString &detail, const QString &field = {});

    // The full HTTP/1.1 message; `keepAlive` decides the Connection header.
    QByteArray serialize(bool keepAlive, bool headOnly = false) const;
};

QByteArray reasonPhrase(int status);

} // namespace isobar
