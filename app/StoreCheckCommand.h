#pragma once

#include <QStringList>

namespace isobar {

// `isobar check-store [--database LOCATION]`: checks the metrics store as it is, without
// changing it (read-only, never migrated), after a crash or before a restore is put to use: on
// SQLite, its integrity check of every page, table and index; on both engines, the schema
// version. Exit 0 when sound, 1 when not, 2 when the store cannot be opened. The image carries
// no sqlite3, so this is how a container or an operator checks the store on its volume.
int runStoreCheckCommand(const QStringList &arguments);

} // namespace isobar
