#include "core/gpu/nvmlsampler.h"

#include <unistd.h>

namespace torchlab {

NvmlSampler::NvmlSampler(std::shared_ptr<NvmlLibrary> library, int deviceIndex, QObject *parent)
    : MemorySampler(parent), m_library(std::move(library)), m_deviceIndex(deviceIndex)
{
    m_timer.setInterval(100);
    // A PreciseTimer keeps the 10 Hz plot evenly spaced; the default coarse
    // timer may drift by 5 %.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &NvmlSampler::sampleNow);
}

NvmlSampler::~NvmlSampler()
{
    stop();
}

void NvmlSampler::setIntervalMs(int ms)
{
    m_timer.setInterval(qMax(10, ms));
}

void NvmlSampler::start(qint64 pid, qint64 pgid)
{
    stop();
    m_pid = pid;
    m_pgid = pgid;
    if (!m_library) {
        QString error;
        m_library = NvmlLibrary::load(QString(), &error);
        if (!m_library) {
            fail(tr("GPU memory cannot be sampled: %1.").arg(error));
            return;
        }
    }
    const nvml::Return initCode = m_library->init();
    if (initCode != nvml::Success) {
        const QString plain = explainNvmlInitError(initCode);
        fail(tr("GPU memory cannot be sampled: %1.")
                 .arg(plain.isEmpty() ? m_library->errorString(initCode) : plain));
        return;
    }
    m_initialised = true;
    // No GPU is a state, not an error: say so plainly, once.
    unsigned int count = 0;
    const nvml::Return countCode = m_library->deviceCount(&count);
    if (countCode == nvml::Success && count == 0) {
        fail(tr("No NVIDIA GPU was found, so GPU memory is not sampled."));
        return;
    }
    if (countCode == nvml::Success && unsigned(m_deviceIndex) >= count) {
        fail(tr("GPU %1 does not exist (this machine has %n GPU(s)), so its memory is not sampled.",
                nullptr, int(count))
                 .arg(m_deviceIndex));
        return;
    }
    const nvml::Return handleCode = m_library->deviceHandle(unsigned(m_deviceIndex), &m_device);
    if (handleCode != nvml::Success) {
        fail(tr("GPU %1 cannot be sampled: %2.")
                 .arg(m_deviceIndex)
                 .arg(m_library->errorString(handleCode)));
        return;
    }
    m_clock.start();
    if (sampleNow())
        m_timer.start();
}

void NvmlSampler::stop()
{
    m_timer.stop();
    if (m_initialised) {
        m_library->shutdown();
        m_initialised = false;
    }
    m_device = nullptr;
}

void NvmlSampler::fail(const QString &reason)
{
    stop();
    Q_EMIT unavailable(reason);
}

bool NvmlSampler::belongsToRun(quint32 pid) const
{
    if (qint64(pid) == m_pid)
        return true;
    if (m_pgid <= 0)
        return false;
    // Processes the run forked (data loader workers, ranks) share its group.
    const pid_t group = ::getpgid(pid_t(pid));
    return group > 0 && qint64(group) == m_pgid;
}

bool NvmlSampler::sampleNow()
{
    if (!m_initialised || !m_device)
        return false;
    nvml::Memory memory{};
    const nvml::Return rc = m_library->memoryInfo(m_device, &memory);
    if (rc != nvml::Success) {
        fail(tr("GPU memory sampling stopped: %1.").arg(m_library->errorString(rc)));
        return false;
    }
    MemorySample sample;
    sample.timeMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    sample.deviceIndex = m_deviceIndex;
    sample.deviceUsed = qint64(memory.used);
    sample.deviceTotal = qint64(memory.total);

    QList<NvmlProcess> processes;
    if (m_library->computeProcesses(m_device, &processes) == nvml::Success) {
        qint64 used = 0;
        bool known = false;
        for (const NvmlProcess &process : std::as_const(processes)) {
            if (!belongsToRun(process.pid))
                continue;
            ++sample.processCount;
            if (process.usedMemory >= 0) {
                used += process.usedMemory;
                known = true;
            }
        }
        // A run that has not created its CUDA context yet holds nothing: 0, not unknown.
        sample.processUsed = (known || sample.processCount == 0) ? used : -1;
    }
    Q_EMIT sampled(sample);
    return true;
}

} // namespace torchlab
