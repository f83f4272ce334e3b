#pragma once

#include "core/metrics/metricstore.h"
#include "core/metrics/seriesmath.h"

#include <QtGlobal>

#include <span>
#include <vector>

namespace torchlab {

// ema() kept up to date over an append-only series: update() processes only
// the values added since the previous call, so a plot that redraws 25 times a
// second while samples stream in pays for each sample once. The result is
// bit-for-bit what ema(values, smoothing) returns (same arithmetic, same
// order). It starts over when the smoothing weight changes (compared after the
// clamp ema() applies) or when the series got shorter than what was seen (the
// store was cleared); call clear() when a series was replaced by another one
// of at least the same length.
class EmaCache
{
public:
    // Returns ema(values, smoothing); values[0, size()) must be the values
    // seen by the previous call.
    const std::vector<double> &update(std::span<const double> values, double smoothing);
    const std::vector<double> &values() const { return m_out; }
    qsizetype size() const { return qsizetype(m_out.size()); }
    // How many values the last update() had to process (tests, bench).
    qsizetype lastProcessed() const { return m_lastProcessed; }
    void clear();

private:
    std::vector<double> m_out;
    double m_weight = -1; // clamped weight of m_out; -1: nothing computed yet
    double m_last = 0;
    double m_debias = 1;
    qsizetype m_lastProcessed = 0;
};

// Indices [begin, end) of a series.
struct IndexSpan
{
    qsizetype begin = 0;
    qsizetype end = 0;
    qsizetype size() const { return end - begin; }
    bool isEmpty() const { return end <= begin; }
    friend bool operator==(const IndexSpan &, const IndexSpan &) = default;
};

// A point of a reduced trend line: `step` is a mean, so not always whole.
struct MeanPoint
{
    double step = 0;
    double value = 0;
    friend bool operator==(const MeanPoint &, const MeanPoint &) = default;
};

// Mean bucket downsampling, for lines that show a trend (the EMA): splits the
// samples into `buckets` runs of consecutive indices (the edges
// downsampleMinMax() uses) and returns, per run, the mean step and the mean
// value of its finite samples, so that a straight stretch stays straight
// whatever the run lengths. Returns at most `buckets` points, in input order;
// with no more samples than buckets, returns the finite samples unchanged.
// Why not min/max here: min/max keeps the jitter inside one pixel column, and
// a wide pen over such a zigzag costs QPainter 50x more than over a line
// (measured: 250 ms against 5 ms for one curve at 1200x700), while the jitter
// is what the raw curve already shows.
std::vector<MeanPoint> downsampleMean(std::span<const qint64> steps, std::span<const double> values,
                                      qsizetype buckets);

// True when every step is >= the one before it.
bool stepsNonDecreasing(std::span<const qint64> steps);

// The samples to draw for the step range [lower, upper]: the ones inside, plus
// one neighbour on either side so that lines run to the plot's edges.
//
// With non-decreasing steps (the usual case, `sorted` true) this is two binary
// searches. Steps that go backwards somewhere (a program that restarts its
// step counter, or reports several phases under one name) make binary search
// meaningless; with `sorted` false the span falls back to index (arrival)
// order: from the first to the last index whose step lies in the range, found
// by a linear scan, one neighbour added on either side. Samples in between
// are kept even when their step lies outside: they are part of the line.
// Empty when no step lies in the range (sorted: and no line crosses it).
IndexSpan visibleSpan(std::span<const qint64> steps, double lower, double upper, bool sorted);

// What a plot draws for one metric in one redraw.
struct PlotSlice
{
    std::vector<PlotPoint> raw;    // downsampled samples, finite only, index order
    std::vector<MeanPoint> smooth; // downsampled EMA, same span
    IndexSpan span;                // the indices they were taken from
};

// Per-metric state a plot keeps between redraws: the incremental EMA, whether
// the steps seen so far are non-decreasing, and their extent. update() costs
// O(new samples); slice() costs O(log n + visible samples) for sorted steps.
// Pure QtCore: no GUI types.
class PlotSeries
{
public:
    // Catches up with `series` (append-only since the last call). Starts over
    // when the series got shorter, its older samples were decimated, or the
    // smoothing weight changed.
    void update(const MetricSeries &series, double smoothing);
    void clear();

    qsizetype size() const { return m_seen; }
    bool stepsSorted() const { return m_sorted; }
    // Smallest and largest step seen; both 0 while empty.
    qint64 minStep() const { return m_minStep; }
    qint64 maxStep() const { return m_maxStep; }
    const std::vector<double> &smoothed() const { return m_ema.values(); }
    const EmaCache &emaCache() const { return m_ema; }

    // Samples and EMA for the step range [lower, upper]: the samples reduced
    // with downsampleMinMax() to at most 2 * `pixels` points, the EMA with
    // downsampleMean() to at most `pixels` / 2 (a smooth line needs no more,
    // and the wide pen it is drawn with costs QPainter per segment). `margin` (steps, >= 0)
    // adds the samples up to that far outside either edge, at the same density
    // (pixels * margin / (upper - lower) buckets each side), so that a pan
    // shows data before the next redraw; they are reduced apart from the
    // visible ones, so the visible range keeps its full 2 points per pixel.
    // With unsorted steps the whole widened span is reduced as one.
    // `series` must be the one passed to the last update().
    PlotSlice slice(const MetricSeries &series, double lower, double upper, int pixels,
                    double margin = 0) const;

private:
    EmaCache m_ema;
    qsizetype m_seen = 0;
    quint32 m_compactions = 0;
    bool m_sorted = true;
    qint64 m_minStep = 0;
    qint64 m_maxStep = 0;
};

} // namespace torchlab
