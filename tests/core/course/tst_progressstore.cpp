// ProgressStore: the learner's work survives everything docs/reliability.md rows
// 23-25 throw at it. A damaged file loads the last good save from its .bak
// (row 23); a process killed with SIGKILL in the middle of saving leaves a
// complete version (row 24); a write that fails (file size limit, a failing
// rename) returns false and leaves the previous save intact (row 25). Ids from
// a pack never place files outside the store's root.
#include "core/course/progressstore.h"
#include "progressversion.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

using namespace torchlab;
using testing::progressVersion;

namespace {

const QString kPack = QStringLiteral("pack");
const QString kLesson = QStringLiteral("lesson");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// Field by field, so a failure names the field.
void compareProgress(const LessonProgress &a, const LessonProgress &b)
{
    QCOMPARE(a.packId, b.packId);
    QCOMPARE(a.lessonId, b.lessonId);
    QCOMPARE(a.status, b.status);
    QCOMPARE(a.code, b.code);
    QCOMPARE(a.starterHash, b.starterHash);
    QCOMPARE(a.attempts, b.attempts);
    QCOMPARE(a.failedAttempts, b.failedAttempts);
    QCOMPARE(a.hintsRevealed, b.hintsRevealed);
    QCOMPARE(a.firstOpened, b.firstOpened);
    QCOMPARE(a.lastEdited, b.lastEdited);
    QCOMPARE(a.passedAt, b.passedAt);
}

// True when `p` is exactly progressVersion(p.attempts): a complete version.
bool isCompleteVersion(const LessonProgress &p)
{
    if (p.attempts <= 0)
        return false;
    const LessonProgress v = progressVersion(p.attempts);
    return p.packId == v.packId && p.lessonId == v.lessonId && p.status == v.status &&
           p.code == v.code && p.starterHash == v.starterHash &&
           p.failedAttempts == v.failedAttempts && p.hintsRevealed == v.hintsRevealed &&
           p.firstOpened == v.firstOpened && p.lastEdited == v.lastEdited &&
           p.passedAt == v.passedAt;
}

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

quint32 testSeed()
{
    const QByteArray fromEnv = qgetenv("TORCHLAB_TEST_SEED");
    const quint32 seed =
        fromEnv.isEmpty() ? QRandomGenerator::global()->generate() : fromEnv.toUInt();
    qInfo("seed %u (TORCHLAB_TEST_SEED=%u repeats this run)", seed, seed);
    return seed;
}

} // namespace

class TestProgressStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statusNames()
    {
        for (LessonStatus s :
             {LessonStatus::NotStarted, LessonStatus::InProgress, LessonStatus::Passed})
            QCOMPARE(lessonStatusFromName(lessonStatusName(s)), s);
        QCOMPARE(lessonStatusName(LessonStatus::InProgress), QStringLiteral("in_progress"));
        QVERIFY(!lessonStatusFromName(QStringLiteral("done")));
    }

    void defaultRootIsUnderXdgDataHome()
    {
        QTemporaryDir home;
        const QByteArray old = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", home.path().toUtf8());
        const ProgressStore store;
        qputenv("XDG_DATA_HOME", old);
        QCOMPARE(store.root(), home.path() + QStringLiteral("/torchlab/progress"));
        QCOMPARE(store.filePath(kPack, kLesson),
                 store.root() + QStringLiteral("/pack/lesson.json"));
    }

    void missingRecordIsNotStarted()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        const LessonProgress p = store.load(kPack, kLesson);
        QCOMPARE(p.packId, kPack);
        QCOMPARE(p.lessonId, kLesson);
        QCOMPARE(p.status, LessonStatus::NotStarted);
        QVERIFY(!p.hasCode());
        QVERIFY(store.recoveredFrom().isEmpty());
        QVERIFY(store.loadPack(kPack).isEmpty());
    }

    void roundTripsEveryField()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        LessonProgress p;
        p.packId = kPack;
        p.lessonId = kLesson;
        p.status = LessonStatus::Passed;
        p.code[QStringLiteral("exercise.cpp")] =
            QStringLiteral("// 张量 ✓ 😀 é\r\n\t\"quoted\" \\ back\u0001\u0000end\n");
        p.code[QStringLiteral("empty.h")] = QString(); // an empty file stays a file
        p.code[QStringLiteral("子/文件.cpp")] = QStringLiteral("int main() {}");
        p.starterHash[QStringLiteral("exercise.cpp")] =
            ProgressStore::sha256Hex(QStringLiteral("starter"));
        p.attempts = 7;
        p.failedAttempts = 6;
        p.hintsRevealed = 2;
        p.firstOpened = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        p.lastEdited = QDateTime::fromMSecsSinceEpoch(1700000500456, Qt::UTC);
        p.passedAt = QDateTime::fromMSecsSinceEpoch(1700000600789, Qt::UTC);
        QVERIFY2(store.save(p), qPrintable(store.lastError()));
        QVERIFY(store.lastError().isEmpty());

        const LessonProgress back = ProgressStore(tmp.path()).load(kPack, kLesson);
        compareProgress(back, p);
        QVERIFY(back.code.contains(QStringLiteral("empty.h")));
        QCOMPARE(back.lastEdited.timeSpec(), Qt::UTC);

        // Never-set times stay invalid.
        LessonProgress fresh;
        fresh.packId = kPack;
        fresh.lessonId = QStringLiteral("other");
        QVERIFY(store.save(fresh));
        const LessonProgress freshBack = store.load(kPack, QStringLiteral("other"));
        compareProgress(freshBack, fresh);
        QVERIFY(!freshBack.passedAt.isValid());

        const QHash<QString, LessonProgress> all = store.loadPack(kPack);
        QCOMPARE(all.size(), 2);
        compareProgress(all.value(kLesson), p);
    }

    void fileIsJsonWithSchemaAndChecksum()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        QVERIFY(store.save(progressVersion(4)));
        QJsonParseError error;
        const QJsonObject o =
            QJsonDocument::fromJson(readAll(store.filePath(kPack, kLesson)), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("schema")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("lesson")).toString(), kLesson);
        QCOMPARE(o.value(QStringLiteral("attempts")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("sha256")).toString().size(), 64);
        QCOMPARE(
            ProgressStore::sha256Hex(QStringLiteral("abc")),
            QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void hostileIdsStayInsideTheRoot_data()
    {
        QTest::addColumn<QString>("packId");
        QTest::addColumn<QString>("lessonId");
        QTest::newRow("dotdot-slash")
            << QStringLiteral("../x") << QStringLiteral("../../etc/passwd");
        QTest::newRow("slash") << QStringLiteral("a/b") << QStringLiteral("c/d");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("nul") << QStringLiteral("p\u0000q") << QString(QChar(0));
        QTest::newRow("dot") << QStringLiteral(".") << QStringLiteral("..");
        QTest::newRow("absolute") << QStringLiteral("/tmp") << QStringLiteral("/abs");
        QTest::newRow("backslash") << QStringLiteral("..\\..") << QStringLiteral("C:\\x");
        QTest::newRow("hidden") << QStringLiteral(".git") << QStringLiteral(".bashrc");
        QTest::newRow("unicode") << QStringLiteral("课程") << QStringLiteral("第一课 %2F");
        QTest::newRow("long") << QStringLiteral("p").repeated(2000)
                              << QStringLiteral("/").repeated(3000);
        QTest::newRow("suffixes") << kPack << QStringLiteral("lesson.json.bak");
    }

    void hostileIdsStayInsideTheRoot()
    {
        QFETCH(QString, packId);
        QFETCH(QString, lessonId);
        QTemporaryDir tmp;
        const QString root = tmp.path() + QStringLiteral("/root");
        ProgressStore store(root);
        // A plain record next to it: a hostile id must not land on its files.
        QVERIFY(store.save(progressVersion(1)));

        LessonProgress p = progressVersion(2);
        p.packId = packId;
        p.lessonId = lessonId;
        const QString path = store.filePath(packId, lessonId);
        QVERIFY2(path.startsWith(root + QLatin1Char('/')), qPrintable(path));
        QVERIFY2(QDir::cleanPath(path) == path, qPrintable(path));
        QVERIFY2(!path.mid(root.size() + 1).startsWith(QLatin1Char('.')), qPrintable(path));
        QVERIFY(QFileInfo(path).fileName().toUtf8().size() < 200);
        QVERIFY2(store.save(p), qPrintable(store.lastError()));

        for (const QString &file : filesUnder(tmp.path()))
            QVERIFY2(file.startsWith(root + QLatin1Char('/')), qPrintable(file));
        QVERIFY(QFileInfo::exists(path));
        compareProgress(store.load(packId, lessonId), p);
        compareProgress(store.load(kPack, kLesson), progressVersion(1));
        const QHash<QString, LessonProgress> pack = store.loadPack(packId);
        QVERIFY(pack.contains(lessonId));
        compareProgress(pack.value(lessonId), p);
    }

    void similarIdsGetDistinctFiles()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        const QStringList ids{QStringLiteral("a/b"),
                              QStringLiteral("a%2Fb"),
                              QStringLiteral("a_b"),
                              QStringLiteral("a%2fb"),
                              QString(),
                              QStringLiteral("%"),
                              QStringLiteral("x").repeated(500),
                              QStringLiteral("x").repeated(501)};
        QSet<QString> paths;
        for (const QString &id : ids)
            paths.insert(store.filePath(kPack, id));
        QCOMPARE(paths.size(), ids.size());
    }

    // Row 23: a truncated or damaged file is detected; the previous save comes back.
    void damagedFileLoadsTheBackup()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        const LessonProgress v1 = progressVersion(1);
        const LessonProgress v2 = progressVersion(2);
        QVERIFY(store.save(v1));
        QVERIFY(store.save(v2));
        const QString path = store.filePath(kPack, kLesson);
        const QString bak = path + QStringLiteral(".bak");
        QVERIFY(QFileInfo::exists(bak));
        const QByteArray good = readAll(path);
        QVERIFY(good.size() > 100);

        QRandomGenerator random(testSeed());
        for (int round = 0; round < 200; ++round) {
            QByteArray bad = good;
            const bool truncate = round % 2 == 0;
            const int at = random.bounded(int(good.size()));
            if (truncate)
                bad.truncate(at);
            else
                bad[at] = char(bad[at] ^ char(1 + random.bounded(255)));
            QVERIFY(writeAll(path, bad));
            ProgressStore fresh(tmp.path());
            const LessonProgress p = fresh.load(kPack, kLesson);
            const QString where =
                QStringLiteral("%1 at %2").arg(truncate ? "truncated" : "flipped").arg(at);
            if (fresh.recoveredFrom().isEmpty()) {
                // Only a change that leaves the same record (JSON whitespace) may pass as good.
                QVERIFY2(isCompleteVersion(p) && p.attempts == 2, qPrintable(where));
            } else {
                QCOMPARE(fresh.recoveredFrom(), bak);
                QVERIFY2(isCompleteVersion(p) && p.attempts == 1, qPrintable(where));
            }
        }

        // Saving over a damaged file keeps the good backup.
        QVERIFY(writeAll(path, good.left(good.size() / 2)));
        LessonProgress v3 = progressVersion(3);
        QVERIFY(store.save(v3));
        compareProgress(store.load(kPack, kLesson), v3);
        QVERIFY(store.recoveredFrom().isEmpty());
        QVERIFY(writeAll(path, "{"));
        compareProgress(store.load(kPack, kLesson), v1);
        QCOMPARE(store.recoveredFrom(), bak);
    }

    void bothDamagedLoadsEmptyAndSaysSo()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        QVERIFY(store.save(progressVersion(1)));
        QVERIFY(store.save(progressVersion(2)));
        const QString path = store.filePath(kPack, kLesson);
        const QByteArray main = readAll(path);
        const QByteArray bak = readAll(path + QStringLiteral(".bak"));
        QRandomGenerator random(testSeed());
        for (int round = 0; round < 50; ++round) {
            QVERIFY(writeAll(path, main.left(random.bounded(int(main.size())))));
            QVERIFY(
                writeAll(path + QStringLiteral(".bak"), bak.left(random.bounded(int(bak.size())))));
            ProgressStore fresh(tmp.path());
            const LessonProgress p = fresh.load(kPack, kLesson);
            QCOMPARE(p.status, LessonStatus::NotStarted);
            QVERIFY(!p.hasCode());
            QCOMPARE(p.attempts, 0);
            QCOMPARE(p.lessonId, kLesson);
            QVERIFY(!fresh.recoveredFrom().isEmpty());
            QVERIFY(!fresh.lastError().isEmpty());
        }
        // A missing main file with a damaged backup is no crash either.
        QVERIFY(QFile::remove(path));
        const LessonProgress p = store.load(kPack, kLesson);
        QVERIFY(!p.hasCode());
        // Binary garbage, huge numbers and wrong types.
        for (const QByteArray &junk :
             {QByteArray(4096, '\0'), QByteArray("[1,2,3]"),
              QByteArray("{\"schema\":1,\"attempts\":\"x\"}"), QByteArray("{\"schema\":99}"),
              QByteArray("\xff\xfe\x00{")}) {
            QVERIFY(writeAll(path, junk));
            QVERIFY(!store.load(kPack, kLesson).hasCode());
            QVERIFY(!store.recoveredFrom().isEmpty());
        }
        // The next save works and becomes the good state.
        QVERIFY(store.save(progressVersion(5)));
        compareProgress(store.load(kPack, kLesson), progressVersion(5));
        QVERIFY(store.recoveredFrom().isEmpty());
    }

    // Row 24: SIGKILL at random moments while a child saves version after
    // version; what is on disk is always exactly one complete version, and
    // never older than the last one the child was told was saved.
    void killDuringSaveLeavesACompleteVersion()
    {
        QTemporaryDir tmp;
        QRandomGenerator random(testSeed());
        int lastReported = 0;
        int killedMidRun = 0;
        for (int round = 0; round < 24; ++round) {
            QProcess child;
            child.setProgram(QStringLiteral(PROGRESSCHILD_PATH));
            child.setArguments({QStringLiteral("loop"), tmp.path(), QStringLiteral("100000")});
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start();
            QVERIFY(child.waitForStarted());
            // Wait for a random number of completed saves, then kill after a
            // random delay of up to 3 ms: the delay only places the kill
            // somewhere inside the next save, it waits for nothing.
            const int saves = 1 + random.bounded(6);
            QByteArray out;
            int seen = 0;
            while (seen < saves) {
                QVERIFY2(child.state() == QProcess::Running || child.bytesAvailable() > 0,
                         "the child stopped saving");
                if (!child.canReadLine())
                    QVERIFY(child.waitForReadyRead(30'000) || child.canReadLine());
                while (child.canReadLine()) {
                    const int k = child.readLine().trimmed().toInt();
                    QVERIFY(k > lastReported);
                    lastReported = k;
                    ++seen;
                }
            }
            std::this_thread::sleep_for(std::chrono::microseconds(random.bounded(3000)));
            if (child.state() == QProcess::Running) {
                ::kill(pid_t(child.processId()), SIGKILL);
                ++killedMidRun;
            }
            QVERIFY(child.waitForFinished(30'000));
            out = child.readAllStandardOutput();
            for (const QByteArray &line : out.split('\n'))
                if (!line.trimmed().isEmpty())
                    lastReported = std::max(lastReported, line.trimmed().toInt());

            ProgressStore store(tmp.path());
            const LessonProgress p = store.load(kPack, kLesson);
            QVERIFY2(store.recoveredFrom().isEmpty(), qPrintable(store.lastError()));
            QVERIFY2(
                isCompleteVersion(p),
                qPrintable(QStringLiteral("round %1: attempts %2").arg(round).arg(p.attempts)));
            // Saved means saved; at most the one save in flight may have landed too.
            QVERIFY2(p.attempts == lastReported || p.attempts == lastReported + 1,
                     qPrintable(QStringLiteral("round %1: on disk v%2, last reported v%3")
                                    .arg(round)
                                    .arg(p.attempts)
                                    .arg(lastReported)));
            lastReported = p.attempts;
            // The backup is a complete version too.
            const QString bak = store.filePath(kPack, kLesson) + QStringLiteral(".bak");
            if (QFileInfo::exists(bak)) {
                QVERIFY(writeAll(store.filePath(kPack, kLesson), "damaged"));
                const LessonProgress b = store.load(kPack, kLesson);
                QVERIFY2(isCompleteVersion(b),
                         qPrintable(QStringLiteral("round %1: backup v%2, %3 %4")
                                        .arg(round)
                                        .arg(b.attempts)
                                        .arg(store.recoveredFrom(), store.lastError())));
                QVERIFY(b.attempts <= p.attempts);
                QVERIFY(store.save(p)); // put the newest back for the next round
            }
        }
        QCOMPARE(killedMidRun, 24);
        qInfo("reached v%d over 24 kills", lastReported);
    }

    // Two labs (or a lab and torchlab-cli) saving into the same store at once:
    // each load-change-save holds the lesson's lock, temporaries have unique
    // names, so no update is lost, no file is ever read half-written and no
    // temporary is left behind (docs/reliability.md row 39).
    void concurrentSavesLoseNothing()
    {
        QTemporaryDir tmp;
        constexpr int Count = 40;
        QList<QProcess *> children;
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b")}) {
            auto *child = new QProcess(this);
            child->setProcessChannelMode(QProcess::ForwardedChannels);
            child->start(
                QStringLiteral(PROGRESSCHILD_PATH),
                {QStringLiteral("race"), tmp.path(), name + QStringLiteral(":%1").arg(Count)});
            children << child;
        }
        for (QProcess *child : std::as_const(children)) {
            QVERIFY(child->waitForFinished(120'000));
            QCOMPARE(child->exitStatus(), QProcess::NormalExit);
            QCOMPARE(child->exitCode(), 0);
            delete child;
        }
        ProgressStore store(tmp.path());
        const LessonProgress shared = store.load(QStringLiteral("pack"), QStringLiteral("shared"));
        QVERIFY(store.recoveredFrom().isEmpty());
        QCOMPARE(shared.attempts, 2 * Count); // every check of both counted
        QCOMPARE(shared.failedAttempts, 2 * Count);
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b")}) {
            const LessonProgress mine = store.load(QStringLiteral("pack"), name);
            QVERIFY(store.recoveredFrom().isEmpty());
            QCOMPARE(mine.code.value(QStringLiteral("main.cpp")), QStringLiteral("v%1").arg(Count));
        }
        QStringList left =
            QDir(tmp.path() + QStringLiteral("/pack")).entryList(QDir::Files | QDir::Hidden);
        left.sort();
        QCOMPARE(left, (QStringList{"a.json", "a.json.bak", "a.json.lock", "b.json", "b.json.bak",
                                    "b.json.lock", "shared.json", "shared.json.bak",
                                    "shared.json.lock"}));
    }

    // Two stores in one process (the lab's autosave thread and its window)
    // updating one lesson at once lose nothing either.
    void concurrentStoresInThreadsLoseNothing()
    {
        QTemporaryDir tmp;
        constexpr int Count = 30;
        auto work = [&tmp] {
            ProgressStore store(tmp.path());
            bool ok = true;
            for (int k = 0; k < Count; ++k)
                ok = store.recordCheck(QStringLiteral("pack"), QStringLiteral("one"), true) && ok;
            return ok;
        };
        bool first = false, second = false;
        std::unique_ptr<QThread> a(QThread::create([&] { first = work(); }));
        std::unique_ptr<QThread> b(QThread::create([&] { second = work(); }));
        a->start();
        b->start();
        QVERIFY(a->wait(120'000) && b->wait(120'000));
        QVERIFY(first && second);
        QCOMPARE(
            ProgressStore(tmp.path()).load(QStringLiteral("pack"), QStringLiteral("one")).attempts,
            2 * Count);
    }

    // A lock file left by a lab that died holds nothing; a lock held by a
    // live writer makes save() wait, then fail with a reason, never write.
    void deadLockIsNoLockLiveLockIsWaitedFor()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        QVERIFY(store.save(progressVersion(1)));
        const QByteArray lockPath = QFile::encodeName(store.filePath(kPack, kLesson) + ".lock");
        QVERIFY(QFileInfo::exists(QString::fromUtf8(lockPath)));
        QVERIFY(store.save(progressVersion(2)));

        const int held = ::open(lockPath.constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(held >= 0);
        QCOMPARE(::flock(held, LOCK_EX | LOCK_NB), 0);
        store.setLockTimeout(300);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!store.save(progressVersion(3)));
        QVERIFY(!store.recordCheck(kPack, kLesson, true));
        QVERIFY(clock.elapsed() >= 500);
        QVERIFY2(store.lastError().contains(QStringLiteral("another")),
                 qPrintable(store.lastError()));
        ::close(held);
        compareProgress(store.load(kPack, kLesson), progressVersion(2));
        QVERIFY(store.save(progressVersion(3)));
    }

    // Row 25: the file size limit stops the write; save() says so, the old save stays.
    void fileSizeLimitKeepsTheOldSave()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        QVERIFY(store.save(progressVersion(1)));
        QVERIFY(store.save(progressVersion(2)));
        const QString path = store.filePath(kPack, kLesson);
        const QStringList before = filesUnder(tmp.path());
        const QByteArray mainBefore = readAll(path);
        const QByteArray bakBefore = readAll(path + QStringLiteral(".bak"));

        QProcess child;
        child.start(QStringLiteral(PROGRESSCHILD_PATH),
                    {QStringLiteral("fsize"), tmp.path(), QStringLiteral("65536")});
        QVERIFY(child.waitForFinished(30'000));
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        const QList<QByteArray> lines = child.readAllStandardOutput().split('\n');
        QCOMPARE(lines.value(0), QByteArray("false"));
        QVERIFY2(!lines.value(1).trimmed().isEmpty(), "lastError() must say why");

        QCOMPARE(readAll(path), mainBefore);
        QCOMPARE(readAll(path + QStringLiteral(".bak")), bakBefore);
        QCOMPARE(filesUnder(tmp.path()), before); // no half-written temporary left behind
        const LessonProgress p = store.load(kPack, kLesson);
        QVERIFY(store.recoveredFrom().isEmpty());
        compareProgress(p, progressVersion(2));
    }

    // Row 25: a rename that fails (the destination is a non-empty folder,
    // which even root cannot replace) leaves everything as it was.
    void failingRenameKeepsTheOldSave()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        QVERIFY(store.save(progressVersion(1)));
        QVERIFY(store.save(progressVersion(2)));
        const QString path = store.filePath(kPack, kLesson);
        const QByteArray bakBefore = readAll(path + QStringLiteral(".bak"));
        QVERIFY(QFile::rename(path, tmp.path() + QStringLiteral("/aside.json")));
        QVERIFY(QDir().mkpath(path));
        QVERIFY(writeAll(path + QStringLiteral("/keep.txt"), "keep"));

        QVERIFY(!store.save(progressVersion(3)));
        QVERIFY(!store.lastError().isEmpty());
        QCOMPARE(readAll(path + QStringLiteral("/keep.txt")), QByteArray("keep"));
        QCOMPARE(readAll(path + QStringLiteral(".bak")), bakBefore);
        const QStringList left =
            QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files | QDir::Hidden);
        // The backup and the lock file; no temporary.
        QCOMPARE(left, (QStringList{QFileInfo(path).fileName() + QStringLiteral(".bak"),
                                    QFileInfo(path).fileName() + QStringLiteral(".lock")}));
        // The folder in the way is no record: the backup comes back.
        const LessonProgress p = store.load(kPack, kLesson);
        QCOMPARE(p.attempts, 1);
        QVERIFY(!store.recoveredFrom().isEmpty());

        // A file where the pack's folder should be: false, nothing changed.
        ProgressStore other(tmp.path());
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/blocked"), "a file"));
        LessonProgress blocked = progressVersion(1);
        blocked.packId = QStringLiteral("blocked");
        QVERIFY(!other.save(blocked));
        QVERIFY(!other.lastError().isEmpty());
        QCOMPARE(readAll(tmp.path() + QStringLiteral("/blocked")), QByteArray("a file"));
    }

    void convenienceUpdates()
    {
        QTemporaryDir tmp;
        ProgressStore store(tmp.path());
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);

        QVERIFY(store.markOpened(kPack, kLesson));
        LessonProgress p = store.load(kPack, kLesson);
        QVERIFY(p.firstOpened >= before);
        QCOMPARE(p.status, LessonStatus::NotStarted);
        const QDateTime opened = p.firstOpened;
        QVERIFY(store.markOpened(kPack, kLesson));
        QCOMPARE(store.load(kPack, kLesson).firstOpened, opened); // the first opening stays

        QVERIFY(store.saveCode(kPack, kLesson, QStringLiteral("exercise.cpp"),
                               QStringLiteral("int x;")));
        QVERIFY(store.saveCode(kPack, kLesson, QStringLiteral("model.h"), QStringLiteral("// h")));
        p = store.load(kPack, kLesson);
        QCOMPARE(p.status, LessonStatus::InProgress);
        QCOMPARE(p.code.value(QStringLiteral("exercise.cpp")), QStringLiteral("int x;"));
        QCOMPARE(p.code.value(QStringLiteral("model.h")), QStringLiteral("// h"));
        QVERIFY(p.lastEdited >= before);

        QVERIFY(store.recordCheck(kPack, kLesson, false));
        QVERIFY(store.recordCheck(kPack, kLesson, false));
        p = store.load(kPack, kLesson);
        QCOMPARE(p.attempts, 2);
        QCOMPARE(p.failedAttempts, 2);
        QCOMPARE(p.status, LessonStatus::InProgress);
        QVERIFY(!p.passedAt.isValid());

        QVERIFY(store.recordHint(kPack, kLesson, 2));
        QVERIFY(store.recordHint(kPack, kLesson, 1)); // hints once shown stay shown
        QCOMPARE(store.load(kPack, kLesson).hintsRevealed, 2);

        QVERIFY(store.recordCheck(kPack, kLesson, true));
        p = store.load(kPack, kLesson);
        QCOMPARE(p.status, LessonStatus::Passed);
        QCOMPARE(p.attempts, 3);
        QCOMPARE(p.failedAttempts, 2);
        QVERIFY(p.passedAt.isValid());
        const QDateTime passedAt = p.passedAt;

        // Passed stays passed (and keeps its date) through later failures and edits.
        QVERIFY(store.recordCheck(kPack, kLesson, false));
        QVERIFY(store.saveCode(kPack, kLesson, QStringLiteral("exercise.cpp"),
                               QStringLiteral("int y;")));
        p = store.load(kPack, kLesson);
        QCOMPARE(p.status, LessonStatus::Passed);
        QCOMPARE(p.passedAt, passedAt);
        QCOMPARE(p.failedAttempts, 3);

        QVERIFY(store.clearCode(kPack, kLesson));
        p = store.load(kPack, kLesson);
        QVERIFY(!p.hasCode());
        QCOMPARE(p.status, LessonStatus::Passed);
        QCOMPARE(p.attempts, 4);
        QCOMPARE(p.hintsRevealed, 2);
    }
};

QTEST_GUILESS_MAIN(TestProgressStore)
#include "tst_progressstore.moc"
