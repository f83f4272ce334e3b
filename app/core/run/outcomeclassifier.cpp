#include "core/run/outcomeclassifier.h"

#include <QCoreApplication>

#include <csignal>

namespace torchlab {

namespace {

using Outcome = RunResult::Outcome;

// lupdate files a tr() call in a free function under the enclosing namespace
// ("torchlab"), a context nothing looks up at run time; qualified calls through
// this class give lupdate and QCoreApplication::translate the same context.
struct OutcomeClassifier
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::OutcomeClassifier)
};

// The first line of `text` starting at `from`, without the line break.
QString lineAt(const QByteArray &text, qsizetype from)
{
    qsizetype end = text.indexOf('\n', from);
    if (end < 0)
        end = text.size();
    return QString::fromUtf8(text.mid(from, end - from)).trimmed();
}

QString seconds(qint64 ms)
{
    if (ms % 1000 == 0)
        return OutcomeClassifier::tr("%1 s").arg(ms / 1000);
    return OutcomeClassifier::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

Verdict verdict(Outcome outcome, QString summary, QString explanation, QString detail = {})
{
    return Verdict{outcome, std::move(summary), std::move(explanation), std::move(detail)};
}

Verdict hostKillVerdict(const ExitInfo &exit, const RunLimits &limits)
{
    switch (exit.hostKill) {
    case ExitInfo::HostKill::Stopped:
        return verdict(Outcome::Stopped, OutcomeClassifier::tr("stopped"),
                       OutcomeClassifier::tr("You stopped the program."));
    case ExitInfo::HostKill::WallClock:
        return verdict(Outcome::TimeLimit,
                       OutcomeClassifier::tr("time limit exceeded: still running after %1")
                           .arg(seconds(limits.wallMs)),
                       OutcomeClassifier::tr(
                           "The program was stopped because it was still running after %1. It may "
                           "be stuck in a loop or waiting for input that never comes (there is "
                           "none); check loop conditions and sleeps.")
                           .arg(seconds(limits.wallMs)));
    case ExitInfo::HostKill::Memory:
        return verdict(Outcome::MemoryLimit,
                       OutcomeClassifier::tr("out of memory: used more than %1 of RAM")
                           .arg(formatBytes(limits.memoryBytes)),
                       OutcomeClassifier::tr(
                           "The program was stopped because it used more than the %1 of memory it "
                           "may use. Use a smaller batch or model, and do not keep tensors you no "
                           "longer need.")
                           .arg(formatBytes(limits.memoryBytes)));
    case ExitInfo::HostKill::Output:
        return verdict(Outcome::OutputLimit,
                       OutcomeClassifier::tr("output limit exceeded: printed more than %1")
                           .arg(formatBytes(limits.hardOutputBytes)),
                       OutcomeClassifier::tr(
                           "The program printed more than %1 and was stopped. Print less often, "
                           "for example once every 100 steps.")
                           .arg(formatBytes(limits.hardOutputBytes)));
    case ExitInfo::HostKill::Processes:
        return verdict(Outcome::TooManyProcesses,
                       OutcomeClassifier::tr("too many processes: more than %1 at once")
                           .arg(limits.runProcesses),
                       OutcomeClassifier::tr(
                           "The program started more than the %1 processes a run may have at once "
                           "and was stopped, with every process it started. A fork() in a loop "
                           "does this; start workers a fixed number of times, outside loops.")
                           .arg(limits.runProcesses));
    case ExitInfo::HostKill::None:
        break;
    }
    Q_UNREACHABLE();
    return {};
}

QString crashExplanation(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return OutcomeClassifier::tr(
            "The program touched memory it does not own, for example through an "
            "out-of-range index, a dangling pointer, or a stack overflow from endless "
            "recursion. Add prints or run it in a debugger to find the last line reached.");
    case SIGBUS:
        return OutcomeClassifier::tr(
            "The program accessed memory that cannot be used, for example a memory-mapped "
            "file that was truncated or a misaligned pointer. Check pointer casts and "
            "mapped files.");
    case SIGFPE:
        return OutcomeClassifier::tr(
            "The program did an invalid arithmetic operation, most often an integer "
            "division by zero. Check divisors before dividing.");
    case SIGILL:
        return OutcomeClassifier::tr(
            "The program ran an instruction this processor cannot execute, usually "
            "because it was built for a different CPU or jumped to a broken address. "
            "Rebuild it on this machine.");
    case SIGABRT:
        return OutcomeClassifier::tr(
            "The program aborted itself, usually because an assertion failed or an "
            "exception was not caught. The last lines of its error output say why.");
    case SIGKILL:
        return OutcomeClassifier::tr(
            "Something outside the program killed it (SIGKILL), often the system when "
            "memory ran out. Use less memory and run it again.");
    default:
        return OutcomeClassifier::tr("The program was ended by signal %1 (%2).")
            .arg(signalName(sig), signalDescription(sig));
    }
}

