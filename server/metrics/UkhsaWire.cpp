#include "UkhsaWire.h"

#include "http/JsonBytes.h"

#include <QUrl>
#include <algorithm>
#include <charconv>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::UkhsaWire {

namespace {

// Python's quote_plus(): letters, digits and "_.-~" as they are, a space as '+'.
QByteArray formEncoded(const QString &text)
{
    QByteArray encoded = QUrl::toPercentEncoding(text, " ");
    encoded.replace(' ', '+');
    return encoded;
}

QString formDecoded(QByteArray text)
{
    text.replace('+', ' ');
    return QUrl::fromPercentEncoding(text);
}

} // namespace

QueryItems queryItems(const HttpRequest &request)
{
    QueryItems items;
    const qsizetype queryAt = request.target.indexOf('?');
    if (queryAt < 0)
        return items;
    for (const QByteArray &pair : request.target.sliced(queryAt + 1).split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        if (equals < 0)
            items.append({formDecoded(pair), QString()});
        else
            items.append({formDecoded(pair.first(equals)), formDecoded(pair.sliced(equals + 1))});
    }
    return items;
}

std::optional<QString> lastValue(const QueryItems &items, const QString &key)
{
    for (auto it = items.crbegin(); it != items.crend(); ++it) {
        if (it->first == key)
            return it->second;
    }
    return std::nullopt;
}

std::optional<bool> drfBoolean(const QString &text)
{
    static const QStringList truths = {u"t"_s,   u"T"_s,   u"y"_s,    u"Y"_s,    u"yes"_s,
                                       u"Yes"_s, u"YES"_s, u"true"_s, u"True"_s, u"TRUE"_s,
                                       u"on"_s,  u"On"_s,  u"ON"_s,   u"1"_s};
    static const QStringList falsehoods = {u"f"_s,   u"F"_s,   u"n"_s,     u"N"_s,     u"no"_s,
                                           u"No"_s,  u"NO"_s,  u"false"_s, u"False"_s, u"FALSE"_s,
                                           u"off"_s, u"Off"_s, u"OFF"_s,   u"0"_s};
    if (truths.contains(text))
        return true;
    if (falsehoods.contains(text))
        return false;
    return std::nullopt;
}

QByteArray pathSegment(const QString &value)
{
    return QUrl::toPercentEncoding(value, "!$&'()*+,;=:@");
}

QString pageLink(const HttpRequest &request, const QueryItems &items, std::optional<int> page)
{
    // parse_qs groups repeated keys under the first's place; urlencode(sorted(...)) then writes
    // them by key.
    QList<std::pair<QString, QStringList>> grouped;
    for (const auto &[key, value] : items) {
        if (key == u"page")
            continue;
        auto same = std::find_if(grouped.begin(), grouped.end(),
                                 [&key = key](const auto &group) { return group.first == key; });
        if (same == grouped.end())
            grouped.append({key, {value}});
        else
            same->second.append(value);
    }
    if (page)
        grouped.append({u"page"_s, {QString::number(*page)}});
    std::stable_sort(grouped.begin(), grouped.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray query;
    for (const auto &[key, values] : grouped) {
        for (const QString &value : values) {
            if (!query.isEmpty())
                query += '&';
            query += formEncoded(key) + '=' + formEncoded(value);
        }
    }
    // get_full_path() writes the decoded path again with these characters literal.
    const QByteArray path =
        QUrl::toPercentEncoding(QUrl::fromPercentEncoding(request.path.toUtf8()), "/:@&+$,!*'()");
    return request.baseUrl() + QString::fromLatin1(path)
           + (query.isEmpty() ? QString() : u'?' + QString::fromLatin1(query));
}

void appendStoredDecimal(QByteArray &out, double value)
{
    // Django makes the exact binary value a Decimal, then rounds it to four places: the same
    // digits as formatting the double to four places (an exact tie cannot occur in binary).
    if (std::isfinite(value)) {
        char text[kPythonFloatChars + 320]; // a double's 309 digits before the point, at most
        const char *end =
            std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 4).ptr;
        std::from_chars(text, end, value);
    }
    appendPythonFloat(out, value);
}

void appendPythonFloat(QByteArray &out, double value)
{
    char text[kPythonFloatChars];
    out.append(text, writePythonFloat(text, value) - text);
}

