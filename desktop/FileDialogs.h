#pragma once

#include <QFileDialog>
#include <QString>
#include <QStringList>

namespace isobar::FileDialogs {

// Every file dialog of the desktop, built so that it never opens the files it lists.
//
// Qt's dialog asks QMimeDatabase for each file's type and icon, and that reads a file whose
// name says too little (a .db store). Closing any descriptor of a file drops every POSIX lock
// this process holds on it, SQLite's included: another process (sqlite3, `isobar ingest`) may
// then take the store for unused, checkpoint it and delete its WAL under our connections,
// which corrupts it. So types and icons come from names alone here, and platform dialogs
// (which may look into files in-process too) are not used.
QFileDialog *create(QWidget *parent, const QString &caption, const QString &directory,
                    const QString &filter = {});

QString saveFileName(QWidget *parent, const QString &caption, const QString &path,
                     const QString &filter, QString *selectedFilter = nullptr,
                     QFileDialog::Options options = {});
QStringList openFileNames(QWidget *parent, const QString &caption, const QString &directory,
                          const QString &filter);
QString existingDirectory(QWidget *parent, const QString &caption, const QString &directory);

} // namespace isobar::FileDialogs
