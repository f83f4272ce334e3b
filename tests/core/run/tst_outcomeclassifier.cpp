// The outcome table of docs/reliability.md rows 1, 2, 5, 6, 8, 9 and 14 as a pure
// function, fed with real stderr captured from LibTorch 1.13 and libstdc++
// (tests/fixtures/run, see its README for where each file came from).

#include "core/run/outcomeclassifier.h"

#include <QFile>
#include <QSet>
#include <QTest>

#include <csignal>

using namespace torchlab;
using Outcome = RunResult::Outcome;
using HostKill = ExitInfo::HostKill;

Q_DECLARE_METATYPE(torchlab::ExitInfo)

namespace {

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/run/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

ExitInfo exited(int code)
{
    ExitInfo e;
    e.exitCode = code;
    return e;
}

ExitInfo killedBy(int signal, HostKill host = HostKill::None, qint64 cpuMs = 0)
{
    ExitInfo e;
    e.signaled = true;
    e.exitCode = -1;
    e.signal = signal;
    e.hostKill = host;
    e.cpuMs = cpuMs;
    return e;
}

ExitInfo notStarted(const QString &why)
{
    ExitInfo e;
    e.started = false;
    e.startError = why;
    return e;
}

RunLimits limits()
{
    RunLimits l;
    l.cpuSeconds = 5;
    l.wallMs = 2000;
    l.memoryBytes = 2LL << 30;
    l.fileSizeBytes = 64LL << 20;
    l.openFiles = 64;
    l.hardOutputBytes = 10LL << 20;
    return l;
}

} // namespace

