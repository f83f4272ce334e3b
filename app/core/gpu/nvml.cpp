#include "core/gpu/nvml.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <dlfcn.h>

namespace torchlab {

using namespace nvml;

struct NvmlLibrary::Api
{
    Return (*init)() = nullptr;
    Return (*shutdown)() = nullptr;
    const char *(*errorString)(Return) = nullptr;
    Return (*deviceCount)(unsigned int *) = nullptr;
    Return (*handleByIndex)(unsigned int, Device *) = nullptr;
    Return (*deviceName)(Device, char *, unsigned int) = nullptr;
    Return (*memoryInfo)(Device, Memory *) = nullptr;
    Return (*driverVersion)(char *, unsigned int) = nullptr;
    Return (*cudaDriverVersion)(int *) = nullptr;
    Return (*processes)(Device, unsigned int *, ProcessInfo *) = nullptr;
    Return (*utilization)(Device, Utilization *) = nullptr;
    Return (*eccErrors)(Device, int, int, unsigned long long *) = nullptr;
    Return (*eventSetCreate)(EventSet *) = nullptr;
    Return (*registerEvents)(Device, unsigned long long, EventSet) = nullptr;
    Return (*eventSetWait)(EventSet, EventData *, unsigned int) = nullptr;
    Return (*eventSetFree)(EventSet) = nullptr;
    QString processFunction;
    QString cudaFunction;
};

namespace {

template <typename F>
bool resolve(void *handle, F &target, std::initializer_list<const char *> names,
             QString *found = nullptr)
{
    // Newest name first: NVML keeps old versions for old callers, and only
    // the newest knows about current structure layouts.
    for (const char *name : names) {
        if (void *symbol = ::dlsym(handle, name)) {
            target = reinterpret_cast<F>(symbol);
            if (found)
                *found = QString::fromLatin1(name);
            return true;
        }
    }
    return false;
}

} // namespace

QString NvmlLibrary::defaultPath()
{
    const QString fromEnv = qEnvironmentVariable("TORCHLAB_NVML_LIBRARY");
    return fromEnv.isEmpty() ? QStringLiteral("libnvidia-ml.so.1") : fromEnv;
}

std::shared_ptr<NvmlLibrary> NvmlLibrary::load(const QString &pathIn, QString *error,
                                               bool *notInstalled)
{
    const QString path = pathIn.isEmpty() ? defaultPath() : pathIn;
    if (notInstalled)
        *notInstalled = false;
    void *handle = ::dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const QString loaderError = QString::fromLocal8Bit(::dlerror());
        // A plain "not there" (the usual case on machines without the
        // driver) versus a file that exists but does not load.
        const bool missing = loaderError.contains(QLatin1String("No such file")) ||
                             (path.contains(QLatin1Char('/')) && !QFileInfo::exists(path));
        if (notInstalled)
            *notInstalled = missing;
        if (error) {
            // Shown to the learner inside the doctor's "no GPU" sentence.
            *error = missing ? QCoreApplication::translate("torchlab::Nvml", "%1 is not installed")
                                   .arg(QFileInfo(path).fileName())
                             : QCoreApplication::translate("torchlab::Nvml",
                                                           "%1 could not be loaded (%2)")
                                   .arg(path, loaderError);
        }
        return nullptr;
    }

    std::shared_ptr<NvmlLibrary> library(new NvmlLibrary);
    library->m_handle = handle;
    library->m_path = path;
    library->m_api = std::make_unique<Api>();
    Api &api = *library->m_api;
    QStringList missing;
    if (!resolve(handle, api.init, {"nvmlInit_v2"}))
        missing << QStringLiteral("nvmlInit_v2");
    if (!resolve(handle, api.shutdown, {"nvmlShutdown"}))
        missing << QStringLiteral("nvmlShutdown");
    if (!resolve(handle, api.deviceCount, {"nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"}))
        missing << QStringLiteral("nvmlDeviceGetCount_v2");
    if (!resolve(handle, api.handleByIndex,
                 {"nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"}))
        missing << QStringLiteral("nvmlDeviceGetHandleByIndex_v2");
    if (!resolve(handle, api.memoryInfo, {"nvmlDeviceGetMemoryInfo"}))
        missing << QStringLiteral("nvmlDeviceGetMemoryInfo");
    if (!missing.isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("torchlab::Nvml",
                                                 "%1 is too old or not NVIDIA's (it lacks %2)")
                         .arg(path, missing.join(QStringLiteral(", ")));
        return nullptr; // the destructor closes the handle
    }
    // Optional: the probe and the sampler work without them.
    resolve(handle, api.errorString, {"nvmlErrorString"});
    resolve(handle, api.deviceName, {"nvmlDeviceGetName"});
    resolve(handle, api.driverVersion, {"nvmlSystemGetDriverVersion"});
    resolve(handle, api.cudaDriverVersion,
            {"nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion"},
            &api.cudaFunction);
    resolve(handle, api.processes,
            {"nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2"},
            &api.processFunction);
    resolve(handle, api.utilization, {"nvmlDeviceGetUtilizationRates"});
    resolve(handle, api.eccErrors, {"nvmlDeviceGetTotalEccErrors"});
    resolve(handle, api.eventSetCreate, {"nvmlEventSetCreate"});
    resolve(handle, api.registerEvents, {"nvmlDeviceRegisterEvents"});
    resolve(handle, api.eventSetWait, {"nvmlEventSetWait_v2"});
    resolve(handle, api.eventSetFree, {"nvmlEventSetFree"});
    return library;
}

