#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli check PACK [--lesson ID]... [--use starter|solution|FILE]
// [--json] [--quick] [--lang en|zh_CN]`: grades lessons and prints each check
// as pass/FAIL/ERROR with its message and output tail, or results.json
// objects with --json. Exit code: 0 only when every check of every lesson
// passed, 1 otherwise, 2 for usage errors.
int runCheckCommand(const QStringList &arguments);

} // namespace torchlab::cli
