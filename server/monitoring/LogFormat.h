#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringView>
#include <QtGlobal>

// Isobar's log messages are logfmt: `event=listening url=http://...`, a value quoted when it
// holds a space or a quote. The text format prints them as Qt does; --log-format json turns
// each into one JSON object on one line of stdout, for a log shipper (Filebeat, Fluent Bit)
// to send on without parsing rules of its own.
namespace isobar::logformat {

// `text` as a logfmt value: bare when it can be, else in double quotes with \ and " escaped.
QString value(QStringView text);

// The key=value fields of a logfmt message, each value unquoted, plain decimals as numbers. Words
// that are not a pair belong to the value before them (an error text written unquoted stays whole);
// a message that does not start with a pair gives no fields.
QJsonObject fields(QStringView message);

// One event as a JSON line (no newline): time (UTC, ISO 8601 with milliseconds), level,
// category, replica, then the message's fields, or the message as `message` when it has none.
QByteArray jsonLine(QtMsgType type, const char *category, const QString &message,
                    const QString &replica, const QDateTime &time);

// Sends every Qt log message of the process through jsonLine() to stdout, whole lines only
// (messages from several threads never interleave).
void installJsonOutput(const QString &replica);

} // namespace isobar::logformat
