#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli run FILE.cpp... [options] [-- ARGS]`. Returns the process exit
// code: the program's own status when it ran and exited, 128+N when a signal
// ended it, 1 when it did not compile or hit a limit, 2 for usage errors.
int runRunCommand(const QStringList &arguments);

} // namespace torchlab::cli
