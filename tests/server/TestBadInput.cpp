// Hostile input on every route of a real `isobar serve` (see MetricsApiFixture.h). The routes and
// their parameters are read from the OpenAPI document the server serves, which TestOpenApi holds
// to the route table: a route added later is covered here as soon as it is documented. Every
// query and path parameter and every field of a JSON body gets each value of one corpus (huge
// numbers, NaN, bad dates, long and odd text, NUL, traversal, SQL), and every body each malformed
// shape. No answer may be a 5xx or a dropped connection; a 400 names what it refuses; the store
// is the same afterwards and the server still answers.

#include "MetricsApiFixture.h"
#include "MetricsDatabase.h"
#include "SandboxThread.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QUrlQuery>
#include <memory>
#include <variant>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kUpstreamKey = u"bad-input-upstream-key-5c31"_s;
// A request's Content-Type that says: send none.
const QByteArray kNoContentType = "none";

// One hostile value: how a query string or a path segment carries it (already percent-encoded,
// or deliberately not), and how a JSON body does (raw JSON text). An empty JSON text: the value
// has no JSON form of its own; `url` false: it is a JSON value only.
struct Hostile {
    const char *name;
    QByteArray wire;
    QByteArray json;
    bool url = true;
    // The connection layer refuses it before any route sees it (a request line it cannot
    // parse, a head or body over the limits), so the refusal cannot name a field.
    bool door = false;
    // In a body, the JSON parser refuses the whole body (a number out of double's range,
    // invalid UTF-8): a 400 that names no field either.
    bool malformedJson = false;
};

QByteArray jsonString(const QByteArray &utf8)
{
    QByteArray quoted =
        QJsonDocument(QJsonArray{QString::fromUtf8(utf8)}).toJson(QJsonDocument::Compact);
    return quoted.mid(1, quoted.size() - 2);
}

