// torchlab-cli pack validate and check, end to end on the example pack:
// output format, exit codes (0 valid/passed, 1 invalid/failed, 2 usage) and
// the results.json shape that instructors' CI reads; pack new and pack build
// (a valid skeleton, byte-identical archives); pack sign, install, list and
// remove as an instructor and a student run them, with keys and signatures
// from the real minisign tool and the student's files in a temporary XDG home.
#include "clitestutil.h"
#include "helpers/packtestutil.h"
#include "helpers/requiredeps.h"

#include "core/course/progressstore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace clitest;

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + path.mid(from.size());
        if (it.fileInfo().isDir() ? !QDir().mkpath(target) : !QFile::copy(path, target))
            return false;
    }
    return true;
}

} // namespace

class TestPackCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validateValid()
    {
        const Result r = cli({QStringLiteral("pack"), QStringLiteral("validate"), kExample});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(
                     "org.torchlab.example 0.2.0, 2 lessons, 13 checks; 0 errors, 0 warnings"),
                 r.out.constData());
    }

    void validateBroken()
    {
        QTemporaryDir tmp;
        QVERIFY(copyTree(kExample, tmp.path() + QStringLiteral("/p")));
        QFile lesson(tmp.path() + QStringLiteral("/p/02-fit/lesson.toml"));
        QVERIFY(lesson.open(QIODevice::ReadWrite));
        QByteArray text = lesson.readAll();
        text.replace("kind = \"exits_ok\"", "kind = \"exit_ok\"");
        text.replace("show_solution =", "show_soluton =");
        lesson.resize(0);
        lesson.write(text);
        lesson.close();

        Result r = cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p")},
                       tmp.path());
        QCOMPARE(r.code, 1);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY2(lines.size() >= 3, r.out.constData());
        QVERIFY2(
            lines[0].startsWith("p/02-fit/lesson.toml:7:1: warning: Unknown key \"show_soluton\""),
            r.out.constData());
        QVERIFY2(lines[1].startsWith("p/02-fit/lesson.toml:") &&
                     lines[1].contains(": error: Unknown check kind \"exit_ok\""),
                 r.out.constData());
        QVERIFY2(lines[2].contains("1 error, 1 warning") && lines[2].contains("not valid"),
                 r.out.constData());

        // Only warnings: valid, unless --strict.
        text.replace("kind = \"exit_ok\"", "kind = \"exits_ok\"");
        QVERIFY(lesson.open(QIODevice::WriteOnly | QIODevice::Truncate));
        lesson.write(text);
        lesson.close();
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p")},
                     tmp.path())
                     .code,
                 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p"),
                      QStringLiteral("--strict")},
                     tmp.path())
                     .code,
                 1);

        r = cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p"),
                 QStringLiteral("--json")},
                tmp.path());
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(j.value(QStringLiteral("warnings")).toInt(), 1);
        const QJsonObject p = j.value(QStringLiteral("problems")).toArray().first().toObject();
        QCOMPARE(p.value(QStringLiteral("file")).toString(),
                 QStringLiteral("p/02-fit/lesson.toml"));
        QCOMPARE(p.value(QStringLiteral("line")).toInt(), 7);
        QCOMPARE(p.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
    }

    void usage()
    {
        QCOMPARE(cli({QStringLiteral("pack")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("--help")})
                     .code,
                 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"),
                      QStringLiteral("/no/such/pack")})
                     .code,
                 1);
        QCOMPARE(cli({QStringLiteral("check")}).code, 2);
        Result r = cli({QStringLiteral("check"), kExample, QStringLiteral("--lesson"),
                        QStringLiteral("nope")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("squares, fit"), r.err.constData());
        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--use"),
                 QStringLiteral("/no/such.cpp")});
        QCOMPARE(r.code, 2);
        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--use"),
                 kExample + QStringLiteral("/02-fit/exercise.cpp")});
        QCOMPARE(r.code, 2); // a file for two lessons
        QVERIFY(r.err.contains("exactly one --lesson"));
        QCOMPARE(
            cli({QStringLiteral("check"), kExample, QStringLiteral("--lang"), QStringLiteral("de")})
                .code,
            2);
        QVERIFY(cli({QStringLiteral("--help")}).out.contains("pack validate DIR"));
    }

    // pack new -> validate --strict -> build, twice in separate processes
    // (same bytes), after touching every mtime, and with the default name.
    void newValidateBuild()
    {
        QTemporaryDir tmp;
        Result r = cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("My Course"),
                        QStringLiteral("--id"), QStringLiteral("edu.example.course")},
                       tmp.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("My Course/01-first-lesson/lesson.toml\n"), r.out.constData());
        QVERIFY2(r.out.contains("torchlab-cli pack validate 'My Course'"), r.out.constData());
        r = cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("My Course"),
                 QStringLiteral("--strict")},
                tmp.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(
            r.out.contains("edu.example.course 0.1.0, 1 lessons, 5 checks; 0 errors, 0 warnings"),
            r.out.constData());

        // Never over an existing pack.
        QFile manifest(tmp.filePath(QStringLiteral("My Course/pack.toml")));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray before = manifest.readAll();
        manifest.close();
        r = cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("My Course")},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not empty"), r.err.constData());
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        QCOMPARE(manifest.readAll(), before);
        manifest.close();

        r = cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("My Course"),
                 QStringLiteral("-o"), QStringLiteral("a.tar.gz")},
                tmp.path());
        QCOMPARE(r.code, 0);
        QFile a(tmp.filePath(QStringLiteral("a.tar.gz")));
        QVERIFY(a.open(QIODevice::ReadOnly));
        const QByteArray first = a.readAll();
        const QByteArray sha = QCryptographicHash::hash(first, QCryptographicHash::Sha256).toHex();
        QVERIFY2(r.out.startsWith("a.tar.gz: edu.example.course 0.1.0, 7 files, " +
                                  QByteArray::number(first.size()) + " bytes, sha256 " + sha +
                                  ", 1 lesson graded\n"),
                 r.out.constData());

        QDirIterator it(tmp.filePath(QStringLiteral("My Course")), QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-7200),
                                  QFileDevice::FileModificationTime));
        }
        r = cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("My Course")},
                tmp.path());
        QCOMPARE(r.code, 0);
        QFile b(tmp.filePath(QStringLiteral("edu.example.course-0.1.0.tar.gz")));
        QVERIFY2(b.open(QIODevice::ReadOnly), r.out.constData());
        QCOMPARE(b.readAll(), first);

        // An invalid pack is never built: the problems go to stderr, no file appears.
        QVERIFY(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
        manifest.write(QByteArray(before).replace("version = \"0.1.0\"", "version = \"one\""));
        manifest.close();
        r = cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("My Course"),
                 QStringLiteral("-o"), QStringLiteral("c.tar.gz")},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("My Course/pack.toml:") && r.err.contains("not a valid pack"),
                 r.err.constData());
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("c.tar.gz"))));

        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("new")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("build")}).code, 2);
        QCOMPARE(
            cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("--help")}).code,
            0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("x"),
                      QStringLiteral("--id"), QStringLiteral("Not An Id")},
                     tmp.path())
                     .code,
                 1);
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("x"))));
        QVERIFY(cli({QStringLiteral("--help")}).out.contains("pack new|build DIR"));
    }

    // A student installs signed archives from files: v1, then v2 (an update),
    // and every kind of archive that must not be installed is refused with
    // exit code 1 and a sentence on stderr, leaving the installed pack and the
    // learner's progress as they were; remove keeps the progress.
    void installSignedPacks()
    {
        if (!packtest::haveMinisign())
            LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString work = tmp.filePath(QStringLiteral("instructor"));
        const QString home = tmp.filePath(QStringLiteral("student"));
        QVERIFY(QDir().mkpath(work));
        const packtest::TestKey key = packtest::makeKey(work, QStringLiteral("course"));
        const packtest::TestKey stranger = packtest::makeKey(work, QStringLiteral("stranger"));
        QCOMPARE(key.key.key.size(), 32);
        QCOMPARE(stranger.key.key.size(), 32);
        const QString keyText =
            QString::fromLatin1(packtest::readAll(key.publicFile).split('\n').value(1));
        QVERIFY(keyText.startsWith(QLatin1String("RW")));
        const QString id = QStringLiteral("edu.example.cli");
        const QString releases = tmp.filePath(QStringLiteral("releases"));
        const QString v1 = buildAndSign(work, id, QStringLiteral("1.0.0"), key.secretFile,
                                        "first release", releases);
        QVERIFY(!v1.isEmpty());
        QVERIFY(packtest::readAll(v1 + QStringLiteral(".minisig"))
                    .contains("\ntrusted comment: pack edu.example.cli 1.0.0\n"));
        const QString v2 = buildAndSign(work, id, QStringLiteral("1.1.0"), key.secretFile,
                                        "second release", releases);
        QVERIFY(!v2.isEmpty());
        const QString v3 = buildAndSign(work, id, QStringLiteral("1.2.0"), key.secretFile,
                                        "third release", releases);
        QVERIFY(!v3.isEmpty());

        const QString packs = home + QStringLiteral("/data/torchlab/packs");
        const QString installedDir = packs + QStringLiteral("/installed/") + id;
        const QString progressDir = home + QStringLiteral("/data/torchlab/progress");
        Result r = cli(args({"pack", "list"}), tmp.path(), home);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("no packs installed\n"));

        // A key the student did not get from this instructor: nothing is installed.
        r = cli({QStringLiteral("pack"), QStringLiteral("install"), v1, QStringLiteral("--trust"),
                 stranger.publicFile},
                tmp.path(), home);
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.err.startsWith("torchlab-cli pack install: " + QFileInfo(v1).fileName().toUtf8() +
                             " is not installed: "
                             "The signature was made with key " +
                             key.key.keyIdHex().toUtf8() + ", not with the trusted key " +
                             stranger.key.keyIdHex().toUtf8()),
            r.err.constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(installedDir));
        QCOMPARE(cli(args({"pack", "list"}), tmp.path(), home).out,
                 QByteArray("no packs installed\n"));

        // v1 with the key file.
        r = cli({QStringLiteral("pack"), QStringLiteral("install"), v1, QStringLiteral("--trust"),
                 key.publicFile},
                tmp.path(), home);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out,
                 QStringLiteral("installed %1 1.0.0 in %2\n").arg(id, installedDir).toUtf8());
        QCOMPARE(packtest::readAll(installedDir + QStringLiteral("/pack.toml")),
                 packtest::readAll(work + QStringLiteral("/src-1.0.0/pack.toml")));
        r = cli(args({"pack", "list"}), tmp.path(), home);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("%1  1.0.0  key %2  from file:%3\n")
                            .arg(id, key.key.keyIdHex(), v1)
                            .toUtf8());
        r = cli(args({"pack", "list", "--json"}), tmp.path(), home);
        QCOMPARE(r.code, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(list.size(), 1);
        const QJsonObject entry = list.first().toObject();
        QCOMPARE(entry.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(entry.value(QStringLiteral("version")).toString(), QStringLiteral("1.0.0"));
        QCOMPARE(entry.value(QStringLiteral("source")).toString(), QStringLiteral("file:") + v1);
        QCOMPARE(entry.value(QStringLiteral("key_id")).toString(), key.key.keyIdHex());
        QCOMPARE(entry.value(QStringLiteral("directory")).toString(), installedDir);

        // The learner works on the lesson (the lab's own progress store, in the student's home).
        const QString mine = QStringLiteral("// my twice()\nint twice(int x) { return x + x; }\n");
        {
            torchlab::ProgressStore progress(progressDir);
            QVERIFY(progress.saveCode(id, QStringLiteral("first-lesson"),
                                      QStringLiteral("exercise.cpp"), mine));
            QVERIFY(progress.recordCheck(id, QStringLiteral("first-lesson"), false));
        }
        const QMap<QString, QByteArray> work0 = snapshot(progressDir);
        QVERIFY(!work0.isEmpty());

        // v2 with the key pasted as text: an update; the learner's files are the same bytes.
        r = cli({QStringLiteral("pack"), QStringLiteral("install"), v2, QStringLiteral("--trust"),
                 keyText},
                tmp.path(), home);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out, QStringLiteral("installed %1 1.1.0 (was 1.0.0) in %2\n")
                            .arg(id, installedDir)
                            .toUtf8());
        QVERIFY(packtest::readAll(installedDir + QStringLiteral("/01-first-lesson/README.md"))
                    .contains("second release"));
        QVERIFY(!packtest::readAll(installedDir + QStringLiteral("/01-first-lesson/README.md"))
                     .contains("first release"));
        QCOMPARE(snapshot(progressDir), work0);
        QCOMPARE(cli(args({"pack", "list"}), tmp.path(), home).out,
                 QStringLiteral("%1  1.1.0  key %2  from file:%3\n")
                     .arg(id, key.key.keyIdHex(), v2)
                     .toUtf8());
        const QMap<QString, QByteArray> installed2 = snapshot(installedDir);

#define REFUSED(...)                                                                               \
    do {                                                                                           \
        refused(__VA_ARGS__);                                                                      \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)
        const auto refused = [&](const QStringList &arguments, int code,
                                 const QByteArray &expected) {
            const Result bad = cli(arguments, tmp.path(), home);
            QVERIFY2(bad.code == code, bad.err.constData());
            QVERIFY2(bad.err.contains(expected), bad.err.constData());
            QVERIFY(bad.out.isEmpty());
            QCOMPARE(cli(args({"pack", "list"}), tmp.path(), home).out,
                     QStringLiteral("%1  1.1.0  key %2  from file:%3\n")
                         .arg(id, key.key.keyIdHex(), v2)
                         .toUtf8());
            QCOMPARE(snapshot(installedDir), installed2);
            QCOMPARE(snapshot(progressDir), work0);
            QVERIFY(QDir(packs + QStringLiteral("/staging")).isEmpty());
        };
        const QStringList trust{QStringLiteral("--trust"), key.publicFile};
        const QStringList install{QStringLiteral("pack"), QStringLiteral("install")};

        // Back to v1, correctly signed: a rollback.
        REFUSED(install + QStringList{v1} + trust, 1,
                "torchlab-cli pack install: edu.example.cli 1.0.0 is older than the installed "
                "version 1.1.0: refusing "
                "to go back (rollback).\n");
        // The same version again.
        REFUSED(install + QStringList{v2} + trust, 1,
                "torchlab-cli pack install: edu.example.cli 1.1.0 is already installed.\n");
        // v3 signed by the instructor, but the student trusts another key.
        REFUSED(install + QStringList{v3, QStringLiteral("--trust"), stranger.publicFile}, 1,
                "not with the trusted key " + stranger.key.keyIdHex().toUtf8());
        // v3 re-signed by someone else who also hands out their key: the pack keeps its key.
        const QString foreign = tmp.filePath(QStringLiteral("foreign/") + QFileInfo(v3).fileName());
        QVERIFY(packtest::writeAll(foreign, packtest::readAll(v3)));
        QVERIFY(!packtest::sign(stranger, foreign, QStringLiteral("pack edu.example.cli 1.2.0"))
                     .isEmpty());
        REFUSED(install + QStringList{foreign, QStringLiteral("--trust"), stranger.publicFile}, 1,
                "edu.example.cli was installed with key " + key.key.keyIdHex().toUtf8() +
                    "; this version is signed with key " + stranger.key.keyIdHex().toUtf8());
        // Unsigned: the archive without its .minisig.
        const QString unsigned_ =
            tmp.filePath(QStringLiteral("unsigned/") + QFileInfo(v3).fileName());
        QVERIFY(packtest::writeAll(unsigned_, packtest::readAll(v3)));
        REFUSED(install + QStringList{unsigned_} + trust, 1,
                "torchlab-cli pack install: The file is not signed: cannot read the signature " +
                    unsigned_.toUtf8() + ".minisig");
        // One flipped byte in the archive, its signature next to it.
        const QString flipped = tmp.filePath(QStringLiteral("flipped/") + QFileInfo(v3).fileName());
        QByteArray bytes = packtest::readAll(v3);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
        QVERIFY(packtest::writeAll(flipped, bytes));
        QVERIFY(packtest::writeAll(flipped + QStringLiteral(".minisig"),
                                   packtest::readAll(v3 + QStringLiteral(".minisig"))));
        REFUSED(install + QStringList{flipped} + trust, 1, "The signature does not match the file");
        // v3's signature on v2's bytes: the signed comment cannot lift an old archive.
        REFUSED(
            install +
                QStringList{v2, QStringLiteral("--signature"), v3 + QStringLiteral(".minisig")} +
                trust,
            1, "The signature does not match the file");
        // No key, or something that is not one: usage errors, nothing read.
        REFUSED(install + QStringList{v3}, 2, "--trust PUBKEY_OR_FILE is required");
        REFUSED(install + QStringList{v3, QStringLiteral("--trust"), QStringLiteral("RWnotakey")},
                2, "This is not a minisign public key");
        REFUSED(install, 2, "torchlab-cli pack install: expected 1 argument(s)");

        // v3 with its signature elsewhere (--signature): installed.
        const QString loose = tmp.filePath(QStringLiteral("loose/v3.sig"));
        QVERIFY(packtest::writeAll(loose, packtest::readAll(v3 + QStringLiteral(".minisig"))));
        QVERIFY(QFile::copy(v3, tmp.filePath(QStringLiteral("loose/pack.tar.gz"))));
        r = cli(install +
                    QStringList{tmp.filePath(QStringLiteral("loose/pack.tar.gz")),
                                QStringLiteral("--signature"), loose} +
                    trust,
                tmp.path(), home);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out, QStringLiteral("installed %1 1.2.0 (was 1.1.0) in %2\n")
                            .arg(id, installedDir)
                            .toUtf8());
        QCOMPARE(snapshot(progressDir), work0);

        // Remove: the pack goes, the learner's work stays byte for byte.
        r = cli({QStringLiteral("pack"), QStringLiteral("remove"), id}, tmp.path(), home);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out, QStringLiteral("removed %1\n").arg(id).toUtf8());
        QVERIFY(!QFileInfo::exists(installedDir));
        QCOMPARE(cli(args({"pack", "list"}), tmp.path(), home).out,
                 QByteArray("no packs installed\n"));
        QCOMPARE(snapshot(progressDir), work0);
        QCOMPARE(torchlab::ProgressStore(progressDir)
                     .load(id, QStringLiteral("first-lesson"))
                     .code.value(QStringLiteral("exercise.cpp")),
                 mine);
        r = cli({QStringLiteral("pack"), QStringLiteral("remove"), id}, tmp.path(), home);
        QCOMPARE(r.code, 1);
        QCOMPARE(
            r.err,
            QByteArray(
                "torchlab-cli pack remove: No pack with the id edu.example.cli is installed.\n"));
        QCOMPARE(cli(args({"pack", "remove"}), tmp.path(), home).code, 2);
        QCOMPARE(snapshot(progressDir), work0);

        // A removed pack keeps its key and highest version: remove + install
        // neither takes it back to an older version nor hands its id to another key.
        r = cli(install + QStringList{v1} + trust, tmp.path(), home);
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err, QByteArray("torchlab-cli pack install: edu.example.cli 1.0.0 is older than "
                                   "version 1.2.0, which was installed before: refusing to go back "
                                   "(rollback).\n"));
        r = cli(install + QStringList{foreign, QStringLiteral("--trust"), stranger.publicFile},
                tmp.path(), home);
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.err.contains("edu.example.cli was installed with key " + key.key.keyIdHex().toUtf8()),
            r.err.constData());
        QVERIFY(!QFileInfo::exists(installedDir));
        QCOMPARE(cli(args({"pack", "list"}), tmp.path(), home).out,
                 QByteArray("no packs installed\n"));
        // The same version comes back, and finds the learner's work where it was.
        r = cli(install + QStringList{v3} + trust, tmp.path(), home);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out,
                 QStringLiteral("installed %1 1.2.0 in %2\n").arg(id, installedDir).toUtf8());
        QCOMPARE(snapshot(progressDir), work0);

        // pack forget: a deliberate fresh start, only for a removed pack.
        r = cli(args({"pack", "forget", "edu.example.cli"}), tmp.path(), home);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("is installed; remove it first"), r.err.constData());
        QCOMPARE(cli(args({"pack", "remove", "edu.example.cli"}), tmp.path(), home).code, 0);
        r = cli(args({"pack", "forget", "edu.example.cli"}), tmp.path(), home);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("forgot edu.example.cli: the next install may use any key and "
                                   "any version\n"));
        r = cli(args({"pack", "forget", "edu.example.cli"}), tmp.path(), home);
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err, QByteArray("torchlab-cli pack forget: nothing is remembered about "
                                   "edu.example.cli.\n"));
        r = cli(install + QStringList{v1} + trust, tmp.path(), home); // 1.0.0 again
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(snapshot(progressDir), work0);
#undef REFUSED
    }

    // pack sign refuses what it cannot sign, before minisign runs.
    void signRefusals()
    {
        if (!packtest::haveMinisign())
            LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
        QTemporaryDir tmp;
        const packtest::TestKey key = packtest::makeKey(tmp.path(), QStringLiteral("course"));
        QCOMPARE(cli(args({"pack", "new", "p"}), tmp.path()).code, 0);
        QCOMPARE(cli(args({"pack", "build", "p", "-o", "p.tar.gz"}), tmp.path()).code, 0);
        Result r = cli(args({"pack", "sign", "p.tar.gz"}), tmp.path());
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--key SECRET_KEY is required"), r.err.constData());
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("p.tar.gz.minisig"))));
        // Not an archive.
        QVERIFY(
            packtest::writeAll(tmp.filePath(QStringLiteral("notes.tar.gz")), "just some text\n"));
        r = cli({QStringLiteral("pack"), QStringLiteral("sign"), QStringLiteral("notes.tar.gz"),
                 QStringLiteral("--key"), key.secretFile},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith("torchlab-cli pack sign: notes.tar.gz: "), r.err.constData());
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("notes.tar.gz.minisig"))));
        // A key file that is not a secret key: minisign's own complaint, exit 1.
        r = cli({QStringLiteral("pack"), QStringLiteral("sign"), QStringLiteral("p.tar.gz"),
                 QStringLiteral("--key"), key.publicFile},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("p.tar.gz.minisig"))));
        r = cli({QStringLiteral("pack"), QStringLiteral("sign"), QStringLiteral("p.tar.gz"),
                 QStringLiteral("--key"), key.secretFile},
                tmp.path());
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("p.tar.gz.minisig: pack org.example.p 0.1.0\n"));
        QVERIFY(
            cli(args({"pack", "--help"}))
                .out.contains("install FILE [--signature FILE.minisig] --trust PUBKEY_OR_FILE"));
    }

    // pack build is a release gate: each mistake an instructor makes without
    // being told stops the build with the pack file and line; nothing is written.
    void buildIsAReleaseGate()
    {
        const Result doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        if (doctor.code != 0)
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
        QTemporaryDir tmp;
        QCOMPARE(cli(args({"pack", "new", "good", "--id", "edu.example.gate"}), tmp.path()).code,
                 0);
        const auto variant = [&](const char *name, const char *file, const QByteArray &from,
                                 const QByteArray &to) {
            const QString dir = tmp.filePath(QString::fromLatin1(name));
            if (!copyTree(tmp.filePath(QStringLiteral("good")), dir))
                return false;
            QFile f(dir + QLatin1Char('/') + QString::fromLatin1(file));
            if (!f.open(QIODevice::ReadOnly))
                return false;
            QByteArray text = f.readAll();
            f.close();
            if (!text.contains(from))
                return false;
            text.replace(from, to);
            return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                   f.write(text) == text.size();
        };
        // A check name no check source mentions: a warning that stops the build.
        QVERIFY(variant("typo", "01-first-lesson/lesson.toml", "name = \"doubles\"",
                        "name = \"doubled\""));
        Result r = cli(args({"pack", "build", "typo", "--quick"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("typo/01-first-lesson/lesson.toml:") &&
                     r.err.contains("\"doubled\"") && r.err.contains("--allow-warnings"),
                 r.err.constData());
        // Past the warning, grading finds that the check can never pass.
        r = cli(args({"pack", "build", "typo", "--quick", "--allow-warnings"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("error: the reference solution fails the check") &&
                     r.err.contains("never reported \"doubled\""),
                 r.err.constData());
        // A solution that does not compile, at its own path in the pack.
        QVERIFY(variant("badsolution", "01-first-lesson/solution/exercise.cpp", "return t * 2;",
                        "return t * 2 +;"));
        r = cli(args({"pack", "build", "badsolution", "--quick"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("badsolution/01-first-lesson/solution/exercise.cpp:") &&
                     r.err.contains("the reference solution does not compile"),
                 r.err.constData());
        // The instructor's check code does not compile: the pack's error, at check.cpp.
        QVERIFY(variant("badcheck", "01-first-lesson/check.cpp", "int torchlab_learner_main();",
                        "int torchlab_learner_main()"));
        r = cli(args({"pack", "build", "badcheck", "--quick"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("badcheck/01-first-lesson/check.cpp:") &&
                     r.err.contains("the check code does not compile with the reference solution"),
                 r.err.constData());
        // A starter that already passes: learners would pass without writing anything.
        QVERIFY(
            copyTree(tmp.filePath(QStringLiteral("good")), tmp.filePath(QStringLiteral("easy"))));
        QFile::remove(tmp.filePath(QStringLiteral("easy/01-first-lesson/exercise.cpp")));
        QVERIFY(
            QFile::copy(tmp.filePath(QStringLiteral("good/01-first-lesson/solution/exercise.cpp")),
                        tmp.filePath(QStringLiteral("easy/01-first-lesson/exercise.cpp"))));
        r = cli(args({"pack", "build", "easy", "--quick", "--allow-warnings"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("easy/01-first-lesson/exercise.cpp: error: the untouched starter "
                                "already passes every check"),
                 r.err.constData());
        // A name that contradicts pack.toml's version is refused before any grading.
        r = cli(args({"pack", "build", "good", "--quick", "-o", "gate-1.2.0.tar.gz"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("says version 1.2.0, but pack.toml says 0.1.0"), r.err.constData());
        QVERIFY(!r.err.contains("grading"));
        QCOMPARE(
            cli(args({"pack", "build", "good", "--strict", "--allow-warnings"}), tmp.path()).code,
            2);
        QStringList written = QDir(tmp.path()).entryList({QStringLiteral("*.tar.gz")});
        QVERIFY2(written.isEmpty(), qPrintable(written.join(QLatin1Char(' '))));
        // The good pack builds, named from its manifest into the folder -o names.
        QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("out")));
        r = cli(args({"pack", "build", "good", "--quick", "-o", "out"}), tmp.path());
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("out/edu.example.gate-0.1.0.tar.gz: edu.example.gate 0.1.0") &&
                     r.out.contains("1 lesson graded"),
                 r.out.constData());
        QVERIFY2(r.err.contains("grading 01-first-lesson (first-lesson): solution, starter: ok"),
                 r.err.constData());
        QVERIFY(QFile::exists(tmp.filePath(QStringLiteral("out/edu.example.gate-0.1.0.tar.gz"))));
        r = cli(args({"pack", "build", "good", "--no-grade", "-o", "out/gate-0.1.0.tar.gz"}),
                tmp.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("NOT graded"), r.out.constData());
    }

    // pack add-lesson: a folder, its files and the day listing; pack.toml otherwise as it was.
    void addLessonExtendsThePack()
    {
        QTemporaryDir tmp;
        QCOMPARE(cli(args({"pack", "new", "p", "--id", "edu.example.add"}), tmp.path()).code, 0);
        Result r = cli(args({"pack", "add-lesson", "p", "loops", "--title", "Loops"}), tmp.path());
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("p/02-loops/lesson.toml") && r.out.contains("--lesson loops"),
                 r.out.constData());
        r = cli(args({"pack", "add-lesson", "p", "models", "--day", "2"}), tmp.path());
        QVERIFY2(r.code == 0, r.err.constData());
        QFile manifest(tmp.filePath(QStringLiteral("p/pack.toml")));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray toml = manifest.readAll();
        QVERIFY2(toml.contains("lessons = [\"01-first-lesson\", \"02-loops\"]"), toml.constData());
        QVERIFY2(
            toml.contains("[[days]]\ntitle = { en = \"Day 2\", zh_CN = \"第 2 天\" }\nlessons = "
                          "[\"03-models\"]\n"),
            toml.constData());
        // The instructor's comments stay.
        QVERIFY(toml.contains("# One [[days]] block per course day"));
        r = cli(args({"pack", "validate", "p", "--strict", "--json"}), tmp.path());
        QVERIFY2(r.code == 0, r.out.constData());
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value(QStringLiteral("lessons")).toArray().size(), 3);
        QCOMPARE(doc.value(QStringLiteral("lessons"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("id")),
                 QJsonValue(QStringLiteral("loops")));
        QCOMPARE(doc.value(QStringLiteral("lessons"))
                     .toArray()
                     .at(2)
                     .toObject()
                     .value(QStringLiteral("day")),
                 QJsonValue(2));
        // Refusals leave everything as it was.
        for (const auto &[argv, why] : std::vector<std::pair<QStringList, QByteArray>>{
                 {args({"pack", "add-lesson", "p", "loops"}), "already has a lesson \"loops\""},
                 {args({"pack", "add-lesson", "p", "Bad Id"}), "may use only"},
                 {args({"pack", "add-lesson", "p", "later", "--day", "9"}), "has 2 days"},
                 {args({"pack", "add-lesson", "nowhere", "x"}), "not a valid pack"}}) {
            r = cli(argv, tmp.path());
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(why), r.err.constData());
        }
        QCOMPARE(cli(args({"pack", "add-lesson", "p"}), tmp.path()).code, 2);
        QVERIFY(manifest.seek(0));
        QCOMPARE(manifest.readAll(), toml);
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("p/04-later"))));
    }

    // A misspelt [[days]] folder names the folder it most likely meant, and
    // that folder's own problems are listed rather than hidden.
    void dayFolderTypoSaysDidYouMean()
    {
        QTemporaryDir tmp;
        QCOMPARE(cli(args({"pack", "new", "p"}), tmp.path()).code, 0);
        QFile manifest(tmp.filePath(QStringLiteral("p/pack.toml")));
        QVERIFY(manifest.open(QIODevice::ReadWrite));
        QByteArray toml = manifest.readAll();
        toml.replace("lessons = [\"01-first-lesson\"]", "lessons = [\"01-frist-lesson\"]");
        QVERIFY(manifest.resize(0) && manifest.write(toml) == toml.size());
        manifest.close();
        QFile lesson(tmp.filePath(QStringLiteral("p/01-first-lesson/lesson.toml")));
        QVERIFY(lesson.open(QIODevice::ReadWrite));
        QByteArray text = lesson.readAll();
        text.replace("kind = \"exits_ok\"", "kind = \"exits_okay\"");
        QVERIFY(lesson.resize(0) && lesson.write(text) == text.size());
        lesson.close();
        const Result r = cli(args({"pack", "validate", "p"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("Lesson folder \"01-frist-lesson\" (day 1) does not exist. Did you "
                                "mean \"01-first-lesson\"?"),
                 r.out.constData());
        QVERIFY2(r.out.contains("p/01-first-lesson/lesson.toml:") && r.out.contains("exits_okay"),
                 r.out.constData());
        // Nothing close: no guess.
        toml.replace("01-frist-lesson", "99-unrelated-name");
        QVERIFY(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(manifest.write(toml) == toml.size());
        manifest.close();
        const Result far = cli(args({"pack", "validate", "p"}), tmp.path());
        QVERIFY2(far.out.contains("\"99-unrelated-name\" (day 1) does not exist.") &&
                     !far.out.contains("Did you mean"),
                 far.out.constData());
    }

    // feed publish and feed sign refuse what students would refuse: archives
    // signed with another key than the feed's, two builds of one version.
    void feedRefusesMixedKeysAndRebuilds()
    {
        if (!packtest::haveMinisign())
            LAB_SKIP_MISSING("minisign is not installed (Debian package minisign)");
        QTemporaryDir tmp;
        const packtest::TestKey a = packtest::makeKey(tmp.path(), QStringLiteral("a"));
        const packtest::TestKey b = packtest::makeKey(tmp.path(), QStringLiteral("b"));
        QCOMPARE(cli(args({"pack", "new", "p", "--id", "edu.example.feed"}), tmp.path()).code, 0);
        QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("out")));
        QCOMPARE(cli(args({"pack", "build", "p", "--no-grade", "-o", "out"}), tmp.path()).code, 0);
        const QString archive = QStringLiteral("out/edu.example.feed-0.1.0.tar.gz");
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("sign"), archive,
                      QStringLiteral("--key"), a.secretFile},
                     tmp.path())
                     .code,
                 0);
        // --pack-key names another key than the archives'.
        Result r = cli({QStringLiteral("feed"), QStringLiteral("publish"), QStringLiteral("out"),
                        QStringLiteral("-o"), QStringLiteral("feed"), QStringLiteral("--pack-key"),
                        b.publicFile},
                       tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not with the pack key " + b.key.keyIdHex().toUtf8()),
                 r.err.constData());
        QCOMPARE(cli(args({"feed", "publish", "out", "-o", "feed"}), tmp.path()).code, 0);
        // Signing the index with another key than the packs': refused, no signature left.
        r = cli({QStringLiteral("feed"), QStringLiteral("sign"), QStringLiteral("feed"),
                 QStringLiteral("--key"), b.secretFile},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("signed with the key " + a.key.keyIdHex().toUtf8()),
                 r.err.constData());
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("feed/index.json.minisig"))));
        QCOMPARE(cli({QStringLiteral("feed"), QStringLiteral("sign"), QStringLiteral("feed"),
                      QStringLiteral("--key"), a.secretFile},
                     tmp.path())
                     .code,
                 0);
        // The pack rebuilt with other contents under the same version.
        QFile readme(tmp.filePath(QStringLiteral("p/01-first-lesson/README.md")));
        QVERIFY(readme.open(QIODevice::Append));
        readme.write("\nOne more sentence.\n");
        readme.close();
        QCOMPARE(cli(args({"pack", "build", "p", "--no-grade", "-o", "out"}), tmp.path()).code, 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("sign"), archive,
                      QStringLiteral("--key"), a.secretFile},
                     tmp.path())
                     .code,
                 0);
        r = cli(args({"feed", "publish", "out", "-o", "feed"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("edu.example.feed 0.1.0 is already published") &&
                     r.err.contains("Raise `version`"),
                 r.err.constData());
        // Two archives of one version with different bytes in one folder.
        QVERIFY(QFile::copy(tmp.filePath(QStringLiteral("feed/edu.example.feed-0.1.0.tar.gz")),
                            tmp.filePath(QStringLiteral("out/old-0.1.0.tar.gz"))));
        QVERIFY(
            QFile::copy(tmp.filePath(QStringLiteral("feed/edu.example.feed-0.1.0.tar.gz.minisig")),
                        tmp.filePath(QStringLiteral("out/old-0.1.0.tar.gz.minisig"))));
        r = cli(args({"feed", "publish", "out", "-o", "feed2"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("are both edu.example.feed 0.1.0, with different contents"),
                 r.err.constData());
        // Archives signed with two keys.
        QVERIFY(QFile::remove(tmp.filePath(QStringLiteral("out/old-0.1.0.tar.gz"))));
        QVERIFY(QFile::remove(tmp.filePath(QStringLiteral("out/old-0.1.0.tar.gz.minisig"))));
        QCOMPARE(cli(args({"pack", "new", "q", "--id", "edu.example.other"}), tmp.path()).code, 0);
        QCOMPARE(cli(args({"pack", "build", "q", "--no-grade", "-o", "out"}), tmp.path()).code, 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("sign"),
                      QStringLiteral("out/edu.example.other-0.1.0.tar.gz"), QStringLiteral("--key"),
                      b.secretFile},
                     tmp.path())
                     .code,
                 0);
        r = cli(args({"feed", "publish", "out", "-o", "feed3"}), tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("students check every pack with one key"), r.err.constData());
    }

    // The skeleton is a real lesson: its solution passes every check, its starter does not.
    void newPackGrades()
    {
        const Result doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        if (doctor.code != 0)
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
        QTemporaryDir tmp;
        QCOMPARE(
            cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("p")}, tmp.path())
                .code,
            0);
        Result r = cli({QStringLiteral("check"), QStringLiteral("p"), QStringLiteral("--use"),
                        QStringLiteral("solution"), QStringLiteral("--quick")},
                       tmp.path());
        QVERIFY2(r.code == 0, r.out.constData());
        QVERIFY2(r.out.contains("5/5 checks passed"), r.out.constData());
        r = cli({QStringLiteral("check"), QStringLiteral("p"), QStringLiteral("--use"),
                 QStringLiteral("starter"), QStringLiteral("--quick")},
                tmp.path());
        QCOMPARE(r.code, 1);
        // The check's title, and the name check.cpp reports it under.
        QVERIFY2(r.out.contains("FAIL  twice(t) doubles every element  [doubles]"),
                 r.out.constData());
    }

    void checkJson()
    {
        const Result doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        if (doctor.code != 0)
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");

        Result r =
            cli({QStringLiteral("check"), kExample, QStringLiteral("--lesson"),
                 QStringLiteral("squares"), QStringLiteral("--use"), QStringLiteral("starter"),
                 QStringLiteral("--quick"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        const QJsonObject one = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(one.value(QStringLiteral("version")).toInt(), 2);
        QCOMPARE(one.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
        QCOMPARE(one.value(QStringLiteral("lesson")).toString(), QStringLiteral("squares"));
        QCOMPARE(one.value(QStringLiteral("source")).toString(), QStringLiteral("starter"));
        const QJsonArray tests = one.value(QStringLiteral("tests")).toArray();
        QCOMPARE(tests.size(), 7);
        const QJsonObject small = tests[3].toObject();
        QCOMPARE(small.value(QStringLiteral("name")).toString(), QStringLiteral("small"));
        QCOMPARE(small.value(QStringLiteral("id")).toString(), QStringLiteral("small"));
        // Kinds without a title get one made from the kind, in the chosen language.
        QCOMPARE(tests[0].toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("The program compiles without warnings"));
        QCOMPARE(tests[0].toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("compiles without warnings"));
        QCOMPARE(small.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
        QVERIFY(small.value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QStringLiteral("sum_of_squares([1, 2, 3]) must be 14")));

        // Human form, several lessons: each check with its message and output; exit 0 when all
        // pass.
        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--quick")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("  pass  small\n"), r.out.constData());
        QVERIFY2(r.out.contains("2 lessons: 2 passed, 0 failed, 0 with errors"), r.out.constData());

        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--lesson"),
                 QStringLiteral("fit"), QStringLiteral("--use"), QStringLiteral("starter"),
                 QStringLiteral("--quick"), QStringLiteral("--json"), QStringLiteral("--lesson"),
                 QStringLiteral("01-squares")});
        QCOMPARE(r.code, 1);
        const QJsonArray many = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(many.size(), 2);
        QCOMPARE(many[0].toObject().value(QStringLiteral("lesson")).toString(),
                 QStringLiteral("fit"));
    }
};

QTEST_GUILESS_MAIN(TestPackCli)
#include "tst_packcli.moc"
