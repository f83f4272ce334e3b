#include "core/metrics/plotseries.h"

#include <algorithm>
#include <cmath>

namespace torchlab {

const std::vector<double> &EmaCache::update(std::span<const double> values, double smoothing)
{
    // The same clamp and the same operations in the same order as ema(), so
    // that the cached curve equals a fresh computation bit for bit.
    const double w = std::clamp(smoothing, 0.0, 0.999999);
    if (w != m_weight || values.size() < m_out.size()) {
        m_out.clear();
        m_weight = w;
        m_last = 0;
        m_debias = 1;
    }
    const size_t from = m_out.size();
    m_out.resize(values.size());
    // Locals, so that the loop keeps its state in registers (stores into
    // m_out could alias members otherwise).
    double last = m_last;
    double debias = m_debias;
    double *out = m_out.data();
    for (size_t i = from; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            out[i] = v;
            continue;
        }
        last = w * last + (1 - w) * v;
        // w^k would underflow into denormals and stay at the smallest one
        // (4.9e-324 * 0.9 rounds back to itself), making every later multiply
        // a slow denormal operation: 50 ns a sample instead of 3. Below 2^-60,
        // 1 - w^k rounds to 1 exactly, so flushing it to 0 changes no result.
        debias *= w;
        if (debias < 0x1p-60)
            debias = 0;
        out[i] = last / (1 - debias);
    }
    m_last = last;
    m_debias = debias;
    m_lastProcessed = qsizetype(values.size() - from);
    return m_out;
}

void EmaCache::clear()
{
    m_out.clear();
    m_weight = -1;
    m_last = 0;
    m_debias = 1;
    m_lastProcessed = 0;
}

std::vector<MeanPoint> downsampleMean(std::span<const qint64> steps, std::span<const double> values,
                                      qsizetype buckets)
{
    const size_t n = std::min(steps.size(), values.size());
    std::vector<MeanPoint> out;
    if (n == 0 || buckets <= 0)
        return out;
    if (n <= size_t(buckets)) {
        out.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            if (std::isfinite(values[i]))
                out.push_back({double(steps[i]), values[i]});
        }
        return out;
    }
    const size_t b = size_t(buckets);
    out.reserve(b);
    for (size_t k = 0; k < b; ++k) {
        // The same bucket edges as downsampleMinMax(), so both curves line up.
        const size_t begin = k * n / b;
        const size_t end = (k + 1) * n / b;
        double sum = 0;
        double stepSum = 0;
        size_t count = 0;
        for (size_t i = begin; i < end; ++i) {
            if (std::isfinite(values[i])) {
                sum += values[i];
                stepSum += double(steps[i]);
                ++count;
            }
        }
        if (count > 0)
            out.push_back({stepSum / double(count), sum / double(count)});
    }
    return out;
}

bool stepsNonDecreasing(std::span<const qint64> steps)
{
    return std::is_sorted(steps.begin(), steps.end());
}

IndexSpan visibleSpan(std::span<const qint64> steps, double lower, double upper, bool sorted)
{
    const qsizetype n = qsizetype(steps.size());
    if (n == 0 || !(lower <= upper))
        return {};
    if (sorted) {
        const auto first = std::lower_bound(steps.begin(), steps.end(), lower,
                                            [](qint64 s, double x) { return double(s) < x; });
        const auto past = std::upper_bound(steps.begin(), steps.end(), upper,
                                           [](double x, qint64 s) { return x < double(s); });
        const qsizetype lo = qsizetype(first - steps.begin());
        const qsizetype hi = qsizetype(past - steps.begin());
        // Everything lies left or right of the range: nothing to draw, not
        // even a line crossing it.
        if (lo == n || hi == 0)
            return {};
        return {std::max<qsizetype>(lo - 1, 0), std::min(hi + 1, n)};
    }
    // Arrival order: binary search needs sorted keys, so scan. This costs
    // O(n) per redraw, paid only by series whose steps went backwards.
    qsizetype lo = -1;
    qsizetype hi = -1;
    for (qsizetype i = 0; i < n; ++i) {
        const double s = double(steps[size_t(i)]);
        if (s >= lower && s <= upper) {
            if (lo < 0)
                lo = i;
            hi = i;
        }
    }
    if (lo < 0)
        return {};
    return {std::max<qsizetype>(lo - 1, 0), std::min(hi + 2, n)};
}

void PlotSeries::update(const MetricSeries &series, double smoothing)
{
    const qsizetype n = series.size();
    // Older samples were decimated (the store stays bounded): start over.
    if (n < m_seen || series.decimation.compactions != m_compactions)
        clear();
    m_compactions = series.decimation.compactions;
    m_ema.update(series.values, smoothing);
    for (qsizetype i = m_seen; i < n; ++i) {
        const qint64 s = series.steps[size_t(i)];
        if (i == 0) {
            m_minStep = m_maxStep = s;
            continue;
        }
        if (s < series.steps[size_t(i - 1)])
            m_sorted = false;
        m_minStep = std::min(m_minStep, s);
        m_maxStep = std::max(m_maxStep, s);
    }
    m_seen = n;
}

void PlotSeries::clear()
{
    m_ema.clear();
    m_seen = 0;
    m_sorted = true;
    m_minStep = 0;
    m_maxStep = 0;
}

PlotSlice PlotSeries::slice(const MetricSeries &series, double lower, double upper, int pixels,
                            double margin) const
{
    PlotSlice out;
    const qsizetype n = std::min({m_seen, series.size(), m_ema.size()});
    const std::span<const qint64> steps(series.steps.data(), size_t(n));
    margin = std::isfinite(margin) ? std::max(margin, 0.0) : 0.0;
    out.span = visibleSpan(steps, lower - margin, upper + margin, m_sorted);
    if (out.span.isEmpty())
        return out;
    const std::span<const double> values(series.values.data(), size_t(n));
    const std::span<const double> smooth(m_ema.values().data(), size_t(n));
    const auto reduce = [&](IndexSpan part, qsizetype buckets) {
        if (part.isEmpty())
            return;
        const size_t b = size_t(part.begin), c = size_t(part.size());
        const auto partSteps = steps.subspan(b, c);
        const auto raw = downsampleMinMax(partSteps, values.subspan(b, c), buckets);
        const auto ema =
            downsampleMean(partSteps, smooth.subspan(b, c), std::max<qsizetype>(buckets / 2, 1));
        out.raw.insert(out.raw.end(), raw.begin(), raw.end());
        out.smooth.insert(out.smooth.end(), ema.begin(), ema.end());
    };
    const qsizetype buckets = std::max(pixels, 1);
    if (!m_sorted || margin == 0) {
        reduce(out.span, buckets);
        return out;
    }
    // Sorted: the visible indices form one run between the margins. Reducing
    // the three runs apart keeps 2 points per pixel inside the view even when
    // the margins are empty (following the newest step) or crowded (zoomed in).
    IndexSpan inner = visibleSpan(steps, lower, upper, true);
    if (inner.isEmpty())
        inner = {out.span.begin, out.span.begin};
    const double width = upper - lower;
    const qsizetype marginBuckets =
        width > 0 ? std::max<qsizetype>(1, qsizetype(std::ceil(double(buckets) * margin / width)))
                  : buckets;
    reduce({out.span.begin, inner.begin}, marginBuckets);
    reduce(inner, buckets);
    reduce({inner.end, out.span.end}, marginBuckets);
    return out;
}

} // namespace torchlab
