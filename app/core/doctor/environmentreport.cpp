#include "core/doctor/environmentreport.h"

#include "core/toolchain/toolchainparsers.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <unistd.h>

namespace torchlab {

namespace {

// lupdate files a tr() call in a free function under the enclosing namespace;
// qualified calls through this class give lupdate and QCoreApplication::translate
// the same context, the one the run-time verdicts (runverdict.cpp) already use.
struct Doctor
{
    Q_DECLARE_TR_FUNCTIONS(Doctor)
};

using Severity = Verdict::Severity;

Verdict make(const QString &id, Severity severity, const QString &title, const QString &explanation,
             const QString &fix = QString())
{
    return Verdict{id, severity, title, explanation, fix};
}

bool driverPresent(const GpuProbe &gpu)
{
    return gpu.kernelModulePresent || gpu.deviceNodePresent ||
           gpu.state != GpuProbe::State::NoLibrary;
}

QString gpuFix(const GpuProbe &gpu)
{
    switch (gpu.state) {
    case GpuProbe::State::Ok:
        return QString();
    case GpuProbe::State::NoDevice:
        return Doctor::tr("If this machine has an NVIDIA GPU, check that `nvidia-smi` lists it; "
                          "in a container, pass the GPU in (docker run --gpus all).");
    case GpuProbe::State::InitFailed:
        switch (gpu.nvmlError) {
        case nvml::ErrorDriverNotLoaded:
            return Doctor::tr(
                "Load the driver (sudo modprobe nvidia) or reboot after installing it.");
        case nvml::ErrorLibRmVersionMismatch:
            return Doctor::tr(
                "Reboot, so that the kernel driver and its libraries are the same version.");
        case nvml::ErrorNoPermission:
            return Doctor::tr(
                "Give your user access to /dev/nvidia* (often: add it to the video group).");
        default:
            return Doctor::tr("Run `nvidia-smi` to see the driver's own error, then reinstall or "
                              "update the NVIDIA driver.");
        }
    case GpuProbe::State::NoLibrary:
        break;
    }
    if (gpu.kernelModulePresent || gpu.deviceNodePresent)
        return Doctor::tr("Install the NVIDIA driver's user-space libraries (the package providing "
                          "libnvidia-ml.so.1, e.g. libnvidia-ml1 or nvidia-utils), or start the "
                          "container with the NVIDIA container runtime.");
    return Doctor::tr(
        "Nothing to do on a machine without an NVIDIA GPU. If it has one, install the "
        "NVIDIA driver (Debian: apt install nvidia-driver; Ubuntu: ubuntu-drivers install).");
}

void gpuVerdicts(QList<Verdict> &out, const GpuProbe &gpu)
{
    if (gpu.hasGpu()) {
        out << make(QStringLiteral("gpu"), Severity::Ok, Doctor::tr("NVIDIA GPU found"),
                    gpu.summary());
        return;
    }
    // No driver at all is normal for a laptop: info. Driver pieces without a
    // working GPU mean the learner expects one: warning.
    const Severity severity = driverPresent(gpu) ? Severity::Warning : Severity::Info;
    out << make(
        QStringLiteral("no-gpu"), severity, Doctor::tr("No NVIDIA GPU"),
        Doctor::tr("No NVIDIA GPU was found: %1. Exercises run on the CPU; GPU-only parts of "
                   "lessons explain what would differ.")
            .arg(gpu.whyNoGpu()),
        gpuFix(gpu));
}

void libtorchVerdicts(QList<Verdict> &out, const DiscoveryResult &discovery)
{
    bool anyUsable = false;
    for (const LibTorchInstall &install : discovery.installs) {
        if (install.usable()) {
            anyUsable = true;
            for (const QString &note : install.notes)
                out << make(QStringLiteral("libtorch-note"), Severity::Info,
                            Doctor::tr("%1: limited").arg(install.displayName()), note);
            continue;
        }
        out << make(
            QStringLiteral("libtorch-broken"), Severity::Warning,
            Doctor::tr("LibTorch at %1 cannot be used").arg(install.root),
            Doctor::tr("It was found through %1, but %2.")
                .arg(install.source, install.problems.join(QStringLiteral("; "))),
            Doctor::tr("Reinstall it, or remove it (or the variable that points at it) so it "
                       "stops shadowing a working install."));
    }
    if (!anyUsable) {
        out << make(
            QStringLiteral("no-libtorch"), Severity::Error, Doctor::tr("No LibTorch"),
            Doctor::tr("No usable LibTorch (the PyTorch C++ library) was found, so exercises "
                       "cannot be compiled."),
            Doctor::tr("Install Debian's build (sudo apt install libtorch-dev), or unpack the "
                       "LibTorch zip from pytorch.org and set LIBTORCH to its folder."));
    }
}

void compilerVerdicts(QList<Verdict> &out, const DiscoveryResult &discovery)
{
    if (discovery.cxxCompilers().isEmpty()) {
        out << make(
            QStringLiteral("no-compiler"), Severity::Error, Doctor::tr("No C++ compiler"),
            Doctor::tr("Neither clang++ nor g++ was found, so exercises cannot be compiled."),
            Doctor::tr("Install one: sudo apt install clang lld (or g++)."));
    }
}

// A usable install that no compiler can build for: its libstdc++ ABI is not
// one the compilers can produce.
std::optional<Verdict> abiVerdict(const DiscoveryResult &discovery, const ProfileChoice &choice)
{
    if (choice.ok) {
        const ToolchainProfile &p = choice.profile;
        const QString expected =
            QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=%1").arg(p.libtorch.cxx11Abi);
        QString forced;
        for (const QString &flag : p.compileFlags) {
            if (flag.startsWith(QLatin1String("-D_GLIBCXX_USE_CXX11_ABI=")))
                forced = flag;
        }
        const bool flagMismatch = !forced.isEmpty() && forced != expected;
        if (flagMismatch || !p.compiler.canUseAbi(p.libtorch.cxx11Abi)) {
            const QString compilerAbi = flagMismatch ? forced.section(QLatin1Char('='), 1)
                                                     : QString::number(p.compiler.defaultCxx11Abi);
            return make(
                QStringLiteral("abi-mismatch"), Severity::Error, Doctor::tr("C++ ABI mismatch"),
                Doctor::tr("%1 was built with _GLIBCXX_USE_CXX11_ABI=%2, but exercises would be "
                           "compiled with ABI %3: linking fails with undefined references to "
                           "std::string functions.")
                    .arg(p.libtorch.displayName())
                    .arg(p.libtorch.cxx11Abi)
                    .arg(compilerAbi),
                Doctor::tr("Use a LibTorch built for ABI %1 (the \"cxx11 ABI\" zip, or pip torch "
                           "2.7 or newer), or a compiler that can build ABI %2.")
                    .arg(compilerAbi)
                    .arg(p.libtorch.cxx11Abi));
        }
        return std::nullopt;
    }
    const QList<CompilerInfo> compilers = discovery.cxxCompilers();
    if (compilers.isEmpty())
        return std::nullopt;
    for (const LibTorchInstall &install : discovery.installs) {
        if (!install.usable())
            continue;
        bool anyCompiler = false;
        for (const CompilerInfo &compiler : compilers)
            anyCompiler = anyCompiler || compiler.canUseAbi(install.cxx11Abi);
        if (!anyCompiler) {
            return make(
                QStringLiteral("abi-mismatch"), Severity::Error, Doctor::tr("C++ ABI mismatch"),
                Doctor::tr("%1 was built with _GLIBCXX_USE_CXX11_ABI=%2, and no compiler found "
                           "here can build that ABI (%3 builds only ABI %4).")
                    .arg(install.displayName())
                    .arg(install.cxx11Abi)
                    .arg(compilers.constFirst().displayName())
                    .arg(compilers.constFirst().defaultCxx11Abi),
                Doctor::tr("Use a LibTorch built for ABI %1, or install a g++/clang++ whose "
                           "libstdc++ supports both ABIs.")
                    .arg(compilers.constFirst().defaultCxx11Abi));
        }
    }
    return std::nullopt;
}

// Compares the driver's CUDA with the CUDA the relevant LibTorch was built for.
void driverVerdict(QList<Verdict> &out, const DiscoveryResult &discovery, const GpuProbe &gpu,
                   const ProfileChoice &choice)
{
    if (!gpu.hasGpu() || gpu.cudaDriverVersion.isEmpty())
        return;
    const LibTorchInstall *install = nullptr;
    if (choice.ok && choice.profile.libtorch.cuda)
        install = &choice.profile.libtorch;
    for (const LibTorchInstall &candidate : discovery.installs) {
        if (!install && candidate.usable() && candidate.cuda)
            install = &candidate;
    }
    if (!install || install->cudaVersion.isEmpty())
        return;
    if (ToolchainParsers::compareVersions(gpu.cudaDriverVersion, install->cudaVersion) >= 0)
        return;
    const int driverMajor = gpu.cudaDriverVersion.section(QLatin1Char('.'), 0, 0).toInt();
    const int buildMajor = install->cudaVersion.section(QLatin1Char('.'), 0, 0).toInt();
    const bool sameMajor = driverMajor == buildMajor;
    out << make(
        QStringLiteral("driver-too-old"), sameMajor ? Severity::Warning : Severity::Error,
        Doctor::tr("NVIDIA driver older than LibTorch's CUDA"),
        Doctor::tr("The driver %1 supports CUDA up to %2, but %3 was built with CUDA %4. %5")
            .arg(gpu.driverVersion, gpu.cudaDriverVersion, install->displayName(),
                 install->cudaVersion,
                 sameMajor ? Doctor::tr("Within one CUDA major version this usually works "
                                        "(minor-version compatibility), but some kernels may fail.")
                           : Doctor::tr("CUDA will fail to start, so runs fall back to the CPU.")),
        Doctor::tr("Update the NVIDIA driver to one that supports CUDA %1, or use a LibTorch "
                   "built for CUDA %2 or older.")
            .arg(install->cudaVersion, gpu.cudaDriverVersion));
}

void profileVerdicts(QList<Verdict> &out, const DiscoveryResult &discovery, const GpuProbe &gpu,
                     const ProfileRequest &request, const ProfileChoice &choice)
{
    if (const auto abi = abiVerdict(discovery, choice))
        out << *abi;
    if (!choice.ok) {
        // Missing pieces already have their own verdict; say it once.
        const bool covered = discovery.cxxCompilers().isEmpty() ||
                             std::none_of(discovery.installs.cbegin(), discovery.installs.cend(),
                                          [](const LibTorchInstall &i) { return i.usable(); }) ||
                             std::any_of(out.cbegin(), out.cend(), [](const Verdict &v) {
                                 return v.id == QLatin1String("abi-mismatch");
                             });
        if (!covered)
            out << make(QStringLiteral("no-profile"), Severity::Error,
                        Doctor::tr("Nothing to build with"), choice.error);
        return;
    }
    out << make(QStringLiteral("profile"), Severity::Ok, Doctor::tr("Build profile chosen"),
                choice.reason);
    for (const QString &warning : choice.warnings)
        out << make(QStringLiteral("profile-warning"), Severity::Warning,
                    Doctor::tr("Check the overrides"), warning);

    const LibTorchInstall &libtorch = choice.profile.libtorch;
    if (gpu.hasGpu() && !libtorch.cuda) {
        const bool asked = request.device == DevicePreference::Cpu;
        const QString cu =
            gpu.cudaDriverVersion.isEmpty()
                ? QStringLiteral("cu130")
                : QStringLiteral("cu") + QString(gpu.cudaDriverVersion).remove(QLatin1Char('.'));
        out << make(
            QStringLiteral("cpu-libtorch-with-gpu"), asked ? Severity::Info : Severity::Warning,
            Doctor::tr("CPU-only LibTorch on a GPU machine"),
            Doctor::tr("%1 is selected although %2 is present, so exercises run on the CPU.")
                .arg(libtorch.displayName(), gpu.devices.value(0).name),
            asked ? QString()
                  : Doctor::tr("Point LIBTORCH at a CUDA build (the %1 LibTorch zip from "
                               "pytorch.org), or pip install torch with CUDA (pip install torch "
                               "--index-url https://download.pytorch.org/whl/%1), then run the "
                               "doctor again.")
                        .arg(cu));
    }
}

void nvccVerdicts(QList<Verdict> &out, const DiscoveryResult &discovery,
                  const ProfileChoice &choice)
{
    const auto nvcc = discovery.nvcc();
    const QString torchCuda =
        choice.ok && choice.profile.libtorch.cuda ? choice.profile.libtorch.cudaVersion : QString();
    if (!nvcc) {
        out << make(
            QStringLiteral("nvcc-missing"), Severity::Info, Doctor::tr("No nvcc"),
            Doctor::tr("The CUDA compiler nvcc was not found. Only the custom CUDA kernel lesson "
                       "needs it."),
            Doctor::tr(
                "Install the CUDA toolkit%1 (it lands in /usr/local/cuda), or set CUDA_HOME.")
                .arg(torchCuda.isEmpty() ? QString() : QStringLiteral(" %1").arg(torchCuda)));
        return;
    }
    if (torchCuda.isEmpty())
        return;
    const QString nvccVersion = ToolchainParsers::majorMinor(nvcc->version);
    const bool older = ToolchainParsers::compareVersions(nvccVersion, torchCuda) < 0;
    const bool otherMajor = nvcc->versionMajor != torchCuda.section(QLatin1Char('.'), 0, 0).toInt();
    if (older || otherMajor) {
        out << make(
            QStringLiteral("nvcc-mismatch"), Severity::Warning,
            Doctor::tr("nvcc does not match LibTorch's CUDA"),
            Doctor::tr("nvcc %1 (%2) is %3 the CUDA %4 LibTorch was built with; the custom "
                       "kernel lesson may not compile or link.")
                .arg(nvcc->version, nvcc->path,
                     older ? Doctor::tr("older than")
                           : Doctor::tr("a different major version from"),
                     torchCuda),
            Doctor::tr("Install the CUDA toolkit %1 and point CUDA_HOME at it.").arg(torchCuda));
    }
}

void extrasVerdicts(QList<Verdict> &out, const GpuProbe &gpu, const ProfileChoice &choice)
{
    if (!choice.ok)
        return;
    const ToolchainProfile &p = choice.profile;
    if (!p.compiler.lld) {
        out << make(
            QStringLiteral("lld-missing"), Severity::Info, Doctor::tr("No lld linker"),
            Doctor::tr("ld.lld was not found, so exercises link with the default linker: about "
                       "0.8 s per run instead of 0.1 s."),
            Doctor::tr("Install it: sudo apt install lld."));
    }
    if (!p.libtorch.gloo) {
        const bool ncclInstead = p.useCuda && p.libtorch.nccl;
        const QString fix =
            p.libtorch.kind == LibTorchInstall::Kind::Debian
                ? Doctor::tr("Install the Gloo headers: sudo apt install libgloo-dev.")
                : Doctor::tr("Use a LibTorch whose include/ folder has the Gloo headers "
                             "(include/gloo next to include/torch).");
        out << make(
            QStringLiteral("gloo-missing"), ncclInstead ? Severity::Info : Severity::Warning,
            Doctor::tr("Gloo not usable"),
            ncclInstead
                ? Doctor::tr("c10d's Gloo backend is not usable; the multi-rank lesson uses "
                             "NCCL on the GPU instead.")
                : Doctor::tr("c10d's Gloo backend is not usable, so the multi-rank lesson "
                             "cannot run on the CPU."),
            fix);
    }
    Q_UNUSED(gpu);
}

} // namespace

QString Verdict::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Ok:
        return QStringLiteral("ok");
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return QString();
}

