#pragma once

#include "IngestRun.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTableView;

namespace isobar {

class IngestRunModel;

// The drop-off as the ops page shows it: whether the watched server scans it (or another replica
// does, or it cannot be read, and why), then the files taken from it, newest first.
class DropoffPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DropoffPanel(QWidget *parent = nullptr);

    // An answer of GET /api/v1/ingest/runs.
    void setAnswer(const QJsonObject &answer);
    // No answer (the last refresh failed): says so and empties the table.
    void clear(const QString &why);

    QString statusText() const;
    const IngestRunModel *model() const { return m_model; }

private:
    QLabel *m_status;
    IngestRunModel *m_model;
    QTableView *m_view;
};

} // namespace isobar
