#include "ZipArchive.h"

#include <zip.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// What an archive without entries is: its end-of-central-directory record alone (libzip writes
// nothing for it).
const QByteArray kEmptyArchive = QByteArray("PK\x05\x06", 4) + QByteArray(18, '\0');

QString zipError(zip_error_t *error)
{
    return QString::fromUtf8(zip_error_strerror(error));
}

} // namespace

void ZipArchive::add(const QString &path, QByteArray content)
{
    m_files.append({path, std::move(content)});
}

std::optional<QByteArray> ZipArchive::bytes(QString *error) const
{
    if (m_files.isEmpty())
        return kEmptyArchive;
    zip_error_t zipErrorState;
    zip_error_init(&zipErrorState);
    zip_source_t *buffer = zip_source_buffer_create(nullptr, 0, 0, &zipErrorState);
    zip_t *archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &zipErrorState) : nullptr;
    auto failed = [&](const QString &why) -> std::optional<QByteArray> {
        *error = why;
        zip_error_fini(&zipErrorState);
        return std::nullopt;
    };
    if (!archive) {
        if (buffer)
            zip_source_free(buffer);
        return failed(zipError(&zipErrorState));
    }
    zip_source_keep(buffer); // the archive's bytes outlive the archive
    for (const auto &[path, content] : m_files) {
        // The contents stay alive (m_files) until zip_close() reads them.
        zip_source_t *file =
            zip_source_buffer(archive, content.constData(), zip_uint64_t(content.size()), 0);
        const zip_int64_t index =
            file ? zip_file_add(archive, path.toUtf8().constData(), file, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0
            || zip_set_file_compression(archive, zip_uint64_t(index), ZIP_CM_DEFLATE, 0) < 0) {
            const QString why = zipError(zip_get_error(archive));
            if (file && index < 0)
                zip_source_free(file);
            zip_discard(archive);
            zip_source_free(buffer);
            return failed(why);
        }
    }
    if (zip_close(archive) < 0) {
        const QString why = zipError(zip_get_error(archive));
        zip_discard(archive);
        zip_source_free(buffer);
        return failed(why);
    }
    QByteArray out;
    zip_stat_t stat;
    if (zip_source_stat(buffer, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) != 0
        && zip_source_open(buffer) == 0) {
        out.resize(qsizetype(stat.size));
        const zip_int64_t read = zip_source_read(buffer, out.data(), stat.size);
        zip_source_close(buffer);
        if (read != zip_int64_t(stat.size))
            out.clear();
    }
    zip_source_free(buffer);
    if (out.isEmpty())
        return failed(u"the archive could not be read back"_s);
    zip_error_fini(&zipErrorState);
    return out;
}

} // namespace isobar
