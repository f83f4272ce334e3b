#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace torchlab {

// One thing wrong with a pack, found by PackLoader: where it is and what to do.
struct Problem
{
    enum class Severity
    {
        Error,
        Warning
    };

    Severity severity = Severity::Error;
    QString file;    // path as the loader was given it plus the file inside the pack
                     // ("lessons/course/01-hello/lesson.toml")
    int line = 0;    // 1-based; 0 when the problem is about the whole file
    int column = 0;  // 1-based; 0 when unknown
    QString message; // one plain sentence or two, no trailing location

    bool isError() const { return severity == Severity::Error; }
    // "file:line:col: error: message" (line/col left out when unknown), the
    // form compilers use, so editors and CI logs link it.
    QString toString() const;
    QJsonObject toJson() const;
};

bool hasErrors(const QList<Problem> &problems);
// Sorted by file, then line, then column; the order of equal positions is kept.
void sortProblems(QList<Problem> &problems);

} // namespace torchlab
