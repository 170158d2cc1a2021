#pragma once

#include "IngestRun.h"

#include <QJsonObject>
#include <optional>

namespace isobar::IngestRunJson {

// One run as GET /api/v1/ingest/runs writes it, each key spelled here once, for writing and for
// reading back (the desktop's Operations page).
QJsonObject toJson(const IngestRun &run);
// Nothing when `object` is not a run.
std::optional<IngestRun> fromJson(const QJsonObject &object);

} // namespace isobar::IngestRunJson
