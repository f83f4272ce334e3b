#pragma once

// Shared by the ProcessRunner tests: a spec for the fake child
// (tests/helpers/fakechild, FAKECHILD_PATH), a run-to-done() helper that
// checks the one-done() contract, and process-table probes.

#include "core/run/processrunner.h"
#include "core/run/procscan.h"

#ifdef RUNNERTEST_WARM
#include "core/run/warmrunner.h"
#include "helpers/labtoolchain.h"
#include "helpers/requiredeps.h"
#endif

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace runnertest {

using namespace torchlab;

#ifdef RUNNERTEST_WARM
// The warm build of these tests (tst_*_warm): every fake child runs as the
// warm runner's forked child (FAKECHILD_SO through the launcher), with the
// machine's LibTorch loaded in the server. The same assertions must hold.
inline WarmRunner *&warmRunner()
{
    static WarmRunner *warm = nullptr;
    return warm;
}
// What the tests execute and what uid 65534 must be able to reach.
inline QStringList programFiles()
{
    return {warmRunner() ? warmRunner()->launcher() : QString(), QStringLiteral(FAKECHILD_SO)};
}
#else
inline QStringList programFiles()
{
    return {QStringLiteral(FAKECHILD_PATH)};
}
#endif

// Call from initTestCase(): starts the warm runner in the warm build.
inline void initRunner()
{
#ifdef RUNNERTEST_WARM
    QString why;
    const ToolchainProfile profile = testing::machineProfile(&why);
    if (!profile.isValid())
        LAB_SKIP_MISSING(QStringLiteral("no LibTorch toolchain: ") + why);
    static WarmRunner warm(profile);
    warm.ensureStarted();
    QTRY_VERIFY2_WITH_TIMEOUT(warm.state() != WarmRunner::State::Preparing,
                              qPrintable(warm.error()), 120'000);
    QVERIFY2(warm.isReady(), qPrintable(warm.error()));
    warmRunner() = &warm;
#endif
}

inline ProcessSpec spec(const QString &mode, const QStringList &args = {})
{
    ProcessSpec s;
#ifdef RUNNERTEST_WARM
    s.program = warmRunner()->launcher();
    s.arguments = warmRunner()->launchArguments(QStringLiteral(FAKECHILD_SO), args);
    s.warmMarker = warmRunner()->markerEntry();
#else
    s.program = QStringLiteral(FAKECHILD_PATH);
    s.arguments = args;
#endif
    s.environment.insert(QStringLiteral("FAKECHILD_MODE"), mode);
    s.limits.cpuSeconds = 10;
    s.limits.wallMs = 20'000;
    s.limits.memoryBytes = 2LL << 30;
    return s;
}

// Events keep flowing for a while so that a second, wrong done() would
// arrive before we count again. Waits on its own condition, not a sleep.
inline void settle(int ms = 150)
{
    bool elapsed = false;
    QTimer::singleShot(ms, [&elapsed] { elapsed = true; });
    QTRY_VERIFY_WITH_TIMEOUT(elapsed, ms + 5000);
}

// Starts, waits for done(), checks that exactly one done() came, and hands
// back the result and the child's pid (= its process group id). Use through
// RUN_TO_DONE so that the test returns when this fails.
inline void runToDone(ProcessRunner &runner, const ProcessSpec &s, RunResult *result,
                      qint64 *pgid = nullptr, int timeoutMs = 30'000)
{
    QSignalSpy done(&runner, &ProcessRunner::done);
    QSignalSpy started(&runner, &ProcessRunner::started);
    runner.start(s);
    // QSignalSpy::wait() runs a real event loop. QTRY_* polls with 10 ms
    // sleeps between passes, which would throttle a flood to ~100 MB/s and
    // inflate the latency figures the tests print.
    QVERIFY(done.wait(timeoutMs));
    QCOMPARE(done.count(), 1);
    settle();
    QCOMPARE(done.count(), 1);
    QVERIFY(!runner.isRunning());
    QCOMPARE(runner.pid(), 0);
    *result = done.at(0).at(0).value<RunResult>();
    if (pgid)
        *pgid = started.isEmpty() ? 0 : started.at(0).at(0).toLongLong();
}

#define RUN_TO_DONE(...)                                                                           \
    do {                                                                                           \
        runnertest::runToDone(__VA_ARGS__);                                                        \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

inline bool groupGone(qint64 pgid)
{
    return ::kill(-pid_t(pgid), 0) == -1 && errno == ESRCH;
}

// True when the process no longer exists or is a zombie waiting for its new
// parent (init) to reap it: in both cases it runs no code and holds nothing.
inline bool processDead(qint64 pid)
{
    if (::kill(pid_t(pid), 0) == -1 && errno == ESRCH)
        return true;
    const auto stat = ProcScan::readStat(pid_t(pid));
    return !stat || stat->isZombie();
}

inline qint64 selfRssBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression re(QStringLiteral("VmRSS:\\s+(\\d+) kB"));
    const auto match = re.match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() * 1024 : -1;
}

} // namespace runnertest
