#pragma once

#include "UkhsaWire.h"

#include <QByteArrayList>
#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace isobar::DrfFields {

// How Django REST framework's serializers read a JSON body, for the UKHSA routes that take one:
// its messages, its date and text rules, and its errors collected field by field.

inline const QString kRequired = QStringLiteral("This field is required.");
inline const QString kNotNull = QStringLiteral("This field may not be null.");
inline const QString kNotAString = QStringLiteral("Not a valid string.");

// Django's parse_date(): Python's date.fromisoformat() (YYYY-MM-DD, YYYYMMDD, ISO weeks), else
// \d{4}-\d{1,2}-\d{1,2}. Invalid for anything else.
QDate djangoDate(const QString &text);

// str() of a JSON number, as DRF's CharField takes one.
QString pythonText(double number);

// str() of a JSON value, which DRF's ChoiceField looks up among its choices: 5, 1.5, True; lists
// and objects as compact JSON.
QString choiceText(const QJsonValue &value);
// DRF's message for a value that is none of a ChoiceField's choices ("\"xml\" is not a valid
// choice."), `text` as choiceText() gives it.
QString notAChoice(const QString &text);

// Reads one serializer's fields, collecting DRF's errors in field order. `strict` adds what a
// UKHSA view needs beyond its serializer (it fails with a 500 without them).
class Reader
{
public:
    Reader(const QJsonObject &object, bool strict = false);

    struct TextRules {
        bool required = true;
        bool allowNull = false;
        bool allowBlank = false;
    };

    // DRF's CharField, trimmed; nullopt for an absent or null value (or an error).
    std::optional<QString> text(const QString &name, TextRules rules);
    // A field DRF lets through and UKHSA's view then needs: required, and a string unless null
    // is allowed. Checked in the strict pass only.
    std::optional<QString> needed(const QString &name, bool allowNull);
    // DRF's DateField (required); invalid on an error.
    QDate date(const QString &name);
    // A nested serializer or list: nullopt when absent or null (or an error).
    std::optional<QJsonValue> nested(const QString &name, bool required);

    void fail(const QString &name, const QString &message);
    void failWith(const QString &name, QByteArray errorsJson);

    bool has(const QString &name) const { return m_object.contains(name); }
    const UkhsaWire::ErrorFields &fieldErrors() const { return m_errors; }
    bool ok() const { return m_errors.isEmpty(); }
    QByteArray errors() const { return UkhsaWire::errorObject(m_errors); }
    // One field's errors as JSON (a ListField's item, keyed by its index); empty when none.
    QByteArray errorsOf(const QString &name) const;

private:
    const QJsonObject &m_object;
    bool m_strict;
    UkhsaWire::ErrorFields m_errors;
};

// DRF's ChoiceField: the choice, nullopt when absent (an error if `required`), null (an error
// unless `nullable`) or not a choice. A `nullable` field also takes "" (returned as "").
std::optional<QString> choice(const QJsonObject &object, Reader &fields, const QString &name,
                              const QStringList &choices, bool required, bool nullable);
// DRF's IntegerField (optional, null allowed): whole numbers, "12" and "12.0" too.
std::optional<qint64> integer(const QJsonObject &object, Reader &fields, const QString &name);
// DRF's BooleanField (optional): its exact true and false spellings ("true", "True", "TRUE",
// "yes", "on", "1", 1, ...); `nullable` lets null through (as nullopt).
std::optional<bool> boolean(const QJsonObject &object, Reader &fields, const QString &name,
                            bool nullable);

// DRF's DecimalField (required): a JSON number or numeric text.
std::optional<double> decimal(const QJsonObject &object, const QString &name, Reader &fields);

// Checks each item of a list field with `check`, which reads the item's fields; DRF lists the
// items' errors aligned with the items, {} for a good one.
template <typename Check>
void eachItem(Reader &owner, const QString &name, const QJsonValue &list, Check check)
{
    if (!list.isArray()) {
        owner.fail(name, UkhsaWire::notAList(list));
        return;
    }
    QByteArrayList itemErrors;
    bool any = false;
    for (const auto &item : list.toArray()) {
        if (!item.isObject()) {
            itemErrors << UkhsaWire::notAnObject(item);
            any = true;
            continue;
        }
        const QJsonObject object = item.toObject();
        Reader fields(object);
        check(object, fields);
        any = any || !fields.ok();
        itemErrors << fields.errors();
    }
    if (any)
        owner.failWith(name, '[' + itemErrors.join(',') + ']');
}

} // namespace isobar::DrfFields
