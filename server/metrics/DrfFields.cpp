#include "DrfFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::DrfFields {

namespace {

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

} // namespace

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

QString choiceText(const QJsonValue &value)
{
    if (value.isDouble())
        return pythonText(value.toDouble());
    if (value.isBool())
        return value.toBool() ? u"True"_s : u"False"_s;
    if (value.isArray() || value.isObject())
        return QString::fromUtf8(
            QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).chopped(1).sliced(1));
    return value.toString();
}

QString notAChoice(const QString &text)
{
    return u"\"%1\" is not a valid choice."_s.arg(text);
}

Reader::Reader(const QJsonObject &object, bool strict)
    : m_object(object)
    , m_strict(strict)
{}

std::optional<QString> Reader::text(const QString &name, TextRules rules)
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
std::optional<QString> Reader::needed(const QString &name, bool allowNull)
{
    if (!m_strict) // DRF's own checks of these: optional, null and blank allowed
        return text(name, {false, true, true});
    return text(name, {true, allowNull, true});
}
QDate Reader::date(const QString &name)
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
std::optional<QJsonValue> Reader::nested(const QString &name, bool required)
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
void Reader::fail(const QString &name, const QString &message)
{
    m_errors.append({name, UkhsaWire::errorMessages(message)});
}
QByteArray Reader::errorsOf(const QString &name) const
{
    for (const auto &[field, errors] : m_errors) {
        if (field == name)
            return errors;
    }
    return {};
}
void Reader::failWith(const QString &name, QByteArray errorsJson)
{
    m_errors.append({name, std::move(errorsJson)});
}
std::optional<QString> choice(const QJsonObject &object, Reader &fields, const QString &name,
                              const QStringList &choices, bool required, bool nullable)
{
    const QJsonValue given = object.value(name);
    if (given.isUndefined()) {
        if (required)
            fields.fail(name, kRequired);
        return std::nullopt;
    }
    if (given.isNull()) {
        if (!nullable)
            fields.fail(name, kNotNull);
        return std::nullopt;
    }
    const QString text = choiceText(given);
    if (nullable && text.isEmpty())
        return text;
    if (!choices.contains(text)) {
        fields.fail(name, notAChoice(text));
        return std::nullopt;
    }
    return text;
}

std::optional<qint64> integer(const QJsonObject &object, Reader &fields, const QString &name)
{
    const QJsonValue given = object.value(name);
    if (given.isUndefined() || given.isNull())
        return std::nullopt;
    static const QRegularExpression whole(u"^\\s*[-+]?\\d+(\\.0*)?\\s*$"_s);
    const double number = given.isDouble() ? given.toDouble() : given.toString().toDouble();
    const bool ok = given.isDouble() ? number == std::trunc(number) && std::abs(number) < 1e15
                                     : given.isString() && whole.match(given.toString()).hasMatch()
                                           && std::abs(number) < 1e15;
    if (!ok) {
        fields.fail(name, u"A valid integer is required."_s);
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<bool> boolean(const QJsonObject &object, Reader &fields, const QString &name,
                            bool nullable)
{
    const QJsonValue given = object.value(name);
    if (given.isUndefined() || (given.isNull() && nullable))
        return std::nullopt;
    if (given.isBool())
        return given.toBool();
    if (const auto spelled =
            given.isString() ? UkhsaWire::drfBoolean(given.toString()) : std::nullopt)
        return spelled;
    if (given.isDouble() && (given.toDouble() == 0 || given.toDouble() == 1))
        return given.toDouble() == 1;
    fields.fail(name, given.isNull() ? kNotNull : u"Must be a valid boolean."_s);
    return std::nullopt;
}

// DRF's DecimalField: a JSON number or numeric text.
std::optional<double> decimal(const QJsonObject &object, const QString &name, Reader &fields)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull()) {
        fields.fail(name, value.isNull() ? kNotNull : kRequired);
        return std::nullopt;
    }
    bool ok = value.isDouble();
    const double number = ok ? value.toDouble() : value.toString().trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(number)) {
        fields.fail(name, u"A valid number is required."_s);
        return std::nullopt;
    }
    return number;
}

} // namespace isobar::DrfFields
