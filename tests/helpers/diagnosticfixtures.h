#pragma once

// Shared by the diagnostic parser tests: the captured fixtures and a whole-value dump.

#include "core/build/diagnosticparser.h"
#include "core/build/pathmap.h"

#include <QDir>
#include <QFile>
#include <QStringList>

using namespace torchlab;
using Severity = Diagnostic::Severity;
using Tool = Diagnostic::Tool;

Q_DECLARE_METATYPE(torchlab::Diagnostic::Severity)
Q_DECLARE_METATYPE(torchlab::Diagnostic::Tool)

namespace diagfixtures {

// Real output captured by tests/fixtures/diagnostics/capture.sh (see its README).
inline QString fixtureDir()
{
    return QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/diagnostics/");
}

inline QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(path));
    return QString::fromUtf8(file.readAll());
}

inline QString fixture(const QString &name)
{
    return readText(fixtureDir() + name + QStringLiteral(".txt"));
}

// The temp job directory the fixtures were compiled in, as the lab's CompileJob would map it.
inline PathMap jobMap()
{
    const QString job = readText(fixtureDir() + QStringLiteral("jobdir.txt")).trimmed();
    PathMap map;
    map.realToShown.insert(job + QStringLiteral("/exercise.cpp"), QStringLiteral("exercise.cpp"));
    map.realToShown.insert(job + QStringLiteral("/exercise.cu"), QStringLiteral("exercise.cu"));
    return map;
}

inline Tool toolOf(const QString &fixtureName)
{
    if (fixtureName.startsWith(QStringLiteral("clang")))
        return Tool::Clang;
    if (fixtureName.startsWith(QStringLiteral("nvcc")))
        return Tool::Nvcc;
    return Tool::Gcc;
}

inline QList<Diagnostic> parseFixture(const QString &name)
{
    return parseCompilerOutput(fixture(name), toolOf(name), jobMap());
}

inline QStringList allFixtures()
{
    QStringList names;
    for (const QString &file : QDir(fixtureDir()).entryList({QStringLiteral("*-*.txt")}))
        names.append(file.chopped(4));
    return names;
}

inline QString location(const QString &file, int line, int column)
{
    return file.isEmpty() ? QString() : QStringLiteral("%1:%2:%3").arg(file).arg(line).arg(column);
}

// Everything a diagnostic carries, as text, so two parses can be compared whole.
inline QString dump(const QList<Diagnostic> &list, int depth = 0)
{
    QString out;
    for (const Diagnostic &d : list) {
        out += QString(depth * 2, u' ') +
               QStringLiteral("%1 %2 %3:%4:%5 %6 [%7] {%8} learner=%9 | %10\n")
                   .arg(int(d.severity))
                   .arg(int(d.tool))
                   .arg(d.file)
                   .arg(d.line)
                   .arg(d.column)
                   .arg(d.inLearnerFile ? QStringLiteral("true") : QStringLiteral("false"))
                   .arg(d.option, d.symbol, location(d.learnerFile, d.learnerLine, d.learnerColumn),
                        d.message);
        for (const FixIt &f : d.fixIts)
            out += QStringLiteral("  fix %1:%2-%3:%4 %5\n")
                       .arg(f.line)
                       .arg(f.column)
                       .arg(f.endLine)
                       .arg(f.endColumn)
                       .arg(f.replacement);
        out += dump(d.notes, depth + 1);
    }
    return out;
}

// Expected messages ending in "..." are compared as prefixes (long template names).
inline bool messageMatches(const QString &actual, const QString &expected)
{
    if (expected.endsWith(QStringLiteral("...")))
        return actual.startsWith(expected.chopped(3));
    return actual == expected;
}

inline const QString torchApi = QStringLiteral("/usr/include/torch/csrc/api/include/torch/");

} // namespace diagfixtures

using namespace diagfixtures;
