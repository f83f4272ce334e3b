#pragma once

#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli bundle PACK --lesson ID -o OUT.tar.gz` runs a lesson's program
// and archives the run (docs/archiving.md); `bundle verify FILE` re-checks an
// archive's manifest; `bundle rerun FILE` runs its code again and compares
// every metric. Exit code: 0 fine, 1 a failure (a run that did not finish, a
// tampered archive, metrics that differ), 2 usage errors, 130 after Ctrl+C.
// Needs a QGuiApplication (the plots are drawn with QtGui).
int runBundleCommand(const QStringList &arguments);

} // namespace torchlab::cli
