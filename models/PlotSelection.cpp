#include "PlotSelection.h"

#include "DateParsing.h"

#include <QJsonValue>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

std::optional<QString> textLengthProblem(QStringView text)
{
    if (text.size() <= kMaxTextFieldLength)
        return std::nullopt;
    // Code points, not UTF-16 units: a character outside the BMP counts once.
    const qsizetype length = text.size() - std::count_if(text.begin(), text.end(), [](QChar c) {
                                 return c.isLowSurrogate();
                             });
    if (length <= kMaxTextFieldLength)
        return std::nullopt;
    return u"at most %1 characters, got %2"_s.arg(kMaxTextFieldLength).arg(length);
}

std::optional<PointSelection> readPlotSelection(const QJsonObject &plot, const QString &prefix,
                                                QDate today, FieldProblem *problem)
{
    std::optional<FieldProblem> first;
    auto fail = [&](const char *name, const QString &detail) {
        if (!first)
            first = FieldProblem{prefix + QLatin1String(name), detail};
    };
    auto text = [&](const char *name) -> QString {
        const QJsonValue value = plot.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString()) {
            fail(name, u"must be a string"_s);
            return {};
        }
        QString text = value.toString().trimmed();
        if (const auto tooLong = textLengthProblem(text)) {
            fail(name, *tooLong);
            return {};
        }
        return text;
    };
    auto date = [&](const char *name, QDate fallback) {
        const QString value = text(name);
        if (value.isEmpty())
            return fallback;
        const std::optional<QDate> parsed = parseIsoDate(value);
        if (!parsed)
            fail(name, u"'%1' is not a YYYY-MM-DD date"_s.arg(value));
        return parsed.value_or(fallback);
    };

    PointSelection s;
    s.topic = text("topic");
    s.metric = text("metric");
    if (s.topic.isEmpty())
        fail("topic", u"'topic' is required"_s);
    if (s.metric.isEmpty())
        fail("metric", u"'metric' is required"_s);
    s.stratum = text("stratum");
    s.age = text("age");
    s.sex = text("sex");
    s.geography = text("geography");
    s.geographyType = text("geography_type");
    s.from = date("date_from", QDate(today.year(), today.month(), 1).addYears(-1));
    s.to = date("date_to", today);
    if (*s.to < *s.from)
        fail("date_to", u"date_to (%1) is before date_from (%2)"_s.arg(
                            s.to->toString(Qt::ISODate), s.from->toString(Qt::ISODate)));
    if (!first)
        return s;
    if (problem)
        *problem = *first;
    return std::nullopt;
}

} // namespace isobar
