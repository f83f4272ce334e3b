// Installing, updating and removing packs from signed archives (docs/reliability.md
// rows 20 and 21): nothing is installed unless the signature verifies with the
// trusted key and names the same pack and a newer version; every refusal
// leaves the installed version, the registry, the learner's progress and a
// sentinel file as they were, and no staging left behind.
#include "core/course/progressstore.h"
#include "core/packs/packinstaller.h"
#include "core/packs/truststore.h"
#include "helpers/requiredeps.h"

#include "helpers/packtestutil.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;
using namespace packtest;

namespace {

// Every file under `root` with its content hash, so "unchanged" is checked byte for byte.
QMap<QString, QByteArray> snapshot(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(QLatin1String("/.lock")))
            continue;
        files.insert(QDir(root).relativeFilePath(path),
                     QCryptographicHash::hash(readAll(path), QCryptographicHash::Sha256).toHex());
    }
    return files;
}

// A snapshot without the folders where the tests build their archives.
QMap<QString, QByteArray> withoutBuilds(QMap<QString, QByteArray> files)
{
    files.removeIf([](const auto &it) {
        return it.key().startsWith(QLatin1String("out/")) ||
               it.key().startsWith(QLatin1String("work/"));
    });
    return files;
}

bool emptyOrMissing(const QString &dir)
{
    return QDir(dir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class tst_PackInstaller : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void installsSignedArchive();
    void updateKeepsLearnerWork();
    void refusals_data();
    void refusals();
    void refusesAnotherKeyForAnInstalledPack();
    void removeKeepsProgress();
    void rollbackRefusedAfterRemove();
    void keyKeptAfterRemove();
    void readsTrustRecordsOfOlderLabs();
    void damagedStateFilesFailClosed_data();
    void damagedStateFilesFailClosed();
    void damagedBackupIsNotRestored();
    void packComment();

private:
    PackInstallResult installV1();

    QTemporaryDir m_keys;
    TestKey m_key;
    TestKey m_other;
    std::unique_ptr<QTemporaryDir> m_home;
    QString m_packs;
    QString m_sentinel;
};

void tst_PackInstaller::initTestCase()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
    m_key = makeKey(m_keys.path(), QStringLiteral("instructor"));
    m_other = makeKey(m_keys.path(), QStringLiteral("stranger"));
}

void tst_PackInstaller::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_packs = m_home->filePath(QStringLiteral("data/packs"));
    m_sentinel = m_home->filePath(QStringLiteral("data/sentinel.txt"));
    QVERIFY(writeAll(m_sentinel, "learner's own file\n"));
}

PackInstallResult tst_PackInstaller::installV1()
{
    const QString archive = makeSignedArchive(
        m_key, m_home->filePath(QStringLiteral("work")), m_home->filePath(QStringLiteral("out")),
        QStringLiteral("org.example.day1"), QStringLiteral("1.0.0"), "version one");
    PackInstallRequest request;
    request.archive = archive;
    request.key = m_key.key;
    return PackInstaller(m_packs).install(request);
}

void tst_PackInstaller::installsSignedArchive()
{
    const PackInstallResult r = installV1();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.id, QStringLiteral("org.example.day1"));
    QCOMPARE(r.version, QStringLiteral("1.0.0"));
    QVERIFY(r.previousVersion.isEmpty());
    PackInstaller installer(m_packs);
    QCOMPARE(r.directory, installer.packDirectory(QStringLiteral("org.example.day1")));
    QVERIFY(readAll(r.directory + QStringLiteral("/01-squares/README.md")).contains("version one"));
    QVERIFY(readAll(r.directory + QStringLiteral("/pack.toml")).contains("org.example.day1"));
    const auto entry = installer.find(QStringLiteral("org.example.day1"));
    QVERIFY(entry);
    QCOMPARE(entry->version, QStringLiteral("1.0.0"));
    QCOMPARE(entry->keyId, m_key.key.keyIdHex());
    QVERIFY(entry->source.startsWith(QLatin1String("file:")));
    QCOMPARE(entry->sha256.size(), 64);
    QCOMPARE(TrustStore(m_packs).keyForPack(QStringLiteral("org.example.day1")),
             std::optional(m_key.key));
    QVERIFY(emptyOrMissing(m_packs + QStringLiteral("/staging")));
    QVERIFY(emptyOrMissing(m_packs + QStringLiteral("/tmp")));
}

