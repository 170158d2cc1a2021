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

    enum class Source { File, Environment, Keychain, None };
    struct Resolution {
        Source source = Source::None;
        QString key;     // empty when none was found
        QString where;   // "file /run/secrets/accuweather", "ISOBAR_ACCUWEATHER_API_KEY", "keychain"
        QString problem; // why a source that was asked for could not be used
    };

    explicit AccuWeatherKeyProvider(Keychain keychain = Keychain());

    // Looks in order; `useKeychain` false skips the keychain (containers have none).
    Resolution resolve(bool useKeychain = true) const;

    const Keychain &keychain() const { return m_keychain; }

private:
    Keychain m_keychain;
};

} // namespace isobar
