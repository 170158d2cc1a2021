#include "ServerCounters.h"

#include "monitoring/PrometheusNames.h"

#include <QList>
#include <limits>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// A label value up to its closing quote, with the format's three escapes (\\, \", \n).
std::optional<QString> readLabelValue(const QString &line, qsizetype &at)
{
    QString value;
    for (; at < line.size(); ++at) {
        const QChar c = line.at(at);
        if (c == u'"') {
            ++at;
            return value;
        }
        if (c == u'\\' && at + 1 < line.size()) {
            const QChar escaped = line.at(++at);
            value += escaped == u'n' ? QChar(u'\n') : escaped;
        } else {
            value += c;
        }
    }
    return std::nullopt;
}

std::optional<PrometheusSample> parseLine(const QString &line)
{
    PrometheusSample sample;
    qsizetype at = 0;
    while (at < line.size() && line.at(at) != u'{' && !line.at(at).isSpace())
        ++at;
    sample.name = line.left(at);
    if (sample.name.isEmpty())
        return std::nullopt;
    if (at < line.size() && line.at(at) == u'{') {
        ++at;
        while (at < line.size() && line.at(at) != u'}') {
            const qsizetype equals = line.indexOf(u'=', at);
            if (equals < 0 || equals + 1 >= line.size() || line.at(equals + 1) != u'"')
                return std::nullopt;
            const QString key = line.mid(at, equals - at).trimmed();
            at = equals + 2;
            const std::optional<QString> value = readLabelValue(line, at);
            if (!value)
                return std::nullopt;
            sample.labels.insert(key, *value);
            if (at < line.size() && line.at(at) == u',')
                ++at;
        }
        if (at >= line.size())
            return std::nullopt;
        ++at; // the closing brace
    }
    // The value, then an optional timestamp this page does not need.
    const QString value = line.mid(at).trimmed().section(u' ', 0, 0);
    if (value == u"+Inf") {
        sample.value = std::numeric_limits<double>::infinity();
        return sample;
    }
    if (value == u"-Inf") {
        sample.value = -std::numeric_limits<double>::infinity();
        return sample;
    }
    bool ok = false;
    sample.value = value.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return sample;
}

} // namespace

QList<PrometheusSample> PrometheusSample::parse(const QByteArray &text)
{
    QList<PrometheusSample> samples;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (const std::optional<PrometheusSample> sample = parseLine(line))
            samples.append(*sample);
    }
    return samples;
}

ServerCounters ServerCounters::fromPrometheus(const QByteArray &text)
{
    ServerCounters counters;
    for (const PrometheusSample &sample : PrometheusSample::parse(text)) {
        if (sample.name == QLatin1String(prometheus::kUpstreamCalls)) {
            counters.upstreamCalls += sample.value;
            if (sample.labels.value(u"outcome"_s) == u"failed")
                counters.upstreamFailures += sample.value;
        } else if (sample.name == QLatin1String(prometheus::kUpstreamBudgetRemaining)) {
            counters.budgetLeft = sample.value;
        } else if (sample.name == QLatin1String(prometheus::kWeatherCacheHits)) {
            counters.cacheHits = sample.value;
        } else if (sample.name == QLatin1String(prometheus::kWeatherCacheMisses)) {
            counters.cacheMisses = sample.value;
        } else if (sample.name == QLatin1String(prometheus::kWeatherCacheStale)) {
            counters.cacheStale = sample.value;
        }
    }
    return counters;
}

std::optional<double> ServerCounters::cacheHitRatio() const
{
    const double lookups = cacheHits + cacheMisses + cacheStale;
    if (lookups <= 0)
        return std::nullopt;
    return (cacheHits + cacheStale) / lookups;
}

} // namespace isobar
