#include "core/toolchain/profilechooser.h"

#include "core/toolchain/toolchainparsers.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace torchlab {

namespace {

// Qualified calls through this class file the texts under torchlab::ProfileChooser
// for both lupdate and QCoreApplication::translate.
struct ChooserText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::ProfileChooser)
};

} // namespace

ProfileRequest ProfileRequest::fromEnvironment(const QHash<QString, QString> &environment,
                                               QString *error)
{
    ProfileRequest request;
    request.libtorch = environment.value(QStringLiteral("TORCHLAB_LIBTORCH"));
    if (!request.libtorch.isEmpty())
        request.libtorchOrigin = QStringLiteral("TORCHLAB_LIBTORCH");
    request.compiler = environment.value(QStringLiteral("TORCHLAB_COMPILER"));
    if (!request.compiler.isEmpty())
        request.compilerOrigin = QStringLiteral("TORCHLAB_COMPILER");
    const QString device = environment.value(QStringLiteral("TORCHLAB_DEVICE"));
    if (!device.isEmpty() && !request.setDevice(device, QStringLiteral("TORCHLAB_DEVICE")) && error)
        *error = ChooserText::tr("TORCHLAB_DEVICE must be cpu or cuda, not \"%1\".").arg(device);
    return request;
}

bool ProfileRequest::setDevice(const QString &text, const QString &origin)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("cpu"))
        device = DevicePreference::Cpu;
    else if (value == QLatin1String("cuda") || value == QLatin1String("gpu"))
        device = DevicePreference::Cuda;
    else if (value == QLatin1String("auto") || value.isEmpty())
        device = DevicePreference::Auto;
    else
        return false;
    deviceOrigin = value == QLatin1String("auto") ? QString() : origin;
    return true;
}

