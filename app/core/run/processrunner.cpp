#include "core/run/processrunner.h"

#include "core/run/childsetup.h"
#include "core/run/outcomeclassifier.h"
#include "core/run/outputkeeper.h"
#include "core/run/procscan.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QSet>
#include <QSocketNotifier>
#include <QTemporaryFile>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// Design notes (the "why"; the contract is in processrunner.h).
//
// Process group. The child calls setpgid(0, 0) before exec and the parent
// calls setpgid(pid, pid) right after QProcess::start() returns (whichever
// comes first wins, the other fails harmlessly), so the group exists before
// any kill can be sent. Every kill is kill(-pgid, SIGKILL): QProcess::kill()
// would signal the direct child only.
//
// Escapees. A process that calls setsid() (or double-forks into a new group)
// leaves the group. Every child gets TORCHLAB_RUN_ID=<uuid>, which its
// descendants inherit; at the end we scan /proc for live processes that
// started after our child and carry the marker, SIGKILL them and, should one
// be our own child, reap it with waitpid() on that pid only. waitpid(-1)
// would steal the exit status of QProcess's children (ours and those of every
// other QProcess in the host). A program that wipes its own environment can
// still escape; only a cgroup closes that hole, and learners' programs are
// careless, not hostile.
//
// No PR_SET_CHILD_SUBREAPER. It would make every orphan of every QProcess in
// the host (compilers, linkers, other runs) our child, and nothing in Qt reaps
// children it did not start, so they would pile up as zombies unless we reaped
// with waitpid(-1), which breaks QProcess as said above. Escapees reparent to
// init, which reaps them after our SIGKILL; the /proc scan finds them wherever
// they were reparented to.
//
// CPU time. QProcess reaps the child itself and throws the rusage away, so
// wait4() is not available to us. The RSS watchdog samples utime + stime
// (+ cutime + cstime) of every process of the run from /proc on every tick;
// at the end we also take the RUSAGE_CHILDREN delta of the host since start().
// That delta is exact for our child but also contains any other child the host
// reaped meanwhile, so it is used only when it is plausible: at least the last
// sample and at most what the CPUs could have run since that sample.
//
// Finishing. QProcess reads stdout/stderr to the end when the child dies and
// then closes its pipes, so output of grandchildren after that is dropped
// (it belongs to no one). The metrics pipe is ours: after the child exits we
// kill the group and escapees, poll every few ms until no live process is
// left, read the metrics pipe to EOF, and give up after a short deadline if
// something we cannot see (a process that dropped the marker) keeps it open.
// done() is always emitted from a timer, never from inside start() or a
// QProcess signal, so a receiver may start() again or deleteLater() at once.

