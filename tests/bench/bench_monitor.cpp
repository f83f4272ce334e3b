// What watching a run costs per lab.h event, beside what the lab already pays
// to store it. Prints figures; asserts nothing about timings. Usage:
//   bench_monitor [events] [--reps N]
//   events: default 1000000 (loss and accuracy, alternating, step after step)
// Rows, each the median of N repetitions (default 5), run side by side:
//   MetricStore (baseline)   what every run pays: the sample stored for the plots
//   RunWatch                 the advice watch (NaN, progress)
//   PrometheusExporter       the exporter's gauges, step rate and NaN flags
// and the time one scrape takes to render the text (64 metrics, no NVML).
#include "core/metrics/labevent.h"
#include "core/metrics/metricstore.h"
#include "core/monitor/prometheusexporter.h"
#include "core/monitor/runwatch.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

using namespace torchlab;

namespace {

QList<QList<LabEvent>> makeBatches(int events)
{
    QList<QList<LabEvent>> batches;
    QList<LabEvent> batch;
    for (int i = 0; i < events; ++i) {
        LabEvent e;
        e.type = LabEvent::Type::Metric;
        e.name = (i % 2) ? QStringLiteral("accuracy") : QStringLiteral("loss");
        e.step = i / 2;
        e.value = 1.0 / (1 + i);
        batch.append(e);
        if (batch.size() == 256) { // what one read of the metrics pipe decodes, roughly
            batches.append(batch);
            batch.clear();
        }
    }
    if (!batch.isEmpty())
        batches.append(batch);
    return batches;
}

double medianNsPerEvent(int reps, int events, const std::function<void()> &once)
{
    std::vector<double> ns;
    for (int r = 0; r < reps; ++r) {
        QElapsedTimer t;
        t.start();
        once();
        ns.push_back(double(t.nsecsElapsed()) / events);
    }
    std::sort(ns.begin(), ns.end());
    return ns[ns.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int events = 1'000'000;
    int reps = 5;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = std::max(1, std::atoi(argv[++i]));
        else
            events = std::max(1000, std::atoi(argv[i]));
    }
    const QList<QList<LabEvent>> batches = makeBatches(events);
    std::printf("%d events (loss and accuracy), batches of 256, median of %d\n", events, reps);

    const double store = medianNsPerEvent(reps, events, [&] {
        MetricStore s;
        for (const QList<LabEvent> &b : batches)
            for (const LabEvent &e : b)
                s.add(e);
    });
    const double watch = medianNsPerEvent(reps, events, [&] {
        RunWatch w(nullptr);
        w.runStarted();
        w.programStarted();
        for (const QList<LabEvent> &b : batches)
            w.events(b);
    });
    const double exporter = medianNsPerEvent(reps, events, [&] {
        PrometheusExporter x;
        x.runStarting(QStringLiteral("bench"), false);
        x.programStarted();
        for (const QList<LabEvent> &b : batches)
            x.events(b);
    });
    std::printf("  %-26s %8.1f ns/event\n", "MetricStore (baseline)", store);
    std::printf("  %-26s %8.1f ns/event  (x%.2f of the baseline)\n", "RunWatch", watch,
                watch / store);
    std::printf("  %-26s %8.1f ns/event  (x%.2f of the baseline)\n", "PrometheusExporter", exporter,
                exporter / store);

    PrometheusExporter x;
    x.runStarting(QStringLiteral("bench"), false);
    x.programStarted();
    QList<LabEvent> many;
    for (int i = 0; i < PrometheusExporter::MaxMetricNames; ++i) {
        LabEvent e;
        e.type = LabEvent::Type::Metric;
        e.name = QStringLiteral("metric_%1").arg(i);
        e.step = i;
        e.value = i;
        many.append(e);
    }
    x.events(many);
    std::vector<double> us;
    qsizetype bytes = 0;
    for (int r = 0; r < 200; ++r) {
        QElapsedTimer t;
        t.start();
        bytes = x.render().size();
        us.push_back(double(t.nsecsElapsed()) / 1000.0);
    }
    std::sort(us.begin(), us.end());
    std::printf("  one scrape, %d metrics: %.0f us median, %lld bytes of text\n",
                PrometheusExporter::MaxMetricNames, us[us.size() / 2],
                static_cast<long long>(bytes));
    return 0;
}