bool contains(const QByteArray &text, const char *needle)
{
    return text.contains(needle);
}

} // namespace

UncaughtException findUncaughtException(const QByteArray &stderrText)
{
    static const QByteArray marker = "terminate called after throwing an instance of '";
    const qsizetype at = stderrText.lastIndexOf(marker);
    if (at < 0)
        return {};
    const qsizetype typeStart = at + marker.size();
    const qsizetype typeEnd = stderrText.indexOf('\'', typeStart);
    if (typeEnd < 0)
        return {};
    UncaughtException result;
    result.type = QString::fromUtf8(stderrText.mid(typeStart, typeEnd - typeStart));
    // libstdc++ prints "  what():  <message>" on the next line.
    static const QByteArray what = "what():";
    const qsizetype nextLine = stderrText.indexOf('\n', typeEnd);
    if (nextLine >= 0) {
        const qsizetype whatAt = stderrText.indexOf(what, nextLine);
        const qsizetype lineEnd = stderrText.indexOf('\n', nextLine + 1);
        if (whatAt >= 0 && (lineEnd < 0 || whatAt < lineEnd))
            result.message = lineAt(stderrText, whatAt + what.size());
    }
    return result;
}

Verdict classify(const ExitInfo &exit, const QByteArray &stderrText, const RunLimits &limits)
{
    if (!exit.started) {
        return verdict(Outcome::FailedToStart, OutcomeClassifier::tr("could not start the program"),
                       OutcomeClassifier::tr(
                           "The program could not be started (%1). Build it again and check that "
                           "the file exists and may be executed.")
                           .arg(exit.startError),
                       exit.startError);
    }
    if (exit.hostKill != ExitInfo::HostKill::None)
        return hostKillVerdict(exit, limits);
    if (!exit.signaled && exit.exitCode == 0)
        return verdict(Outcome::Ok, OutcomeClassifier::tr("finished successfully"), {});

    const QString cpuLimit = seconds(qint64(limits.cpuSeconds) * 1000);
    if (exit.signaled &&
        (exit.signal == SIGXCPU || (exit.signal == SIGKILL && limits.cpuSeconds > 0 &&
                                    exit.cpuMs >= qint64(limits.cpuSeconds) * 1000))) {
        // RLIMIT_CPU sends SIGXCPU at the soft limit and SIGKILL at the hard
        // limit (one second later) to a program that ignores SIGXCPU.
        return verdict(Outcome::TimeLimit,
                       OutcomeClassifier::tr("time limit exceeded: used more than %1 of CPU time")
                           .arg(cpuLimit),
                       OutcomeClassifier::tr(
                           "The program kept the processor busy for longer than the %1 allowed, "
                           "often because a loop never ends. Check loop conditions, or train for "
                           "fewer steps.")
                           .arg(cpuLimit));
    }
    if (exit.signaled && exit.signal == SIGXFSZ) {
        return verdict(Outcome::FileSizeLimit,
                       OutcomeClassifier::tr("file size limit exceeded: a file grew past %1")
                           .arg(formatBytes(limits.fileSizeBytes)),
                       OutcomeClassifier::tr(
                           "The program tried to write a file larger than the %1 allowed and was "
                           "stopped. Write less data, or look for a loop that writes without end.")
                           .arg(formatBytes(limits.fileSizeBytes)));
    }

    const UncaughtException uncaught = findUncaughtException(stderrText);

    static const QByteArray cudaOom = "CUDA out of memory. Tried to allocate";
    if (const qsizetype at = stderrText.lastIndexOf(cudaOom); at >= 0) {
        return verdict(
            Outcome::CudaOutOfMemory, OutcomeClassifier::tr("GPU out of memory"),
            OutcomeClassifier::tr(
                "The GPU had no room left for this allocation. Try a smaller batch "
                "(gradient accumulation keeps the effective batch size), wrap evaluation "
                "in torch::NoGradGuard, free unused tensors and call "
                "c10::cuda::CUDACachingAllocator::emptyCache(); \"reserved\" memory is "
                "held by the caching allocator, \"allocated\" is what live tensors use."),
            lineAt(stderrText, at));
    }
    if (contains(stderrText, "CUDA error: out of memory")) {
        return verdict(Outcome::CudaOutOfMemory,
                       OutcomeClassifier::tr("GPU out of memory at start-up"),
                       OutcomeClassifier::tr(
                           "CUDA could not set itself up on the GPU (\"CUDA error: out of "
                           "memory\"), which usually means other programs hold the GPU's memory or "
                           "a limit of this computer blocks it, not that your tensors are too big. "
                           "Close other GPU programs (nvidia-smi lists them) and run again."),
                       QStringLiteral("CUDA error: out of memory"));
    }
    if (contains(stderrText, "std::bad_alloc") ||
        contains(stderrText, "DefaultCPUAllocator: can't allocate memory") ||
        contains(stderrText, "Cannot allocate memory")) {
        QString detail = uncaught.message;
        static const QByteArray cpuAlloc = "DefaultCPUAllocator: can't allocate memory";
        if (const qsizetype at = stderrText.lastIndexOf(cpuAlloc); at >= 0)
            detail = lineAt(stderrText, at);
        return verdict(Outcome::MemoryLimit,
                       OutcomeClassifier::tr("out of memory: an allocation failed"),
                       OutcomeClassifier::tr(
                           "The program asked for more memory than it may use (%1) and the "
                           "allocation failed. Check tensor sizes, since one wrong dimension can "
                           "ask for gigabytes, and use a smaller batch.")
                           .arg(formatBytes(limits.memoryBytes)),
                       detail);
    }
    if (contains(stderrText, "Too many open files") || contains(stderrText, "EMFILE")) {
        return verdict(Outcome::TooManyFiles, OutcomeClassifier::tr("too many open files"),
                       OutcomeClassifier::tr(
                           "The program opened more than the %1 files it may have open at once "
                           "without closing them. Close files (or let them go out of scope) once "
                           "you are done with them.")
                           .arg(limits.openFiles));
    }
    if (uncaught.isValid() && uncaught.type.startsWith(QLatin1String("c10::"))) {
        return verdict(Outcome::TorchError,
                       OutcomeClassifier::tr("LibTorch error: %1").arg(uncaught.message),
                       OutcomeClassifier::tr(
                           "LibTorch stopped the program because an operation was used the wrong "
                           "way; the message names the operation and the reason. Check the shapes, "
                           "types and devices of the tensors on that line."),
                       uncaught.message);
    }
    if (exit.signaled) {
        QString detail;
        if (uncaught.isValid())
            detail = uncaught.message.isEmpty()
                         ? uncaught.type
                         : QStringLiteral("%1: %2").arg(uncaught.type, uncaught.message);
        return verdict(Outcome::Crashed,
                       OutcomeClassifier::tr("crashed: %1 (%2)")
                           .arg(signalName(exit.signal), signalDescription(exit.signal)),
                       crashExplanation(exit.signal), detail);
    }
    return verdict(Outcome::ExitCode,
                   OutcomeClassifier::tr("exited with code %1").arg(exit.exitCode),
                   OutcomeClassifier::tr(
                       "The program ended with exit code %1, which usually means it reported an "
                       "error. Its last lines of output say what went wrong.")
                       .arg(exit.exitCode));
}

