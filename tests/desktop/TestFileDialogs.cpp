// The desktop's file dialogs must not open the files they list: closing any descriptor of the
// store drops this process's SQLite locks, and another process reading the store then takes it
// for unused, checkpoints it and deletes its WAL under the open connections (a corrupted store
// was found after File > Import beside sqlite3 reads). This suite reproduces exactly that.

#include "FileDialogs.h"
#include "MetricsDatabase.h"
#include "TestSupport.h"

#include <QFileSystemModel>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

class TestFileDialogs : public QObject
{
    Q_OBJECT

    // The dialog lists the folder and asks each entry's type and icon, as its view does.
    static void listInADialog(const QString &folder, const QString &path)
    {
        std::unique_ptr<QFileDialog> dialog(
            FileDialogs::create(nullptr, u"Import Files"_s, folder));
        auto *model = dialog->findChild<QFileSystemModel *>();
        QVERIFY(model);
        QSignalSpy loaded(model, &QFileSystemModel::directoryLoaded);
        dialog->show();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20'000);
        const QModelIndex entry = model->index(path);
        QVERIFY(entry.isValid());
        QVERIFY(!model->type(entry).isEmpty());
        model->fileIcon(entry);
        dialog->grab(); // paints the list: every icon and type column the user would see
    }

private Q_SLOTS:
    void aListedStoreKeepsItsLocksAgainstAnotherProcess_data()
    {
        QTest::addColumn<QString>("fileName");
        // A name that tells its type, and one that does not (QMimeDatabase would read it).
        QTest::newRow("isobar.db") << u"isobar.db"_s;
        QTest::newRow("no extension") << u"store"_s;
    }

    void aListedStoreKeepsItsLocksAgainstAnotherProcess()
    {
        QFETCH(QString, fileName);
        const QString sqlite3 = QStandardPaths::findExecutable(u"sqlite3"_s);
        QVERIFY2(!sqlite3.isEmpty(), "sqlite3 is installed by packaging/install-deps.sh");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(fileName);
        MetricsDatabase store; // open for the whole test, as the desktop's connections are
        QVERIFY2(store.open(path), qPrintable(store.errorString()));
        QSqlQuery write(store.connection());
        QVERIFY(write.exec(u"PRAGMA wal_autocheckpoint = 0"_s));
        QVERIFY(
            write.exec(u"UPDATE store_state SET value = value + 1 WHERE key = 'data_version'"_s));
        QVERIFY(QFile::exists(path + u"-wal"));

        listInADialog(dir.path(), path);
        if (QTest::currentTestFailed())
            return;

        // Another process reads the store and closes it. With our locks intact it sees a
        // connection still open and leaves the WAL alone.
        QProcess reader;
        reader.start(sqlite3, {path, u"SELECT count(*) FROM store_state"_s});
        QVERIFY(reader.waitForFinished(30'000));
        QCOMPARE(reader.exitCode(), 0);
        QVERIFY2(QFile::exists(path + u"-wal"),
                 "another process deleted the WAL: this process had lost its locks on the store");
        QSqlQuery read(store.connection());
        QVERIFY(read.exec(u"SELECT value FROM store_state"_s));
        QVERIFY(read.next());
    }
};

QTEST_MAIN(TestFileDialogs)
#include "TestFileDialogs.moc"
