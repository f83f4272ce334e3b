#include "core/run/warmrunner.h"

#include "core/run/processrunner.h"
#include "core/run/procscan.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QUuid>

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#ifndef TORCHLAB_WARM_BUILD_PATH
#define TORCHLAB_WARM_BUILD_PATH ""
#endif

namespace torchlab {

namespace {

// A folder only this user can enter: a socket in it accepts only us (the
// server checks SO_PEERCRED as well).
QString socketFolder()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString path =
        !runtime.isEmpty() && QFileInfo(runtime).isDir()
            ? runtime + QStringLiteral("/torchlab-warm")
            : QDir::tempPath() + QStringLiteral("/torchlab-warm-%1").arg(::getuid());
    ::mkdir(QFile::encodeName(path).constData(), 0700);
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != ::getuid() || (st.st_mode & 077) != 0)
        return QString();
    return path;
}

} // namespace

WarmRunner::WarmRunner(const ToolchainProfile &profile, QObject *parent)
    : QObject(parent), m_profile(profile)
{
}

WarmRunner::~WarmRunner()
{
    stop();
}

QString WarmRunner::findHelper(QString *why)
{
    QStringList candidates;
    const QString fromEnv = qEnvironmentVariable("TORCHLAB_WARM_HELPER");
    if (!fromEnv.isEmpty())
        candidates << fromEnv;
    if (QCoreApplication::instance()) {
        const QString dir = QCoreApplication::applicationDirPath();
        candidates << dir + QStringLiteral("/torchlab-warm")
                   << QDir::cleanPath(dir + QStringLiteral("/../libexec/torchlab/torchlab-warm"));
    }
    candidates << QStringLiteral(TORCHLAB_WARM_BUILD_PATH);
    for (const QString &c : std::as_const(candidates))
        if (!c.isEmpty() && QFileInfo(c).isExecutable())
            return c;
    if (why)
        *why = tr("the helper torchlab-warm is not installed");
    return QString();
}

QString WarmRunner::directory(const ToolchainProfile &profile)
{
    return LabPaths::cacheDir() + QStringLiteral("/warm/") + profile.key();
}

bool WarmRunner::readAtLoad(const QString &name)
{
    static const QStringList prefixes{QStringLiteral("LD_"),
                                      QStringLiteral("OMP_"),
                                      QStringLiteral("GOMP_"),
                                      QStringLiteral("KMP_"),
                                      QStringLiteral("MKL_"),
                                      QStringLiteral("OPENBLAS_"),
                                      QStringLiteral("MALLOC_"),
                                      QStringLiteral("TORCH_"),
                                      QStringLiteral("PYTORCH_"),
                                      QStringLiteral("C10_"),
                                      QStringLiteral("GLIBC_TUNABLES"),
                                      QStringLiteral("CUDA_MODULE_")};
    for (const QString &p : prefixes)
        if (name.startsWith(p))
            return true;
    return false;
}

QString WarmRunner::whyNotWarm(const WarmRunner *warm, const ToolchainProfile &profile,
                               const QProcessEnvironment &environment, int ranks)
{
    if (!warm)
        return tr("no warm runner in this session");
    if (warm->profile().key() != profile.key())
        return tr("the warm runner has another toolchain");
    if (ranks > 1)
        return tr("runs with several ranks start their processes themselves");
    if (!warm->isReady()) {
        switch (warm->state()) {
        case State::Off:
            return tr("the warm runner is not started");
        case State::Preparing:
            return tr("the warm runner is still starting");
        case State::Failed:
            return tr("the warm runner failed: %1").arg(warm->error());
        case State::Ready:
            break;
        }
    }
    // LibTorch (and OpenMP, the allocator, the loader) read these once, as
    // they load: in the server, with the server's values.
    QStringList names = environment.keys();
    for (const QString &name : warm->m_serverEnvironment.keys())
        if (!names.contains(name))
            names << name;
    for (const QString &name : std::as_const(names)) {
        if (readAtLoad(name) && environment.value(name) != warm->m_serverEnvironment.value(name))
            return tr("the run sets %1, which LibTorch reads as it loads").arg(name);
    }
    return QString();
}

