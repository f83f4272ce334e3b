#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli warmup`: builds the precompiled LibTorch header of the chosen
// profile now, printing progress; 0 when it is ready.
int runWarmupCommand(const QStringList &arguments);

} // namespace torchlab::cli
