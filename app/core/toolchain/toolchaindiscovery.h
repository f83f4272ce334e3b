#pragma once

#include "core/toolchain/filestamps.h"
#include "core/toolchain/toolchaintypes.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

struct GpuProbe;
struct ProfileRequest;
struct ProfileChoice;

// Where discovery looks. A default-constructed value describes the real
// system; tests point the members at fake trees under tests/fixtures/toolchains.
struct DiscoveryOptions
{
    DiscoveryOptions(); // environment = this process's environment

    QStringList rootPrefixes{
        QStringLiteral("/")};            // /usr, /opt/libtorch, /usr/local/cuda under each
    QHash<QString, QString> environment; // LIBTORCH, Torch_DIR, CUDA_HOME, PATH, HOME, TORCHLAB_*
    QString python3 =
        QStringLiteral("python3");  // name (searched in pathDirs) or path; empty: skip pip torch
    QStringList pathDirs;           // empty: split environment["PATH"]
    QString homeDir;                // empty: environment["HOME"]; ~/libtorch is looked at
    QStringList extraLibTorchRoots; // probed first, e.g. the CLI's --libtorch PATH
    QStringList extraCompilers;     // probed first, e.g. the CLI's --compiler PATH
    bool useCache = true;           // read and write the cache
    bool refresh = false;           // ignore a valid cache (still writes it)
    QString cacheDir;               // empty: LabPaths::cacheDir()
    int toolTimeoutMs = 15000;      // per compiler / python3 run

    QStringList effectivePathDirs() const;
    QString effectiveHomeDir() const;
};

// Everything discovery found. Installs come in the order their sources rank:
// explicit roots (TORCHLAB_LIBTORCH, --libtorch), $LIBTORCH, $Torch_DIR, pip
// torch, /opt/libtorch, ~/libtorch, Debian's libtorch-dev. Compilers: C++
// compilers (explicit ones, then clang++, then g++), then every nvcc found.
struct DiscoveryResult
{
    QList<LibTorchInstall> installs;
    QList<CompilerInfo> compilers;
    QString lldPath;         // ld.lld, empty when absent
    QString python3Path;     // the python3 that was asked, empty when none
    QString pythonTorchDir;  // what python3's find_spec('torch') said
    QStringList notes;       // sentences: what could not be looked at and why
    QList<FileStamp> stamps; // everything looked at; keys the cache
    QString inputsKey;       // hash of the options and environment used
    bool fromCache = false;
    qint64 elapsedUs = 0; // wall time of the discover() call that returned this

    QList<CompilerInfo> cxxCompilers() const;
    std::optional<CompilerInfo> nvcc() const; // the first nvcc found
    std::optional<LibTorchInstall> install(const QString &idOrRoot) const;
    std::optional<CompilerInfo>
    compiler(const QString &pathOrName) const; // a path, or a name found in PATH
};

// Finds LibTorch installs and compilers. discover() is cheap when warm: it
// stat()s every path the last cold run looked at and, when none changed and
// the inputs are the same, returns the cached result without starting any
// process. Cold, it starts python3 once (find_spec, never `import torch`) and
// each compiler twice. Blocking; call it off the GUI thread.
class ToolchainDiscovery
{
public:
    static DiscoveryResult discover(const DiscoveryOptions &options = DiscoveryOptions());

    // The profile to build exercises with; see profilechooser.h.
    static ProfileChoice chooseProfile(const DiscoveryResult &discovery, const GpuProbe &gpu,
                                       const ProfileRequest &request);

    // The cache file discover() uses for these options.
    static QString cacheFilePath(const DiscoveryOptions &options);
};

} // namespace torchlab
