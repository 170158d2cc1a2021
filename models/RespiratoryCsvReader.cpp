#include "RespiratoryCsvReader.h"

#include "DateParsing.h"
#include "IngestLimits.h"
#include "MetricsWriter.h"

#include <QHash>
#include <QLocale>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <vector>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

enum Column {
    ParentTheme,
    ChildTheme,
    Topic,
    GeographyType,
    Geography,
    MetricName,
    Stratum,
    Sex,
    Period,
    Year,
    Epiweek,
    Date,
    MetricValue,
    ColumnCount
};

constexpr std::array<const char *, ColumnCount> kColumnNames = {
    "parent_theme", "child_theme", "topic", "geography_type", "geography", "metric_name", "stratum",
    "sex",          "period",      "year",  "epiweek",        "date",      "metric_value"};

using Fields = std::array<QByteArrayView, ColumnCount>;

// Splits one CSV line into views, honouring RFC 4180 quotes (appendUnquoted() strips them),
// handing each to `field`; returns how many there were.
template <typename Field> qsizetype splitLine(QByteArrayView line, Field &&field)
{
    qsizetype start = 0;
    qsizetype count = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted) {
            field(count++, line.sliced(start, i - start));
            start = i + 1;
        }
    }
    field(count++, line.sliced(start));
    return count;
}

// Appends a (trimmed) field as it reads: without its quotes, a doubled quote as one.
void appendUnquoted(QByteArray &to, QByteArrayView field)
{
    if (field.size() < 2 || !field.startsWith('"') || !field.endsWith('"')) {
        to.append(field);
        return;
    }
    to.append(field.sliced(1, field.size() - 2).toByteArray().replace("\"\"", "\""));
}

std::optional<int> parseInt(QByteArrayView text)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.isEmpty())
        return std::nullopt;
    return value;
}

std::optional<QDate> parseDayMonthYear(QByteArrayView text)
{
    const qsizetype first = text.indexOf('/');
    const qsizetype second = first < 0 ? -1 : text.indexOf('/', first + 1);
    if (first < 1 || first > 2 || second - first < 2 || second - first > 3
        || text.size() - second != 5)
        return std::nullopt;
    const auto day = parseInt(text.first(first));
    const auto month = parseInt(text.sliced(first + 1, second - first - 1));
    const auto year = parseInt(text.sliced(second + 1));
    if (!day || !month || !year)
        return std::nullopt;
    const QDate date(*year, *month, *day);
    return date.isValid() ? std::optional(date) : std::nullopt;
}

// Where this file's messages go, each naming the file and the line.
struct LineErrors {
    const QString &fileName;
    qint64 lineNumber;
    ValidationErrors &errors;

    void add(const QString &why) const
    {
        errors.add(u"%1: line %2: %3"_s.arg(fileName).arg(lineNumber).arg(why));
    }
    void field(Column column, const QString &why) const
    {
        errors.add(u"%1: line %2: field '%3': %4"_s.arg(fileName)
                       .arg(lineNumber)
                       .arg(QLatin1String(kColumnNames[column]), why));
    }
};

using ColumnPositions = std::array<qsizetype, ColumnCount>;

// Maps header names to columns: any order, every known column required, nothing else.
std::optional<ColumnPositions> readHeader(QByteArrayView line, const QString &fileName,
                                          ValidationErrors &errors)
{
    QList<QByteArrayView> cells;
    splitLine(line.trimmed(), [&](qsizetype, QByteArrayView cell) { cells.append(cell); });
    ColumnPositions position;
    position.fill(-1);
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QByteArrayView name = cells[i].trimmed();
        const auto known = std::find_if(kColumnNames.begin(), kColumnNames.end(),
                                        [&](const char *c) { return name == c; });
        if (known == kColumnNames.end())
            errors.add(u"%1: line 1: unknown column '%2'"_s.arg(fileName, QString::fromUtf8(name)));
        else if (position[known - kColumnNames.begin()] >= 0)
            errors.add(
                u"%1: line 1: column '%2' appears twice"_s.arg(fileName, QString::fromUtf8(name)));
        else
            position[known - kColumnNames.begin()] = i;
    }
    for (int c = 0; c < ColumnCount; ++c) {
        if (position[c] < 0)
            errors.add(
                u"%1: line 1: missing column '%2'"_s.arg(fileName, QLatin1String(kColumnNames[c])));
    }
    if (!errors.isEmpty())
        return std::nullopt;
    return position;
}

