// Runs on a course GPU server, end to end over a real OpenSSH connection: an
// sshd the test starts on 127.0.0.1 (tests/helpers/sshserver.h), the built
// torchlab-cli as the server's, keys made at test time. The learner's view
// must be the local one: the same events, plots' data, diagnostics and
// verdicts; and every way the connection can fail has its plain message.
#include "core/course/packloader.h"
#include "core/remote/remoterunner.h"
#include "core/remote/remotesession.h"
#include "core/remote/sshtransport.h"
#include "core/remote/target.h"
#include "core/session/labsession.h"
#include "helpers/labtoolchain.h"
#include "helpers/procfs.h"
#include "helpers/remotejob.h"
#include "helpers/requiredeps.h"
#include "helpers/sshserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace torchlab;
using torchlab::testing::alive;
using torchlab::testing::parentOf;
using torchlab::testing::SshServer;

namespace {

constexpr int CompileAndRunMs = 600'000;
const QString kCourse = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course");
const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

QString fixture(const char *name)
{
    return QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/cli/") + QLatin1String(name);
}

struct CliRun
{
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TestSshTarget : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_server;
    QString m_cache;

    CliRun cli(const QStringList &args, int timeoutMs = CompileAndRunMs)
    {
        QProcess p;
        p.start(QStringLiteral(TORCHLAB_CLI), args);
        p.waitForFinished(timeoutMs);
        return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                      QString::fromUtf8(p.readAllStandardOutput()),
                      QString::fromUtf8(p.readAllStandardError())};
    }

    Target target(const QString &host = SshServer::alias()) const
    {
        Target t = *Target::fromUrl(QStringLiteral("course"), QStringLiteral("ssh://") + host);
        t.remoteCli = QStringLiteral(TORCHLAB_CLI);
        return t;
    }

    std::shared_ptr<RemoteRunnerFactory> factory(const Target &t) const
    {
        return std::make_shared<RemoteRunnerFactory>(
            t, QStringLiteral("en"), TargetStore::loadDoctor(QStringLiteral("course")));
    }

    RunSpec program(const char *name, const QString &folder) const
    {
        return testing::fixtureProgram(name, m_dir.filePath(folder), folder);
    }

    SessionResult runSession(LabSession &session, const std::function<bool()> &start,
                             int timeoutMs = CompileAndRunMs)
    {
        QSignalSpy finished(&session, &LabSession::finished);
        if (!start())
            return SessionResult();
        if (!finished.wait(timeoutMs) && finished.isEmpty())
            return SessionResult();
        return finished.first().first().value<SessionResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cache = testing::useSharedCache();
        // Targets of this run only (ctest's config folder outlives a run).
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        if (SshTransport::program().isEmpty())
            LAB_SKIP_MISSING("the OpenSSH client (openssh-client) is not installed");
        if (SshServer::sshd().isEmpty())
            LAB_SKIP_MISSING("sshd (openssh-server) is not installed");
        const CliRun doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")}, 120'000);
        if (doctor.code != 0)
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
        QString error;
        QVERIFY2(m_server.start(m_dir.filePath(QStringLiteral("sshd")),
                                {QStringLiteral("XDG_CACHE_HOME=") + m_cache}, &error),
                 qPrintable(error));
        qputenv("TORCHLAB_SSH_CONFIG", m_server.clientConfig().toUtf8());
        const QString runtime = m_dir.filePath(QStringLiteral("run"));
        QDir().mkpath(runtime);
        qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
    }

    void cleanupTestCase()
    {
        SshTransport(target()).closeConnection();
        m_server.stop();
    }

