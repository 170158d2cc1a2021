// Key sets as an OpenID provider publishes them (server/auth/JsonWebKeySet) on arbitrary
// bytes: every key kept must be found by its kid, and every key neither kept nor skipped with
// a reason is a defect.
#include "FuzzSupport.h"
#include "auth/JsonWebKeySet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdlib>

using namespace isobar;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = fuzz::bytes(data, size);
    QStringList skipped;
    const JsonWebKeySet set = JsonWebKeySet::parse(json, &skipped);
    for (const QString &kid : set.kids()) {
        const JsonWebKey *key = set.find(kid);
        if (!key || !key->key)
            abort();
    }
    const QJsonArray published = QJsonDocument::fromJson(json).object().value(u"keys").toArray();
    if (set.size() > published.size())
        abort();
    return 0;
}
