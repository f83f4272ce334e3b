#include "core/metrics/metricscsv.h"

#include "core/metrics/plotseries.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSaveFile>

#include <algorithm>
#include <numeric>

namespace torchlab {

namespace {

QByteArray csvField(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

// Writes the CSV in pieces of about 1 MiB to `write`.
template <class Write> void produce(const MetricStore &store, Write &&write)
{
    struct Column
    {
        const MetricSeries *series;
        std::vector<qsizetype> order; // indices by step; arrival order among equal steps
        size_t pos = 0;
        qint64 stepAt() const { return series->steps[size_t(order[pos])]; }
        bool done() const { return pos >= order.size(); }
    };
    std::vector<Column> columns;
    for (int id = 0; id < store.seriesCount(); ++id) {
        const MetricSeries &s = store.series(id);
        Column c{&s, std::vector<qsizetype>(size_t(s.size())), 0};
        std::iota(c.order.begin(), c.order.end(), qsizetype(0));
        if (!stepsNonDecreasing(s.steps)) {
            std::stable_sort(c.order.begin(), c.order.end(), [&s](qsizetype a, qsizetype b) {
                return s.steps[size_t(a)] < s.steps[size_t(b)];
            });
        }
        columns.push_back(std::move(c));
    }
    QByteArray out = "step";
    for (const Column &c : columns)
        out += ',' + csvField(c.series->name);
    out += '\n';
    // A k-way merge on step: each row takes at most one sample per metric.
    while (true) {
        bool any = false;
        qint64 step = 0;
        for (const Column &c : columns) {
            if (c.done())
                continue;
            step = any ? std::min(step, c.stepAt()) : c.stepAt();
            any = true;
        }
        if (!any)
            break;
        out += QByteArray::number(step);
        for (Column &c : columns) {
            out += ',';
            if (!c.done() && c.stepAt() == step) {
                out += QByteArray::number(c.series->values[size_t(c.order[c.pos])], 'g',
                                          QLocale::FloatingPointShortest);
                ++c.pos;
            }
        }
        out += '\n';
        if (out.size() > (1 << 20)) {
            write(out);
            out.clear();
        }
    }
    write(out);
}

} // namespace

QByteArray metricsCsv(const MetricStore &store)
{
    QByteArray all;
    produce(store, [&all](const QByteArray &piece) { all += piece; });
    return all;
}

Status writeMetricsCsv(const MetricStore &store, const QString &path)
{
    QSaveFile file(path);
    const auto failed = [&] {
        return fail(QCoreApplication::translate("torchlab::MetricsCsv", "Cannot write %1: %2")
                        .arg(path, file.errorString()));
    };
    if (!file.open(QIODevice::WriteOnly))
        return failed();
    bool written = true;
    produce(store, [&](const QByteArray &piece) {
        written = written && file.write(piece) == piece.size();
    });
    if (!written || !file.commit())
        return failed();
    return {};
}

} // namespace torchlab
