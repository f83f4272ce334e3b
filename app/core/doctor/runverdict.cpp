#include "core/doctor/runverdict.h"

#include "core/toolchain/elfinfo.h"

#include <QCoreApplication>

namespace torchlab {

std::optional<Verdict> cudaRunVerdict(const ToolchainProfile &profile, const LabEvent &hello,
                                      const QString &binaryPath, const GpuProbe *gpu)
{
    if (!profile.useCuda || hello.type != LabEvent::Type::Hello || hello.cuda)
        return std::nullopt;

    const ElfInfo::Dynamic elf =
        binaryPath.isEmpty() ? ElfInfo::Dynamic() : ElfInfo::readDynamic(binaryPath);
    const QString library = QStringLiteral("libtorch_cuda.so");
    if (elf.ok && !elf.needs(library)) {
        return Verdict{
            QStringLiteral("cuda-dropped-at-link"), Verdict::Severity::Error,
            QCoreApplication::translate("Doctor", "libtorch_cuda was dropped at link time"),
            QCoreApplication::translate(
                "Doctor",
                "The program was built with %1, but LibTorch saw no GPU when it ran "
                "(torch::cuda::is_available() was false): the linker left libtorch_cuda.so out "
                "because the program calls nothing in it directly, so LibTorch never loaded "
                "its CUDA backend.")
                .arg(profile.libtorch.displayName()),
            QCoreApplication::translate(
                "Doctor",
                "Link it unconditionally: -Wl,--no-as-needed -ltorch_cuda -lc10_cuda "
                "-Wl,--as-needed before -ltorch, as TorchLab's own build profile does. Look "
                "for extra link flags or a hand-written build that links only -ltorch.")};
    }

    QString explanation =
        elf.ok
            ? QCoreApplication::translate(
                  "Doctor",
                  "The program was built with %1 and libtorch_cuda.so is linked, but CUDA did "
                  "not start "
                  "in it (torch::cuda::is_available() was false), so it ran on the CPU.")
                  .arg(profile.libtorch.displayName())
            : QCoreApplication::translate(
                  "Doctor", "The program was built with %1, but CUDA was not available when it ran "
                            "(torch::cuda::is_available() was false), so it ran on the CPU.")
                  .arg(profile.libtorch.displayName());
    if (gpu && !gpu->hasGpu())
        explanation += QLatin1Char(' ') + QCoreApplication::translate(
                                              "Doctor", "No NVIDIA GPU is visible now either: %1.")
                                              .arg(gpu->whyNoGpu());
    else if (gpu && !gpu->cudaDriverVersion.isEmpty() && !profile.libtorch.cudaVersion.isEmpty())
        explanation += QLatin1Char(' ') +
                       QCoreApplication::translate(
                           "Doctor", "The driver supports CUDA %1; this LibTorch needs CUDA %2.")
                           .arg(gpu->cudaDriverVersion, profile.libtorch.cudaVersion);
    QString fix = QCoreApplication::translate(
        "Doctor", "Run `torchlab-cli doctor`; check that `nvidia-smi` lists the GPU, that "
                  "CUDA_VISIBLE_DEVICES does not hide it, and, in a container, that it was started "
                  "with the GPU (docker run --gpus all).");
    if (!elf.ok)
        fix += QLatin1Char(' ') +
               QCoreApplication::translate(
                   "Doctor",
                   "If the program was linked by hand, make sure libtorch_cuda is linked with "
                   "-Wl,--no-as-needed -ltorch_cuda -Wl,--as-needed.");
    return Verdict{QStringLiteral("cuda-unavailable-at-run-time"), Verdict::Severity::Warning,
                   QCoreApplication::translate("Doctor", "CUDA was not available to the program"),
                   explanation, fix};
}

} // namespace torchlab
