#include "UkhsaJsonReader.h"

#include "DateParsing.h"
#include "IngestLimits.h"
#include "MetricsWriter.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QVarLengthArray>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QSet<QString> kHeaderFields = {
    u"parent_theme"_s,   u"child_theme"_s,      u"topic"_s,          u"metric_group"_s, u"metric"_s,
    u"geography_type"_s, u"geography"_s,        u"geography_code"_s, u"age"_s,          u"sex"_s,
    u"stratum"_s,        u"metric_frequency"_s, u"refresh_date"_s,   u"time_series"_s,  u"data"_s,
};
// The confidence bounds are optional, named as in headline records.
const QSet<QString> kPointFields = {u"date"_s,
                                    u"epiweek"_s,
                                    u"metric_value"_s,
                                    u"embargo"_s,
                                    u"is_public"_s,
                                    u"in_reporting_delay_period"_s,
                                    u"upper_confidence"_s,
                                    u"lower_confidence"_s};
const QSet<QString> kHeadlineFields = {
    u"period_start"_s,     u"period_end"_s, u"metric_value"_s, u"upper_confidence"_s,
    u"lower_confidence"_s, u"embargo"_s,    u"is_public"_s};

// Reports problems as "<where>: field '<name>': <why>" so a reader can find the record.
class RecordChecker
{
public:
    static constexpr qsizetype kShownKeyLength = 64;

    RecordChecker(ValidationErrors &errors, QString where)
        : m_errors(errors)
        , m_where(std::move(where))
    {}

    void fail(const QString &field, const QString &why)
    {
        m_errors.add(u"%1: field '%2': %3"_s.arg(m_where, field, why));
        m_ok = false;
    }
    bool ok() const { return m_ok; }

    void rejectUnknown(const QJsonObject &object, const QSet<QString> &known)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (known.contains(it.key()))
                continue;
            // A key is any string: only its start is shown.
            const QString key = it.key();
            fail(key.size() > kShownKeyLength ? key.first(kShownKeyLength) + u"..."_s : key,
                 u"unknown field"_s);
        }
    }

    QString text(const QJsonObject &object, const QString &field, bool allowEmpty = false)
    {
        const QJsonValue value = object.value(field);
        if (!value.isString()) {
            fail(field, value.isUndefined() ? u"required"_s : u"must be a string"_s);
            return {};
        }
        QString result = value.toString().trimmed();
        if (result.isEmpty() && !allowEmpty)
            fail(field, u"must not be empty"_s);
        const QString error = nameError(result);
        if (!error.isEmpty()) {
            fail(field, error);
            return {};
        }
        return result;
    }

    QDate date(const QJsonObject &object, const QString &field)
    {
        const QString value = text(object, field);
        if (value.isEmpty())
            return {};
        const auto parsed = parseIsoDate(value);
        if (!parsed)
            fail(field, u"'%1' is not a YYYY-MM-DD date"_s.arg(value));
        else if (!isStorableDate(*parsed))
            fail(field, dateRangeError(value));
        return parsed.value_or(QDate());
    }

    // A headline period's bound: a date (London midnight) or, for alerts, a time of day
    // ("2023-09-10 15:00:00", London time).
    qint64 periodBound(const QJsonObject &object, const QString &field)
    {
        const QString value = text(object, field);
        if (value.isEmpty())
            return 0;
        const auto parsed = parseUkTimestamp(value);
        if (!parsed)
            fail(field, u"'%1' is not a YYYY-MM-DD date or YYYY-MM-DD HH:MM:SS time"_s.arg(value));
        else if (!isStorableTimestamp(value))
            fail(field, dateRangeError(value));
        return parsed.value_or(0);
    }

    std::optional<qint64> timestamp(const QJsonObject &object, const QString &field, bool nullable)
    {
        const QJsonValue value = object.value(field);
        if (nullable && (value.isNull() || value.isUndefined()))
            return std::nullopt;
        const QString text = value.toString();
        const auto parsed = value.isString() ? parseUkTimestamp(text) : std::nullopt;
        if (!parsed)
            fail(field, u"must be a 'YYYY-MM-DD HH:MM:SS' timestamp%1"_s.arg(
                            nullable ? u" or null"_s : QString()));
        else if (!isStorableTimestamp(text))
            fail(field, dateRangeError(text));
        return parsed;
    }

    // nullopt for null; a failure for anything but a finite number.
    std::optional<double> number(const QJsonObject &object, const QString &field, bool required)
    {
        const QJsonValue value = object.value(field);
        if (value.isNull() || (value.isUndefined() && !required))
            return std::nullopt;
        if (!value.isDouble() || !std::isfinite(value.toDouble())) {
            fail(field, value.isUndefined() ? u"required"_s : u"must be a number or null"_s);
            return std::nullopt;
        }
        return value.toDouble();
    }

    bool boolean(const QJsonObject &object, const QString &field, bool defaultValue, bool required)
    {
        const QJsonValue value = object.value(field);
        if (value.isUndefined() && !required)
            return defaultValue;
        if (!value.isBool()) {
            fail(field, value.isUndefined() ? u"required"_s : u"must be true or false"_s);
            return defaultValue;
        }
        return value.toBool();
    }

    // A whole number 1-53; some published files carry it as a string ("44").
    int epiweek(const QJsonObject &object)
    {
        const QJsonValue value = object.value(u"epiweek"_s);
        bool ok = value.isDouble();
        double number = value.toDouble();
        if (value.isString())
            number = value.toString().toInt(&ok);
        if (!ok || number != std::floor(number) || number < 1 || number > 53) {
            fail(u"epiweek"_s, u"must be a whole number 1-53"_s);
            return 0;
        }
        return int(number);
    }

