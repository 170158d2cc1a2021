#pragma once

#include <QByteArray>
#include <QString>

namespace isobar::JsonBytes {

// Pieces of JSON written byte for byte as QJsonDocument's compact output writes them, for hot
// answers built without a QJsonObject per row (points, geography cells): the bytes are the same
// as before, only cheaper to make.

// A JSON string with Qt's own escaping, quotes included.
QByteArray string(const QString &text);
// A number as QJsonDocument writes a double: integral values up to 2^53 as integers, others in
// the shortest form that reads back the same, non-finite values as null.
void appendNumber(QByteArray &out, double value);

} // namespace isobar::JsonBytes
