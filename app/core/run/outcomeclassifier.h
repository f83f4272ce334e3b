#pragma once

#include "core/run/runlimits.h"
#include "core/run/runresult.h"

#include <QByteArray>
#include <QString>

namespace torchlab {

// Everything the runner knows about how a child ended, apart from its output.
struct ExitInfo
{
    // Why the host killed the group, if it did. A host kill decides the
    // outcome whatever signal the child then died of.
    enum class HostKill
    {
        None,
        WallClock,
        Memory,
        Output,
        Stopped,
        Processes, // more processes at once than RunLimits::runProcesses
    };

    bool started = true;   // false: exec (or the set-up before it) failed
    QString startError;    // why it did not start, for the learner
    bool signaled = false; // true: killed by `signal`; false: exited with `exitCode`
    int exitCode = 0;
    int signal = 0;
    HostKill hostKill = HostKill::None;
    qint64 cpuMs = 0; // CPU time of the child as far as the host saw it
    qint64 peakRssBytes = 0;
};

// The learner-facing reading of an ExitInfo.
struct Verdict
{
    RunResult::Outcome outcome = RunResult::Outcome::Ok;
    QString summary;     // one short line, lower case: "crashed: SIGSEGV (segmentation fault)"
    QString explanation; // one or two plain sentences: what happened and what to try
    QString detail;      // the key line of the program's own message, when there is one
};

// Pure function: decides the outcome from how the child ended and the text it
// left on stderr (the kept head + tail is enough: runtimes print their last
// words at the end). Rules, first match wins:
//   not started -> FailedToStart; host kill -> Stopped/TimeLimit/MemoryLimit/OutputLimit;
//   exit 0 -> Ok; SIGXCPU, or SIGKILL once the CPU limit was used up -> TimeLimit;
//   SIGXFSZ -> FileSizeLimit; then, for any other failure, the stderr text:
//   "CUDA out of memory. Tried to allocate" / "CUDA error: out of memory" -> CudaOutOfMemory,
//   std::bad_alloc / DefaultCPUAllocator / "Cannot allocate memory" -> MemoryLimit,
//   "Too many open files" / EMFILE -> TooManyFiles, an uncaught c10:: exception -> TorchError;
//   otherwise a signal -> Crashed and a non-zero status -> ExitCode.
Verdict classify(const ExitInfo &exit, const QByteArray &stderrText, const RunLimits &limits = {});

// The exception type and the first line of what() of the last
// "terminate called after throwing an instance of '<type>'" in `stderrText`.
struct UncaughtException
{
    QString type;
    QString message;
    bool isValid() const { return !type.isEmpty(); }
};
UncaughtException findUncaughtException(const QByteArray &stderrText);

QString signalName(int signal);        // "SIGSEGV"; "signal 42" for unknown numbers
QString signalDescription(int signal); // "segmentation fault"
QString formatBytes(qint64 bytes);     // "8 GiB", "1.5 MiB", "512 bytes"

} // namespace torchlab
