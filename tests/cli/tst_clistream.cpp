// The JSON event stream end to end: `torchlab-cli run --json-stream` and
// `run --job`, read back by StreamRunner exactly as a runner on a course GPU
// server will read them (there through ssh; here the same binary, locally).
// A check through the stream must grade like a check here, and a CLI that
// dies mid-run must end as a lost connection with its program gone.
#include "core/course/packloader.h"
#include "core/grading/checkrunner.h"
#include "core/runner/localrunner.h"
#include "core/runner/runnerjson.h"
#include "core/runner/runstream.h"
#include "core/runner/streamrunner.h"
#include "helpers/procfs.h"
#include "helpers/requiredeps.h"

#include "helpers/labtoolchain.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
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

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");
constexpr int CompileAndRunMs = 600'000;

QString fixture(const char *name)
{
    return QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/cli/") + QLatin1String(name);
}

} // namespace

class TestCliStream : public QObject
{
    Q_OBJECT

    QString m_cache;
    QTemporaryDir m_dir;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache);
        env.remove(QStringLiteral("TORCHLAB_DEVICE"));
        return env;
    }

    QList<RunStreamEvent> stream(const QStringList &args, int *code, qint64 *badLines = nullptr)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(TORCHLAB_CLI), args);
        p.waitForFinished(CompileAndRunMs);
        *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        QList<RunStreamEvent> events;
        RunStreamReader reader([&events](RunStreamEvent &&e) { events << std::move(e); });
        reader.feed(p.readAllStandardOutput());
        reader.finish();
        if (badLines)
            *badLines = reader.badLines();
        return events;
    }

    // A job folder holding the program that spins until it is stopped; no
    // sources when the folder could not be made.
    RunSpec runawayJob(const QString &name) const
    {
        RunSpec spec;
        const QString job = m_dir.filePath(name);
        if (!QDir().mkpath(job) ||
            !QFile::copy(fixture("runaway.cpp"), job + QStringLiteral("/runaway.cpp")))
            return spec;
        spec.sources << SourceFile{
            job + QStringLiteral("/runaway.cpp"), QStringLiteral("runaway.cpp"), true, {}};
        spec.workingDirectory = job;
        spec.environment = environment();
        return spec;
    }

    StreamRunner::Command localCli() const
    {
        return StreamRunner::Command{
            QStringLiteral(TORCHLAB_CLI), {}, QStringLiteral("this computer"), QString()};
    }

    class CliFactory : public RunnerFactory
    {
    public:
        explicit CliFactory(StreamRunner::Command command) : m_command(std::move(command)) {}
        Runner *create(QObject *parent) const override
        {
            return new StreamRunner(m_command, parent);
        }

    private:
        StreamRunner::Command m_command;
    };

