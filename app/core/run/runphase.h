#pragma once

#include <QObject>

namespace torchlab {

Q_NAMESPACE

// Where a run is: the same phases for a run here and on a remote machine.
enum class RunPhase
{
    Queued,    // waiting for a cluster's scheduler to hand out a GPU (Slurm)
    Preparing, // the toolchain (precompiled header) or the data sets are being made ready
    Compiling,
    Linking,
    Running,
    Finished,
};
Q_ENUM_NS(RunPhase)

// "queued", "preparing", "compiling", "linking", "running", "finished" (stable, for the JSON
// stream).
const char *runPhaseName(RunPhase phase);

} // namespace torchlab
