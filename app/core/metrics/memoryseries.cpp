#include "core/metrics/memoryseries.h"

#include <algorithm>

namespace torchlab {

MemorySeriesStore::MemorySeriesStore(qsizetype maxPointsPerCurve)
    : m_cap(std::max<qsizetype>(16, maxPointsPerCurve))
{
}

void MemorySeriesStore::append(Curve c, qint64 timeMs, qint64 bytes)
{
    if (bytes < 0)
        return;
    Series &s = m_curves[size_t(c)];
    if (!s.timeMs.empty() && timeMs < s.timeMs.back())
        s.sorted = false;
    if (s.size() >= m_cap)
        decimateOlderHalf(s.timeMs, s.bytes, s.decimation);
    s.timeMs.push_back(timeMs);
    s.bytes.push_back(double(bytes));
}

void MemorySeriesStore::add(const MemorySample &sample)
{
    if (sample.deviceIndex < 0) {
        append(Rss, sample.timeMs, sample.processUsed);
        return;
    }
    append(DeviceUsed, sample.timeMs, sample.deviceUsed);
    append(DeviceTotal, sample.timeMs, sample.deviceTotal);
    append(Process, sample.timeMs, sample.processUsed);
}

void MemorySeriesStore::addAllocator(qint64 timeMs, qint64 allocated, qint64 reserved, qint64 peak)
{
    append(Allocated, timeMs, allocated);
    append(Reserved, timeMs, reserved);
    append(Peak, timeMs, peak);
}

void MemorySeriesStore::addRss(qint64 timeMs, qint64 bytes)
{
    append(Rss, timeMs, bytes);
}

bool MemorySeriesStore::isEmpty() const
{
    return std::all_of(m_curves.cbegin(), m_curves.cend(),
                       [](const Series &s) { return s.timeMs.empty(); });
}

qint64 MemorySeriesStore::lastTimeMs() const
{
    qint64 last = 0;
    for (const Series &s : m_curves) {
        if (!s.timeMs.empty())
            last = std::max(last, s.sorted ? s.timeMs.back()
                                           : *std::max_element(s.timeMs.cbegin(), s.timeMs.cend()));
    }
    return last;
}

const char *MemorySeriesStore::curveKey(Curve c)
{
    switch (c) {
    case DeviceUsed:
        return "device used";
    case DeviceTotal:
        return "device total";
    case Process:
        return "process";
    case Allocated:
        return "allocated";
    case Reserved:
        return "reserved";
    case Peak:
        return "peak";
    case Rss:
        return "rss";
    case CurveCount:
        break;
    }
    return "";
}

void MemorySeriesStore::clear()
{
    for (Series &s : m_curves)
        s = Series();
}

} // namespace torchlab
