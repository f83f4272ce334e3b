#pragma once

#include <QtGlobal>

#include <vector>

namespace torchlab {

// How a bounded series stays bounded: it keeps every point up to its
// capacity; when full, the older half of what it holds is min/max-decimated
// (each run of four consecutive points becomes its smallest and its largest
// finite point, in their original order; the series' first point stays too),
// so a long run's plot still shows the whole run with every spike, at full resolution where it is
// recent and coarser the older it gets. Each decimation costs O(capacity) and frees a quarter of
// it, so appends stay O(1) amortised.
struct DecimationState
{
    qsizetype fullResolutionFrom = 0; // points before this index have been decimated
    quint32 compactions = 0;          // changes whenever older points were decimated
    qint64 mergedAway = 0;            // points removed by decimation so far
};

// Decimates the older half of (xs, ys) in place, as above. Points [0,
// state.fullResolutionFrom) may already be decimated: they are decimated again
// (coarser). Returns the number of points removed. xs and ys have equal sizes.
qsizetype decimateOlderHalf(std::vector<qint64> &xs, std::vector<double> &ys,
                            DecimationState &state);

} // namespace torchlab
