#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <memory>

namespace isobar {

class BodyFile;

// What monitoring learns about an exchange beyond its bytes; never sent to the client.
struct ExchangeNotes {
    QString route;   // the route pattern that answered ("" when none matched)
    QString subject; // the verified token's sub
    // For a request refused before a subject was verified: what it presented, as the request
    // log names it (CallerNames: "anonymous", "invalid token", "unverified token").
    QString presented;
    // A weather request's cache cell (never the exact position) and how the cache answered.
    bool hasCell = false;
    double cellLatitude = 0, cellLongitude = 0, cellHalfLatitude = 0, cellHalfLongitude = 0;
    QByteArray cacheOutcome; // hit | miss | stale
};

struct HttpResponse {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // The same bytes as `body` in a file the kernel sends from without copying them, when the
    // response cache has made one; the connection then sends the file.
    std::shared_ptr<const BodyFile> bodyFile;
    // Drop the connection instead of answering (a reset, as a peer that misbehaves would see).
    bool abortConnection = false;
    ExchangeNotes notes;

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
    // The status line and headers, up to the blank line: what serialize() puts before the body.
    // A connection sends the two apart, so a large cached body is never copied.
    QByteArray head(bool keepAlive) const;
};

const char *reasonPhrase(int status); // a literal: no allocation per answer

} // namespace isobar
