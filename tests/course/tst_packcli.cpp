// torchlab-cli pack validate and check, end to end on the example pack:
// output format, exit codes (0 valid/passed, 1 invalid/failed, 2 usage) and
// the results.json shape that instructors' CI reads; pack new and pack build
// (a valid skeleton, byte-identical archives).
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

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

struct Result
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Result cli(const QStringList &args, const QString &workingDirectory = QString())
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString cache = qEnvironmentVariable("TORCHLAB_TEST_PCH_CACHE");
    if (!cache.isEmpty())
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cache);
    env.remove(QStringLiteral("TORCHLAB_DEVICE"));
    p.setProcessEnvironment(env);
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    p.start(QStringLiteral(TORCHLAB_CLI), args);
    p.waitForFinished(600'000);
    Result r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
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
        QVERIFY2(r.out.contains("org.torchlab.example 0.2.0, 2 lessons, 13 checks; 0 errors, 0 warnings"), r.out.constData());
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

        Result r = cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p")}, tmp.path());
        QCOMPARE(r.code, 1);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY2(lines.size() >= 3, r.out.constData());
        QVERIFY2(lines[0].startsWith("p/02-fit/lesson.toml:7:1: warning: Unknown key \"show_soluton\""), r.out.constData());
        QVERIFY2(lines[1].startsWith("p/02-fit/lesson.toml:") && lines[1].contains(": error: Unknown check kind \"exit_ok\""),
                 r.out.constData());
        QVERIFY2(lines[2].contains("1 error, 1 warning") && lines[2].contains("not valid"), r.out.constData());

        // Only warnings: valid, unless --strict.
        text.replace("kind = \"exit_ok\"", "kind = \"exits_ok\"");
        QVERIFY(lesson.open(QIODevice::WriteOnly | QIODevice::Truncate));
        lesson.write(text);
        lesson.close();
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p")}, tmp.path()).code, 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p"), QStringLiteral("--strict")},
                     tmp.path()).code, 1);

        r = cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("p"), QStringLiteral("--json")}, tmp.path());
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(j.value(QStringLiteral("warnings")).toInt(), 1);
        const QJsonObject p = j.value(QStringLiteral("problems")).toArray().first().toObject();
        QCOMPARE(p.value(QStringLiteral("file")).toString(), QStringLiteral("p/02-fit/lesson.toml"));
        QCOMPARE(p.value(QStringLiteral("line")).toInt(), 7);
        QCOMPARE(p.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
    }

    void usage()
    {
        QCOMPARE(cli({QStringLiteral("pack")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("--help")}).code, 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("/no/such/pack")}).code, 1);
        QCOMPARE(cli({QStringLiteral("check")}).code, 2);
        Result r = cli({QStringLiteral("check"), kExample, QStringLiteral("--lesson"), QStringLiteral("nope")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("squares, fit"), r.err.constData());
        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--use"), QStringLiteral("/no/such.cpp")});
        QCOMPARE(r.code, 2);
        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--use"), kExample + QStringLiteral("/02-fit/exercise.cpp")});
        QCOMPARE(r.code, 2); // a file for two lessons
        QVERIFY(r.err.contains("exactly one --lesson"));
        QCOMPARE(cli({QStringLiteral("check"), kExample, QStringLiteral("--lang"), QStringLiteral("de")}).code, 2);
        QVERIFY(cli({QStringLiteral("--help")}).out.contains("pack validate DIR"));
    }

    // pack new -> validate --strict -> build, twice in separate processes
    // (same bytes), after touching every mtime, and with the default name.
    void newValidateBuild()
    {
        QTemporaryDir tmp;
        Result r = cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("My Course"), QStringLiteral("--id"),
                        QStringLiteral("edu.example.course")},
                       tmp.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("My Course/01-first-lesson/lesson.toml\n"), r.out.constData());
        QVERIFY2(r.out.contains("torchlab-cli pack validate 'My Course'"), r.out.constData());
        r = cli({QStringLiteral("pack"), QStringLiteral("validate"), QStringLiteral("My Course"), QStringLiteral("--strict")},
                tmp.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("edu.example.course 0.1.0, 1 lessons, 5 checks; 0 errors, 0 warnings"), r.out.constData());

        // Never over an existing pack.
        QFile manifest(tmp.filePath(QStringLiteral("My Course/pack.toml")));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray before = manifest.readAll();
        manifest.close();
        r = cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("My Course")}, tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not empty"), r.err.constData());
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        QCOMPARE(manifest.readAll(), before);
        manifest.close();

        r = cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("My Course"), QStringLiteral("-o"),
                 QStringLiteral("a.tar.gz")},
                tmp.path());
        QCOMPARE(r.code, 0);
        QFile a(tmp.filePath(QStringLiteral("a.tar.gz")));
        QVERIFY(a.open(QIODevice::ReadOnly));
        const QByteArray first = a.readAll();
        const QByteArray sha = QCryptographicHash::hash(first, QCryptographicHash::Sha256).toHex();
        QVERIFY2(r.out.startsWith("a.tar.gz: edu.example.course 0.1.0, 7 files, " + QByteArray::number(first.size())
                                  + " bytes, sha256 " + sha + "\n"),
                 r.out.constData());

        QDirIterator it(tmp.filePath(QStringLiteral("My Course")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-7200), QFileDevice::FileModificationTime));
        }
        r = cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("My Course")}, tmp.path());
        QCOMPARE(r.code, 0);
        QFile b(tmp.filePath(QStringLiteral("edu.example.course-0.1.0.tar.gz")));
        QVERIFY2(b.open(QIODevice::ReadOnly), r.out.constData());
        QCOMPARE(b.readAll(), first);

        // An invalid pack is never built: the problems go to stderr, no file appears.
        QVERIFY(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
        manifest.write(QByteArray(before).replace("version = \"0.1.0\"", "version = \"one\""));
        manifest.close();
        r = cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("My Course"), QStringLiteral("-o"),
                 QStringLiteral("c.tar.gz")},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("My Course/pack.toml:") && r.err.contains("not a valid pack"), r.err.constData());
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("c.tar.gz"))));

        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("new")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("build")}).code, 2);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("--help")}).code, 0);
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("x"), QStringLiteral("--id"),
                      QStringLiteral("Not An Id")},
                     tmp.path())
                     .code,
                 1);
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("x"))));
        QVERIFY(cli({QStringLiteral("--help")}).out.contains("pack new|build DIR"));
    }

    // The skeleton is a real lesson: its solution passes every check, its starter does not.
    void newPackGrades()
    {
        const Result doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        if (doctor.code != 0)
            QSKIP("no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
        QTemporaryDir tmp;
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("p")}, tmp.path()).code, 0);
        Result r = cli({QStringLiteral("check"), QStringLiteral("p"), QStringLiteral("--use"), QStringLiteral("solution"),
                        QStringLiteral("--quick")},
                       tmp.path());
        QVERIFY2(r.code == 0, r.out.constData());
        QVERIFY2(r.out.contains("5/5 checks passed"), r.out.constData());
        r = cli({QStringLiteral("check"), QStringLiteral("p"), QStringLiteral("--use"), QStringLiteral("starter"),
                 QStringLiteral("--quick")},
                tmp.path());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("FAIL  doubles"), r.out.constData());
    }

    void checkJson()
    {
        const Result doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        if (doctor.code != 0)
            QSKIP("no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");

        Result r = cli({QStringLiteral("check"), kExample, QStringLiteral("--lesson"), QStringLiteral("squares"),
                        QStringLiteral("--use"), QStringLiteral("starter"), QStringLiteral("--quick"),
                        QStringLiteral("--json")});
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
        QCOMPARE(small.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
        QVERIFY(small.value(QStringLiteral("message")).toString().startsWith(QStringLiteral("sum_of_squares([1, 2, 3]) must be 14")));

        // Human form, several lessons: each check with its message and output; exit 0 when all pass.
        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--quick")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("  pass  small\n"), r.out.constData());
        QVERIFY2(r.out.contains("2 lessons: 2 passed, 0 failed, 0 with errors"), r.out.constData());

        r = cli({QStringLiteral("check"), kExample, QStringLiteral("--lesson"), QStringLiteral("fit"), QStringLiteral("--use"),
                 QStringLiteral("starter"), QStringLiteral("--quick"), QStringLiteral("--json"), QStringLiteral("--lesson"),
                 QStringLiteral("01-squares")});
        QCOMPARE(r.code, 1);
        const QJsonArray many = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(many.size(), 2);
        QCOMPARE(many[0].toObject().value(QStringLiteral("lesson")).toString(), QStringLiteral("fit"));
    }
};

QTEST_GUILESS_MAIN(TestPackCli)
#include "tst_packcli.moc"