namespace ProfileChooser {

namespace {

QString originPhrase(const QString &origin, const QString &value)
{
    // "TORCHLAB_DEVICE=cpu" for variables, "--device cpu" for arguments.
    return origin.startsWith(QLatin1String("--")) ? origin + QLatin1Char(' ') + value
                                                  : origin + QLatin1Char('=') + value;
}

QString compilerShortName(const CompilerInfo &compiler)
{
    const QString name = compiler.kind == CompilerInfo::Kind::Clang ? QStringLiteral("clang++")
                                                                    : QStringLiteral("g++");
    return compiler.versionMajor > 0
               ? name + QLatin1Char(' ') + QString::number(compiler.versionMajor)
               : name;
}

// Whether the driver can run code built for the install's CUDA. Within one
// major version CUDA promises minor-version compatibility; across majors the
// driver must be at least as new. Unknown versions get the benefit of the doubt.
bool driverSupports(const GpuProbe &gpu, const LibTorchInstall &install)
{
    if (gpu.cudaDriverVersion.isEmpty() || install.cudaVersion.isEmpty())
        return true;
    const int driverMajor = gpu.cudaDriverVersion.section(QLatin1Char('.'), 0, 0).toInt();
    const int buildMajor = install.cudaVersion.section(QLatin1Char('.'), 0, 0).toInt();
    return driverMajor >= buildMajor;
}

QList<CompilerInfo> orderedCompilers(const DiscoveryResult &discovery)
{
    QList<CompilerInfo> compilers = discovery.cxxCompilers();
    std::stable_sort(
        compilers.begin(), compilers.end(), [](const CompilerInfo &a, const CompilerInfo &b) {
            return a.kind == CompilerInfo::Kind::Clang && b.kind != CompilerInfo::Kind::Clang;
        });
    return compilers;
}

} // namespace

QString sourceLabel(const LibTorchInstall &install)
{
    switch (install.kind) {
    case LibTorchInstall::Kind::Debian:
        return QStringLiteral("Debian");
    case LibTorchInstall::Kind::PipTorch:
        return QStringLiteral("pip torch");
    case LibTorchInstall::Kind::Zip:
    case LibTorchInstall::Kind::TorchDir:
        break;
    }
    return install.source.isEmpty() ? install.root : install.source;
}

ToolchainProfile makeProfile(const CompilerInfo &compiler, const LibTorchInstall &install,
                             bool useCuda)
{
    ToolchainProfile profile;
    profile.compiler = compiler;
    profile.libtorch = install;
    profile.useCuda = useCuda;
    profile.compileFlags << QStringLiteral("-std=c++%1").arg(qMax(17, install.cxxStandard));
    // Position-independent code: the same objects (and precompiled header)
    // link into an executable or into the shared object the warm runner loads.
    profile.compileFlags << QStringLiteral("-fPIC");
    profile.compileFlags << QStringLiteral("-I") + LabPaths::sdkIncludeDir();
    // -isystem: LibTorch's own headers warn under -Wall on newer compilers;
    // learners should see warnings about their code only.
    for (const QString &dir : install.includeDirs)
        profile.compileFlags << QStringLiteral("-isystem") << dir;
    for (const QString &define : install.defines)
        profile.compileFlags << QStringLiteral("-D") + define;
    if (compiler.lld)
        profile.linkFlags << QStringLiteral("-fuse-ld=lld");
    profile.linkFlags << install.libraries;
    return profile;
}

QStringList nvccArchFlags(const CompilerInfo &nvcc)
{
    QStringList flags;
    const bool knowsSm90 = nvcc.versionMajor > 11 ||
                           (nvcc.versionMajor == 11 && nvcc.versionMinor >= 8) ||
                           nvcc.versionMajor == 0;
    if (knowsSm90)
        flags << QStringLiteral("-gencode") << QStringLiteral("arch=compute_90,code=sm_90");
    flags << QStringLiteral("-gencode") << QStringLiteral("arch=compute_75,code=compute_75");
    return flags;
}

bool addNvcc(ToolchainProfile &profile, const CompilerInfo &nvcc, const QList<CompilerInfo> &hosts,
             QString *why)
{
    const int abi = profile.libtorch.cxx11Abi;
    const CompilerInfo *host = nullptr;
    if (ToolchainParsers::nvccAcceptsHost(nvcc, profile.compiler) &&
        profile.compiler.canUseAbi(abi)) {
        host = &profile.compiler;
    } else {
        for (const CompilerInfo &candidate : hosts) {
            if (ToolchainParsers::nvccAcceptsHost(nvcc, candidate) && candidate.canUseAbi(abi)) {
                host = &candidate;
                break;
            }
        }
    }
    if (!host) {
        if (why) {
            const ToolchainParsers::NvccHostLimits limits =
                ToolchainParsers::nvccHostLimits(nvcc.versionMajor, nvcc.versionMinor);
            *why = ChooserText::tr(
                       "nvcc %1 accepts g++ up to %2 and clang++ up to %3 as its host compiler, "
                       "and none of the compilers found is one of those.")
                       .arg(nvcc.version)
                       .arg(limits.maxGcc)
                       .arg(limits.maxClang);
        }
        return false;
    }

    profile.nvcc = nvcc;
    profile.nvccHost = host->path;
    profile.nvccFlags = QStringList{QStringLiteral("-ccbin"), host->path} + nvccArchFlags(nvcc);
    // Position-independent like the host compiler's own objects, which go
    // into a PIE executable.
    profile.nvccFlags << QStringLiteral("-Xcompiler") << QStringLiteral("-fPIC");

    // The kernels' host side calls the CUDA runtime. A CUDA LibTorch from pip
    // already links the wheel's libcudart, and one loaded copy is what we
    // want; otherwise link the toolkit's own, found next to nvcc.
    profile.cudaRuntimeLinkFlags.clear();
    const bool runtimeLinked = std::any_of(
        profile.libtorch.libraries.cbegin(), profile.libtorch.libraries.cend(),
        [](const QString &arg) { return arg.startsWith(QLatin1String("-l:libcudart")); });
    if (!runtimeLinked) {
        const QString toolkit = QFileInfo(nvcc.path).absolutePath() + QStringLiteral("/..");
        for (const QString &relative : {QStringLiteral("lib64"), QStringLiteral("lib"),
                                        QStringLiteral("targets/x86_64-linux/lib"),
                                        QStringLiteral("targets/sbsa-linux/lib")}) {
            const QString dir = QDir::cleanPath(toolkit + QLatin1Char('/') + relative);
            if (QFileInfo(dir + QStringLiteral("/libcudart.so")).exists()) {
                profile.cudaRuntimeLinkFlags << QStringLiteral("-L") + dir
                                             << QStringLiteral("-Wl,-rpath,") + dir;
                break;
            }
        }
        profile.cudaRuntimeLinkFlags << QStringLiteral("-lcudart");
    }
    return true;
}

ProfileChoice choose(const DiscoveryResult &discovery, const GpuProbe &gpu,
                     const ProfileRequest &request)
{
    ProfileChoice choice;
    QStringList why;

    // Compilers.
    QList<CompilerInfo> compilers;
    if (!request.compiler.isEmpty()) {
        const auto requested = discovery.compiler(request.compiler);
        if (!requested || requested->kind == CompilerInfo::Kind::Nvcc) {
            choice.error =
                ChooserText::tr("The compiler %1 (from %2) was not found or is not clang++ or g++. "
                                "Point it at a clang++ or g++ binary, or unset it.")
                    .arg(request.compiler, request.compilerOrigin);
            return choice;
        }
        compilers << *requested;
    } else {
        compilers = orderedCompilers(discovery);
    }
    if (compilers.isEmpty()) {
        choice.error = ChooserText::tr("No C++ compiler was found. Install clang++ or g++ "
                                       "(on Debian: apt install clang lld).");
        return choice;
    }

    // Installs.
    QList<LibTorchInstall> installs;
    if (!request.libtorch.isEmpty()) {
        const auto requested = discovery.install(request.libtorch);
        if (!requested) {
            choice.error =
                ChooserText::tr("%1 (from %2) is not a LibTorch install TorchLab found. "
                                "Give the folder that holds include/ and lib/, or unset it.")
                    .arg(request.libtorch, request.libtorchOrigin);
            return choice;
        }
        if (!requested->usable()) {
            choice.error = ChooserText::tr("The LibTorch at %1 (from %2) cannot be used: %3.")
                               .arg(requested->root, request.libtorchOrigin,
                                    requested->problems.join(QStringLiteral("; ")));
            return choice;
        }
        installs << *requested;
        why << ChooserText::tr("chosen by %1").arg(request.libtorchOrigin);
    } else {
        for (const LibTorchInstall &install : discovery.installs) {
            if (install.usable())
                installs << install;
        }
    }
    if (installs.isEmpty()) {
        QString detail;
        for (const LibTorchInstall &install : discovery.installs)
            detail += QLatin1Char(' ') +
                      ChooserText::tr("%1 cannot be used: %2.")
                          .arg(install.root, install.problems.join(QStringLiteral("; ")));
        //: %1: one sentence per LibTorch install found, each with a leading space, saying why
        //: it cannot be used; empty when none was found.
        choice.error =
            ChooserText::tr("No usable LibTorch was found.%1 Install it (on Debian: apt install "
                            "libtorch-dev) or set LIBTORCH to an unpacked LibTorch zip.")
                .arg(detail);
        return choice;
    }

    // Device.
    const bool gpuPresent = gpu.hasGpu();
    bool wantCuda = gpuPresent;
    if (request.device == DevicePreference::Cpu) {
        wantCuda = false;
        why << ChooserText::tr("%1 asks for the CPU")
                   .arg(originPhrase(request.deviceOrigin, QStringLiteral("cpu")));
    } else if (request.device == DevicePreference::Cuda) {
        wantCuda = true;
        if (!gpuPresent) {
            const QString warning =
                ChooserText::tr("%1 asks for the GPU, but no NVIDIA GPU was found (%2): "
                                "exercises will fail when they use CUDA.")
                    .arg(originPhrase(request.deviceOrigin, QStringLiteral("cuda")),
                         gpu.whyNoGpu());
            choice.warnings << warning;
            why << ChooserText::tr("%1 asks for the GPU")
                       .arg(originPhrase(request.deviceOrigin, QStringLiteral("cuda")));
        }
    }

    // Candidate order: for the GPU, CUDA builds the driver supports, then
    // (only when forced) the others; for the CPU, CPU builds first, CUDA
    // builds last (they run on the CPU too, just bigger).
    QList<LibTorchInstall> ordered;
    QList<LibTorchInstall> tooNew;
    if (wantCuda) {
        for (const LibTorchInstall &install : std::as_const(installs)) {
            if (install.cuda && driverSupports(gpu, install))
                ordered << install;
            else if (install.cuda)
                tooNew << install;
        }
        if (request.device == DevicePreference::Cuda || !request.libtorch.isEmpty())
            ordered << tooNew;
    }
    const bool cudaCandidates = !ordered.isEmpty();
    const auto listed = [&ordered](const LibTorchInstall &install) {
        return std::any_of(
            ordered.cbegin(), ordered.cend(),
            [&install](const LibTorchInstall &other) { return other.id() == install.id(); });
    };
    for (const LibTorchInstall &install : std::as_const(installs)) {
        if (!install.cuda && !listed(install))
            ordered << install;
    }
    for (const LibTorchInstall &install : std::as_const(installs)) {
        if (install.cuda && !listed(install))
            ordered << install;
    }

    // First install with an ABI-compatible compiler.
    const LibTorchInstall *chosenInstall = nullptr;
    const CompilerInfo *chosenCompiler = nullptr;
    for (const LibTorchInstall &install : std::as_const(ordered)) {
        for (const CompilerInfo &compiler : std::as_const(compilers)) {
            if (compiler.canUseAbi(install.cxx11Abi)) {
                chosenInstall = &install;
                chosenCompiler = &compiler;
                break;
            }
        }
        if (chosenInstall)
            break;
    }
    if (!chosenInstall) {
        const CompilerInfo &compiler = compilers.constFirst();
        choice.error =
            ChooserText::tr("No compiler can build for the C++ ABI LibTorch uses: %1 needs "
                            "_GLIBCXX_USE_CXX11_ABI=%2, but %3 only builds ABI %4. Use another "
                            "compiler or a LibTorch built for ABI %4.")
                .arg(ordered.constFirst().displayName())
                .arg(ordered.constFirst().cxx11Abi)
                .arg(compiler.displayName())
                .arg(compiler.defaultCxx11Abi);
        return choice;
    }

    // A CUDA build the driver is too old for still runs on the CPU; only an
    // explicit request sends it to the GPU anyway.
    const bool forced = request.device == DevicePreference::Cuda;
    const bool useCuda =
        chosenInstall->cuda && wantCuda && (forced || driverSupports(gpu, *chosenInstall));
    if (request.libtorch.isEmpty() && request.device != DevicePreference::Cpu) {
        if (useCuda && gpuPresent) {
            why << ChooserText::tr("found %1").arg(gpu.summary());
        } else if (gpuPresent && !cudaCandidates && !tooNew.isEmpty()) {
            why << ChooserText::tr(
                       "the NVIDIA driver supports CUDA %1 but the CUDA LibTorch needs CUDA %2")
                       .arg(gpu.cudaDriverVersion, tooNew.constFirst().cudaVersion);
        } else if (gpuPresent && !useCuda) {
            why << ChooserText::tr(
                "an NVIDIA GPU is present but no CUDA build of LibTorch was found");
        } else if (!gpuPresent && request.device != DevicePreference::Cuda) {
            why << ChooserText::tr("no NVIDIA GPU was found (%1)").arg(gpu.whyNoGpu());
        }
    }
    if (gpuPresent && useCuda == false && request.device == DevicePreference::Auto &&
        !request.libtorch.isEmpty() && !chosenInstall->cuda) {
        choice.warnings << ChooserText::tr(
                               "%1 selects a CPU-only LibTorch although an NVIDIA GPU is present.")
                               .arg(request.libtorchOrigin);
    }

    choice.profile = makeProfile(*chosenCompiler, *chosenInstall, useCuda);
    choice.ok = true;
    if (useCuda) {
        if (const auto nvcc = discovery.nvcc()) {
            QString why;
            if (!addNvcc(choice.profile, *nvcc, orderedCompilers(discovery), &why))
                //: %1: why nvcc cannot be used (a sentence).
                choice.warnings << ChooserText::tr(
                                       "%1 Lessons with CUDA kernels take their CPU path.")
                                       .arg(why);
        }
    }
    const QString build = useCuda ? QStringLiteral("CUDA") : QStringLiteral("CPU");
    //: "CPU LibTorch 2.4.0 (pip torch) with clang++ 16"
    choice.reason = ChooserText::tr("%1 LibTorch %2 (%3) with %4")
                        .arg(build, chosenInstall->version, sourceLabel(*chosenInstall),
                             compilerShortName(*chosenCompiler));
    if (chosenInstall->cuda && !useCuda)
        choice.reason = ChooserText::tr("CUDA LibTorch %1 (%2) on the CPU with %3")
                            .arg(chosenInstall->version, sourceLabel(*chosenInstall),
                                 compilerShortName(*chosenCompiler));
    if (!why.isEmpty()) {
        //: Separates the reasons a build profile was chosen.
        const QString reasons = why.join(ChooserText::tr("; "));
        //: The chosen build profile, then why: "CPU LibTorch 2.4.0 (pip torch) with clang++ 16:
        //: no NVIDIA GPU was found (...)"
        choice.reason = ChooserText::tr("%1: %2").arg(choice.reason, reasons);
    }
    return choice;
}

} // namespace ProfileChooser

} // namespace torchlab