// The row's fields in column order; false (and a message) when it has too few or too many.
bool splitRow(QByteArrayView line, const ColumnPositions &position, Fields &fields,
              const LineErrors &report)
{
    Fields cells;
    const qsizetype count = splitLine(line, [&cells](qsizetype i, QByteArrayView cell) {
        if (i < ColumnCount)
            cells[i] = cell;
    });
    if (count != ColumnCount) {
        report.errors.add(u"%1: line %2: %3 fields, expected %4"_s.arg(report.fileName)
                              .arg(report.lineNumber)
                              .arg(count)
                              .arg(int(ColumnCount)));
        return false;
    }
    for (int c = 0; c < ColumnCount; ++c)
        fields[c] = cells[position[c]].trimmed();
    return true;
}

// A row's values once every field checked out. Without a value (NA) the row is only counted.
struct RowValues {
    bool missing = false;
    QDate date;
    int epiweek = 0;
    double value = 0;
};

// The year column is the epidemiological year of the row's week: the date's own year, but the
// year before for the first days of January still in week 52 or 53 (UKHSA's 1/1/2023 is in week
// 52 of 2022), the year after for the last days of December already in week 1.
bool yearFitsDate(int year, QDate date, int epiweek)
{
    int dateYear = 0, month = 0; // worked out of the day number once, not at every call
    date.getDate(&dateYear, &month, nullptr);
    if (year == dateYear)
        return true;
    if (year == dateYear - 1)
        return month == 1 && epiweek >= 52;
    return year == dateYear + 1 && month == 12 && epiweek == 1;
}

// Checks every field and reports each one that is wrong, so one pass over a broken file lists
// all its problems.
std::optional<RowValues> validateRow(const Fields &f, const LineErrors &report)
{
    bool rowOk = true;
    auto fail = [&](Column column, const QString &why) {
        report.field(column, why);
        rowOk = false;
    };
    for (Column required :
         {ParentTheme, ChildTheme, Topic, GeographyType, Geography, MetricName, Stratum}) {
        if (f[required].isEmpty())
            fail(required, u"must not be empty"_s);
    }
    if (f[Sex] != "all" && f[Sex] != "male" && f[Sex] != "female")
        fail(Sex, u"'%1' is not one of all, male, female"_s.arg(QString::fromUtf8(f[Sex])));
    if (f[Period] != "daily" && f[Period] != "weekly")
        fail(Period, u"'%1' is not daily or weekly"_s.arg(QString::fromUtf8(f[Period])));
    const auto year = parseInt(f[Year]);
    if (!year || *year < kFirstYear || *year > kLastYear)
        fail(Year, u"'%1' is not a year from %2 to %3"_s.arg(QString::fromUtf8(f[Year]))
                       .arg(kFirstYear)
                       .arg(kLastYear));

    RowValues row;
    // A row without a value may lack its week and date too ("NA"): it is skipped whole.
    row.missing = f[MetricValue] == "NA";
    const bool undated = row.missing && f[Epiweek] == "NA" && f[Date] == "NA";
    const auto epiweek = parseInt(f[Epiweek]);
    if (!undated && (!epiweek || *epiweek < 1 || *epiweek > 53))
        fail(Epiweek, u"'%1' is not a week number 1-53"_s.arg(QString::fromUtf8(f[Epiweek])));
    const auto date = parseDayMonthYear(f[Date]);
    if (!undated && !date)
        fail(Date, u"'%1' is not a d/m/Y date"_s.arg(QString::fromUtf8(f[Date])));
    else if (date && !isStorableDate(*date))
        fail(Date, dateRangeError(QString::fromUtf8(f[Date])));
    if (!row.missing) {
        const QByteArrayView text = f[MetricValue];
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), row.value);
        if (ec != std::errc() || end != text.data() + text.size() || text.isEmpty()
            || !std::isfinite(row.value))
            fail(MetricValue, u"'%1' is not a number or NA"_s.arg(QString::fromUtf8(text)));
    }
    if (rowOk && date && !yearFitsDate(*year, *date, *epiweek))
        fail(Year, u"'%1' contradicts the date '%2' (week %3)"_s
                       .arg(QString::fromUtf8(f[Year]), QString::fromUtf8(f[Date]))
                       .arg(*epiweek));
    if (!rowOk)
        return std::nullopt;
    row.date = date.value_or(QDate());
    row.epiweek = epiweek.value_or(0);
    return row;
}

// The columns naming a row's series, in the order of its identity.
constexpr std::array kSeriesColumns = {ParentTheme, ChildTheme, Topic, GeographyType, Geography,
                                       MetricName,  Stratum,    Sex,   Period};