// The shared corpus. The servers under test take bodies up to 64 KiB (MetricsApiFixture) and
// heads up to 16 KiB (the default): the 100k-character values stop at the door, the 4k ones
// reach the routes.
const QList<Hostile> &corpus()
{
    static const QList<Hostile> values = [] {
        const QByteArray longText(4000, 'a');
        const QByteArray hugeText(100'000, 'a');
        return QList<Hostile>{
            {"1e309", "1e309", "1e309", true, false, true},
            {"20 digits", "99999999999999999999", "99999999999999999999"},
            {"minus one", "-1", "-1"},
            {"fraction", "0.5", "0.5"},
            {"NaN", "NaN", jsonString("NaN")},
            {"inf", "inf", jsonString("inf")},
            {"-inf", "-inf", jsonString("-inf")},
            {"Infinity", "Infinity", jsonString("Infinity")},
            {"30 February", "2023-02-30", jsonString("2023-02-30")},
            {"day zero", "0000-00-00", jsonString("0000-00-00")},
            {"9999-99-99", "9999-99-99", jsonString("9999-99-99")},
            {"empty", "", jsonString("")},
            {"4k characters", longText, jsonString(longText)},
            {"100k characters", hugeText, jsonString(hugeText), true, true},
            {"right to left", "%E2%80%AEdnalgnE%20%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9",
             jsonString("\u202e"
                        "dnalgnE العربية")},
            {"emoji", "%F0%9F%A6%A0%F0%9F%91%A9%E2%80%8D%F0%9F%94%AC",
             jsonString("🦠👩‍🔬")},
            {"combining marks", "E%CC%81%CC%81%CC%81ngland", jsonString("É́́ngland")},
            {"invalid UTF-8", "%FF%FE%C0%AF", "\"\xff\xfe\xc0\xaf\"", true, false, true},
            {"NUL", "%00", jsonString(QByteArray("\0", 1))},
            {"NUL inside", "England%00.json", jsonString(QByteArray("England\0.json", 13))},
            {"CR LF", "%0D%0AX-Injected:%201", jsonString("\r\nX-Injected: 1")},
            // Raw in a request line is malformed (Qt's JSON parser takes it in a string).
            {"raw control character",
             "a\x01"
             "b",
             "\"a\x01"
             "b\"",
             true, true},
            {"traversal", "../../etc/passwd", jsonString("../../etc/passwd")},
            {"encoded traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
             jsonString("%2e%2e%2f%2e%2e%2fetc%2fpasswd")},
            {"SQL or", "'%20OR%201=1%20--", jsonString("' OR 1=1 --")},
            {"SQL drop", "%3B%20DROP%20TABLE%20point%3B", jsonString("; DROP TABLE point;")},
            {"SQL wildcard", "%25", jsonString("%")},
            // JSON's wrong types, for every field whatever its own.
            {"null", {}, "null", false},
            {"true", {}, "true", false},
            {"array", {}, "[\"COVID-19\"]", false},
            {"object", {}, "{\"a\":1}", false},
            {"number for text", {}, "1", false},
        };
    }();
    return values;
}

// A body field's place: keys, and 0 for the first item of an array.
using Step = std::variant<QString, int>;
using FieldPath = QList<Step>;

QString pathText(const FieldPath &path)
{
    QString text;
    for (const Step &step : path) {
        if (const auto *key = std::get_if<QString>(&step))
            text += (text.isEmpty() ? QString() : u"."_s) + *key;
        else
            text += u"[0]"_s;
    }
    return text;
}

QString leafName(const FieldPath &path)
{
    for (auto it = path.crbegin(); it != path.crend(); ++it) {
        if (const auto *key = std::get_if<QString>(&*it))
            return *key;
    }
    return {};
}

QJsonValue withField(const QJsonValue &value, const FieldPath &path, qsizetype at,
                     const QJsonValue &replacement)
{
    if (at == path.size())
        return replacement;
    if (const auto *key = std::get_if<QString>(&path[at])) {
        QJsonObject object = value.toObject();
        object.insert(*key, withField(object.value(*key), path, at + 1, replacement));
        return object;
    }
    QJsonArray array = value.toArray();
    if (array.isEmpty())
        array.append(QJsonValue());
    array[0] = withField(array[0], path, at + 1, replacement);
    return array;
}

const QString kPlaceholder = u"@@hostile@@"_s;

// `body` with the field at `path` set to the raw JSON text `json`.
QByteArray bodyWith(const QJsonObject &body, const FieldPath &path, const QByteArray &json)
{
    const QJsonObject marked = withField(body, path, 0, kPlaceholder).toObject();
    return QJsonDocument(marked)
        .toJson(QJsonDocument::Compact)
        .replace(QByteArray('"' + kPlaceholder.toUtf8() + '"'), json);
}

// A documented operation, as /openapi.json describes it.
struct Parameter {
    QString name;
    QString in; // "path" or "query"
    bool required = false;
    QString example;
};

struct Operation {
    QByteArray method;
    QString path; // "/api/geographies/v2/{topic}"
    QList<Parameter> parameters;
    QList<FieldPath> bodyFields; // JSON bodies only
    bool takesBody = false;
};

// Everything the answers may be, besides a 400 naming the field and a refusal at the door.
enum Outcome : unsigned {
    Named = 0,
    Accepted = 1,   // 2xx: a filter matching nothing, or a value the route ignores
    NotFound = 2,   // 404: a name the route does not hold
    NoData = 4,     // UKHSA's 400 {"error_message": ...}: the filters matched no data
    UnNamed400 = 8, // a 400 for a whole body, which no one field is to blame for
};

// What a route may answer to a hostile value of a parameter besides a 400 naming it, and why.
// The first matching rule applies. `route` matches the documented path, `parameter` the
// parameter's or field's name (empty: any).
struct Rule {
    QRegularExpression route;
    QRegularExpression parameter;
    QRegularExpression value; // the corpus value's name; empty: any
    unsigned outcomes;
};

QList<Rule> rules()
{
    auto rule = [](const QString &route, const QString &parameter, const QString &value,
                   unsigned outcomes) {
        return Rule{QRegularExpression(route), QRegularExpression(parameter),
                    QRegularExpression(value), outcomes};
    };
    const QString timeseries = u"^/api/public/timeseries/"_s;
    return {
        // UKHSA's public API: a name it does not hold is a level without a link or an empty
        // page, and its filters take any text.
        rule(timeseries,
             u"^(theme|sub_theme|topic|geography_type|geography|metric|stratum|age|sex"
             "|in_reporting_delay_period)$"_s,
             {}, Accepted),
        // DRF answers a page it cannot read 404 ("Invalid page.") and ignores a page size it
        // cannot read.
        rule(timeseries, u"^page$"_s, {}, NotFound),
        rule(timeseries, u"^page_size$"_s, {}, Accepted),
        // A number no point has is an empty page.
        rule(timeseries, u"^(year|epiweek|month)$"_s, u"^(20 digits|minus one|fraction)$"_s,
             Accepted),
        // geographies/v3: a type nothing holds lists no geographies, as UKHSA's does.
        rule(u"^/api/geographies/v3$"_s, u"^geography_type$"_s, {}, Accepted),
        // headlines and trends: data_classification is taken and ignored, as UKHSA does; a
        // valid choice of name that holds no data is UKHSA's "No data" answer.
        rule(u"^/api/(headlines|trends)/v3$"_s, u"^data_classification$"_s, {}, Accepted),
        rule(u"^/api/(headlines|trends)/v3$"_s, {}, {}, NoData),
        // Tables, downloads, maps and charts check a body as UKHSA's serializers do: a filter
        // matching nothing is a null row or UKHSA's "No data" answer, labels and titles are
        // any text, and what UKHSA leaves unchecked (subplot axes, a map's theme, a download's
        // chart_type) is taken.
        rule(u"^/api/(tables|downloads|charts|maps)/"_s, {}, {}, Accepted | NoData),
        // Coordinates: -1 and 0.5 are places.
        rule(u"^/(prcpt|uvidx)$"_s, u"^(lt|lg)$"_s, u"^(minus one|fraction)$"_s, Accepted),
        rule(u"^/api/v1/weather/"_s, u"^(lat|lon)$"_s, u"^(minus one|fraction)$"_s, Accepted),
        // A unit system or language the weather API does not know is its default.
        rule(u"^/api/v1/weather/"_s, u"^(units|lang)$"_s, {}, Accepted),
        // The monitoring filters: a replica or endpoint no event names matches nothing.
        rule(u"^/api/v1/stats/"_s, u"^(replica|endpoint)$"_s, {}, Accepted),
        // An upload's name loses its folders (traversal leaves a plain name), then is checked.
        rule(u"^/api/upload$"_s, u"^filename$"_s, u"traversal"_s, Accepted),
    };
}

unsigned outcomesFor(const QString &route, const QString &parameter, const QString &value)
{
    static const QList<Rule> all = rules();
    for (const Rule &rule : all) {
        auto matches = [](const QRegularExpression &pattern, const QString &text) {
            return pattern.pattern().isEmpty() || pattern.match(text).hasMatch();
        };
        if (rule.route.match(route).hasMatch() && matches(rule.parameter, parameter)
            && matches(rule.value, value))
            return rule.outcomes;
    }
    return Named;
}

// The digest of everything the store holds that a request could change: dimensions, series,
// points, headlines, the data version and the drop-off's records. The request log and the
// weather cache's locations are meant to change.
QByteArray storeDigest(const QString &database, QString *error)
{
    MetricsDatabase store;
    if (!store.open(database)) {
        *error = store.errorString();
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &table :
         {u"theme"_s, u"sub_theme"_s, u"topic"_s, u"metric"_s, u"geography"_s, u"series"_s,
          u"point"_s, u"headline"_s, u"store_state"_s, u"ingest_run"_s}) {
        QSqlQuery query(store.connection());
        if (!query.exec(u"SELECT * FROM %1 ORDER BY 1, 2"_s.arg(table))) {
            *error = table + u": "_s + query.lastError().text();
            return {};
        }
        qint64 rows = 0;
        while (query.next()) {
            ++rows;
            for (int i = 0; i < query.record().count(); ++i)
                hash.addData(QByteArray(query.value(i).toString().toUtf8() + '\x1f'));
            hash.addData("\x1e");
        }
        hash.addData(QByteArray(table.toUtf8() + ':' + QByteArray::number(rows) + '\n'));
    }
    return hash.result().toHex();
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void baseRequestsSucceed_data();
    void baseRequestsSucceed();
    void parameters_data();
    void parameters();
    void bodyFields_data();
    void bodyFields();
    void bodies_data();
    void bodies();
    // Last: after every hostile request above.
    void storeUnchangedAndServing();

private:
    struct Request {
        QByteArray method;
        QByteArray target;
        QByteArray body;
        QByteArray contentType; // empty: application/json for a body; kNoContentType: none
    };
    Request baseRequest(const Operation &operation, const QString &replaced = {},
                        const QByteArray &value = {}) const;
    QJsonObject baseBody(const Operation &operation) const;
    HttpReply send(const Request &request);
    void addColumns() const;
    void verifyAnswer();

    SandboxThread m_upstream{kUpstreamKey, [] { return QDateTime::currentMSecsSinceEpoch(); }};
    MetricsApiServer m_api;
    QList<Operation> m_operations;
    std::unique_ptr<HttpClient> m_client;
    QByteArray m_digest;
    QByteArray m_servedBefore;
};

namespace {

// The JSON-schema `schema` with "$ref"s resolved in `document`.
QJsonObject resolved(const QJsonObject &document, QJsonObject schema)
{
    while (schema.contains(u"$ref")) {
        QJsonValue target = document;
        for (const QString &step : schema.value(u"$ref").toString().mid(2).split(u'/'))
            target = target.toObject().value(step);
        schema = target.toObject();
    }
    return schema;
}

// Every field of a body schema, nested objects and the first item of arrays included.
void collectFields(const QJsonObject &document, const QJsonObject &schema, const FieldPath &prefix,
                   QList<FieldPath> *fields, int depth = 0)
{
    const QJsonObject object = resolved(document, schema);
    if (depth > 6)
        return;
    const QJsonObject properties = object.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        FieldPath path = prefix;
        path << it.key();
        *fields << path;
        const QJsonObject property = resolved(document, it.value().toObject());
        if (property.value(u"type").toString() == u"object")
            collectFields(document, property, path, fields, depth + 1);
        const QJsonObject items = resolved(document, property.value(u"items").toObject());
        if (items.value(u"type").toString() == u"object" || items.contains(u"properties"))
            collectFields(document, items, path + FieldPath{0}, fields, depth + 1);
    }
}

QList<Operation> documentedOperations(const QJsonObject &document)
{
    QList<Operation> operations;
    const QJsonObject paths = document.value(u"paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = it.value().toObject();
        for (const QString &method : {u"get"_s, u"post"_s, u"put"_s, u"patch"_s, u"delete"_s}) {
            if (!item.contains(method))
                continue;
            const QJsonObject op = item.value(method).toObject();
            Operation operation{method.toUpper().toLatin1(), it.key(), {}, {}, false};
            QJsonArray parameters = item.value(u"parameters").toArray();
            for (const auto &value : op.value(u"parameters").toArray())
                parameters.append(value);
            for (const auto &value : std::as_const(parameters)) {
                const QJsonObject p = value.toObject();
                const QJsonValue example = p.value(u"example");
                operation.parameters << Parameter{
                    p.value(u"name").toString(), p.value(u"in").toString(),
                    p.value(u"required").toBool(),
                    example.isDouble() ? QString::number(example.toDouble()) : example.toString()};
            }
            const QJsonObject content =
                op.value(u"requestBody").toObject().value(u"content").toObject();
            operation.takesBody = !content.isEmpty();
            if (content.contains(u"application/json")) {
                collectFields(
                    document,
                    content.value(u"application/json").toObject().value(u"schema").toObject(), {},
                    &operation.bodyFields);
            }
            operations << operation;
        }
    }
    return operations;
}

// Values for the base requests, where the document's examples do not make a valid one: a
// request every field of which is right, so that the hostile value is its only fault.
const QHash<QString, QByteArray> kBaseQueries = {
    {u"/api/headlines/v3"_s,
     "topic=COVID-19&metric=COVID-19_headline_cases_7DayTotals&geography=England"
     "&geography_type=Nation&stratum=default&age=all&sex=all"},
    {u"/api/trends/v3"_s,
     "topic=COVID-19&metric=COVID-19_headline_ONSdeaths_7DayChange"
     "&percentage_metric=COVID-19_headline_ONSdeaths_7DayPercentChange&geography=England"
     "&geography_type=Nation&stratum=default&age=all&sex=all"},
    // Only one of the two may be given.
    {u"/api/geographies/v3"_s, "topic=COVID-19"},
    {u"/api/geographies/v3?geography_type"_s, "geography_type=Nation"},
    {u"/api/bulkdownloads/v1"_s, "file_format=csv"},
};

const QByteArray kPlot = "{\"topic\":\"COVID-19\",\"metric\":\"COVID-19_cases_casesByDay\","
                         "\"geography\":\"England\",\"geography_type\":\"Nation\","
                         "\"stratum\":\"default\",\"age\":\"all\",\"sex\":\"all\","
                         "\"date_from\":\"2022-12-01\",\"date_to\":\"2023-02-01\"";
const QByteArray kChartPlot = kPlot + ",\"chart_type\":\"line_multi_coloured\"}";
const QByteArray kSubplot =
    "{\"file_format\":\"svg\",\"chart_parameters\":{\"x_axis\":\"geography\",\"y_axis\":"
    "\"metric\",\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\",\"date_from\":"
    "\"2022-12-01\",\"date_to\":\"2023-02-01\",\"age\":\"all\",\"sex\":\"all\","
    "\"metric_value_ranges\":[{\"start\":0,\"end\":1000000}]},\"subplots\":"
    "[{\"subplot_title\":\"Cases\",\"subplot_parameters\":{\"topic\":\"COVID-19\",\"metric\":"
    "\"COVID-19_cases_casesByDay\",\"stratum\":\"default\"},\"plots\":[{\"label\":\"England\","
    "\"geography\":\"England\",\"geography_type\":\"Nation\",\"line_colour\":"
    "\"COLOUR_1_DARK_BLUE\"}]}]}";
const QByteArray kDualCategory =
    "{\"x_axis\":\"date\",\"y_axis\":\"metric\",\"static_fields\":{\"topic\":\"COVID-19\","
    "\"metric\":\"COVID-19_cases_rateRollingMean\",\"geography\":\"England\","
    "\"geography_type\":\"Nation\",\"stratum\":\"default\",\"sex\":\"all\",\"date_from\":"
    "\"2023-01-01\",\"date_to\":\"2023-01-31\"},\"secondary_category\":\"age\",\"segments\":"
    "[{\"secondary_field_value\":\"85-89\",\"colour\":\"COLOUR_1_DARK_BLUE\",\"label\":"
    "\"85 to 89\"},{\"secondary_field_value\":\"90+\",\"label\":\"90+\"}]";

// Charts are drawn small: a hostile label that is taken is drawn, a few hundred times.
const QByteArray kSmallSvg = "{\"file_format\":\"svg\",\"chart_width\":120,\"chart_height\":60,";
const QByteArray kChart = kSmallSvg + "\"plots\":[" + kChartPlot + "]}";

// A valid body for every documented route that takes JSON.
const QHash<QString, QByteArray> kBaseBodies = {
    {u"/api/tables/v4"_s, "{\"plots\":[" + kPlot + "}]}"},
    {u"/api/downloads/v2"_s, "{\"file_format\":\"json\",\"plots\":[" + kPlot + "}]}"},
    {u"/api/charts/v2"_s, kChart},
    {u"/api/charts/v3"_s, kChart},
    {u"/api/tables/subplot/v1"_s, kSubplot},
    {u"/api/downloads/subplot/v1"_s, QByteArray(kSubplot).replace("\"svg\"", "\"json\"")},
    {u"/api/charts/subplot/v1"_s,
     QByteArray(kSubplot).replace("{\"file_format\":\"svg\",", kSmallSvg)},
    {u"/api/tables/dual-category/v1"_s, kDualCategory + '}'},
    {u"/api/downloads/dual-category/v1"_s, kDualCategory + ",\"file_format\":\"json\"}"},
    {u"/api/charts/dual-category/v1"_s,
     kDualCategory + ',' + kSmallSvg.mid(1) + "\"chart_type\":\"stacked_bar\"}"},
    {u"/api/maps/v1"_s,
     "{\"date_from\":\"2020-01-01\",\"date_to\":\"2025-12-31\",\"parameters\":{\"theme\":"
     "\"infectious_disease\",\"sub_theme\":\"respiratory\",\"topic\":\"COVID-19\",\"metric\":"
     "\"COVID-19_cases_casesByDay\",\"stratum\":\"default\",\"age\":\"all\",\"sex\":\"all\","
     "\"geography_type\":\"Nation\",\"geographies\":[\"England\"]},\"accompanying_points\":"
     "[{\"label_prefix\":\"Cases in England: \",\"label_suffix\":\"\",\"parameters\":"
     "{\"metric\":\"COVID-19_cases_casesByDay\",\"geography_type\":\"Nation\",\"geography\":"
     "\"England\"}}]}"},
};

// The upload: a fixture already in the store, so a valid upload changes nothing.
const QString kUploadName = u"COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"_s;

QByteArray uploadBody()
{
    QFile file(fixturesDir() + u"/metrics/"_s + kUploadName);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

void TestBadInput::initTestCase()
{
    AccuWeatherSandbox *upstream = m_upstream.startSandbox();
    QVERIFY(upstream->port() != 0);
    // The weather routes' valid requests reach a sandbox, not AccuWeather; the server takes the
    // key from its environment, which it inherits.
    qputenv("ISOBAR_ACCUWEATHER_API_KEY", kUpstreamKey.toUtf8());
    m_api.start({u"--enable-upload"_s, u"--accuweather-url"_s,
                 u"http://127.0.0.1:%1"_s.arg(upstream->port())});
    QVERIFY(m_api.port() != 0);

    const HttpReply document = m_api.get("/openapi.json");
    QCOMPARE(document.status, 200);
    m_operations = documentedOperations(document.json().object());
    QVERIFY(m_operations.size() > 50);

    QString error;
    m_digest = storeDigest(m_api.database(), &error);
    QVERIFY2(!m_digest.isEmpty(), qPrintable(error));
    const HttpReply served = m_api.get(kCasesByDay + "?page_size=3&page=2");
    QCOMPARE(served.status, 200);
    m_servedBefore = served.body;
}

void TestBadInput::cleanupTestCase()
{
    // Exit code 0: no sanitizer report in the server either.
    m_api.stop();
}

TestBadInput::Request TestBadInput::baseRequest(const Operation &operation, const QString &replaced,
                                                const QByteArray &value) const
{
    Request request{operation.method, {}, {}, {}};
    QString path = operation.path;
    for (const Parameter &p : operation.parameters) {
        if (p.in != u"path")
            continue;
        const QByteArray segment =
            p.name == replaced
                ? value
                : QUrl::toPercentEncoding(p.example.isEmpty() ? u"COVID-19"_s : p.example);
        path.replace(QString(u'{' + p.name + u'}'), QString::fromLatin1(segment));
    }
    request.target = path.toLatin1();

    QByteArray query =
        kBaseQueries.value(operation.path + u'?' + replaced, kBaseQueries.value(operation.path));
    QUrlQuery given(QString::fromLatin1(query));
    for (const Parameter &p : operation.parameters) {
        if (p.in == u"query" && p.required && !given.hasQueryItem(p.name) && !p.example.isEmpty()) {
            query += (query.isEmpty() ? "" : "&") + p.name.toLatin1() + '='
                     + QUrl::toPercentEncoding(p.example);
        }
    }
    if (!replaced.isEmpty() && !operation.path.contains(QString(u'{' + replaced + u'}'))) {
        // The hostile value replaces the parameter's base value, or joins the query.
        QByteArrayList items;
        for (const QByteArray &item : query.split('&')) {
            if (!item.isEmpty() && item.split('=').constFirst() != replaced.toLatin1())
                items << item;
        }
        items << replaced.toLatin1() + '=' + value;
        query = items.join('&');
    }
    if (!query.isEmpty())
        request.target += '?' + query;

    if (operation.path == u"/api/upload") {
        request.body = uploadBody();
        request.contentType = "application/json";
    } else if (operation.takesBody) {
        request.body = kBaseBodies.value(operation.path);
    }
    return request;
}

QJsonObject TestBadInput::baseBody(const Operation &operation) const
{
    return QJsonDocument::fromJson(kBaseBodies.value(operation.path)).object();
}

HttpReply TestBadInput::send(const Request &request)
{
    QByteArray raw = request.method + ' ' + request.target + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!request.body.isEmpty() || request.method != "GET") {
        if (request.contentType != kNoContentType) {
            raw += "Content-Type: "
                   + (request.contentType.isEmpty() ? QByteArray("application/json")
                                                    : request.contentType)
                   + "\r\n";
        }
        raw += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    }
    raw += "\r\n" + request.body;
    // One connection while the server keeps it open: a hostile request must leave it fit for
    // the next. A reused connection the server has just closed gets one fresh try.
    for (bool reused = true; reused;) {
        reused = m_client && m_client->isConnected();
        if (!reused)
            m_client = std::make_unique<HttpClient>(m_api.port());
        m_client->sendRaw(raw);
        const std::optional<HttpReply> reply = m_client->readReply(30000);
        if (reply) {
            if (reply->header("connection") == "close")
                m_client.reset();
            return *reply;
        }
        m_client.reset();
    }
    return {};
}

void TestBadInput::baseRequestsSucceed_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    for (const Operation &operation : std::as_const(m_operations)) {
        const Request request = baseRequest(operation);
        QTest::newRow(qPrintable(QString::fromLatin1(operation.method) + u' ' + operation.path))
            << request.method << request.target << request.body << request.contentType;
    }
}

