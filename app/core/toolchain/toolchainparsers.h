#pragma once

#include "core/toolchain/toolchaintypes.h"

#include <QString>

namespace torchlab::ToolchainParsers {

// Pure text parsers used by discovery. Each takes a file's (or a program's)
// text and returns values; empty/-1 results mean "not found in this text".

// TORCH_VERSION from torch/version.h ("1.13.0"); falls back to
// MAJOR.MINOR.PATCH when only the numeric macros are present.
QString torchVersionFromHeader(const QString &text);

struct VersionPy
{
    QString version;       // __version__ ("2.11.0+cu130")
    QString cuda;          // cuda = '13.0'; empty for None or absent
    bool cudaNone = false; // the file says cuda = None (a CPU build)
};
// torch/version.py of a pip wheel. Accepts both `cuda = '13.0'` and the
// annotated `cuda: Optional[str] = '13.0'` form.
VersionPy parseVersionPy(const QString &text);

// The official zip's build-version file ("2.11.0+cu130\n") → "2.11.0+cu130".
QString parseBuildVersion(const QString &text);

// "+cu130" → "13.0", "+cu118" → "11.8", "+cpu" or no suffix → "".
QString cudaFromVersionSuffix(const QString &version);

// CUDART_VERSION from cuda_runtime_api.h (12040 → "12.4"); empty when absent.
QString cudaFromRuntimeHeader(const QString &text);

// _GLIBCXX_USE_CXX11_ABI from TorchConfig.cmake's TORCH_CXX_FLAGS; -1 when absent.
int abiFromTorchConfig(const QString &text);

// CXX_STANDARD / cxx_std_NN from TorchConfig.cmake; 0 when absent.
int cxxStandardFromTorchConfig(const QString &text);

struct CompilerVersion
{
    CompilerInfo::Kind kind = CompilerInfo::Kind::Gcc;
    bool recognised = false;
    QString version; // "14.0.6", "12.2.0", "13.0.88"
    int major = 0;
    int minor = 0;
    QString firstLine; // the first line of the output, for display
};
// Output of `<compiler> --version` for clang++, g++ and nvcc.
CompilerVersion parseCompilerVersion(const QString &output);

struct AbiMacros
{
    int defaultAbi = -1; // _GLIBCXX_USE_CXX11_ABI; -1 when libstdc++ is not in use
    bool dualAbi = true; // _GLIBCXX_USE_DUAL_ABI (true when absent: libc++ or unknown)
};
// Output of `<compiler> -x c++ -E -dM -` on a file including <cstddef>.
AbiMacros parseAbiMacros(const QString &output);

// "13.0" vs "12.4": <0, 0, >0 like strcmp; compares dotted numeric prefixes
// ("2.11.0+cu130" compares as 2.11.0). Missing parts count as 0.
int compareVersions(const QString &a, const QString &b);

// "13.0.88" → "13.0"; "13" → "13.0"; "" → "".
QString majorMinor(const QString &version);

// The newest host compiler major versions an nvcc release accepts without
// -allow-unsupported-compiler (its crt/host_config.h refuses newer ones with
// "#error -- unsupported GNU version!"). 0: not known for this release, so
// any version is tried.
struct NvccHostLimits
{
    int maxGcc = 0;
    int maxClang = 0;
};
NvccHostLimits nvccHostLimits(int nvccMajor, int nvccMinor);

// Whether `nvcc` will run with `host` as its -ccbin (g++ or clang++ only).
bool nvccAcceptsHost(const CompilerInfo &nvcc, const CompilerInfo &host);

} // namespace torchlab::ToolchainParsers
