#include "StoreLocation.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Seconds libpq waits for a connection when the URL does not say: a store that does not answer
// is reported, not waited for (libpq's own default is to wait forever).
constexpr int kDefaultConnectTimeoutSeconds = 5;

bool isPostgresqlUrl(const QString &text)
{
    return text.startsWith(u"postgresql://") || text.startsWith(u"postgres://");
}

std::optional<StoreLocation> parsePostgresql(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = u"not a valid PostgreSQL URL: %1"_s.arg(url.errorString());
        return std::nullopt;
    }
    if (!url.password().isEmpty()) {
        *error = u"the URL holds a password, which would show in process lists "
                 "and logs: put it in a .pgpass file named by PGPASSFILE or the "
                 "URL's passfile parameter"_s;
        return std::nullopt;
    }
    StoreLocation location;
    location.engine = StoreLocation::Engine::Postgresql;
    location.host = url.host();
    location.port = url.port(-1);
    location.user = url.userName();
    location.databaseName = url.path().mid(1);
    if (location.databaseName.contains(u'/')) {
        *error = u"'%1' is not a database name"_s.arg(location.databaseName);
        return std::nullopt;
    }
    // Values go into libpq's key=value string: nothing that could end one pair or start another.
    static const QRegularExpression plainValue(u"^[A-Za-z0-9_./:@+-]+$"_s);
    bool timeoutGiven = false;
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (!StoreLocation::postgresqlParameters().contains(key)) {
            *error = u"unknown PostgreSQL URL parameter '%1' (known: %2)"_s.arg(
                key, StoreLocation::postgresqlParameters().join(u", "));
            return std::nullopt;
        }
        if (!plainValue.match(value).hasMatch()) {
            *error = u"the value of '%1' must be letters, digits or ./:@+_-"_s.arg(key);
            return std::nullopt;
        }
        timeoutGiven = timeoutGiven || key == u"connect_timeout";
        location.options.append(key + u'=' + value);
    }
    if (!timeoutGiven)
        location.options.append(u"connect_timeout=%1"_s.arg(kDefaultConnectTimeoutSeconds));
    return location;
}

} // namespace

const QStringList &StoreLocation::postgresqlParameters()
{
    static const QStringList known = {
        u"sslmode"_s,  u"sslrootcert"_s,     u"sslcert"_s,          u"sslkey"_s,
        u"passfile"_s, u"connect_timeout"_s, u"application_name"_s, u"target_session_attrs"_s,
    };
    return known;
}

std::optional<StoreLocation> StoreLocation::parse(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *error = u"no store: give a SQLite file or a postgresql:// URL"_s;
        return std::nullopt;
    }
    if (isPostgresqlUrl(trimmed))
        return parsePostgresql(trimmed, error);
    StoreLocation location;
    if (trimmed.startsWith(u"sqlite:")) {
        // sqlite:/abs/path, sqlite:///abs/path (an empty authority) or sqlite:relative/path
        QString rest = trimmed.mid(int(qstrlen("sqlite:")));
        if (rest.startsWith(u"//"))
            rest = rest.mid(2);
        location.sqlitePath = QUrl::fromPercentEncoding(rest.toUtf8());
        if (location.sqlitePath.isEmpty()) {
            *error = u"'%1' names no file"_s.arg(trimmed);
            return std::nullopt;
        }
        return location;
    }
    if (trimmed.contains(u"://"_s)) {
        *error = u"'%1': only sqlite: and postgresql:// stores are supported"_s.arg(
            trimmed.section(u"://"_s, 0, 0));
        return std::nullopt;
    }
    location.sqlitePath = text;
    return location;
}

QString StoreLocation::displayName() const
{
    if (engine == Engine::Sqlite)
        return sqlitePath;
    QString where = host.isEmpty() ? u"(libpq default host)"_s : host;
    if (port > 0)
        where += u':' + QString::number(port);
    const QString name = databaseName.isEmpty() ? u"(default database)"_s : databaseName;
    return u"postgresql://%1%2/%3"_s.arg(user.isEmpty() ? QString() : user + u'@', where, name);
}

} // namespace isobar
