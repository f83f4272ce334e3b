#include "core/metrics/seriesmath.h"

#include <algorithm>
#include <cmath>

namespace torchlab {

std::vector<double> ema(std::span<const double> values, double smoothing)
{
    // 1.0 would never move; clamp just below it rather than divide by zero.
    const double w = std::clamp(smoothing, 0.0, 0.999999);
    std::vector<double> out;
    out.reserve(values.size());
    double last = 0;
    double debias = 1; // w^k
    for (double v : values) {
        if (!std::isfinite(v)) {
            out.push_back(v);
            continue;
        }
        last = w * last + (1 - w) * v;
        // Below 2^-60, 1 - w^k is exactly 1 in double; flushing to 0 keeps the result
        // bit-identical and avoids multiplying denormals (tens of times slower) forever.
        debias *= w;
        if (debias < 0x1p-60)
            debias = 0;
        out.push_back(last / (1 - debias));
    }
    return out;
}

std::vector<PlotPoint> downsampleMinMax(std::span<const qint64> steps,
                                        std::span<const double> values, qsizetype buckets)
{
    const size_t n = std::min(steps.size(), values.size());
    std::vector<PlotPoint> out;
    if (n == 0 || buckets <= 0)
        return out;
    if (n <= size_t(2 * buckets)) {
        out.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            if (std::isfinite(values[i]))
                out.push_back({steps[i], values[i]});
        }
        return out;
    }
    out.reserve(size_t(2 * buckets));
    const size_t b = size_t(buckets);
    for (size_t k = 0; k < b; ++k) {
        // Integer bucket edges spread the remainder evenly over the buckets.
        const size_t begin = k * n / b;
        const size_t end = (k + 1) * n / b;
        size_t lo = n, hi = n;
        for (size_t i = begin; i < end; ++i) {
            const double v = values[i];
            if (!std::isfinite(v))
                continue;
            if (lo == n || v < values[lo])
                lo = i;
            if (hi == n || v > values[hi])
                hi = i;
        }
        if (lo == n)
            continue;
        const size_t first = std::min(lo, hi);
        const size_t second = std::max(lo, hi);
        out.push_back({steps[first], values[first]});
        if (second != first)
            out.push_back({steps[second], values[second]});
    }
    return out;
}

} // namespace torchlab
