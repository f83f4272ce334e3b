#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace torchlab {

// One reading of memory use while a run is going. Sizes in bytes; -1 means
// "this source does not know".
struct MemorySample
{
    qint64 timeMs = 0;      // since start()
    int deviceIndex = -1;   // GPU index; -1 for host-memory samplers
    qint64 deviceUsed = -1; // whole device, every process plus contexts (NVML "used")
    qint64 deviceTotal = -1;
    qint64 processUsed =
        -1; // what the run's own processes hold (GPU memory, or RSS for host samplers)
    int processCount = 0; // how many of the run's processes the source saw
};

// Samples memory for one run at a steady rate (about 10 Hz) between start()
// and stop(). Implementations: NvmlSampler (GPU), a /proc RSS sampler and a
// scripted one for tests. Lives in the thread that created it; sampled() is
// emitted from that thread's event loop.
class MemorySampler : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~MemorySampler() override = default;

    // Samples the run whose root process is `pid`; every process in process
    // group `pgid` counts as the run's (pgid <= 0: only `pid`). Restarts when
    // already running. Emits one sample right away when it can.
    virtual void start(qint64 pid, qint64 pgid) = 0;
    // Stops the timer; no sampled() after it returns. Safe to call twice.
    virtual void stop() = 0;
    virtual bool isActive() const = 0;
    // "NVML", "RSS", ... for labels and logs.
    virtual QString sourceName() const = 0;

Q_SIGNALS:
    void sampled(const torchlab::MemorySample &sample);
    // Once per start() when the source cannot sample (no library, no GPU, a
    // failing query); `reason` is a plain sentence. Sampling has stopped.
    void unavailable(const QString &reason);
};

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::MemorySample)
