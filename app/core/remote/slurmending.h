#pragma once

#include <QByteArrayView>

namespace torchlab {

// How Slurm ended a job, from a line it printed on srun's stderr
// ("slurmstepd: error: *** STEP 12.0 ON node CANCELLED AT … DUE TO TIME LIMIT ***").
enum class SlurmEnding
{
    None,
    TimeLimit,
    Preempted,
    NodeFailure,
    Cancelled, // by someone: an administrator, or scancel elsewhere
};

SlurmEnding slurmEndingOf(QByteArrayView line);

} // namespace torchlab
