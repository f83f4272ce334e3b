#pragma once

#include <QList>
#include <QString>

namespace torchlab {

struct GpuDevice
{
    int index = 0;
    QString name;            // "NVIDIA H100 80GB HBM3"
    quint64 memoryTotal = 0; // bytes
    quint64 memoryUsed = 0;  // bytes, as NVML reports it (contexts and caches included)
};

// What the NVIDIA Management Library said about this machine, plus the two
// driver files that explain a missing or broken NVML. A plain value.
struct GpuProbe
{
    enum class State
    {
        NoLibrary,  // libnvidia-ml.so.1 could not be loaded (or lacks required functions)
        InitFailed, // nvmlInit_v2 failed; `reason` says why
        NoDevice,   // NVML works but reports no GPU
        Ok,         // at least one device
    };

    State state = State::NoLibrary;
    QString reason;      // NoLibrary / InitFailed: the loader's or NVML's words, made plain
    int nvmlError = 0;   // InitFailed: the nvmlReturn_t code
    QString libraryPath; // what was loaded or tried ("libnvidia-ml.so.1" or an override)
    QList<GpuDevice> devices;
    QString driverVersion;          // "580.159.04" (NVML, else /proc/driver/nvidia/version)
    QString cudaDriverVersion;      // highest CUDA the driver supports, "13.0"; empty when unknown
    bool deviceNodePresent = false; // /dev/nvidia0 exists
    bool kernelModulePresent = false; // /proc/driver/nvidia/version exists

    bool hasGpu() const { return state == State::Ok && !devices.isEmpty(); }

    // One plain sentence for learners. With a GPU: "NVIDIA H100 80GB HBM3
    // (80 GiB, driver 580.159.04, CUDA 13.0)". Without: why not, e.g.
    // "libnvidia-ml.so.1 is not installed and there is no NVIDIA kernel driver".
    QString summary() const;
    // Only the "why" part for the no-GPU case, no trailing full stop; empty with a GPU.
    QString whyNoGpu() const;

    static QString stateName(State state); // "no-library", "init-failed", "no-device", "ok"
};

// "80 GiB", "512 MiB" — for GPU memory sizes in sentences.
QString formatBytes(quint64 bytes);

// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.159.04  ..." → "580.159.04".
QString driverVersionFromProcText(const QString &text);

} // namespace torchlab