    // add, list, test (the first connection shows the server's key once),
    // remove: what a learner types from docs/course-server.md.
    void theTargetCommands()
    {
        CliRun add = cli({QStringLiteral("target"), QStringLiteral("add"), QStringLiteral("course"),
                          QStringLiteral("ssh://") + SshServer::alias(),
                          QStringLiteral("--remote-cli"), QStringLiteral(TORCHLAB_CLI)});
        QVERIFY2(add.code == 0, qPrintable(add.err));
        CliRun again = cli({QStringLiteral("target"), QStringLiteral("add"),
                            QStringLiteral("course"), QStringLiteral("ssh://elsewhere")});
        QCOMPARE(again.code, 1);
        QVERIFY(again.err.contains(QLatin1String("exists already")));

        CliRun list =
            cli({QStringLiteral("target"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.code, 0);
        const QJsonArray targets = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(targets.size(), 2);
        QCOMPARE(targets[0].toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("local"));
        QCOMPARE(targets[1].toObject().value(QStringLiteral("url")).toString(),
                 QStringLiteral("ssh://") + SshServer::alias());

        CliRun test = cli(
            {QStringLiteral("target"), QStringLiteral("test"), QStringLiteral("course")}, 180'000);
        QVERIFY2(test.code == 0, qPrintable(test.out + test.err));
        QVERIFY2(test.out.contains(QLatin1String("First connection to [127.0.0.1]:")) &&
                     test.out.contains(QLatin1String("SHA256:")),
                 qPrintable(test.out));
        QVERIFY2(test.out.contains(QLatin1String("LibTorch: LibTorch")), qPrintable(test.out));
        QVERIFY(test.out.contains(QLatin1String("GPU: ")));
        QVERIFY(test.out.contains(QLatin1String("course is ready.")));
        // The key is known now: said once, not at every connection.
        CliRun second = cli(
            {QStringLiteral("target"), QStringLiteral("test"), QStringLiteral("course")}, 180'000);
        QCOMPARE(second.code, 0);
        QVERIFY(!second.out.contains(QLatin1String("First connection")));
        QVERIFY(TargetStore::loadDoctor(QStringLiteral("course")).has_value());
    }

    // `check PACK --target`: graded there, the exit code and the report as here.
    void checkThroughTheTarget()
    {
        CliRun pass =
            cli({QStringLiteral("check"), kCourse, QStringLiteral("--lesson"),
                 QStringLiteral("hello"), QStringLiteral("--use"), QStringLiteral("solution"),
                 QStringLiteral("--target"), QStringLiteral("course")});
        QVERIFY2(pass.code == 0, qPrintable(pass.out + pass.err));
        QVERIFY(pass.err.contains(QLatin1String("Checking on ") + SshServer::alias()));
        CliRun fail =
            cli({QStringLiteral("check"), kCourse, QStringLiteral("--lesson"),
                 QStringLiteral("hello"), QStringLiteral("--use"), QStringLiteral("starter"),
                 QStringLiteral("--target"), QStringLiteral("course"), QStringLiteral("--json")});
        QCOMPARE(fail.code, 1);
        const QJsonDocument report = QJsonDocument::fromJson(fail.out.toUtf8());
        QVERIFY2(!report.isNull(), qPrintable(fail.out));
    }

    // A Slurm target whose login host has no srun: said before anything runs.
    void noSlurmOnTheLoginHostIsSaid()
    {
        const QString wrapper = m_dir.filePath(QStringLiteral("cli-without-slurm"));
        QFile script(wrapper);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(QByteArray("#!/bin/sh\nPATH=/nonexistent exec ") + TORCHLAB_CLI + " \"$@\"\n");
        script.close();
        script.setPermissions(script.permissions() | QFile::ExeOwner);
        Target slurm = target();
        slurm.kind = Target::Kind::Slurm;
        slurm.partition = QStringLiteral("gpu");
        slurm.remoteCli = wrapper;
        StreamRunner runner(RemoteRunnerFactory::command(slurm, QStringLiteral("en")));
        QSignalSpy done(&runner, &Runner::done);
        runner.start(program("args_exit.cpp", QStringLiteral("noslurm")));
        QVERIFY(done.wait(60'000));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY(!r.job.ran);
        QVERIFY2(r.job.compile.summary.startsWith(QLatin1String("No Slurm on ")),
                 qPrintable(r.job.compile.summary));
        QVERIFY(r.job.compile.explanation.contains(QLatin1String("srun")));
    }

    // `run FILE.cpp --target`: output live, the program's exit code, a
    // compile error on the learner's own line.
    void runThroughTheTarget()
    {
        CliRun ok = cli({QStringLiteral("run"), fixture("lab_metrics.cpp"),
                         QStringLiteral("--target"), QStringLiteral("course")});
        QVERIFY2(ok.code == 0, qPrintable(ok.err));
        QVERIFY(ok.err.contains(QLatin1String("Running on ") + SshServer::alias()));
        QVERIFY(ok.out.contains(QLatin1String("done")));
        QVERIFY(ok.err.contains(QLatin1String("[metric] loss step 50")));

        CliRun seven =
            cli({QStringLiteral("run"), fixture("args_exit.cpp"), QStringLiteral("--target"),
                 QStringLiteral("course"), QStringLiteral("--"), QStringLiteral("7")});
        QCOMPARE(seven.code, 7);
        QVERIFY(seven.out.contains(QLatin1String("arg 7")));

        CliRun broken = cli({QStringLiteral("run"), fixture("compile_error.cpp"),
                             QStringLiteral("--target"), QStringLiteral("course")});
        QCOMPARE(broken.code, 1);
        QVERIFY2(broken.err.contains(QLatin1String("compile_error.cpp:7:")),
                 qPrintable(broken.err));
        QVERIFY(
            !broken.err.contains(QLatin1String("jobs/"))); // the server's folders stay out of sight
    }

    // A lesson's Check through the target grades as here, and the plots get
    // their data (the metric store) from the server's stream.
    void aCheckThroughTheTargetGradesAsHere()
    {
        const PackLoadResult loaded = PackLoader::load(kExample);
        QVERIFY(loaded.valid());
        const Lesson &fit = *loaded.pack.lesson(QStringLiteral("fit"));
        CheckRequest request;
        request.use = CheckRequest::Use::Solution;
        request.quick = true;

        LabSession session;
        session.setRunnerFactory(factory(target()));
        const SessionResult r =
            runSession(session, [&] { return session.start(RunMode::Check, fit, request); });
        QVERIFY2(r.passed(), qPrintable(QJsonDocument(r.report.toJson()).toJson()));
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        const MetricSeries *loss = session.metrics().series(QStringLiteral("loss"));
        QVERIFY(loss);
        QVERIFY(loss->size() > 5);
        QVERIFY(!session.memory().isEmpty()); // the server's memory samples

        // A course lesson, its starter: the hidden checks run there and fail.
        const PackLoadResult course = PackLoader::load(kCourse);
        QVERIFY(course.valid());
        const Lesson &hello = *course.pack.lesson(QStringLiteral("hello"));
        request.use = CheckRequest::Use::Solution;
        const SessionResult passed =
            runSession(session, [&] { return session.start(RunMode::Check, hello, request); });
        QVERIFY2(passed.passed(), qPrintable(QJsonDocument(passed.report.toJson()).toJson()));
    }

    void aCrashIsACrashVerdict()
    {
        QTemporaryDir dir;
        QFile crash(dir.filePath(QStringLiteral("crash.cpp")));
        QVERIFY(crash.open(QIODevice::WriteOnly));
        crash.write("#include <csignal>\n#include <cstdio>\nint main() { std::puts(\"before\");"
                    " std::fflush(stdout); std::raise(SIGSEGV); }\n");
        crash.close();
        RunSpec spec;
        spec.sources << SourceFile{crash.fileName(), QStringLiteral("crash.cpp"), true, {}};
        spec.workingDirectory = dir.path();
        spec.jobName = QStringLiteral("crash");
        LabSession session;
        session.setRunnerFactory(factory(target()));
        QByteArray out;
        connect(&session, &LabSession::output, this,
                [&out](const QByteArray &chunk, bool) { out += chunk; });
        const SessionResult r = runSession(session, [&] { return session.startProgram(spec); });
        QCOMPARE(r.outcome, RunResult::Outcome::Crashed);
        QCOMPARE(r.run.job.run.signalName, QStringLiteral("SIGSEGV"));
        QVERIFY(out.contains("before"));
        QVERIFY(r.card().has_value());
    }

    // The server answers in the learner's language: its verdicts and its
    // doctor's findings (the session and the one-job command alike).
    void theServerSpeaksTheLearnersLanguage()
    {
        const auto chinese = [](const QString &text) {
            return std::any_of(text.cbegin(), text.cend(), [](QChar c) {
                return c.unicode() >= 0x4e00 && c.unicode() < 0xa000;
            });
        };
        LabSession session;
        session.setRunnerFactory(std::make_shared<RemoteRunnerFactory>(
            target(), QStringLiteral("zh_CN"), TargetStore::loadDoctor(QStringLiteral("course"))));
        RunSpec spec = program("args_exit.cpp", QStringLiteral("zh"));
        spec.arguments = {QStringLiteral("3")};
        const SessionResult r = runSession(session, [&] { return session.startProgram(spec); });
        QCOMPARE(r.outcome, RunResult::Outcome::ExitCode);
        QVERIFY2(chinese(r.run.job.run.summary), qPrintable(r.run.job.run.summary));

        RemoteDoctor doctor(target(), QStringLiteral("zh_CN"));
        QSignalSpy finished(&doctor, &RemoteDoctor::finished);
        doctor.start();
        QVERIFY(finished.wait(120'000));
        const QJsonObject report = finished.first().first().toJsonObject();
        const QJsonArray verdicts = report.value(QStringLiteral("verdicts")).toArray();
        QVERIFY(!verdicts.isEmpty());
        for (const QJsonValue &v : verdicts)
            QVERIFY2(chinese(v.toObject().value(QStringLiteral("title")).toString()),
                     qPrintable(v.toObject().value(QStringLiteral("title")).toString()));
    }

    // Stop reaches the server: its program ends, the verdict is "stopped".
    void stopEndsTheProgramOnTheServer()
    {
        RunSpec spec = program("runaway.cpp", QStringLiteral("stop"));
        StreamRunner runner(RemoteRunnerFactory::command(target(), QStringLiteral("en")));
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const qint64 program =
            started.first().first().toLongLong(); // the server's pid: this machine
        QVERIFY(alive(program));
        QElapsedTimer clock;
        clock.start();
        runner.stop();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10'000);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::Stopped);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(program), 5'000);
        qInfo("stop to verdict over ssh: %lld ms", clock.elapsed());
    }

    // The network goes mid-run (the server's sshd sessions die): a verdict
    // within 10 s, the code kept, and the program on the server ends too.
    void aCutConnectionIsAVerdictWithinTenSeconds()
    {
        RunSpec spec = program("runaway.cpp", QStringLiteral("cut"));
        StreamRunner runner(RemoteRunnerFactory::command(target(), QStringLiteral("en")));
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const qint64 program = started.first().first().toLongLong();
        QTest::qWait(300);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(m_server.cutConnections() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10'000);
        QVERIFY(clock.elapsed() < 10'000);
        qInfo("connection cut to verdict: %lld ms", clock.elapsed());
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::ConnectionLost);
        QVERIFY2(r.job.run.explanation.contains(QLatin1String("kept")),
                 qPrintable(r.job.run.explanation));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(program), 10'000);
        QFile source(spec.sources.first().path);
        QVERIFY(source.exists()); // nothing of the learner's is touched
    }

    // The window's warm session: one `torchlab-cli serve` on the server runs
    // job after job; Stop and a cut connection end the job that runs, and the
    // next Run opens a new session; an idle session closes.
    void aWarmSessionRunsJobAfterJob()
    {
        RemoteRunnerFactory factory(target(), QStringLiteral("en"),
                                    TargetStore::loadDoctor(QStringLiteral("course")));
        const std::shared_ptr<RemoteSession> session = factory.session();
        // The server's `torchlab-cli serve` processes (this machine is the server).
        const auto servers = [] {
            QList<qint64> out;
            for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
                QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
                if (cmdline.open(QIODevice::ReadOnly) &&
                    cmdline.readAll().endsWith(QByteArray("serve\0--json-stream\0", 20)))
                    out << entry.toLongLong();
            }
            return out;
        };
        const auto runOnce = [&](const RunSpec &spec, qint64 *pid, bool stop) {
            std::unique_ptr<Runner> runner(factory.create(nullptr));
            QSignalSpy started(runner.get(), &Runner::started);
            QSignalSpy done(runner.get(), &Runner::done);
            runner->start(spec);
            if (!QTest::qWaitFor([&] { return !started.isEmpty() || !done.isEmpty(); },
                                 CompileAndRunMs))
                return RunnerResult();
            if (!started.isEmpty())
                *pid = started.first().first().toLongLong();
            if (stop)
                runner->stop();
            if (done.isEmpty() && !done.wait(stop ? 10'000 : CompileAndRunMs))
                return RunnerResult();
            return done.first().first().value<RunnerResult>();
        };
        qint64 first = 0, second = 0;
        RunnerResult r = runOnce(program("args_exit.cpp", QStringLiteral("warm1")), &first, false);
        QVERIFY2(r.job.ok(), qPrintable(r.job.compile.summary + r.job.run.summary));
        QVERIFY(session->isOpen());
        const QList<qint64> serving = servers();
        QCOMPARE(serving.size(), 1);
        r = runOnce(program("args_exit.cpp", QStringLiteral("warm2")), &second, false);
        QVERIFY(r.job.ok());
        QCOMPARE(servers(), serving); // the same serve process: no new session

        qint64 runaway = 0;
        r = runOnce(program("runaway.cpp", QStringLiteral("warmstop")), &runaway, true);
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::Stopped);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(runaway), 5'000);
        QVERIFY(session->isOpen()); // still warm after a stop

        // The connection is cut mid-job: that job is lost, the next opens anew.
        {
            std::unique_ptr<Runner> runner(factory.create(nullptr));
            QSignalSpy started(runner.get(), &Runner::started);
            QSignalSpy done(runner.get(), &Runner::done);
            runner->start(program("runaway.cpp", QStringLiteral("warmcut")));
            QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
            const qint64 pid = started.first().first().toLongLong();
            QElapsedTimer clock;
            clock.start();
            QVERIFY(m_server.cutConnections() > 0);
            QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10'000);
            QCOMPARE(done.first().first().value<RunnerResult>().job.run.outcome,
                     RunResult::Outcome::ConnectionLost);
            QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 10'000);
        }
        qint64 third = 0;
        r = runOnce(program("args_exit.cpp", QStringLiteral("warm3")), &third, false);
        QVERIFY2(r.job.ok(), qPrintable(r.job.compile.summary + r.job.compile.explanation));
        QCOMPARE(servers().size(), 1);
        QVERIFY(servers() != serving); // a new session

        session->idleMs = 300;
        qint64 fourth = 0;
        r = runOnce(program("args_exit.cpp", QStringLiteral("warm4")), &fourth, false);
        QVERIFY(r.job.ok());
        QTRY_VERIFY_WITH_TIMEOUT(!session->isOpen(), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(servers().isEmpty(), 10'000); // the server's serve ended too
    }

    // The network goes quiet without closing the connection (Wi-Fi drops):
    // the lab's verdict within 10 s (ssh's keep-alives), and the server, which
    // stops hearing the lab's heartbeats, stops the learner's program too.
    void aSilentNetworkEndsTheJobOnBothSides()
    {
        RemoteRunnerFactory factory(target(), QStringLiteral("en"),
                                    TargetStore::loadDoctor(QStringLiteral("course")));
        std::unique_ptr<Runner> runner(factory.create(nullptr));
        QSignalSpy started(runner.get(), &Runner::started);
        QSignalSpy done(runner.get(), &Runner::done);
        runner->start(program("runaway.cpp", QStringLiteral("silent")));
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const qint64 pid = started.first().first().toLongLong();
        QElapsedTimer clock;
        clock.start();
        QVERIFY(m_server.freezeConnections() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10'000);
        qInfo("silent network to verdict: %lld ms", clock.elapsed());
        QCOMPARE(done.first().first().value<RunnerResult>().job.run.outcome,
                 RunResult::Outcome::ConnectionLost);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 20'000);
        qInfo("silent network to the server's program ended: %lld ms", clock.elapsed());
        m_server.cutConnections();
    }

    void wrongKeyUnreachableAndNoCliAreExplained()
    {
        // The shared connection to the same user@host would carry any key: without it.
        SshTransport(target()).closeConnection();
        LabSession session;
        session.setRunnerFactory(factory(target(SshServer::wrongKeyAlias())));
        RunSpec spec = program("args_exit.cpp", QStringLiteral("refused"));
        SessionResult r = runSession(
            session, [&] { return session.startProgram(spec); }, 60'000);
        QVERIFY2(!r.run.job.ran, qPrintable(r.run.job.run.summary + r.run.job.run.explanation));
        QVERIFY2(r.run.job.compile.summary.contains(QLatin1String("refused your key")),
                 qPrintable(r.run.job.compile.summary));
        QVERIFY(r.run.job.compile.explanation.contains(QLatin1String("--identity")));

        Target closed =
            *Target::fromUrl(QStringLiteral("closed"), QStringLiteral("ssh://127.0.0.1:%1").arg(1));
        session.setRunnerFactory(factory(closed));
        r = runSession(
            session, [&] { return session.startProgram(spec); }, 60'000);
        QVERIFY2(r.run.job.compile.summary.contains(QLatin1String("cannot be reached")),
                 qPrintable(r.run.job.compile.summary + r.run.job.compile.explanation));

        Target noCli = target();
        noCli.remoteCli = QStringLiteral("/opt/nowhere/torchlab-cli");
        session.setRunnerFactory(factory(noCli));
        r = runSession(
            session, [&] { return session.startProgram(spec); }, 60'000);
        QVERIFY2(r.run.job.compile.summary.contains(QLatin1String("no torchlab-cli")),
                 qPrintable(r.run.job.compile.summary + r.run.job.compile.explanation));
    }

    // A server whose torchlab-cli speaks another protocol is refused with the
    // versions named, before anything runs.
    void anIncompatibleServerIsRefused()
    {
        const QString fake = m_dir.filePath(QStringLiteral("old-torchlab-cli"));
        QFile script(fake);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(
            "#!/bin/sh\necho '{\"t\":\"hello\",\"protocol\":99,\"where\":\"old\"}'\nsleep 30\n");
        script.close();
        script.setPermissions(script.permissions() | QFile::ExeOwner);
        Target old = target();
        old.remoteCli = fake;
        LabSession session;
        session.setRunnerFactory(factory(old));
        RunSpec spec = program("args_exit.cpp", QStringLiteral("old"));
        QElapsedTimer clock;
        clock.start();
        const SessionResult r = runSession(
            session, [&] { return session.startProgram(spec); }, 60'000);
        QVERIFY(clock.elapsed() < 20'000);
        QVERIFY2(r.run.job.compile.explanation.contains(QLatin1String("protocol 99")),
                 qPrintable(r.run.job.compile.explanation));
    }

    // Last: the server comes back with another key. The lab refuses it and
    // says what to do; nothing is sent.
    void aChangedHostKeyIsRefused()
    {
        SshTransport(target()).closeConnection();
        QString error;
        QVERIFY2(m_server.restartWithNewHostKey(&error), qPrintable(error));
        LabSession session;
        session.setRunnerFactory(factory(target()));
        RunSpec spec = program("args_exit.cpp", QStringLiteral("changed"));
        const SessionResult r = runSession(
            session, [&] { return session.startProgram(spec); }, 60'000);
        QVERIFY(!r.run.job.ran);
        QVERIFY2(r.run.job.compile.summary.contains(QLatin1String("identity has changed")),
                 qPrintable(r.run.job.compile.summary));
        QVERIFY(r.run.job.compile.explanation.contains(QLatin1String("ssh-keygen -R")));
        CliRun test = cli(
            {QStringLiteral("target"), QStringLiteral("test"), QStringLiteral("course")}, 60'000);
        QCOMPARE(test.code, 1);
        QVERIFY(test.err.contains(QLatin1String("identity has changed")));
    }
};

QTEST_GUILESS_MAIN(TestSshTarget)
#include "tst_sshtarget.moc"