ProfileRequest mergeRequest(const ProfileRequest &arguments,
                            const QHash<QString, QString> &environment, QString *error)
{
    ProfileRequest merged = ProfileRequest::fromEnvironment(environment, error);
    if (!arguments.libtorch.isEmpty()) {
        merged.libtorch = arguments.libtorch;
        merged.libtorchOrigin = arguments.libtorchOrigin;
    }
    if (!arguments.compiler.isEmpty()) {
        merged.compiler = arguments.compiler;
        merged.compilerOrigin = arguments.compilerOrigin;
    }
    if (arguments.device != DevicePreference::Auto || !arguments.deviceOrigin.isEmpty()) {
        merged.device = arguments.device;
        merged.deviceOrigin = arguments.deviceOrigin;
    }
    return merged;
}

QList<Verdict> EnvironmentReport::evaluate(const DiscoveryResult &discovery, const GpuProbe &gpu,
                                           const ProfileRequest &request,
                                           const ProfileChoice &choice)
{
    QList<Verdict> out;
    gpuVerdicts(out, gpu);
    libtorchVerdicts(out, discovery);
    compilerVerdicts(out, discovery);
    profileVerdicts(out, discovery, gpu, request, choice);
    driverVerdict(out, discovery, gpu, choice);
    nvccVerdicts(out, discovery, choice);
    extrasVerdicts(out, gpu, choice);
    return out;
}

