#include "IngestRunJson.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace isobar::IngestRunJson {

namespace {

const QString kId = u"id"_s;
const QString kSource = u"source"_s;
const QString kFile = u"file"_s;
const QString kVersion = u"version"_s;
const QString kBytes = u"bytes"_s;
const QString kOutcome = u"outcome"_s;
const QString kStarted = u"started"_s;
const QString kFinished = u"finished"_s;
const QString kReplica = u"replica"_s;
const QString kCounts = u"counts"_s;
const QString kInserted = u"inserted"_s;
const QString kUpdated = u"updated"_s;
const QString kUnchanged = u"unchanged"_s;
const QString kSkipped = u"skipped"_s;
const QString kErrors = u"errors"_s;

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 msOf(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

} // namespace

QJsonObject toJson(const IngestRun &run)
{
    return QJsonObject{
        {kId, run.id},
        {kSource, run.source},
        {kFile, run.file},
        {kVersion, run.version},
        {kBytes, run.bytes},
        {kOutcome, IngestRun::outcomeName(run.outcome)},
        {kStarted, isoTime(run.startedMs)},
        {kFinished, isoTime(run.finishedMs)},
        {kReplica, run.replica},
        {kCounts, QJsonObject{{kInserted, run.counts.inserted},
                              {kUpdated, run.counts.updated},
                              {kUnchanged, run.counts.unchanged},
                              {kSkipped, run.counts.skipped}}},
        {kErrors, QJsonArray::fromStringList(run.errors)},
    };
}

std::optional<IngestRun> fromJson(const QJsonObject &object)
{
    const auto outcome = IngestRun::outcomeNamed(object.value(kOutcome).toString());
    if (!outcome || !object.value(kFile).isString())
        return std::nullopt;
    IngestRun run;
    run.id = object.value(kId).toInteger();
    run.source = object.value(kSource).toString();
    run.file = object.value(kFile).toString();
    run.version = object.value(kVersion).toString();
    run.bytes = object.value(kBytes).toInteger();
    run.outcome = *outcome;
    run.startedMs = msOf(object.value(kStarted));
    run.finishedMs = msOf(object.value(kFinished));
    run.replica = object.value(kReplica).toString();
    const QJsonObject counts = object.value(kCounts).toObject();
    run.counts.inserted = counts.value(kInserted).toInteger();
    run.counts.updated = counts.value(kUpdated).toInteger();
    run.counts.unchanged = counts.value(kUnchanged).toInteger();
    run.counts.skipped = counts.value(kSkipped).toInteger();
    for (const auto &error : object.value(kErrors).toArray())
        run.errors << error.toString();
    return run;
}

} // namespace isobar::IngestRunJson