void tst_PackInstaller::updateKeepsLearnerWork()
{
    QVERIFY(installV1().ok);
    ProgressStore progress(m_home->filePath(QStringLiteral("data/progress")));
    QVERIFY(progress.saveCode(QStringLiteral("org.example.day1"), QStringLiteral("squares"),
                              QStringLiteral("exercise.cpp"), QStringLiteral("// my answer\n")));
    QVERIFY(
        progress.recordCheck(QStringLiteral("org.example.day1"), QStringLiteral("squares"), true));
    const auto progressBefore = snapshot(progress.root());

    const QString v2 = makeSignedArchive(
        m_key, m_home->filePath(QStringLiteral("work")), m_home->filePath(QStringLiteral("out")),
        QStringLiteral("org.example.day1"), QStringLiteral("1.1.0"), "version two");
    PackInstallRequest request;
    request.archive = v2;
    request.key = m_key.key;
    const PackInstallResult r = PackInstaller(m_packs).install(request);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.previousVersion, QStringLiteral("1.0.0"));
    QVERIFY(readAll(r.directory + QStringLiteral("/01-squares/README.md")).contains("version two"));
    QCOMPARE(PackInstaller(m_packs).find(QStringLiteral("org.example.day1"))->version,
             QStringLiteral("1.1.0"));
    QCOMPARE(snapshot(progress.root()), progressBefore);
    const LessonProgress lesson =
        progress.load(QStringLiteral("org.example.day1"), QStringLiteral("squares"));
    QCOMPARE(lesson.code.value(QStringLiteral("exercise.cpp")), QStringLiteral("// my answer\n"));
    QCOMPARE(lesson.status, LessonStatus::Passed);
    QVERIFY(emptyOrMissing(m_packs + QStringLiteral("/staging")));
    QCOMPARE(readAll(m_sentinel), QByteArray("learner's own file\n"));
}

void tst_PackInstaller::refusals_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unsigned") << QStringLiteral("unsigned") << QStringLiteral("not signed");
    QTest::newRow("wrong key") << QStringLiteral("wrong key")
                               << QStringLiteral("not with the trusted key");
    QTest::newRow("bit flipped in the archive")
        << QStringLiteral("flip") << QStringLiteral("does not match the file");
    QTest::newRow("trusted comment edited")
        << QStringLiteral("comment") << QStringLiteral("trusted comment");
    QTest::newRow("rollback") << QStringLiteral("rollback") << QStringLiteral("rollback");
    QTest::newRow("same version") << QStringLiteral("same") << QStringLiteral("already installed");
    QTest::newRow("signed as another pack")
        << QStringLiteral("other id") << QStringLiteral("signed as");
    QTest::newRow("comment without pack/version")
        << QStringLiteral("free comment") << QStringLiteral("pack <id> <version>");
    QTest::newRow("legacy signature") << QStringLiteral("legacy") << QStringLiteral("legacy");
    QTest::newRow("signed, but not a pack archive")
        << QStringLiteral("garbage") << QStringLiteral("not installed");
    QTest::newRow("size from the index differs")
        << QStringLiteral("index size") << QStringLiteral("bytes");
    QTest::newRow("sha256 from the index differs")
        << QStringLiteral("index sha") << QStringLiteral("SHA-256");
}