NvmlLibrary::~NvmlLibrary()
{
    if (m_handle)
        ::dlclose(m_handle);
}

Return NvmlLibrary::init() const
{
    return m_api->init();
}
Return NvmlLibrary::shutdown() const
{
    return m_api->shutdown();
}

QString NvmlLibrary::errorString(Return code) const
{
    if (m_api->errorString) {
        if (const char *text = m_api->errorString(code))
            return QString::fromLocal8Bit(text);
    }
    return QCoreApplication::translate("torchlab::Nvml", "NVML error %1").arg(code);
}

Return NvmlLibrary::deviceCount(unsigned int *count) const
{
    return m_api->deviceCount(count);
}

Return NvmlLibrary::deviceHandle(unsigned int index, Device *device) const
{
    return m_api->handleByIndex(index, device);
}

Return NvmlLibrary::deviceName(Device device, QString *name) const
{
    if (!m_api->deviceName)
        return ErrorFunctionNotFound;
    char buffer[96] = {}; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
    const Return rc = m_api->deviceName(device, buffer, sizeof buffer - 1);
    if (rc == Success)
        *name = QString::fromUtf8(buffer);
    return rc;
}

Return NvmlLibrary::memoryInfo(Device device, Memory *memory) const
{
    return m_api->memoryInfo(device, memory);
}

Return NvmlLibrary::driverVersion(QString *version) const
{
    if (!m_api->driverVersion)
        return ErrorFunctionNotFound;
    char buffer[96] = {}; // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE is 80
    const Return rc = m_api->driverVersion(buffer, sizeof buffer - 1);
    if (rc == Success)
        *version = QString::fromUtf8(buffer);
    return rc;
}

Return NvmlLibrary::cudaDriverVersion(int *version) const
{
    if (!m_api->cudaDriverVersion)
        return ErrorFunctionNotFound;
    return m_api->cudaDriverVersion(version);
}

Return NvmlLibrary::utilization(Device device, Utilization *rates) const
{
    return m_api->utilization ? m_api->utilization(device, rates) : ErrorFunctionNotFound;
}

Return NvmlLibrary::eccErrors(Device device, EccError type, unsigned long long *count) const
{
    constexpr int VolatileEcc = 0; // NVML_VOLATILE_ECC
    return m_api->eccErrors ? m_api->eccErrors(device, int(type), VolatileEcc, count)
                            : ErrorFunctionNotFound;
}

Return NvmlLibrary::eventSetCreate(EventSet *set) const
{
    return m_api->eventSetCreate ? m_api->eventSetCreate(set) : ErrorFunctionNotFound;
}

Return NvmlLibrary::registerEvents(Device device, unsigned long long types, EventSet set) const
{
    return m_api->registerEvents ? m_api->registerEvents(device, types, set)
                                 : ErrorFunctionNotFound;
}

Return NvmlLibrary::eventSetWait(EventSet set, EventData *data, unsigned int timeoutMs) const
{
    return m_api->eventSetWait ? m_api->eventSetWait(set, data, timeoutMs) : ErrorFunctionNotFound;
}

Return NvmlLibrary::eventSetFree(EventSet set) const
{
    return m_api->eventSetFree ? m_api->eventSetFree(set) : ErrorFunctionNotFound;
}