QString signalName(int signal)
{
    switch (signal) {
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGQUIT:
        return QStringLiteral("SIGQUIT");
    case SIGILL:
        return QStringLiteral("SIGILL");
    case SIGTRAP:
        return QStringLiteral("SIGTRAP");
    case SIGABRT:
        return QStringLiteral("SIGABRT");
    case SIGBUS:
        return QStringLiteral("SIGBUS");
    case SIGFPE:
        return QStringLiteral("SIGFPE");
    case SIGKILL:
        return QStringLiteral("SIGKILL");
    case SIGUSR1:
        return QStringLiteral("SIGUSR1");
    case SIGSEGV:
        return QStringLiteral("SIGSEGV");
    case SIGUSR2:
        return QStringLiteral("SIGUSR2");
    case SIGPIPE:
        return QStringLiteral("SIGPIPE");
    case SIGALRM:
        return QStringLiteral("SIGALRM");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGSTKFLT:
        return QStringLiteral("SIGSTKFLT");
    case SIGCHLD:
        return QStringLiteral("SIGCHLD");
    case SIGCONT:
        return QStringLiteral("SIGCONT");
    case SIGSTOP:
        return QStringLiteral("SIGSTOP");
    case SIGTSTP:
        return QStringLiteral("SIGTSTP");
    case SIGTTIN:
        return QStringLiteral("SIGTTIN");
    case SIGTTOU:
        return QStringLiteral("SIGTTOU");
    case SIGURG:
        return QStringLiteral("SIGURG");
    case SIGXCPU:
        return QStringLiteral("SIGXCPU");
    case SIGXFSZ:
        return QStringLiteral("SIGXFSZ");
    case SIGVTALRM:
        return QStringLiteral("SIGVTALRM");
    case SIGPROF:
        return QStringLiteral("SIGPROF");
    case SIGWINCH:
        return QStringLiteral("SIGWINCH");
    case SIGIO:
        return QStringLiteral("SIGIO");
    case SIGPWR:
        return QStringLiteral("SIGPWR");
    case SIGSYS:
        return QStringLiteral("SIGSYS");
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

QString signalDescription(int signal)
{
    switch (signal) {
    case SIGSEGV:
        return OutcomeClassifier::tr("segmentation fault");
    case SIGABRT:
        return OutcomeClassifier::tr("aborted");
    case SIGBUS:
        return OutcomeClassifier::tr("bus error");
    case SIGFPE:
        return OutcomeClassifier::tr("arithmetic error");
    case SIGILL:
        return OutcomeClassifier::tr("illegal instruction");
    case SIGKILL:
        return OutcomeClassifier::tr("killed");
    case SIGTERM:
        return OutcomeClassifier::tr("terminated");
    case SIGINT:
        return OutcomeClassifier::tr("interrupted");
    case SIGPIPE:
        return OutcomeClassifier::tr("broken pipe");
    case SIGXCPU:
        return OutcomeClassifier::tr("CPU time limit exceeded");
    case SIGXFSZ:
        return OutcomeClassifier::tr("file size limit exceeded");
    case SIGTRAP:
        return OutcomeClassifier::tr("trace/breakpoint trap");
    case SIGSYS:
        return OutcomeClassifier::tr("bad system call");
    case SIGALRM:
        return OutcomeClassifier::tr("alarm clock");
    case SIGHUP:
        return OutcomeClassifier::tr("hang-up");
    case SIGQUIT:
        return OutcomeClassifier::tr("quit");
    default:
        return OutcomeClassifier::tr("signal %1").arg(signal);
    }
}

QString formatBytes(qint64 bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024)
        return OutcomeClassifier::tr("%1 bytes").arg(bytes);
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    const bool whole = value == double(qint64(value));
    return QStringLiteral("%1 %2").arg(whole ? QString::number(qint64(value))
                                             : QString::number(value, 'f', 1),
                                       QLatin1String(units[unit]));
}

} // namespace torchlab