char *writePythonFloat(char *out, double value)
{
    const auto put = [&out](const char *from, qsizetype count) {
        out = std::copy_n(from, count, out);
    };
    const auto zeros = [&out](qsizetype count) { out = std::fill_n(out, count, '0'); };
    if (!std::isfinite(value)) { // never stored; Python would refuse to write it
        put("null", 4);
        return out;
    }
    // The shortest round-trip digits, then Python's layout of them: positional from 1e-4 up to
    // 1e16, scientific outside, and always a '.0' on a whole number. Written in place: this
    // runs for every value of every answer.
    char buffer[32];
    const char *text = buffer;
    const char *end = std::to_chars(buffer, buffer + sizeof buffer, std::abs(value),
                                    std::chars_format::scientific)
                          .ptr;
    const char *e = std::find(text, end, 'e');
    char digits[20]; // at most 17 significant digits round-trip a double
    qsizetype count = 0;
    for (const char *c = text; c != e; ++c) {
        if (*c != '.')
            digits[count++] = *c;
    }
    int exponent = 0;
    std::from_chars(e + 1 + (e[1] == '+' ? 1 : 0), end, exponent);
    if (std::signbit(value))
        *out++ = '-';
    const int point = exponent + 1; // digits before the decimal point
    if (point > -4 && point <= 16) {
        if (point <= 0) {
            put("0.", 2);
            zeros(-point);
            put(digits, count);
        } else if (point >= count) {
            put(digits, count);
            zeros(point - count);
            put(".0", 2);
        } else {
            put(digits, point);
            *out++ = '.';
            put(digits + point, count - point);
        }
        return out;
    }
    *out++ = digits[0];
    if (count > 1) {
        *out++ = '.';
        put(digits + 1, count - 1);
    }
    put(exponent < 0 ? "e-" : "e+", 2);
    const int magnitude = std::abs(exponent);
    if (magnitude < 10)
        *out++ = '0';
    return std::to_chars(out, out + 3, magnitude).ptr;
}

HttpResponse detail(int status, const QString &message)
{
    return HttpResponse::bytes("{\"detail\":" + JsonBytes::string(message) + '}',
                               "application/json", status);
}

HttpResponse errorMessage(const QString &message, const QByteArray &allow)
{
    return viewAnswer(HttpResponse::bytes("{\"error_message\":" + JsonBytes::string(message) + '}',
                                          "application/json", 400),
                      allow);
}

HttpResponse fieldErrors(const QList<std::pair<QString, QString>> &errors)
{
    ErrorFields fields;
    for (const auto &[field, message] : errors)
        fields.append({field, errorMessages(message)});
    return HttpResponse::bytes(errorObject(fields), "application/json", 400);
}

QByteArray errorMessages(const QString &message)
{
    return '[' + JsonBytes::string(message) + ']';
}

QByteArray errorObject(const ErrorFields &errors)
{
    QByteArray json = "{";
    for (const auto &[field, errorsJson] : errors) {
        if (json.size() > 1)
            json += ',';
        json += JsonBytes::string(field) + ':' + errorsJson;
    }
    return json + '}';
}

QByteArray notAnObject(const QJsonValue &value)
{
    return errorObject({{u"non_field_errors"_s,
                         errorMessages(u"Invalid data. Expected a dictionary, but got %1."_s.arg(
                             pythonTypeName(value)))}});
}

QString notAList(const QJsonValue &value)
{
    return u"Expected a list of items but got type \"%1\"."_s.arg(pythonTypeName(value));
}

QString pythonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"NoneType"_s;
    case QJsonValue::Bool:
        return u"bool"_s;
    case QJsonValue::Double: // JSON's 1 and 1.0 read alike here; whole numbers are usually ints
        return value.toDouble() == std::trunc(value.toDouble()) ? u"int"_s : u"float"_s;
    case QJsonValue::String:
        return u"str"_s;
    case QJsonValue::Array:
        return u"list"_s;
    case QJsonValue::Object:
        return u"dict"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"NoneType"_s;
}

HttpResponse notFoundPage()
{
    return HttpResponse::bytes("\n<!doctype html>\n<html lang=\"en\">\n<head>\n"
                               "  <title>Not Found</title>\n</head>\n<body>\n"
                               "  <h1>Not Found</h1><p>The requested resource was not found on "
                               "this server.</p>\n</body>\n</html>\n",
                               "text/html; charset=utf-8", 404);
}

HttpResponse appendSlash(const HttpRequest &request)
{
    // A relative Location, the query kept, as Django writes it.
    QByteArray location = request.target;
    const qsizetype queryAt = location.indexOf('?');
    location.insert(queryAt < 0 ? location.size() : queryAt, '/');
    HttpResponse response = HttpResponse::bytes({}, "text/html; charset=utf-8", 301);
    response.setHeader("Location", location);
    return response;
}

RouteHandler exactSlash(const QString &pattern, RouteHandler handler)
{
    const bool slash = pattern.endsWith(u'/');
    return [slash, handler = std::move(handler)](
               const HttpRequest &request, const RouteParams &params) -> Eventual<HttpResponse> {
        if (request.path.endsWith(u'/') == slash)
            return handler(request, params);
        return slash ? appendSlash(request) : notFoundPage();
    };
}

void refuseMethodsAsDrf(Router &router, const QString &pattern, const QByteArray &allow)
{
    router.refuseMethodsWith(pattern, [allow](const QByteArray &method) {
        return viewAnswer(
            detail(405, u"Method \"%1\" not allowed."_s.arg(QString::fromLatin1(method))), allow);
    });
}

HttpResponse viewAnswer(HttpResponse response, const QByteArray &allow)
{
    response.setHeader("Allow", allow);
    response.setHeader("Vary", "Accept, origin, Cookie");
    return response;
}

} // namespace isobar::UkhsaWire
