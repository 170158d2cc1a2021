#pragma once

#include "MetricsQuery.h"
#include "http/ApiError.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>
#include <optional>

namespace isobar {

// Query-string access that refuses unknown parameters and malformed values with an ApiError
// naming the parameter.
class QueryParameters
{
public:
    QueryParameters(const QUrlQuery &query, const QStringList &allowed);

    QString text(const QString &name) const;
    QString requiredText(const QString &name) const;
    std::optional<int> integer(const QString &name, int minimum, int maximum) const;
    std::optional<QDate> date(const QString &name) const;

private:
    QUrlQuery m_query;
};

} // namespace isobar