namespace torchlab {

namespace {

Q_LOGGING_CATEGORY(lcRunner, "torchlab.run.processrunner", QtWarningMsg)

constexpr int kFinishPollMs = 5;
constexpr int kFinishDeadlineMs = 2000; // after the child died: group, escapees, metrics EOF
constexpr int kMetricsGraceMs = 250;    // metrics EOF once no live process is left
constexpr qsizetype kMetricsReadPerWakeup = 1 << 20;
constexpr int kDestructorWaitMs = 1000;

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// A close-on-exec pipe whose ends are >= 3: QProcess dup2()s the child's
// stdio onto 0-2 before our set-up runs, which would clobber a low fd.
bool makePipe(int fds[2])
{
    int raw[2];
    if (::pipe2(raw, O_CLOEXEC) != 0)
        return false;
    for (int i = 0; i < 2; ++i) {
        if (raw[i] < 3) {
            fds[i] = ::fcntl(raw[i], F_DUPFD_CLOEXEC, 3);
            ::close(raw[i]);
        } else {
            fds[i] = raw[i];
        }
    }
    if (fds[0] < 0 || fds[1] < 0) {
        closeFd(fds[0]);
        closeFd(fds[1]);
        return false;
    }
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    return true;
}

// Every process whose parent chain leads to `root` (not `root` itself): a
// sandboxed program is in its own session, and one that cleared its
// environment carries no marker, yet it stays below the sandbox's init.
QSet<pid_t> descendants(pid_t root, const QList<ProcScan::ProcStat> &procs)
{
    QSet<pid_t> tree;
    if (root <= 0)
        return tree;
    QMultiHash<pid_t, pid_t> children;
    for (const ProcScan::ProcStat &proc : procs)
        children.insert(proc.ppid, proc.pid);
    QList<pid_t> queue{root};
    while (!queue.isEmpty()) {
        const pid_t parent = queue.takeLast();
        for (auto it = children.constFind(parent); it != children.cend() && it.key() == parent;
             ++it) {
            if (!tree.contains(it.value())) {
                tree.insert(it.value());
                queue.append(it.value());
            }
        }
    }
    return tree;
}

qint64 childrenCpuMs()
{
    struct rusage usage;
    if (::getrusage(RUSAGE_CHILDREN, &usage) != 0)
        return -1;
    return (qint64(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1000 +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
}

} // namespace

struct ProcessRunner::Private
{
    enum class State
    {
        Idle,
        Running,
        Finishing
    };

    struct MarkCheck
    {
        quint64 startTicks = 0;
        bool marked = false;
    };

    explicit Private(ProcessRunner *owner) : q(owner) {}

    ProcessRunner *q;
    State state = State::Idle;
    std::unique_ptr<QProcess> process;
    RunLimits limits;
    QByteArray markerEntry;                     // "TORCHLAB_RUN_ID=<uuid>"
    QByteArray warmMarker;                      // ProcessSpec::warmMarker
    std::unique_ptr<QTemporaryFile> warmReport; // the launcher writes the child's CPU time here
    pid_t pid = 0;                              // also the process group id
    bool sandboxed = false;                     // pid is bwrap's; 128+N exit codes are signals
    QString sandboxNote;
    quint64 childStartTicks = 0;
    bool groupGone = false;

    OutputKeeper out;
    OutputKeeper err;
    int metricsFd = -1; // read end, non-blocking
    std::unique_ptr<QSocketNotifier> metricsNotifier;
    int setupErrorFd = -1; // read end of ChildSetup's error pipe
    ChildSetup setup;

    QTimer wallTimer;
    QTimer watchdog;
    QTimer finishTimer;
    QElapsedTimer clock;
    QDeadlineTimer finishDeadline;
    QDeadlineTimer metricsDeadline;

    ExitInfo exit;
    qint64 wallMs = 0;
    qint64 peakRss = 0;
    int peakProcesses = 0;
    qint64 sampledCpuMs = 0;
    qint64 sampledAtMs = 0;
    qint64 childrenCpuAtStart = 0;
    QHash<pid_t, MarkCheck> markCache; // non-group processes seen by the watchdog
    QHash<pid_t, quint64> escapees;    // pid -> start ticks, killed at the end

    void reset();
    bool startProcess(const ProcessSpec &spec);
    bool prepareSandbox(const ProcessSpec &spec, QProcessEnvironment &env, QString &program,
                        QStringList &arguments);
    void onStarted();
    void onOutput(QProcess::ProcessChannel channel);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void killNow(ExitInfo::HostKill reason);
    void watchdogTick();
    void enterFinishing();
    void finishStep();
    void finalize();
    bool sweep();
    void reapOwnEscapees();
    void readMetrics();
    void closeMetrics();
    qint64 cpuMs() const;
    bool hasMarker(const ProcScan::ProcStat &proc);
    bool marked(pid_t process) const;
};

void ProcessRunner::Private::reset()
{
    pid = 0;
    sandboxed = false;
    sandboxNote.clear();
    childStartTicks = 0;
    groupGone = false;
    out = OutputKeeper(limits.keepOutputBytes);
    err = OutputKeeper(limits.keepOutputBytes);
    exit = ExitInfo{};
    wallMs = 0;
    peakRss = 0;
    peakProcesses = 0;
    sampledCpuMs = 0;
    sampledAtMs = 0;
    markCache.clear();
    escapees.clear();
}

ProcessRunner::ProcessRunner(QObject *parent) : QObject(parent), d(std::make_unique<Private>(this))
{
    qRegisterMetaType<torchlab::RunResult>();
    d->wallTimer.setSingleShot(true);
    d->wallTimer.setTimerType(Qt::PreciseTimer);
    connect(&d->wallTimer, &QTimer::timeout, this,
            [this] { d->killNow(ExitInfo::HostKill::WallClock); });
    connect(&d->watchdog, &QTimer::timeout, this, [this] { d->watchdogTick(); });
    d->finishTimer.setInterval(kFinishPollMs);
    connect(&d->finishTimer, &QTimer::timeout, this, [this] { d->finishStep(); });
}

ProcessRunner::~ProcessRunner()
{
    if (!d->process)
        return;
    // No signals from here on: the receivers may be half destroyed too.
    QObject::disconnect(d->process.get(), nullptr, this, nullptr);
    if (d->state == Private::State::Running)
        d->killNow(ExitInfo::HostKill::Stopped);
    if (d->process->state() != QProcess::NotRunning &&
        !d->process->waitForFinished(kDestructorWaitMs)) {
        // A child that survives SIGKILL for a second is stuck in the kernel
        // (uninterruptible I/O). ~QProcess would wait 30 s for it and freeze
        // the GUI; leak the QProcess instead, it reaps the child when it dies.
        qCWarning(lcRunner, "process %d did not die; leaving it to QProcess", int(d->pid));
        (void)d->process.release();
    }
    d->sweep();
    d->metricsNotifier.reset();
    closeFd(d->metricsFd);
    closeFd(d->setupErrorFd);
}

void ProcessRunner::start(const ProcessSpec &spec)
{
    if (d->state != Private::State::Idle) {
        qCWarning(lcRunner, "ProcessRunner::start() while a run is in progress; ignored");
        return;
    }
    d->limits = spec.limits;
    d->reset();
    d->state = Private::State::Running;
    d->clock.start();
    d->childrenCpuAtStart = childrenCpuMs();
    if (!d->startProcess(spec))
        d->enterFinishing();
}

bool ProcessRunner::Private::startProcess(const ProcessSpec &spec)
{
    int metricsPipe[2] = {-1, -1};
    int errorPipe[2] = {-1, -1};
    if ((spec.metricsChannel && !makePipe(metricsPipe)) || !makePipe(errorPipe)) {
        const int error = errno;
        exit.started = false;
        exit.startError = QString::fromLocal8Bit(std::strerror(error));
        closeFd(metricsPipe[0]);
        closeFd(metricsPipe[1]);
        return false;
    }
    metricsFd = metricsPipe[0];
    setupErrorFd = errorPipe[0];

    const QByteArray runId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    markerEntry = markerVariable().toLatin1() + '=' + runId;
    warmMarker = spec.warmMarker;
    QProcessEnvironment env = spec.environment;
    QString program = spec.program;
    QStringList arguments = spec.arguments;
    if (spec.sandbox.untrusted && !prepareSandbox(spec, env, program, arguments)) {
        closeFd(metricsPipe[0]);
        closeFd(metricsPipe[1]);
        closeFd(errorPipe[0]);
        closeFd(errorPipe[1]);
        metricsFd = -1;
        setupErrorFd = -1;
        return false;
    }
    env.insert(markerVariable(), QString::fromLatin1(runId));
    warmReport.reset();
    if (!warmMarker.isEmpty()) {
        // A warm run's program is the warm server's child: the launcher
        // reports its exact CPU time (wait4 in the server) in this file.
        warmReport = std::make_unique<QTemporaryFile>(QDir::tempPath() +
                                                      QStringLiteral("/torchlab-warm-XXXXXX"));
        if (warmReport->open()) {
            warmReport->close();
            env.insert(QStringLiteral("TORCHLAB_WARM_REPORT"), warmReport->fileName());
        } else {
            warmReport.reset();
        }
    }
    if (spec.metricsChannel)
        env.insert(metricsFdVariable(), QString::number(metricsPipe[1]));
    else
        env.remove(metricsFdVariable());

    setup.prepare(limits, metricsPipe[1], errorPipe[1], spec.runAsUid, spec.runAsGid);

    process = std::make_unique<QProcess>();
    QProcess *p = process.get();
    p->setProgram(program);
    p->setArguments(arguments);
    if (!spec.workingDirectory.isEmpty())
        p->setWorkingDirectory(spec.workingDirectory);
    p->setProcessEnvironment(env);
    p->setProcessChannelMode(QProcess::SeparateChannels);
    p->setStandardInputFile(QProcess::nullDevice());
    const ChildSetup *childSetup = &setup;
    p->setChildProcessModifier([childSetup] { childSetup->apply(); });

    QObject::connect(p, &QProcess::started, q, [this] { onStarted(); });
    QObject::connect(p, &QProcess::readyReadStandardOutput, q,
                     [this] { onOutput(QProcess::StandardOutput); });
    QObject::connect(p, &QProcess::readyReadStandardError, q,
                     [this] { onOutput(QProcess::StandardError); });
    QObject::connect(p, &QProcess::finished, q,
                     [this](int code, QProcess::ExitStatus status) { onFinished(code, status); });
    QObject::connect(p, &QProcess::errorOccurred, q,
                     [this](QProcess::ProcessError error) { onErrorOccurred(error); });

    p->start();

    // The child holds its own copies now; ours would keep the pipes from ever
    // reporting EOF.
    closeFd(metricsPipe[1]);
    closeFd(errorPipe[1]);

    if (metricsFd >= 0) {
        metricsNotifier = std::make_unique<QSocketNotifier>(metricsFd, QSocketNotifier::Read);
        QObject::connect(metricsNotifier.get(), &QSocketNotifier::activated, q,
                         [this] { readMetrics(); });
    }

    if (state != State::Running)
        return true; // failed to start inside start(); finishing already began
    if (p->state() == QProcess::NotRunning) {
        exit.started = false;
        exit.startError = p->errorString();
        return false;
    }
    pid = pid_t(p->processId());
    ::setpgid(pid, pid); // see the note at the top; EACCES after exec is fine
    if (const auto stat = ProcScan::readStat(pid))
        childStartTicks = stat->startTicks;
    if (limits.wallMs > 0)
        wallTimer.start(limits.wallMs);
    return true;
}

// An untrusted program: the allow-listed environment, bwrap around it when the
// sandbox can be made, and a process limit. False (with exit.startError) when
// the sandbox is required and cannot be made.
bool ProcessRunner::Private::prepareSandbox(const ProcessSpec &spec, QProcessEnvironment &env,
                                            QString &program, QStringList &arguments)
{
    const QString home = spec.environment.value(QStringLiteral("HOME"), QDir::homePath());
    env = Sandbox::environment(env);
    if (spec.sandbox.insideWarmServer) {
        sandboxed = true; // the warm server that forks the program is in the sandbox
    } else if (spec.sandbox.mode == SandboxMode::Off) {
        sandboxNote = ProcessRunner::tr("the sandbox is turned off");
    } else if (const Sandbox::Status status = Sandbox::status(); status.available) {
        const QString workDir =
            spec.workingDirectory.isEmpty() ? QDir::currentPath() : spec.workingDirectory;
        arguments = Sandbox::arguments(spec.sandbox, program, arguments, workDir, home);
        program = status.bwrap;
        sandboxed = true;
    } else if (spec.sandbox.mode == SandboxMode::Require) {
        exit.started = false;
        exit.startError =
            ProcessRunner::tr("the sandbox is required, and it cannot be made here: %1")
                .arg(status.reason);
        sandboxNote = status.reason;
        return false;
    } else {
        sandboxNote = status.reason;
    }
    // Without a cgroup, RLIMIT_NPROC is what stops a fork bomb before the
    // watchdog's next look (the kernel ignores it for root). It counts every
    // process of the user, so the limit is what runs now plus the run's share.
    if (limits.maxProcesses <= 0 && ::getuid() != 0 && limits.runProcesses > 0)
        limits.maxProcesses = ProcScan::tasksOfUser(::getuid()) + limits.runProcesses;
    return true;
}

void ProcessRunner::Private::onStarted()
{
    // Only now has the child exec'd: before that its RSS is the host's own
    // (fork shares our pages), which would trip the watchdog.
    if (limits.rssPollMs > 0) {
        watchdog.start(limits.rssPollMs);
        QPointer<ProcessRunner> guard(q);
        watchdogTick();
        if (!guard || state != State::Running)
            return;
    }
    Q_EMIT q->started(qint64(pid));
}

void ProcessRunner::Private::onOutput(QProcess::ProcessChannel channel)
{
    if (!process)
        return;
    const bool isOut = channel == QProcess::StandardOutput;
    const QByteArray chunk =
        isOut ? process->readAllStandardOutput() : process->readAllStandardError();
    if (chunk.isEmpty())
        return;
    (isOut ? out : err).append(chunk);
    QPointer<ProcessRunner> guard(q);
    if (isOut)
        Q_EMIT q->stdoutData(chunk);
    else
        Q_EMIT q->stderrData(chunk);
    if (!guard)
        return;
    if (limits.hardOutputBytes > 0 && out.totalBytes() + err.totalBytes() > limits.hardOutputBytes)
        killNow(ExitInfo::HostKill::Output);
}

void ProcessRunner::Private::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (state != State::Running)
        return;
    exit.signaled = status == QProcess::CrashExit;
    // For a crash QProcess reports the signal number as the exit code.
    exit.exitCode = exit.signaled ? -1 : exitCode;
    exit.signal = exit.signaled ? exitCode : 0;
    enterFinishing();
}

void ProcessRunner::Private::onErrorOccurred(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || state != State::Running)
        return;
    exit.started = false;
    exit.startError = process ? process->errorString() : QString();
    enterFinishing();
}

void ProcessRunner::Private::killNow(ExitInfo::HostKill reason)
{
    if (state != State::Running)
        return;
    if (exit.hostKill == ExitInfo::HostKill::None)
        exit.hostKill = reason;
    if (pid <= 0)
        return;
    if (const auto stat = ProcScan::readStat(pid)) {
        sampledCpuMs =
            qint64(stat->cpuTicks + stat->childCpuTicks) * 1000 / ProcScan::ticksPerSecond();
        sampledAtMs = clock.elapsed();
    }
    // The direct child has not been reaped yet (that happens just before
    // QProcess::finished, which moves us out of Running), so its pid is
    // still ours even if setpgid() had somehow not taken effect.
    ::kill(pid, SIGKILL);
    sweep();
}

bool ProcessRunner::Private::hasMarker(const ProcScan::ProcStat &proc)
{
    auto it = markCache.find(proc.pid);
    if (it == markCache.end() || it->startTicks != proc.startTicks)
        it = markCache.insert(proc.pid, MarkCheck{proc.startTicks, marked(proc.pid)});
    return it->marked;
}

bool ProcessRunner::Private::marked(pid_t process) const
{
    return ProcScan::environHas(process, markerEntry) ||
           (!warmMarker.isEmpty() && ProcScan::environHas(process, warmMarker));
}

void ProcessRunner::Private::watchdogTick()
{
    if (state != State::Running || pid <= 0)
        return;
    qint64 rssPages = 0;
    qint64 cpuTicks = 0;
    int processes = 0;
    QHash<pid_t, MarkCheck> seen;
    const QList<ProcScan::ProcStat> procs = ProcScan::allProcesses();
    const QSet<pid_t> tree = descendants(pid, procs);
    for (const ProcScan::ProcStat &proc : procs) {
        if (proc.startTicks < childStartTicks || proc.isZombie())
            continue;
        bool member = proc.pgrp == pid || tree.contains(proc.pid);
        if (!member) {
            member = hasMarker(proc);
            seen.insert(proc.pid, markCache.value(proc.pid));
        }
        if (!member)
            continue;
        ++processes;
        rssPages += proc.rssPages;
        // Every member's own time and that of the children it reaped: the
        // direct child's alone misses a warm run's program (a member of the
        // group, not a child of the launcher) and live grandchildren.
        cpuTicks += qint64(proc.cpuTicks + proc.childCpuTicks);
    }
    const qint64 groupCpuMs = cpuTicks * 1000 / ProcScan::ticksPerSecond();
    if (groupCpuMs >= sampledCpuMs) {
        sampledCpuMs = groupCpuMs;
        sampledAtMs = clock.elapsed();
    }
    markCache.swap(seen); // forget processes that are gone
    const qint64 rss = rssPages * ProcScan::pageSize();
    peakRss = qMax(peakRss, rss);
    peakProcesses = qMax(peakProcesses, processes);
    QPointer<ProcessRunner> guard(q);
    Q_EMIT q->rssSample(rss);
    if (!guard)
        return;
    if (limits.memoryBytes > 0 && rss > limits.memoryBytes)
        killNow(ExitInfo::HostKill::Memory);
    else if (limits.runProcesses > 0 && processes > limits.runProcesses)
        killNow(ExitInfo::HostKill::Processes);
}

void ProcessRunner::Private::enterFinishing()
{
    state = State::Finishing;
    wallMs = clock.elapsed();
    wallTimer.stop();
    watchdog.stop();
    finishDeadline = QDeadlineTimer(kFinishDeadlineMs);
    metricsDeadline = QDeadlineTimer(QDeadlineTimer::Forever);
    finishTimer.start();
}

// Kills the group and every live marked process outside it. Returns whether
// any live (non-zombie) process of the run was seen.
bool ProcessRunner::Private::sweep()
{
    if (pid <= 0)
        return false;
    if (!groupGone) {
        if (::kill(-pid, SIGKILL) != 0 && errno == ESRCH)
            groupGone = true; // from now on pid may be reused: never signal it again
    }
    const pid_t self = ::getpid();
    bool live = false;
    const QList<ProcScan::ProcStat> procs = ProcScan::allProcesses();
    // Only while our child is unreaped is its pid certainly still ours.
    const QSet<pid_t> tree = groupGone ? QSet<pid_t>() : descendants(pid, procs);
    for (const ProcScan::ProcStat &proc : procs) {
        if (proc.pid == self || proc.startTicks < childStartTicks || proc.isZombie())
            continue;
        if (!groupGone && proc.pgrp == pid) {
            live = true; // SIGKILL is on its way; look again next time
            continue;
        }
        if (tree.contains(proc.pid) || marked(proc.pid)) {
            ::kill(proc.pid, SIGKILL);
            escapees.insert(proc.pid, proc.startTicks);
            live = true;
        }
    }
    return live;
}

void ProcessRunner::Private::reapOwnEscapees()
{
    const pid_t self = ::getpid();
    for (auto it = escapees.cbegin(); it != escapees.cend(); ++it) {
        const auto stat = ProcScan::readStat(it.key());
        // Only a zombie that is our own child and is still the process we
        // killed (same start time), never the QProcess child.
        if (stat && stat->isZombie() && stat->ppid == self && stat->startTicks == it.value() &&
            it.key() != pid)
            ::waitpid(it.key(), nullptr, WNOHANG);
    }
}

void ProcessRunner::Private::finishStep()
{
    if (state != State::Finishing)
        return;
    QPointer<ProcessRunner> guard(q);
    readMetrics();
    if (!guard)
        return;
    const bool live = sweep();
    reapOwnEscapees();
    if (!live && metricsDeadline.isForever())
        metricsDeadline = QDeadlineTimer(kMetricsGraceMs);
    const bool metricsDone = metricsFd < 0 || metricsDeadline.hasExpired();
    if (!live && metricsDone) {
        finalize();
        return;
    }
    if (finishDeadline.hasExpired()) {
        qCWarning(lcRunner, "run %s: processes or the metrics pipe outlived the kill; giving up",
                  markerEntry.constData());
        finalize();
    }
}

void ProcessRunner::Private::readMetrics()
{
    if (metricsFd < 0)
        return;
    QByteArray batch;
    bool eof = false;
    char buf[65536];
    while (batch.size() < kMetricsReadPerWakeup) {
        const ssize_t n = ::read(metricsFd, buf, sizeof buf);
        if (n > 0) {
            batch.append(buf, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        eof = n == 0 || errno != EAGAIN;
        break;
    }
    if (!batch.isEmpty()) {
        QPointer<ProcessRunner> guard(q);
        Q_EMIT q->metricsData(batch);
        if (!guard)
            return;
    }
    if (eof)
        closeMetrics();
}

void ProcessRunner::Private::closeMetrics()
{
    if (metricsNotifier) {
        // Possibly called from the notifier's own activated() signal.
        metricsNotifier->setEnabled(false);
        metricsNotifier.release()->deleteLater();
    }
    closeFd(metricsFd);
}

qint64 ProcessRunner::Private::cpuMs() const
{
    const qint64 now = childrenCpuMs();
    if (childrenCpuAtStart < 0 || now < 0)
        return sampledCpuMs;
    const qint64 delta = now - childrenCpuAtStart;
    const qint64 sinceSample = qMax<qint64>(0, wallMs - sampledAtMs) + 20;
    const qint64 ceiling = sampledCpuMs + sinceSample * qMax(1, QThread::idealThreadCount());
    return (delta >= sampledCpuMs && delta <= ceiling) ? delta : sampledCpuMs;
}

void ProcessRunner::Private::finalize()
{
    finishTimer.stop();
    readMetrics();
    closeMetrics();

    if (setupErrorFd >= 0) {
        ChildSetup::Failure failure;
        if (::read(setupErrorFd, &failure, sizeof failure) == ssize_t(sizeof failure)) {
            exit.started = false;
            exit.startError = ChildSetup::describe(failure);
        }
        closeFd(setupErrorFd);
    }

    exit.cpuMs = cpuMs();
    if (warmReport) {
        QFile report(warmReport->fileName());
        if (report.open(QIODevice::ReadOnly)) {
            const QByteArray line = report.readLine(64).trimmed();
            if (line.startsWith("cpu_ms "))
                exit.cpuMs = qMax(exit.cpuMs, line.mid(7).toLongLong());
        }
        warmReport.reset();
    }
    exit.peakRssBytes = peakRss;
    if (sandboxed && exit.started && !exit.signaled && exit.hostKill == ExitInfo::HostKill::None) {
        const QByteArray errText = err.text();
        if (exit.exitCode == 1 && errText.startsWith("bwrap: ")) {
            // bwrap itself could not set the sandbox up; the program never ran.
            exit.started = false;
            exit.startError = ProcessRunner::tr("the sandbox could not be set up: %1")
                                  .arg(QString::fromLocal8Bit(errText.mid(7)).section(u'\n', 0, 0));
        } else if (const int sig = Sandbox::signalFromExitCode(exit.exitCode)) {
            // bwrap reports a program killed by signal N as exit status 128 + N.
            exit.signaled = true;
            exit.signal = sig;
            exit.exitCode = -1;
        }
    }
    const Verdict verdict = classify(exit, err.text(), limits);

    RunResult result;
    result.outcome = verdict.outcome;
    result.summary = verdict.summary;
    result.explanation = verdict.explanation;
    result.detail = verdict.detail;
    result.exitCode = exit.started && !exit.signaled ? exit.exitCode : -1;
    result.signal = exit.started ? exit.signal : 0;
    result.signalName = result.signal ? signalName(result.signal) : QString();
    result.wallMs = wallMs;
    result.cpuMs = exit.cpuMs;
    result.peakRssBytes = peakRss;
    result.stdoutText = out.text();
    result.stderrText = err.text();
    result.stdoutBytes = out.totalBytes();
    result.stderrBytes = err.totalBytes();
    result.outputTruncated = out.truncated() || err.truncated();
    result.escapeesKilled = int(escapees.size());
    result.peakProcesses = peakProcesses;
    result.sandboxed = sandboxed;
    result.sandboxNote = sandboxNote;

    process.reset();
    out.clear();
    err.clear();
    pid = 0;
    state = State::Idle;
    Q_EMIT q->done(result); // last statement: a receiver may start() again
}

void ProcessRunner::stop()
{
    d->killNow(ExitInfo::HostKill::Stopped);
}

bool ProcessRunner::isRunning() const
{
    return d->state != Private::State::Idle;
}

qint64 ProcessRunner::pid() const
{
    return d->state == Private::State::Running ? qint64(d->pid) : 0;
}

} // namespace torchlab
