#include "RemoteServerDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace isobar {

RemoteServerDialog::RemoteServerDialog(const QString &title, const QUrl &url, bool askToken,
                                       QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    m_url = new QLineEdit(url.toString());
    m_url->setPlaceholderText(u"https://isobar.example.org"_s);
    m_url->setAccessibleName(tr("Server URL"));
    m_url->setMinimumWidth(360);
    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &RemoteServerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RemoteServerDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Server &URL:"), m_url);
    if (askToken) {
        m_token = new QLineEdit;
        m_token->setEchoMode(QLineEdit::Password);
        m_token->setPlaceholderText(tr("Access token with the isobar:admin scope"));
        m_token->setAccessibleName(tr("Bearer token"));
        form->addRow(tr("&Token:"), m_token);
        auto *hint = new QLabel(tr("Leave empty for a server run with --no-auth. The token "
                                   "is kept in memory only."));
        hint->setWordWrap(true);
        form->addRow(hint);
    }
    form->addRow(m_problem);
    form->addRow(buttons);
}

QUrl RemoteServerDialog::url() const
{
    return QUrl::fromUserInput(m_url->text().trimmed());
}

QString RemoteServerDialog::token() const
{
    return m_token ? m_token->text().trimmed() : QString();
}

void RemoteServerDialog::accept()
{
    const QUrl chosen = url();
    if (!chosen.isValid() || (chosen.scheme() != u"http" && chosen.scheme() != u"https")) {
        m_problem->setText(tr("Server URL: give an http:// or https:// address"));
        m_problem->show();
        return;
    }
    QDialog::accept();
}

} // namespace isobar