void tst_PackInstaller::refusals()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QVERIFY(installV1().ok);
    const QString work = m_home->filePath(QStringLiteral("work"));
    const QString out = m_home->filePath(QStringLiteral("out2"));
    const QString id = QStringLiteral("org.example.day1");
    QString version = kind == QLatin1String("rollback") ? QStringLiteral("0.9.0")
                      : kind == QLatin1String("same")   ? QStringLiteral("1.0.0")
                                                        : QStringLiteral("2.0.0");
    QString comment;
    if (kind == QLatin1String("other id"))
        comment = QStringLiteral("pack org.example.other 2.0.0");
    if (kind == QLatin1String("free comment"))
        comment = QStringLiteral("timestamp:1700000000 file:x.tar.gz");
    const TestKey &signer = kind == QLatin1String("wrong key") ? m_other : m_key;
    QString archive = makeSignedArchive(signer, work, out, id, version, "hostile", comment);
    QVERIFY(!archive.isEmpty());
    PackInstallRequest request;
    request.archive = archive;
    request.key = m_key.key;
    if (kind == QLatin1String("unsigned"))
        QVERIFY(QFile::remove(archive + QStringLiteral(".minisig")));
    if (kind == QLatin1String("flip")) {
        QByteArray bytes = readAll(archive);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x04);
        QVERIFY(writeAll(archive, bytes));
    }
    if (kind == QLatin1String("comment")) {
        QByteArray sig = readAll(archive + QStringLiteral(".minisig"));
        sig.replace("pack org.example.day1 2.0.0", "pack org.example.day1 3.0.0");
        QVERIFY(writeAll(archive + QStringLiteral(".minisig"), sig));
    }
    if (kind == QLatin1String("legacy"))
        QVERIFY(
            !sign(m_key, archive, QStringLiteral("pack org.example.day1 2.0.0"), true).isEmpty());
    if (kind == QLatin1String("garbage")) {
        QVERIFY(writeAll(archive, QByteArray(5000, 'x')));
        QVERIFY(!sign(m_key, archive, QStringLiteral("pack org.example.day1 2.0.0")).isEmpty());
    }
    if (kind.startsWith(QLatin1String("index"))) {
        FeedEntry e;
        e.id = id;
        e.version = version;
        e.file = QFileInfo(archive).fileName();
        e.size = QFileInfo(archive).size();
        e.sha256 = QString::fromLatin1(
            QCryptographicHash::hash(readAll(archive), QCryptographicHash::Sha256).toHex());
        if (kind == QLatin1String("index size"))
            e.size -= 1;
        else
            e.sha256[0] = e.sha256[0] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        request.expected = e;
    }

    const auto before = snapshot(m_home->path());
    const PackInstallResult r = PackInstaller(m_packs).install(request);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    // Nothing changed anywhere in the home: installed pack, registry, trust, sentinel.
    auto after = snapshot(m_home->path());
    QCOMPARE(after, before);
    QCOMPARE(PackInstaller(m_packs).find(id)->version, QStringLiteral("1.0.0"));
    QVERIFY(emptyOrMissing(m_packs + QStringLiteral("/staging")));
    QVERIFY(emptyOrMissing(m_packs + QStringLiteral("/tmp")));
    QCOMPARE(readAll(m_sentinel), QByteArray("learner's own file\n"));
}

void tst_PackInstaller::refusesAnotherKeyForAnInstalledPack()
{
    QVERIFY(installV1().ok);
    const QString archive = makeSignedArchive(
        m_other, m_home->filePath(QStringLiteral("work")), m_home->filePath(QStringLiteral("out3")),
        QStringLiteral("org.example.day1"), QStringLiteral("5.0.0"));
    PackInstallRequest request;
    request.archive = archive;
    request.key = m_other.key; // the learner is talked into trusting another key
    const PackInstallResult r = PackInstaller(m_packs).install(request);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("was installed with key")), qPrintable(r.error));
    QCOMPARE(PackInstaller(m_packs).find(QStringLiteral("org.example.day1"))->version,
             QStringLiteral("1.0.0"));
}

void tst_PackInstaller::removeKeepsProgress()
{
    QVERIFY(installV1().ok);
    ProgressStore progress(m_home->filePath(QStringLiteral("data/progress")));
    QVERIFY(progress.saveCode(QStringLiteral("org.example.day1"), QStringLiteral("squares"),
                              QStringLiteral("exercise.cpp"), QStringLiteral("// kept\n")));
    PackInstaller installer(m_packs);
    QString error;
    QVERIFY2(installer.remove(QStringLiteral("org.example.day1"), &error), qPrintable(error));
    QVERIFY(!installer.find(QStringLiteral("org.example.day1")));
    QVERIFY(!QFileInfo::exists(installer.packDirectory(QStringLiteral("org.example.day1"))));
    // The trust record outlives the pack (rollbackRefusedAfterRemove, keyKeptAfterRemove).
    QCOMPARE(TrustStore(m_packs).keyForPack(QStringLiteral("org.example.day1")),
             std::optional(m_key.key));
    QCOMPARE(progress.load(QStringLiteral("org.example.day1"), QStringLiteral("squares"))
                 .code.value(QStringLiteral("exercise.cpp")),
             QStringLiteral("// kept\n"));
    QVERIFY(!installer.remove(QStringLiteral("org.example.day1"), &error));
    QVERIFY(error.contains(QLatin1String("No pack")));
    QVERIFY(!installer.remove(QStringLiteral("../escape"), &error));
}

