#pragma once

#include "core/doctor/environmentreport.h"
#include "core/metrics/labevent.h"
#include "core/toolchain/toolchaintypes.h"

#include <optional>

namespace torchlab {

// What one finished run says about the CUDA set-up, beyond what the doctor
// can see before anything runs: the profile built the program for CUDA, but
// the program's hello line says torch::cuda::is_available() was false.
//
// `binaryPath` is the program that ran. Its ELF dynamic section tells the two
// causes apart:
//   "cuda-dropped-at-link"   libtorch_cuda.so is not among its DT_NEEDED
//                            libraries: an --as-needed link dropped it, so
//                            LibTorch never registered its CUDA backend;
//   "cuda-unavailable-at-run-time"  it is linked (or the binary cannot be
//                            read), so CUDA itself did not start: driver,
//                            CUDA_VISIBLE_DEVICES, a container without the GPU.
// `gpu`, when given, adds what NVML sees now. nullopt when there is nothing to
// say: a CPU profile, no hello line (not a lab.h program), or CUDA available.
// Pure apart from reading the binary; call it after RunJob::done.
std::optional<Verdict> cudaRunVerdict(const ToolchainProfile &profile, const LabEvent &hello,
                                      const QString &binaryPath = QString(),
                                      const GpuProbe *gpu = nullptr);

} // namespace torchlab
