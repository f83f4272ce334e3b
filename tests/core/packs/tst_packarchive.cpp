// extractPackArchive and buildPackArchive: docs/reliability.md rows 16-19 with
// fixtures written at test time. Every refused archive must give a clear
// error, leave the sentinel file next to the staging folder unchanged and
// leave nothing behind in the staging folder.
#include "archivefixtures.h"
#include "helpers/requiredeps.h"

#include "core/course/packloader.h"
#include "core/packs/packarchive.h"
#include "core/packs/packskeleton.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>

#include <sys/stat.h>

using namespace torchlab;
using fixtures::Format;
using fixtures::Item;
using fixtures::Kind;

Q_DECLARE_METATYPE(fixtures::Format)
Q_DECLARE_METATYPE(QList<fixtures::Item>)

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");
const QByteArray kSentinel = "sentinel: must never change\n";

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QString sha256(const QString &path)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha256).toHex());
}

// A temporary folder with a sentinel file `x` and the staging path `stage`
// next to it: "../x" from the staging folder is the sentinel.
struct Sandbox
{
    QTemporaryDir tmp;
    QString sentinel = tmp.filePath(QStringLiteral("x"));
    QString staging = tmp.filePath(QStringLiteral("stage"));
    QString archive = tmp.filePath(QStringLiteral("pack.archive"));
    Sandbox() { writeFile(sentinel, kSentinel); }

    // Empty when everything holds, else what went wrong.
    QString refusedCleanly(const ExtractResult &r, bool stagingExisted) const
    {
        if (r.ok)
            return QStringLiteral("the archive was accepted");
        if (r.error.isEmpty())
            return QStringLiteral("refused without an error message");
        if (!r.files.isEmpty())
            return QStringLiteral("a refused extraction still lists files");
        if (readFile(sentinel) != kSentinel)
            return QStringLiteral("the sentinel outside the staging folder changed");
        const QStringList around =
            QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        const QStringList expected =
            stagingExisted ? QStringList{QStringLiteral("pack.archive"), QStringLiteral("stage"),
                                         QStringLiteral("x")}
                           : QStringList{QStringLiteral("pack.archive"), QStringLiteral("x")};
        if (around != expected)
            return QStringLiteral("something was written next to the staging folder: ") +
                   around.join(QLatin1Char(' '));
        if (stagingExisted && !QDir(staging).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot |
                                                     QDir::Hidden | QDir::System))
            return QStringLiteral("the staging folder was not emptied");
        return QString();
    }
};

const Item kManifest{"pack.toml", Kind::File, "id = \"x\"\n"};

QList<Item> withManifest(std::initializer_list<Item> items)
{
    QList<Item> all{kManifest};
    all.append(items);
    return all;
}

} // namespace

class TestPackArchive : public QObject
{
    Q_OBJECT

private:
    void refuse(Format format, const QList<Item> &items, const QString &mention,
                const ExtractLimits &limits = ExtractLimits(), bool stagingExists = false)
    {
        Sandbox box;
        QVERIFY(box.tmp.isValid());
        const QString written = fixtures::writeArchive(box.archive, format, items);
        QVERIFY2(written.isEmpty(), qPrintable(written));
        if (stagingExists)
            QVERIFY(QDir().mkdir(box.staging));
        const ExtractResult r = extractPackArchive(box.archive, box.staging, limits);
        const QString problem = box.refusedCleanly(r, stagingExists);
        QVERIFY2(problem.isEmpty(),
                 qPrintable(problem + QStringLiteral(" (error: ") + r.error + QLatin1Char(')')));
        QVERIFY2(r.error.contains(mention, Qt::CaseInsensitive), qPrintable(r.error));
        QVERIFY2(r.totalBytes <= limits.maxTotalBytes, qPrintable(QString::number(r.totalBytes)));
    }

private Q_SLOTS:
    // Row 16: zip-slip. A valid file first, so that there is something to clean up.
    void zipSlip_data()
    {
        QTest::addColumn<Format>("format");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("mention");
        QTest::addColumn<bool>("stagingExists");
        const QByteArray absolute = QByteArray("/tmp/torchlab-zip-slip-") +
                                    QByteArray::number(QCoreApplication::applicationPid());
        const std::pair<Format, const char *> formats[] = {{Format::TarGz, "tar.gz"},
                                                           {Format::Zip, "zip"}};
        for (const auto &[format, label] : formats) {
            const bool exists = format == Format::Zip;
            QTest::addRow("%s ../x", label)
                << format << QByteArray("../x") << QStringLiteral("\"..\"") << exists;
            QTest::addRow("%s /abs", label)
                << format << absolute << QStringLiteral("absolute") << exists;
            QTest::addRow("%s ..\\x", label)
                << format << QByteArray("..\\x") << QStringLiteral("..") << exists;
            QTest::addRow("%s C:x", label)
                << format << QByteArray("C:x") << QStringLiteral("drive letter") << exists;
            QTest::addRow("%s C:/x", label)
                << format << QByteArray("C:/x") << QStringLiteral("drive letter") << exists;
            QTest::addRow("%s a/../../x", label)
                << format << QByteArray("a/../../x") << QStringLiteral("\"..\"") << exists;
            QTest::addRow("%s lesson/../../x", label)
                << format << QByteArray("01-a/../../x") << QStringLiteral("\"..\"") << exists;
        }
    }

