#include "core/run/runphase.h"

namespace torchlab {

const char *runPhaseName(RunPhase phase)
{
    switch (phase) {
    case RunPhase::Queued:
        return "queued";
    case RunPhase::Preparing:
        return "preparing";
    case RunPhase::Compiling:
        return "compiling";
    case RunPhase::Linking:
        return "linking";
    case RunPhase::Running:
        return "running";
    case RunPhase::Finished:
        return "finished";
    }
    return "unknown";
}

} // namespace torchlab
