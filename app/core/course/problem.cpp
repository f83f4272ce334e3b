#include "core/course/problem.h"

#include <algorithm>

namespace torchlab {

QString Problem::toString() const
{
    QString where = file;
    if (line > 0) {
        where += QStringLiteral(":%1").arg(line);
        if (column > 0)
            where += QStringLiteral(":%1").arg(column);
    }
    return QStringLiteral("%1: %2: %3")
        .arg(where, isError() ? QStringLiteral("error") : QStringLiteral("warning"), message);
}

QJsonObject Problem::toJson() const
{
    return QJsonObject{{QStringLiteral("severity"),
                        isError() ? QStringLiteral("error") : QStringLiteral("warning")},
                       {QStringLiteral("file"), file},
                       {QStringLiteral("line"), line},
                       {QStringLiteral("column"), column},
                       {QStringLiteral("message"), message}};
}

bool hasErrors(const QList<Problem> &problems)
{
    return std::any_of(problems.cbegin(), problems.cend(),
                       [](const Problem &p) { return p.isError(); });
}

void sortProblems(QList<Problem> &problems)
{
    std::stable_sort(problems.begin(), problems.end(), [](const Problem &a, const Problem &b) {
        if (a.file != b.file)
            return a.file < b.file;
        if (a.line != b.line)
            return a.line < b.line;
        return a.column < b.column;
    });
}

} // namespace torchlab
