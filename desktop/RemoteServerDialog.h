#pragma once

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;

namespace isobar {

// Asks for another Isobar server's URL and, for the stats API, a bearer token. The token field
// is masked and its value is handed to the caller only: it is never stored.
class RemoteServerDialog : public QDialog
{
    Q_OBJECT
public:
    RemoteServerDialog(const QString &title, const QUrl &url, bool askToken,
                       QWidget *parent = nullptr);

    QUrl url() const;
    QString token() const;

    void accept() override;

private:
    QLineEdit *m_url = nullptr;
    QLineEdit *m_token = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace isobar
