#include "IngestLimits.h"

#include <optional>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString tooLongName()
{
    return u"longer than %1 characters"_s.arg(kMaxNameCharacters);
}

// C0, DEL and C1: the characters Unicode classes as controls (Cc).
bool isControl(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

QString controlCharacter(char32_t c, qsizetype position)
{
    return u"control character U+%1 at character %2"_s
        .arg(QString::number(uint(c), 16).toUpper().rightJustified(4, u'0'))
        .arg(position);
}

struct Utf8Character {
    char32_t value;
    qsizetype length;
};

// The character whose UTF-8 sequence starts at `at`; nullopt for anything RFC 3629 does not
// allow (a stray continuation byte, a cut sequence, an overlong form, a surrogate, beyond
// U+10FFFF).
std::optional<Utf8Character> decodeUtf8(QByteArrayView text, qsizetype at)
{
    const auto lead = uchar(text[at]);
    Utf8Character c{0, 0};
    uchar secondMin = 0x80;
    uchar secondMax = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        c = {char32_t(lead & 0x1f), 2};
    } else if (lead >= 0xe0 && lead <= 0xef) {
        c = {char32_t(lead & 0x0f), 3};
        secondMin = lead == 0xe0 ? 0xa0 : 0x80; // overlong below U+0800
        secondMax = lead == 0xed ? 0x9f : 0xbf; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        c = {char32_t(lead & 0x07), 4};
        secondMin = lead == 0xf0 ? 0x90 : 0x80; // overlong below U+10000
        secondMax = lead == 0xf4 ? 0x8f : 0xbf; // beyond U+10FFFF
    } else {
        return std::nullopt;
    }
    if (text.size() - at < c.length)
        return std::nullopt;
    for (qsizetype i = 1; i < c.length; ++i) {
        const auto byte = uchar(text[at + i]);
        if (byte < (i == 1 ? secondMin : 0x80) || byte > (i == 1 ? secondMax : 0xbf))
            return std::nullopt;
        c.value = (c.value << 6) | (byte & 0x3f);
    }
    return c;
}

} // namespace

QString nameError(QByteArrayView utf8)
{
    qsizetype characters = 0;
    for (qsizetype i = 0; i < utf8.size(); ++characters) {
        const auto byte = uchar(utf8[i]);
        if (byte < 0x80) { // ASCII, nearly every name
            if (isControl(byte))
                return controlCharacter(byte, characters + 1);
            ++i;
            continue;
        }
        const auto c = decodeUtf8(utf8, i);
        if (!c)
            return u"invalid UTF-8 at byte %1"_s.arg(i + 1);
        if (isControl(c->value))
            return controlCharacter(c->value, characters + 1);
        i += c->length;
    }
    return characters > kMaxNameCharacters ? tooLongName() : QString();
}

QString nameError(QStringView name)
{
    qsizetype characters = 0;
    for (const QChar c : name) {
        // The second half of a surrogate pair is no character of its own.
        if (c.isLowSurrogate())
            continue;
        ++characters;
        if (isControl(c.unicode()))
            return controlCharacter(c.unicode(), characters);
    }
    return characters > kMaxNameCharacters ? tooLongName() : QString();
}

bool isStorableDate(QDate date)
{
    // Compared as day numbers: QDate::year() works the calendar out of one, at every call.
    static const QDate first(kFirstYear, 1, 1), last(kLastYear, 12, 31);
    return date >= first && date <= last;
}

QString dateRangeError(QStringView text)
{
    return u"'%1' is outside %2-01-01 to %3-12-31"_s.arg(text).arg(kFirstYear).arg(kLastYear);
}

} // namespace isobar
