#pragma once

#include "core/toolchain/toolchaintypes.h"

#include <QJsonObject>

namespace torchlab::ToolchainJson {

// Stable JSON forms used by the discovery cache and `torchlab-cli doctor --json`.
// Keys are lowerCamelCase and never renamed; new keys may be added.
QJsonObject toJson(const LibTorchInstall &install);
LibTorchInstall installFromJson(const QJsonObject &object);

QJsonObject toJson(const CompilerInfo &compiler);
CompilerInfo compilerFromJson(const QJsonObject &object);

QJsonObject toJson(const ToolchainProfile &profile);
ToolchainProfile profileFromJson(const QJsonObject &object);

QString kindName(LibTorchInstall::Kind kind); // "debian", "pip", "zip", "torchdir"
QString kindName(CompilerInfo::Kind kind);    // "clang", "gcc", "nvcc"

} // namespace torchlab::ToolchainJson