    void zipSlip()
    {
        QFETCH(Format, format);
        QFETCH(QByteArray, name);
        QFETCH(QString, mention);
        QFETCH(bool, stagingExists);
        refuse(format,
               withManifest({{"01-a/exercise.cpp", Kind::File, "int main() {}\n"},
                             {name, Kind::File, "pwned\n"}}),
               mention, ExtractLimits(), stagingExists);
        if (name.startsWith('/'))
            QVERIFY(!QFile::exists(QString::fromUtf8(name)));
    }

    // Row 16: the sentinel itself as an absolute path (it exists: no O_EXCL luck).
    void absoluteSentinel()
    {
        for (const Format format : {Format::TarGz, Format::Zip}) {
            Sandbox box;
            const QString written = fixtures::writeArchive(
                box.archive, format,
                withManifest({{QFile::encodeName(box.sentinel), Kind::File, "pwned\n"}}));
            QVERIFY2(written.isEmpty(), qPrintable(written));
            const ExtractResult r = extractPackArchive(box.archive, box.staging);
            const QString problem = box.refusedCleanly(r, false);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QVERIFY2(r.error.contains(QStringLiteral("absolute")), qPrintable(r.error));
        }
    }

    // Row 17: only files and folders.
    void specialEntries_data()
    {
        QTest::addColumn<Format>("format");
        QTest::addColumn<QList<Item>>("items");
        QTest::addColumn<QString>("mention");
        const QByteArray sentinelPath = "../x";
        QTest::newRow("tar symlink to the sentinel, then a write through it")
            << Format::TarGz
            << withManifest(
                   {{"link", Kind::Symlink, {}, 0, sentinelPath}, {"link", Kind::File, "pwned\n"}})
            << QStringLiteral("symbolic link");
        QTest::newRow("zip symlink")
            << Format::Zip << withManifest({{"link", Kind::Symlink, {}, 0, sentinelPath}})
            << QStringLiteral("symbolic link");
        QTest::newRow("tar symlinked folder, then a file inside it")
            << Format::TarGz
            << withManifest({{"dir", Kind::Symlink, {}, 0, ".."}, {"dir/x", Kind::File, "pwned\n"}})
            << QStringLiteral("symbolic link");
        QTest::newRow("tar hardlink to the sentinel")
            << Format::TarGz << withManifest({{"hard", Kind::Hardlink, {}, 0, sentinelPath}})
            << QStringLiteral("hard link");
        QTest::newRow("tar hardlink to an earlier entry")
            << Format::Tar << withManifest({{"hard", Kind::Hardlink, {}, 0, "pack.toml"}})
            << QStringLiteral("hard link");
        QTest::newRow("tar char device")
            << Format::TarGz << withManifest({{"null", Kind::CharDevice}})
            << QStringLiteral("device");
        QTest::newRow("tar block device")
            << Format::TarGz << withManifest({{"sda", Kind::BlockDevice}})
            << QStringLiteral("device");
        QTest::newRow("tar fifo") << Format::TarXz << withManifest({{"pipe", Kind::Fifo}})
                                  << QStringLiteral("named pipe");
    }

    void specialEntries()
    {
        QFETCH(Format, format);
        QFETCH(QList<Item>, items);
        QFETCH(QString, mention);
        refuse(format, items, mention);
    }

