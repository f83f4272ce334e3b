#pragma once

#include "core/toolchain/filestamps.h"
#include "core/toolchain/toolchaintypes.h"

#include <optional>

namespace torchlab::LibTorchProbe {

// Where to look for things a LibTorch install does not ship itself: the CUDA
// runtime headers (cuda_runtime_api.h, needed by c10/cuda headers that lab.h
// includes for allocator statistics) and nccl.h. Discovery fills these from
// $CUDA_HOME and <root>/usr/local/cuda under each root prefix.
struct Context
{
    QStringList cudaIncludeCandidates;
};

// Debian's libtorch-dev under a root prefix ("/" for the real system, a fake
// tree in tests): <prefix>/usr/include/torch and <prefix>/usr/lib/<multiarch>/libtorch.so.
// nullopt when there are no LibTorch headers under the prefix at all.
std::optional<LibTorchInstall> probeDebian(FileStampRecorder &fs, const QString &rootPrefix,
                                           const Context &context);

// A self-contained LibTorch root: a pip torch package folder (has version.py),
// the official zip layout (include/, lib/, share/cmake/Torch, build-version) or
// whatever $LIBTORCH / $Torch_DIR point at. The layout is detected; `kind` is
// used when it is not a pip torch folder. nullopt when the root does not
// exist, or holds nothing LibTorch-like and `explicitlyGiven` is false;
// otherwise an install whose `problems` say what is wrong.
std::optional<LibTorchInstall> probeRoot(FileStampRecorder &fs, const QString &root,
                                         LibTorchInstall::Kind kind, const QString &source,
                                         bool explicitlyGiven, const Context &context);

// $Torch_DIR (…/share/cmake/Torch, or Debian's …/lib/<multiarch>/cmake/Torch)
// → the install root it belongs to; empty when it does not look like either.
QString rootFromTorchDir(FileStampRecorder &fs, const QString &torchDir);

// Multiarch library folders probed under <prefix>/usr/lib.
QStringList multiarchNames();

} // namespace torchlab::LibTorchProbe
