#pragma once

#include "core/gpu/nvml.h"

#include <QList>
#include <QMap>
#include <QString>

#include <memory>
#include <mutex>

namespace torchlab {

// One GPU's load and health as NVML reports it. -1: NVML does not say
// (an entry point missing, or "not supported" on this board).
struct GpuHealth
{
    int index = 0;
    QString name;
    qint64 memoryUsed = -1; // bytes, every process and context on the device
    qint64 memoryTotal = -1;
    int utilizationGpu = -1;    // percent
    int utilizationMemory = -1; // percent
    qint64 xidErrors = 0;       // Xid events seen since the reader started
    qint64 lastXid = 0;         // the last event's Xid (0: none yet)
    qint64 eccCorrected = -1;   // since the driver was loaded
    qint64 eccUncorrected = -1;
};

// Reads every GPU's memory, utilisation, ECC counts and pending Xid events
// through NVML (loaded at run time). NVML stays initialised while the reader
// lives, so that its Xid event set keeps collecting between reads. Thread-safe:
// a scrape thread and the GUI thread may share one reader.
class GpuHealthReader
{
public:
    // `library` null: NvmlLibrary::defaultPath() is loaded on the first read.
    explicit GpuHealthReader(std::shared_ptr<NvmlLibrary> library = nullptr);
    ~GpuHealthReader();
    GpuHealthReader(const GpuHealthReader &) = delete;
    GpuHealthReader &operator=(const GpuHealthReader &) = delete;

    // Every device now. Empty, with a plain `why`, when NVML cannot be used
    // (no driver, no GPU); a later read tries again after a failed one.
    QList<GpuHealth> read(QString *why = nullptr);

private:
    bool open(QString *why);
    void close();
    void drainEvents();

    std::mutex m_mutex;
    std::shared_ptr<NvmlLibrary> m_library;
    bool m_explicitLibrary = false;
    bool m_initialised = false;
    QList<nvml::Device> m_devices;
    nvml::EventSet m_events = nullptr;
    QMap<int, qint64> m_xidCount;
    QMap<int, qint64> m_lastXid;
};

} // namespace torchlab
