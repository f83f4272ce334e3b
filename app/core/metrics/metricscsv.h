#pragma once

#include "core/metrics/metricstore.h"
#include "core/util/result.h"

#include <QString>

namespace torchlab {

// The metrics of a run as CSV: a "step" column and one column per metric
// (raw values as kept by the store), rows merged on step; a metric reported
// twice at one step fills two rows, so no kept sample is lost; blank where a
// metric has no sample at a step. Written atomically (QSaveFile). The
// failure's message is translated ("torchlab::MetricsCsv").
Status writeMetricsCsv(const MetricStore &store, const QString &path);
QByteArray metricsCsv(const MetricStore &store);

} // namespace torchlab
