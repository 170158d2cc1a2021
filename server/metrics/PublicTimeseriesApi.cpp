#include "PublicTimeseriesApi.h"

#include "DateParsing.h"
#include "MetricsQuery.h"
#include "UkhsaWire.h"
#include "http/JsonBytes.h"

#include <QDate>
#include <QRegularExpression>
#include <charconv>
#include <cmath>
#include <string_view>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The drill-down: collection and path parameter of each level, from the top, and whether the
// collection's list is spelt with a trailing slash (UKHSA's URL patterns: only the first two).
struct Level {
    const char *collection;
    const char *parameter;
    bool listSlash;
};
constexpr Level kLevels[] = {
    {"themes", "theme", true},           {"sub_themes", "sub_theme", true},
    {"topics", "topic", false},          {"geography_types", "geography_type", false},
    {"geographies", "geography", false}, {"metrics", "metric", false},
};
constexpr int kLevelCount = int(std::size(kLevels));

// v1 writes names as they are; v2 writes a space as '+' in names' links and reads '+' back.
enum class Tree { V1, V2 };

QString storeName(Tree tree, QString value)
{
    return tree == Tree::V2 ? value.replace(u'+', u' ') : value;
}

QString linkName(Tree tree, QString name)
{
    return tree == Tree::V2 ? name.replace(u' ', u'+') : name;
}

// "themes/<theme>/sub_themes/<sub_theme>/" for the levels above `level`.
QString parentPattern(int level)
{
    QString path;
    for (int i = 0; i < level; ++i)
        path += u"%1/<%2>/"_s.arg(QLatin1String(kLevels[i].collection),
                                  QLatin1String(kLevels[i].parameter));
    return path;
}

QString listPattern(int level)
{
    return parentPattern(level) + QLatin1String(kLevels[level].collection)
           + (kLevels[level].listSlash ? u"/"_s : QString());
}

// The list of `level` below the request's path values, as a link: percent-encoded as Django's
// reverse() writes it, the values as the client sent them.
QString listLink(const QString &treeUrl, int level, const RouteParams &params)
{
    QString link = treeUrl;
    for (int i = 0; i < level; ++i)
        link += QLatin1String(kLevels[i].collection) + u'/'
                + QString::fromLatin1(
                    UkhsaWire::pathSegment(params.value(QLatin1String(kLevels[i].parameter))))
                + u'/';
    return link + QLatin1String(kLevels[level].collection)
           + (kLevels[level].listSlash ? u"/"_s : QString());
}

// The store's names of the path values above `level`.
QStringList parentNames(Tree tree, int level, const RouteParams &params)
{
    QStringList names;
    for (int i = 0; i < level; ++i)
        names << storeName(tree, params.value(QLatin1String(kLevels[i].parameter)));
    return names;
}

HttpResponse jsonAnswer(QByteArray body)
{
    return UkhsaWire::viewAnswer(HttpResponse::bytes(std::move(body), "application/json"));
}

// ---- the time-series leaf ------------------------------------------------------------------

constexpr int kDefaultPageSize = 5;
constexpr int kMaxPageSize = 365;

// Python's int() of a query value: blanks around, an optional sign, digits.
std::optional<qint64> pythonInt(const QString &text)
{
    static const QRegularExpression integer(u"^\\s*[+-]?\\d+\\s*$"_s);
    if (!integer.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok ? std::optional(value) : std::nullopt;
}

// DRF's page size: the parameter when it is a positive whole number, at most the maximum;
// the default for anything else.
int pageSize(const UkhsaWire::QueryItems &items)
{
    const auto text = UkhsaWire::lastValue(items, u"page_size"_s);
    const auto value = text ? pythonInt(*text) : std::nullopt;
    if (!value || *value <= 0)
        return kDefaultPageSize;
    return int(qMin<qint64>(*value, kMaxPageSize));
}

// A filter's value as django-filter reads it: absent or blank means no filter.
std::optional<QString> filterValue(const UkhsaWire::QueryItems &items, const QString &name)
{
    auto value = UkhsaWire::lastValue(items, name);
    if (!value || value->isEmpty())
        return std::nullopt;
    return value;
}

// What the query string asks of the leaf; `errors` as DRF lists them, field by field.
struct LeafFilters {
    PointSelection selection;
    bool matchesNothing = false; // a number no point can have (2023.5, a year 99999)
    QList<std::pair<QString, QString>> errors;
};

// A number filter (django-filter's NumberFilter: any decimal number); only a whole number in
// [minimum, maximum] can match a point.
void numberFilter(const UkhsaWire::QueryItems &items, const QString &name, int minimum, int maximum,
                  std::optional<int> *target, LeafFilters *filters)
{
    const auto text = filterValue(items, name);
    if (!text)
        return;
    bool ok = false;
    const double number = text->trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(number)) {
        filters->errors.append({name, u"Enter a number."_s});
        return;
    }
    if (number != std::trunc(number) || number < minimum || number > maximum)
        filters->matchesNothing = true;
    else
        *target = int(number);
}