EnvironmentReport EnvironmentReport::fromParts(const DiscoveryResult &discovery,
                                               const GpuProbe &gpu, const ProfileRequest &request)
{
    EnvironmentReport report;
    report.discovery = discovery;
    report.gpu = gpu;
    report.request = request;
    report.choice = ProfileChooser::choose(discovery, gpu, request);
    report.verdicts = evaluate(discovery, gpu, request, report.choice);
    return report;
}

EnvironmentReport EnvironmentReport::gather(const EnvironmentOptions &options)
{
    DiscoveryOptions discoveryOptions = options.discovery;
    // Paths given on the command line must be looked at too.
    if (!options.request.libtorch.isEmpty() && options.request.libtorch.contains(QLatin1Char('/')))
        discoveryOptions.extraLibTorchRoots << options.request.libtorch;
    if (!options.request.compiler.isEmpty())
        discoveryOptions.extraCompilers << options.request.compiler;
    const DiscoveryResult discovery = ToolchainDiscovery::discover(discoveryOptions);
    const GpuProbe gpu = probeGpu(options.gpu);
    QString requestError;
    const ProfileRequest request =
        mergeRequest(options.request, discoveryOptions.environment, &requestError);
    EnvironmentReport report = fromParts(discovery, gpu, request);
    report.requestError = requestError;
    report.sandbox = SandboxReport::gather(sandboxModeFromEnvironment(options.sandbox));
    report.verdicts.append(report.sandbox.verdict());
    if (!requestError.isEmpty())
        report.verdicts.prepend(Verdict{QStringLiteral("bad-setting"), Verdict::Severity::Warning,
                                        Doctor::tr("Setting ignored"), requestError, QString()});
    return report;
}