// Removing a pack must not open a way back to an older version: the highest
// version ever installed stays in the trust store.
void tst_PackInstaller::rollbackRefusedAfterRemove()
{
    const QString id = QStringLiteral("org.example.day1");
    const QString work = m_home->filePath(QStringLiteral("work"));
    const QString out = m_home->filePath(QStringLiteral("out"));
    const auto install = [&](const QString &version) {
        PackInstallRequest request;
        request.archive = makeSignedArchive(m_key, work, out, id, version, version.toUtf8());
        request.key = m_key.key;
        return PackInstaller(m_packs).install(request);
    };
    QVERIFY(install(QStringLiteral("1.0.0")).ok);
    QVERIFY(install(QStringLiteral("1.1.0")).ok);
    QCOMPARE(TrustStore(m_packs).pack(id)->highestVersion, QStringLiteral("1.1.0"));
    QString error;
    QVERIFY2(PackInstaller(m_packs).remove(id, &error), qPrintable(error));

    const auto before = snapshot(m_home->path());
    PackInstallResult r = install(QStringLiteral("1.0.0"));
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("rollback")) &&
                 r.error.contains(QLatin1String("1.0.0")) &&
                 r.error.contains(QLatin1String("1.1.0")),
             qPrintable(r.error));
    QVERIFY(!PackInstaller(m_packs).find(id));
    QVERIFY(!QFileInfo::exists(PackInstaller(m_packs).packDirectory(id)));
    // Nothing changed but the archive built for the attempt.
    QCOMPARE(withoutBuilds(snapshot(m_home->path())), withoutBuilds(before));
    QVERIFY(emptyOrMissing(m_packs + QStringLiteral("/staging")));

    // The same version comes back; the floor does not move down.
    r = install(QStringLiteral("1.1.0"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.previousVersion.isEmpty());
    QCOMPARE(TrustStore(m_packs).pack(id)->highestVersion, QStringLiteral("1.1.0"));
    QVERIFY(install(QStringLiteral("1.2.0")).ok);
    QCOMPARE(TrustStore(m_packs).pack(id)->highestVersion, QStringLiteral("1.2.0"));
}

// Remove + install with a key the learner was talked into does not hand the
// pack id to someone else; forgetting the record is the deliberate way out.
void tst_PackInstaller::keyKeptAfterRemove()
{
    const QString id = QStringLiteral("org.example.day1");
    QVERIFY(installV1().ok);
    QVERIFY(PackInstaller(m_packs).remove(id));
    PackInstallRequest request;
    request.archive =
        makeSignedArchive(m_other, m_home->filePath(QStringLiteral("work")),
                          m_home->filePath(QStringLiteral("out3")), id, QStringLiteral("5.0.0"));
    request.key = m_other.key;
    PackInstallResult r = PackInstaller(m_packs).install(request);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("was installed with key")) &&
                 r.error.contains(m_key.key.keyIdHex()) &&
                 r.error.contains(m_other.key.keyIdHex()) &&
                 r.error.contains(QLatin1String("new id")),
             qPrintable(r.error));
    QVERIFY(!PackInstaller(m_packs).find(id));

    QString error;
    QVERIFY2(TrustStore(m_packs).forgetPack(id, &error), qPrintable(error));
    QVERIFY(!TrustStore(m_packs).pack(id));
    QVERIFY(TrustStore(m_packs).forgetPack(id, &error)); // nothing to forget is fine
    r = PackInstaller(m_packs).install(request);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(TrustStore(m_packs).keyForPack(id), std::optional(m_other.key));
}

// trust.json written before highest_version existed: "packs": {"<id>": "RW..."}.
void tst_PackInstaller::readsTrustRecordsOfOlderLabs()
{
    const QString id = QStringLiteral("org.example.day1");
    QVERIFY(writeAll(m_packs + QStringLiteral("/trust.json"),
                     "{\"packs\": {\"" + id.toUtf8() + "\": \"" + m_key.key.toBase64().toUtf8() +
                         "\"}, \"feeds\": []}"));
    TrustStore trust(m_packs);
    QCOMPARE(trust.keyForPack(id), std::optional(m_key.key));
    QVERIFY(trust.pack(id)->highestVersion.isEmpty());
    PackInstallRequest request;
    request.archive =
        makeSignedArchive(m_other, m_home->filePath(QStringLiteral("work")),
                          m_home->filePath(QStringLiteral("out4")), id, QStringLiteral("1.0.0"));
    request.key = m_other.key;
    QVERIFY(!PackInstaller(m_packs).install(request).ok);
    const PackInstallResult r = installV1();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(trust.pack(id)->highestVersion, QStringLiteral("1.0.0"));
}

