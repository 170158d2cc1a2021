#include "JsonBytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace isobar::JsonBytes {

QByteArray string(const QString &text)
{
    // Printable ASCII other than the quote and the backslash is written as it is: names nearly
    // always are, and a document per string was a twentieth of an uncached time-series read.
    const bool plain = std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\';
    });
    if (plain) {
        QByteArray quoted(text.size() + 2, Qt::Uninitialized);
        quoted[0] = '"';
        std::transform(text.cbegin(), text.cend(), quoted.begin() + 1,
                       [](QChar c) { return char(c.unicode()); });
        quoted[text.size() + 1] = '"';
        return quoted;
    }
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