bool WarmRunner::holds(const SandboxPolicy &policy) const
{
    if (!m_sandboxed || policy.network != SandboxPolicy::Network::None ||
        policy.gpu != m_sandbox.gpu)
        return false;
    for (const QString &folder : policy.writable) {
        if (folder.isEmpty())
            continue;
        const QString path = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
        const bool inside = std::any_of(
            m_sandbox.writable.cbegin(), m_sandbox.writable.cend(), [&path](const QString &root) {
                const QString r = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
                return path == r || path.startsWith(r + QLatin1Char('/'));
            });
        if (!inside)
            return false;
    }
    return true;
}

QStringList WarmRunner::launchArguments(const QString &program, const QStringList &arguments) const
{
    return QStringList{QStringLiteral("run"), m_socket, program} + arguments;
}

qint64 WarmRunner::residentBytes() const
{
    if (m_serverPid <= 0)
        return 0;
    const auto stat = ProcScan::readStat(pid_t(m_serverPid));
    return stat ? qint64(stat->rssPages) * ProcScan::pageSize() : 0;
}

void WarmRunner::ensureStarted()
{
    if (m_state == State::Ready || m_state == State::Preparing)
        return;
    m_error.clear();
    QString why;
    m_helper = findHelper(&why);
    if (m_helper.isEmpty()) {
        fail(why);
        return;
    }
    if (!m_profile.isValid()) {
        fail(tr("no usable toolchain"));
        return;
    }
    setState(State::Preparing);
    m_primer = directory(m_profile) + QStringLiteral("/primer.so");
    if (QFileInfo::exists(m_primer))
        startServer();
    else
        buildPrimer();
}

void WarmRunner::buildPrimer()
{
    const QString dir = directory(m_profile);
    QDir().mkpath(dir);
    const QString source = dir + QStringLiteral("/primer.cpp");
    QFile f(source);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write("// Linked like a learner's program, so that loading it loads LibTorch.\n") < 0) {
        fail(tr("cannot write %1").arg(source));
        return;
    }
    f.close();
    ProcessSpec spec;
    spec.program = m_profile.compiler.path;
    spec.arguments = QStringList{QStringLiteral("-shared"),
                                 QStringLiteral("-fPIC"),
                                 QStringLiteral("-o"),
                                 m_primer + QStringLiteral(".tmp"),
                                 source,
                                 QStringLiteral("-Wl,--no-as-needed")} +
                     m_profile.linkFlags + m_profile.cudaRuntimeLinkFlags;
    spec.workingDirectory = dir;
    spec.limits.wallMs = 120'000;
    spec.limits.cpuSeconds = 120;
    spec.limits.memoryBytes = 2LL << 30;
    delete m_link;
    m_link = new ProcessRunner(this);
    connect(m_link, &ProcessRunner::done, this, &WarmRunner::onPrimerBuilt);
    m_link->start(spec);
}

void WarmRunner::onPrimerBuilt(const RunResult &result)
{
    m_link->deleteLater();
    m_link = nullptr;
    if (m_state != State::Preparing)
        return;
    if (!result.ok() || !QFile::rename(m_primer + QStringLiteral(".tmp"), m_primer)) {
        QFile::remove(m_primer + QStringLiteral(".tmp"));
        fail(tr("linking LibTorch's primer failed: %1")
                 .arg(QString::fromUtf8(result.stderrText).trimmed().left(500)));
        return;
    }
    startServer();
}

