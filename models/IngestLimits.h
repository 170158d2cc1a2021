#pragma once

#include <QByteArrayView>
#include <QDate>
#include <QString>
#include <QStringView>

namespace isobar {

// What one ingestion file may hold, the same for every reader, so a file that is not what it
// claims (a binary, a runaway export) is refused with a message, never held in memory whole.
// docs/ARCHITECTURE.md ("Ingestion") lists them.

// Every name a file gives (themes, topics, metric groups and metrics, geography types, names and
// codes, age, sex, stratum, frequency), in characters (Unicode code points). UKHSA's longest is
// under 80.
inline constexpr qsizetype kMaxNameCharacters = 255;
// A respiratory CSV line with its line end: every name at its limit in 4-byte characters still
// fits (a real line is ~150 bytes). A longer line ends the reading of its file.
inline constexpr qsizetype kMaxCsvLineBytes = 8 << 10; // 8 KiB
// A UKHSA JSON file, which is parsed whole: the largest published file is ~40 KB.
inline constexpr qint64 kMaxJsonFileBytes = 32 << 20; // 32 MiB

// The dates a file may give (a point's date, a headline's period, an embargo, a refresh date),
// whole years: 1900-01-01 to 2100-12-31.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2100;

// Why a name read from a file cannot be stored, or an empty string when it can be: it is too
// long, or holds a control character (NUL, a tab, a line end...). `utf8` is the name as the
// file spells it (a CSV field, unquoted), refused too when it is not valid UTF-8.
QString nameError(QByteArrayView utf8);
QString nameError(QStringView name);

// Whether a date falls within kFirstYear..kLastYear; when not, dateRangeError(text) says so
// (`text` is the date as the file writes it).
bool isStorableDate(QDate date);
QString dateRangeError(QStringView text);

} // namespace isobar
