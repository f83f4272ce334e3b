// docs/reliability.md rows 1, 2, 3, 5, 6, 7, 8, 9 (CPU half), 10 and 14: what a
// learner's program can do wrong, run for real through ProcessRunner against
// the fake child (tests/helpers/fakechild). CPU-heavy rows use 1-2 s limits
// so that the whole file stays well under a minute on a 2-core box.

#include "helpers/looplatency.h"
#include "runnertest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace torchlab;
using namespace runnertest;

namespace {
constexpr int kNobody = 65534;
}

class tst_RunnerLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { initRunner(); }

    // Row 1: a busy loop ends with a time-limit verdict and no process left.
    void busyLoopHitsCpuLimit()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("busy"));
        s.limits.cpuSeconds = 1;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::TimeLimit);
        QCOMPARE(r.signal, SIGXCPU);
        QCOMPARE(r.signalName, QStringLiteral("SIGXCPU"));
        QVERIFY2(r.summary.contains(QLatin1String("CPU time")), qPrintable(r.summary));
        QVERIFY(r.cpuMs >= 900);
        QVERIFY(pgid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // Row 1, second half: a program that ignores SIGXCPU is killed at the hard
    // limit, and that SIGKILL still reads as a time limit.
    void ignoredSigxcpuStillHitsCpuLimit()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("ignore-xcpu"));
        s.limits.cpuSeconds = 1;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        QCOMPARE(r.signal, SIGKILL);
        QCOMPARE(r.outcome, RunResult::Outcome::TimeLimit);
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // Row 2: a sleeping program meets the wall clock.
    void sleepHitsWallClock()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("sleep"), {QStringLiteral("60")});
        s.limits.wallMs = 500;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::TimeLimit);
        QCOMPARE(r.signal, SIGKILL);
        QVERIFY2(r.summary.contains(QLatin1String("still running")), qPrintable(r.summary));
        QVERIFY(r.wallMs >= 500);
        QVERIFY(r.stdoutText.contains("sleeping"));
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // Row 3: a fork bomb is contained by RLIMIT_NPROC, which the kernel only
    // enforces for an unprivileged uid: as root the child drops to nobody.
    void forkBombIsContained()
    {
        const int maxProcesses = 16;
        ProcessSpec s = spec(QStringLiteral("forkbomb"), {QStringLiteral("400")});
        s.limits.wallMs = 1500;
        s.limits.cpuSeconds = 5;
        if (::geteuid() == 0) {
            s.runAsUid = kNobody;
            s.runAsGid = kNobody;
            s.limits.maxProcesses = maxProcesses;
            // nobody must be able to reach and execute the helper.
            for (const QString &file : programFiles()) {
                if (::access(QFile::encodeName(file).constData(), R_OK) != 0)
                    QSKIP("the fake child is not readable");
                struct stat info;
                for (QString dir = QFileInfo(file).absolutePath(); dir != QLatin1String("/");
                     dir = QFileInfo(dir).absolutePath()) {
                    if (::stat(QFile::encodeName(dir).constData(), &info) != 0 ||
                        !(info.st_mode & S_IXOTH))
                        QSKIP("running as root, but uid 65534 cannot reach the fake child "
                              "through its build directory, so RLIMIT_NPROC cannot be tested");
                }
            }
        } else {
            // RLIMIT_NPROC counts every process of our uid on the machine.
            int mine = 0;
            for (const auto &proc : ProcScan::allProcesses()) {
                struct stat info;
                const QByteArray path = "/proc/" + QByteArray::number(proc.pid);
                if (::stat(path.constData(), &info) == 0 && info.st_uid == ::getuid())
                    ++mine;
            }
            s.limits.maxProcesses = mine + maxProcesses;
        }

        // Event-loop latency while the bomb runs, printed, not asserted.
        testing::LoopLatencyProbe probe;
        ProcessRunner runner;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        const qint64 worstLatencyMs = probe.stop();
        qInfo("fork bomb: peak %d processes, worst event-loop latency %lld ms", r.peakProcesses,
              worstLatencyMs);

        QCOMPARE(r.outcome, RunResult::Outcome::TimeLimit);
        QVERIFY2(r.stdoutText.contains("fork failed: EAGAIN"), r.stdoutText.constData());
        QVERIFY(r.peakProcesses >= 2);
        QVERIFY2(r.peakProcesses <= maxProcesses, QByteArray::number(r.peakProcesses));
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // Row 5: a 50 GB allocation meets RLIMIT_DATA and reads as out of memory.
    void hugeAllocationIsMemoryLimit()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("alloc-huge"));
        s.limits.memoryBytes = 1LL << 30;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::MemoryLimit);
        QCOMPARE(r.signal, SIGABRT);
        QCOMPARE(r.detail, QStringLiteral("std::bad_alloc"));
        QVERIFY2(r.explanation.contains(QLatin1String("1 GiB")), qPrintable(r.explanation));
        QVERIFY(r.stderrText.contains("std::bad_alloc"));
    }

    // Row 6: memory RLIMIT_DATA cannot see (shared mappings) grows until the
    // RSS watchdog stops the group.
    void rssWatchdogStopsGrowth()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("rss-grow"), {QStringLiteral("2000")});
        s.limits.memoryBytes = 150LL << 20;
        s.limits.rssPollMs = 50;
        QSignalSpy samples(&runner, &ProcessRunner::rssSample);
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::MemoryLimit);
        QCOMPARE(r.signal, SIGKILL);
        QVERIFY2(r.summary.contains(QLatin1String("150 MiB")), qPrintable(r.summary));
        QVERIFY(r.peakRssBytes > s.limits.memoryBytes);
        // Stopped near the limit, far below the 2000 MB the child would reach.
        QVERIFY(r.peakRssBytes < s.limits.memoryBytes + (250LL << 20));
        QVERIFY(samples.count() >= 2);
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // Row 7: no address-space cap, even with a memory limit.
    void noAddressSpaceCap()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("mmap-probe"));
        s.limits.memoryBytes = 2LL << 30;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        const QString out = QString::fromLatin1(r.stdoutText);
        QVERIFY2(QRegularExpression(QStringLiteral("Max address space\\s+unlimited\\s+unlimited"))
                     .match(out)
                     .hasMatch(),
                 qPrintable(out));
        QVERIFY(QRegularExpression(QStringLiteral("Max data size\\s+2147483648\\s+2147483648"))
                    .match(out)
                    .hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("Max core file size\\s+0\\s+0"))
                    .match(out)
                    .hasMatch());
        QVERIFY(out.contains(QLatin1String("mmap64: ok")));
    }

    // Row 8: crashes name the signal, keep stderr, and leave no core file.
    void crashes_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QByteArray>("stderrText");
        QTest::newRow("segv") << "segv" << int(SIGSEGV) << "crashed: SIGSEGV (segmentation fault)"
                              << QByteArray("about to dereference a null pointer\n");
        QTest::newRow("abort") << "abort" << int(SIGABRT) << "crashed: SIGABRT (aborted)"
                               << QByteArray("about to abort\n");
        QTest::newRow("stack-overflow") << "stack-overflow" << int(SIGSEGV)
                                        << "crashed: SIGSEGV (segmentation fault)" << QByteArray();
    }

    void crashes()
    {
        QFETCH(QString, mode);
        QFETCH(int, signal);
        QFETCH(QString, summary);
        QFETCH(QByteArray, stderrText);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ProcessSpec s = spec(mode);
        s.workingDirectory = dir.path();
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::Crashed);
        QCOMPARE(r.signal, signal);
        QCOMPARE(r.summary, summary);
        QCOMPARE(r.stderrText, stderrText);
        QVERIFY(!r.explanation.isEmpty());
        if (signal == SIGSEGV)
            QVERIFY(r.explanation.contains(QLatin1String("stack overflow")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
    }

    // Row 9's CPU half and LibTorch's own errors: the fake child throws the
    // exception types LibTorch throws, so libstdc++ prints the real text.
    void libtorchFailures_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<RunResult::Outcome>("outcome");
        QTest::addColumn<QString>("detail");
        QTest::newRow("c10::Error") << "c10-error" << RunResult::Outcome::TorchError
                                    << "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)";
        QTest::newRow("CUDA OOM")
            << "cuda-oom" << RunResult::Outcome::CudaOutOfMemory
            << "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.10 GiB "
               "total capacity; 76.52 GiB already allocated; 1.06 GiB free; "
               "77.01 GiB reserved in total by PyTorch) If reserved memory is >> "
               "allocated memory try setting max_split_size_mb to avoid "
               "fragmentation.  See documentation for Memory Management and "
               "PYTORCH_CUDA_ALLOC_CONF";
        QTest::newRow("CUDA error OOM") << "cuda-error-oom" << RunResult::Outcome::CudaOutOfMemory
                                        << "CUDA error: out of memory";
    }

    void libtorchFailures()
    {
        QFETCH(QString, mode);
        QFETCH(RunResult::Outcome, outcome);
        QFETCH(QString, detail);
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, spec(mode), &r);
        QCOMPARE(r.outcome, outcome);
        QCOMPARE(r.signal, SIGABRT);
        QCOMPARE(r.detail, detail);
    }

    // Row 10: 1 GB on stdout. Every byte is delivered live, the result keeps
    // head and tail, and the host's memory stays flat.
    void stdoutFloodIsDrainedAndTruncated()
    {
        const qint64 total = 1LL << 30;
        ProcessSpec s = spec(QStringLiteral("flood"));
        s.environment.insert(QStringLiteral("FAKECHILD_BYTES"), QString::number(total));
        s.limits.keepOutputBytes = 64 << 10;
        s.limits.wallMs = 100'000;

        ProcessRunner runner;
        qint64 delivered = 0;
        qint64 chunks = 0;
        connect(&runner, &ProcessRunner::stdoutData, this, [&](const QByteArray &chunk) {
            delivered += chunk.size();
            ++chunks;
        });
        const qint64 rssBefore = selfRssBytes();
        QElapsedTimer clock;
        clock.start();
        RunResult r;
        RUN_TO_DONE(runner, s, &r, nullptr, 100'000);
        const qint64 ms = qMax<qint64>(1, clock.elapsed());
        const qint64 rssAfter = selfRssBytes();
        const qint64 growth = rssAfter - rssBefore;
        qInfo("flood: %lld bytes in %lld ms (%.0f MB/s, %lld chunks), host RSS %+lld kB", delivered,
              ms, double(delivered) / 1e6 / (double(ms) / 1000.0), chunks, growth / 1024);

        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        QCOMPARE(delivered, total);
        QCOMPARE(r.stdoutBytes, total);
        QVERIFY(r.outputTruncated);
        const QByteArray firstLine = QByteArray(63, 'a') + '\n';
        const QByteArray lastLine = QByteArray(63, 'd') + '\n'; // line 16383 of a MiB block
        const QByteArray notice =
            "\n[... " + QByteArray::number(total - 2 * (64 << 10)) + " bytes omitted ...]\n";
        QVERIFY(r.stdoutText.startsWith(firstLine));
        QVERIFY(r.stdoutText.endsWith(lastLine));
        QCOMPARE(r.stdoutText.size(), 2 * (64 << 10) + notice.size());
        QCOMPARE(r.stdoutText.mid(64 << 10, notice.size()), notice);
        QVERIFY2(growth < (50LL << 20), QByteArray::number(growth));
    }

    void hardOutputCapStopsTheProgram()
    {
        ProcessSpec s = spec(QStringLiteral("flood"));
        s.environment.insert(QStringLiteral("FAKECHILD_BYTES"), QString::number(1LL << 30));
        s.limits.hardOutputBytes = 4 << 20;
        ProcessRunner runner;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::OutputLimit);
        QVERIFY(r.stdoutBytes > s.limits.hardOutputBytes);
        QVERIFY(r.stdoutBytes < (1LL << 30));
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // Row 14: RLIMIT_FSIZE and RLIMIT_NOFILE.
    void diskBombHitsFileSizeLimit()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ProcessSpec s = spec(QStringLiteral("disk-bomb"));
        s.workingDirectory = dir.path();
        s.limits.fileSizeBytes = 4 << 20;
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::FileSizeLimit);
        QCOMPARE(r.signal, SIGXFSZ);
        QVERIFY2(r.summary.contains(QLatin1String("4 MiB")), qPrintable(r.summary));
        QCOMPARE(QFileInfo(dir.filePath(QStringLiteral("fakechild-diskbomb.bin"))).size(),
                 qint64(4 << 20));
    }

    void fdExhaustionIsTooManyFiles()
    {
        ProcessSpec s = spec(QStringLiteral("fd-exhaust"));
        s.limits.openFiles = 64;
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::TooManyFiles);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.explanation.contains(QLatin1String("64")), qPrintable(r.explanation));
        QVERIFY(r.stderrText.contains("Too many open files"));
    }
};

QTEST_GUILESS_MAIN(tst_RunnerLimits)
#include "tst_runnerlimits.moc"