    // Row 18: a compression bomb, 200 MB of zeros; refused before its bytes
    // are written (gzip: the verifying pass; zip: counted while writing).
    void bomb_data()
    {
        QTest::addColumn<Format>("format");
        QTest::newRow("tar.gz") << Format::TarGz;
        QTest::newRow("zip") << Format::Zip;
    }

    void bomb()
    {
        QFETCH(Format, format);
        Sandbox box;
        const QString written = fixtures::writeArchive(
            box.archive, format, withManifest({{"zeros.bin", Kind::File, {}, 200'000'000}}));
        QVERIFY2(written.isEmpty(), qPrintable(written));
        const qint64 archiveBytes = QFileInfo(box.archive).size();
        qInfo("200 MB of zeros: %lld bytes of archive", archiveBytes);
        ExtractLimits limits; // size caps out of the way: the ratio must stop it
        limits.maxFileBytes = limits.maxTotalBytes = 1LL << 30;
        const ExtractResult r = extractPackArchive(box.archive, box.staging, limits);
        const QString problem = box.refusedCleanly(r, false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(r.error.contains(QStringLiteral("compression bomb")), qPrintable(r.error));
        QVERIFY(r.totalBytes <=
                std::max<qint64>(limits.ratioFloorBytes, qint64(limits.maxRatio * archiveBytes)));
    }

    // Row 18: a zip whose headers say 100 bytes while its data inflates to
    // 8 MiB: the bytes are counted, not the headers believed.
    void lyingZipSizes()
    {
        Sandbox box;
        QString written = fixtures::writeArchive(box.archive, Format::Zip,
                                                 {{"big.bin", Kind::File, {}, 8 << 20, {}, true}});
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QByteArray zip = readFile(box.archive);
        QVERIFY(fixtures::patchZipSizes(zip, 100));
        QVERIFY(writeFile(box.archive, zip));
        ExtractLimits limits;
        limits.maxFileBytes = 1 << 20;
        const ExtractResult r = extractPackArchive(box.archive, box.staging, limits);
        const QString problem = box.refusedCleanly(r, false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem + r.error));
        QVERIFY2(r.totalBytes <= limits.maxFileBytes + 100,
                 qPrintable(QString::number(r.totalBytes)));
        qInfo("lying zip: %s", qPrintable(r.error));
    }

