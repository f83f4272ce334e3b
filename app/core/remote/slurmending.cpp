#include "core/remote/slurmending.h"

namespace torchlab {

SlurmEnding slurmEndingOf(QByteArrayView line)
{
    const auto has = [line](const char *text) { return line.contains(QByteArrayView(text)); };
    if (has("Node failure") || has("NODE_FAIL") || (has("CANCELLED") && has("NODE FAILURE")))
        return SlurmEnding::NodeFailure;
    if (!has("CANCELLED"))
        return SlurmEnding::None;
    if (has("DUE TO TIME LIMIT"))
        return SlurmEnding::TimeLimit;
    if (has("DUE TO PREEMPTION"))
        return SlurmEnding::Preempted;
    if (has("*** ") && has("CANCELLED AT"))
        return SlurmEnding::Cancelled;
    return SlurmEnding::None;
}

} // namespace torchlab
