// Server-graded lessons end to end over a real OpenSSH connection: an sshd the
// test starts on 127.0.0.1 (tests/helpers/sshserver.h) into one grader account
// (this user, its XDG folders in a temporary directory), two student keys whose
// forced commands say `--grade-as alice` and `--grade-as bob`, the instructor's
// archive installed there with `pack install`. The student's archive lacks the
// hidden checks and the solution; alice passes, bob stays on a compile error,
// and `class status --json` says exactly that.
#include "core/grading/graderecords.h"
#include "helpers/labtoolchain.h"
#include "helpers/packtestutil.h"
#include "helpers/requiredeps.h"
#include "helpers/sshserver.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <vector>

using namespace torchlab;
using torchlab::testing::SshServer;

namespace {

const QString kLesson = QStringLiteral("first-lesson");
const QString kFolder = QStringLiteral("01-first-lesson");
const QString kPackId = QStringLiteral("edu.example.graded");

struct Ran
{
    int code = -1;
    QString out;
    QString err;
};

QStringList tarList(const QString &archive)
{
    QProcess tar;
    tar.start(QStringLiteral("tar"), {QStringLiteral("-tzf"), archive});
    tar.waitForFinished(60'000);
    QStringList names;
    for (const QString &line : QString::fromUtf8(tar.readAllStandardOutput()).split(u'\n'))
        if (!line.trimmed().isEmpty())
            names << (line.startsWith(QLatin1String("./")) ? line.mid(2) : line);
    return names;
}

QJsonObject lessonOf(const QJsonObject &status, const QString &student)
{
    for (const QJsonValue &s : status.value(QStringLiteral("students")).toArray())
        if (s.toObject().value(QStringLiteral("student")).toString() == student)
            for (const QJsonValue &l : s.toObject().value(QStringLiteral("lessons")).toArray())
                if (l.toObject().value(QStringLiteral("lesson")).toString() == kLesson)
                    return l.toObject();
    return {};
}

} // namespace

class TestServerGrading : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_server;
    QString m_cache;
    QString m_grader;  // the grader account's XDG folders
    QString m_student; // the student's XDG folders
    QString m_studentPack;
    QString m_solution;
    QStringList m_computers; // the targets used so far: one runtime folder each

