// The run bundle's archive: the same files give the same bytes; the manifest
// names a changed, missing or extra file; hostile archives are refused.
#include "core/bundle/bundlearchive.h"
#include "core/bundle/runbundle.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

#include <archive.h>
#include <archive_entry.h>

using namespace torchlab;

namespace {

struct Entry
{
    QByteArray name;
    unsigned type = AE_IFREG;
    QByteArray data;
    QByteArray link; // symlink target (AE_IFLNK) or hard link target
};

// A .tar.gz as an attacker would write it.
void writeRaw(const QString &path, const QList<Entry> &entries)
{
    archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
    QVERIFY(archive_write_open_filename(a, QFile::encodeName(path).constData()) == ARCHIVE_OK);
    for (const Entry &e : entries) {
        archive_entry *entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.constData());
        archive_entry_set_filetype(entry, e.type);
        archive_entry_set_perm(entry, 0644);
        if (e.type == AE_IFLNK)
            archive_entry_set_symlink(entry, e.link.constData());
        else if (!e.link.isEmpty())
            archive_entry_set_hardlink(entry, e.link.constData());
        archive_entry_set_size(entry, e.type == AE_IFREG && e.link.isEmpty() ? e.data.size() : 0);
        archive_write_header(a, entry);
        if (e.type == AE_IFREG && !e.data.isEmpty())
            archive_write_data(a, e.data.constData(), size_t(e.data.size()));
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
}

RunRecord sampleRecord()
{
    RunRecord r;
    r.lessonId = QStringLiteral("training-loop");
    r.lessonTitle = QStringLiteral("The training loop");
    r.packName = QStringLiteral("torchlab.course");
    r.packVersion = QStringLiteral("2.0.0");
    r.code = {{QStringLiteral("exercise.cpp"), "int main() { return 0; }\n"}};
    r.environment = QJsonObject{{QStringLiteral("schema"), 1}};
    r.seed = 7;
    r.quick = true;
    r.commands = {QStringLiteral("torchlab-cli run code/exercise.cpp")};
    r.outcome = QStringLiteral("finished successfully");
    r.exitCode = 0;
    r.stdoutText = "hello\n";
    r.metricsCsv = "step,loss\n0,2.5\n1,1.25\n";
    r.plots = {{QStringLiteral("metric-loss.png"), "PNG"},
               {QStringLiteral("metric-loss.svg"), "<svg/>"}};
    r.finishedAt = QDateTime(QDate(2026, 3, 1), QTime(12, 30, 5), Qt::UTC);
    r.metadata.title = QStringLiteral("A run");
    r.metadata.version = QStringLiteral("2.0.0");
    r.metadata.dateIssued = QStringLiteral("2026-03-01");
    return r;
}

} // namespace

Q_DECLARE_METATYPE(Entry)

class TestBundleArchive : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    // Rewrites `bundle` with `edit` applied to its files (the manifest kept as it was).
    QString tampered(const char *name, const std::function<void(QList<BundleFile> &)> &edit)
    {
        const RunRecord r = sampleRecord();
        QList<BundleFile> files = runBundleFiles(r);
        edit(files);
        const QString out = path(name);
        const Status s = writeBundleArchive(out, runBundleRoot(r), files, 0);
        return s ? out : QString();
    }

