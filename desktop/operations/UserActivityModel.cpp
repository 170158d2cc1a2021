#include "UserActivityModel.h"

#include "monitoring/CallerNames.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace isobar {

QString UserActivityModel::callerName(const QString &recorded)
{
    // "addr:127.0.0.1" -> "127.0.0.1 (address)": where no token is checked, the address.
    const QStringView prefix(CallerNames::kAddressPrefix);
    return recorded.startsWith(prefix) ? tr("%1 (address)").arg(recorded.mid(prefix.size()))
                                       : recorded;
}

namespace {

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

UserActivityModel::UserActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void UserActivityModel::setUsers(const QList<UserActivity> &users)
{
    beginResetModel();
    m_users = users;
    endResetModel();
}

int UserActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

int UserActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

// Today's times alone ("03:07:51"), older ones with their day ("6 Dec 23:10"): the caller's
// name keeps the width.
QString UserActivityModel::seenText(qint64 ms)
{
    const QDateTime local = utc(ms).toLocalTime();
    return local.date() == QDate::currentDate() ? local.toString(u"HH:mm:ss"_s)
                                                : QLocale().toString(local, u"d MMM HH:mm"_s);
}

QVariant UserActivityModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_users.size())
        return {};
    const UserActivity &user = m_users.at(index.row());
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Subject:
            return callerName(user.subject);
        case Requests:
            return locale.toString(user.requests);
        case Errors:
            return locale.toString(user.errors);
        case RateLimited:
            return locale.toString(user.limited);
        case FirstSeen:
            return seenText(user.firstSeenMs);
        case LastSeen:
            return seenText(user.lastSeenMs);
        }
        break;
    case Qt::EditRole:
        switch (index.column()) {
        case Subject:
            return user.subject;
        case Requests:
            return user.requests;
        case Errors:
            return user.errors;
        case RateLimited:
            return user.limited;
        case FirstSeen:
            return utc(user.firstSeenMs);
        case LastSeen:
            return utc(user.lastSeenMs);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Subject)
            return user.subject.startsWith(QStringView(CallerNames::kAddressPrefix))
                       ? tr("No token checked: requests from this address")
                       : tr("Token subject, or what a refused request presented");
        if (index.column() == FirstSeen)
            return utc(user.firstSeenMs).toString(Qt::ISODate);
        if (index.column() == LastSeen)
            return utc(user.lastSeenMs).toString(Qt::ISODate);
        if (index.column() == Errors && user.requests > 0)
            return tr("%1% of this subject's requests")
                .arg(QLocale().toString(100.0 * double(user.errors) / double(user.requests), 'f',
                                        1));
        if (index.column() == RateLimited)
            return tr("Requests refused with 429 because this caller was over its rate limit "
                      "(also counted in Errors)");
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Requests || index.column() == Errors || index.column() == RateLimited)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant UserActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Subject:
        return tr("Caller");
    case Requests:
        return tr("Requests");
    case Errors:
        return tr("Errors");
    case RateLimited:
        return tr("429");
    case FirstSeen:
        return tr("First seen");
    case LastSeen:
        return tr("Last seen");
    }
    return {};
}

} // namespace isobar
