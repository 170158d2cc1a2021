#pragma once

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"
#include "http/Router.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace isobar::UkhsaWire {

// How UKHSA's data-dashboard API (Django and Django REST framework) spells things on the wire,
// for the routes that answer as it does: clients written for UKHSA can tell these bytes apart.

// A query string as Django reads it: '&'-separated, '+' a space, blank values kept, every
// repeated key in order.
using QueryItems = QList<std::pair<QString, QString>>;
QueryItems queryItems(const HttpRequest &request);
// The last value sent for `key` (QueryDict.get), nullopt when absent.
std::optional<QString> lastValue(const QueryItems &items, const QString &key);

// How DRF's BooleanField reads `text`: its exact spellings ("true", "True", "TRUE", "yes", "on",
// "1", "t", ... and their false twins; not "tRuE"); nullopt for anything else.
std::optional<bool> drfBoolean(const QString &text);

// A path segment as Django's reverse() writes it: RFC 3986 sub-delimiters, ':', '@' and '~'
// literal, the rest percent-encoded (a '/' too, which UKHSA's names never hold).
QByteArray pathSegment(const QString &value);

// The request's own URL with `page` set, or removed for nullopt, as DRF's pagination links
// are written: the path re-escaped as Django's get_full_path() does, the query keys sorted and
// form-encoded.
QString pageLink(const HttpRequest &request, const QueryItems &items, std::optional<int> page);

// A float as Python's repr() writes it, which is how json.dumps writes it: 123.0, 0.1, 1e-05.
void appendPythonFloat(QByteArray &out, double value);
// The same written at `out`, which has room for kPythonFloatChars; the end.
char *writePythonFloat(char *out, double value);
// "-" and 17 digits with up to 16 zeros and ".0" around them, or "1.2345678901234567e-308".
constexpr int kPythonFloatChars = 40;
// A metric value as UKHSA's dashboard routes return it: kept to four decimals by its
// DecimalField (numeric(11, 4)), then written as a float (2.11695981 -> 2.117). Its public
// API's values are floats, written whole.
void appendStoredDecimal(QByteArray &out, double value);

// {"detail": "..."}, DRF's body for a failed request.
HttpResponse detail(int status, const QString &message);
// {"error_message": "..."}: 400, UKHSA's answer to a request it read but cannot serve.
HttpResponse errorMessage(const QString &message, const QByteArray &allow = "GET, HEAD, OPTIONS");
// {"field": ["message"], ...}: a DRF validation error, fields in the order given.
HttpResponse fieldErrors(const QList<std::pair<QString, QString>> &errors);

// DRF's errors as its nested serializers write them: a field's messages (["..."]), a
// serializer's fields in their order ({"field": ...}), a list serializer's items ([{}, {...}]).
using ErrorFields = QList<std::pair<QString, QByteArray>>; // a field and its errors as JSON
QByteArray errorMessages(const QString &message);
QByteArray errorObject(const ErrorFields &errors);
// A serializer's answer to a value that is not an object: {"non_field_errors": [...]}.
QByteArray notAnObject(const QJsonValue &value);
// A list field's message for a value that is not a list.
QString notAList(const QJsonValue &value);
// The name of the Python type json.loads reads `value` as, which DRF's messages quote.
QString pythonTypeName(const QJsonValue &value);
// Django's own 404 page (a path no URL pattern matches, such as a slash too many).
HttpResponse notFoundPage();
// Django's CommonMiddleware answer to a path that needs its trailing slash.
HttpResponse appendSlash(const HttpRequest &request);
// `handler` for the spelling of `pattern` (with or without its trailing slash); the other
// spelling is answered as Django answers it: appendSlash(), or notFoundPage() for a slash too many.
RouteHandler exactSlash(const QString &pattern, RouteHandler handler);

// Routes `pattern` refuse other methods as DRF does: 405 {"detail": "Method \"POST\" not
// allowed."} with the view's `allow`.
void refuseMethodsAsDrf(Router &router, const QString &pattern,
                        const QByteArray &allow = "GET, HEAD, OPTIONS");

// `response` with the headers DRF's views add to every answer, errors included; `allow` the
// view's methods.
HttpResponse viewAnswer(HttpResponse response, const QByteArray &allow = "GET, HEAD, OPTIONS");

} // namespace isobar::UkhsaWire
