// A drop-off folder lists a file only once it is complete: unchanged for the settling time and
// not hidden. The clock is injected, so "later" costs no waiting.

#include "ingest/DirectoryDropoff.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kSettleMs = 5000;

bool write(const QString &path, const QByteArray &bytes, QIODevice::OpenMode mode)
{
    QFile file(path);
    return file.open(mode) && file.write(bytes) == bytes.size();
}

QStringList names(const QList<DropoffFile> &files)
{
    QStringList names;
    for (const DropoffFile &file : files)
        names << file.name;
    return names;
}

} // namespace

class TestDirectoryDropoff : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    qint64 m_now = 0;

    QList<DropoffFile> listAt(DirectoryDropoff &dropoff, qint64 offsetMs)
    {
        m_now = QDateTime::currentMSecsSinceEpoch() + offsetMs;
        QList<DropoffFile> files;
        QString error;
        if (!dropoff.list(&files, &error))
            qWarning() << error;
        return files;
    }

private Q_SLOTS:
    void aGrowingFileIsListedOnceItHoldsStill()
    {
        const QString folder = m_dir.filePath(u"growing"_s);
        QVERIFY(QDir().mkpath(folder));
        DirectoryDropoff dropoff(folder, kSettleMs, [this] { return m_now; });
        const QString path = folder + u"/cases.json"_s;
        QVERIFY(write(path, "{\"parent_theme\": ", QIODevice::WriteOnly));

        QVERIFY(listAt(dropoff, 0).isEmpty()); // just seen
        QVERIFY(write(path, "\"infectious_disease\"", QIODevice::Append));
        // Long after it was first seen, but it grew since the last look: it starts over.
        QVERIFY(listAt(dropoff, 2 * kSettleMs).isEmpty());
        QVERIFY(listAt(dropoff, 2 * kSettleMs + kSettleMs / 2).isEmpty());
        const QList<DropoffFile> settled = listAt(dropoff, 3 * kSettleMs + 1);
        QCOMPARE(names(settled), QStringList{u"cases.json"_s});
        QCOMPARE(settled.constFirst().bytes, QFileInfo(path).size());
    }

    void hiddenPartialAndOtherFilesAreNeverListed()
    {
        const QString folder = m_dir.filePath(u"mixed"_s);
        QVERIFY(QDir().mkpath(folder + u"/.staging"_s));
        QVERIFY(QDir().mkpath(folder + u"/2026/12"_s));
        for (const QString &name : {u".cases.json"_s, u"cases.json.part"_s, u"notes.txt"_s,
                                    u".staging/a.csv"_s, u"2026/12/b.CSV"_s, u"a.json"_s})
            QVERIFY(write(folder + u'/' + name, "{}", QIODevice::WriteOnly));
        DirectoryDropoff dropoff(folder, 0, [this] { return m_now; });
        QCOMPARE(names(listAt(dropoff, 1)), (QStringList{u"2026/12/b.CSV"_s, u"a.json"_s}));
    }

    void aReplacedFileIsANewVersion()
    {
        const QString folder = m_dir.filePath(u"replaced"_s);
        QVERIFY(QDir().mkpath(folder));
        DirectoryDropoff dropoff(folder, 0, [this] { return m_now; });
        QVERIFY(write(folder + u"/a.json"_s, "{}", QIODevice::WriteOnly));
        const QList<DropoffFile> first = listAt(dropoff, 1);
        QCOMPARE(first.size(), 1);
        QVERIFY(write(folder + u"/a.json"_s, "{ }", QIODevice::WriteOnly));
        const QList<DropoffFile> second = listAt(dropoff, 1);
        QCOMPARE(second.size(), 1);
        QVERIFY(first.constFirst().version != second.constFirst().version);
    }

    void aMissingFolderIsAnError()
    {
        DirectoryDropoff dropoff(m_dir.filePath(u"nowhere"_s), 0);
        QList<DropoffFile> files;
        QString error;
        QVERIFY(!dropoff.list(&files, &error));
        QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDirectoryDropoff)
#include "TestDirectoryDropoff.moc"
