#pragma once

#include "core/gpu/gpuprobe.h"

#include <QList>
#include <QString>

#include <memory>

namespace torchlab {

// The few NVML declarations TorchLab needs, written out here because nvml.h
// only ships with the CUDA toolkit. Layouts and values match nvml.h (API 12).
namespace nvml {
using Return = int;
struct DeviceOpaque;
using Device = DeviceOpaque *;
struct Memory
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
// nvmlProcessInfo_v2_t: what the _v2 and _v3 process queries fill.
struct ProcessInfo
{
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
};
struct Utilization
{
    unsigned int gpu;    // percent of the last sample period a kernel ran
    unsigned int memory; // percent of it device memory was read or written
};

struct EventSetOpaque;
using EventSet = EventSetOpaque *;

// nvmlEventData_t (the _v2 wait fills the instance ids too).
struct EventData
{
    Device device;
    unsigned long long eventType;
    unsigned long long eventData; // for Xid events: the Xid
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
};

constexpr unsigned long long EventTypeXidCriticalError = 0x8ull;

enum class EccError : int
{
    Corrected = 0,
    Uncorrected = 1,
};

enum : Return
{
    Success = 0,
    ErrorUninitialized = 1,
    ErrorInvalidArgument = 2,
    ErrorNotSupported = 3,
    ErrorNoPermission = 4,
    ErrorNotFound = 6,
    ErrorInsufficientSize = 7,
    ErrorDriverNotLoaded = 9,
    ErrorLibraryNotFound = 12,
    ErrorFunctionNotFound = 13,
    ErrorTimeout = 10,
    ErrorGpuIsLost = 15,
    ErrorLibRmVersionMismatch = 18,
    ErrorUnknown = 999,
};
constexpr unsigned long long ValueNotAvailable = ~0ull;
} // namespace nvml

// One process NVML sees on a device.
struct NvmlProcess
{
    quint32 pid = 0;
    qint64 usedMemory = -1; // bytes; -1 when NVML does not know (no permission, MIG, ...)
};

// libnvidia-ml.so.1, opened with dlopen (never linked, so TorchLab starts on
// machines without the NVIDIA driver). Functions return nvml::Return codes.
// NVML itself is thread-safe; one instance may be shared between threads.
class NvmlLibrary
{
public:
    // $TORCHLAB_NVML_LIBRARY when set, else "libnvidia-ml.so.1" (found by the loader).
    static QString defaultPath();

    // Opens `path` (empty: defaultPath()) and resolves the entry points.
    // nullptr with a plain `error` when the file cannot be loaded or lacks
    // nvmlInit_v2 / nvmlShutdown / the device queries.
    static std::shared_ptr<NvmlLibrary> load(const QString &path, QString *error,
                                             bool *notInstalled = nullptr);
    ~NvmlLibrary();
    NvmlLibrary(const NvmlLibrary &) = delete;
    NvmlLibrary &operator=(const NvmlLibrary &) = delete;

    QString path() const { return m_path; }

    nvml::Return init() const; // nvmlInit_v2; pair every Success with shutdown()
    nvml::Return shutdown() const;
    QString errorString(nvml::Return code) const; // nvmlErrorString, or "NVML error <n>"

    nvml::Return deviceCount(unsigned int *count) const;
    nvml::Return deviceHandle(unsigned int index, nvml::Device *device) const;
    nvml::Return deviceName(nvml::Device device, QString *name) const;
    nvml::Return memoryInfo(nvml::Device device, nvml::Memory *memory) const;
    nvml::Return driverVersion(QString *version) const;
    // The highest CUDA version the driver supports, as NVML encodes it (13000 = 13.0).
    nvml::Return cudaDriverVersion(int *version) const;
    nvml::Return computeProcesses(nvml::Device device, QList<NvmlProcess> *processes) const;
    // Health and load (optional entry points: ErrorFunctionNotFound when absent).
    nvml::Return utilization(nvml::Device device, nvml::Utilization *rates) const;
    // Volatile counts: errors since the driver was last loaded.
    nvml::Return eccErrors(nvml::Device device, nvml::EccError type,
                           unsigned long long *count) const;
    nvml::Return eventSetCreate(nvml::EventSet *set) const;
    nvml::Return registerEvents(nvml::Device device, unsigned long long types,
                                nvml::EventSet set) const;
    // ErrorTimeout when nothing arrived within `timeoutMs` (0: do not wait).
    nvml::Return eventSetWait(nvml::EventSet set, nvml::EventData *data,
                              unsigned int timeoutMs) const;
    nvml::Return eventSetFree(nvml::EventSet set) const;

    // Which entry point answers the query: the newest this library has.
    QString processQueryFunction() const; // "nvmlDeviceGetComputeRunningProcesses_v3" / "_v2" / ""
    QString cudaVersionFunction()
        const; // "nvmlSystemGetCudaDriverVersion_v2" / "nvmlSystemGetCudaDriverVersion" / ""

private:
    NvmlLibrary() = default;
    struct Api;
    void *m_handle = nullptr;
    QString m_path;
    std::unique_ptr<Api> m_api;
};

struct GpuProbeOptions
{
    QString libraryPath; // empty: NvmlLibrary::defaultPath()
    QString deviceNode = QStringLiteral("/dev/nvidia0");
    QString driverProcFile = QStringLiteral("/proc/driver/nvidia/version");
};

// Loads NVML, lists the devices, reads the driver and CUDA versions, shuts
// NVML down again. Takes a few milliseconds with a driver, microseconds without.
GpuProbe probeGpu(const GpuProbeOptions &options = GpuProbeOptions());

// "13000" → "13.0", "12040" → "12.4"; empty for values <= 0.
QString cudaVersionFromNvml(int version);

// A plain sentence for an nvmlInit failure code.
QString explainNvmlInitError(nvml::Return code);

} // namespace torchlab
