#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

// One LibTorch installation found on this machine.
struct LibTorchInstall
{
    enum class Kind
    {
        Debian,
        PipTorch,
        Zip,
        TorchDir
    };
    Kind kind = Kind::Debian;
    QString root;    // prefix: /usr, <site-packages>/torch, /opt/libtorch, ...
    QString version; // "1.13.0", "2.11.0+cu130"
    int versionMajor = 0;
    int versionMinor = 0;
    bool cuda = false;       // libtorch_cuda present
    QString cudaVersion;     // CUDA it was built with ("13.0"), empty for CPU builds
    int cxx11Abi = 1;        // _GLIBCXX_USE_CXX11_ABI it was built with (0 or 1)
    bool gloo = false;       // c10d ProcessGroupGloo usable (headers + libs)
    bool nccl = false;       // c10d ProcessGroupNCCL usable
    QStringList includeDirs; // -I order matters: include/, include/torch/csrc/api/include
    QString libDir;          // where libtorch.so lives
    QStringList defines;     // e.g. _GLIBCXX_USE_CXX11_ABI=1, USE_C10D_GLOO
    QStringList libraries; // link arguments in order (-ltorch, -Wl,--no-as-needed -ltorch_cuda ...)
    QString source;        // how it was found: "libtorch-dev", "python3 torch", "$LIBTORCH", ...
    QStringList problems;  // why it is unusable, when it is (missing headers, ...)
    QStringList notes;     // usable, but something is limited (sentences for the doctor)
    QString versionFile; // file the version was read from (its mtime feeds ToolchainProfile::key())
    int cxxStandard = 17; // C++ standard its headers need (TorchConfig's CXX_STANDARD, at least 17)

    bool usable() const { return problems.isEmpty(); }
    QString id() const; // stable, e.g. "debian:/usr", "pip:/usr/lib/python3/site-packages/torch"
    QString displayName() const; // "LibTorch 1.13.0 (CPU, Debian libtorch-dev)"
};

// One C++ or CUDA compiler.
struct CompilerInfo
{
    enum class Kind
    {
        Clang,
        Gcc,
        Nvcc
    };
    Kind kind = Kind::Gcc;
    QString path;    // absolute
    QString version; // "14.0.6"
    int versionMajor = 0;
    int versionMinor = 0;
    bool lld = false;    // ld.lld usable with -fuse-ld=lld (C++ compilers only)
    QString versionText; // first line of `--version` ("Debian clang version 14.0.6")
    int defaultCxx11Abi =
        -1;              // libstdc++'s default _GLIBCXX_USE_CXX11_ABI (-1: unknown, not libstdc++)
    bool dualAbi = true; // libstdc++ can build either ABI when told with -D_GLIBCXX_USE_CXX11_ABI
    bool canUseAbi(int abi) const
    {
        return dualAbi || defaultCxx11Abi < 0 || defaultCxx11Abi == abi;
    }
    QString id() const; // "clang++-14.0.6:/usr/bin/clang++"
    QString displayName() const;
};

// Everything needed to compile and link an exercise: one compiler and one
// LibTorch, plus the exact flags. Built by ToolchainDiscovery::profileFor().
struct ToolchainProfile
{
    CompilerInfo compiler;
    LibTorchInstall libtorch;
    bool useCuda = false;     // run on cuda:0 when available (CUDA LibTorch + GPU present)
    QStringList compileFlags; // -std=c++17 -I... -D... (everything but inputs/outputs)
    QStringList linkFlags;    // -fuse-ld=lld -L... -Wl,-rpath,... -ltorch ...

    // CUDA kernels: .cu units are compiled by nvcc when it is set (see
    // ProfileChooser::addNvcc). CompileJob passes nvcc `nvccFlags`, then the
    // compile flags above (host-only ones wrapped in -Xcompiler), and adds
    // `cudaRuntimeLinkFlags` to the link of any program with a .cu unit.
    CompilerInfo nvcc;                // empty path: no nvcc, .cu units cannot be built
    QString nvccHost;                 // the host compiler nvcc runs (-ccbin)
    QStringList nvccFlags;            // -ccbin <host> -gencode ... -Xcompiler -fPIC
    QStringList cudaRuntimeLinkFlags; // -L<cuda>/lib64 -Wl,-rpath,<cuda>/lib64 -lcudart, or empty
                                      // when LibTorch's own link list already brings libcudart

    QString key() const; // hash of everything that invalidates a precompiled header
    bool isValid() const { return !compiler.path.isEmpty() && !libtorch.root.isEmpty(); }
    bool hasNvcc() const { return !nvcc.path.isEmpty(); }
    // .cu files of a lesson are built (and TORCHLAB_WITH_CUDA_KERNELS defined)
    // only on a CUDA profile that has nvcc; elsewhere the lesson takes its CPU path.
    bool canBuildCudaKernels() const { return useCuda && hasNvcc(); }
};

} // namespace torchlab
