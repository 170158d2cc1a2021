#include "AccuWeatherKeyProvider.h"

#include <QFile>

namespace isobar {

namespace {
constexpr qint64 kMaxKeyFileBytes = 4096;
}

AccuWeatherKeyProvider::AccuWeatherKeyProvider(Keychain keychain)
    : m_keychain(std::move(keychain))
{
}

AccuWeatherKeyProvider::Resolution AccuWeatherKeyProvider::resolve(bool useKeychain) const
{
    Resolution resolution;
    const QString file = qEnvironmentVariable(kFileVariable);
    if (!file.isEmpty()) {
        QFile secret(file);
        if (!secret.open(QIODevice::ReadOnly)) {
            resolution.problem = QStringLiteral("%1 names %2, which cannot be read: %3")
                                     .arg(QLatin1String(kFileVariable), file, secret.errorString());
            return resolution; // a configured source that fails must not silently fall through
        }
        resolution.key = QString::fromUtf8(secret.read(kMaxKeyFileBytes)).trimmed();
        resolution.source = Source::File;
        resolution.where = QStringLiteral("file %1").arg(file);
        if (resolution.key.isEmpty())
            resolution.problem = QStringLiteral("the key file %1 is empty").arg(file);
        return resolution;
    }
    const QString variable = qEnvironmentVariable(kVariable).trimmed();
    if (!variable.isEmpty()) {
        resolution.key = variable;
        resolution.source = Source::Environment;
        resolution.where = QLatin1String(kVariable);
        return resolution;
    }
    if (!useKeychain)
        return resolution;
    const Keychain::Result stored = m_keychain.read(QLatin1String(kKeychainKey));
    if (stored.ok()) {
        resolution.key = stored.secret.trimmed();
        resolution.source = Source::Keychain;
        resolution.where = QStringLiteral("keychain");
    } else if (stored.status != Keychain::Status::NotFound) {
        resolution.problem = QStringLiteral("keychain: %1 (%2)").arg(Keychain::statusName(stored.status), stored.error);
    }
    return resolution;
}

} // namespace isobar
