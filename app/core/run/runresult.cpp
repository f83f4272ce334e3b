#include "core/run/runresult.h"

namespace torchlab {

QString outcomeName(RunResult::Outcome outcome)
{
    using Outcome = RunResult::Outcome;
    switch (outcome) {
    case Outcome::Ok:
        return QStringLiteral("ok");
    case Outcome::ExitCode:
        return QStringLiteral("exit_code");
    case Outcome::Crashed:
        return QStringLiteral("crashed");
    case Outcome::TimeLimit:
        return QStringLiteral("time_limit");
    case Outcome::MemoryLimit:
        return QStringLiteral("memory_limit");
    case Outcome::OutputLimit:
        return QStringLiteral("output_limit");
    case Outcome::FileSizeLimit:
        return QStringLiteral("file_size_limit");
    case Outcome::TooManyFiles:
        return QStringLiteral("too_many_files");
    case Outcome::CudaOutOfMemory:
        return QStringLiteral("cuda_out_of_memory");
    case Outcome::TorchError:
        return QStringLiteral("torch_error");
    case Outcome::Stopped:
        return QStringLiteral("stopped");
    case Outcome::FailedToStart:
        return QStringLiteral("failed_to_start");
    case Outcome::ConnectionLost:
        return QStringLiteral("connection_lost");
    case Outcome::EndedByCluster:
        return QStringLiteral("ended_by_cluster");
    case Outcome::TooManyProcesses:
        return QStringLiteral("too_many_processes");
    }
    return QStringLiteral("unknown");
}

std::optional<RunResult::Outcome> outcomeFromName(const QString &name)
{
    // outcomeName()'s switch is the one list of outcomes (the compiler warns
    // when a value is missing there); walk it until it runs out.
    for (int i = 0;; ++i) {
        const QString known = outcomeName(RunResult::Outcome(i));
        if (known == QLatin1String("unknown"))
            return std::nullopt;
        if (known == name)
            return RunResult::Outcome(i);
    }
}

} // namespace torchlab
