#include "core/run/runjob.h"

#include "core/build/pchcache.h"
#include "core/run/warmrunner.h"
#include "core/util/labpaths.h"
#include "core/util/trace.h"

#include <QJsonObject>

#include <QDir>
#include <QUuid>

namespace torchlab {

QString RunJobResult::summary() const
{
    if (!compile.ok())
        return compile.summary;
    if (!ran)
        return QObject::tr("The program did not run.");
    return run.summary;
}

void refineWithLabErrors(RunResult &run, const QList<LabEvent> &errors)
{
    if (run.ok() || errors.isEmpty())
        return;
    const LabEvent &e = errors.first();
    if (e.kind == QLatin1String("cuda_oom")) {
        run.outcome = RunResult::Outcome::CudaOutOfMemory;
        run.summary = QObject::tr("GPU out of memory");
        run.detail = e.message;
        run.explanation = QObject::tr(
            "The GPU had no room for a tensor the program asked for. Try a smaller batch, "
            "gradient accumulation to keep the effective batch, torch::NoGradGuard during "
            "evaluation, and releasing tensors you no longer need. \"reserved\" is memory the "
            "caching allocator holds for reuse; \"allocated\" is what live tensors use.");
    } else if (e.kind == QLatin1String("c10_error")) {
        run.outcome = RunResult::Outcome::TorchError;
        run.summary = QObject::tr("LibTorch error: %1").arg(e.message);
        run.detail = e.message;
        run.explanation = QObject::tr("LibTorch refused an operation. The first line says what "
                                      "was wrong, often a shape, dtype or device mismatch.");
    } else if (e.kind == QLatin1String("bad_alloc")) {
        run.outcome = RunResult::Outcome::MemoryLimit;
        run.summary = QObject::tr("out of memory");
        run.detail = e.message;
        run.explanation = QObject::tr("The program asked for more memory than its limit allows. "
                                      "Look for a tensor or container that grows far larger "
                                      "than you meant.");
    }
}

RunJob::RunJob(QObject *parent) : QObject(parent) {}

RunJob::~RunJob()
{
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
}

void RunJob::start(const RunJobRequest &request, PchCache *pch)
{
    Q_ASSERT(!m_running);
    m_request = request;
    m_result = RunJobResult();
    m_decoder = MetricsDecoder();
    m_stopped = false;
    m_running = true;
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
    m_jobDir = LabPaths::cacheDir() + QStringLiteral("/jobs/") +
               QUuid::createUuid().toString(QUuid::WithoutBraces).left(12);
    QDir().mkpath(m_jobDir);

    if (!request.usePch) {
        compile();
        return;
    }
    if (pch) {
        m_pch = pch;
        m_ownsPch = false;
    } else {
        m_pch = new PchCache(request.profile, this);
        m_ownsPch = true;
    }
    if (m_pch->isReady()) {
        compile();
        return;
    }
    Q_EMIT phaseChanged(RunPhase::Preparing);
    m_pchTimer.start();
    connect(m_pch, &PchCache::progress, this, &RunJob::pchProgress);
    connect(m_pch, &PchCache::finished, this, [this](bool, const QString &) {
        disconnect(m_pch, nullptr, this, nullptr);
        m_result.pchWaitMs = m_pchTimer.elapsed();
        if (!m_stopped)
            compile(); // with or without a PCH: a failed PCH only makes it slower
    });
    m_pch->ensureReady();
}

void RunJob::setWarmRunner(WarmRunner *warm, int ranks)
{
    m_warm = warm;
    m_ranks = ranks;
}

QProcessEnvironment RunJob::runEnvironment() const
{
    QProcessEnvironment env = m_request.environment;
    QString device = m_request.device;
    if (device.isEmpty())
        device = m_request.profile.useCuda ? QStringLiteral("cuda") : QStringLiteral("cpu");
    env.insert(QStringLiteral("TORCHLAB_DEVICE"), device);
    if (!env.contains(QStringLiteral("TORCHLAB_DATA")))
        env.insert(QStringLiteral("TORCHLAB_DATA"), LabPaths::dataDir() + QStringLiteral("/data"));
    return env;
}

void RunJob::compile()
{
    Q_EMIT phaseChanged(RunPhase::Compiling);
    // Decided before linking: a warm run needs a shared object.
    QString whyNot = WarmRunner::whyNotWarm(m_warm, m_request.profile, runEnvironment(), m_ranks);
    if (whyNot.isEmpty() && m_request.sandbox.untrusted &&
        m_request.sandbox.mode != SandboxMode::Off && Sandbox::status().available) {
        // A warm run is sandboxed by the server's sandbox, which must hold it.
        SandboxPolicy run = m_request.sandbox;
        run.writable << m_jobDir << m_request.workingDirectory;
        if (!m_warm->isSandboxed())
            whyNot = tr("the warm runner is not in the sandbox");
        else if (!m_warm->holds(run))
            whyNot = tr("the run needs a sandbox of its own (network, or folders outside the "
                        "lab's)");
    }
    m_warmRun = whyNot.isEmpty();
    m_result.launch = m_warmRun ? QStringLiteral("warm") : QStringLiteral("exec: ") + whyNot;
    CompileRequest c;
    c.profile = m_request.profile;
    c.sources = m_request.sources;
    c.extraCompileFlags = m_request.extraCompileFlags;
    c.workDirectory = m_jobDir;
    c.sharedObject = m_warmRun;
    c.outputPath =
        m_jobDir + (m_warmRun ? QStringLiteral("/exercise.so") : QStringLiteral("/exercise"));
    if (m_pch && m_pch->isReady())
        c.pchArguments = m_pch->compileArguments();
    m_compile = new CompileJob(this);
    connect(m_compile, &CompileJob::phaseChanged, this, [this](const QString &phase) {
        if (phase == QLatin1String("linking"))
            Q_EMIT phaseChanged(RunPhase::Linking);
    });
    connect(m_compile, &CompileJob::done, this, &RunJob::onCompiled);
    m_compile->start(c);
}

void RunJob::onCompiled(const CompileResult &result)
{
    m_result.compile = result;
    if (result.pchRejected && m_pch)
        m_pch->invalidate(tr("The compiler rejected the precompiled header."));
    Q_EMIT compiled(result);
    if (!result.ok() || m_stopped) {
        finish();
        return;
    }

    ProcessSpec spec;
    spec.program = result.binaryPath;
    spec.arguments = m_request.arguments;
    if (m_warmRun && m_warm) {
        // The launcher hands the run to the server (or, should the server
        // have gone since, loads the program itself).
        spec.program = m_warm->launcher();
        spec.arguments = m_warm->launchArguments(result.binaryPath, m_request.arguments);
        spec.warmMarker = m_warm->markerEntry();
    }
    spec.workingDirectory =
        m_request.workingDirectory.isEmpty() ? m_jobDir : m_request.workingDirectory;
    spec.limits = m_request.limits;
    spec.metricsChannel = true;
    spec.environment = runEnvironment();
    spec.sandbox = m_request.sandbox;
    if (spec.sandbox.untrusted)
        spec.sandbox.writable << m_jobDir << spec.workingDirectory;
    // The launcher only relays: the program is the warm server's child.
    spec.sandbox.insideWarmServer = m_warmRun && m_warm && m_warm->isSandboxed();
    Trace::emit(QStringLiteral("launch"), QJsonObject{{QStringLiteral("how"), m_result.launch}});

    m_runner = new ProcessRunner(this);
    connect(m_runner, &ProcessRunner::started, this, &RunJob::started);
    connect(m_runner, &ProcessRunner::stdoutData, this, &RunJob::stdoutData);
    connect(m_runner, &ProcessRunner::stderrData, this, &RunJob::stderrData);
    connect(m_runner, &ProcessRunner::rssSample, this, &RunJob::rssSample);
    connect(m_runner, &ProcessRunner::metricsData, this, &RunJob::onMetrics);
    connect(m_runner, &ProcessRunner::done, this, &RunJob::onRunDone);
    Q_EMIT phaseChanged(RunPhase::Running);
    m_runner->start(spec);
}

void RunJob::onMetrics(const QByteArray &chunk)
{
    QList<LabEvent> batch;
    m_decoder.feed(QByteArrayView(chunk), [&batch](LabEvent &&e) { batch.append(std::move(e)); });
    if (batch.isEmpty())
        return;
    for (const LabEvent &e : std::as_const(batch)) {
        switch (e.type) {
        case LabEvent::Type::Hello:
            m_result.haveHello = true;
            m_result.hello = e;
            break;
        case LabEvent::Type::Check:
            m_result.checks.add(e);
            break;
        case LabEvent::Type::Error:
            if (m_result.errors.size() < RunJobResult::MaxErrors)
                m_result.errors.append(e);
            break;
        default:
            break;
        }
    }
    Q_EMIT labEvents(batch);
}

void RunJob::onRunDone(const RunResult &result)
{
    // A last line without a newline still counts.
    QList<LabEvent> tail;
    m_decoder.finish([&tail](LabEvent &&e) { tail.append(std::move(e)); });
    for (const LabEvent &e : std::as_const(tail)) {
        if (e.type == LabEvent::Type::Check)
            m_result.checks.add(e);
        else if (e.type == LabEvent::Type::Error &&
                 m_result.errors.size() < RunJobResult::MaxErrors)
            m_result.errors.append(e);
    }
    if (!tail.isEmpty())
        Q_EMIT labEvents(tail);
    m_result.ran = true;
    m_result.run = result;
    m_result.metricsStats = m_decoder.stats();
    refineWithLabErrors(m_result.run, m_result.errors);
    finish();
}

void RunJob::stop()
{
    if (!m_running)
        return;
    m_stopped = true;
    if (m_runner && m_runner->isRunning()) {
        m_runner->stop();
    } else if (m_compile && m_compile->isRunning()) {
        m_compile->cancel();
    } else if (m_pch && !m_pch->isReady()) {
        // Waiting for the PCH: leave a shared cache building (the GUI owns
        // it), cancel our own.
        if (m_ownsPch)
            m_pch->cancel();
        disconnect(m_pch, nullptr, this, nullptr);
        m_result.compile.outcome = CompileResult::Outcome::Cancelled;
        m_result.compile.summary = tr("Stopped.");
        finish();
    }
}

void RunJob::finish()
{
    m_running = false;
    Q_EMIT phaseChanged(RunPhase::Finished);
    Q_EMIT done(m_result);
}

} // namespace torchlab
