#include "FileDialogs.h"

#include <QAbstractFileIconProvider>
#include <QCoreApplication>
#include <QMimeDatabase>
#include <memory>

namespace isobar::FileDialogs {

namespace {

// Types and icons by file name only (see FileDialogs.h for why a file's content is off limits).
// A child of the dialog made after its file model, so it is deleted after the model is.
class NameOnlyIconProvider : public QObject, public QAbstractFileIconProvider
{
public:
    using QAbstractFileIconProvider::icon;
    using QObject::QObject;

    QIcon icon(const QFileInfo &info) const override { return icon(info.isDir() ? Folder : File); }

    QString type(const QFileInfo &info) const override
    {
        if (info.isDir())
            return QCoreApplication::translate("FileDialogs", "Folder");
        const QMimeType mime = m_mimeTypes.mimeTypeForFile(info, QMimeDatabase::MatchExtension);
        return mime.isDefault() ? QCoreApplication::translate("FileDialogs", "File")
                                : mime.comment();
    }

private:
    QMimeDatabase m_mimeTypes;
};

QString firstOrEmpty(const QStringList &files)
{
    return files.isEmpty() ? QString() : files.constFirst();
}

} // namespace

QFileDialog *create(QWidget *parent, const QString &caption, const QString &directory,
                    const QString &filter)
{
    auto *dialog = new QFileDialog(parent, caption, directory, filter);
    dialog->setOption(QFileDialog::DontUseNativeDialog);
    dialog->setIconProvider(new NameOnlyIconProvider(dialog));
    return dialog;
}

QString saveFileName(QWidget *parent, const QString &caption, const QString &path,
                     const QString &filter, QString *selectedFilter, QFileDialog::Options options)
{
    std::unique_ptr<QFileDialog> dialog(create(parent, caption, path, filter));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setOptions(dialog->options() | options);
    if (selectedFilter && !selectedFilter->isEmpty())
        dialog->selectNameFilter(*selectedFilter);
    if (dialog->exec() != QDialog::Accepted)
        return {};
    if (selectedFilter)
        *selectedFilter = dialog->selectedNameFilter();
    return firstOrEmpty(dialog->selectedFiles());
}

QStringList openFileNames(QWidget *parent, const QString &caption, const QString &directory,
                          const QString &filter)
{
    std::unique_ptr<QFileDialog> dialog(create(parent, caption, directory, filter));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    return dialog->exec() == QDialog::Accepted ? dialog->selectedFiles() : QStringList();
}

QString existingDirectory(QWidget *parent, const QString &caption, const QString &directory)
{
    std::unique_ptr<QFileDialog> dialog(create(parent, caption, directory));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    return dialog->exec() == QDialog::Accepted ? firstOrEmpty(dialog->selectedFiles()) : QString();
}

} // namespace isobar::FileDialogs
