#include "core/metrics/decimation.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace torchlab {

qsizetype decimateOlderHalf(std::vector<qint64> &xs, std::vector<double> &ys,
                            DecimationState &state)
{
    const qsizetype size = qsizetype(xs.size());
    // Whole runs of four from the front; what follows stays as it came.
    const qsizetype older = (size / 2) / 4 * 4;
    if (older < 4)
        return 0;
    qsizetype out = 0;
    for (qsizetype run = 0; run < older; run += 4) {
        qsizetype lo = -1, hi = -1;
        for (qsizetype i = run; i < run + 4; ++i) {
            const double v = ys[size_t(i)];
            if (!std::isfinite(v))
                continue;
            if (lo < 0 || v < ys[size_t(lo)])
                lo = i;
            if (hi < 0 || v > ys[size_t(hi)])
                hi = i;
        }
        if (lo < 0) {
            // Nothing finite in the run: one of its points says so.
            xs[size_t(out)] = xs[size_t(run)];
            ys[size_t(out)] = ys[size_t(run)];
            ++out;
            continue;
        }
        // The series' very first point stays too: the plot spans the whole run.
        qsizetype keep[3] = {lo, hi, run == 0 ? run : lo};
        std::sort(std::begin(keep), std::end(keep));
        for (qsizetype k = 0; k < 3; ++k) {
            if (k > 0 && keep[k] == keep[k - 1])
                continue;
            xs[size_t(out)] = xs[size_t(keep[k])];
            ys[size_t(out)] = ys[size_t(keep[k])];
            ++out;
        }
    }
    // Move the untouched newer points down behind the decimated ones.
    for (qsizetype i = older; i < size; ++i) {
        xs[size_t(out + i - older)] = xs[size_t(i)];
        ys[size_t(out + i - older)] = ys[size_t(i)];
    }
    const qsizetype removed = older - out;
    xs.resize(size_t(size - removed));
    ys.resize(size_t(size - removed));
    state.fullResolutionFrom = out;
    ++state.compactions;
    state.mergedAway += removed;
    return removed;
}

} // namespace torchlab