// The hostile rows change one thing of these: each must be right as it is.
void TestBadInput::baseRequestsSucceed()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    const HttpReply reply = send({method, target, body, contentType});
    QVERIFY2(
        reply.status >= 200 && reply.status < 300,
        qPrintable(u"%1 %2: %3 %4"_s.arg(QString::fromLatin1(method), QString::fromLatin1(target))
                       .arg(reply.status)
                       .arg(QString::fromUtf8(reply.body.left(400)))));
}

void TestBadInput::addColumns() const
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QString>("field"); // empty: the body as a whole
    QTest::addColumn<uint>("outcomes");
    QTest::addColumn<bool>("whole"); // refused whole: the 4xx need not name the field
}

void TestBadInput::parameters_data()
{
    addColumns();
    for (const Operation &operation : std::as_const(m_operations)) {
        auto parameters = operation.parameters;
        // A parameter no route declares: refused by name, or ignored.
        parameters << Parameter{u"undeclared"_s, u"query"_s, false, {}};
        for (const Parameter &p : std::as_const(parameters)) {
            auto add = [&](const char *name, const Request &request, bool door) {
                unsigned outcomes = outcomesFor(operation.path, p.name, QLatin1String(name));
                // A path naming nothing is a 404; a parameter a route does not read, an empty
                // optional one, and one given twice (either value valid) may be taken.
                if (p.in == u"path")
                    outcomes |= NotFound;
                if (p.name == u"undeclared" || qstrcmp(name, "given twice") == 0
                    || (!p.required && qstrcmp(name, "empty") == 0))
                    outcomes |= Accepted;
                QTest::addRow("%s %s %s: %s", operation.method.constData(),
                              qPrintable(operation.path), qPrintable(p.name), name)
                    << request.method << request.target << request.body << request.contentType
                    << operation.path << p.name << outcomes << door;
            };
            for (const Hostile &value : corpus()) {
                if (value.url)
                    add(value.name, baseRequest(operation, p.name, value.wire), value.door);
            }
            if (p.in == u"query") {
                Request twice = baseRequest(operation, p.name, "1");
                twice.target += '&' + p.name.toLatin1() + "=2";
                add("given twice", twice, false);
            }
        }
    }
}

