#pragma once

#include "core/gpu/gpuprobe.h"
#include "core/toolchain/toolchaindiscovery.h"

#include <QHash>

namespace torchlab {

enum class DevicePreference
{
    Auto,
    Cpu,
    Cuda
};

// What the learner (or the CLI) asked for. Empty members mean "choose".
struct ProfileRequest
{
    QString libtorch; // install root path or install id ("pip:/…/torch")
    QString compiler; // compiler path
    DevicePreference device = DevicePreference::Auto;
    // Where each override came from, for reasons and errors ("TORCHLAB_LIBTORCH", "--libtorch").
    QString libtorchOrigin;
    QString compilerOrigin;
    QString deviceOrigin;

    // TORCHLAB_LIBTORCH, TORCHLAB_COMPILER and TORCHLAB_DEVICE (cpu|cuda).
    // An unknown device value sets `error`.
    static ProfileRequest fromEnvironment(const QHash<QString, QString> &environment,
                                          QString *error = nullptr);
    // "cpu" | "cuda" | "auto" (case-insensitive); false for anything else.
    bool setDevice(const QString &text, const QString &origin);

    friend bool operator==(const ProfileRequest &, const ProfileRequest &) = default;
};

// The chosen profile and, always, a plain reason. When nothing usable exists,
// ok is false and `error` says what is missing.
struct ProfileChoice
{
    bool ok = false;
    ToolchainProfile profile;
    QString reason; // "CPU LibTorch 1.13.0 (Debian) with clang++ 14: no NVIDIA GPU was found (…)"
    QString error;  // !ok: one or two sentences with what to do
    QStringList warnings; // chosen, but something the learner should know
};

namespace ProfileChooser {

// CUDA LibTorch when a GPU is present and a usable CUDA build exists whose
// CUDA major version the driver supports; else a CPU build (a CUDA build
// running on the CPU when it is the only one). clang++ before g++; the
// compiler must be able to build the install's libstdc++ ABI. Overrides win.
ProfileChoice choose(const DiscoveryResult &discovery, const GpuProbe &gpu,
                     const ProfileRequest &request);

// The flags for one compiler + install: -std, the SDK and LibTorch include
// folders, defines; -fuse-ld=lld when available, then the install's link list.
ToolchainProfile makeProfile(const CompilerInfo &compiler, const LibTorchInstall &install,
                             bool useCuda);

// "Debian", "pip torch", "$LIBTORCH", ... — where an install came from, short.
QString sourceLabel(const LibTorchInstall &install);

// Lets `profile` build .cu units with `nvcc`. The host compiler (-ccbin) is
// the profile's own compiler when nvcc accepts it, else the first of `hosts`
// that nvcc accepts and that builds the install's C++ ABI. Sets nvcc,
// nvccHost, nvccFlags (-ccbin, nvccArchFlags(), -Xcompiler -fPIC) and the
// CUDA runtime to link. Returns false, leaving the profile as it was, with a
// sentence in `why` when no host compiler fits.
bool addNvcc(ToolchainProfile &profile, const CompilerInfo &nvcc, const QList<CompilerInfo> &hosts,
             QString *why = nullptr);

// The GPU code nvcc embeds: machine code for sm_90 (H100/H200, no JIT at
// start-up) and PTX for compute_75, which the driver compiles for any GPU
// from Turing on (the oldest architecture CUDA 13 and pip torch cu130 still
// support). nvcc older than 11.8 knows no sm_90: PTX only.
QStringList nvccArchFlags(const CompilerInfo &nvcc);

} // namespace ProfileChooser

} // namespace torchlab
