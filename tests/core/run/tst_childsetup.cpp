// ChildSetup::apply() run in a forked child of the test, which reports what
// it sees back through a pipe. The runner-level tests prove the same limits
// through a real exec; these pin down the details and the failure channel.

#include "core/run/childsetup.h"

#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace torchlab;

namespace {

struct Seen
{
    rlimit cpu, data, fsize, nofile, core, nproc, as;
    int nice;
    pid_t pid, pgid;
    int keepFdFlags;
    bool xcpuDefault;
    bool maskEmpty;
};

struct Outcome
{
    int status = -1;
    bool haveSeen = false;
    Seen seen{};
    bool haveFailure = false;
    ChildSetup::Failure failure{};
};

// Forks; the child runs apply() and writes what it sees to a pipe.
Outcome runInChild(const ChildSetup &setup, int errorReadFd)
{
    int report[2];
    if (::pipe(report) != 0)
        qFatal("pipe");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(report[0]);
        setup.apply();
        Seen s{};
        ::getrlimit(RLIMIT_CPU, &s.cpu);
        ::getrlimit(RLIMIT_DATA, &s.data);
        ::getrlimit(RLIMIT_FSIZE, &s.fsize);
        ::getrlimit(RLIMIT_NOFILE, &s.nofile);
        ::getrlimit(RLIMIT_CORE, &s.core);
        ::getrlimit(RLIMIT_NPROC, &s.nproc);
        ::getrlimit(RLIMIT_AS, &s.as);
        s.nice = ::getpriority(PRIO_PROCESS, 0);
        s.pid = ::getpid();
        s.pgid = ::getpgrp();
        s.keepFdFlags = setup.keepFd >= 0 ? ::fcntl(setup.keepFd, F_GETFD) : -1;
        struct sigaction xcpu;
        ::sigaction(SIGXCPU, nullptr, &xcpu);
        s.xcpuDefault = xcpu.sa_handler == SIG_DFL;
        sigset_t mask;
        ::sigprocmask(SIG_SETMASK, nullptr, &mask);
        s.maskEmpty = !::sigismember(&mask, SIGXFSZ);
        (void)!::write(report[1], &s, sizeof s);
        ::_exit(0);
    }
    ::close(report[1]);
    Outcome out;
    ::waitpid(pid, &out.status, 0);
    out.haveSeen = ::read(report[0], &out.seen, sizeof out.seen) == ssize_t(sizeof out.seen);
    ::close(report[0]);
    if (errorReadFd >= 0)
        out.haveFailure =
            ::read(errorReadFd, &out.failure, sizeof out.failure) == ssize_t(sizeof out.failure);
    return out;
}

} // namespace

