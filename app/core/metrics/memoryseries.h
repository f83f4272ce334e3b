#pragma once

#include "core/gpu/memorysampler.h"
#include "core/metrics/decimation.h"

#include <array>
#include <vector>

namespace torchlab {

// Memory during one run, by source, x = milliseconds since the program
// started, y = bytes: what the memory plot draws and what an export writes.
// NVML's device used/total and the run's processes, the caching allocator's
// allocated/reserved/peak (lab.h memory events), and the run's resident
// memory (RSS) on a machine without a GPU.
//
// Bounded like MetricStore: at most maxPointsPerCurve points per curve, older
// stretches min/max-decimated (decimation.h). At 10 Hz a curve reaches the
// default cap after about 55 minutes. Not thread-safe.
class MemorySeriesStore
{
public:
    enum Curve
    {
        DeviceUsed,
        DeviceTotal,
        Process,
        Allocated,
        Reserved,
        Peak,
        Rss,
        CurveCount
    };

    struct Series
    {
        std::vector<qint64> timeMs;
        std::vector<double> bytes;
        bool sorted = true; // times never went backwards
        DecimationState decimation;
        qsizetype size() const { return qsizetype(timeMs.size()); }
    };

    explicit MemorySeriesStore(qsizetype maxPointsPerCurve = 32768);

    // A sampler's reading: deviceIndex < 0 is a host sampler whose
    // processUsed is the run's RSS. Fields < 0 are not known and not stored.
    void add(const MemorySample &sample);
    // A lab.h memory event, stamped by the receiver.
    void addAllocator(qint64 timeMs, qint64 allocated, qint64 reserved, qint64 peak);
    void addRss(qint64 timeMs, qint64 bytes);

    const Series &curve(Curve c) const { return m_curves[size_t(c)]; }
    bool isEmpty() const;
    qint64 lastTimeMs() const; // the latest time of any curve; 0 when empty
    // "device used", "device total", "process", "allocated", "reserved", "peak", "rss".
    static const char *curveKey(Curve c);
    void clear();

private:
    void append(Curve c, qint64 timeMs, qint64 bytes);

    qsizetype m_cap;
    std::array<Series, CurveCount> m_curves;
};

} // namespace torchlab