void TestBadInput::bodyFields_data()
{
    addColumns();
    for (const Operation &operation : std::as_const(m_operations)) {
        if (operation.bodyFields.isEmpty())
            continue;
        const QJsonObject body = baseBody(operation);
        QVERIFY2(!body.isEmpty(), qPrintable(u"no valid body for "_s + operation.path));
        const Request base = baseRequest(operation);
        for (const FieldPath &path : operation.bodyFields) {
            const QString field = pathText(path);
            for (const Hostile &value : corpus()) {
                if (value.json.isEmpty())
                    continue;
                const unsigned outcomes =
                    outcomesFor(operation.path, leafName(path), QLatin1String(value.name));
                QTest::addRow("%s %s %s: %s", operation.method.constData(),
                              qPrintable(operation.path), qPrintable(field), value.name)
                    << base.method << base.target << bodyWith(body, path, value.json)
                    << base.contentType << operation.path << leafName(path) << outcomes
                    << (value.door || value.malformedJson);
            }
        }
    }
}

void TestBadInput::bodies_data()
{
    addColumns();
    const QByteArray nestedArrays(60'000, '[');
    QByteArray nestedObjects;
    for (int i = 0; i < 10'000; ++i)
        nestedObjects += "{\"a\":";
    // clang-format off
    const QList<std::pair<const char *, Request>> shapes = {
        {"text/plain", {{}, {}, {}, "text/plain"}},
        {"form-encoded", {{}, {}, "plots=1&file_format=csv", "application/x-www-form-urlencoded"}},
        {"no content type", {{}, {}, {}, kNoContentType}},
        {"multipart garbage", {{}, {}, "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n\x01\x02garbage", "multipart/form-data; boundary=x"}},
        {"multipart without boundary", {{}, {}, "--x\r\n\r\n", "multipart/form-data"}},
        {"empty", {{}, {}, "", {}}},
        {"truncated", {{}, {}, "{\"plots\":[{\"topic\":", {}}},
        {"single quotes", {{}, {}, "{'plots': []}", {}}},
        {"trailing comma", {{}, {}, "{\"plots\":[],}", {}}},
        {"NaN token", {{}, {}, "{\"chart_width\":NaN,\"plots\":[]}", {}}},
        {"raw NUL", {{}, {}, QByteArray("{\"plots\":\"\0\"}", 14), {}}},
        {"invalid UTF-8", {{}, {}, "{\"plots\":\"\xff\xfe\"}", {}}},
        {"top-level array", {{}, {}, "[]", {}}},
        {"top-level null", {{}, {}, "null", {}}},
        {"top-level string", {{}, {}, "\"plots\"", {}}},
        {"top-level number", {{}, {}, "1e309", {}}},
        {"duplicate keys", {{}, {}, "{\"plots\":null,\"plots\":[],\"plots\":\"x\"}", {}}},
        {"60k nested arrays", {{}, {}, nestedArrays, {}}},
        {"10k nested objects", {{}, {}, nestedObjects, {}}},
        {"100k nested arrays (over the body limit)", {{}, {}, QByteArray(100'000, '['), {}}},
        {"70k of JSON (over the body limit)", {{}, {}, "{\"plots\":[],\"pad\":\"" + QByteArray(70'000, 'a') + "\"}", {}}},
    };
    // clang-format on
    for (const Operation &operation : std::as_const(m_operations)) {
        if (!operation.takesBody)
            continue;
        const Request base = baseRequest(operation);
        for (const auto &[name, shape] : shapes) {
            Request request = base;
            if (!shape.body.isNull())
                request.body = shape.body;
            if (!shape.contentType.isEmpty())
                request.contentType = shape.contentType;
            const bool overLimit = request.body.size() > 65536;
            // A valid body under another media type or none is read as JSON all the same (DRF
            // would answer 415; these routes change nothing, so a cross-site text/plain POST
            // gains nothing); an upload takes its format from the file's name.
            const unsigned outcomes = shape.body.isNull() ? Accepted | UnNamed400 : UnNamed400;
            QTest::addRow("%s %s: %s", operation.method.constData(), qPrintable(operation.path),
                          name)
                << request.method << request.target << request.body << request.contentType
                << operation.path << QString() << outcomes << overLimit;
        }
    }
}

void TestBadInput::parameters()
{
    verifyAnswer();
}

void TestBadInput::bodyFields()
{
    verifyAnswer();
}

void TestBadInput::bodies()
{
    verifyAnswer();
}

// The current row's request, answered as its outcomes allow: never a 5xx or no answer.
void TestBadInput::verifyAnswer()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, route);
    QFETCH(QString, field);
    QFETCH(uint, outcomes);
    QFETCH(bool, whole);

    const HttpReply reply = send({method, target, body, contentType});
    const QString answer =
        u"%1 %2"_s.arg(reply.status).arg(QString::fromUtf8(reply.body.left(300)));
    QVERIFY2(reply.status != 0, "no answer: the connection closed or timed out");
    QVERIFY2(reply.status < 500, qPrintable(answer));
    if (reply.status >= 200 && reply.status < 300) {
        QVERIFY2(outcomes & Accepted, qPrintable(u"accepted: "_s + answer));
        return;
    }
    QVERIFY2(reply.status >= 400, qPrintable(answer));
    if (reply.status == 404) {
        QVERIFY2(outcomes & NotFound, qPrintable(answer));
        return;
    }
    if (whole || reply.status != 400)
        return; // 413, 414, 415, 431: refused whole
    const QByteArray answerType = reply.header("content-type");
    const bool problem = answerType == "application/problem+json";
    QVERIFY2(problem || answerType.startsWith("application/json"), qPrintable(answer));
    const QJsonObject object = reply.json().object();
    if (!problem && object.contains(u"error_message") && (outcomes & NoData))
        return;
    if (field.isEmpty() || (outcomes & UnNamed400))
        return;
    if (problem) {
        const QString named = object.value(u"field").toString();
        QVERIFY2(named == field || named.endsWith(QString(u'.' + field))
                     || named.startsWith(QString(field + u'.'))
                     || named.startsWith(QString(field + u'[')),
                 qPrintable(u"field \"%1\" not named: %2"_s.arg(field, answer)));
    } else {
        QVERIFY2(reply.body.contains(QByteArray('"' + field.toUtf8() + '"')),
                 qPrintable(u"field \"%1\" not named: %2"_s.arg(field, answer)));
    }
}

void TestBadInput::storeUnchangedAndServing()
{
    QString error;
    const QByteArray digest = storeDigest(m_api.database(), &error);
    QVERIFY2(!digest.isEmpty(), qPrintable(error));
    QCOMPARE(digest, m_digest);
    const HttpReply served = m_api.get(kCasesByDay + "?page_size=3&page=2");
    QCOMPARE(served.status, 200);
    QCOMPARE(served.body, m_servedBefore);
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "TestBadInput.moc"
