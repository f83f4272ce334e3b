#include "core/runner/localrunner.h"

#include "core/build/pchcache.h"
#include "core/course/datasets.h"
#include "core/gpu/nvml.h"
#include "core/gpu/nvmlsampler.h"
#include "core/grading/rankgroup.h"

#include <QCoreApplication>
#include <QThread>
#include <QTimer>

namespace torchlab {

namespace {

// GPUs the ranks can use: what the spec says, else NVML's count on a CUDA
// profile. CUDA numbers only the devices CUDA_VISIBLE_DEVICES lists, up to
// the first invalid entry ("-1" hides them all).
int usableGpus(const RunSpec &spec, const QProcessEnvironment &env)
{
    if (spec.gpuCount >= 0)
        return spec.gpuCount;
    if (!spec.profile.useCuda)
        return 0; // no need to load NVML: chooseBackend() picks Gloo on a CPU profile
    int count = int(probeGpu().devices.size());
    if (env.contains(QStringLiteral("CUDA_VISIBLE_DEVICES"))) {
        int listed = 0;
        for (const QString &entry :
             env.value(QStringLiteral("CUDA_VISIBLE_DEVICES")).split(QLatin1Char(','))) {
            if (entry.trimmed().isEmpty() || entry.trimmed().startsWith(QLatin1Char('-')))
                break;
            ++listed;
        }
        count = std::min(count, listed);
    }
    return count;
}

} // namespace

const RunResult &RunnerResult::verdict(int *rank) const
{
    if (rank)
        *rank = 0;
    const RunResult &zero = job.run;
    if (zero.ok() || zero.outcome == RunResult::Outcome::Stopped) {
        for (const RankRun &r : otherRanks) {
            if (!r.run.ok() && r.run.outcome != RunResult::Outcome::Stopped) {
                if (rank)
                    *rank = r.rank;
                return r.run;
            }
        }
    }
    return zero;
}

LocalRunner::LocalRunner(QObject *parent) : LocalRunner(Options(), parent) {}

LocalRunner::LocalRunner(Options options, QObject *parent)
    : Runner(parent), m_options(std::move(options)), m_alive(std::make_shared<int>(0))
{
}

LocalRunner::~LocalRunner()
{
    // Children (RunJob, RankGroup) stop their processes as they are deleted.
    if (m_ranks)
        m_ranks->stop();
    if (m_job)
        m_job->stop();
}

QString LocalRunner::where() const
{
    return tr("this computer");
}

void LocalRunner::start(const RunSpec &spec)
{
    Q_ASSERT(!m_running);
    m_spec = spec;
    m_result = RunnerResult();
    m_running = true;
    m_stopped = false;
    m_jobDone = false;
    for (auto it = spec.variables.cbegin(); it != spec.variables.cend(); ++it)
        m_spec.environment.insert(it.key(), it.value());
    if (!m_spec.environment.contains(QStringLiteral("TORCHLAB_DATA")))
        m_spec.environment.insert(QStringLiteral("TORCHLAB_DATA"),
                                  Datasets::root(m_spec.environment));

    if (spec.datasets.isEmpty()) {
        startJob();
        return;
    }
    // Unpacking Fashion-MNIST takes about a second: off the caller's thread.
    Q_EMIT phaseChanged(RunPhase::Preparing);
    const std::weak_ptr<int> alive = m_alive;
    const QStringList names = spec.datasets;
    const QString root = m_spec.environment.value(QStringLiteral("TORCHLAB_DATA"));
    auto notes = std::make_shared<QStringList>();
    QThread *worker = QThread::create([names, root, notes] {
        for (const QString &name : names) {
            const Datasets::Status s = Datasets::ensure(name, root);
            if (!s.ok)
                notes->append(s.message);
        }
    });
    // The thread deletes itself, also when this runner is gone by then.
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, alive, notes] {
        if (alive.expired() || !m_running)
            return;
        m_result.notes += *notes;
        if (m_stopped) {
            m_result.job.compile.outcome = CompileResult::Outcome::Cancelled;
            m_result.job.compile.summary = tr("Stopped.");
            finish();
            return;
        }
        startJob();
    });
    worker->start();
}

