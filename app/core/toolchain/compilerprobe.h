#pragma once

#include "core/toolchain/toolchaintypes.h"

#include <QHash>
#include <QString>

#include <optional>

namespace torchlab::CompilerProbe {

struct ToolOutput
{
    bool ok = false; // started, finished in time, exit code 0
    QString output;  // stdout followed by stderr
    QString error;   // why it failed, one sentence
};

// Runs `program arguments...` with `environment`, feeding `input` on stdin,
// and waits at most `timeoutMs`. Blocking: discovery calls it on its own thread.
ToolOutput runTool(const QString &program, const QStringList &arguments,
                   const QHash<QString, QString> &environment, const QByteArray &input = {},
                   int timeoutMs = 10000);

// Identifies the compiler at `path` from `--version` (clang++, g++ or nvcc)
// and, for C++ compilers, asks libstdc++ for its ABI defaults with one
// preprocessor run. nullopt with `error` set when it cannot be run or is not
// recognised. `lldPath` (may be empty) is recorded as CompilerInfo::lld.
std::optional<CompilerInfo> probe(const QString &path, const QHash<QString, QString> &environment,
                                  const QString &lldPath, int timeoutMs, QString *error);

} // namespace torchlab::CompilerProbe
