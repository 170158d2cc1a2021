#include "IngestLimits.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString tooLongName()
{
    return u"longer than %1 characters"_s.arg(kMaxNameCharacters);
}

} // namespace

QString nameError(QByteArrayView utf8)
{
    // Continuation bytes (10xxxxxx) are no characters of their own.
    qsizetype characters = 0;
    for (const char byte : utf8)
        characters += (uchar(byte) & 0xc0) != 0x80;
    return characters > kMaxNameCharacters ? tooLongName() : QString();
}

QString nameError(QStringView name)
{
    // The second half of a surrogate pair is no character of its own.
    qsizetype characters = 0;
    for (const QChar c : name)
        characters += !c.isLowSurrogate();
    return characters > kMaxNameCharacters ? tooLongName() : QString();
}

} // namespace isobar