void dateFilter(const UkhsaWire::QueryItems &items, const QString &name,
                std::optional<QDate> *target, LeafFilters *filters)
{
    const auto text = filterValue(items, name);
    if (!text)
        return;
    const QDate date = QDate::fromString(text->trimmed(), Qt::ISODate);
    if (!date.isValid())
        filters->errors.append({name, u"Enter a valid date."_s});
    else
        *target = date;
}

LeafFilters leafFilters(const UkhsaWire::QueryItems &items)
{
    LeafFilters filters;
    PointSelection &s = filters.selection;
    // UKHSA's filters, in its order (its errors list them so), then Isobar's.
    s.stratum = filterValue(items, u"stratum"_s).value_or(QString());
    s.sex = filterValue(items, u"sex"_s).value_or(QString());
    s.age = filterValue(items, u"age"_s).value_or(QString());
    numberFilter(items, u"year"_s, 1, 9999, &s.year, &filters);
    numberFilter(items, u"epiweek"_s, 0, 53, &s.epiweek, &filters);
    dateFilter(items, u"date"_s, &s.date, &filters);
    // django-filter's boolean: true/1 and false/0 in any case; anything else filters nothing.
    if (const auto delay = filterValue(items, u"in_reporting_delay_period"_s)) {
        const QString value = delay->toLower();
        if (value == u"true" || value == u"1")
            s.inReportingDelay = true;
        else if (value == u"false" || value == u"0")
            s.inReportingDelay = false;
    }
    // UKHSA documents `month` but does not apply it; Isobar does.
    numberFilter(items, u"month"_s, 1, 12, &s.month, &filters);
    dateFilter(items, u"date_from"_s, &s.from, &filters);
    dateFilter(items, u"date_to"_s, &s.to, &filters);
    if (s.from && s.to && *s.to < *s.from)
        filters.errors.append({u"date_to"_s, u"Must not be before date_from."_s});
    return filters;
}

// One result of the leaf, in UKHSA's field order; the names a series shares are written once
// per series.
class LeafPointWriter
{
public:
    void append(QByteArray &out, const PublicPoint &point)
    {
        out += fragment(point.series.get());
        // The rest goes through one buffer into one append: a QByteArray append per field, a
        // temporary per number and three calendar conversions per date were a tenth of a read.
        const auto [year, month, day] = civilDate(point.date); // stored: years 1 to 9999
        char text[192]; // the literals below (81) and the widest values (67)
        char *end = text;
        const auto put = [&end](std::string_view literal) {
            end = std::copy(literal.begin(), literal.end(), end);
        };
        const auto number = [&end, &text](int value) {
            end = std::to_chars(end, text + sizeof text, value).ptr;
        };
        number(year);
        put(",\"month\":");
        number(month);
        put(",\"epiweek\":");
        number(point.epiweek);
        put(",\"date\":\"");
        end = writeIsoDate(end, year, month, day);
        put("\",\"metric_value\":");
        end = UkhsaWire::writePythonFloat(end, point.value);
        put(",\"in_reporting_delay_period\":");
        put(point.inReportingDelay ? "true}" : "false}");
        out.append(text, end - text);
    }

private:
    const QByteArray &fragment(const SeriesDescription *s)
    {
        auto known = m_fragments.constFind(s);
        if (known != m_fragments.constEnd())
            return *known;
        using JsonBytes::string;
        return *m_fragments.insert(
            s, "{\"theme\":" + string(s->theme) + ",\"sub_theme\":" + string(s->subTheme)
                   + ",\"topic\":" + string(s->topic) + ",\"geography_type\":"
                   + string(s->geographyType) + ",\"geography\":" + string(s->geography)
                   + ",\"geography_code\":" + string(s->geographyCode) + ",\"metric\":"
                   + string(s->metric) + ",\"metric_group\":" + string(s->metricGroup)
                   + ",\"stratum\":" + string(s->stratum) + ",\"sex\":" + string(s->sex)
                   + ",\"age\":" + string(s->age) + ",\"year\":");
    }

