#pragma once

#include "UserActivity.h"

#include <QAbstractTableModel>

namespace isobar {

// Requests per caller (GET /api/v1/stats/users) as a table: token subjects, what refused
// requests presented ("anonymous", "invalid token"), or client addresses where no token is
// checked (CallerNames). Numbers and times are given
// as numbers and QDateTimes under Qt::EditRole, which the page's proxy sorts by, so "9" sorts
// before "10" and times sort in time order, whatever the display format.
class UserActivityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Subject, Requests, Errors, RateLimited, FirstSeen, LastSeen, ColumnCount };

    explicit UserActivityModel(QObject *parent = nullptr);

    void setUsers(const QList<UserActivity> &users);
    const QList<UserActivity> &users() const { return m_users; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A recorded caller as the table shows it: "addr:10.0.0.7" -> "10.0.0.7 (address)".
    static QString callerName(const QString &recorded);

private:
    static QString seenText(qint64 ms);

    QList<UserActivity> m_users;
};

} // namespace isobar
