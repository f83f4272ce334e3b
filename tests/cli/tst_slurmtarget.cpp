// Runs through Slurm, end to end: a one-node cluster the test starts
// (tests/helpers/slurmcluster.h) behind a loopback sshd (its login host), the
// built torchlab-cli on both sides. The learner sees the wait in the queue,
// Stop cancels the job, and Slurm's own endings are verdicts in plain words.
#include "core/remote/remoterunner.h"
#include "core/remote/sshtransport.h"
#include "core/remote/target.h"
#include "core/session/labsession.h"
#include "helpers/labtoolchain.h"
#include "helpers/procfs.h"
#include "helpers/remotejob.h"
#include "helpers/requiredeps.h"
#include "helpers/slurmcluster.h"
#include "helpers/sshserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace torchlab;
using torchlab::testing::alive;
using torchlab::testing::parentOf;
using torchlab::testing::SlurmCluster;
using torchlab::testing::SshServer;

namespace {

constexpr int CompileAndRunMs = 600'000;

} // namespace

class TestSlurmTarget : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_server;
    SlurmCluster m_cluster;

    Target target(int minutes = 0, const QString &partition = SlurmCluster::partition()) const
    {
        Target t =
            *Target::fromUrl(QStringLiteral("hpc"), QStringLiteral("ssh://") + SshServer::alias());
        t.kind = Target::Kind::Slurm;
        t.partition = partition;
        t.timeMinutes = minutes;
        t.remoteCli = QStringLiteral(TORCHLAB_CLI);
        return t;
    }

    RunSpec program(const char *name, const QString &folder) const
    {
        return testing::fixtureProgram(name, m_dir.filePath(folder), folder);
    }

    // A job that holds both CPUs of the node until it is cancelled.
    QString holdTheNode()
    {
        QProcess sbatch;
        sbatch.start(QStringLiteral("sbatch"),
                     {QStringLiteral("--parsable"), QStringLiteral("-p"), SlurmCluster::partition(),
                      QStringLiteral("-c"), QStringLiteral("2"), QStringLiteral("-J"),
                      QStringLiteral("holder"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                      QStringLiteral("--wrap"), QStringLiteral("sleep 300")});
        sbatch.waitForFinished(10'000);
        const QString id = QString::fromUtf8(sbatch.readAllStandardOutput()).trimmed();
        // Running, not only listed: a holder still pending would be counted
        // ahead of the job the test queues.
        const auto running = [] {
            QProcess squeue;
            squeue.start(QStringLiteral("squeue"),
                         {QStringLiteral("-h"), QStringLiteral("-n"), QStringLiteral("holder"),
                          QStringLiteral("-t"), QStringLiteral("R"), QStringLiteral("-o"),
                          QStringLiteral("%i")});
            squeue.waitForFinished(5000);
            return !squeue.readAllStandardOutput().trimmed().isEmpty();
        };
        if (!QTest::qWaitFor(running, 20'000)) {
            release(id);
            return QString();
        }
        return id;
    }

    void release(const QString &job) { QProcess::execute(QStringLiteral("scancel"), {job}); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString cache = testing::useSharedCache();
        if (const QString missing = SlurmCluster::missing(); !missing.isEmpty())
            LAB_SKIP_MISSING(missing);
        if (SshServer::sshd().isEmpty() || SshTransport::program().isEmpty())
            LAB_SKIP_MISSING("OpenSSH (openssh-server, openssh-client) is not installed");
        QString error;
        QVERIFY2(m_cluster.start(m_dir.filePath(QStringLiteral("slurm")), &error),
                 qPrintable(error));
        QVERIFY2(m_server.start(m_dir.filePath(QStringLiteral("sshd")),
                                {QStringLiteral("XDG_CACHE_HOME=") + cache,
                                 QStringLiteral("SLURM_CONF=") + m_cluster.config()},
                                &error),
                 qPrintable(error));
        qputenv("TORCHLAB_SSH_CONFIG", m_server.clientConfig().toUtf8());
        const QString runtime = m_dir.filePath(QStringLiteral("run"));
        QDir().mkpath(runtime);
        qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
        // What the server can build, once (target test does the same).
        RemoteDoctor doctor(target());
        QSignalSpy finished(&doctor, &RemoteDoctor::finished);
        doctor.start(CompileAndRunMs);
        QVERIFY(finished.wait(CompileAndRunMs));
        QVERIFY2(finished.first().at(1).toString().isEmpty(),
                 qPrintable(finished.first().at(1).toString()));
        QVERIFY(TargetStore::saveDoctor(QStringLiteral("hpc"),
                                        finished.first().first().toJsonObject()));
    }

    void cleanupTestCase()
    {
        SshTransport(target()).closeConnection();
        m_server.stop();
        m_cluster.stop();
    }

    // Through srun on a node: the program's output, metrics and exit code,
    // in a job named after the lesson.
    void aRunGoesThroughSrun()
    {
        StreamRunner runner(RemoteRunnerFactory::command(target(), QStringLiteral("en")));
        QByteArray out;
        connect(&runner, &Runner::stdoutData, this, [&out](const QByteArray &c) { out += c; });
        QSignalSpy events(&runner, &Runner::labEvents);
        QSignalSpy done(&runner, &Runner::done);
        RunSpec spec = program("lab_metrics.cpp", QStringLiteral("metrics"));
        runner.start(spec);
        QVERIFY(done.wait(CompileAndRunMs));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY2(r.job.ok(), qPrintable(r.job.compile.summary + r.job.run.summary));
        QVERIFY(out.contains("done"));
        QVERIFY(events.size() > 10);
    }

    // A busy node: the learner sees the wait ("waiting for a GPU: …, next in
    // line"), Stop while waiting cancels the job; once the node is free the
    // run goes through.
    void theQueueIsAPhaseAndStopCancels()
    {
        const QString holder = holdTheNode();
        QVERIFY(!holder.isEmpty());
        // Released however the test ends: a held node would stall every later test.
        const auto releaseHolder = qScopeGuard([&] { release(holder); });
        LabSession session;
        session.setRunnerFactory(std::make_shared<RemoteRunnerFactory>(
            target(), QStringLiteral("en"), TargetStore::loadDoctor(QStringLiteral("hpc"))));
        QSignalSpy queued(&session, &LabSession::queued);
        QSignalSpy phases(&session, &LabSession::phaseChanged);
        QSignalSpy finished(&session, &LabSession::finished);
        RunSpec spec = program("args_exit.cpp", QStringLiteral("queued"));
        QVERIFY(session.startProgram(spec));
        QTRY_VERIFY_WITH_TIMEOUT(queued.size() >= 2, 60'000);
        const QueueState state = queued.last().first().value<QueueState>();
        QVERIFY(!state.job.isEmpty());
        QCOMPARE(state.ahead, 0);
        QVERIFY(state.waitedMs >= 500);
        QVERIFY2(state.text().startsWith(QLatin1String("waiting for a GPU: ")),
                 qPrintable(state.text()));
        QVERIFY(phases.contains(QVariantList{QVariant::fromValue(RunPhase::Queued)}));
        QCOMPARE(m_cluster.jobs(QStringLiteral("torchlab-queued")), QStringList{state.job});

        session.stop();
        QVERIFY(finished.wait(20'000));
        const SessionResult stopped = finished.first().first().value<SessionResult>();
        QVERIFY(stopped.stopped);
        QTRY_VERIFY_WITH_TIMEOUT(m_cluster.jobs(QStringLiteral("torchlab-queued")).isEmpty(),
                                 10'000);

        // Free the node: the next Run waits a moment, then runs.
        finished.clear();
        queued.clear();
        QVERIFY(session.startProgram(spec));
        QTRY_VERIFY_WITH_TIMEOUT(!queued.isEmpty(), 60'000);
        release(holder);
        QVERIFY(finished.wait(CompileAndRunMs));
        const SessionResult ran = finished.first().first().value<SessionResult>();
        QCOMPARE(ran.outcome, RunResult::Outcome::Ok);
    }

    // Stop while the program runs on the node: scancel, the verdict
    // "stopped", the job gone from the queue, the program gone.
    void stopWhileRunningCancelsTheJob()
    {
        StreamRunner runner(RemoteRunnerFactory::command(target(), QStringLiteral("en")));
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(program("runaway.cpp", QStringLiteral("running")));
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const qint64 pid = started.first().first().toLongLong();
        QCOMPARE(m_cluster.jobs(QStringLiteral("torchlab-running")).size(), 1);
        runner.stop();
        QVERIFY(done.wait(20'000));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY2(r.job.run.outcome == RunResult::Outcome::Stopped ||
                     r.job.compile.outcome == CompileResult::Outcome::Cancelled,
                 qPrintable(r.job.run.summary));
        QTRY_VERIFY_WITH_TIMEOUT(m_cluster.jobs(QStringLiteral("torchlab-running")).isEmpty(),
                                 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 10'000);
    }

    // Someone else cancels the job (an administrator, scancel in another
    // window): not the learner's Stop, and said so.
    void aCancelOnTheClusterIsAVerdict()
    {
        StreamRunner runner(RemoteRunnerFactory::command(target(), QStringLiteral("en")));
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(program("runaway.cpp", QStringLiteral("admin")));
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        const QStringList jobs = m_cluster.jobs(QStringLiteral("torchlab-admin"));
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(QProcess::execute(QStringLiteral("scancel"), {jobs.first()}), 0);
        QVERIFY(done.wait(30'000));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::EndedByCluster);
        QVERIFY2(r.job.run.explanation.contains(QLatin1String("not by you")),
                 qPrintable(r.job.run.explanation));
    }

    // The node goes down under a running job: a node failure, in plain words.
    void aNodeFailureIsAVerdict()
    {
        StreamRunner runner(RemoteRunnerFactory::command(target(), QStringLiteral("en")));
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(program("runaway.cpp", QStringLiteral("nodefail")));
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, CompileAndRunMs);
        QCOMPARE(QProcess::execute(QStringLiteral("scontrol"),
                                   {QStringLiteral("update"), QStringLiteral("NodeName=localhost"),
                                    QStringLiteral("State=DOWN"), QStringLiteral("Reason=test")}),
                 0);
        QVERIFY(done.wait(30'000));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::EndedByCluster);
        QVERIFY2(r.job.run.summary.contains(QLatin1String("node failed")),
                 qPrintable(r.job.run.summary));
        // The node comes back for the tests after this one.
        QProcess::execute(QStringLiteral("scontrol"),
                          {QStringLiteral("update"), QStringLiteral("NodeName=localhost"),
                           QStringLiteral("State=RESUME")});
        QVERIFY(QTest::qWaitFor(
            [] {
                QProcess sinfo;
                sinfo.start(QStringLiteral("sinfo"),
                            {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%T")});
                sinfo.waitForFinished(5000);
                return sinfo.readAllStandardOutput().trimmed() == "idle";
            },
            60'000));
    }

    void anUnknownPartitionIsNamed()
    {
        StreamRunner runner(RemoteRunnerFactory::command(target(0, QStringLiteral("nosuch")),
                                                         QStringLiteral("en")));
        QSignalSpy done(&runner, &Runner::done);
        runner.start(program("args_exit.cpp", QStringLiteral("nopartition")));
        QVERIFY(done.wait(60'000));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY(!r.job.ran);
        QVERIFY2(r.job.compile.summary.contains(QLatin1String("No partition nosuch")),
                 qPrintable(r.job.compile.summary + r.job.compile.explanation));
    }

    // Slurm's time limit (one minute, the shortest it has) ends a runaway
    // program: the verdict says it was Slurm's limit, not the lab's.
    void slurmsTimeLimitIsAVerdict()
    {
        StreamRunner runner(RemoteRunnerFactory::command(target(1), QStringLiteral("en")));
        QSignalSpy done(&runner, &Runner::done);
        RunSpec spec = program("runaway.cpp", QStringLiteral("timelimit"));
        spec.limits.wallMs = 600'000;
        spec.limits.cpuSeconds = 1200;
        runner.start(spec);
        QVERIFY(done.wait(CompileAndRunMs));
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::TimeLimit);
        QVERIFY2(r.job.run.summary.contains(QLatin1String("Slurm")), qPrintable(r.job.run.summary));
        QVERIFY(r.job.run.explanation.contains(QLatin1String("1 minute")));
    }
};

QTEST_GUILESS_MAIN(TestSlurmTarget)
#include "tst_slurmtarget.moc"
