#include "UkhsaMaps.h"

#include "UkhsaWire.h"

#include <QJsonArray>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::UkhsaMaps {

namespace {

const QString kRequired = u"This field is required."_s;
const QString kNotNull = u"This field may not be null."_s;
const QString kNotAString = u"Not a valid string."_s;

// Digits only, as many as `text` holds; -1 for anything else.
int digits(QStringView text)
{
    if (text.isEmpty())
        return -1;
    int value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

// Python 3.12's date.fromisoformat(), which Django's parse_date() tries first: YYYY-MM-DD,
// YYYYMMDD, and ISO weeks (YYYY-Www, YYYY-Www-D, YYYYWww, YYYYWwwD).
QDate isoFormatDate(QStringView text)
{
    if (text.size() != 7 && text.size() != 8 && text.size() != 10)
        return {};
    const int year = digits(text.first(4));
    if (year < 1)
        return {};
    const bool dashed = text[4] == u'-';
    qsizetype at = dashed ? 5 : 4;
    if (at < text.size() && text[at] == u'W') {
        const int week = digits(text.mid(at + 1, 2));
        at += 3;
        int day = 1;
        if (at < text.size()) {
            if ((text[at] == u'-') != dashed)
                return {};
            day = digits(text.sliced(at + (dashed ? 1 : 0)));
        }
        const QDate fourth(year, 1, 4); // always in week 1
        const int weeks = QDate(year, 12, 28).weekNumber();
        if (week < 1 || week > weeks || day < 1 || day > 7)
            return {};
        return fourth.addDays(1 - fourth.dayOfWeek() + (week - 1) * 7 + (day - 1));
    }
    if (text.size() != (dashed ? 10 : 8) || (dashed && text[7] != u'-'))
        return {};
    const int month = digits(text.mid(at, 2));
    const int day = digits(text.sliced(at + (dashed ? 3 : 2)));
    return QDate(year, month, day);
}

// Django's parse_date(): fromisoformat(), else its pattern \d{4}-\d{1,2}-\d{1,2}$ (whose '$'
// lets one final newline through).
QDate djangoDate(const QString &text)
{
    if (const QDate date = isoFormatDate(text); date.isValid())
        return date;
    QStringView rest(text);
    if (rest.endsWith(u'\n'))
        rest.chop(1);
    const QList<QStringView> parts = rest.split(u'-');
    if (parts.size() != 3 || parts[0].size() != 4 || parts[1].size() > 2 || parts[2].size() > 2)
        return {};
    return QDate(digits(parts[0]), digits(parts[1]), digits(parts[2]));
}

// str() of a JSON number, as DRF's CharField takes one.
QString pythonText(double number)
{
    if (number == std::trunc(number) && std::abs(number) < 1e16)
        return QString::number(qint64(number));
    QByteArray text;
    UkhsaWire::appendPythonFloat(text, number);
    return QString::fromLatin1(text);
}

// Reads one serializer's fields, collecting DRF's errors in field order. `strict` adds what
// UKHSA's view needs beyond its serializer (it fails with a 500 without them).
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, bool strict)
        : m_object(object)
        , m_strict(strict)
    {}

    struct TextRules {
        bool required = true;
        bool allowNull = false;
        bool allowBlank = false;
    };

    // DRF's CharField; nullopt for an absent or null value (or an error).
    std::optional<QString> text(const QString &name, TextRules rules)
    {
        const QJsonValue given = m_object.value(name);
        if (given.isUndefined()) {
            if (rules.required)
                fail(name, kRequired);
            return std::nullopt;
        }
        if (given.isNull()) {
            if (!rules.allowNull)
                fail(name, kNotNull);
            return std::nullopt;
        }
        if (!given.isString() && !given.isDouble()) {
            fail(name, kNotAString);
            return std::nullopt;
        }
        const QString value =
            (given.isString() ? given.toString() : pythonText(given.toDouble())).trimmed();
        if (value.isEmpty() && !rules.allowBlank)
            fail(name, u"This field may not be blank."_s);
        else if (value.contains(QChar(0)))
            fail(name, u"Null characters are not allowed."_s);
        return value;
    }

    // A field DRF lets through and UKHSA's view then needs: required, and a string unless null
    // is allowed. Checked in the strict pass only.
    std::optional<QString> needed(const QString &name, bool allowNull)
    {
        if (!m_strict) // DRF's own checks of these: optional, null and blank allowed
            return text(name, {false, true, true});
        return text(name, {true, allowNull, true});
    }

    QDate date(const QString &name)
    {
        const QJsonValue given = m_object.value(name);
        if (given.isUndefined() || given.isNull()) {
            fail(name, given.isNull() ? kNotNull : kRequired);
            return {};
        }
        const QDate date = given.isString() ? djangoDate(given.toString()) : QDate();
        if (!date.isValid())
            fail(name, u"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."_s);
        return date;
    }

    // A nested serializer or list: nullopt when absent or null (or an error).
    std::optional<QJsonValue> nested(const QString &name, bool required)
    {
        const QJsonValue given = m_object.value(name);
        if (given.isUndefined()) {
            if (required)
                fail(name, kRequired);
            return std::nullopt;
        }
        if (given.isNull()) {
            fail(name, kNotNull);
            return std::nullopt;
        }
        return given;
    }

    void fail(const QString &name, const QString &message)
    {
        m_errors.append({name, UkhsaWire::errorMessages(message)});
    }
    void failWith(const QString &name, QByteArray errorsJson)
    {
        m_errors.append({name, std::move(errorsJson)});
    }

