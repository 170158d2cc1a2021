#pragma once

#include <QtGlobal>

// The keys of the PostgreSQL advisory locks Isobar takes, in one place so that no two uses share
// one by accident. Any constants do, as long as every replica has the same.
namespace isobar::advisorylock {

// Held while a replica migrates the schema (SchemaMigrations).
inline constexpr qint64 kMigration = 0x15'0B'A2'00'00'00'00'01;
// Shared by request log batches, exclusive for folds (requestlog::beginWrite).
inline constexpr qint64 kRequestLogWrite = 0x15'0B'A2'00'00'00'00'02;
// Held for its life by the connection of the replica that maintains the request log
// (RequestLogWriter::claimMaintenance).
inline constexpr qint64 kRequestLogMaintenance = 0x15'0B'A2'00'00'00'00'03;
// Held for its life by the connection of the replica that takes files from the drop-off
// (DropoffPoint).
inline constexpr qint64 kDropoff = 0x15'0B'A2'00'00'00'00'04;

} // namespace isobar::advisorylock
