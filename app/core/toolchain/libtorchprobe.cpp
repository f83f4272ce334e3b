#include "core/toolchain/libtorchprobe.h"

#include "core/toolchain/toolchainparsers.h"

#include <QDir>
#include <QFileInfo>

namespace torchlab::LibTorchProbe {

namespace {

QString join(const QString &base, const QString &relative)
{
    return QDir::cleanPath(base + QLatin1Char('/') + relative);
}

// Folders the compiler and loader search anyway: naming them with -I, -L or
// -rpath changes the search order for everything else (gcc's #include_next
// in <cstdlib> breaks with -I/usr/include), so they are left out.
bool isSystemIncludeDir(const QString &dir)
{
    return dir == QLatin1String("/usr/include") || dir == QLatin1String("/usr/local/include");
}

bool isSystemLibDir(const QString &dir)
{
    static const QStringList plain = {QStringLiteral("/lib"), QStringLiteral("/usr/lib"),
                                      QStringLiteral("/lib64"), QStringLiteral("/usr/lib64")};
    if (plain.contains(dir))
        return true;
    for (const QString &arch : multiarchNames()) {
        if (dir == QLatin1String("/usr/lib/") + arch || dir == QLatin1String("/lib/") + arch)
            return true;
    }
    return false;
}

void addLibDirFlags(QStringList &libs, const QString &dir)
{
    if (isSystemLibDir(dir) || libs.contains(QStringLiteral("-L") + dir))
        return;
    libs << QStringLiteral("-L") + dir << QStringLiteral("-Wl,-rpath,") + dir;
}

struct CudaExtras
{
    QString includeDir;     // holds cuda_runtime_api.h
    QString runtimeLibDir;  // holds libcudart
    QString runtimeLib;     // file name to link with -l:<name>
    QString ncclIncludeDir; // holds nccl.h
    QString ncclLibDir;
    QString ncclLib;
};

QString findLib(FileStampRecorder &fs, const QString &dir, const QString &base,
                const QString &cudaMajor)
{
    // Wheels ship only the versioned name (libcudart.so.13), toolkits also the
    // unversioned one; -l:<exact name> links either.
    QStringList names{base + QStringLiteral(".so")};
    if (!cudaMajor.isEmpty())
        names << base + QStringLiteral(".so.") + cudaMajor;
    names << base + QStringLiteral(".so.2");
    for (const QString &name : names) {
        if (fs.isFile(join(dir, name)))
            return name;
    }
    return QString();
}

CudaExtras findCudaExtras(FileStampRecorder &fs, const QString &libtorchRoot,
                          const QString &cudaVersion, const Context &context)
{
    CudaExtras extras;
    const QString major = cudaVersion.section(QLatin1Char('.'), 0, 0);
    QStringList candidates;
    // pip wheels put the CUDA runtime in sibling packages of torch.
    const QString site = join(libtorchRoot, QStringLiteral(".."));
    if (!major.isEmpty())
        candidates << join(site, QStringLiteral("nvidia/cu%1/include").arg(major));
    candidates << join(site, QStringLiteral("nvidia/cuda_runtime/include"))
               << join(site, QStringLiteral("nvidia/nccl/include"));
    candidates << context.cudaIncludeCandidates;

    for (const QString &dir : std::as_const(candidates)) {
        if (extras.includeDir.isEmpty() &&
            fs.isFile(join(dir, QStringLiteral("cuda_runtime_api.h"))))
            extras.includeDir = dir;
        if (extras.ncclIncludeDir.isEmpty() && fs.isFile(join(dir, QStringLiteral("nccl.h"))))
            extras.ncclIncludeDir = dir;
    }
    const auto libFor = [&](const QString &includeDir, const QString &base, QString &libDir,
                            QString &lib) {
        if (includeDir.isEmpty())
            return;
        for (const QString &rel : {QStringLiteral("../lib64"), QStringLiteral("../lib")}) {
            const QString dir = join(includeDir, rel);
            const QString name = findLib(fs, dir, base, major);
            if (!name.isEmpty()) {
                libDir = dir;
                lib = name;
                return;
            }
        }
    };
    libFor(extras.includeDir, QStringLiteral("libcudart"), extras.runtimeLibDir, extras.runtimeLib);
    libFor(extras.ncclIncludeDir, QStringLiteral("libnccl"), extras.ncclLibDir, extras.ncclLib);
    return extras;
}

// Fills cuda, cudaVersion, gloo, nccl, defines and libraries once the
// folders and version are known. `includeRoot` is the folder holding torch/.
void finish(FileStampRecorder &fs, LibTorchInstall &install, const QString &includeRoot,
            const QString &systemGlooLibDir, const Context &context)
{
    const auto has = [&](const QString &relative) {
        return fs.isFile(join(includeRoot, relative));
    };
    const QString libDir = install.libDir;

    install.cuda = !libDir.isEmpty() && fs.isFile(join(libDir, QStringLiteral("libtorch_cuda.so")));
    if (install.cuda && install.cudaVersion.isEmpty())
        install.cudaVersion = ToolchainParsers::cudaFromVersionSuffix(install.version);
    if (install.cuda && !fs.isFile(join(libDir, QStringLiteral("libc10_cuda.so"))))
        install.problems << QStringLiteral(
                                "libc10_cuda.so is missing next to libtorch_cuda.so in %1")
                                .arg(libDir);
    if (!install.cuda)
        install.cudaVersion.clear();

    const QString c10d = QStringLiteral("torch/csrc/distributed/c10d/");
    const bool glooHeaders = has(c10d + QStringLiteral("ProcessGroupGloo.hpp")) &&
                             has(QStringLiteral("gloo/algorithm.h"));
    install.gloo = glooHeaders;

    CudaExtras extras;
    if (install.cuda)
        extras = findCudaExtras(fs, install.root, install.cudaVersion, context);
    install.nccl = install.cuda && has(c10d + QStringLiteral("ProcessGroupNCCL.hpp")) &&
                   (!extras.ncclIncludeDir.isEmpty() || has(QStringLiteral("nccl.h")));

    if (install.cuda && install.cudaVersion.isEmpty() && !extras.includeDir.isEmpty()) {
        // Last resort (Debian's CUDA build names no version anywhere): the
        // toolkit it is meant to be used with.
        const QString text = QString::fromUtf8(
            fs.read(join(extras.includeDir, QStringLiteral("cuda_runtime_api.h"))));
        install.cudaVersion = ToolchainParsers::cudaFromRuntimeHeader(text);
    }
    if (install.cuda) {
        if (!extras.includeDir.isEmpty()) {
            if (!isSystemIncludeDir(extras.includeDir) &&
                !install.includeDirs.contains(extras.includeDir))
                install.includeDirs << extras.includeDir;
        } else {
            install.notes << QStringLiteral(
                "The CUDA runtime headers (cuda_runtime_api.h) were not found, so exercises cannot "
                "report the caching allocator's GPU memory; install the CUDA toolkit or set "
                "CUDA_HOME.");
        }
        if (install.nccl && !extras.ncclIncludeDir.isEmpty() &&
            !isSystemIncludeDir(extras.ncclIncludeDir) &&
            !install.includeDirs.contains(extras.ncclIncludeDir))
            install.includeDirs << extras.ncclIncludeDir;
    }

    install.defines = {QStringLiteral("_GLIBCXX_USE_CXX11_ABI=%1").arg(install.cxx11Abi)};
    if (install.gloo)
        install.defines << QStringLiteral("USE_C10D_GLOO");
    if (install.nccl)
        install.defines << QStringLiteral("USE_C10D_NCCL");
    if (install.cuda && !extras.includeDir.isEmpty())
        install.defines << QStringLiteral("TORCHLAB_WITH_CUDA=1");

    QStringList libs;
    if (!libDir.isEmpty())
        addLibDirFlags(libs, libDir);
    if (install.cuda) {
        // Exercise code rarely references libtorch_cuda directly, so an
        // --as-needed link would drop it and torch::cuda::is_available()
        // would then say false at run time.
        libs << QStringLiteral("-Wl,--no-as-needed") << QStringLiteral("-ltorch_cuda")
             << QStringLiteral("-lc10_cuda") << QStringLiteral("-Wl,--as-needed");
    }
    libs << QStringLiteral("-ltorch") << QStringLiteral("-ltorch_cpu") << QStringLiteral("-lc10");
    if (install.cuda && !extras.runtimeLib.isEmpty()) {
        addLibDirFlags(libs, extras.runtimeLibDir);
        libs << QStringLiteral("-l:") + extras.runtimeLib;
    }
    if (install.nccl && !extras.ncclLib.isEmpty()) {
        addLibDirFlags(libs, extras.ncclLibDir);
        libs << QStringLiteral("-l:") + extras.ncclLib;
    }
    if (install.gloo && !systemGlooLibDir.isEmpty()) {
        addLibDirFlags(libs, systemGlooLibDir);
        libs << QStringLiteral("-lgloo");
    }
    libs << QStringLiteral("-lpthread");
    install.libraries = libs;
}

void readTorchConfig(FileStampRecorder &fs, LibTorchInstall &install, const QStringList &candidates,
                     int defaultAbi)
{
    for (const QString &path : candidates) {
        const QString text = QString::fromUtf8(fs.read(path));
        if (text.isEmpty())
            continue;
        const int abi = ToolchainParsers::abiFromTorchConfig(text);
        install.cxx11Abi = abi >= 0 ? abi : defaultAbi;
        install.cxxStandard = qMax(17, ToolchainParsers::cxxStandardFromTorchConfig(text));
        return;
    }
    install.cxx11Abi = defaultAbi;
}

void parseVersionNumbers(LibTorchInstall &install)
{
    const QStringList parts =
        install.version.section(QLatin1Char('+'), 0, 0).split(QLatin1Char('.'));
    install.versionMajor = parts.value(0).toInt();
    install.versionMinor = parts.value(1).toInt();
}

QString versionFromHeader(FileStampRecorder &fs, const QString &apiInclude, QString *headerPath)
{
    const QString header = join(apiInclude, QStringLiteral("torch/version.h"));
    const QString text = QString::fromUtf8(fs.read(header));
    if (text.isEmpty())
        return QString();
    *headerPath = header;
    return ToolchainParsers::torchVersionFromHeader(text);
}

} // namespace

QStringList multiarchNames()
{
    return {QStringLiteral("x86_64-linux-gnu"), QStringLiteral("aarch64-linux-gnu"),
            QStringLiteral("powerpc64le-linux-gnu"), QStringLiteral("riscv64-linux-gnu")};
}

std::optional<LibTorchInstall> probeDebian(FileStampRecorder &fs, const QString &rootPrefix,
                                           const Context &context)
{
    const QString usr = join(rootPrefix, QStringLiteral("usr"));
    const QString include = join(usr, QStringLiteral("include"));
    if (!fs.isDir(join(include, QStringLiteral("torch"))))
        return std::nullopt;

    LibTorchInstall install;
    install.kind = LibTorchInstall::Kind::Debian;
    install.root = usr;
    install.source = QStringLiteral("libtorch-dev");
    const QString api = join(include, QStringLiteral("torch/csrc/api/include"));
    if (!isSystemIncludeDir(include))
        install.includeDirs << include;
    install.includeDirs << api;

    QStringList libDirs;
    for (const QString &arch : multiarchNames())
        libDirs << join(usr, QStringLiteral("lib/") + arch);
    libDirs << join(usr, QStringLiteral("lib64")) << join(usr, QStringLiteral("lib"));
    for (const QString &dir : std::as_const(libDirs)) {
        if (fs.isFile(join(dir, QStringLiteral("libtorch.so")))) {
            install.libDir = dir;
            break;
        }
    }

    install.version = versionFromHeader(fs, api, &install.versionFile);
    parseVersionNumbers(install);

    if (!fs.isFile(join(api, QStringLiteral("torch/torch.h"))))
        install.problems
            << QStringLiteral("the C++ API headers are missing (%1 has no torch/torch.h)").arg(api);
    if (install.libDir.isEmpty()) {
        install.problems << QStringLiteral("libtorch.so was not found under %1/lib").arg(usr);
    } else {
        for (const QString &lib :
             {QStringLiteral("libtorch_cpu.so"), QStringLiteral("libc10.so")}) {
            if (!fs.isFile(join(install.libDir, lib)))
                install.problems << QStringLiteral("%1 is missing in %2").arg(lib, install.libDir);
        }
    }
    if (install.version.isEmpty())
        install.problems << QStringLiteral("its version could not be read from torch/version.h");

    QStringList configs;
    if (!install.libDir.isEmpty())
        configs << join(install.libDir, QStringLiteral("cmake/Torch/TorchConfig.cmake"));
    configs << join(usr, QStringLiteral("share/cmake/Torch/TorchConfig.cmake"));
    // Debian has built with the C++11 ABI since GCC 5.
    readTorchConfig(fs, install, configs, 1);

    // Debian builds c10d Gloo against the separate libgloo-dev package, whose
    // library sits in /usr/lib (or a multiarch folder).
    QString glooLibDir;
    for (const QString &dir : std::as_const(libDirs)) {
        if (fs.isFile(join(dir, QStringLiteral("libgloo.so")))) {
            glooLibDir = dir;
            break;
        }
    }
    finish(fs, install, include, glooLibDir, context);
    return install;
}

std::optional<LibTorchInstall> probeRoot(FileStampRecorder &fs, const QString &rootIn,
                                         LibTorchInstall::Kind kind, const QString &source,
                                         bool explicitlyGiven, const Context &context)
{
    if (rootIn.isEmpty())
        return std::nullopt;
    const QString root = QDir::cleanPath(QFileInfo(rootIn).absoluteFilePath());
    // A Debian-style prefix given explicitly (LIBTORCH=/usr,
    // Torch_DIR=/usr/lib/<arch>/cmake/Torch).
    if (root.endsWith(QLatin1String("/usr")) &&
        fs.isDir(join(root, QStringLiteral("include/torch"))) &&
        !fs.isFile(join(root, QStringLiteral("version.py")))) {
        auto install = probeDebian(fs, join(root, QStringLiteral("..")), context);
        if (install)
            install->source = source;
        return install;
    }
    const bool rootExists = fs.isDir(root);
    if (!rootExists && !explicitlyGiven)
        return std::nullopt;

    LibTorchInstall install;
    install.root = root;
    install.source = source;
    install.kind = kind;
    if (!rootExists) {
        install.problems << QStringLiteral("%1 does not exist").arg(root);
        return install;
    }

    const QString include = join(root, QStringLiteral("include"));
    const QString versionPy = join(root, QStringLiteral("version.py"));
    const bool isPip = fs.isFile(versionPy);
    if (isPip)
        install.kind = LibTorchInstall::Kind::PipTorch;

    const bool hasTorchHeaders = fs.isDir(join(include, QStringLiteral("torch")));
    QStringList libDirs{join(root, QStringLiteral("lib"))};
    for (const QString &arch : multiarchNames())
        libDirs << join(root, QStringLiteral("lib/") + arch);
    libDirs << join(root, QStringLiteral("lib64"));
    for (const QString &dir : std::as_const(libDirs)) {
        if (fs.isFile(join(dir, QStringLiteral("libtorch.so")))) {
            install.libDir = dir;
            break;
        }
    }
    if (!isPip && !hasTorchHeaders && install.libDir.isEmpty()) {
        if (!explicitlyGiven)
            return std::nullopt;
        install.problems
            << QStringLiteral("%1 does not contain LibTorch (no include/torch, no lib/libtorch.so)")
                   .arg(root);
        return install;
    }

    const QString api = join(include, QStringLiteral("torch/csrc/api/include"));
    if (!isSystemIncludeDir(include))
        install.includeDirs << include;
    install.includeDirs << api;

    // Version: version.py (pip) or build-version (zip) carry the CUDA suffix;
    // torch/version.h only the number. The header is what a PCH depends on.
    QString headerPath;
    const QString headerVersion = versionFromHeader(fs, api, &headerPath);
    install.versionFile = headerPath;
    if (isPip) {
        const auto py = ToolchainParsers::parseVersionPy(QString::fromUtf8(fs.read(versionPy)));
        install.version = py.version;
        install.cudaVersion = py.cuda;
        if (install.versionFile.isEmpty())
            install.versionFile = versionPy;
    }
    if (install.version.isEmpty()) {
        const QString buildVersionPath = join(root, QStringLiteral("build-version"));
        install.version =
            ToolchainParsers::parseBuildVersion(QString::fromUtf8(fs.read(buildVersionPath)));
        if (!install.version.isEmpty() && install.versionFile.isEmpty())
            install.versionFile = buildVersionPath;
    }
    if (install.version.isEmpty())
        install.version = headerVersion;
    parseVersionNumbers(install);

    if (!fs.isFile(join(api, QStringLiteral("torch/torch.h"))))
        install.problems
            << QStringLiteral("the C++ headers are missing (%1 has no torch/torch.h)").arg(api);
    if (install.libDir.isEmpty()) {
        install.problems << QStringLiteral("libtorch.so was not found in %1/lib").arg(root);
    } else {
        for (const QString &lib :
             {QStringLiteral("libtorch_cpu.so"), QStringLiteral("libc10.so")}) {
            if (!fs.isFile(join(install.libDir, lib)))
                install.problems << QStringLiteral("%1 is missing in %2").arg(lib, install.libDir);
        }
    }
    if (install.version.isEmpty())
        install.problems << QStringLiteral("its version could not be read");

    // pip wheels switched to the C++11 ABI with torch 2.7 (manylinux_2_28);
    // older wheels and old zips without a TorchConfig used the pre-C++11 ABI.
    int defaultAbi = 1;
    if (install.kind == LibTorchInstall::Kind::PipTorch &&
        (install.versionMajor < 2 || (install.versionMajor == 2 && install.versionMinor < 7)))
        defaultAbi = 0;
    QStringList configs{join(root, QStringLiteral("share/cmake/Torch/TorchConfig.cmake"))};
    if (!install.libDir.isEmpty())
        configs << join(install.libDir, QStringLiteral("cmake/Torch/TorchConfig.cmake"));
    readTorchConfig(fs, install, configs, defaultAbi);

    finish(fs, install, include, QString(), context);
    return install;
}

QString rootFromTorchDir(FileStampRecorder &fs, const QString &torchDir)
{
    const QString dir = QDir::cleanPath(torchDir);
    if (dir.isEmpty())
        return QString();
    // …/share/cmake/Torch → three levels up; Debian's
    // /usr/lib/<multiarch>/cmake/Torch → four levels up (/usr).
    const QString up3 = join(dir, QStringLiteral("../../.."));
    const QString up4 = join(dir, QStringLiteral("../../../.."));
    if (fs.isDir(join(up3, QStringLiteral("include/torch"))))
        return up3;
    if (fs.isDir(join(up4, QStringLiteral("include/torch"))))
        return up4;
    return up3;
}

} // namespace torchlab::LibTorchProbe
