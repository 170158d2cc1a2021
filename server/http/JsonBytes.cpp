#include "JsonBytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <cmath>

namespace isobar::JsonBytes {

QByteArray string(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2); // without the brackets
}

void appendNumber(QByteArray &out, double value)
{
    if (!std::isfinite(value))
        out += "null";
    else if (value == std::trunc(value) && std::abs(value) <= 9007199254740992.0)
        out += QByteArray::number(qint64(value));
    else
        out += QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace isobar::JsonBytes