// Each distinct series of a file gets a number the first time a row names it, and its names are
// checked then; the writer is asked for its id once per series rather than once per row (rows
// of one series come together).
class FileSeries
{
public:
    explicit FileSeries(MetricsWriter &writer)
        : m_writer(writer)
    {}

    // The row's series in this file; nullopt, reported, when one of its names cannot be stored.
    std::optional<qsizetype> indexFor(const Fields &f, const LineErrors &report)
    {
        // The identity holds the names as they read (unquoted), so a name quoted in one row and
        // not in the next is one series.
        std::array<qsizetype, kSeriesColumns.size() + 1> starts{};
        m_identity.resize(0); // keeps the buffer; clear() would free it, row after row
        for (size_t i = 0; i < kSeriesColumns.size(); ++i) {
            starts[i] = m_identity.size();
            appendUnquoted(m_identity, f[kSeriesColumns[i]]);
            m_identity.append('\x1f');
        }
        starts.back() = m_identity.size();
        const auto known = m_indexes.constFind(m_identity);
        if (known != m_indexes.constEnd())
            return *known;
        bool valid = true;
        for (size_t i = 0; i < kSeriesColumns.size(); ++i) {
            const QByteArrayView name =
                QByteArrayView(m_identity).sliced(starts[i], starts[i + 1] - starts[i] - 1);
            const QString error = nameError(name);
            if (!error.isEmpty()) {
                report.field(kSeriesColumns[i], error);
                valid = false;
            }
        }
        if (!valid)
            return std::nullopt;
        m_indexes.insert(m_identity, m_ids.size());
        m_ids.append(std::nullopt);
        return m_ids.size() - 1;
    }

    // The writer's id of the series numbered `index`, named by the row `f`.
    std::optional<qint64> idFor(qsizetype index, const Fields &f, QString *error)
    {
        std::optional<qint64> &id = m_ids[index];
        if (!id)
            id = m_writer.seriesId(seriesKey(f), error);
        return id;
    }

private:
    static QString unquote(QByteArrayView field)
    {
        QByteArray bytes;
        appendUnquoted(bytes, field);
        return QString::fromUtf8(bytes);
    }

    static SeriesKey seriesKey(const Fields &f)
    {
        SeriesKey key;
        key.theme = unquote(f[ParentTheme]);
        key.subTheme = unquote(f[ChildTheme]);
        key.topic = unquote(f[Topic]);
        key.geographyType = unquote(f[GeographyType]);
        key.geography = unquote(f[Geography]);
        key.metric = unquote(f[MetricName]);
        key.metricGroup = RespiratoryCsvReader::metricGroupFor(key.metric);
        key.stratum = unquote(f[Stratum]);
        key.sex = unquote(f[Sex]);
        key.age = u"all"_s;
        key.frequency = unquote(f[Period]);
        return key;
    }

    MetricsWriter &m_writer;
    QHash<QByteArray, qsizetype> m_indexes;
    QList<std::optional<qint64>> m_ids; // by index; asked for once a row of it is written
    QByteArray m_identity;
};

// The first row of each series and date in a file, to find a date given twice: an identical
// repeat is read once, one that says otherwise refuses the file.
class RepeatedRows
{
public:
    // Whether the row is the first of its series and date; a conflicting repeat is reported.
    bool isFirst(qsizetype series, const RowValues &row, const Fields &f, const LineErrors &report)
    {
        // A table by series, not one for the file: a series' rows come together, so its table
        // stays in cache (one table of a million rows missed it at nearly every row).
        if (size_t(series) >= m_bySeries.size())
            m_bySeries.resize(series + 1);
        FirstRow &first = m_bySeries[series][toDayNumber(row.date)];
        if (first.line == 0) {
            first = {report.lineNumber, row.value, row.epiweek, row.missing};
            return true;
        }
        if (first.missing != row.missing || first.value != row.value)
            conflict(report, MetricValue, f[MetricValue],
                     first.missing
                         ? u"NA"_s
                         : QString::number(first.value, 'g', QLocale::FloatingPointShortest),
                     first.line);
        else if (first.epiweek != row.epiweek)
            conflict(report, Epiweek, f[Epiweek], QString::number(first.epiweek), first.line);
        return false;
    }

private:
    struct FirstRow {
        qint64 line = 0; // 0: none yet
        double value = 0;
        int epiweek = 0;
        bool missing = false;
    };

