#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli class status [--lesson ID] [--json] [--target NAME]`: the
// grader account's records of server-graded Checks (docs/instructors.md).
int runClassCommand(const QStringList &arguments);

} // namespace torchlab::cli