private:
    // A timestamp parseUkTimestamp took starts with its date.
    static bool isStorableTimestamp(QStringView text)
    {
        return isStorableDate(parseIsoDate(text.first(10)).value_or(QDate()));
    }

    ValidationErrors &m_errors;
    QString m_where;
    bool m_ok = true;
};

const QRegularExpression &geographyCodeShape()
{
    // ONS/GSS codes: one letter and eight digits (E92000001, K02000001, W06000015).
    static const QRegularExpression shape(u"^[A-Z][0-9]{8}$"_s);
    return shape;
}

// Where `offset`, inside a string of a JSON text well formed up to it, is, as the reader's
// messages name places: "time_series[3]: field 'date'", "field 'geography'" in the header.
QString jsonFieldAt(QByteArrayView json, qsizetype offset)
{
    struct Level {
        bool array = false;
        qsizetype index = 0; // an array's current element
        QByteArrayView key;  // an object's current key
        bool inKey = true;   // an object's next string is a key
    };
    QVarLengthArray<Level, 4> levels;
    qsizetype stringStart = -1; // inside a string when >= 0
    QByteArrayView lastString;
    for (qsizetype i = 0; i < offset && i < json.size(); ++i) {
        const char c = json[i];
        if (stringStart >= 0) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                lastString = json.sliced(stringStart, i - stringStart);
                stringStart = -1;
            }
        } else if (c == '"') {
            stringStart = i + 1;
        } else if (c == '{' || c == '[') {
            levels.append({c == '[', 0, {}, c == '{'});
        } else if (levels.isEmpty()) {
            continue;
        } else if (c == '}' || c == ']') {
            levels.pop_back();
        } else if (c == ':') {
            levels.back().key = lastString;
            levels.back().inKey = false;
        } else if (c == ',') {
            ++levels.back().index;
            levels.back().inKey = true;
        }
    }
    if (levels.isEmpty())
        return u"the top level"_s;
    // The innermost object's key is the field; the levels around it name the record.
    QString record;
    for (qsizetype i = 0; i + 1 < levels.size(); ++i) {
        if (levels[i].array)
            record += u"[%1]"_s.arg(levels[i].index);
        else
            record += (record.isEmpty() ? QString() : u"."_s) + QString::fromUtf8(levels[i].key);
    }
    const Level &innermost = levels.back();
    QString field =
        innermost.inKey ? u"a key"_s : u"field '%1'"_s.arg(QString::fromUtf8(innermost.key));
    if (innermost.array) {
        record += u"[%1]"_s.arg(innermost.index);
        field = u"a value"_s;
    }
    return record.isEmpty() ? field : record + u": "_s + field;
}