    QHash<const SeriesDescription *, QByteArray> m_fragments;
};

qint64 pageCount(qint64 total, int size)
{
    return qMax<qint64>(1, (total + size - 1) / size);
}

QByteArray linkOrNull(const QString &link)
{
    return link.isNull() ? QByteArrayLiteral("null") : JsonBytes::string(link);
}

} // namespace

PublicTimeseriesApi::PublicTimeseriesApi(QueryRunner &runner, QString mount, ResponseCache *cache)
    : m_runner(runner)
    , m_mount(std::move(mount))
    , m_cache(cache)
{}

QString PublicTimeseriesApi::checkMount(const QString &mount)
{
    static const QRegularExpression shape(u"^/([A-Za-z0-9._~-]+/)*$"_s);
    if (!shape.match(mount).hasMatch())
        return u"must be a path that starts and ends with '/', such as /api/public/timeseries/"_s;
    return {};
}

void PublicTimeseriesApi::registerRoutes(Router &router)
{
    for (const Tree tree : {Tree::V1, Tree::V2}) {
        const QString treePath = m_mount + (tree == Tree::V2 ? u"v2/"_s : QString());
        auto add = [&](const QString &pattern, const QString &summary, RouteHandler handler) {
            router.add("GET", treePath + pattern, summary,
                       UkhsaWire::exactSlash(pattern.isEmpty() ? treePath : pattern,
                                             cachedRoute(m_cache, std::move(handler))));
            UkhsaWire::refuseMethodsAsDrf(router, treePath + pattern);
        };
        const QString version = tree == Tree::V2 ? u"v2: "_s : QString();

        add({}, version + u"Public API root, linking to the themes"_s,
            [treePath](const HttpRequest &request, const RouteParams &) {
                return readyResponse(jsonAnswer(
                    "{\"links\":{\"themes\":"
                    + JsonBytes::string(request.baseUrl() + treePath + u"themes/"_s) + "}}"));
            });

        for (int level = 0; level < kLevelCount; ++level) {
            const QString collection = QLatin1String(kLevels[level].collection);
            const QString parameter = QLatin1String(kLevels[level].parameter);
            const QString list = listPattern(level);
            add(list, version + u"The %1 with public data, each with its link"_s.arg(collection),
                [this, tree, treePath, level](const HttpRequest &request,
                                              const RouteParams &params) {
                    const QStringList parents = parentNames(tree, level, params);
                    QString base = listLink(request.baseUrl() + treePath, level, params);
                    if (!base.endsWith(u'/'))
                        base += u'/';
                    return m_runner.run([tree, level, parents, base](MetricsQuery &query) {
                        QByteArray body = "[";
                        for (const QString &name :
                             query.childNames(CatalogueLevel(level), parents)) {
                            if (body.size() > 1)
                                body += ',';
                            body +=
                                "{\"name\":" + JsonBytes::string(storeName(tree, name))
                                + ",\"link\":"
                                + JsonBytes::string(base
                                                    + QString::fromLatin1(UkhsaWire::pathSegment(
                                                        linkName(tree, name))))
                                + '}';
                        }
                        return jsonAnswer(body + ']');
                    });
                });
            QString detail = list;
            if (detail.endsWith(u'/'))
                detail.chop(1);
            detail += u"/<%1>"_s.arg(parameter);
            if (level + 1 == kLevelCount) {
                add(detail, version + u"Paginated public points of one metric"_s,
                    [this, tree](const HttpRequest &request, const RouteParams &params) {
                        return timeseries(tree == Tree::V2, request, params);
                    });
                continue;
            }
            const QString next = QLatin1String(kLevels[level + 1].collection);
            add(detail, version + u"One %1, linking to its %2"_s.arg(parameter, next),
                [this, tree, treePath, level, next](const HttpRequest &request,
                                                    const RouteParams &params) {
                    const QStringList names = parentNames(tree, level + 1, params);
                    const QString link = listLink(request.baseUrl() + treePath, level + 1, params);
                    return m_runner.run([level, names, next, link](MetricsQuery &query) {
                        // UKHSA filters its rows by the path and lists what is left: one link,
                        // or none for a name it does not hold.
                        const bool held =
                            query.childNames(CatalogueLevel(level), names.first(level))
                                .contains(names.constLast());
                        return jsonAnswer(held ? "[{" + JsonBytes::string(next) + ':'
                                                     + JsonBytes::string(link) + "}]"
                                               : QByteArrayLiteral("[]"));
                    });
                });
        }
    }
}