// docs/reliability.md row 31: a damaged trust.json or installed.json is never
// read as empty and written back (that would drop every key pin and rollback
// floor, or every other pack from the registry). Installs are refused with a
// message naming the file and the way back, the bytes stay as they are, and
// the checked backup brings the pins back.
void tst_PackInstaller::damagedStateFilesFailClosed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content"); // "<dir>": a folder in its place
    const QByteArray huge =
        "{\"packs\": " + QByteArray("{}") + ", \"pad\": \"" + QByteArray(5 << 20, 'x') + "\"}";
    for (const char *file : {"trust.json", "installed.json"}) {
        const QString name = QString::fromLatin1(file);
        QTest::addRow("%s: garbage", file) << name << QByteArray("\x00\xff garbage {{{");
        QTest::addRow("%s: truncated", file) << name << QByteArray("{\"packs\": {\"org.ex");
        QTest::addRow("%s: empty", file) << name << QByteArray();
        QTest::addRow("%s: not an object", file) << name << QByteArray("[1, 2, 3]");
        QTest::addRow("%s: over 4 MiB", file) << name << huge;
        QTest::addRow("%s: a folder", file) << name << QByteArray("<dir>");
    }
    QTest::addRow("trust.json: packs is a list")
        << QStringLiteral("trust.json") << QByteArray("{\"packs\": [], \"feeds\": []}");
    QTest::addRow("trust.json: a pin is a number")
        << QStringLiteral("trust.json") << QByteArray("{\"packs\": {\"org.example.day1\": 42}}");
    QTest::addRow("trust.json: a pin is no key")
        << QStringLiteral("trust.json")
        << QByteArray("{\"packs\": {\"org.example.day1\": {\"key\": \"RWnotakey\"}}}");
    QTest::addRow("trust.json: a floor is a number")
        << QStringLiteral("trust.json")
        << QByteArray("{\"packs\": {\"org.example.day1\": {\"key\": \"KEY\", "
                      "\"highest_version\": 3}}}");
    QTest::addRow("trust.json: feeds is an object")
        << QStringLiteral("trust.json") << QByteArray("{\"feeds\": {}}");
    QTest::addRow("installed.json: packs is an object")
        << QStringLiteral("installed.json") << QByteArray("{\"packs\": {}}");
    QTest::addRow("installed.json: a version is a number")
        << QStringLiteral("installed.json")
        << QByteArray("{\"packs\": [{\"id\": \"org.example.day1\", \"version\": 1}]}");
    QTest::addRow("installed.json: an entry has a bad id")
        << QStringLiteral("installed.json")
        << QByteArray("{\"packs\": [{\"id\": \"../x\", \"version\": \"1.0.0\"}]}");
}