class tst_OutcomeClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data()
    {
        QTest::addColumn<ExitInfo>("exit");
        QTest::addColumn<QByteArray>("stderrText");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QString>("detail");

        QTest::newRow("exit 0") << exited(0) << QByteArray() << Outcome::Ok
                                << "finished successfully"
                                << "";
        QTest::newRow("exit 0 after a caught CUDA OOM")
            << exited(0) << fixture("cuda-oom-1.13.stderr") << Outcome::Ok
            << "finished successfully"
            << "";
        QTest::newRow("exit 1") << exited(1) << QByteArray("loss is nan\n") << Outcome::ExitCode
                                << "exited with code 1"
                                << "";
        QTest::newRow("exit 255") << exited(255) << QByteArray() << Outcome::ExitCode
                                  << "exited with code 255"
                                  << "";
        QTest::newRow("exec failed") << notStarted("No such file or directory") << QByteArray()
                                     << Outcome::FailedToStart << "could not start the program"
                                     << "No such file or directory";

        // Host kills decide, whatever the child died of.
        QTest::newRow("stopped") << killedBy(SIGKILL, HostKill::Stopped) << QByteArray()
                                 << Outcome::Stopped << "stopped"
                                 << "";
        ExitInfo stoppedAfterExit = exited(0);
        stoppedAfterExit.hostKill = HostKill::Stopped;
        QTest::newRow("stopped, exited meanwhile")
            << stoppedAfterExit << QByteArray() << Outcome::Stopped << "stopped"
            << "";
        QTest::newRow("wall clock")
            << killedBy(SIGKILL, HostKill::WallClock) << QByteArray() << Outcome::TimeLimit
            << "time limit exceeded: still running after 2 s"
            << "";
        QTest::newRow("rss watchdog")
            << killedBy(SIGKILL, HostKill::Memory) << QByteArray() << Outcome::MemoryLimit
            << "out of memory: used more than 2 GiB of RAM"
            << "";
        QTest::newRow("output cap")
            << killedBy(SIGKILL, HostKill::Output) << QByteArray() << Outcome::OutputLimit
            << "output limit exceeded: printed more than 10 MiB"
            << "";

        // Row 1: RLIMIT_CPU.
        QTest::newRow("SIGXCPU") << killedBy(SIGXCPU) << QByteArray() << Outcome::TimeLimit
                                 << "time limit exceeded: used more than 5 s of CPU time"
                                 << "";
        QTest::newRow("SIGKILL at the CPU hard limit")
            << killedBy(SIGKILL, HostKill::None, 5990) << QByteArray() << Outcome::TimeLimit
            << "time limit exceeded: used more than 5 s of CPU time"
            << "";
        QTest::newRow("SIGKILL from outside")
            << killedBy(SIGKILL, HostKill::None, 1200) << QByteArray() << Outcome::Crashed
            << "crashed: SIGKILL (killed)"
            << "";

        // Row 14.
        QTest::newRow("SIGXFSZ") << killedBy(SIGXFSZ) << QByteArray() << Outcome::FileSizeLimit
                                 << "file size limit exceeded: a file grew past 64 MiB"
                                 << "";
        QTest::newRow("EMFILE") << exited(1) << fixture("fd-exhaust.stderr")
                                << Outcome::TooManyFiles << "too many open files"
                                << "";

        // Row 5: allocation failures under RLIMIT_DATA.
        QTest::newRow("std::bad_alloc")
            << killedBy(SIGABRT) << fixture("std-bad-alloc.stderr") << Outcome::MemoryLimit
            << "out of memory: an allocation failed"
            << "std::bad_alloc";
        QTest::newRow("DefaultCPUAllocator")
            << killedBy(SIGABRT) << fixture("c10-cpu-alloc.stderr") << Outcome::MemoryLimit
            << "out of memory: an allocation failed"
            << "DefaultCPUAllocator: can't allocate memory: you tried to allocate 53687091200 "
               "bytes. Error code 12 (Cannot allocate memory)";
        QTest::newRow("ENOMEM reported and exit 1")
            << exited(1) << QByteArray("mmap: Cannot allocate memory\n") << Outcome::MemoryLimit
            << "out of memory: an allocation failed"
            << "";

        // Row 9: the two CUDA memory failures.
        const QString oom113 = QStringLiteral(
            "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.10 GiB total capacity; "
            "76.52 GiB already allocated; 1.06 GiB free; 77.01 GiB reserved in total by PyTorch) "
            "If reserved memory is >> allocated memory try setting max_split_size_mb to avoid "
            "fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF");
        QTest::newRow("CUDA OOM 1.13") << killedBy(SIGABRT) << fixture("cuda-oom-1.13.stderr")
                                       << Outcome::CudaOutOfMemory << "GPU out of memory" << oom113;
        QTest::newRow("CUDA OOM 2.x caught, exit 1")
            << exited(1) << fixture("cuda-oom-2.x.stderr") << Outcome::CudaOutOfMemory
            << "GPU out of memory"
            << "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of "
               "79.10 GiB of which 1.06 GiB is free. Including non-PyTorch memory, this process "
               "has 78.03 GiB memory in use. Of the allocated memory 76.52 GiB is allocated by "
               "PyTorch, and 501.00 MiB is reserved by PyTorch but unallocated. If reserved but "
               "unallocated memory is large try setting "
               "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See "
               "documentation for Memory Management  "
               "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)";
        QTest::newRow("CUDA error: out of memory")
            << killedBy(SIGABRT) << fixture("cuda-error-oom.stderr") << Outcome::CudaOutOfMemory
            << "GPU out of memory at start-up"
            << "CUDA error: out of memory";
        const QString oom211 = QStringLiteral(
            "CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total capacity of 79.11 "
            "GiB "
            "of which 3.12 GiB is free. Including non-PyTorch memory, this process has 76.00 GiB "
            "memory "
            "in use. Of the allocated memory 75.50 GiB is allocated by PyTorch, and 12.00 MiB is "
            "reserved by PyTorch but unallocated. If reserved but unallocated memory is large try "
            "setting PYTORCH_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See "
            "documentation for Memory Management  "
            "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)");
        QTest::newRow("CUDA OOM 2.11 uncaught: SIGABRT (exit 134)")
            << killedBy(SIGABRT) << fixture("cuda-oom-2.11.stderr") << Outcome::CudaOutOfMemory
            << "GPU out of memory" << oom211;
        const QString oom1TiB = QStringLiteral(
            "CUDA out of memory. Tried to allocate 1024.00 GiB. GPU 0 has a total capacity of "
            "79.11 "
            "GiB of which 78.41 GiB is free. Including non-PyTorch memory, this process has 714.00 "
            "MiB "
            "memory in use. Of the allocated memory 0 bytes is allocated by PyTorch, and 0 bytes "
            "is "
            "reserved by PyTorch but unallocated. If reserved but unallocated memory is large try "
            "setting PYTORCH_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See "
            "documentation for Memory Management  "
            "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)");
        QTest::newRow("CUDA OOM reported by lab::run, exit 3")
            << exited(3) << fixture("cuda-oom-labh.stderr") << Outcome::CudaOutOfMemory
            << "GPU out of memory" << oom1TiB;
        QTest::newRow("CUDA OOM in Python (torch.OutOfMemoryError), exit 1")
            << exited(1) << fixture("cuda-oom-python.stderr") << Outcome::CudaOutOfMemory
            << "GPU out of memory" << oom1TiB;
        QTest::newRow("CUDA error: out of memory, 2.x (c10::AcceleratorError)")
            << killedBy(SIGABRT) << fixture("cuda-error-oom-2.x.stderr") << Outcome::CudaOutOfMemory
            << "GPU out of memory at start-up"
            << "CUDA error: out of memory";

        // Uncaught c10 exceptions.
        QTest::newRow("c10::Error mm")
            << killedBy(SIGABRT) << fixture("c10-shape-mismatch.stderr") << Outcome::TorchError
            << "LibTorch error: mat1 and mat2 shapes cannot be "
               "multiplied (2x3 and 4x5)"
            << "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)";
        QTest::newRow("c10::Error Linear")
            << killedBy(SIGABRT) << fixture("c10-linear-shape.stderr") << Outcome::TorchError
            << "LibTorch error: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
            << "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)";
        QTest::newRow("c10::IndexError")
            << killedBy(SIGABRT) << fixture("c10-index-error.stderr") << Outcome::TorchError
            << "LibTorch error: select(): index 10 out of range for tensor of size [3] at "
               "dimension 0"
            << "select(): index 10 out of range for tensor of size [3] at dimension 0";
        QTest::newRow("c10::NotImplementedError")
            << killedBy(SIGABRT) << fixture("c10-no-cuda-backend.stderr") << Outcome::TorchError
            << "LibTorch error: " + QString::fromUtf8(fixture("c10-no-cuda-backend.stderr"))
                                        .section(QLatin1Char('\n'), 1, 1)
                                        .mid(11)
            << QString::fromUtf8(fixture("c10-no-cuda-backend.stderr"))
                   .section(QLatin1Char('\n'), 1, 1)
                   .mid(11);

        // Row 8: crashes.
        QTest::newRow("SIGSEGV") << killedBy(SIGSEGV) << QByteArray() << Outcome::Crashed
                                 << "crashed: SIGSEGV (segmentation fault)"
                                 << "";
        QTest::newRow("SIGABRT assertion")
            << killedBy(SIGABRT)
            << QByteArray("main: main.cpp:12: int main(): Assertion `x > 0' failed.\n")
            << Outcome::Crashed << "crashed: SIGABRT (aborted)"
            << "";
        QTest::newRow("SIGABRT std::runtime_error")
            << killedBy(SIGABRT)
            << QByteArray("terminate called after throwing an instance of 'std::runtime_error'\n"
                          "  what():  dataset not found\n")
            << Outcome::Crashed << "crashed: SIGABRT (aborted)"
            << "std::runtime_error: dataset not found";
        QTest::newRow("SIGFPE") << killedBy(SIGFPE) << QByteArray() << Outcome::Crashed
                                << "crashed: SIGFPE (arithmetic error)"
                                << "";
        QTest::newRow("SIGBUS") << killedBy(SIGBUS) << QByteArray() << Outcome::Crashed
                                << "crashed: SIGBUS (bus error)"
                                << "";
        QTest::newRow("SIGILL") << killedBy(SIGILL) << QByteArray() << Outcome::Crashed
                                << "crashed: SIGILL (illegal instruction)"
                                << "";
        QTest::newRow("signal 40")
            << killedBy(40) << QByteArray() << Outcome::Crashed << "crashed: signal 40 (signal 40)"
            << "";
    }

    void classify()
    {
        QFETCH(ExitInfo, exit);
        QFETCH(QByteArray, stderrText);
        QFETCH(Outcome, outcome);
        QFETCH(QString, summary);
        QFETCH(QString, detail);
        const Verdict v = torchlab::classify(exit, stderrText, limits());
        QCOMPARE(outcomeName(v.outcome), outcomeName(outcome));
        QCOMPARE(v.summary, summary);
        QCOMPARE(v.detail, detail);
        // Every failure is explained to the learner in plain words.
        if (outcome != Outcome::Ok) {
            QVERIFY(!v.explanation.isEmpty());
            QVERIFY2(v.explanation.size() < 600, qPrintable(v.explanation));
            QVERIFY(v.explanation.endsWith(QLatin1Char('.')));
        }
    }

    // What the learner reads for the failures that need the most help.
    void explanations()
    {
        const RunLimits l = limits();
        // The same advice for every wording of the allocator's OOM, 1.13 and 2.x.
        for (const char *name : {"cuda-oom-1.13.stderr", "cuda-oom-2.x.stderr",
                                 "cuda-oom-2.11.stderr", "cuda-oom-labh.stderr"}) {
            const QString gpu = torchlab::classify(killedBy(SIGABRT), fixture(name), l).explanation;
            for (const char *advice : {"smaller batch", "gradient accumulation", "NoGradGuard",
                                       "emptyCache", "reserved", "allocated"})
                QVERIFY2(
                    gpu.contains(QLatin1String(advice)),
                    qPrintable(QLatin1String(name) + QLatin1Char(' ') + QLatin1String(advice)));
        }
        for (const char *name : {"cuda-error-oom.stderr", "cuda-error-oom-2.x.stderr"}) {
            const QString startup =
                torchlab::classify(killedBy(SIGABRT), fixture(name), l).explanation;
            QVERIFY2(startup.contains(QLatin1String("other")), name);
            QVERIFY2(!startup.contains(QLatin1String("gradient accumulation")), name);
        }
        QVERIFY(torchlab::classify(killedBy(SIGSEGV), {}, l)
                    .explanation.contains(QLatin1String("stack overflow")));
        QVERIFY(torchlab::classify(killedBy(SIGFPE), {}, l)
                    .explanation.contains(QLatin1String("division by zero")));
        QVERIFY(torchlab::classify(exited(1), fixture("fd-exhaust.stderr"), l)
                    .explanation.contains(QLatin1String("64")));
        QVERIFY(torchlab::classify(notStarted(QStringLiteral("Permission denied")), {}, l)
                    .explanation.contains(QLatin1String("Permission denied")));
    }

    void uncaughtException_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("message");
        QTest::newRow("none") << QByteArray("Segmentation fault\n") << ""
                              << "";
        QTest::newRow("c10") << fixture("c10-shape-mismatch.stderr") << "c10::Error"
                             << "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)";
        QTest::newRow("no what line")
            << QByteArray("terminate called after throwing an instance of 'int'\n") << "int"
            << "";
        QTest::newRow("last one wins")
            << QByteArray("terminate called after throwing an instance of 'std::logic_error'\n"
                          "  what():  first\nterminate called after throwing an instance of "
                          "'c10::Error'\n  what():  second\n")
            << "c10::Error"
            << "second";
        QTest::newRow("cut off") << QByteArray(
                                        "terminate called after throwing an instance of 'c10")
                                 << ""
                                 << "";
    }

    void uncaughtException()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, type);
        QFETCH(QString, message);
        const UncaughtException e = findUncaughtException(text);
        QCOMPARE(e.type, type);
        QCOMPARE(e.message, message);
        QCOMPARE(e.isValid(), !type.isEmpty());
    }

    void outcomeNamesAreStable()
    {
        const QList<QPair<Outcome, QString>> names = {
            {Outcome::Ok, "ok"},
            {Outcome::ExitCode, "exit_code"},
            {Outcome::Crashed, "crashed"},
            {Outcome::TimeLimit, "time_limit"},
            {Outcome::MemoryLimit, "memory_limit"},
            {Outcome::OutputLimit, "output_limit"},
            {Outcome::FileSizeLimit, "file_size_limit"},
            {Outcome::TooManyFiles, "too_many_files"},
            {Outcome::CudaOutOfMemory, "cuda_out_of_memory"},
            {Outcome::TorchError, "torch_error"},
            {Outcome::Stopped, "stopped"},
            {Outcome::FailedToStart, "failed_to_start"},
        };
        QSet<QString> seen;
        for (const auto &[outcome, name] : names) {
            QCOMPARE(outcomeName(outcome), name);
            seen.insert(name);
        }
        QCOMPARE(seen.size(), names.size());
    }

    void signalNames_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("name");
        QTest::newRow("SIGSEGV") << int(SIGSEGV) << "SIGSEGV";
        QTest::newRow("SIGABRT") << int(SIGABRT) << "SIGABRT";
        QTest::newRow("SIGXCPU") << int(SIGXCPU) << "SIGXCPU";
        QTest::newRow("SIGXFSZ") << int(SIGXFSZ) << "SIGXFSZ";
        QTest::newRow("SIGKILL") << int(SIGKILL) << "SIGKILL";
        QTest::newRow("unknown") << 45 << "signal 45";
    }

    void signalNames()
    {
        QFETCH(int, signal);
        QFETCH(QString, name);
        QCOMPARE(signalName(signal), name);
    }

    void formatBytes_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("small") << qint64(512) << "512 bytes";
        QTest::newRow("KiB") << qint64(1024) << "1 KiB";
        QTest::newRow("MiB") << qint64(256) * 1024 * 1024 << "256 MiB";
        QTest::newRow("fraction") << qint64(1536) * 1024 * 1024 << "1.5 GiB";
        QTest::newRow("GiB") << (qint64(8) << 30) << "8 GiB";
        QTest::newRow("TiB") << (qint64(3) << 40) << "3 TiB";
    }

    void formatBytes()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(torchlab::formatBytes(bytes), text);
    }
};

QTEST_GUILESS_MAIN(tst_OutcomeClassifier)
#include "tst_outcomeclassifier.moc"
