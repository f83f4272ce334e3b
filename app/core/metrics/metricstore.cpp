#include "core/metrics/metricstore.h"

#include <cmath>

namespace torchlab {

namespace {

// Distinct dropped names are counted exactly up to here (8 bytes each), then
// reported as "at least".
constexpr qsizetype kMaxDroppedNameTally = 100'000;

} // namespace

MetricStore::MetricStore() : MetricStore(Limits()) {}

MetricStore::MetricStore(Limits limits) : m_limits(limits)
{
    m_limits.maxSeries = std::max(1, m_limits.maxSeries);
    m_limits.maxPointsPerSeries = std::max<qsizetype>(16, m_limits.maxPointsPerSeries);
}

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
    if (int(m_series.size()) >= m_limits.maxSeries) {
        if (!m_droppedSaturated) {
            m_droppedNames.insert(qHash(name));
            m_droppedSaturated = m_droppedNames.size() >= kMaxDroppedNameTally;
        }
        return -1;
    }
    const int id = int(m_series.size());
    MetricSeries series;
    series.name = name;
    m_series.push_back(std::move(series));
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
    if (id < 0) {
        ++m_droppedSamples;
        return;
    }
    MetricSeries &s = m_series[size_t(id)];
    if (!s.hasNonFinite && !std::isfinite(value)) {
        s.hasNonFinite = true;
        s.firstNonFiniteStep = step;
        s.firstNonFiniteValue = value;
    }
    if (s.size() >= m_limits.maxPointsPerSeries)
        decimateOlderHalf(s.steps, s.values, s.decimation);
    s.steps.push_back(step);
    s.values.push_back(value);
    ++s.received;
    ++m_samples;
}

bool MetricStore::add(const LabEvent &event)
{
    if (event.type != LabEvent::Type::Metric)
        return false;
    append(seriesId(event.name), event.step, event.value);
    return true;
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

MetricStoreDrops MetricStore::drops() const
{
    MetricStoreDrops d;
    d.names = m_droppedNames.size();
    d.namesSaturated = m_droppedSaturated;
    d.samples = m_droppedSamples;
    for (const MetricSeries &s : m_series)
        d.decimated += s.decimation.mergedAway;
    return d;
}

void MetricStore::clear()
{
    m_series.clear();
    m_ids.clear();
    m_lastId = -1;
    m_samples = 0;
    m_droppedNames.clear();
    m_droppedNames.squeeze();
    m_droppedSaturated = false;
    m_droppedSamples = 0;
}

} // namespace torchlab
