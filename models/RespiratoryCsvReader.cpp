#include "RespiratoryCsvReader.h"

#include "MetricsWriter.h"

#include <QHash>
#include <array>
#include <charconv>
#include <cmath>

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

} // namespace

QString RespiratoryCsvReader::metricGroupFor(QStringView metricName)
{
    const QString name = metricName.toString().toLower();
    if (name.contains(u"vaccin"))
        return QStringLiteral("vaccinations");
    if (name.contains(u"death"))
        return QStringLiteral("deaths");
    if (name.contains(u"admission") || name.contains(u"beds") || name.contains(u"icu"))
        return QStringLiteral("healthcare");
    if (name.contains(u"positivity") || name.contains(u"test") || name.contains(u"pcr"))
        return QStringLiteral("testing");
    return QStringLiteral("cases");
}

void RespiratoryCsvReader::read(QIODevice &input, const QString &fileName, qint64 refreshDate,
                                MetricsWriter &writer, ValidationErrors &errors,
                                const Progress &progress)
{
    QByteArray line = input.readLine();
    QList<QByteArrayView> cells;
    splitLine(QByteArrayView(line).trimmed(), cells);

    // Map header names to columns: any order, every known column required, nothing else.
    std::array<qsizetype, ColumnCount> position;
    position.fill(-1);
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QByteArrayView name = cells[i].trimmed();
        const auto known = std::find_if(kColumnNames.begin(), kColumnNames.end(),
                                        [&](const char *c) { return name == c; });
        if (known == kColumnNames.end())
            errors.add(QStringLiteral("%1: line 1: unknown column '%2'")
                           .arg(fileName, QString::fromUtf8(name)));
        else
            position[known - kColumnNames.begin()] = i;
    }
    for (int c = 0; c < ColumnCount; ++c) {
        if (position[c] < 0)
            errors.add(QStringLiteral("%1: line 1: missing column '%2'")
                           .arg(fileName, QLatin1String(kColumnNames[c])));
    }
    if (!errors.isEmpty())
        return;

    // Rows of one series come together; remember each row identity's series id.
    QHash<QByteArray, qint64> seriesByIdentity;
    QByteArray identity;
    QString error;
    qint64 lineNumber = 1;
    Fields f;
    while (!input.atEnd()) {
        line = input.readLine();
        ++lineNumber;
        if ((lineNumber & 0x3fff) == 0 && progress)
            progress(input.pos());
        const QByteArrayView trimmed = QByteArrayView(line).trimmed();
        if (trimmed.isEmpty())
            continue;
        if (splitLine(trimmed, cells) != ColumnCount) {
            errors.add(QStringLiteral("%1: line %2: %3 fields, expected %4")
                           .arg(fileName)
                           .arg(lineNumber)
                           .arg(cells.size())
                           .arg(int(ColumnCount)));
            continue;
        }
        for (int c = 0; c < ColumnCount; ++c)
            f[c] = cells[position[c]].trimmed();

        auto fail = [&](Column column, const QString &why) {
            errors.add(QStringLiteral("%1: line %2: field '%3': %4")
                           .arg(fileName)
                           .arg(lineNumber)
                           .arg(QLatin1String(kColumnNames[column]), why));
        };
        bool rowOk = true;
        for (Column required :
             {ParentTheme, ChildTheme, Topic, GeographyType, Geography, MetricName, Stratum}) {
            if (f[required].isEmpty()) {
                fail(required, QStringLiteral("must not be empty"));
                rowOk = false;
            }
        }
        if (f[Sex] != "all" && f[Sex] != "male" && f[Sex] != "female") {
            fail(Sex, QStringLiteral("'%1' is not one of all, male, female")
                          .arg(QString::fromUtf8(f[Sex])));
            rowOk = false;
        }
        if (f[Period] != "daily" && f[Period] != "weekly") {
            fail(Period,
                 QStringLiteral("'%1' is not daily or weekly").arg(QString::fromUtf8(f[Period])));
            rowOk = false;
        }
        const auto year = parseInt(f[Year]);
        if (!year || *year < 1900 || *year > 2200) {
            fail(Year, QStringLiteral("'%1' is not a year").arg(QString::fromUtf8(f[Year])));
            rowOk = false;
        }
        // A row without a value may lack its week and date too ("NA"): it is skipped whole.
        const bool missing = f[MetricValue] == "NA";
        const bool undated = missing && f[Epiweek] == "NA" && f[Date] == "NA";
        const auto epiweek = parseInt(f[Epiweek]);
        if (!undated && (!epiweek || *epiweek < 1 || *epiweek > 53)) {
            fail(Epiweek, QStringLiteral("'%1' is not a week number 1-53")
                              .arg(QString::fromUtf8(f[Epiweek])));
            rowOk = false;
        }
        const auto date = parseDayMonthYear(f[Date]);
        if (!undated && !date) {
            fail(Date, QStringLiteral("'%1' is not a d/m/Y date").arg(QString::fromUtf8(f[Date])));
            rowOk = false;
        }
        double value = 0;
        if (!missing) {
            const auto [end, ec] = std::from_chars(
                f[MetricValue].data(), f[MetricValue].data() + f[MetricValue].size(), value);
            if (ec != std::errc() || end != f[MetricValue].data() + f[MetricValue].size()
                || f[MetricValue].isEmpty() || !std::isfinite(value)) {
                fail(MetricValue, QStringLiteral("'%1' is not a number or NA")
                                      .arg(QString::fromUtf8(f[MetricValue])));
                rowOk = false;
            }
        }
        // Once the file is known to be rejected, validate the rest without writing.
        if (!rowOk || !errors.isEmpty())
            continue;
        if (missing) {
            writer.countSkipped();
            continue;
        }

        identity.clear();
        for (Column c : {ParentTheme, ChildTheme, Topic, GeographyType, Geography, MetricName,
                         Stratum, Sex, Period}) {
            identity.append(f[c].data(), f[c].size());
            identity.append('\x1f');
        }
        auto known = seriesByIdentity.constFind(identity);
        if (known == seriesByIdentity.constEnd()) {
            SeriesKey key;
            key.theme = unquote(f[ParentTheme]);
            key.subTheme = unquote(f[ChildTheme]);
            key.topic = unquote(f[Topic]);
            key.geographyType = unquote(f[GeographyType]);
            key.geography = unquote(f[Geography]);
            key.metric = unquote(f[MetricName]);
            key.metricGroup = metricGroupFor(key.metric);
            key.stratum = unquote(f[Stratum]);
            key.sex = unquote(f[Sex]);
            key.age = QStringLiteral("all");
            key.frequency = unquote(f[Period]);
            const auto id = writer.seriesId(key, &error);
            if (!id) {
                errors.add(
                    QStringLiteral("%1: line %2: %3").arg(fileName).arg(lineNumber).arg(error));
                continue;
            }
            known = seriesByIdentity.insert(identity, *id);
        }
        TimeSeriesPoint point;
        point.date = *date;
        point.epiweek = *epiweek;
        point.value = value;
        point.refreshDate = refreshDate;
        if (!writer.addPoint(*known, point, &error))
            errors.add(QStringLiteral("%1: line %2: %3").arg(fileName).arg(lineNumber).arg(error));
    }
    if (progress)
        progress(input.pos());
}

} // namespace isobar
