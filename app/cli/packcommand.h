#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli pack validate DIR [--json] [--strict]`: every problem of a
// lesson pack as "path:line:col: error: message", then a summary. Exit code:
// 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage errors.
int runPackCommand(const QStringList &arguments);

} // namespace torchlab::cli
