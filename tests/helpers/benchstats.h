#pragma once
// What the benchmarks print: medians of repeated timings.

#include <QList>

#include <algorithm>

namespace torchlab::bench {

inline double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

} // namespace torchlab::bench
