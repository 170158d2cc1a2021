#include "DropoffPanel.h"

#include "IngestRunModel.h"
#include "ingest/IngestRunJson.h"

#include <QDateTime>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// One line about the drop-off, from the "dropoff" object /health also shows.
QString describe(const QJsonObject &dropoff)
{
    const QString status = dropoff.value(u"status").toString();
    const QString source = dropoff.value(u"source").toString();
    if (status == u"off" || status.isEmpty())
        return DropoffPanel::tr("This server has no drop-off (serve --dropoff). Files other "
                                "replicas took are listed below.");
    if (status == u"unavailable")
        return DropoffPanel::tr("Drop-off %1 cannot be read: %2")
            .arg(source, dropoff.value(u"error").toString());
    if (status == u"standby")
        return DropoffPanel::tr("Drop-off %1: another replica takes its files.").arg(source);
    if (status == u"starting")
        return DropoffPanel::tr("Drop-off %1: starting.").arg(source);
    const QDateTime lastScan =
        QDateTime::fromString(dropoff.value(u"last_scan").toString(), Qt::ISODateWithMs);
    QString text =
        DropoffPanel::tr("Drop-off %1: watched by this server, last looked at %2.")
            .arg(source, QLocale().toString(lastScan.toLocalTime().time(), QLocale::ShortFormat));
    if (dropoff.contains(u"error"))
        text += u' ' + DropoffPanel::tr("Last failure: %1").arg(dropoff.value(u"error").toString());
    return text;
}

} // namespace

DropoffPanel::DropoffPanel(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_model(new IngestRunModel(this))
    , m_view(new QTableView(this))
{
    m_status->setObjectName(u"dropoffStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_view->setObjectName(u"ingestRunsView"_s);
    m_view->setAccessibleName(tr("Files taken from the drop-off"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(IngestRunModel::File, QHeaderView::Stretch);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
}

void DropoffPanel::setAnswer(const QJsonObject &answer)
{
    QList<IngestRun> runs;
    for (const auto &item : answer.value(u"runs").toArray()) {
        if (const auto run = IngestRunJson::fromJson(item.toObject()))
            runs << *run;
    }
    m_model->setRuns(runs);
    m_status->setText(describe(answer.value(u"dropoff").toObject()));
}

void DropoffPanel::clear(const QString &why)
{
    m_model->setRuns({});
    m_status->setText(why);
}

QString DropoffPanel::statusText() const
{
    return m_status->text();
}

} // namespace isobar
