#include "core/bundle/metriccomparison.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace torchlab {

namespace {

struct MetricComparisonText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::MetricComparison)
};

// RFC 4180 records: fields split on ',', quoted fields may hold ',', '"' ("")
// and line breaks.
QList<QList<QByteArray>> csvRecords(const QByteArray &csv)
{
    QList<QList<QByteArray>> records;
    QList<QByteArray> record;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        const char c = csv[i];
        if (quoted) {
            if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.append(field);
            field.clear();
        } else if (c == '\n') {
            record.append(field);
            records.append(record);
            record.clear();
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (!field.isEmpty() || !record.isEmpty()) {
        record.append(field);
        records.append(record);
    }
    return records;
}

bool parseDouble(const QByteArray &text, double *value)
{
    if (text == "nan" || text == "-nan") {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (text == "inf" || text == "-inf") {
        *value = text[0] == '-' ? -std::numeric_limits<double>::infinity()
                                : std::numeric_limits<double>::infinity();
        return true;
    }
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

bool sameBits(double a, double b)
{
    if (std::isnan(a) && std::isnan(b))
        return true;
    return std::memcmp(&a, &b, sizeof a) == 0;
}

double relativeDifference(double a, double b)
{
    if (sameBits(a, b) || a == b)
        return 0;
    if (!std::isfinite(a) || !std::isfinite(b))
        return std::numeric_limits<double>::infinity();
    return std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b));
}

} // namespace

Result<QList<CsvSeries>> parseMetricsCsv(const QByteArray &csv)
{
    const QList<QList<QByteArray>> records = csvRecords(csv);
    if (records.isEmpty() || records.first().isEmpty() || records.first().first() != "step")
        return fail(
            MetricComparisonText::tr("The metrics CSV does not start with a \"step\" column."));
    QList<CsvSeries> series;
    for (qsizetype c = 1; c < records.first().size(); ++c)
        series.append(CsvSeries{QString::fromUtf8(records.first()[c]), {}, {}});
    for (qsizetype r = 1; r < records.size(); ++r) {
        const QList<QByteArray> &row = records[r];
        if (row.size() != series.size() + 1)
            return fail(MetricComparisonText::tr("Row %1 of the metrics CSV has %2 fields, not %3.")
                            .arg(r + 1)
                            .arg(row.size())
                            .arg(series.size() + 1));
        bool ok = false;
        const qint64 step = row.first().toLongLong(&ok);
        if (!ok)
            return fail(
                MetricComparisonText::tr("Row %1 of the metrics CSV has no step.").arg(r + 1));
        for (qsizetype c = 1; c < row.size(); ++c) {
            if (row[c].isEmpty())
                continue;
            double value = 0;
            if (!parseDouble(row[c], &value))
                return fail(
                    MetricComparisonText::tr("Row %1 of the metrics CSV holds %2, not a number.")
                        .arg(r + 1)
                        .arg(QString::fromUtf8(row[c].left(40))));
            series[c - 1].steps.push_back(step);
            series[c - 1].values.push_back(value);
        }
    }
    return series;
}

bool MetricComparison::ok() const
{
    return std::all_of(metrics.begin(), metrics.end(), [](const MetricDifference &d) {
        return d.verdict == MetricDifference::Verdict::Identical ||
               d.verdict == MetricDifference::Verdict::Within;
    });
}

MetricComparison compareMetrics(const QList<CsvSeries> &archived, const QList<CsvSeries> &rerun,
                                double tolerance)
{
    MetricComparison result;
    QHash<QString, const CsvSeries *> byName;
    for (const CsvSeries &s : rerun)
        byName.insert(s.name, &s);
    QHash<QString, bool> archivedNames;
    for (const CsvSeries &a : archived) {
        archivedNames.insert(a.name, true);
        MetricDifference d;
        d.name = a.name;
        d.archivedSamples = qsizetype(a.values.size());
        const CsvSeries *b = byName.value(a.name);
        if (!b) {
            d.verdict = MetricDifference::Verdict::OnlyArchived;
            result.metrics.append(d);
            continue;
        }
        d.rerunSamples = qsizetype(b->values.size());
        d.stepsDiffer = a.steps != b->steps;
        bool identical = !d.stepsDiffer;
        const size_t n = std::min(a.values.size(), b->values.size());
        for (size_t i = 0; i < n; ++i) {
            if (!sameBits(a.values[i], b->values[i]))
                identical = false;
            const double rel = relativeDifference(a.values[i], b->values[i]);
            if (rel > d.maxRelativeDifference) {
                d.maxRelativeDifference = rel;
                d.worstStep = a.steps[i];
            }
        }
        if (identical)
            d.verdict = MetricDifference::Verdict::Identical;
        else if (!d.stepsDiffer && tolerance > 0 && d.maxRelativeDifference <= tolerance)
            d.verdict = MetricDifference::Verdict::Within;
        else
            d.verdict = MetricDifference::Verdict::Differs;
        result.metrics.append(d);
    }
    for (const CsvSeries &b : rerun) {
        if (archivedNames.contains(b.name))
            continue;
        MetricDifference d;
        d.name = b.name;
        d.rerunSamples = qsizetype(b.values.size());
        d.verdict = MetricDifference::Verdict::OnlyRerun;
        result.metrics.append(d);
    }
    return result;
}

QString MetricComparison::table() const
{
    const auto verdictText = [](MetricDifference::Verdict v) {
        switch (v) {
        case MetricDifference::Verdict::Identical:
            return MetricComparisonText::tr("identical");
        case MetricDifference::Verdict::Within:
            return MetricComparisonText::tr("within tolerance");
        case MetricDifference::Verdict::Differs:
            return MetricComparisonText::tr("DIFFERS");
        case MetricDifference::Verdict::OnlyArchived:
            return MetricComparisonText::tr("missing in the rerun");
        case MetricDifference::Verdict::OnlyRerun:
            return MetricComparisonText::tr("not in the bundle");
        }
        return QString();
    };
    qsizetype width = MetricComparisonText::tr("metric").size();
    for (const MetricDifference &d : metrics)
        width = std::max(width, d.name.size());
    QString out = MetricComparisonText::tr("metric").leftJustified(width + 2) +
                  MetricComparisonText::tr("samples (bundle/rerun)").leftJustified(24) +
                  MetricComparisonText::tr("largest relative difference").leftJustified(30) +
                  MetricComparisonText::tr("verdict") + QLatin1Char('\n');
    for (const MetricDifference &d : metrics) {
        QString diff = QStringLiteral("-");
        if (d.archivedSamples > 0 && d.rerunSamples > 0) {
            diff = QString::number(d.maxRelativeDifference, 'g', 3);
            if (d.maxRelativeDifference > 0)
                diff += MetricComparisonText::tr(" at step %1").arg(d.worstStep);
            if (d.stepsDiffer)
                diff += MetricComparisonText::tr(", other steps");
        }
        out +=
            d.name.leftJustified(width + 2) +
            QStringLiteral("%1/%2").arg(d.archivedSamples).arg(d.rerunSamples).leftJustified(24) +
            diff.leftJustified(30) + verdictText(d.verdict) + QLatin1Char('\n');
    }
    return out;
}

} // namespace torchlab
