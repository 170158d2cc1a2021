#include "RespiratoryCsvReader.h"

#include "MetricsWriter.h"

#include <QHash>
#include <array>
#include <charconv>
#include <cmath>

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

// Splits one CSV line into views, honouring RFC 4180 quotes; unquote() strips them.
qsizetype splitLine(QByteArrayView line, QList<QByteArrayView> &out)
{
    out.clear();
    qsizetype start = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted) {
            out.append(line.sliced(start, i - start));
            start = i + 1;
        }
    }
    out.append(line.sliced(start));
    return out.size();
}

QString unquote(QByteArrayView field)
{
    QByteArray bytes = field.trimmed().toByteArray();
    if (bytes.size() >= 2 && bytes.startsWith('"') && bytes.endsWith('"'))
        bytes = bytes.sliced(1, bytes.size() - 2).replace("\"\"", "\"");
    return QString::fromUtf8(bytes);
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
    splitLine(line.trimmed(), cells);
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
bool splitRow(QByteArrayView line, const ColumnPositions &position, QList<QByteArrayView> &cells,
              Fields &fields, const LineErrors &report)
{
    if (splitLine(line, cells) != ColumnCount) {
        report.errors.add(u"%1: line %2: %3 fields, expected %4"_s.arg(report.fileName)
                              .arg(report.lineNumber)
                              .arg(cells.size())
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
    if (!year || *year < 1900 || *year > 2200)
        fail(Year, u"'%1' is not a year"_s.arg(QString::fromUtf8(f[Year])));

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
    if (!row.missing) {
        const QByteArrayView text = f[MetricValue];
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), row.value);
        if (ec != std::errc() || end != text.data() + text.size() || text.isEmpty()
            || !std::isfinite(row.value))
            fail(MetricValue, u"'%1' is not a number or NA"_s.arg(QString::fromUtf8(text)));
    }
    if (!rowOk)
        return std::nullopt;
    row.date = date.value_or(QDate());
    row.epiweek = epiweek.value_or(0);
    return row;
}

// Rows of one series come together: each row identity's series id is kept, so the writer
// looks the dimensions up once per series rather than once per row.
class SeriesIds
{
public:
    explicit SeriesIds(MetricsWriter &writer)
        : m_writer(writer)
    {}

    std::optional<qint64> idFor(const Fields &f, QString *error)
    {
        m_identity.clear();
        for (Column c : {ParentTheme, ChildTheme, Topic, GeographyType, Geography, MetricName,
                         Stratum, Sex, Period}) {
            m_identity.append(f[c].data(), f[c].size());
            m_identity.append('\x1f');
        }
        const auto known = m_ids.constFind(m_identity);
        if (known != m_ids.constEnd())
            return *known;
        const auto id = m_writer.seriesId(seriesKey(f), error);
        if (id)
            m_ids.insert(m_identity, *id);
        return id;
    }

private:
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
    QHash<QByteArray, qint64> m_ids;
    QByteArray m_identity;
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
    const auto position = readHeader(input.readLine(), fileName, errors);
    if (!position)
        return;
    SeriesIds series(writer);
    QList<QByteArrayView> cells;
    Fields fields;
    QString error;
    qint64 lineNumber = 1;
    while (!input.atEnd()) {
        const QByteArray line = input.readLine();
        ++lineNumber;
        if ((lineNumber & 0x3fff) == 0 && progress)
            progress(input.pos());
        const QByteArrayView trimmed = QByteArrayView(line).trimmed();
        if (trimmed.isEmpty())
            continue;
        const LineErrors report{fileName, lineNumber, errors};
        if (!splitRow(trimmed, *position, cells, fields, report))
            continue;
        const auto row = validateRow(fields, report);
        // Once the file is known to be rejected, validate the rest without writing.
        if (!row || !errors.isEmpty())
            continue;
        if (row->missing) {
            writer.countSkipped();
            continue;
        }
        const auto seriesId = series.idFor(fields, &error);
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
