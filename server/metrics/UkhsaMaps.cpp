#include "UkhsaMaps.h"

#include "DrfFields.h"
#include "UkhsaWire.h"

#include <QJsonArray>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::UkhsaMaps {

namespace {

const QStringList kMainTexts = {u"theme"_s,   u"sub_theme"_s, u"topic"_s, u"metric"_s,
                                u"stratum"_s, u"age"_s,       u"sex"_s,   u"geography_type"_s};

// The main parameters; errors as JSON ("{}" when none).
QByteArray checkMain(const QJsonObject &object, bool strict, Request *request)
{
    DrfFields::Reader fields(object, strict);
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
                              UkhsaWire::errorMessages(list[i].isNull() ? DrfFields::kNotNull
                                                                        : DrfFields::kNotAString)});
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
        return UkhsaWire::errorMessages(DrfFields::kNotNull);
    if (!value.isObject())
        return UkhsaWire::notAnObject(value);
    const QJsonObject object = value.toObject();
    DrfFields::Reader fields(object, strict);
    point->labelPrefix = fields.needed(u"label_prefix"_s, false).value_or(QString());
    point->labelSuffix = fields.needed(u"label_suffix"_s, true);
    const auto parameters = fields.nested(u"parameters"_s, strict);
    if (parameters && !parameters->isObject()) {
        fields.failWith(u"parameters"_s, UkhsaWire::notAnObject(*parameters));
    } else if (parameters) {
        const QJsonObject given = parameters->toObject();
        DrfFields::Reader optional(given, strict);
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
    DrfFields::Reader fields(body, strict);
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
