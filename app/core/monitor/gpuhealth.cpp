#include "core/monitor/gpuhealth.h"

#include <QCoreApplication>

namespace torchlab {

GpuHealthReader::GpuHealthReader(std::shared_ptr<NvmlLibrary> library)
    : m_library(std::move(library)), m_explicitLibrary(m_library != nullptr)
{
}

GpuHealthReader::~GpuHealthReader()
{
    std::lock_guard lock(m_mutex);
    close();
}

bool GpuHealthReader::open(QString *why)
{
    if (m_initialised)
        return true;
    if (!m_library) {
        QString error;
        m_library = NvmlLibrary::load(QString(), &error);
        if (!m_library) {
            if (why)
                *why = error;
            return false;
        }
    }
    const nvml::Return rc = m_library->init();
    if (rc != nvml::Success) {
        if (why)
            *why = explainNvmlInitError(rc);
        if (!m_explicitLibrary)
            m_library.reset(); // a driver installed later is found on the next read
        return false;
    }
    m_initialised = true;
    unsigned int count = 0;
    if (m_library->deviceCount(&count) != nvml::Success)
        count = 0;
    for (unsigned int i = 0; i < count; ++i) {
        nvml::Device device = nullptr;
        if (m_library->deviceHandle(i, &device) == nvml::Success)
            m_devices.append(device);
        else
            m_devices.append(nullptr);
    }
    // Xid events are collected by the driver into the set between reads;
    // boards or permissions that refuse them leave the count at 0.
    if (m_library->eventSetCreate(&m_events) == nvml::Success) {
        for (nvml::Device device : std::as_const(m_devices)) {
            if (device)
                m_library->registerEvents(device, nvml::EventTypeXidCriticalError, m_events);
        }
    } else {
        m_events = nullptr;
    }
    return true;
}

void GpuHealthReader::close()
{
    if (!m_initialised)
        return;
    if (m_events)
        m_library->eventSetFree(m_events);
    m_events = nullptr;
    m_devices.clear();
    m_library->shutdown();
    m_initialised = false;
}

void GpuHealthReader::drainEvents()
{
    if (!m_events)
        return;
    // Bounded: a driver in an error storm cannot keep a scrape here.
    for (int i = 0; i < 1024; ++i) {
        nvml::EventData data{};
        if (m_library->eventSetWait(m_events, &data, 0) != nvml::Success)
            return;
        if (!(data.eventType & nvml::EventTypeXidCriticalError))
            continue;
        const int index = int(m_devices.indexOf(data.device));
        const int key = index < 0 ? 0 : index;
        m_xidCount[key] += 1;
        m_lastXid[key] = qint64(data.eventData);
    }
}

QList<GpuHealth> GpuHealthReader::read(QString *why)
{
    std::lock_guard lock(m_mutex);
    QList<GpuHealth> result;
    if (!open(why))
        return result;
    drainEvents();
    for (int i = 0; i < m_devices.size(); ++i) {
        nvml::Device device = m_devices.at(i);
        if (!device)
            continue;
        GpuHealth health;
        health.index = i;
        m_library->deviceName(device, &health.name);
        nvml::Memory memory{};
        if (m_library->memoryInfo(device, &memory) == nvml::Success) {
            health.memoryUsed = qint64(memory.used);
            health.memoryTotal = qint64(memory.total);
        }
        nvml::Utilization rates{};
        if (m_library->utilization(device, &rates) == nvml::Success) {
            health.utilizationGpu = int(rates.gpu);
            health.utilizationMemory = int(rates.memory);
        }
        unsigned long long count = 0;
        if (m_library->eccErrors(device, nvml::EccError::Corrected, &count) == nvml::Success)
            health.eccCorrected = qint64(count);
        if (m_library->eccErrors(device, nvml::EccError::Uncorrected, &count) == nvml::Success)
            health.eccUncorrected = qint64(count);
        health.xidErrors = m_xidCount.value(i);
        health.lastXid = m_lastXid.value(i);
        result.append(health);
    }
    if (result.isEmpty() && why)
        *why = QCoreApplication::translate("torchlab::GpuHealthReader",
                                           "NVML sees no GPU on this computer");
    return result;
}

} // namespace torchlab