SandboxReport SandboxReport::gather(SandboxMode mode)
{
    SandboxReport r;
    r.status = Sandbox::status();
    r.mode = mode;
    r.cgroupV2 = QFileInfo::exists(QStringLiteral("/sys/fs/cgroup/cgroup.controllers"));
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    r.userManager =
        !runtime.isEmpty() && QFileInfo::exists(runtime + QStringLiteral("/systemd/private"));
    r.root = ::getuid() == 0;
    return r;
}

QString SandboxReport::processLimit() const
{
    if (root)
        return Doctor::tr("the lab's watchdog stops a run with more than 1024 processes (the "
                          "kernel's per-user process limit does not hold for root)");
    return Doctor::tr("a per-user process limit (RLIMIT_NPROC) and the lab's watchdog (1024 "
                      "processes per run)");
}

Verdict SandboxReport::verdict() const
{
    if (mode == SandboxMode::Off)
        return make(QStringLiteral("sandbox-off"), Severity::Warning,
                    Doctor::tr("The sandbox is turned off"),
                    Doctor::tr("Lessons' and packs' programs run with all the rights of your "
                               "account: they can read your files and use the network."),
                    Doctor::tr("Choose \"Use the sandbox when possible\" in Settings (or unset "
                               "TORCHLAB_SANDBOX)."));
    if (status.available)
        return make(QStringLiteral("sandbox"), Severity::Ok,
                    Doctor::tr("Programs run in a sandbox"),
                    Doctor::tr("Lessons' and packs' programs run in a bubblewrap sandbox: your "
                               "files are read-only to them, your keys and sessions hidden, the "
                               "network cut off, and everything they start ends with the run."));
    if (mode == SandboxMode::Require)
        return make(QStringLiteral("sandbox-required"), Severity::Error,
                    Doctor::tr("The sandbox is required and cannot be made"),
                    Doctor::tr("Runs are refused: %1.").arg(status.reason),
                    Doctor::tr("Install bubblewrap (sudo apt install bubblewrap), run the lab "
                               "where user namespaces are allowed, or stop requiring the sandbox "
                               "in Settings."));
    return make(QStringLiteral("no-sandbox"), Severity::Warning, Doctor::tr("No sandbox"),
                Doctor::tr("Programs run without the sandbox, with the time, memory and file "
                           "limits only: %1.")
                    .arg(status.reason),
                Doctor::tr("Install bubblewrap (sudo apt install bubblewrap), or run the lab "
                           "where user namespaces are allowed."));
}

Verdict::Severity EnvironmentReport::worst() const
{
    Severity worst = Severity::Ok;
    for (const Verdict &v : verdicts)
        worst = qMax(worst, v.severity);
    return worst;
}

bool EnvironmentReport::hasVerdict(const QString &id) const
{
    return verdict(id).has_value();
}

std::optional<Verdict> EnvironmentReport::verdict(const QString &id) const
{
    for (const Verdict &v : verdicts) {
        if (v.id == id)
            return v;
    }
    return std::nullopt;
}

} // namespace torchlab
