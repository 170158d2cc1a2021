#pragma once

#include "Keychain.h"

#include <QString>

namespace isobar {

// Answers "what is the ACCWEA key", in this order: ISOBAR_ACCUWEATHER_API_KEY_FILE (a mounted
// secret), ISOBAR_ACCUWEATHER_API_KEY, then the OS keychain (service "isobar", key
// "accuweather-api-key"). It reports where the key came from, never the key.
class AccuWeatherKeyProvider
{
public:
    static constexpr const char *kFileVariable = "ISOBAR_ACCUWEATHER_API_KEY_FILE";
    static constexpr const char *kVariable = "ISOBAR_ACCUWEATHER_API_KEY";
    static constexpr const char *kKeychainKey = "accuweather-api-key";
    static constexpr int kMinKeyLength = 8;
    static constexpr int kMaxKeyLength = 256;

    enum class Source { File, Environment, Keychain, None };
    struct Resolution {
        Source source = Source::None; // the source that answered (or failed), None if none is set
        QString key;                  // empty unless a usable key was found
        QString where;   // "file /run/secrets/accuweather", "ISOBAR_ACCUWEATHER_API_KEY", "keychain
                         // (...)"
        QString problem; // why the source that answered cannot be used; never the key
        Keychain::Status keychainStatus = Keychain::Status::NotFound; // when the keychain was asked
        bool usable() const { return !key.isEmpty() && problem.isEmpty(); }
    };

    explicit AccuWeatherKeyProvider(Keychain keychain = Keychain());

    // Looks in order; `useKeychain` false skips the keychain (containers have none). A source
    // that is set but unusable (unreadable or empty file, bad key) is reported, and the later
    // sources are not consulted: falling through would silently use a key nobody meant.
    Resolution resolve(bool useKeychain = true) const;

    const Keychain &keychain() const { return m_keychain; }

    // "file", "environment", "keychain", "none".
    static QString sourceName(Source source);
    // Why `key` cannot be an AccuWeather API key (it goes into an Authorization header), or
    // an empty string when it can. Never quotes the key.
    static QString keyShapeProblem(const QString &key);

private:
    Keychain m_keychain;
};

} // namespace isobar