void LocalRunner::startJob()
{
    RunJobRequest request;
    request.profile = m_spec.profile;
    request.sources = m_spec.sources;
    request.extraCompileFlags = m_spec.extraCompileFlags;
    request.arguments = m_spec.arguments;
    request.workingDirectory = m_spec.workingDirectory;
    request.device = m_spec.device;
    request.limits = m_spec.limits;
    request.usePch = m_spec.usePch;
    // Everything a LocalRunner runs is a learner's or a pack's program.
    request.sandbox.untrusted = true;
    request.sandbox.mode = sandboxModeFromEnvironment(m_spec.sandbox);
    request.sandbox.gpu = m_spec.profile.useCuda;
    request.sandbox.writable = m_spec.writable;
    request.sandbox.readable << m_spec.environment.value(QStringLiteral("TORCHLAB_DATA"))
                             << m_spec.profile.libtorch.root;
    request.sandbox.network = m_spec.network                  ? SandboxPolicy::Network::Host
                              : std::max(1, m_spec.ranks) > 1 ? SandboxPolicy::Network::Loopback
                                                              : SandboxPolicy::Network::None;

    const int ranks = std::max(1, m_spec.ranks);
    int port = 0;
    QProcessEnvironment env = m_spec.environment;
    if (ranks > 1) {
        // Every rank must build the same kind of process group; the program
        // reads the lab's choice, which replaces any the environment holds.
        const RankBackend backend =
            RankGroup::chooseBackend(m_spec.profile, usableGpus(m_spec, env), ranks);
        if (backend.name.isEmpty())
            env.remove(QStringLiteral("TORCHLAB_DIST_BACKEND"));
        else
            env.insert(QStringLiteral("TORCHLAB_DIST_BACKEND"), backend.name);
        m_result.notes << backend.reason;
        port = RankGroup::freePort();
        request.environment = RankGroup::rankEnvironment(env, 0, ranks, port);
        m_rankZeroOut = std::make_unique<RankLinePrefixer>(0);
        m_rankZeroErr = std::make_unique<RankLinePrefixer>(0);
    } else {
        request.environment = env;
    }

    m_job = new RunJob(this);
    connect(m_job, &RunJob::phaseChanged, this, &Runner::phaseChanged);
    connect(m_job, &RunJob::pchProgress, this, &Runner::pchProgress);
    if (ranks > 1) {
        connect(m_job, &RunJob::stdoutData, this,
                [this](const QByteArray &chunk) { onRankZeroOutput(chunk, false); });
        connect(m_job, &RunJob::stderrData, this,
                [this](const QByteArray &chunk) { onRankZeroOutput(chunk, true); });
    } else {
        connect(m_job, &RunJob::stdoutData, this, &Runner::stdoutData);
        connect(m_job, &RunJob::stderrData, this, &Runner::stderrData);
    }
    connect(m_job, &RunJob::labEvents, this, &Runner::labEvents);
    connect(m_job, &RunJob::compiled, this, &Runner::compiled);
    connect(m_job, &RunJob::started, this, [this](qint64 pid) {
        m_clock.start();
        if (m_gpu)
            m_gpu->start(pid, pid);
        Q_EMIT started(pid);
    });
    connect(m_job, &RunJob::rssSample, this, [this](qint64 bytes) {
        // The watchdog's last look after the program exited finds no process:
        // that is the end of the run, not a drop to zero memory.
        if (bytes <= 0)
            return;
        MemorySample s;
        s.timeMs = m_clock.isValid() ? m_clock.elapsed() : 0;
        s.processUsed = bytes;
        s.processCount = 1;
        Q_EMIT sample(s);
    });
    connect(m_job, &RunJob::done, this, &LocalRunner::onJobDone);

    if (m_options.sampleGpu && m_spec.profile.useCuda) {
        m_gpu = new NvmlSampler(m_options.nvml, 0, this);
        connect(m_gpu, &MemorySampler::sampled, this, &Runner::sample);
    }

    if (ranks > 1) {
        m_ranks = new RankGroup(this);
        connect(m_ranks, &RankGroup::finished, this, &LocalRunner::maybeFinish);
        connect(m_ranks, &RankGroup::rankOutput, this,
                [this](int, const QByteArray &lines, bool isStderr) {
                    if (isStderr)
                        Q_EMIT stderrData(lines);
                    else
                        Q_EMIT stdoutData(lines);
                });
        connect(m_ranks, &RankGroup::rankFailed, this, [this] {
            // Rank 0 would wait in a collective for the dead rank until its time limit.
            QTimer::singleShot(m_ranks->graceMs, this, [this] {
                if (m_job && m_job->isRunning())
                    m_job->stop();
            });
        });
        const RunLimits limits = request.limits;
        const QString workDir = request.workingDirectory;
        const SandboxPolicy sandbox = request.sandbox;
        connect(m_job, &RunJob::compiled, this,
                [this, env, limits, workDir, ranks, port, sandbox](const CompileResult &c) {
                    if (!c.ok() || m_stopped)
                        return;
                    SandboxPolicy rankSandbox = sandbox;
                    rankSandbox.writable << m_job->jobDirectory() << workDir;
                    m_ranks->start(c.binaryPath,
                                   workDir.isEmpty() ? m_job->jobDirectory() : workDir, env, limits,
                                   ranks, port, rankSandbox);
                });
    }
    PchCache *pch = m_options.pch ? m_options.pch() : nullptr;
    m_job->setWarmRunner(m_options.warm ? m_options.warm() : nullptr, std::max(1, m_spec.ranks));
    m_job->start(request, pch);
}

