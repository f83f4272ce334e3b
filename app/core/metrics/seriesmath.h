#pragma once

#include <QtGlobal>

#include <span>
#include <vector>

namespace torchlab {

// Pure functions over a metric series, for plots and checks. No Qt GUI types.

// Exponential moving average with bias correction, as TensorBoard's smoothing
// slider does it. `smoothing` in [0, 1) is the weight of the past (0 = raw values,
// 0.9 = heavy smoothing); values outside are clamped. With
//   last_i = smoothing * last_{i-1} + (1 - smoothing) * v_i,  last_{-1} = 0
// the result is last_i / (1 - smoothing^k), k = number of finite values so far,
// so the first value is returned unchanged instead of being pulled towards 0.
// NaN and +/-inf samples are passed through and do not enter the average.
std::vector<double> ema(std::span<const double> values, double smoothing);

struct PlotPoint
{
    qint64 step = 0;
    double value = 0;
    friend bool operator==(const PlotPoint &, const PlotPoint &) = default;
};

// Min/max bucket downsampling: splits the samples into `buckets` runs of
// consecutive indices and keeps, per run, the smallest and the largest finite
// sample in their original order, so spikes survive at any zoom level. Returns
// at most 2 * buckets points, in input order; when there are no more finite
// samples than that, returns all finite samples. NaN/inf samples are never
// returned (a plot cannot draw them; MetricSeries::firstNonFiniteStep tells
// where they start). `steps` and `values` must have the same length.
std::vector<PlotPoint> downsampleMinMax(std::span<const qint64> steps,
                                        std::span<const double> values, qsizetype buckets);

} // namespace torchlab