Return NvmlLibrary::computeProcesses(Device device, QList<NvmlProcess> *processes) const
{
    processes->clear();
    if (!m_api->processes)
        return ErrorFunctionNotFound;
    // The count can grow between the two calls; retry a few times.
    unsigned int capacity = 64;
    for (int attempt = 0; attempt < 4; ++attempt) {
        std::vector<ProcessInfo> infos(capacity);
        unsigned int count = capacity;
        const Return rc = m_api->processes(device, &count, infos.data());
        if (rc == ErrorInsufficientSize) {
            capacity = qMax(count, capacity) + 16;
            continue;
        }
        if (rc != Success)
            return rc;
        for (unsigned int i = 0; i < count && i < capacity; ++i) {
            NvmlProcess process;
            process.pid = infos[i].pid;
            process.usedMemory =
                infos[i].usedGpuMemory == ValueNotAvailable ? -1 : qint64(infos[i].usedGpuMemory);
            processes->append(process);
        }
        return Success;
    }
    return ErrorInsufficientSize;
}

QString NvmlLibrary::processQueryFunction() const
{
    return m_api->processFunction;
}
QString NvmlLibrary::cudaVersionFunction() const
{
    return m_api->cudaFunction;
}

QString cudaVersionFromNvml(int version)
{
    if (version <= 0)
        return QString();
    return QStringLiteral("%1.%2").arg(version / 1000).arg((version % 1000) / 10);
}

QString explainNvmlInitError(Return code)
{
    switch (code) {
    case ErrorDriverNotLoaded:
        return QCoreApplication::translate("torchlab::Nvml",
                                           "the NVIDIA kernel driver is not loaded");
    case ErrorLibRmVersionMismatch:
        return QCoreApplication::translate(
            "torchlab::Nvml",
            "the NVIDIA library and the loaded kernel driver are different versions; "
            "reboot after a driver update");
    case ErrorNoPermission:
        return QCoreApplication::translate(
            "torchlab::Nvml", "this user may not open the NVIDIA devices (/dev/nvidia*)");
    case ErrorLibraryNotFound:
        return QCoreApplication::translate("torchlab::Nvml",
                                           "a library the NVIDIA driver needs is missing");
    case ErrorGpuIsLost:
        return QCoreApplication::translate(
            "torchlab::Nvml", "the GPU stopped responding; a reboot is usually needed");
    default:
        return QString();
    }
}

GpuProbe probeGpu(const GpuProbeOptions &options)
{
    GpuProbe probe;
    probe.deviceNodePresent =
        !options.deviceNode.isEmpty() && QFileInfo::exists(options.deviceNode);
    if (!options.driverProcFile.isEmpty()) {
        QFile proc(options.driverProcFile);
        if (proc.open(QIODevice::ReadOnly)) {
            probe.kernelModulePresent = true;
            probe.driverVersion =
                driverVersionFromProcText(QString::fromLocal8Bit(proc.read(4096)));
        }
    }

    probe.libraryPath =
        options.libraryPath.isEmpty() ? NvmlLibrary::defaultPath() : options.libraryPath;
    QString error;
    const auto library = NvmlLibrary::load(probe.libraryPath, &error);
    if (!library) {
        probe.state = GpuProbe::State::NoLibrary;
        probe.reason = error;
        return probe;
    }

    const Return initCode = library->init();
    if (initCode != Success) {
        probe.state = GpuProbe::State::InitFailed;
        probe.nvmlError = initCode;
        const QString plain = explainNvmlInitError(initCode);
        const QString nvmlWords = library->errorString(initCode);
        probe.reason = plain.isEmpty()
                           ? nvmlWords
                           : QCoreApplication::translate("torchlab::Nvml", "%1; NVML said \"%2\"")
                                 .arg(plain, nvmlWords);
        return probe;
    }

    QString driver;
    if (library->driverVersion(&driver) == Success && !driver.isEmpty())
        probe.driverVersion = driver;
    int cuda = 0;
    if (library->cudaDriverVersion(&cuda) == Success)
        probe.cudaDriverVersion = cudaVersionFromNvml(cuda);

    unsigned int count = 0;
    const Return countCode = library->deviceCount(&count);
    for (unsigned int i = 0; countCode == Success && i < count; ++i) {
        Device handle = nullptr;
        if (library->deviceHandle(i, &handle) != Success)
            continue;
        GpuDevice device;
        device.index = int(i);
        if (library->deviceName(handle, &device.name) != Success)
            device.name = QStringLiteral("NVIDIA GPU %1").arg(i);
        Memory memory{};
        if (library->memoryInfo(handle, &memory) == Success) {
            device.memoryTotal = memory.total;
            device.memoryUsed = memory.used;
        }
        probe.devices.append(device);
    }
    library->shutdown();
    probe.state = probe.devices.isEmpty() ? GpuProbe::State::NoDevice : GpuProbe::State::Ok;
    if (countCode != Success)
        probe.reason = library->errorString(countCode);
    return probe;
}

} // namespace torchlab