    // torchlab-cli as the student (their targets) or as the grader.
    Ran cli(const QStringList &args, const QString &home)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache);
        env.insert(QStringLiteral("TORCHLAB_SSH_CONFIG"), m_server.clientConfig());
        env.remove(QStringLiteral("TORCHLAB_DEVICE"));
        // Each student, and the instructor, on a computer of their own: ssh
        // shares one connection per user@host:port within a runtime folder,
        // and the key that opened it decides the forced command.
        const qsizetype target = args.indexOf(QStringLiteral("--target"));
        const QString who = target >= 0 ? args.value(target + 1) : QString();
        if (!m_computers.contains(who))
            m_computers << who;
        // Short: the control socket's path must fit a Unix socket's 108 bytes.
        const QString runtime = m_dir.filePath(QStringLiteral("r%1").arg(m_computers.indexOf(who)));
        QDir().mkpath(runtime);
        QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(TORCHLAB_CLI), args);
        if (!p.waitForFinished(600'000)) {
            p.kill();
            p.waitForFinished();
        }
        return Ran{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                   QString::fromUtf8(p.readAllStandardOutput()),
                   QString::fromUtf8(p.readAllStandardError())};
    }

    bool keygen(const QString &name)
    {
        QProcess p;
        p.start(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                 QStringLiteral("-N"), QString(), QStringLiteral("-C"), name, QStringLiteral("-f"),
                 m_dir.filePath(QStringLiteral("sshd/") + name)});
        return p.waitForFinished(20'000) && p.exitCode() == 0;
    }

    QJsonObject classStatusJson()
    {
        const Ran r =
            cli({QStringLiteral("class"), QStringLiteral("status"), QStringLiteral("--json")},
                m_grader);
        if (r.code != 0)
            qWarning("class status: %s", qPrintable(r.err));
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cache = testing::useSharedCache();
        if (SshServer::sshd().isEmpty())
            LAB_SKIP_MISSING("sshd (openssh-server) is not installed");
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            LAB_SKIP_MISSING("the OpenSSH client (openssh-client) is not installed");
        if (!packtest::haveMinisign())
            LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
        m_grader = m_dir.filePath(QStringLiteral("grader"));
        m_student = m_dir.filePath(QStringLiteral("student"));
        const Ran doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")}, m_grader);
        if (doctor.code != 0)
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");

        // The grader's sessions have the grader's data folder: installed packs, records.
        QString error;
        QVERIFY2(m_server.start(
                     m_dir.filePath(QStringLiteral("sshd")),
                     {QStringLiteral("XDG_CACHE_HOME=") + m_cache,
                      QStringLiteral("XDG_DATA_HOME=") + m_grader + QStringLiteral("/data"),
                      QStringLiteral("XDG_CONFIG_HOME=") + m_grader + QStringLiteral("/config")},
                     &error),
                 qPrintable(error));
        QVERIFY(keygen(QStringLiteral("alice")));
        QVERIFY(keygen(QStringLiteral("bob")));
        // authorized_keys of the grader account: the instructor's own key, and
        // one forced command per student key.
        const QString sshd = m_dir.filePath(QStringLiteral("sshd"));
        QByteArray keys = packtest::readAll(sshd + QStringLiteral("/user_ed25519.pub"));
        for (const char *student : {"alice", "bob"})
            keys += QByteArray("command=\"") + TORCHLAB_CLI + " serve --json-stream --grade-as " +
                    student + "\",no-port-forwarding,no-pty " +
                    packtest::readAll(sshd + QLatin1Char('/') + QLatin1String(student) +
                                      QStringLiteral(".pub"));
        QVERIFY(packtest::writeAll(sshd + QStringLiteral("/authorized_keys"), keys));
        QFile config(m_server.clientConfig());
        QVERIFY(config.open(QIODevice::Append));
        for (const char *student : {"alice", "bob"})
            config.write(QStringLiteral("Host grader-%1\n  HostName 127.0.0.1\n  Port %2\n"
                                        "  IdentityFile %3/%1\n  IdentitiesOnly yes\n"
                                        "  UserKnownHostsFile %3/known_hosts\n"
                                        "  GlobalKnownHostsFile /dev/null\n"
                                        "  StrictHostKeyChecking accept-new\n")
                             .arg(QLatin1String(student))
                             .arg(m_server.port())
                             .arg(sshd)
                             .toUtf8());
        config.close();
    }

    void cleanupTestCase() { m_server.stop(); }

    // pack build: the student's archive has neither check sources nor
    // solutions of the server-graded lesson; the instructor's has both.
    void buildWritesTwoArchives()
    {
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("new"), QStringLiteral("graded"),
                      QStringLiteral("--id"), kPackId},
                     m_grader)
                     .code,
                 0);
        const QString toml =
            m_dir.filePath(QStringLiteral("graded/") + kFolder + QStringLiteral("/lesson.toml"));
        QByteArray text = packtest::readAll(toml);
        QVERIFY(!text.isEmpty());
        text.replace("show_solution = ", "grading = \"server\"\nshow_solution = ");
        QVERIFY(packtest::writeAll(toml, text));
        m_solution = m_dir.filePath(QStringLiteral("graded/") + kFolder +
                                    QStringLiteral("/solution/exercise.cpp"));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("out"))));
        const Ran built =
            cli({QStringLiteral("pack"), QStringLiteral("build"), QStringLiteral("graded"),
                 QStringLiteral("--no-grade"), QStringLiteral("-o"), QStringLiteral("out")},
                m_grader);
        QVERIFY2(built.code == 0, qPrintable(built.err));
        const QString student =
            m_dir.filePath(QStringLiteral("out/") + kPackId + QStringLiteral("-0.1.0.tar.gz"));
        const QString instructor = m_dir.filePath(QStringLiteral("out/") + kPackId +
                                                  QStringLiteral("-0.1.0-instructor.tar.gz"));
        const QStringList studentFiles = tarList(student);
        const QStringList instructorFiles = tarList(instructor);
        const QString check = kFolder + QStringLiteral("/check.cpp");
        const QString solution = kFolder + QStringLiteral("/solution/exercise.cpp");
        QVERIFY2(studentFiles.contains(kFolder + QStringLiteral("/lesson.toml")),
                 qPrintable(studentFiles.join(u' ')));
        QVERIFY(studentFiles.contains(kFolder + QStringLiteral("/exercise.cpp")));
        QVERIFY2(!studentFiles.contains(check) && !studentFiles.contains(solution),
                 qPrintable(studentFiles.join(u' ')));
        for (const QString &f : studentFiles)
            QVERIFY2(!f.endsWith(QLatin1String("check.cpp")) &&
                         !f.contains(QLatin1String("solution/exercise")),
                     qPrintable(f));
        QVERIFY2(instructorFiles.contains(check) && instructorFiles.contains(solution),
                 qPrintable(instructorFiles.join(u' ')));

        // The student's copy still loads (validate), without the hidden parts.
        m_studentPack = m_dir.filePath(QStringLiteral("student-pack"));
        QVERIFY(QDir().mkpath(m_studentPack));
        QProcess tar;
        tar.start(QStringLiteral("tar"),
                  {QStringLiteral("-xzf"), student, QStringLiteral("-C"), m_studentPack});
        QVERIFY(tar.waitForFinished(60'000) && tar.exitCode() == 0);
        const Ran valid =
            cli({QStringLiteral("pack"), QStringLiteral("validate"), m_studentPack}, m_student);
        QVERIFY2(valid.code == 0, qPrintable(valid.out + valid.err));
        // Checking it here cannot happen: the checks are on the server.
        const Ran local =
            cli({QStringLiteral("check"), m_studentPack, QStringLiteral("--lesson"), kLesson,
                 QStringLiteral("--use"), m_solution, QStringLiteral("--json")},
                m_student);
        QCOMPARE(local.code, 1);
        QVERIFY2(local.out.contains(QLatin1String("graded on the course server")),
                 qPrintable(local.out + local.err));

        // The instructor installs the full archive in the grader account.
        const packtest::TestKey key = packtest::makeKey(m_dir.path(), QStringLiteral("course"));
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("sign"), instructor,
                      QStringLiteral("--key"), key.secretFile},
                     m_grader)
                     .code,
                 0);
        const Ran installed = cli({QStringLiteral("pack"), QStringLiteral("install"), instructor,
                                   QStringLiteral("--trust"), key.publicFile},
                                  m_grader);
        QVERIFY2(installed.code == 0, qPrintable(installed.err));
        // A feed gets the students' archive only.
        QCOMPARE(cli({QStringLiteral("pack"), QStringLiteral("sign"), student,
                      QStringLiteral("--key"), key.secretFile},
                     m_grader)
                     .code,
                 0);
        const Ran published =
            cli({QStringLiteral("feed"), QStringLiteral("publish"), QStringLiteral("out"),
                 QStringLiteral("-o"), QStringLiteral("feed")},
                m_grader);
        QVERIFY2(published.code == 0, qPrintable(published.err));
        QDirIterator feed(m_dir.filePath(QStringLiteral("feed")), QDir::Files,
                          QDirIterator::Subdirectories);
        int feedArchives = 0;
        while (feed.hasNext()) {
            const QString path = feed.next();
            QVERIFY2(!path.contains(QLatin1String("instructor")), qPrintable(path));
            QVERIFY(!packtest::readAll(path).contains("instructor"));
            feedArchives += path.endsWith(QLatin1String(".tar.gz")) ? 1 : 0;
        }
        QCOMPARE(feedArchives, 1);
        for (const char *s : {"alice", "bob"}) {
            const Ran add = cli({QStringLiteral("target"), QStringLiteral("add"),
                                 QStringLiteral("grading-") + QLatin1String(s),
                                 QStringLiteral("ssh://grader-") + QLatin1String(s),
                                 QStringLiteral("--remote-cli"), QStringLiteral(TORCHLAB_CLI)},
                                m_student);
            QVERIFY2(add.code == 0, qPrintable(add.err));
        }
        const Ran instructorTarget =
            cli({QStringLiteral("target"), QStringLiteral("add"), QStringLiteral("grader"),
                 QStringLiteral("ssh://") + SshServer::alias(), QStringLiteral("--remote-cli"),
                 QStringLiteral(TORCHLAB_CLI)},
                m_student);
        QVERIFY2(instructorTarget.code == 0, qPrintable(instructorTarget.err));
    }

    // alice passes with her (correct) code; bob is stuck on a compile error;
    // the report is the lesson's, and the server kept both.
    void studentsCheckOnTheServer()
    {
        const Ran alice = cli({QStringLiteral("check"), m_studentPack, QStringLiteral("--lesson"),
                               kLesson, QStringLiteral("--use"), m_solution,
                               QStringLiteral("--target"), QStringLiteral("grading-alice")},
                              m_student);
        QVERIFY2(alice.code == 0, qPrintable(alice.out + alice.err));
        QVERIFY2(alice.out.contains(QLatin1String("twice(t) doubles every element")),
                 qPrintable(alice.out));
        QVERIFY2(alice.out.contains(QLatin1String("This Check ran on the course server")),
                 qPrintable(alice.out));

        const QString broken = m_dir.filePath(QStringLiteral("exercise.cpp"));
        QByteArray code = packtest::readAll(m_solution);
        code.replace("return t * 2;", "return t * undeclared_factor;");
        QVERIFY(packtest::writeAll(broken, code));
        const Ran bob = cli({QStringLiteral("check"), m_studentPack, QStringLiteral("--lesson"),
                             kLesson, QStringLiteral("--use"), broken, QStringLiteral("--target"),
                             QStringLiteral("grading-bob"), QStringLiteral("--json")},
                            m_student);
        QCOMPARE(bob.code, 1);
        QVERIFY2(bob.out.contains(QLatin1String("undeclared_factor")), qPrintable(bob.out));
        // Nothing of the hidden check code reaches the student.
        QVERIFY2(!bob.out.contains(QLatin1String("lab::check")) &&
                     !bob.out.contains(QLatin1String("check.cpp")),
                 qPrintable(bob.out));

        // A Run through the grader account is refused, and not recorded.
        const Ran run = cli({QStringLiteral("run"), broken, QStringLiteral("--target"),
                             QStringLiteral("grading-bob")},
                            m_student);
        QVERIFY(run.code != 0);
        QVERIFY2((run.out + run.err).contains(QLatin1String("only grades Checks")),
                 qPrintable(run.out + run.err));
    }

    // A version or a lesson the server does not grade: said plainly, nothing
    // recorded (classStatusShowsTheClass counts one try each).
    void anUnknownVersionIsRefused()
    {
        const QString packToml = m_studentPack + QStringLiteral("/pack.toml");
        const QByteArray original = packtest::readAll(packToml);
        QByteArray changed = original;
        changed.replace("version = \"0.1.0\"", "version = \"0.2.0\"");
        QVERIFY(changed != original);
        QVERIFY(packtest::writeAll(packToml, changed));
        const Ran r = cli({QStringLiteral("check"), m_studentPack, QStringLiteral("--lesson"),
                           kLesson, QStringLiteral("--use"), m_solution, QStringLiteral("--target"),
                           QStringLiteral("grading-alice")},
                          m_student);
        QVERIFY(packtest::writeAll(packToml, original));
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.out.contains(QLatin1String("grades ") + kPackId + QLatin1String(" 0.1.0, not 0.2.0")),
            qPrintable(r.out + r.err));

        // A lesson the grader account does not have.
        const QString lessonToml =
            m_studentPack + QLatin1Char('/') + kFolder + QStringLiteral("/lesson.toml");
        const QByteArray lessonText = packtest::readAll(lessonToml);
        QByteArray renamed = lessonText;
        renamed.replace("id = \"first-lesson\"", "id = \"made-up\"");
        QVERIFY(renamed != lessonText);
        QVERIFY(packtest::writeAll(lessonToml, renamed));
        const Ran unknown = cli({QStringLiteral("check"), m_studentPack, QStringLiteral("--lesson"),
                                 QStringLiteral("made-up"), QStringLiteral("--use"), m_solution,
                                 QStringLiteral("--target"), QStringLiteral("grading-bob")},
                                m_student);
        QVERIFY(packtest::writeAll(lessonToml, lessonText));
        QCOMPARE(unknown.code, 1);
        QVERIFY2(unknown.out.contains(QLatin1String("does not grade lesson made-up")),
                 qPrintable(unknown.out + unknown.err));
    }

    // class status in the grader account, and from the instructor's machine.
    void classStatusShowsTheClass()
    {
        const QJsonObject status = classStatusJson();
        QVERIFY2(status.value(QStringLiteral("students")).toArray().size() == 2,
                 QJsonDocument(status).toJson().constData());
        const QJsonObject alice = lessonOf(status, QStringLiteral("alice"));
        QCOMPARE(alice.value(QStringLiteral("passed")).toBool(), true);
        QCOMPARE(alice.value(QStringLiteral("tries")).toInt(), 1);
        QVERIFY(!alice.value(QStringLiteral("last_pass")).isNull());
        const QJsonObject bob = lessonOf(status, QStringLiteral("bob"));
        QCOMPARE(bob.value(QStringLiteral("passed")).toBool(), false);
        QCOMPARE(bob.value(QStringLiteral("tries")).toInt(), 1);
        QVERIFY(bob.value(QStringLiteral("last_pass")).isNull());
        QVERIFY2(bob.value(QStringLiteral("last_error"))
                     .toString()
                     .contains(QLatin1String("undeclared_factor")),
                 qPrintable(QJsonDocument(bob).toJson()));
        QVERIFY(bob.value(QStringLiteral("last_error"))
                    .toString()
                    .startsWith(QLatin1String("exercise.cpp:")));
        const QJsonArray errors = status.value(QStringLiteral("common_compile_errors")).toArray();
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors[0]
                    .toObject()
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QLatin1String("undeclared_factor")));

        const Ran remote =
            cli({QStringLiteral("class"), QStringLiteral("status"), QStringLiteral("--json"),
                 QStringLiteral("--target"), QStringLiteral("grader")},
                m_student);
        QVERIFY2(remote.code == 0, qPrintable(remote.err));
        const QJsonObject there = QJsonDocument::fromJson(remote.out.toUtf8()).object();
        QCOMPARE(lessonOf(there, QStringLiteral("bob")).value(QStringLiteral("tries")).toInt(), 1);
        QCOMPARE(lessonOf(there, QStringLiteral("alice")).value(QStringLiteral("passed")).toBool(),
                 true);
        const Ran table = cli({QStringLiteral("class"), QStringLiteral("status")}, m_grader);
        QCOMPARE(table.code, 0);
        QVERIFY2(table.out.contains(QLatin1String("first-lesson: passed, 1 try")),
                 qPrintable(table.out));
    }

    // A mistake the hidden check code trips over: the student learns that, not its code.
    void hiddenCheckCodeStaysHidden()
    {
        const QString wrong = m_dir.filePath(QStringLiteral("wrong/exercise.cpp"));
        QVERIFY(QDir().mkpath(QFileInfo(wrong).absolutePath()));
        QByteArray code = packtest::readAll(m_solution);
        code.replace("torch::Tensor twice(const torch::Tensor &t)\n{",
                     "torch::Tensor twice(const torch::Tensor &t, int k = 2)\n{");
        code.replace("return t * 2;", "return t * k;");
        QVERIFY(packtest::writeAll(wrong, code));
        const Ran r = cli({QStringLiteral("check"), m_studentPack, QStringLiteral("--lesson"),
                           kLesson, QStringLiteral("--use"), wrong, QStringLiteral("--target"),
                           QStringLiteral("grading-alice"), QStringLiteral("--json")},
                          m_student);
        QCOMPARE(r.code, 1);
        QVERIFY2(!r.out.contains(QLatin1String("check.cpp")) &&
                     !r.out.contains(QLatin1String("lab::")),
                 qPrintable(r.out));
    }

    // Many Checks at once append to one student's records: none lost or torn.
    void concurrentAppendsLoseNothing()
    {
        const GradeRecords records(m_dir.filePath(QStringLiteral("records")));
        constexpr int threads = 8;
        constexpr int each = 40;
        std::vector<QThread *> workers;
        for (int t = 0; t < threads; ++t) {
            workers.push_back(QThread::create([&records, t] {
                for (int i = 0; i < each; ++i) {
                    GradeRecord r;
                    r.time = QDateTime::currentDateTimeUtc();
                    r.pack = QStringLiteral("p");
                    r.version = QStringLiteral("1.0.0");
                    r.lesson = QStringLiteral("l%1").arg(t);
                    r.compileError = QString(300, QLatin1Char('x'));
                    QVERIFY(records.append(QStringLiteral("carol"), r));
                }
            }));
            workers.back()->start();
        }
        for (QThread *w : workers) {
            QVERIFY(w->wait(60'000));
            delete w;
        }
        QCOMPARE(records.load().value(QStringLiteral("carol")).size(), threads * each);
        QVERIFY(!records.append(QStringLiteral("../evil"), GradeRecord()));
    }
};

QTEST_GUILESS_MAIN(TestServerGrading)
#include "tst_servergrading.moc"