void LocalRunner::onRankZeroOutput(const QByteArray &chunk, bool isStderr)
{
    RankLinePrefixer *prefixer = isStderr ? m_rankZeroErr.get() : m_rankZeroOut.get();
    const QByteArray lines = prefixer->feed(chunk);
    if (lines.isEmpty())
        return;
    if (isStderr)
        Q_EMIT stderrData(lines);
    else
        Q_EMIT stdoutData(lines);
}

void LocalRunner::onJobDone(const RunJobResult &result)
{
    if (m_gpu)
        m_gpu->stop();
    // Rank 0's unfinished last line, as RankGroup gives the other ranks'.
    if (m_rankZeroOut)
        if (const QByteArray rest = m_rankZeroOut->flush(); !rest.isEmpty())
            Q_EMIT stdoutData(rest);
    if (m_rankZeroErr)
        if (const QByteArray rest = m_rankZeroErr->flush(); !rest.isEmpty())
            Q_EMIT stderrData(rest);
    m_result.job = result;
    m_jobDone = true;
    if (m_ranks)
        m_ranks->rankZeroFinished(result.ok());
    maybeFinish();
}

void LocalRunner::maybeFinish()
{
    if (!m_running || !m_jobDone || (m_ranks && m_ranks->isRunning()))
        return;
    if (m_ranks) {
        m_result.otherRanks = m_ranks->results();
        m_result.otherChecks = m_ranks->checks();
    }
    finish();
}

void LocalRunner::finish()
{
    m_running = false;
    // done() from the event loop, also for a start() that ended at once, so a
    // receiver may delete this runner.
    const RunnerResult result = m_result;
    QMetaObject::invokeMethod(
        this, [this, result] { Q_EMIT done(result); }, Qt::QueuedConnection);
}

void LocalRunner::stop()
{
    if (!m_running || m_stopped)
        return;
    m_stopped = true;
    if (m_ranks)
        m_ranks->stop();
    if (m_job && m_job->isRunning())
        m_job->stop(); // its done() completes the result
    // Still unpacking data: the worker's callback finishes as stopped.
}

} // namespace torchlab
