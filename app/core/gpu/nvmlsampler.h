#pragma once

#include "core/gpu/memorysampler.h"
#include "core/gpu/nvml.h"

#include <QElapsedTimer>
#include <QTimer>

#include <memory>

namespace torchlab {

// GPU memory of one device through NVML: the device's used/total and the
// memory held by the run's processes (summed over the process group).
// NVML's numbers include CUDA contexts and the caching allocator's free
// blocks; lab.h's allocator events tell those apart.
//
// Each query takes well under a millisecond on a local driver, so sampling
// runs on the owner's thread; move the sampler to a worker thread if a GUI
// ever sees stalls. NVML reports host PIDs: inside a PID namespace
// (containers) the run's processes may not match and processUsed stays 0.
class NvmlSampler : public MemorySampler
{
    Q_OBJECT
public:
    // `library` null: loaded from NvmlLibrary::defaultPath() on start().
    explicit NvmlSampler(std::shared_ptr<NvmlLibrary> library = nullptr, int deviceIndex = 0,
                         QObject *parent = nullptr);
    ~NvmlSampler() override;

    void setIntervalMs(int ms); // default 100 (10 Hz)
    int intervalMs() const { return m_timer.interval(); }

    void start(qint64 pid, qint64 pgid) override;
    void stop() override;
    bool isActive() const override { return m_timer.isActive(); }
    QString sourceName() const override { return QStringLiteral("NVML"); }

    // One reading now, without the timer (also what each tick does).
    // Returns false and emits unavailable() when the device query fails.
    bool sampleNow();

private:
    bool belongsToRun(quint32 pid) const;
    void fail(const QString &reason);

    std::shared_ptr<NvmlLibrary> m_library;
    int m_deviceIndex = 0;
    nvml::Device m_device = nullptr;
    bool m_initialised = false;
    qint64 m_pid = 0;
    qint64 m_pgid = 0;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

} // namespace torchlab