    static void conflict(const LineErrors &report, Column column, QByteArrayView here,
                         const QString &there, qint64 line)
    {
        report.field(column, u"'%1' differs from line %2's '%3' for the same series and date"_s
                                 .arg(QString::fromUtf8(here))
                                 .arg(line)
                                 .arg(there));
    }

    // By the series' number in the file, then day. Not QHash: Qt 6.4's takes 16 entries at once,
    // and a file of a new series a row held 0.75 KB a row.
    std::vector<std::unordered_map<qint64, FirstRow>> m_bySeries;
};

// Reads a device line by line into one buffer, reused: no line is ever held beyond
// kMaxCsvLineBytes, however long it is in the file.
class CsvLines
{
public:
    enum class Next { Line, End, TooLong };

    explicit CsvLines(QIODevice &input)
        : m_input(input)
        , m_buffer(kMaxCsvLineBytes + 1, Qt::Uninitialized)
    {}

    Next next()
    {
        const qint64 read = m_input.readLine(m_buffer.data(), m_buffer.size());
        if (read <= 0)
            return Next::End;
        ++m_number;
        m_line = QByteArrayView(m_buffer.data(), read);
        if (read == kMaxCsvLineBytes && !m_line.endsWith('\n') && !m_input.atEnd())
            return Next::TooLong;
        return Next::Line;
    }
    QByteArrayView line() const { return m_line; }
    qint64 number() const { return m_number; }

    // Such a line is no line of this CSV: what follows it is not read.
    static QString tooLong()
    {
        return u"longer than %1 bytes; the rest of the file is not read"_s.arg(kMaxCsvLineBytes);
    }

private:
    QIODevice &m_input;
    QByteArray m_buffer;
    QByteArrayView m_line;
    qint64 m_number = 0;
};

} // namespace

QString RespiratoryCsvReader::metricGroupFor(QStringView metricName)
{
    const QString name = metricName.toString().toLower();
    if (name.contains(u"vaccin"))
        return u"vaccinations"_s;
    if (name.contains(u"death"))
        return u"deaths"_s;
    if (name.contains(u"admission") || name.contains(u"beds") || name.contains(u"icu"))
        return u"healthcare"_s;
    if (name.contains(u"positivity") || name.contains(u"test") || name.contains(u"pcr"))
        return u"testing"_s;
    return u"cases"_s;
}

void RespiratoryCsvReader::read(QIODevice &input, const QString &fileName, qint64 refreshDate,
                                MetricsWriter &writer, ValidationErrors &errors,
                                const Progress &progress)
{
    CsvLines lines(input);
    const CsvLines::Next first = lines.next();
    if (first == CsvLines::Next::TooLong) {
        LineErrors{fileName, 1, errors}.add(CsvLines::tooLong());
        return;
    }
    QByteArrayView header = first == CsvLines::Next::Line ? lines.line() : QByteArrayView();
    // Excel's "CSV UTF-8" starts with a byte order mark.
    if (header.startsWith("\xEF\xBB\xBF"))
        header = header.sliced(3);
    const auto position = readHeader(header, fileName, errors);
    if (!position)
        return;
    FileSeries series(writer);
    RepeatedRows repeats;
    Fields fields;
    QString error;
    CsvLines::Next next;
    while ((next = lines.next()) != CsvLines::Next::End) {
        const LineErrors report{fileName, lines.number(), errors};
        if (next == CsvLines::Next::TooLong) {
            report.add(CsvLines::tooLong());
            break;
        }
        if ((lines.number() & 0x3fff) == 0 && progress)
            progress(input.pos());
        const QByteArrayView trimmed = lines.line().trimmed();
        if (trimmed.isEmpty())
            continue;
        if (!splitRow(trimmed, *position, fields, report))
            continue;
        const auto row = validateRow(fields, report);
        const auto index = series.indexFor(fields, report);
        if (!row || !index
            || (row->date.isValid() && !repeats.isFirst(*index, *row, fields, report)))
            continue;
        // Once the file is known to be rejected, validate the rest without writing.
        if (!errors.isEmpty())
            continue;
        if (row->missing) {
            writer.countSkipped();
            continue;
        }
        const auto seriesId = series.idFor(*index, fields, &error);
        if (!seriesId) {
            report.add(error);
            continue;
        }
        TimeSeriesPoint point;
        point.date = row->date;
        point.epiweek = row->epiweek;
        point.value = row->value;
        point.refreshDate = refreshDate;
        if (!writer.addPoint(*seriesId, point, &error))
            report.add(error);
    }
    if (progress)
        progress(input.pos());
}

} // namespace isobar