class tst_ChildSetup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void limitsAreApplied()
    {
        RunLimits limits;
        limits.cpuSeconds = 7;
        limits.memoryBytes = 1LL << 30;
        limits.fileSizeBytes = 2LL << 20;
        limits.openFiles = 50;
        limits.maxProcesses = 0;
        limits.niceIncrement = 3;
        int keep[2];
        QVERIFY(::pipe2(keep, O_CLOEXEC) == 0);
        rlimit nprocBefore;
        ::getrlimit(RLIMIT_NPROC, &nprocBefore);

        // Ignored and blocked in the host; the child must get the defaults.
        ::signal(SIGXCPU, SIG_IGN);
        sigset_t block;
        ::sigemptyset(&block);
        ::sigaddset(&block, SIGXFSZ);
        ::sigprocmask(SIG_BLOCK, &block, nullptr);

        ChildSetup setup;
        setup.prepare(limits, keep[1], -1, -1, -1);
        const Outcome out = runInChild(setup, -1);

        ::signal(SIGXCPU, SIG_DFL);
        ::sigprocmask(SIG_UNBLOCK, &block, nullptr);
        ::close(keep[0]);
        ::close(keep[1]);

        QVERIFY(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0);
        QVERIFY(out.haveSeen);
        const Seen &s = out.seen;
        QCOMPARE(s.cpu.rlim_cur, rlim_t(7));
        QCOMPARE(s.cpu.rlim_max, rlim_t(8));
        QCOMPARE(s.data.rlim_cur, rlim_t(1) << 30);
        QCOMPARE(s.fsize.rlim_cur, rlim_t(2) << 20);
        QCOMPARE(s.nofile.rlim_cur, rlim_t(50));
        QCOMPARE(s.core.rlim_cur, rlim_t(0));
        QCOMPARE(s.core.rlim_max, rlim_t(0));
        QCOMPARE(s.nproc.rlim_cur, nprocBefore.rlim_cur); // 0 = left alone
        QCOMPARE(s.as.rlim_cur, RLIM_INFINITY);           // never an address-space cap
        QCOMPARE(s.nice, qMin(19, ::getpriority(PRIO_PROCESS, 0) + 3));
        QCOMPARE(s.pgid, s.pid);
        QCOMPARE(s.keepFdFlags & FD_CLOEXEC, 0);
        QVERIFY(s.xcpuDefault);
        QVERIFY(s.maskEmpty);
    }

    // A limit above the inherited hard limit is lowered to it, not an error.
    void limitsOnlyGoDown()
    {
        rlimit nofile;
        ::getrlimit(RLIMIT_NOFILE, &nofile);
        if (nofile.rlim_max == RLIM_INFINITY || nofile.rlim_max > (1u << 30))
            QSKIP("no finite hard RLIMIT_NOFILE to stay under");
        RunLimits limits;
        limits.openFiles = int(nofile.rlim_max) + 1000;
        ChildSetup setup;
        setup.prepare(limits, -1, -1, -1, -1);
        const Outcome out = runInChild(setup, -1);
        QVERIFY(out.haveSeen);
        QCOMPARE(out.seen.nofile.rlim_max, nofile.rlim_max);
    }

    // A failed step is reported on the error pipe and the child exits 127
    // without running anything.
    void failureIsReported()
    {
        int errorPipe[2];
        QVERIFY(::pipe2(errorPipe, O_CLOEXEC) == 0);
        const int closedFd = ::dup(0);
        ::close(closedFd); // a descriptor number that is certainly not open
        ChildSetup setup;
        setup.prepare(RunLimits{}, closedFd, errorPipe[1], -1, -1);
        const Outcome out = runInChild(setup, -1);
        ::close(errorPipe[1]);
        ChildSetup::Failure failure;
        QCOMPARE(::read(errorPipe[0], &failure, sizeof failure), ssize_t(sizeof failure));
        ::close(errorPipe[0]);
        QVERIFY(WIFEXITED(out.status));
        QCOMPARE(WEXITSTATUS(out.status), 127);
        QVERIFY(!out.haveSeen);
        QCOMPARE(failure.step, int(ChildSetup::KeepFd));
        QCOMPARE(failure.error, EBADF);
        QVERIFY(ChildSetup::describe(failure).contains(QLatin1String("metrics channel")));
    }

    void describeNamesTheStep_data()
    {
        QTest::addColumn<int>("step");
        QTest::addColumn<int>("resource");
        QTest::addColumn<QString>("text");
        QTest::newRow("limit") << int(ChildSetup::Limit) << int(RLIMIT_NPROC) << "RLIMIT_NPROC";
        QTest::newRow("uid") << int(ChildSetup::SetUid) << 0 << "user";
        QTest::newRow("group") << int(ChildSetup::ProcessGroup) << 0 << "process group";
    }

    void describeNamesTheStep()
    {
        QFETCH(int, step);
        QFETCH(int, resource);
        QFETCH(QString, text);
        const QString described = ChildSetup::describe(ChildSetup::Failure{step, EPERM, resource});
        QVERIFY2(described.contains(text), qPrintable(described));
        QVERIFY(described.contains(QString::fromLocal8Bit(std::strerror(EPERM))));
    }
};

QTEST_GUILESS_MAIN(tst_ChildSetup)
#include "tst_childsetup.moc"