private Q_SLOTS:
    void initTestCase()
    {
        m_cache = testing::useSharedCache();
        QProcess doctor;
        doctor.setProcessEnvironment(environment());
        doctor.start(QStringLiteral(TORCHLAB_CLI),
                     {QStringLiteral("doctor"), QStringLiteral("--json")});
        doctor.waitForFinished(120'000);
        const QJsonObject profile = QJsonDocument::fromJson(doctor.readAllStandardOutput())
                                        .object()
                                        .value(QStringLiteral("profile"))
                                        .toObject();
        if (doctor.exitCode() != 0 || profile.isEmpty())
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
    }

    void runAsAStream()
    {
        int code = -1;
        qint64 bad = -1;
        const QList<RunStreamEvent> events = stream(
            {QStringLiteral("run"), QStringLiteral("--json-stream"), fixture("lab_metrics.cpp")},
            &code, &bad);
        QCOMPARE(code, 0);
        QCOMPARE(bad, 0);
        QVERIFY(events.size() > 5);
        using T = RunStreamEvent::Type;
        QCOMPARE(events.first().type, T::Hello);
        QCOMPARE(events.first().protocol, runstream::ProtocolVersion);
        QCOMPARE(events.last().type, T::Done);
        QCOMPARE(events.last().exitCode, 0);
        // Order: compiled before started, started before the program's output.
        qsizetype compiled = -1, started = -1, firstOutput = -1, losses = 0;
        QByteArray out;
        for (qsizetype i = 0; i < events.size(); ++i) {
            const RunStreamEvent &e = events[i];
            if (e.type == T::Compiled && compiled < 0)
                compiled = i;
            if (e.type == T::Started && started < 0)
                started = i;
            if (e.type == T::Stdout) {
                if (firstOutput < 0)
                    firstOutput = i;
                out += e.data;
            }
            if (e.type == T::Lab && e.lab.type == LabEvent::Type::Metric &&
                e.lab.name == QLatin1String("loss"))
                ++losses;
        }
        QVERIFY(compiled >= 0 && started > compiled && firstOutput > started);
        QVERIFY2(out.contains("done"), out.constData());
        QCOMPARE(losses, 50);
        const RunnerResult &r = events.last().result;
        QVERIFY(r.job.ok());
        QCOMPARE(r.job.checks.tally(QStringLiteral("ran to the end"))->reports, 1);
        QCOMPARE(r.job.hello.device, QStringLiteral("cpu"));
    }

    void aProgramThatFailsKeepsItsExitCode()
    {
        int code = -1;
        const QList<RunStreamEvent> events =
            stream({QStringLiteral("run"), QStringLiteral("--json-stream"),
                    fixture("args_exit.cpp"), QStringLiteral("--"), QStringLiteral("7")},
                   &code);
        QCOMPARE(code, 7);
        QCOMPARE(events.last().exitCode, 7);
        QCOMPARE(events.last().result.job.run.outcome, RunResult::Outcome::ExitCode);
    }

    void aBrokenJobIsADoneEventNotSilence()
    {
        const QString job = m_dir.filePath(QStringLiteral("broken.json"));
        QFile f(job);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"v":1,"sources":[{"path":"../../etc/passwd"}]})");
        f.close();
        int code = -1;
        const QList<RunStreamEvent> events = stream(
            {QStringLiteral("run"), QStringLiteral("--job"), job, QStringLiteral("--json-stream")},
            &code);
        QCOMPARE(code, 1);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.last().type, RunStreamEvent::Type::Done);
        QVERIFY(events.last().result.job.compile.summary.contains(
            QStringLiteral("outside its folder")));
    }

    // A check of the example pack through the stream grades exactly as one here.
    void aCheckThroughTheStreamGradesAsHere()
    {
        const PackLoadResult loaded = PackLoader::load(kExample);
        QVERIFY(loaded.valid());
        const Lesson &squares = *loaded.pack.lesson(QStringLiteral("squares"));
        QString why;
        CheckRequest request;
        request.use = CheckRequest::Use::Solution;
        request.quick = true;
        request.profile = testing::machineProfile(&why);
        QVERIFY2(request.profile.isValid(), qPrintable(why));

        QList<CheckReport> reports;
        for (bool viaStream : {false, true}) {
            CheckRunner runner;
            if (viaStream)
                runner.setRunnerFactory(std::make_shared<CliFactory>(localCli()));
            QSignalSpy done(&runner, &CheckRunner::done);
            runner.start(squares, request);
            QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, CompileAndRunMs);
            reports << done.first().first().value<CheckReport>();
        }
        const CheckReport &here = reports[0];
        const CheckReport &there = reports[1];
        QVERIFY2(here.passed(), qPrintable(QJsonDocument(here.toJson()).toJson()));
        QVERIFY2(there.passed(), qPrintable(QJsonDocument(there.toJson()).toJson()));
        QCOMPARE(there.tests.size(), here.tests.size());
        for (qsizetype i = 0; i < here.tests.size(); ++i) {
            QCOMPARE(there.tests[i].name, here.tests[i].name);
            QCOMPARE(there.tests[i].status, here.tests[i].status);
        }
        QCOMPARE(there.runOutcome, RunResult::Outcome::Ok);
        QCOMPARE(there.device, here.device);
    }

    // The connection goes (here: the CLI is killed): a verdict of its own
    // within seconds, and the program that ran does not live on.
    void aKilledCliIsALostConnection()
    {
        RunSpec spec = runawayJob(QStringLiteral("runaway"));
        QVERIFY(!spec.sources.isEmpty());
        spec.limits.wallMs = 120'000;
        StreamRunner runner(localCli());
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const qint64 program = started.first().first().toLongLong();
        const qint64 cli = parentOf(program);
        QVERIFY(cli > 1);
        QTest::qWait(200);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid_t(cli), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10'000);
        QVERIFY(clock.elapsed() < 10'000);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::ConnectionLost);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(program), 5'000);
    }

    // Stop through the stream: the CLI stops its program and still reports.
    void stopThroughTheStream()
    {
        const RunSpec spec = runawayJob(QStringLiteral("stop"));
        QVERIFY(!spec.sources.isEmpty());
        StreamRunner runner(localCli());
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const qint64 program = started.first().first().toLongLong();
        runner.stop();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10'000);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::Stopped);
        QVERIFY(!alive(program));
    }
};

QTEST_GUILESS_MAIN(TestCliStream)
#include "tst_clistream.moc"
