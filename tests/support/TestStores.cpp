#include "TestStores.h"

#include <QFile>

namespace isobar::test {

QString TestStores::fresh(const QString &name)
{
    if (!onPostgresql()) {
        QString path = m_dir.filePath(name + u".db");
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(path + QLatin1String(suffix));
        return path;
    }
    const PostgresqlTestDatabase &database = m_databases.emplace_back();
    if (!database.isValid()) {
        m_error = database.errorString();
        return {};
    }
    return database.url();
}

} // namespace isobar::test