QFuture<HttpResponse> PublicTimeseriesApi::timeseries(bool v2, const HttpRequest &request,
                                                      const RouteParams &params)
{
    const UkhsaWire::QueryItems items = UkhsaWire::queryItems(request);
    LeafFilters filters = leafFilters(items);
    if (!filters.errors.isEmpty())
        return readyResponse(UkhsaWire::viewAnswer(UkhsaWire::fieldErrors(filters.errors)));
    // UKHSA's v2 leaf filters by the names with their '+' (and so finds nothing for a name with
    // a space); Isobar reads them back as its lists wrote them, so every link leads to data.
    const Tree tree = v2 ? Tree::V2 : Tree::V1;
    const QStringList path = parentNames(tree, kLevelCount, params);
    PointSelection &selection = filters.selection;
    selection.theme = path[0];
    selection.subTheme = path[1];
    selection.topic = path[2];
    selection.geographyType = path[3];
    selection.geography = path[4];
    selection.metric = path[5];
    const int size = pageSize(items);
    // DRF reads a blank page as the first, as it reads no page at all.
    QString pageText = UkhsaWire::lastValue(items, u"page"_s).value_or(QString());
    if (pageText.isEmpty())
        pageText = u"1"_s;
    const bool matchesNothing = filters.matchesNothing;
    return m_runner.run([=](MetricsQuery &store) {
        // Django's paginator: a whole number from 1 to the last page (page 1 exists even when
        // nothing matches), or "last".
        qint64 total = 0;
        std::optional<qint64> page = pythonInt(pageText);
        if (pageText == u"last") {
            if (!matchesNothing)
                store.points(selection, 0, 0, &total);
            page = pageCount(total, size);
        }
        if (!page || *page < 1)
            return UkhsaWire::viewAnswer(UkhsaWire::detail(404, u"Invalid page."_s));
        QList<PublicPoint> points;
        if (!matchesNothing) // a page far beyond the data reads nothing, then is refused below
            points = store.points(selection, qMin(*page - 1, qint64(1) << 40) * size, size, &total);
        const qint64 lastPage = pageCount(total, size);
        if (*page > lastPage)
            return UkhsaWire::viewAnswer(UkhsaWire::detail(404, u"Invalid page."_s));
        const QString next =
            *page < lastPage ? UkhsaWire::pageLink(request, items, int(*page + 1)) : QString();
        const QString previous =
            *page > 1 ? UkhsaWire::pageLink(
                request, items, *page == 2 ? std::nullopt : std::optional(int(*page - 1)))
                      : QString();
        QByteArray body = "{\"count\":" + QByteArray::number(total)
                          + ",\"next\":" + linkOrNull(next)
                          + ",\"previous\":" + linkOrNull(previous) + ",\"results\":[";
        body.reserve(body.size() + points.size() * 420 + 2);
        LeafPointWriter writer;
        for (qsizetype i = 0; i < points.size(); ++i) {
            if (i > 0)
                body += ',';
            writer.append(body, points[i]);
        }
        body += "]}";
        return jsonAnswer(std::move(body));
    });
}

} // namespace isobar
