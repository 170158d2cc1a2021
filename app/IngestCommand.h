#pragma once

#include <QStringList>

namespace isobar {

// `isobar ingest [--database FILE] [--dry-run] PATH...`; returns the process exit code.
int runIngestCommand(const QStringList &arguments);

} // namespace isobar