private Q_SLOTS:
    void sameRunSameBytes()
    {
        const RunRecord r = sampleRecord();
        QVERIFY(writeRunBundle(r, path("a.tar.gz")));
        QVERIFY(writeRunBundle(r, path("b.tar.gz")));
        QFile a(path("a.tar.gz")), b(path("b.tar.gz"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray bytesA = a.readAll();
        QVERIFY(bytesA.size() > 100);
        QCOMPARE(bytesA, b.readAll());
        // gzip header: no name flag, mtime 0 (bytes 4..7).
        QCOMPARE(bytesA.mid(4, 4), QByteArray(4, '\0'));
        QCOMPARE(int(bytesA[3]) & 0x08, 0);

        // Another end time: other mtimes, other bytes (the time is really used).
        RunRecord later = r;
        later.finishedAt = r.finishedAt.addSecs(1);
        QVERIFY(writeRunBundle(later, path("c.tar.gz")));
        QFile c(path("c.tar.gz"));
        QVERIFY(c.open(QIODevice::ReadOnly));
        QVERIFY(c.readAll() != bytesA);
    }

    void entriesSortedOwnedByRootAtRunEnd()
    {
        const RunRecord r = sampleRecord();
        QVERIFY(writeRunBundle(r, path("d.tar.gz")));
        archive *a = archive_read_new();
        archive_read_support_filter_gzip(a);
        archive_read_support_format_tar(a);
        QVERIFY(archive_read_open_filename(a, QFile::encodeName(path("d.tar.gz")).constData(),
                                           10240) == ARCHIVE_OK);
        archive_entry *e = nullptr;
        QByteArray previous;
        int count = 0;
        while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
            const QByteArray name = archive_entry_pathname(e);
            QVERIFY2(previous < name, name.constData());
            previous = name;
            QCOMPARE(archive_entry_uid(e), la_int64_t(0));
            QCOMPARE(archive_entry_gid(e), la_int64_t(0));
            QVERIFY(archive_entry_uname(e) == nullptr || !*archive_entry_uname(e));
            QVERIFY(archive_entry_gname(e) == nullptr || !*archive_entry_gname(e));
            QCOMPARE(qint64(archive_entry_mtime(e)), r.finishedAt.toSecsSinceEpoch());
            QVERIFY(name.startsWith("torchlab-run-training-loop-20260301T123005Z/"));
            ++count;
        }
        archive_read_free(a);
        QVERIFY(count >= 15);
    }

    void verifyPassesThenNamesTheTamperedFile()
    {
        QVERIFY(writeRunBundle(sampleRecord(), path("ok.tar.gz")));
        Result<BundleContents> ok = readBundleArchive(path("ok.tar.gz"));
        QVERIFY2(ok, qPrintable(ok.error()));
        ManifestCheck check = checkBundleManifest(*ok);
        QVERIFY(check.ok());
        QCOMPARE(check.verified, ok->files.size() - 1);
        // Every file but the manifest itself is listed, in sha256sum's format.
        const QByteArray manifest = ok->file(QStringLiteral("SHA256SUMS"))->data;
        QCOMPARE(manifest.count('\n'), ok->files.size() - 1);
        const BundleFile *code = ok->file(QStringLiteral("code/exercise.cpp"));
        QVERIFY(manifest.contains(
            QCryptographicHash::hash(code->data, QCryptographicHash::Sha256).toHex() +
            "  code/exercise.cpp\n"));

        const QString changed = tampered("changed.tar.gz", [](QList<BundleFile> &files) {
            for (BundleFile &f : files)
                if (f.path == QLatin1String("metrics/metrics.csv"))
                    f.data.replace("1.25", "1.5");
        });
        Result<BundleContents> c = readBundleArchive(changed);
        QVERIFY(c);
        check = checkBundleManifest(*c);
        QVERIFY(!check.ok());
        QCOMPARE(check.changed, QStringList{QStringLiteral("metrics/metrics.csv")});
        QVERIFY(check.describe()
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("metrics/metrics.csv")));
    }

    void missingAndExtraFiles()
    {
        const QString missing = tampered("missing.tar.gz", [](QList<BundleFile> &files) {
            files.removeIf([](const BundleFile &f) { return f.path == QLatin1String("run.json"); });
        });
        Result<BundleContents> m = readBundleArchive(missing);
        QVERIFY(m);
        ManifestCheck check = checkBundleManifest(*m);
        QCOMPARE(check.missing, QStringList{QStringLiteral("run.json")});
        QVERIFY(check.changed.isEmpty() && check.extra.isEmpty());

        const QString extra = tampered("extra.tar.gz", [](QList<BundleFile> &files) {
            files.append({QStringLiteral("code/backdoor.cpp"), "x"});
        });
        Result<BundleContents> e = readBundleArchive(extra);
        QVERIFY(e);
        check = checkBundleManifest(*e);
        QCOMPARE(check.extra, QStringList{QStringLiteral("code/backdoor.cpp")});

        const QString noManifest = tampered("nomanifest.tar.gz", [](QList<BundleFile> &files) {
            files.removeIf(
                [](const BundleFile &f) { return f.path == QLatin1String("SHA256SUMS"); });
        });
        Result<BundleContents> n = readBundleArchive(noManifest);
        QVERIFY(n);
        QVERIFY(checkBundleManifest(*n).manifestMissing);
    }

    void hostileArchivesRefused_data()
    {
        QTest::addColumn<QList<Entry>>("entries");
        QTest::addColumn<QString>("why");
        const QByteArray ok = "b/README.md";
        QTest::newRow("absolute") << QList<Entry>{{"/etc/passwd", AE_IFREG, "x", {}}}
                                  << QStringLiteral("absolute");
        QTest::newRow("dotdot") << QList<Entry>{{ok, AE_IFREG, "x", {}},
                                                {"b/../../evil", AE_IFREG, "x", {}}}
                                << QStringLiteral("..");
        QTest::newRow("symlink") << QList<Entry>{{ok, AE_IFREG, "x", {}},
                                                 {"b/link", AE_IFLNK, {}, "/etc/passwd"}}
                                 << QStringLiteral("link");
        QTest::newRow("hardlink") << QList<Entry>{{ok, AE_IFREG, "x", {}},
                                                  {"b/hard", AE_IFREG, {}, "b/README.md"}}
                                  << QStringLiteral("link");
        QTest::newRow("device") << QList<Entry>{{ok, AE_IFREG, "x", {}},
                                                {"b/dev", AE_IFCHR, {}, {}}}
                                << QStringLiteral("device");
        QTest::newRow("fifo") << QList<Entry>{{ok, AE_IFREG, "x", {}}, {"b/fifo", AE_IFIFO, {}, {}}}
                              << QStringLiteral("FIFO");
        QTest::newRow("two folders")
            << QList<Entry>{{ok, AE_IFREG, "x", {}}, {"c/x", AE_IFREG, "x", {}}}
            << QStringLiteral("outside");
        QTest::newRow("oversized") << QList<Entry>{{ok, AE_IFREG, QByteArray(4096, 'x'), {}}}
                                   << QStringLiteral("larger than");
        QTest::newRow("twice") << QList<Entry>{{ok, AE_IFREG, "x", {}}, {ok, AE_IFREG, "y", {}}}
                               << QStringLiteral("twice");
    }

    void hostileArchivesRefused()
    {
        QFETCH(QList<Entry>, entries);
        QFETCH(QString, why);
        const QString file = path("hostile.tar.gz");
        QFile::remove(file);
        writeRaw(file, entries);
        BundleLimits limits;
        limits.maxEntryBytes = 1024;
        Result<BundleContents> read = readBundleArchive(file, limits);
        QVERIFY(!read);
        QVERIFY2(read.error().contains(why), qPrintable(read.error()));
    }

    void plainBundleReads()
    {
        // The control for the table above: the same writer, harmless entries, is read.
        const QString file = path("plain.tar.gz");
        writeRaw(file, {{"b/", AE_IFDIR, {}, {}}, {"b/README.md", AE_IFREG, "x", {}}});
        Result<BundleContents> read = readBundleArchive(file);
        QVERIFY2(read, qPrintable(read.error()));
        QCOMPARE(read->root, QStringLiteral("b"));
        QCOMPARE(read->files.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBundleArchive)
#include "tst_bundlearchive.moc"
