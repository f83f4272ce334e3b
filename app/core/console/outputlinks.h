#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace torchlab {

// A source location printed in program or compiler output that names one of
// the learner's files.
struct OutputLink
{
    qsizetype start = 0; // in the line, UTF-16 units; covers the path and its numbers
    qsizetype length = 0;
    QString file;   // the learner file as given to findOutputLinks() ("exercise.cpp")
    int line = 0;   // 1-based
    int column = 0; // 1-based; 0 when the output named none

    friend bool operator==(const OutputLink &, const OutputLink &) = default;
};

// Finds `path:line[:column]` (gcc, clang, ld, assert(), lab.h) and
// `path(line)` (nvcc) in one line of output that has no escape sequences
// left. A location becomes a link only when the file name of its path
// (the part after the last '/' or '\') equals the file name of one of
// `learnerFiles`, so /tmp/tljob-x/exercise.cpp:12:5 links to "exercise.cpp"
// while torch/nn/module.h:120 and alloc_cpu.cpp:75 do not. Line 0 is not a
// location. Pure; safe on any text.
QList<OutputLink> findOutputLinks(QStringView line, const QStringList &learnerFiles);

} // namespace torchlab
