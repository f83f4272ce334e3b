#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace torchlab {

// The metric series of a metrics.csv (writeMetricsCsv's format), by column.
struct CsvSeries
{
    QString name;
    std::vector<qint64> steps;
    std::vector<double> values;
};

// Parses writeMetricsCsv's output: a "step" column, one column per metric
// (quoted names allowed), blank where a metric has no sample. Fails on
// anything else, saying which line ("torchlab::MetricComparison").
Result<QList<CsvSeries>> parseMetricsCsv(const QByteArray &csv);

// How one metric of a rerun compares with the archived one.
struct MetricDifference
{
    enum class Verdict
    {
        Identical,    // every step and value bit for bit (NaN matches NaN)
        Within,       // the same steps; values within the tolerance
        Differs,      // a value beyond the tolerance, or other steps
        OnlyArchived, // the rerun did not report this metric
        OnlyRerun,    // the archived run did not report this metric
    };
    QString name;
    Verdict verdict = Verdict::Identical;
    qsizetype archivedSamples = 0;
    qsizetype rerunSamples = 0;
    // Largest |a-b| / max(|a|,|b|) over the shared samples (0 when all equal;
    // infinity where one side is NaN or infinite and the other not).
    double maxRelativeDifference = 0;
    qint64 worstStep = 0; // the step of that largest difference
    bool stepsDiffer = false;
};

struct MetricComparison
{
    QList<MetricDifference> metrics; // archived order, then the rerun's new names
    bool ok() const;                 // every metric Identical or Within
    // A plain table, one row per metric (translated headings).
    QString table() const;
};

// Compares every metric series; tolerance 0 asks for bit-identical values.
MetricComparison compareMetrics(const QList<CsvSeries> &archived, const QList<CsvSeries> &rerun,
                                double tolerance);

} // namespace torchlab
