#pragma once

#include "core/course/packloader.h"
#include "core/toolchain/toolchaintypes.h"

#include <QStringList>

class QTextStream;

namespace torchlab::cli {

// What `pack build` requires before it writes an archive: every reference
// solution passes all of its lesson's checks, and no untouched starter does
// (a learner would pass without writing anything). Problems are the pack's,
// with the pack file and line: "basics/01-x/solution/exercise.cpp:11:34:
// error: ...", "basics/01-x/check.cpp:7:5: error: ...".
struct ReleaseGrade
{
    QStringList problems; // "path:line:col: error: message", in lesson order
    int lessons = 0;
    bool interrupted = false; // Ctrl+C
};

// Grades each lesson of `loaded` with `profile` (quick: TORCHLAB_QUICK=1),
// printing one line per lesson on `progress`.
ReleaseGrade gradeForRelease(const PackLoadResult &loaded, const QString &shownDir,
                             const ToolchainProfile &profile, bool quick, QTextStream &progress);

} // namespace torchlab::cli
