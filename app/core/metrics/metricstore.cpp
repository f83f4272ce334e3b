#include "core/metrics/metricstore.h"

#include <cmath>

namespace torchlab {

int MetricStore::seriesId(const QString &name)
{
    if (m_lastId >= 0 && m_series[size_t(m_lastId)].name == name)
        return m_lastId;
    // A program reports a handful of names, interleaved (loss, accuracy, ...):
    // comparing a few short strings beats hashing one.
    if (m_series.size() <= 8) {
        for (size_t i = 0; i < m_series.size(); ++i) {
            if (m_series[i].name == name) {
                m_lastId = int(i);
                return m_lastId;
            }
        }
    } else if (auto it = m_ids.constFind(name); it != m_ids.constEnd()) {
        m_lastId = it.value();
        return m_lastId;
    }
    const int id = int(m_series.size());
    m_series.push_back(MetricSeries{name, {}, {}, -1});
    m_ids.insert(name, id);
    m_lastId = id;
    return id;
}

int MetricStore::findSeries(const QString &name) const
{
    return m_ids.value(name, -1);
}

void MetricStore::append(int id, qint64 step, double value)
{
    MetricSeries &s = m_series[size_t(id)];
    if (s.firstNonFiniteIndex < 0 && !std::isfinite(value))
        s.firstNonFiniteIndex = s.size();
    s.steps.push_back(step);
    s.values.push_back(value);
    ++m_samples;
}

bool MetricStore::add(const LabEvent &event)
{
    switch (event.type) {
    case LabEvent::Type::Metric:
        append(seriesId(event.name), event.step, event.value);
        return true;
    case LabEvent::Type::Memory:
        append(seriesId(memoryAllocatedSeries()), event.step, double(event.allocated));
        append(seriesId(memoryReservedSeries()), event.step, double(event.reserved));
        append(seriesId(memoryPeakSeries()), event.step, double(event.peak));
        return true;
    default:
        return false;
    }
}

const MetricSeries *MetricStore::series(const QString &name) const
{
    const int id = findSeries(name);
    return id < 0 ? nullptr : &m_series[size_t(id)];
}

QStringList MetricStore::names() const
{
    QStringList out;
    out.reserve(qsizetype(m_series.size()));
    for (const MetricSeries &s : m_series)
        out.append(s.name);
    return out;
}

void MetricStore::clear()
{
    m_series.clear();
    m_ids.clear();
    m_lastId = -1;
    m_samples = 0;
}

} // namespace torchlab