std::optional<QJsonObject> parseDocument(const QByteArray &content, const QString &fileName,
                                         ValidationErrors &errors)
{
    // A UTF-8 byte order mark is skipped; invalid UTF-8 in a string is refused, never replaced.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(content, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArrayView before = QByteArrayView(content).first(
            qBound(qsizetype(0), qsizetype(parseError.offset), content.size()));
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const QString where = u"offset %1 (line %2, column %3)"_s.arg(parseError.offset)
                                  .arg(before.count('\n') + 1)
                                  .arg(before.size() - lineStart + 1);
        if (parseError.error == QJsonParseError::IllegalUTF8String)
            errors.add(u"%1: %2: invalid UTF-8 at %3"_s.arg(
                fileName, jsonFieldAt(content, parseError.offset), where));
        else
            errors.add(
                u"%1: %2: invalid JSON: %3"_s.arg(fileName, where, parseError.errorString()));
        return std::nullopt;
    }
    if (!document.isObject()) {
        errors.add(u"%1: the top level must be a JSON object"_s.arg(fileName));
        return std::nullopt;
    }
    return document.object();
}

// The series all of a file's records belong to, and the field that holds the records.
struct FileHeader {
    SeriesKey key;
    qint64 refreshDate = 0;
    QString recordsField; // "data" for headline records, "time_series" for points
};

std::optional<FileHeader> readHeader(const QJsonObject &root, const QString &fileName,
                                     ValidationErrors &errors)
{
    RecordChecker header(errors, fileName);
    header.rejectUnknown(root, kHeaderFields);

    const bool hasTimeSeries = root.contains(u"time_series"_s);
    const bool hasHeadline = root.contains(u"data"_s);
    if (hasTimeSeries == hasHeadline) {
        header.fail(u"time_series"_s, u"a file holds exactly one of 'time_series' or 'data'"_s);
        return std::nullopt;
    }

    FileHeader file;
    SeriesKey &key = file.key;
    key.kind = hasHeadline ? SeriesKind::Headline : SeriesKind::TimeSeries;
    key.theme = header.text(root, u"parent_theme"_s);
    key.subTheme = header.text(root, u"child_theme"_s);
    key.topic = header.text(root, u"topic"_s);
    key.metricGroup = header.text(root, u"metric_group"_s);
    key.metric = header.text(root, u"metric"_s);
    key.geographyType = header.text(root, u"geography_type"_s);
    key.geography = header.text(root, u"geography"_s);
    key.geographyCode = header.text(root, u"geography_code"_s);
    key.age = header.text(root, u"age"_s);
    key.sex = header.text(root, u"sex"_s);
    key.stratum = header.text(root, u"stratum"_s);
    if (hasTimeSeries)
        key.frequency = header.text(root, u"metric_frequency"_s);
    if (!key.geographyCode.isEmpty() && !geographyCodeShape().match(key.geographyCode).hasMatch())
        header.fail(u"geography_code"_s,
                    u"'%1' is not a letter followed by eight digits"_s.arg(key.geographyCode));
    const auto refresh = header.timestamp(root, u"refresh_date"_s, false);

    file.recordsField = hasHeadline ? u"data"_s : u"time_series"_s;
    if (!root.value(file.recordsField).isArray()) {
        header.fail(file.recordsField, u"must be an array"_s);
        return std::nullopt;
    }
    if (!header.ok())
        return std::nullopt;
    file.refreshDate = *refresh;
    return file;
}

// The fields every record has, headline or point.
struct RecordBasics {
    std::optional<double> value; // null: the record is counted as skipped
    std::optional<qint64> embargo;
    bool isPublic = true;
};

HeadlinePoint headlineFrom(RecordChecker &record, const QJsonObject &object)
{
    HeadlinePoint point;
    point.periodStart = record.periodBound(object, u"period_start"_s);
    point.periodEnd = record.periodBound(object, u"period_end"_s);
    point.upperConfidence = record.number(object, u"upper_confidence"_s, false);
    point.lowerConfidence = record.number(object, u"lower_confidence"_s, false);
    if (point.periodStart != 0 && point.periodEnd != 0 && point.periodEnd < point.periodStart)
        record.fail(u"period_end"_s, u"is before period_start"_s);
    return point;
}

