// Bearer tokens (server/auth/JwtVerifier) on arbitrary bytes, against the keys in
// fuzz/jwks.json (an RSA and a P-256 key; corpus/jwt holds tokens they signed). A token that
// passes must carry what the hot path relies on: an expiry still ahead.
#include "FuzzSupport.h"
#include "auth/JwtVerifier.h"

#include <QFile>
#include <cstdlib>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kNow = 1'800'000'000;

const JsonWebKeySet &keys()
{
    static const JsonWebKeySet set = [] {
        QFile file(QStringLiteral(ISOBAR_FUZZ_DIR "/jwks.json"));
        if (!file.open(QIODevice::ReadOnly))
            abort();
        return JsonWebKeySet::parse(file.readAll());
    }();
    return set;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TokenRequirements requirements;
    requirements.issuer = u"https://issuer.fuzz"_s;
    requirements.audience = u"isobar"_s;
    static const JwtVerifier verifier(requirements);
    const JwtVerifier::Result result = verifier.verify(fuzz::bytes(data, size), keys(), kNow);
    if (result.ok() && result.token.expiresAt + requirements.leewaySeconds <= kNow)
        abort();
    return 0;
}