void WarmRunner::startServer()
{
    const QString folder = socketFolder();
    if (folder.isEmpty()) {
        fail(tr("no private folder for its socket"));
        return;
    }
    m_socket = folder + QStringLiteral("/%1-%2.sock")
                            .arg(QCoreApplication::applicationPid())
                            .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
    m_serverEnvironment = QProcessEnvironment::systemEnvironment();
    QString program = m_helper;
    QStringList arguments{QStringLiteral("serve"), m_socket, m_primer};
    m_sandboxed = false;
    if (m_sandbox.untrusted && m_sandbox.mode != SandboxMode::Off && Sandbox::status().available) {
        SandboxPolicy policy = m_sandbox;
        policy.sharedSession = true;
        policy.network = SandboxPolicy::Network::None;
        policy.writable << folder;               // its socket
        policy.readable << directory(m_profile); // the primer, also when the cache is in /tmp
        for (const QString &root : std::as_const(policy.writable))
            QDir().mkpath(root);
        const QString home = m_serverEnvironment.value(QStringLiteral("HOME"), QDir::homePath());
        m_serverEnvironment = Sandbox::environment(m_serverEnvironment);
        arguments = Sandbox::arguments(policy, program, arguments, QDir::currentPath(), home);
        program = Sandbox::status().bwrap;
        m_sandboxed = true;
    }
    QProcessEnvironment env = m_serverEnvironment;
    // Processes of a run that leave its group and clear nothing still carry
    // this: the sweep of a run finds forked escapees by it (the learner's
    // own marker is in the environment only after an exec).
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    env.insert(ProcessRunner::warmMarkerVariable(), id);
    m_marker = ProcessRunner::warmMarkerVariable().toLatin1() + '=' + id.toLatin1();
    env.remove(ProcessRunner::markerVariable());
    env.remove(ProcessRunner::metricsFdVariable());

    m_server = std::make_unique<QProcess>();
    m_server->setProgram(program);
    m_server->setArguments(arguments);
    m_server->setProcessEnvironment(env);
    m_server->setStandardInputFile(QProcess::nullDevice());
    m_server->setProcessChannelMode(QProcess::SeparateChannels);
    m_serverOutput.clear();
    connect(m_server.get(), &QProcess::readyReadStandardOutput, this, &WarmRunner::onServerOutput);
    connect(m_server.get(), &QProcess::finished, this, &WarmRunner::onServerFinished);
    m_server->start();
    if (!m_server->waitForStarted(5'000)) {
        const QString why = m_server->errorString();
        m_server.reset();
        fail(why);
    }
}

void WarmRunner::onServerOutput()
{
    m_serverOutput += m_server->readAllStandardOutput();
    if (m_serverOutput.size() > 4096)
        m_serverOutput = m_serverOutput.right(4096);
    if (m_state != State::Preparing)
        return;
    const qsizetype end = m_serverOutput.indexOf('\n');
    if (end < 0)
        return;
    const QByteArray line = m_serverOutput.left(end);
    if (line.startsWith("ready ")) {
        m_serverPid = line.mid(6).toLongLong();
        setState(State::Ready);
    } else {
        // "error: ..." and then the server exits.
        fail(QString::fromUtf8(line.startsWith("error: ") ? line.mid(7) : line));
    }
}

void WarmRunner::onServerFinished()
{
    const QByteArray rest = m_server ? m_server->readAllStandardOutput() : QByteArray();
    m_serverPid = 0;
    if (m_state == State::Preparing) {
        m_serverOutput += rest;
        const QString said = QString::fromUtf8(m_serverOutput).trimmed();
        fail(said.startsWith(QLatin1String("error: ")) ? said.mid(7)
                                                       : tr("the server ended at start-up"));
    } else if (m_state == State::Ready) {
        setState(State::Off); // the next ensureStarted() starts it again
    }
    if (m_server)
        m_server.release()->deleteLater();
    QFile::remove(m_socket);
}

void WarmRunner::stop()
{
    if (m_link) {
        disconnect(m_link, nullptr, this, nullptr);
        m_link->stop();
        m_link->deleteLater();
        m_link = nullptr;
    }
    if (m_server) {
        disconnect(m_server.get(), nullptr, this, nullptr);
        m_server->kill();
        m_server->waitForFinished(2'000);
        m_server.reset();
        QFile::remove(m_socket);
    }
    m_serverPid = 0;
    if (m_state != State::Failed)
        setState(State::Off);
}

void WarmRunner::fail(const QString &why)
{
    m_error = why;
    setState(State::Failed);
}

void WarmRunner::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace torchlab
