#include "RequestParsing.h"

#include "DateParsing.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace isobar {

QueryParameters::QueryParameters(const QUrlQuery &query, const QStringList &allowed)
    : m_query(query)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!allowed.contains(name) && name != u"format")
            throw ApiError{
                400, u"unknown query parameter '%1'; allowed: %2"_s.arg(name, allowed.join(u", ")),
                name};
    }
}

QString QueryParameters::text(const QString &name) const
{
    return m_query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
}

QString QueryParameters::requiredText(const QString &name) const
{
    QString value = text(name);
    if (value.isEmpty())
        throw ApiError{400, u"'%1' is required"_s.arg(name), name};
    return value;
}

std::optional<int> QueryParameters::integer(const QString &name, int minimum, int maximum) const
{
    const QString value = text(name);
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < minimum || number > maximum)
        throw ApiError{400,
                       u"'%1' must be a whole number from %2 to %3, got '%4'"_s.arg(name)
                           .arg(minimum)
                           .arg(maximum)
                           .arg(value),
                       name};
    return number;
}

std::optional<QDate> QueryParameters::date(const QString &name) const
{
    const QString value = text(name);
    if (value.isEmpty())
        return std::nullopt;
    const auto parsed = parseIsoDate(value);
    if (!parsed)
        throw ApiError{400, u"'%1' must be a YYYY-MM-DD date, got '%2'"_s.arg(name, value), name};
    return parsed;
}

} // namespace isobar
