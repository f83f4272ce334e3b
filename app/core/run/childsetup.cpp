#include "core/run/childsetup.h"

#include <QCoreApplication>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace torchlab {

namespace {

void add(ChildSetup &setup, int resource, rlim_t soft, rlim_t hard)
{
    setup.rlimits[setup.rlimitCount++] = ChildSetup::Rlimit{resource, soft, hard};
}

[[noreturn]] void fail(int errorFd, ChildSetup::Step step, int error, int resource = 0) noexcept
{
    const ChildSetup::Failure failure{step, error, resource};
    if (errorFd >= 0) {
        ssize_t n;
        do {
            n = ::write(errorFd, &failure, sizeof failure);
        } while (n < 0 && errno == EINTR);
    }
    ::_exit(127);
}

const char *resourceName(int resource)
{
    switch (resource) {
    case RLIMIT_CPU:
        return "RLIMIT_CPU";
    case RLIMIT_DATA:
        return "RLIMIT_DATA";
    case RLIMIT_FSIZE:
        return "RLIMIT_FSIZE";
    case RLIMIT_NOFILE:
        return "RLIMIT_NOFILE";
    case RLIMIT_CORE:
        return "RLIMIT_CORE";
    case RLIMIT_NPROC:
        return "RLIMIT_NPROC";
    default:
        return "rlimit";
    }
}

} // namespace

void ChildSetup::prepare(const RunLimits &limits, int keepFdIn, int errorFdIn, int uidIn, int gidIn)
{
    rlimitCount = 0;
    // A crash must never leave a core file in the learner's folder (or fill
    // the disk): RLIMIT_CORE is always 0.
    add(*this, RLIMIT_CORE, 0, 0);
    if (limits.cpuSeconds > 0) {
        // Soft limit: SIGXCPU (classified as a time limit). Hard limit one
        // second later: SIGKILL for programs that ignore SIGXCPU.
        add(*this, RLIMIT_CPU, rlim_t(limits.cpuSeconds), rlim_t(limits.cpuSeconds) + 1);
    }
    // RLIMIT_DATA, never RLIMIT_AS: CUDA reserves 13-17 GiB of address space
    // at start-up and fails with a misleading "out of memory" under an
    // address-space cap (docs/reliability.md row 7). RLIMIT_DATA counts only
    // private writable memory, so PROT_NONE reservations stay possible.
    if (limits.memoryBytes > 0)
        add(*this, RLIMIT_DATA, rlim_t(limits.memoryBytes), rlim_t(limits.memoryBytes));
    if (limits.fileSizeBytes > 0)
        add(*this, RLIMIT_FSIZE, rlim_t(limits.fileSizeBytes), rlim_t(limits.fileSizeBytes));
    if (limits.openFiles > 0)
        add(*this, RLIMIT_NOFILE, rlim_t(limits.openFiles), rlim_t(limits.openFiles));
    if (limits.maxProcesses > 0)
        add(*this, RLIMIT_NPROC, rlim_t(limits.maxProcesses), rlim_t(limits.maxProcesses));
    errno = 0;
    const int hostNice = ::getpriority(PRIO_PROCESS, 0);
    changeNice = limits.niceIncrement > 0 && errno == 0;
    nice = qMin(19, hostNice + limits.niceIncrement);
    keepFd = keepFdIn;
    errorFd = errorFdIn;
    switchUser = uidIn >= 0;
    uid = uid_t(qMax(0, uidIn));
    gid = gid_t(gidIn >= 0 ? gidIn : uidIn);
    parentPid = ::getpid();
}

void ChildSetup::apply() const noexcept
{
    // Own process group first, so that a kill of the group can never miss
    // this process, whatever fails below.
    if (::setpgid(0, 0) != 0)
        fail(errorFd, ProcessGroup, errno);

    // Signal dispositions set to SIG_IGN and the signal mask survive exec. A
    // host that ignores or blocks SIGXCPU/SIGXFSZ/SIGPIPE would otherwise
    // change how the limits act on the child.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &dfl, nullptr); // EINVAL for libc-reserved numbers: fine
    }

    // A lower priority only matters when the CPUs are saturated, and then it
    // is what keeps the host's event loop (and the GUI) responsive.
    if (changeNice)
        ::setpriority(PRIO_PROCESS, 0, nice);

    // A 1 MiB pipe instead of 64 KiB: a program that prints a lot wakes the
    // host 16 times less often. Best effort (capped by fs/pipe-max-size); no
    // effect when stdout is not a pipe.
    ::fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
    ::fcntl(STDERR_FILENO, F_SETPIPE_SZ, 1 << 20);

    for (int i = 0; i < rlimitCount; ++i) {
        const Rlimit &want = rlimits[i];
        struct rlimit current;
        if (::getrlimit(want.resource, &current) != 0)
            fail(errorFd, Limit, errno, want.resource);
        // Only ever lower a limit: an unprivileged host cannot raise a hard
        // limit, and a lower inherited one is stricter than asked anyway.
        struct rlimit next;
        next.rlim_max = (current.rlim_max == RLIM_INFINITY || want.hard < current.rlim_max)
                            ? want.hard
                            : current.rlim_max;
        next.rlim_cur = want.value < next.rlim_max ? want.value : next.rlim_max;
        if (::setrlimit(want.resource, &next) != 0)
            fail(errorFd, Limit, errno, want.resource);
    }

    if (keepFd >= 0 && ::fcntl(keepFd, F_SETFD, 0) != 0)
        fail(errorFd, KeepFd, errno);

    if (switchUser) {
        // Raw system calls: glibc's setuid() wrappers synchronise all threads
        // of the process, machinery that is not meant to run after fork().
        if (::syscall(SYS_setgroups, 0, nullptr) != 0)
            fail(errorFd, SetGroups, errno);
        if (::syscall(SYS_setresgid, gid, gid, gid) != 0)
            fail(errorFd, SetGid, errno);
        if (::syscall(SYS_setresuid, uid, uid, uid) != 0)
            fail(errorFd, SetUid, errno);
    }

    // If the host dies without cleaning up (crash, SIGKILL), take the child
    // with it. Set after the uid switch, which clears it. The check closes the
    // race with a parent that died before prctl().
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parentPid)
        fail(errorFd, ParentGone, 0);
}

QString ChildSetup::describe(const Failure &failure)
{
    const QString reason = QString::fromLocal8Bit(std::strerror(failure.error));
    auto tr = [](const char *text) {
        return QCoreApplication::translate("torchlab::ChildSetup", text);
    };
    switch (failure.step) {
    case ProcessGroup:
        return tr("could not create a process group: %1").arg(reason);
    case Limit:
        return tr("could not set %1: %2")
            .arg(QLatin1String(resourceName(failure.resource)), reason);
    case KeepFd:
        return tr("could not pass the metrics channel: %1").arg(reason);
    case SetGroups:
    case SetGid:
        return tr("could not switch to the requested group: %1").arg(reason);
    case SetUid:
        return tr("could not switch to the requested user: %1").arg(reason);
    case ParentGone:
        return tr("the lab exited while the program was starting");
    default:
        return tr("set-up failed: %1").arg(reason);
    }
}

} // namespace torchlab
