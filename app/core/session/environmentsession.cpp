#include "core/session/environmentsession.h"

#include "core/build/pchcache.h"
#include "core/editor/completionindex.h"
#include "core/run/warmrunner.h"
#include "core/util/labpaths.h"
#include "core/util/labsettings.h"

#include <QThread>

namespace torchlab {

namespace {

// The warm server's sandbox: the lab's job folders (RunJob's and CheckRunner's)
// writable, the data sets and LibTorch readable even under /tmp.
SandboxPolicy warmSandbox(const ToolchainProfile &profile)
{
    SandboxPolicy policy;
    policy.untrusted = true;
    policy.mode = sandboxModeFromEnvironment(LabSettings::load().sandbox);
    policy.gpu = profile.useCuda;
    policy.writable << LabPaths::cacheDir() + QStringLiteral("/jobs")
                    << LabPaths::cacheDir() + QStringLiteral("/grading");
    policy.readable << qEnvironmentVariable("TORCHLAB_DATA",
                                            LabPaths::dataDir() + QStringLiteral("/data"))
                    << profile.libtorch.root;
    return policy;
}

} // namespace

EnvironmentSession::EnvironmentSession(QObject *parent) : QObject(parent) {}

EnvironmentSession::~EnvironmentSession()
{
    // The gather cannot be interrupted, and the thread must not outlive the
    // objects it reports to; warm it takes milliseconds, cold a few seconds.
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void EnvironmentSession::start(const ProfileRequest &request, bool warmUp)
{
    m_warmUp = warmUp;
    m_fixedProfile.reset();
    const int generation = ++m_generation;
    if (m_pch)
        m_pch->cancel();
    m_pch.reset();
    m_warm.reset();
    m_haveReport = false;
    setState(State::Gathering);

    if (m_thread) {
        // A previous gather may still run (settings changed right after the
        // start): wait for it rather than keep two threads; its result
        // carries an old generation and is dropped.
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }

    EnvironmentOptions options;
    options.request = request;
    options.sandbox = LabSettings::load().sandbox;
    m_thread = QThread::create([this, options, generation] {
        const EnvironmentReport report = EnvironmentReport::gather(options);
        // Delivered on the session's thread; dropped if the session is gone.
        QMetaObject::invokeMethod(
            this, [this, report, generation] { onGathered(report, generation); },
            Qt::QueuedConnection);
        // Headers are scanned once per LibTorch, then read from the cache.
        const QStringList words = CompletionIndex::load(
            report.choice.ok ? report.choice.profile.libtorch.includeDirs : QStringList());
        QMetaObject::invokeMethod(
            this,
            [this, words, generation] {
                if (generation != m_generation)
                    return;
                m_completionWords = words;
                Q_EMIT completionWordsReady(words);
            },
            Qt::QueuedConnection);
    });
    // Kept (finished) until the next start() or the destructor deletes it.
    m_thread->setObjectName(QStringLiteral("torchlab-doctor"));
    m_thread->start(QThread::LowPriority);
}

void EnvironmentSession::onGathered(const EnvironmentReport &report, int generation)
{
    if (generation != m_generation)
        return;
    m_report = report;
    m_haveReport = true;
    if (!report.choice.ok) {
        setState(State::Unusable);
        Q_EMIT reportReady(m_report);
        return;
    }
    adopt(report.choice.profile);
    Q_EMIT reportReady(m_report);
    if (m_state == State::Preparing)
        m_pch->ensureReady();
}

void EnvironmentSession::useProfile(const ToolchainProfile &profile, bool warmUp)
{
    ++m_generation; // a gather still running is dropped
    m_warmUp = warmUp;
    m_haveReport = false;
    m_fixedProfile = profile;
    if (m_pch)
        m_pch->cancel();
    m_pch.reset();
    adopt(profile);
    if (m_state == State::Preparing)
        m_pch->ensureReady();
}

void EnvironmentSession::setWarmRunnerEnabled(bool enabled)
{
    // TORCHLAB_WARM=0: every run execs (to compare, or to rule the warm runner out).
    enabled = enabled && qEnvironmentVariable("TORCHLAB_WARM") != QLatin1String("0");
    m_warmEnabled = enabled;
    if (!enabled) {
        m_warm.reset();
    } else if (!m_warm && m_pch) {
        m_warm = std::make_unique<WarmRunner>(profile());
        m_warm->setSandbox(warmSandbox(profile()));
        if (m_state == State::Ready)
            m_warm->ensureStarted();
    }
}

void EnvironmentSession::adopt(const ToolchainProfile &profile)
{
    m_warm.reset(); // its server has the old toolchain loaded
    if (m_warmEnabled)
        m_warm = std::make_unique<WarmRunner>(profile);
    if (m_warm)
        m_warm->setSandbox(warmSandbox(profile));
    m_pch = std::make_unique<PchCache>(profile);
    connect(m_pch.get(), &PchCache::progress, this, &EnvironmentSession::warmupProgress);
    connect(m_pch.get(), &PchCache::finished, this, [this](bool ok, const QString &message) {
        if (m_state != State::Preparing)
            return; // cancelled meanwhile: cancelWarmup() already said so
        setState(State::Ready);
        Q_EMIT warmupFinished(ok, message);
    });
    // Without a warm-up, runs may start at once: RunJob then builds or waits
    // for the PCH itself, or compiles without it (see pchUsable()).
    const bool build = m_warmUp && !m_pch->isReady();
    setState(build ? State::Preparing : State::Ready);
}

void EnvironmentSession::prepare()
{
    if (!m_pch || m_state == State::Preparing)
        return;
    if (m_pch->isReady()) {
        setState(State::Ready);
        Q_EMIT warmupFinished(true, QString());
        return;
    }
    setState(State::Preparing);
    m_pch->ensureReady();
}

void EnvironmentSession::cancelWarmup()
{
    if (m_state != State::Preparing || !m_pch)
        return;
    setState(State::Cancelled);
    m_pch->cancel();
    Q_EMIT warmupFinished(false, tr("Preparing LibTorch was cancelled."));
}

ToolchainProfile EnvironmentSession::profile() const
{
    if (m_fixedProfile)
        return *m_fixedProfile;
    return m_haveReport && m_report.choice.ok ? m_report.choice.profile : ToolchainProfile();
}

bool EnvironmentSession::pchUsable() const
{
    return m_pch && m_pch->isReady();
}

QString EnvironmentSession::profileLabel() const
{
    if (!m_haveReport)
        return QString();
    if (!m_report.choice.ok)
        return tr("No usable LibTorch");
    return profileLabel(m_report.choice.profile);
}

QString EnvironmentSession::profileLabel(const ToolchainProfile &profile)
{
    QString version = profile.libtorch.version;
    const qsizetype plus =
        version.indexOf(QLatin1Char('+')); // "2.4.0+cu121": the CUDA part is shown first
    if (plus >= 0)
        version.truncate(plus);
    const QString device = profile.useCuda ? (profile.libtorch.cudaVersion.isEmpty()
                                                  ? tr("CUDA")
                                                  : tr("CUDA %1").arg(profile.libtorch.cudaVersion))
                                           : tr("CPU");
    QString compiler;
    switch (profile.compiler.kind) {
    case CompilerInfo::Kind::Clang:
        compiler = QStringLiteral("clang++");
        break;
    case CompilerInfo::Kind::Gcc:
        compiler = QStringLiteral("g++");
        break;
    case CompilerInfo::Kind::Nvcc:
        compiler = QStringLiteral("nvcc");
        break;
    }
    return tr("%1 · LibTorch %2 · %3 %4")
        .arg(device, version, compiler, QString::number(profile.compiler.versionMajor));
}

ProfileRequest EnvironmentSession::requestFrom(const LabSettings &settings)
{
    ProfileRequest request;
    request.libtorch = settings.libtorch;
    request.compiler = settings.compiler;
    if (!request.libtorch.isEmpty())
        request.libtorchOrigin = QStringLiteral("settings");
    if (!request.compiler.isEmpty())
        request.compilerOrigin = QStringLiteral("settings");
    if (!settings.device.isEmpty() && settings.device != QLatin1String("auto"))
        request.setDevice(settings.device, QStringLiteral("settings"));
    return request;
}

QString EnvironmentSession::noGpuReason() const
{
    if (!m_haveReport || m_report.gpu.hasGpu())
        return QString();
    if (const auto verdict = m_report.verdict(QStringLiteral("no-gpu")))
        return verdict->explanation;
    return tr("No NVIDIA GPU was found: %1.").arg(m_report.gpu.whyNoGpu());
}

void EnvironmentSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    // After the warm-up: it would only compete with it for the CPU.
    if (state == State::Ready && m_warm)
        m_warm->ensureStarted();
    Q_EMIT stateChanged(state);
}

} // namespace torchlab
