#include "AccuWeatherKeyProvider.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// A mounted secret holds one key and a newline; anything much larger is the wrong file.
constexpr qint64 kMaxKeyFileBytes = 4096;

// RFC 6750 b64token: what may follow "Bearer " in an Authorization header.
bool isTokenCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
           || c == u'-' || c == u'.' || c == u'_' || c == u'~' || c == u'+' || c == u'/';
}

} // namespace

AccuWeatherKeyProvider::AccuWeatherKeyProvider(Keychain keychain)
    : m_keychain(std::move(keychain))
{}

QString AccuWeatherKeyProvider::sourceName(Source source)
{
    switch (source) {
    case Source::File:
        return u"file"_s;
    case Source::Environment:
        return u"environment"_s;
    case Source::Keychain:
        return u"keychain"_s;
    case Source::None:
        return u"none"_s;
    }
    return {};
}

QString AccuWeatherKeyProvider::keyShapeProblem(const QString &key)
{
    if (key.isEmpty())
        return u"the key is empty"_s;
    if (key.size() < kMinKeyLength || key.size() > kMaxKeyLength)
        return u"the key is %1 characters long; an AccuWeather key has %2 to %3"_s.arg(key.size())
            .arg(kMinKeyLength)
            .arg(kMaxKeyLength);
    qsizetype end = key.size();
    while (end > 0 && key.at(end - 1) == u'=')
        --end;
    for (qsizetype i = 0; i < end; ++i) {
        if (!isTokenCharacter(key.at(i)))
            return u"the key contains a character that is not allowed (position %1); "
                   "an AccuWeather "
                   "key is letters, digits and - . _ ~ + /"_s.arg(i + 1);
    }
    if (end == 0)
        return u"the key is only '=' signs"_s;
    return {};
}

AccuWeatherKeyProvider::Resolution AccuWeatherKeyProvider::resolve(bool useKeychain) const
{
    Resolution resolution;
    auto accept = [&resolution](QString key, const QString &what) {
        if (const QString problem = keyShapeProblem(key); !problem.isEmpty()) {
            resolution.problem = u"%1: %2"_s.arg(what, problem);
            return;
        }
        resolution.key = std::move(key);
    };

    const QString file = qEnvironmentVariable(kFileVariable);
    if (!file.isEmpty()) {
        resolution.source = Source::File;
        resolution.where = u"file %1"_s.arg(file);
        QFile secret(file);
        if (QFileInfo(file).isDir()) {
            resolution.problem = u"%1 names %2, which is a folder, not a file"_s.arg(
                QLatin1String(kFileVariable), file);
            return resolution;
        }
        if (!secret.open(QIODevice::ReadOnly)) {
            resolution.problem = u"%1 names %2, which cannot be read: %3"_s.arg(
                QLatin1String(kFileVariable), file, secret.errorString());
            return resolution;
        }
        const QByteArray content = secret.read(kMaxKeyFileBytes + 1);
        if (content.size() > kMaxKeyFileBytes) {
            resolution.problem =
                u"the key file %1 is larger than %2 bytes; it should hold only the key"_s.arg(file)
                    .arg(kMaxKeyFileBytes);
            return resolution;
        }
        const QString key = QString::fromUtf8(content).trimmed();
        if (key.isEmpty()) {
            resolution.problem = u"the key file %1 is empty"_s.arg(file);
            return resolution;
        }
        accept(key, u"the key file %1"_s.arg(file));
        return resolution;
    }

    const QString variable = qEnvironmentVariable(kVariable).trimmed();
    if (!variable.isEmpty()) {
        resolution.source = Source::Environment;
        resolution.where = QLatin1String(kVariable);
        accept(variable, QLatin1String(kVariable));
        return resolution;
    }

    if (!useKeychain)
        return resolution;
    const QString entry = u"keychain: %1, service \"%2\", key \"%3\""_s.arg(
        Keychain::backendName(), m_keychain.service(), QLatin1String(kKeychainKey));
    const Keychain::Result stored = m_keychain.read(QLatin1String(kKeychainKey));
    resolution.keychainStatus = stored.status;
    if (stored.status == Keychain::Status::NotFound)
        return resolution; // nothing anywhere: Source::None
    resolution.source = Source::Keychain;
    resolution.where = entry;
    if (!stored.ok()) {
        resolution.problem = u"%1: %2"_s.arg(Keychain::statusName(stored.status), stored.error);
        return resolution;
    }
    accept(stored.secret.trimmed(), u"the keychain entry"_s);
    return resolution;
}

} // namespace isobar
