#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

// How a child process ended, in terms a learner understands. Produced once per
// run by ProcessRunner (and later refined by RunJob with what the metrics
// channel reported, e.g. a structured CUDA OOM event).
struct RunResult
{
    enum class Outcome
    {
        Ok,              // exited with status 0
        ExitCode,        // exited with a non-zero status
        Crashed,         // killed by a signal it raised or received (SIGSEGV, SIGABRT, ...)
        TimeLimit,       // CPU time (RLIMIT_CPU) or wall-clock limit
        MemoryLimit,     // RLIMIT_DATA hit (bad_alloc, ENOMEM) or the RSS watchdog fired
        OutputLimit,     // hard stdout+stderr cap exceeded
        FileSizeLimit,   // RLIMIT_FSIZE (SIGXFSZ)
        TooManyFiles,    // RLIMIT_NOFILE hit (EMFILE)
        CudaOutOfMemory, // c10::OutOfMemoryError / "CUDA out of memory. Tried to allocate ..."
        TorchError,      // an uncaught c10::Error; detail holds the message's first line
        Stopped,         // stopped by the user (stop()), not a failure of the program
        FailedToStart,   // exec failed: missing file, not executable, ...
        ConnectionLost,  // a runner on another machine stopped answering mid-run
        EndedByCluster,  // a cluster's scheduler ended it: preempted, node failure, cancelled by an
                         // admin
        TooManyProcesses, // the run had more processes at once than RunLimits::runProcesses
    };

    Outcome outcome = Outcome::FailedToStart;
    int exitCode = -1;   // valid when the process exited normally
    int signal = 0;      // valid when it was killed by a signal
    QString signalName;  // "SIGSEGV", ...
    QString summary;     // one short line: "crashed: SIGSEGV (segmentation fault)"
    QString explanation; // one or two sentences for the learner: what happened, what to try
    QString detail;      // e.g. the first line of a c10::Error, or the exec error
    qint64 wallMs = 0;
    qint64 cpuMs = 0;        // user+system of the direct child and the children it waited for
                             // (the host's RUSAGE_CHILDREN delta when plausible, else the
                             // watchdog's last /proc sample: see processrunner.cpp)
    qint64 peakRssBytes = 0; // largest group RSS the watchdog saw
    QByteArray stdoutText;   // head + "[... N bytes omitted ...]" + tail when truncated
    QByteArray stderrText;
    qint64 stdoutBytes = 0; // total bytes the program wrote
    qint64 stderrBytes = 0;
    bool outputTruncated = false;
    int escapeesKilled = 0; // processes that left the group (setsid) and were reaped
    int peakProcesses = 0;  // most processes the watchdog saw in the group (+ escapees) at once
    // How an untrusted program (SandboxPolicy::untrusted) was held: in the
    // bubblewrap sandbox, or not, and then why not (translated, one clause).
    bool sandboxed = false;
    QString sandboxNote;

    bool ok() const { return outcome == Outcome::Ok; }
};

QString
outcomeName(RunResult::Outcome outcome); // "ok", "exit_code", "crashed", ... (stable, for --json)
// The outcome outcomeName() gives `name`; empty for an unknown name.
std::optional<RunResult::Outcome> outcomeFromName(const QString &name);

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::RunResult)
