#pragma once

#include <QStringList>

namespace torchlab::cli {

// torchlab-cli target add|list|remove|test: where runs happen.
int runTargetCommand(const QStringList &arguments);

} // namespace torchlab::cli
