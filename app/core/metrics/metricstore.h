#pragma once

#include "core/metrics/labevent.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <deque>
#include <vector>

namespace torchlab {

// Every sample of one named metric, in arrival order. Append-only.
struct MetricSeries
{
    QString name;
    std::vector<qint64> steps;
    std::vector<double> values;          // may hold NaN and +/-inf as reported
    qsizetype firstNonFiniteIndex = -1;  // index of the first NaN/inf sample, -1 if none

    qsizetype size() const { return qsizetype(values.size()); }
};

// Keeps every sample per metric name, as they arrive (plots throttle the redraw,
// never the samples). Names are interned: append by id on hot paths.
//
// Memory events are stored as three series in bytes, named by
// memoryAllocatedSeries() etc., next to the metrics the program reported.
//
// Not thread-safe. References returned by series() stay valid until clear().
class MetricStore
{
public:
    // The id of `name`'s series, creating an empty one on first use.
    int seriesId(const QString &name);
    // The id of an existing series, or -1.
    int findSeries(const QString &name) const;

    void append(int id, qint64 step, double value);
    // Metric and Memory events are stored; other events are ignored (returns false).
    bool add(const LabEvent &event);

    int seriesCount() const { return int(m_series.size()); }
    const MetricSeries &series(int id) const { return m_series[size_t(id)]; }
    const MetricSeries *series(const QString &name) const;
    QStringList names() const;     // in order of first appearance
    qint64 sampleCount() const { return m_samples; }
    void clear();

    static QString memoryAllocatedSeries() { return QStringLiteral("memory/allocated"); }
    static QString memoryReservedSeries() { return QStringLiteral("memory/reserved"); }
    static QString memoryPeakSeries() { return QStringLiteral("memory/peak"); }

private:
    std::deque<MetricSeries> m_series;   // deque: references survive new series
    QHash<QString, int> m_ids;
    int m_lastId = -1;                   // most events repeat the previous name
    qint64 m_samples = 0;
};

} // namespace torchlab
