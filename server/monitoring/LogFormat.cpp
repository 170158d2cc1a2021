#include "LogFormat.h"

#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace isobar::logformat {

namespace {

bool needsQuotes(QStringView text)
{
    if (text.isEmpty())
        return true;
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.isSpace() || c == u'"' || c == u'=' || c == u'\\'; });
}

// A key: letters, digits and underscores, as Isobar's messages write them.
bool isKey(QStringView word)
{
    return !word.isEmpty() && std::all_of(word.begin(), word.end(), [](QChar c) {
        return c.isLetterOrNumber() || c == u'_';
    });
}

QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return u"debug"_s;
    case QtInfoMsg:
        return u"info"_s;
    case QtWarningMsg:
        return u"warning"_s;
    case QtCriticalMsg:
        return u"error"_s;
    case QtFatalMsg:
        return u"fatal"_s;
    }
    return u"info"_s;
}

QString g_replica;

void writeJson(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static QMutex lock;
    QByteArray line =
        jsonLine(type, context.category, message, g_replica, QDateTime::currentDateTimeUtc());
    line += '\n';
    const QMutexLocker locked(&lock);
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

} // namespace

QString value(QStringView text)
{
    if (!needsQuotes(text))
        return text.toString();
    QString quoted = u"\""_s;
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    return quoted + u'"';
}

QJsonObject fields(QStringView message)
{
    QJsonObject result;
    QString key;   // the pair being read
    QString value; // its value so far
    qsizetype i = 0;
    const qsizetype n = message.size();
    // A plain decimal value is a number in JSON (status, duration_ms), so that a log store
    // can sum and compare it; anything else (ids, even all-digit-looking hex) stays text.
    static const QRegularExpression kNumber(u"^-?(0|[1-9][0-9]{0,14})(\\.[0-9]+)?$"_s);
    auto flush = [&] {
        if (key.isEmpty())
            return;
        if (kNumber.match(value).hasMatch())
            result.insert(key, value.toDouble());
        else
            result.insert(key, value);
    };
    while (i < n) {
        while (i < n && message[i].isSpace())
            ++i;
        if (i >= n)
            break;
        // A word: up to the next space, or a quoted value after `key=`.
        qsizetype end = i;
        while (end < n && !message[end].isSpace() && message[end] != u'=')
            ++end;
        const QStringView word = message.mid(i, end - i);
        if (end < n && message[end] == u'=' && isKey(word)) {
            flush();
            key = word.toString();
            value.clear();
            i = end + 1;
            if (i < n && message[i] == u'"') {
                for (++i; i < n && message[i] != u'"'; ++i) {
                    if (message[i] == u'\\' && i + 1 < n)
                        ++i;
                    value += message[i];
                }
                ++i; // the closing quote
            } else {
                while (i < n && !message[i].isSpace())
                    value += message[i++];
            }
            continue;
        }
        if (key.isEmpty())
            return {}; // plain text, not logfmt
        while (end < n && !message[end].isSpace())
            ++end;
        value += u' ' + message.mid(i, end - i).toString();
        i = end;
    }
    flush();
    return result;
}

QByteArray jsonLine(QtMsgType type, const char *category, const QString &message,
                    const QString &replica, const QDateTime &time)
{
    QJsonObject event = fields(message);
    if (event.isEmpty())
        event.insert(u"message"_s, message);
    event.insert(u"time"_s, time.toUTC().toString(Qt::ISODateWithMs));
    event.insert(u"level"_s, levelName(type));
    event.insert(u"category"_s, QString::fromLatin1(category ? category : "default"));
    event.insert(u"replica"_s, replica);
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

void installJsonOutput(const QString &replica)
{
    g_replica = replica;
    qInstallMessageHandler(writeJson);
}

} // namespace isobar::logformat