TimeSeriesPoint pointFrom(RecordChecker &record, const QJsonObject &object)
{
    TimeSeriesPoint point;
    point.date = record.date(object, u"date"_s);
    point.epiweek = record.epiweek(object);
    point.inReportingDelay = record.boolean(object, u"in_reporting_delay_period"_s, false, false);
    point.upperConfidence = record.number(object, u"upper_confidence"_s, false);
    point.lowerConfidence = record.number(object, u"lower_confidence"_s, false);
    if (point.upperConfidence && point.lowerConfidence
        && *point.lowerConfidence > *point.upperConfidence)
        record.fail(u"lower_confidence"_s, u"is above upper_confidence"_s);
    return point;
}

// Checks each record of one file and writes the valid ones to its series.
class RecordReader
{
public:
    RecordReader(const QString &fileName, const FileHeader &header, qint64 seriesId,
                 MetricsWriter &writer, ValidationErrors &errors)
        : m_fileName(fileName)
        , m_header(header)
        , m_headline(header.key.kind == SeriesKind::Headline)
        , m_offSensitive(QFileInfo(fileName).fileName().startsWith(u"OFF-SENS_"))
        , m_seriesId(seriesId)
        , m_writer(writer)
        , m_errors(errors)
    {}

    void read(const QJsonValue &value, qsizetype index)
    {
        RecordChecker record(m_errors,
                             u"%1: %2[%3]"_s.arg(m_fileName, m_header.recordsField).arg(index));
        if (!value.isObject()) {
            record.fail(m_header.recordsField, u"each record must be a JSON object"_s);
            return;
        }
        const QJsonObject object = value.toObject();
        record.rejectUnknown(object, m_headline ? kHeadlineFields : kPointFields);
        const RecordBasics basics = basicsFrom(record, object);
        if (m_headline)
            write(headlineFrom(record, object), basics, record, index);
        else
            write(pointFrom(record, object), basics, record, index);
    }

private:
    RecordBasics basicsFrom(RecordChecker &record, const QJsonObject &object) const
    {
        RecordBasics basics;
        basics.value = record.number(object, u"metric_value"_s, true);
        basics.embargo = record.timestamp(object, u"embargo"_s, true);
        basics.isPublic = record.boolean(object, u"is_public"_s, true, true);
        if (record.ok() && basics.isPublic == m_offSensitive)
            record.fail(u"is_public"_s, m_offSensitive ? u"must be false in an OFF-SENS_ file"_s
                                                       : u"must be true outside OFF-SENS_ files"_s);
        return basics;
    }

    template <typename Point>
    void write(Point point, const RecordBasics &basics, RecordChecker &record, qsizetype index)
    {
        if (!record.ok())
            return;
        point.value = basics.value.value_or(0);
        point.embargo = basics.embargo;
        point.isPublic = basics.isPublic;
        point.refreshDate = m_header.refreshDate;
        if (!isFirst(point, basics.value.has_value(), record, index))
            return;
        // Once the file is known to be rejected, the rest is validated without writing.
        if (!m_errors.isEmpty())
            return;
        if (!basics.value) {
            m_writer.countSkipped();
            return;
        }
        QString error;
        if (!add(point, &error))
            m_errors.add(
                u"%1: %2[%3]: %4"_s.arg(m_fileName, m_header.recordsField).arg(index).arg(error));
    }

    // A record the file gives for the first time. Of one that repeats the day of an earlier
    // record (the day a time series point is on, a headline's period ends on: the store keeps
    // one value a day), an identical copy is read once and a different one refuses the file.
    template <typename Point>
    bool isFirst(const Point &point, bool hasValue, RecordChecker &record, qsizetype index)
    {
        const QDate day = dayOf(point);
        FirstRecord<Point> &first = firstRecords(point)[toDayNumber(day)];
        if (first.index < 0) {
            first = {index, point, hasValue};
            return true;
        }
        const QString differs =
            hasValue != first.hasValue ? u"metric_value"_s : differingField(point, first.point);
        if (!differs.isEmpty())
            record.fail(m_headline ? u"period_end"_s : u"date"_s,
                        u"%1 repeats %2[%3] with another %4"_s
                            .arg(day.toString(Qt::ISODate), m_header.recordsField)
                            .arg(first.index)
                            .arg(differs));
        return false;
    }