    bool has(const QString &name) const { return m_object.contains(name); }
    bool ok() const { return m_errors.isEmpty(); }
    QByteArray errors() const { return UkhsaWire::errorObject(m_errors); }

private:
    const QJsonObject &m_object;
    bool m_strict;
    UkhsaWire::ErrorFields m_errors;
};

const QStringList kMainTexts = {u"theme"_s,   u"sub_theme"_s, u"topic"_s, u"metric"_s,
                                u"stratum"_s, u"age"_s,       u"sex"_s,   u"geography_type"_s};

// The main parameters; errors as JSON ("{}" when none).
QByteArray checkMain(const QJsonObject &object, bool strict, Request *request)
{
    FieldReader fields(object, strict);
    QHash<QString, QString> values;
    for (const QString &name : kMainTexts)
        values.insert(name, fields.text(name, {}).value_or(QString()));
    request->topic = values.value(u"topic"_s);
    request->metric = values.value(u"metric"_s);
    request->stratum = values.value(u"stratum"_s);
    request->age = values.value(u"age"_s);
    request->sex = values.value(u"sex"_s);
    request->geographyType = values.value(u"geography_type"_s);

    const auto geographies = fields.nested(u"geographies"_s, true);
    if (geographies && !geographies->isArray()) {
        fields.fail(u"geographies"_s, UkhsaWire::notAList(*geographies));
    } else if (geographies) {
        // DRF takes any items; UKHSA's model then needs names (a 500 otherwise).
        UkhsaWire::ErrorFields items;
        const QJsonArray list = geographies->toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list[i].isString())
                request->geographies << list[i].toString();
            else if (strict)
                items.append({QString::number(i),
                              UkhsaWire::errorMessages(list[i].isNull() ? kNotNull : kNotAString)});
        }
        if (!items.isEmpty())
            fields.failWith(u"geographies"_s, UkhsaWire::errorObject(items));
    }
    return fields.errors();
}

// One accompanying point, completed from the main parameters; errors as JSON.
QByteArray checkPoint(const QJsonValue &value, bool strict, const Request &main,
                      AccompanyingPoint *point)
{
    if (value.isNull())
        return UkhsaWire::errorMessages(kNotNull);
    if (!value.isObject())
        return UkhsaWire::notAnObject(value);
    const QJsonObject object = value.toObject();
    FieldReader fields(object, strict);
    point->labelPrefix = fields.needed(u"label_prefix"_s, false).value_or(QString());
    point->labelSuffix = fields.needed(u"label_suffix"_s, true);
    const auto parameters = fields.nested(u"parameters"_s, strict);
    if (parameters && !parameters->isObject()) {
        fields.failWith(u"parameters"_s, UkhsaWire::notAnObject(*parameters));
    } else if (parameters) {
        const QJsonObject given = parameters->toObject();
        FieldReader optional(given, strict);
        auto read = [&](const QString &name, const QString &inherited) -> std::optional<QString> {
            const auto text = optional.text(name, {false, true, true});
            return optional.has(name) ? text : std::optional<QString>(inherited);
        };
        // Checked as DRF checks them, though UKHSA's query reads neither.
        read(u"theme"_s, {});
        read(u"sub_theme"_s, {});
        point->topic = read(u"topic"_s, main.topic);
        point->metric = read(u"metric"_s, main.metric);
        point->stratum = read(u"stratum"_s, main.stratum);
        point->age = read(u"age"_s, main.age);
        point->sex = read(u"sex"_s, main.sex);
        point->geographyType = read(u"geography_type"_s, main.geographyType);
        point->geography = optional.text(u"geography"_s, {false, true, true});
        if (!optional.ok())
            fields.failWith(u"parameters"_s, optional.errors());
    }
    return fields.errors();
}

// The whole body once: DRF's checks alone, or (strict) with what UKHSA's view needs too.
QByteArray checkBody(const QJsonObject &body, bool strict, Request *request)
{
    FieldReader fields(body, strict);
    request->from = fields.date(u"date_from"_s);
    request->to = fields.date(u"date_to"_s);
    if (const auto parameters = fields.nested(u"parameters"_s, true)) {
        const QByteArray errors = parameters->isObject()
                                      ? checkMain(parameters->toObject(), strict, request)
                                      : UkhsaWire::notAnObject(*parameters);
        if (errors != "{}")
            fields.failWith(u"parameters"_s, errors);
    }
    const auto points = fields.nested(u"accompanying_points"_s, strict);
    if (points && !points->isArray()) {
        fields.failWith(
            u"accompanying_points"_s,
            UkhsaWire::errorObject(
                {{u"non_field_errors"_s, UkhsaWire::errorMessages(UkhsaWire::notAList(*points))}}));
    } else if (points) {
        QByteArrayList itemErrors;
        bool failed = false;
        for (const auto &item : points->toArray()) {
            AccompanyingPoint point;
            itemErrors << checkPoint(item, strict, *request, &point);
            failed = failed || itemErrors.constLast() != "{}";
            request->points << point;
        }
        if (failed)
            fields.failWith(u"accompanying_points"_s, '[' + itemErrors.join(',') + ']');
    }
    return fields.ok() ? QByteArray() : fields.errors();
}

} // namespace

std::variant<Request, HttpResponse> check(const QJsonObject &body)
{
    // UKHSA answers its serializer's errors alone; the rest only once those are fixed.
    Request request;
    QByteArray errors = checkBody(body, false, &request);
    if (errors.isEmpty()) {
        request = {};
        errors = checkBody(body, true, &request);
    }
    if (!errors.isEmpty())
        return UkhsaWire::viewAnswer(HttpResponse::bytes(errors, "application/json", 400),
                                     "POST, OPTIONS");
    return request;
}

} // namespace isobar::UkhsaMaps
