#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli pack ...` for instructors and students:
// - `validate DIR [--json] [--strict]`: every problem of a lesson pack as
//   "path:line:col: error: message", then a summary. Exit code: 0 valid
//   (warnings allowed unless --strict), 1 invalid, 2 usage errors.
// - `new DIR [--id ID] [--title TEXT]`: a skeleton pack that validates
//   (writePackSkeleton). 0 written, 1 failed (DIR not empty...), 2 usage.
// - `build DIR [-o FILE.tar.gz]`: validates, then buildPackArchive; prints
//   "FILE: id version, N files, B bytes, sha256 HEX". 0 written, 1 invalid
//   pack or failed (problems on stderr), 2 usage.
// - sign/install/list/remove: feedcommand.h.
int runPackCommand(const QStringList &arguments);

} // namespace torchlab::cli