void tst_PackInstaller::damagedStateFilesFailClosed()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    const QString id = QStringLiteral("org.example.day1");
    const QString other = QStringLiteral("org.example.day2");
    QVERIFY(installV1().ok);
    PackInstallRequest second;
    second.archive =
        makeSignedArchive(m_key, m_home->filePath(QStringLiteral("work")),
                          m_home->filePath(QStringLiteral("out")), other, QStringLiteral("1.0.0"));
    second.key = m_key.key;
    QVERIFY(PackInstaller(m_packs).install(second).ok);
    const QString path = m_packs + QLatin1Char('/') + file;
    QVERIFY(QFile::exists(path + QStringLiteral(".bak")));

    content.replace("KEY", m_key.key.toBase64().toLatin1());
    if (content == "<dir>") {
        QVERIFY(QFile::remove(path));
        QVERIFY(QDir().mkpath(path + QStringLiteral("/inside")));
    } else {
        QVERIFY(writeAll(path, content));
    }
    const auto before = withoutBuilds(snapshot(m_packs));

    // A stranger's key and a higher version: with the pins gone it would pass.
    const QString work = m_home->filePath(QStringLiteral("work"));
    PackInstallRequest stranger;
    stranger.archive = makeSignedArchive(m_other, work, m_home->filePath(QStringLiteral("out5")),
                                         id, QStringLiteral("9.0.0"), "taken over");
    stranger.key = m_other.key;
    // The rightful author's update is refused too: writing installed.json now
    // would drop the other pack, writing trust.json would drop every pin.
    PackInstallRequest update;
    update.archive = makeSignedArchive(m_key, work, m_home->filePath(QStringLiteral("out6")), id,
                                       QStringLiteral("1.1.0"));
    update.key = m_key.key;
    for (const PackInstallRequest &request : {stranger, update}) {
        const PackInstallResult r = PackInstaller(m_packs).install(request);
        QVERIFY2(!r.ok, qPrintable(QStringLiteral("installed %1 %2").arg(r.id, r.version)));
        QVERIFY2(r.error.contains(file) && r.error.contains(QLatin1String("damaged")) &&
                     r.error.contains(QLatin1String("--restore-backup")),
                 qPrintable(r.error));
    }
    QString error;
    QVERIFY(!PackInstaller(m_packs).remove(other, &error));
    QVERIFY2(error.contains(file), qPrintable(error));
    if (file == QLatin1String("trust.json"))
        QVERIFY(!TrustStore(m_packs).forgetPack(id, &error));
    QVERIFY(!PackInstaller(m_packs).status());
    if (file == QLatin1String("trust.json"))
        QVERIFY(!TrustStore(m_packs).status());
    else
        QVERIFY(PackInstaller(m_packs).installed().isEmpty());
    QCOMPARE(withoutBuilds(snapshot(m_packs)), before);
    if (content != "<dir>")
        QCOMPARE(readAll(path), content);
    QCOMPARE(readAll(m_sentinel), QByteArray("learner's own file\n"));

    // The checked backup brings pins and registry back; the damaged file is kept aside.
    if (content == "<dir>")
        QVERIFY(QDir(path).removeRecursively());
    PackInstaller installer(m_packs);
    const Status restored = file == QLatin1String("trust.json")
                                ? TrustStore(m_packs).restoreBackup()
                                : installer.restoreRegistryBackup();
    QVERIFY2(restored.ok(), qPrintable(restored.error()));
    QVERIFY(installer.status());
    if (content != "<dir>")
        QCOMPARE(readAll(path + QStringLiteral(".damaged")), content);
    QCOMPARE(installer.installed().size(), 2);
    QCOMPARE(TrustStore(m_packs).keyForPack(id), std::optional(m_key.key));
    const PackInstallResult r = installer.install(stranger);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("was installed with key")), qPrintable(r.error));
    QVERIFY(installer.install(update).ok);
    QCOMPARE(installer.installed().size(), 2);
}

// A backup whose checksum does not match is recognised and never put back.
void tst_PackInstaller::damagedBackupIsNotRestored()
{
    QVERIFY(installV1().ok);
    const QString path = m_packs + QStringLiteral("/trust.json");
    QByteArray backup = readAll(path + QStringLiteral(".bak"));
    QVERIFY(backup.startsWith("torchlab-backup sha256 "));
    QVERIFY(backup.contains(m_key.key.toBase64().toLatin1()));
    backup.replace(m_key.key.toBase64().toLatin1(), m_other.key.toBase64().toLatin1());
    QVERIFY(writeAll(path + QStringLiteral(".bak"), backup));
    QVERIFY(writeAll(path, "garbage"));
    const Status restored = TrustStore(m_packs).restoreBackup();
    QVERIFY(!restored);
    QVERIFY2(restored.error().contains(QLatin1String("checksum")), qPrintable(restored.error()));
    QCOMPARE(readAll(path), QByteArray("garbage"));
    QCOMPARE(readAll(path + QStringLiteral(".bak")), backup);
}

void tst_PackInstaller::packComment()
{
    QCOMPARE(PackInstaller::parsePackComment(QStringLiteral("pack a.b 1.2.3")),
             std::optional(std::make_pair(QStringLiteral("a.b"), QStringLiteral("1.2.3"))));
    QVERIFY(!PackInstaller::parsePackComment(QStringLiteral("pack a.b 1.2")));
    QVERIFY(!PackInstaller::parsePackComment(QStringLiteral("pack ../x 1.2.3")));
    QVERIFY(!PackInstaller::parsePackComment(QStringLiteral("pack a.b 1.2.3 extra")));
    QVERIFY(!PackInstaller::parsePackComment(QStringLiteral("feed a.b 1.2.3")));
}

QTEST_GUILESS_MAIN(tst_PackInstaller)
#include "tst_packinstaller.moc"
