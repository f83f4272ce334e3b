#pragma once

#include "core/metrics/decimation.h"
#include "core/metrics/labevent.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <deque>
#include <vector>

namespace torchlab {

// The samples kept of one named metric, in arrival order. Bounded: see
// MetricStore. Only appended to, except when older samples are decimated
// (decimation.compactions changes then).
struct MetricSeries
{
    QString name;
    std::vector<qint64> steps;
    std::vector<double> values; // may hold NaN and +/-inf as reported
    DecimationState decimation; // what was merged to stay within the cap
    qint64 received = 0;        // samples the program sent under this name
    // The first NaN/inf sample, kept apart so that decimation never hides it.
    bool hasNonFinite = false;
    qint64 firstNonFiniteStep = 0;
    double firstNonFiniteValue = 0;

    qsizetype size() const { return qsizetype(values.size()); }
};

// What a MetricStore could not keep, for the learner ("… metric names were
// not plotted").
struct MetricStoreDrops
{
    qint64 names = 0; // distinct names past the series cap (a lower bound once
                      // namesSaturated: the tally itself is bounded)
    bool namesSaturated = false;
    qint64 samples = 0;   // their samples
    qint64 decimated = 0; // samples merged away by min/max decimation (still shown as extremes)
    bool any() const { return names > 0 || decimated > 0; }
};

// The metrics a program reported, per name, as they arrive (plots throttle the
// redraw, never the storing). Names are interned: append by id on hot paths.
//
// Bounded whatever the program sends: at most maxSeries names (later names
// are counted and dropped) and at most maxPointsPerSeries samples per name
// (older stretches are min/max-decimated, decimation.h). With the defaults
// the store holds at most 64 x 32,768 samples (32 MiB).
//
// Memory events are not metrics: MemorySeriesStore keeps them.
//
// Not thread-safe. References returned by series() stay valid until clear().
class MetricStore
{
public:
    struct Limits
    {
        int maxSeries = 64;
        qsizetype maxPointsPerSeries = 32768; // >= 16
    };

    MetricStore();
    explicit MetricStore(Limits limits);

    // The id of `name`'s series, creating an empty one on first use; -1 when
    // the name is new and the store already holds maxSeries names.
    int seriesId(const QString &name);
    // The id of an existing series, or -1.
    int findSeries(const QString &name) const;

    // id from seriesId(); -1 counts a dropped sample.
    void append(int id, qint64 step, double value);
    // Metric events are stored (true); other events are ignored (false).
    bool add(const LabEvent &event);

    int seriesCount() const { return int(m_series.size()); }
    const MetricSeries &series(int id) const { return m_series[size_t(id)]; }
    const MetricSeries *series(const QString &name) const;
    QStringList names() const;                       // in order of first appearance
    qint64 sampleCount() const { return m_samples; } // samples received and kept or merged
    MetricStoreDrops drops() const;
    Limits limits() const { return m_limits; }
    void clear();

private:
    Limits m_limits;
    std::deque<MetricSeries> m_series; // deque: references survive new series
    QHash<QString, int> m_ids;
    int m_lastId = -1; // most events repeat the previous name
    qint64 m_samples = 0;
    QSet<size_t> m_droppedNames; // hashes of names past the cap, itself capped
    bool m_droppedSaturated = false;
    qint64 m_droppedSamples = 0;
};

} // namespace torchlab