    template <typename Point> struct FirstRecord {
        qsizetype index = -1; // -1: none yet
        Point point;
        bool hasValue = false;
    };
    QHash<qint64, FirstRecord<TimeSeriesPoint>> &firstRecords(const TimeSeriesPoint &)
    {
        return m_firstPoints;
    }
    QHash<qint64, FirstRecord<HeadlinePoint>> &firstRecords(const HeadlinePoint &)
    {
        return m_firstHeadlines;
    }
    static QDate dayOf(const TimeSeriesPoint &point) { return point.date; }
    static QDate dayOf(const HeadlinePoint &point) { return londonTime(point.periodEnd).date(); }

    // The first field two records of one day disagree on, an empty string if none.
    static QString differingField(const TimeSeriesPoint &a, const TimeSeriesPoint &b)
    {
        const std::pair<bool, const char16_t *> fields[] = {
            {a.value != b.value, u"metric_value"},
            {a.epiweek != b.epiweek, u"epiweek"},
            {a.embargo != b.embargo, u"embargo"},
            {a.isPublic != b.isPublic, u"is_public"},
            {a.inReportingDelay != b.inReportingDelay, u"in_reporting_delay_period"},
            {a.upperConfidence != b.upperConfidence, u"upper_confidence"},
            {a.lowerConfidence != b.lowerConfidence, u"lower_confidence"}};
        return firstTrue(fields);
    }
    static QString differingField(const HeadlinePoint &a, const HeadlinePoint &b)
    {
        const std::pair<bool, const char16_t *> fields[] = {
            {a.value != b.value, u"metric_value"},
            {a.periodStart != b.periodStart, u"period_start"},
            {a.periodEnd != b.periodEnd, u"period_end"},
            {a.embargo != b.embargo, u"embargo"},
            {a.isPublic != b.isPublic, u"is_public"},
            {a.upperConfidence != b.upperConfidence, u"upper_confidence"},
            {a.lowerConfidence != b.lowerConfidence, u"lower_confidence"}};
        return firstTrue(fields);
    }
    template <size_t N>
    static QString firstTrue(const std::pair<bool, const char16_t *> (&fields)[N])
    {
        for (const auto &[differs, name] : fields) {
            if (differs)
                return QString::fromUtf16(name);
        }
        return {};
    }

    bool add(const HeadlinePoint &point, QString *error)
    {
        return m_writer.addHeadline(m_seriesId, point, error);
    }
    bool add(const TimeSeriesPoint &point, QString *error)
    {
        return m_writer.addPoint(m_seriesId, point, error);
    }

    const QString &m_fileName;
    const FileHeader &m_header;
    const bool m_headline;
    const bool m_offSensitive;
    const qint64 m_seriesId;
    MetricsWriter &m_writer;
    ValidationErrors &m_errors;
    QHash<qint64, FirstRecord<TimeSeriesPoint>> m_firstPoints;  // by day
    QHash<qint64, FirstRecord<HeadlinePoint>> m_firstHeadlines; // by the day its period ends
};

} // namespace

QString UkhsaJsonReader::sizeError(qint64 bytes, const QString &fileName)
{
    if (bytes <= kMaxJsonFileBytes)
        return {};
    return u"%1: %2 bytes, over the %3 bytes a JSON file may hold"_s.arg(fileName).arg(bytes).arg(
        kMaxJsonFileBytes);
}

void UkhsaJsonReader::read(const QByteArray &content, const QString &fileName,
                           MetricsWriter &writer, ValidationErrors &errors)
{
    const QString tooLarge = sizeError(content.size(), fileName);
    if (!tooLarge.isEmpty()) {
        errors.add(tooLarge);
        return;
    }
    const auto root = parseDocument(content, fileName, errors);
    if (!root)
        return;
    const auto header = readHeader(*root, fileName, errors);
    if (!header)
        return;
    QString error;
    const auto seriesId = writer.seriesId(header->key, &error);
    if (!seriesId) {
        errors.add(u"%1: %2"_s.arg(fileName, error));
        return;
    }
    RecordReader records(fileName, *header, *seriesId, writer, errors);
    const QJsonArray array = root->value(header->recordsField).toArray();
    for (qsizetype i = 0; i < array.size(); ++i)
        records.read(array[i], i);
}

} // namespace isobar
