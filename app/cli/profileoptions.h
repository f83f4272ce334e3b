#pragma once

#include "core/toolchain/toolchaintypes.h"

#include <QCommandLineParser>
#include <QString>

namespace torchlab::cli {

// --libtorch, --compiler and --device, shared by every command that compiles.
void addProfileOptions(QCommandLineParser &parser);

struct ResolvedProfile
{
    ToolchainProfile profile;
    QString reason;       // why this profile was chosen, one sentence
    QString error;        // non-empty when no usable profile exists; says what to do
    QStringList warnings; // chosen, but something the learner should know
};

ResolvedProfile resolveProfile(const QCommandLineParser &parser);

} // namespace torchlab::cli