    // Row 18: a tar header that claims 8 GiB: refused from the header, nothing read.
    void hugeDeclaredSize()
    {
        Sandbox box;
        QString written =
            fixtures::writeArchive(box.archive, Format::Tar, {{"big.bin", Kind::File, "small"}});
        QVERIFY2(written.isEmpty(), qPrintable(written));
        QByteArray tar = readFile(box.archive);
        QVERIFY(fixtures::patchTarSize(tar, 0, (8LL << 30) - 1));
        QVERIFY(writeFile(box.archive, tar));
        const ExtractResult r = extractPackArchive(box.archive, box.staging);
        const QString problem = box.refusedCleanly(r, false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem + r.error));
        QVERIFY2(r.error.contains(QStringLiteral("\"big.bin\"")) &&
                     r.error.contains(QStringLiteral("larger than 64 MiB")),
                 qPrintable(r.error));
    }

    // Row 18: 100k entries against the 10k cap.
    void manyEntries()
    {
        QList<Item> items;
        items.reserve(100'000);
        for (int i = 0; i < 100'000; ++i)
            items.append({"f" + QByteArray::number(i).rightJustified(6, '0'), Kind::File});
        Sandbox box;
        const QString written = fixtures::writeArchive(box.archive, Format::TarGz, items);
        QVERIFY2(written.isEmpty(), qPrintable(written));
        const ExtractLimits limits;
        const ExtractResult r = extractPackArchive(box.archive, box.staging, limits);
        const QString problem = box.refusedCleanly(r, false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(r.error.contains(QStringLiteral("more than 10000 entries")), qPrintable(r.error));
        QCOMPARE(r.entries, limits.maxEntries + 1);
    }

    // Row 18: per-file and total caps, counted while decompressing
    // (incompressible data, so that the ratio cap stays out of the way).
    void sizeCaps()
    {
        ExtractLimits perFile;
        perFile.maxFileBytes = 1 << 20;
        refuse(Format::TarGz, withManifest({{"big.bin", Kind::File, {}, 2 << 20, {}, true}}),
               QStringLiteral("\"big.bin\" is larger than 1 MiB"), perFile);
        refuse(Format::Zip, withManifest({{"big.bin", Kind::File, {}, 2 << 20, {}, true}}),
               QStringLiteral("\"big.bin\" is larger than 1 MiB"), perFile);

        ExtractLimits total;
        total.maxTotalBytes = 3 << 20;
        QList<Item> four;
        for (const char *name : {"a", "b", "c", "d"})
            four.append({name, Kind::File, {}, 1 << 20, {}, true});
        refuse(Format::Zip, four, QStringLiteral("more than 3 MiB"), total);
        refuse(Format::Tar, four, QStringLiteral("more than 3 MiB"), total);
        // gzip: the verifying pass refuses it before a byte is written.
        refuse(Format::TarGz, four, QStringLiteral("more than 3 MiB"), total);
    }

    // Rows 16 and 18: names that are not clean relative paths, duplicates
    // and collisions (the pack must unpack the same on macOS and Windows).
    void badNames_data()
    {
        QTest::addColumn<Format>("format");
        QTest::addColumn<QList<Item>>("items");
        QTest::addColumn<QString>("mention");
        QTest::newRow("duplicate")
            << Format::TarGz
            << withManifest({{"a.txt", Kind::File, "1"}, {"a.txt", Kind::File, "2"}})
            << QStringLiteral("appears twice");
        QTest::newRow("duplicate zip")
            << Format::Zip << withManifest({{"a.txt", Kind::File, "1"}, {"a.txt", Kind::File, "2"}})
            << QStringLiteral("appears twice");
        QTest::newRow("duplicate via ./")
            << Format::TarGz
            << withManifest({{"a.txt", Kind::File, "1"}, {"./a.txt", Kind::File, "2"}})
            << QStringLiteral("appears twice");
        QTest::newRow("duplicate folder")
            << Format::TarGz << withManifest({{"d/", Kind::Folder}, {"d/", Kind::Folder}})
            << QStringLiteral("appears twice");
        QTest::newRow("case") << Format::TarGz
                              << withManifest({{"README.md", Kind::File, "1"},
                                               {"readme.md", Kind::File, "2"}})
                              << QStringLiteral("only in letter case");
        QTest::newRow("case zip") << Format::Zip << withManifest({{"Pack.toml", Kind::File, "2"}})
                                  << QStringLiteral("only in letter case");
        QTest::newRow("case in a folder")
            << Format::TarGz
            << withManifest({{"Lesson/a", Kind::File, "1"}, {"lesson/b", Kind::File, "2"}})
            << QStringLiteral("only in letter case");
        QTest::newRow("unicode normalization")
            << Format::TarGz
            << withManifest({{"caf\xc3\xa9", Kind::File, "1"}, {"cafe\xcc\x81", Kind::File, "2"}})
            << QStringLiteral("\"caf"); // libarchive itself folds pax names to NFC: "appears twice"
        QTest::newRow("file, then a folder of that name")
            << Format::TarGz << withManifest({{"a", Kind::File, "1"}, {"a/b", Kind::File, "2"}})
            << QStringLiteral("which is a file");
        QTest::newRow("folder, then a file of that name")
            << Format::TarGz << withManifest({{"a/b", Kind::File, "1"}, {"a", Kind::File, "2"}})
            << QStringLiteral("file and a folder");
        QTest::newRow("newline") << Format::TarGz << withManifest({{"a\nb", Kind::File}})
                                 << QStringLiteral("control character");
        QTest::newRow("escape") << Format::Zip << withManifest({{"a\x1b[2Jb", Kind::File}})
                                << QStringLiteral("control character");
        QTest::newRow("DEL") << Format::TarGz << withManifest({{"a\x7f", Kind::File}})
                             << QStringLiteral("control character");
        QTest::newRow("empty component") << Format::TarGz << withManifest({{"a//b", Kind::File}})
                                         << QStringLiteral("empty path component");
        QTest::newRow("too long") << Format::TarGz
                                  << withManifest({{QByteArray(300, 'a'), Kind::File}})
                                  << QStringLiteral("longer than 255 bytes");
        QByteArray deep;
        for (int i = 0; i < 20; ++i)
            deep += "d/";
        QTest::newRow("too deep") << Format::TarGz << withManifest({{deep + "f", Kind::File}})
                                  << QStringLiteral("deeper than 16");
        QTest::newRow("stream name")
            << Format::Zip << withManifest({{"pack.toml:evil", Kind::File}})
            << QStringLiteral("data stream");
    }

    void badNames()
    {
        QFETCH(Format, format);
        QFETCH(QList<Item>, items);
        QFETCH(QString, mention);
        refuse(format, items, mention);
    }

    // Names libarchive's writer refuses to write, patched into the bytes.
    void rawNames()
    {
        {
            Sandbox box;
            QVERIFY(fixtures::writeArchive(box.archive, Format::Tar, {{"ab.txt", Kind::File, "x"}})
                        .isEmpty());
            QByteArray tar = readFile(box.archive);
            QVERIFY(fixtures::patchTarName(tar, 0, "\xff\xfe"));
            QVERIFY(writeFile(box.archive, tar));
            const ExtractResult r = extractPackArchive(box.archive, box.staging);
            const QString problem = box.refusedCleanly(r, false);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            qInfo("not UTF-8: %s", qPrintable(r.error));
        }
        {
            // NUL: libarchive hands names over as C strings, cut at the NUL;
            // the central directory still holds the whole name.
            Sandbox box;
            QVERIFY(fixtures::writeArchive(box.archive, Format::Zip,
                                           {{"okay.txtX../../x", Kind::File, "pwned\n"}})
                        .isEmpty());
            QByteArray zip = readFile(box.archive);
            QVERIFY(fixtures::patchZipName(zip, "okay.txtX../../x",
                                           QByteArray("okay.txt\0../../x", 16)));
            QVERIFY(writeFile(box.archive, zip));
            const ExtractResult r = extractPackArchive(box.archive, box.staging);
            const QString problem = box.refusedCleanly(r, false);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QVERIFY2(r.error.contains(QStringLiteral("central directory")), qPrintable(r.error));
        }
    }

    // Row 19: cut at random offsets (and in the gzip trailer, where a format
    // reader alone would not notice): refused, staging cleaned.
    void truncated_data()
    {
        QTest::addColumn<Format>("format");
        QTest::newRow("tar.gz") << Format::TarGz;
        QTest::newRow("tar.xz") << Format::TarXz;
        QTest::newRow("zip") << Format::Zip;
    }

    void truncated()
    {
        QFETCH(Format, format);
        Sandbox box;
        QList<Item> items;
        for (const auto &[path, content] : fixtures::readTree(kExample))
            items.append({path.toUtf8(), Kind::File, content});
        QTemporaryDir work;
        const QString source = work.filePath(QStringLiteral("source"));
        QVERIFY(fixtures::writeArchive(source, format, items).isEmpty());
        const QByteArray whole = readFile(source);
        QList<qsizetype> cuts{
            1, 10, whole.size() / 2, whole.size() - 8, whole.size() - 4, whole.size() - 1};
        QRandomGenerator random(19);
        for (int i = 0; i < 10; ++i)
            cuts.append(random.bounded(qint64(whole.size())));
        for (const qsizetype cut : cuts) {
            QVERIFY(writeFile(box.archive, whole.left(cut)));
            const ExtractResult r = extractPackArchive(box.archive, box.staging);
            const QString problem = box.refusedCleanly(r, false);
            QVERIFY2(
                problem.isEmpty(),
                qPrintable(
                    QStringLiteral("cut at %1 of %2: %3").arg(cut).arg(whole.size()).arg(problem)));
        }
    }

    // Row 19: flipped bytes. Never a crash or a write outside; an archive
    // still accepted must unpack to exactly the original files (gzip's CRC
    // and the verifying pass cover every byte except the gzip header's
    // time and flags fields).
    void flipped_data() { truncated_data(); }

    void flipped()
    {
        QFETCH(Format, format);
        Sandbox box;
        QList<Item> items;
        const auto original = fixtures::readTree(kExample);
        for (const auto &[path, content] : original)
            items.append({path.toUtf8(), Kind::File, content});
        QTemporaryDir work;
        const QString source = work.filePath(QStringLiteral("source"));
        QVERIFY(fixtures::writeArchive(source, format, items).isEmpty());
        const QByteArray whole = readFile(source);
        QRandomGenerator random(20);
        int refused = 0, accepted = 0;
        for (int i = 0; i < 40; ++i) {
            QByteArray bytes = whole;
            const qsizetype at = random.bounded(qint64(bytes.size()));
            bytes[at] = char(bytes[at] ^ char(1 + random.bounded(255)));
            QVERIFY(writeFile(box.archive, bytes));
            const ExtractResult r = extractPackArchive(box.archive, box.staging);
            QCOMPARE(readFile(box.sentinel), kSentinel);
            if (r.ok) {
                ++accepted;
                QVERIFY2(fixtures::readTree(box.staging) == original,
                         qPrintable(QStringLiteral("flip at %1").arg(at)));
                QDir(box.staging).removeRecursively();
            } else {
                ++refused;
                const QString problem = box.refusedCleanly(r, false);
                QVERIFY2(problem.isEmpty(),
                         qPrintable(QStringLiteral("flip at %1: %2").arg(at).arg(problem)));
            }
        }
        qInfo("40 flipped bytes: %d refused, %d accepted with the original content", refused,
              accepted);
    }

    void notAnArchive()
    {
        Sandbox box;
        QVERIFY(writeFile(box.archive, QByteArray(4096, 'z')));
        ExtractResult r = extractPackArchive(box.archive, box.staging);
        QString problem = box.refusedCleanly(r, false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(r.error.contains(QStringLiteral("damaged")), qPrintable(r.error));

        QVERIFY(writeFile(box.archive, QByteArray()));
        r = extractPackArchive(box.archive, box.staging);
        QVERIFY2(box.refusedCleanly(r, false).isEmpty() &&
                     r.error.contains(QStringLiteral("empty")),
                 qPrintable(r.error));

        // A FIFO would never end: refused without reading.
        QFile::remove(box.archive);
        QCOMPARE(::mkfifo(QFile::encodeName(box.archive).constData(), 0600), 0);
        r = extractPackArchive(box.archive, box.staging);
        QVERIFY2(r.error.contains(QStringLiteral("regular file")), qPrintable(r.error));
        QVERIFY(!QFile::exists(box.staging));
        QCOMPARE(readFile(box.sentinel), kSentinel);
    }

    // The staging folder must be new or empty, and a real folder.
    void stagingRules()
    {
        Sandbox box;
        QVERIFY(fixtures::writeArchive(box.archive, Format::TarGz, {kManifest}).isEmpty());
        QVERIFY(QDir().mkdir(box.staging));
        QVERIFY(writeFile(box.staging + QStringLiteral("/keep.txt"), "learner's work"));
        ExtractResult r = extractPackArchive(box.archive, box.staging);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("not empty")), qPrintable(r.error));
        QCOMPARE(readFile(box.staging + QStringLiteral("/keep.txt")), QByteArray("learner's work"));

        const QString elsewhere = box.tmp.filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkdir(elsewhere));
        const QString link = box.tmp.filePath(QStringLiteral("linked-stage"));
        QVERIFY(QFile::link(elsewhere, link));
        r = extractPackArchive(box.archive, link);
        QVERIFY(!r.ok);
        QVERIFY2(QDir(elsewhere).isEmpty(), "wrote through a symbolic link");
    }

    // A valid pack round-trips: build -> extract -> PackLoader valid, same files.
    void roundTrip()
    {
        Sandbox box;
        const BuildResult built = buildPackArchive(kExample, box.archive);
        QVERIFY2(built.ok, qPrintable(built.error));
        QCOMPARE(built.sha256, sha256(box.archive));
        QCOMPARE(built.bytes, QFileInfo(box.archive).size());
        const auto original = fixtures::readTree(kExample);
        QStringList names;
        for (const auto &file : original)
            names.append(file.first);
        QCOMPARE(built.files, names);

        const ExtractResult r = extractPackArchive(box.archive, box.staging);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.files.size(), original.size());
        QCOMPARE(fixtures::readTree(box.staging), original);
        QCOMPARE(r.totalBytes,
                 std::accumulate(original.cbegin(), original.cend(), qint64(0),
                                 [](qint64 n, const auto &f) { return n + f.second.size(); }));
        const PackLoadResult loaded = PackLoader::load(box.staging);
        QVERIFY(loaded.valid());
        QCOMPARE(loaded.pack.id, QStringLiteral("org.torchlab.example"));
        QCOMPARE(loaded.pack.lessons.size(), 2);
        QCOMPARE(readFile(box.sentinel), kSentinel);

        // Archives made by other tools unpack too: "./"-prefixed names, folders
        // listed after their files, zip.
        for (const Format format : {Format::Zip, Format::TarXz}) {
            QList<Item> items;
            for (const auto &[path, content] : original)
                items.append({"./" + path.toUtf8(), Kind::File, content});
            items.append({"./01-squares/", Kind::Folder});
            items.append({"./", Kind::Folder});
            QVERIFY(fixtures::writeArchive(box.archive, format, items).isEmpty());
            QVERIFY(QDir(box.staging).removeRecursively());
            const ExtractResult other = extractPackArchive(box.archive, box.staging);
            QVERIFY2(other.ok, qPrintable(other.error));
            QCOMPARE(fixtures::readTree(box.staging), original);
        }
    }

    // Archives instructors make with the usual tools unpack the same.
    void otherTools_data()
    {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QStringList>("arguments"); // run in the pack folder; %1 is the archive
        QTest::newRow("GNU tar czf")
            << QStringLiteral("tar")
            << QStringList{QStringLiteral("czf"), QStringLiteral("%1"), QStringLiteral(".")};
        QTest::newRow("GNU tar cJf")
            << QStringLiteral("tar")
            << QStringList{QStringLiteral("cJf"), QStringLiteral("%1"),
                           QStringLiteral("01-squares"), QStringLiteral("02-fit"),
                           QStringLiteral("pack.toml")};
        QTest::newRow("GNU tar pax")
            << QStringLiteral("tar")
            << QStringList{QStringLiteral("--format=pax"), QStringLiteral("-czf"),
                           QStringLiteral("%1"), QStringLiteral(".")};
        QTest::newRow("Info-ZIP zip -r")
            << QStringLiteral("zip")
            << QStringList{QStringLiteral("-qr"), QStringLiteral("%1"), QStringLiteral(".")};
        QTest::newRow("Info-ZIP zip64") << QStringLiteral("zip")
                                        << QStringList{QStringLiteral("-qr"), QStringLiteral("-fz"),
                                                       QStringLiteral("%1"), QStringLiteral(".")};
    }

    void otherTools()
    {
        QFETCH(QString, tool);
        QFETCH(QStringList, arguments);
        const QString program = QStandardPaths::findExecutable(tool);
        if (program.isEmpty())
            LAB_SKIP_MISSING(tool + QStringLiteral(" is not installed"));
        Sandbox box;
        QTemporaryDir work;
        const QString archive = work.filePath(
            tool == QLatin1String("zip") ? QStringLiteral("p.zip") : QStringLiteral("p.tar"));
        for (QString &argument : arguments)
            argument.replace(QStringLiteral("%1"), archive);
        QProcess p;
        p.setWorkingDirectory(kExample);
        p.start(program, arguments);
        QVERIFY(p.waitForFinished(60'000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const ExtractResult r = extractPackArchive(archive, box.staging);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(fixtures::readTree(box.staging), fixtures::readTree(kExample));
        QVERIFY(PackLoader::load(box.staging).valid());
    }

    // Same input, same bytes: twice, after touching every mtime, from another folder.
    void deterministic()
    {
        QTemporaryDir tmp;
        const QString a = tmp.filePath(QStringLiteral("a.tar.gz"));
        const QString b = tmp.filePath(QStringLiteral("b.tar.gz"));
        const BuildResult first = buildPackArchive(kExample, a);
        QVERIFY2(first.ok, qPrintable(first.error));
        QCOMPARE(buildPackArchive(kExample, b).sha256, first.sha256);
        QCOMPARE(readFile(a), readFile(b));

        const QString copy = tmp.filePath(QStringLiteral("elsewhere/pack"));
        QVERIFY(QDir().mkpath(copy));
        for (const auto &[path, content] : fixtures::readTree(kExample)) {
            QVERIFY(QDir().mkpath(QFileInfo(copy + QLatin1Char('/') + path).path()));
            QVERIFY(writeFile(copy + QLatin1Char('/') + path, content));
            QFile f(copy + QLatin1Char('/') + path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addDays(-3),
                                  QFileDevice::FileModificationTime));
        }
        // Editor leftovers and version control are not packed.
        QVERIFY(QDir().mkpath(copy + QStringLiteral("/.git")));
        QVERIFY(writeFile(copy + QStringLiteral("/.git/HEAD"), "ref: main\n"));
        QVERIFY(writeFile(copy + QStringLiteral("/pack.toml~"), "old"));
        const BuildResult moved = buildPackArchive(copy, b);
        QVERIFY2(moved.ok, qPrintable(moved.error));
        QCOMPARE(moved.sha256, first.sha256);
        QCOMPARE(moved.files, first.files);

        // No build time anywhere: gzip's MTIME field is zero, entries carry 1970.
        const QByteArray bytes = readFile(a);
        QCOMPARE(bytes.mid(4, 4), QByteArray(4, '\0'));
        qputenv("SOURCE_DATE_EPOCH", "1700000000");
        const BuildResult dated = buildPackArchive(kExample, b);
        qunsetenv("SOURCE_DATE_EPOCH");
        QVERIFY(dated.ok);
        QVERIFY(dated.sha256 != first.sha256);
        QCOMPARE(buildPackArchive(kExample, b).sha256, first.sha256);
    }

    void buildRefuses()
    {
        QTemporaryDir tmp;
        const QString pack = tmp.filePath(QStringLiteral("pack"));
        QVERIFY(writePackSkeleton(pack).ok);
        QVERIFY(QFile::link(QStringLiteral("/etc/passwd"), pack + QStringLiteral("/passwd")));
        BuildResult r = buildPackArchive(pack, tmp.filePath(QStringLiteral("out.tar.gz")));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("\"passwd\"")) &&
                     r.error.contains(QStringLiteral("symbolic link")),
                 qPrintable(r.error));
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("out.tar.gz"))));
        QVERIFY(QFile::remove(pack + QStringLiteral("/passwd")));

        QVERIFY(writeFile(pack + QStringLiteral("/NOTES.md"), "a"));
        QVERIFY(writeFile(pack + QStringLiteral("/notes.md"), "b"));
        r = buildPackArchive(pack, tmp.filePath(QStringLiteral("out.tar.gz")));
        QVERIFY2(!r.ok && r.error.contains(QStringLiteral("letter case")), qPrintable(r.error));
        QVERIFY(QFile::remove(pack + QStringLiteral("/notes.md")));

        // The archive written into the pack folder is not packed into the next build.
        const QString inside = pack + QStringLiteral("/pack.tar.gz");
        const BuildResult once = buildPackArchive(pack, inside);
        QVERIFY2(once.ok, qPrintable(once.error));
        const BuildResult twice = buildPackArchive(pack, inside);
        QVERIFY2(twice.ok, qPrintable(twice.error));
        QCOMPARE(twice.sha256, once.sha256);
        QVERIFY(!twice.files.contains(QStringLiteral("pack.tar.gz")));

        QVERIFY(!buildPackArchive(tmp.filePath(QStringLiteral("missing")),
                                  tmp.filePath(QStringLiteral("o.tar.gz")))
                     .ok);
    }

    // The skeleton `pack new` writes is a valid pack, also after a round trip.
    void skeleton()
    {
        QTemporaryDir tmp;
        const QString pack = tmp.filePath(QStringLiteral("My Course"));
        const SkeletonResult made =
            writePackSkeleton(pack, {QString(), QStringLiteral("A \"quoted\" title")});
        QVERIFY2(made.ok, qPrintable(made.error));
        QCOMPARE(made.id, QStringLiteral("org.example.my-course"));
        const PackLoadResult loaded = PackLoader::load(pack);
        for (const Problem &p : loaded.problems)
            qWarning("%s", qPrintable(p.toString()));
        QVERIFY(loaded.problems.isEmpty()); // not even a warning: valid under --strict
        QCOMPARE(loaded.pack.lessons.size(), 1);
        QCOMPARE(loaded.pack.title.value(QStringLiteral("en")),
                 QStringLiteral("A \"quoted\" title"));

        QVERIFY(!writePackSkeleton(pack).ok); // never over an existing pack
        QVERIFY(!writePackSkeleton(pack, {QStringLiteral("Bad Id"), QString()}).ok);

        const QString archive = tmp.filePath(QStringLiteral("p.tar.gz"));
        const BuildResult built = buildPackArchive(pack, archive);
        QVERIFY2(built.ok, qPrintable(built.error));
        QCOMPARE(built.files, made.files);
        const ExtractResult r = extractPackArchive(archive, tmp.filePath(QStringLiteral("stage")));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(PackLoader::load(tmp.filePath(QStringLiteral("stage"))).problems.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPackArchive)
#include "tst_packarchive.moc"
