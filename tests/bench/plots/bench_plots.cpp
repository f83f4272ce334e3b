// Loss plot speed. Prints figures; asserts nothing (timings vary with the
// machine and its load). Usage:
//   bench_plots [seconds] [--redraw | --stream]
//   bench_plots --screenshots DIR
// seconds: length of the streaming part (default 5); --redraw or --stream runs
// only that part. --screenshots saves both plots with realistic data, light and
// dark, as PNG files in DIR (for looking at them, and for the README).
// Runs with the offscreen platform unless QT_QPA_PLATFORM is set.
// Rows:
//   redraw, ...          LossPlot::redrawNow() at 1200x700 (slice, min/max
//                        downsampling, setData, QCustomPlot replot into its
//                        buffer), median and p95 of 50
//   naive QCustomPlot    the same points handed to QCustomPlot as they are:
//                        setData + replot (what a plot without core's
//                        downsampling does per redraw), and replot alone
//   stream               100,000 samples/s in 1 ms batches into MetricStore and
//                        LossPlot::samplesAdded(), with a 5 ms timer measuring how
//                        late the event loop serves it
#include "core/metrics/labevent.h"
#include "core/metrics/metricstore.h"
#include "core/metrics/seriesmath.h"
#include "widgets/plots/lossplot.h"
#include "widgets/plots/memoryplot.h"
#include "widgets/plots/qcp.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <time.h>
#include <vector>

using namespace torchlab;

namespace {

constexpr int kWidth = 1200;
constexpr int kHeight = 700;
constexpr int kRedraws = 50;

struct Stats
{
    double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> ms)
{
    Stats s;
    if (ms.empty())
        return s;
    std::sort(ms.begin(), ms.end());
    const auto at = [&ms](double q) {
        return ms[std::min(ms.size() - 1, size_t(q * double(ms.size() - 1) + 0.5))];
    };
    s.p50 = at(0.5);
    s.p95 = at(0.95);
    s.p99 = at(0.99);
    s.max = ms.back();
    return s;
}

double noisyLoss(qint64 step, qint64 steps, std::mt19937 &gen)
{
    std::normal_distribution<double> noise(0, 0.08);
    const double t = double(step) / double(steps);
    return 2.3 * std::exp(-6 * t) + 0.15 + noise(gen) * (0.3 + std::exp(-3 * t));
}

// The redraw figures are about drawing a million samples: a store without the
// lab's per-series cap (which would decimate them first).
const MetricStore::Limits kUncapped{64, 100'000'000};

void fill(MetricStore &store, int seriesCount, qint64 perSeries)
{
    std::mt19937 gen(42);
    for (int s = 0; s < seriesCount; ++s) {
        const int id =
            store.seriesId(s == 0 ? QStringLiteral("loss") : QStringLiteral("metric%1").arg(s));
        for (qint64 i = 0; i < perSeries; ++i)
            store.append(id, i, noisyLoss(i, perSeries, gen) * (1 + 0.2 * s));
    }
}

void settle(QWidget &w)
{
    w.resize(kWidth, kHeight);
    w.show();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 200)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Measure
{
    Stats wall;
    double cpu = 0;    // median of this thread's CPU ms: other load barely changes it
    double replot = 0; // median of QCustomPlot::replotTime()
    int points = 0;
};

template <class F> Measure measure(QCustomPlot *plot, F &&f)
{
    std::vector<double> wall, cpu, replot;
    for (int i = 0; i < kRedraws; ++i) {
        QElapsedTimer t;
        const double cpu0 = threadCpuMs();
        t.start();
        f(i);
        wall.push_back(double(t.nsecsElapsed()) / 1e6);
        cpu.push_back(threadCpuMs() - cpu0);
        replot.push_back(plot->replotTime());
    }
    return {stats(wall), stats(cpu).p50, stats(replot).p50, 0};
}

void row(const char *what, const Measure &m, const char *extra)
{
    std::printf("  %-44s %8.2f %8.2f %8.2f %8.2f  %s\n", what, m.wall.p50, m.wall.p95, m.cpu,
                m.replot, extra);
}

Measure benchLossPlot(int seriesCount, qint64 perSeries, bool changeSmoothing)
{
    MetricStore store(kUncapped);
    fill(store, seriesCount, perSeries);
    LossPlot plot;
    plot.setStore(&store);
    settle(plot);
    plot.redrawNow(); // first redraw computes the EMA over every sample once
    plot.redrawNow();
    Measure m = measure(plot.plot(), [&](int i) {
        if (changeSmoothing)
            plot.setSmoothing(i % 2 ? 0.6 : 0.9);
        plot.redrawNow();
    });
    m.points = plot.drawnPointCount();
    return m;
}

// The same curves without core's slicing and downsampling: every sample and
// its EMA handed to QCustomPlot (same pens as LossPlot), which then relies on
// its own per-pixel sampling when it paints.
std::pair<Measure, Measure> benchNaive(int seriesCount, qint64 perSeries)
{
    MetricStore store(kUncapped);
    fill(store, seriesCount, perSeries);
    LossPlot styled; // only to copy its pens
    styled.setStore(&store);
    styled.redrawNow();
    QCustomPlot plot;
    settle(plot);
    std::vector<QVector<double>> keys, values;
    for (int s = 0; s < seriesCount; ++s) {
        const MetricSeries &series = store.series(s);
        const std::vector<double> smooth = ema(series.values, 0.6);
        for (int g = 0; g < 2; ++g) {
            keys.emplace_back(series.steps.begin(), series.steps.end());
            values.emplace_back(g == 0 ? QVector<double>(series.values.begin(), series.values.end())
                                       : QVector<double>(smooth.begin(), smooth.end()));
            plot.addGraph()->setPen(styled.plot()->graph(2 * s + g)->pen());
        }
    }
    for (int g = 0; g < plot.graphCount(); ++g)
        plot.graph(g)->setData(keys[size_t(g)], values[size_t(g)], true);
    plot.rescaleAxes();
    Measure withData = measure(&plot, [&](int) {
        for (int g = 0; g < plot.graphCount(); ++g)
            plot.graph(g)->setData(keys[size_t(g)], values[size_t(g)], true);
        plot.replot(QCustomPlot::rpImmediateRefresh);
    });
    withData.points = int(seriesCount * perSeries * 2);
    Measure replotOnly = measure(&plot, [&](int) { plot.replot(QCustomPlot::rpImmediateRefresh); });
    replotOnly.points = withData.points;
    return {withData, replotOnly};
}

void benchStream(int seconds)
{
    constexpr qint64 kRatePerMs = 100; // 100,000 samples/s
    MetricStore store;
    LossPlot plot;
    plot.setStore(&store);
    settle(plot);
    const qint64 redrawsBefore = plot.redrawCount();

    const QString loss = QStringLiteral("loss"), accuracy = QStringLiteral("accuracy");
    std::mt19937 gen(7);
    qint64 sent = 0;
    const qint64 total = kRatePerMs * 1000 * seconds;
    QElapsedTimer clock;
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    feeder.setInterval(1);
    QList<LabEvent> batch;
    std::vector<double> batchMs;
    // Owed samples follow the wall clock, so a late tick sends a bigger batch,
    // as a pipe read after a stall would.
    QObject::connect(&feeder, &QTimer::timeout, &plot, [&] {
        const qint64 due = std::min(total, clock.elapsed() * kRatePerMs);
        if (due <= sent)
            return;
        QElapsedTimer t;
        t.start();
        batch.resize(0);
        for (; sent < due; ++sent) {
            LabEvent e;
            e.type = LabEvent::Type::Metric;
            e.name = sent % 10 == 9 ? accuracy : loss;
            e.step = sent;
            e.value =
                sent % 10 == 9 ? 1 - noisyLoss(sent, total, gen) / 3 : noisyLoss(sent, total, gen);
            batch.append(e);
        }
        for (const LabEvent &e : std::as_const(batch))
            store.add(e);
        plot.samplesAdded();
        batchMs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (sent == total)
            feeder.stop();
    });

    std::vector<double> lateMs;
    QElapsedTimer sinceProbe;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, &plot, [&] {
        lateMs.push_back(std::max(0.0, double(sinceProbe.nsecsElapsed()) / 1e6 - 5.0));
        sinceProbe.restart();
    });

    // Ends 200 ms after the last batch (one more redraw), or after a generous
    // limit if the feeder falls behind. Precise: a coarse 5 s timer may fire
    // 250 ms early.
    QEventLoop loop;
    QTimer end;
    end.setTimerType(Qt::PreciseTimer);
    end.setSingleShot(true);
    QObject::connect(&end, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&feeder, &QTimer::timeout, &loop, [&] {
        if (sent == total && !end.isActive())
            end.start(200);
    });
    QTimer::singleShot(seconds * 3000, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    clock.start();
    sinceProbe.start();
    feeder.start();
    probe.start();
    loop.exec();
    feeder.stop();
    probe.stop();

    const qint64 redraws = plot.redrawCount() - redrawsBefore;
    const Stats late = stats(lateMs);
    const Stats batches = stats(batchMs);
    std::printf("\nStream: 100,000 samples/s for %d s, 1 ms batches, LossPlot %dx%d following\n",
                seconds, kWidth, kHeight);
    std::printf("  %-32s %lld\n", "samples sent", static_cast<long long>(sent));
    std::printf("  %-32s %lld%s\n", "samples stored", static_cast<long long>(store.sampleCount()),
                store.sampleCount() == sent ? "  (all)" : "  (MISSING SAMPLES)");
    std::printf("  %-32s %lld  (%.1f per s; timer 40 ms)\n", "redraws",
                static_cast<long long>(redraws),
                double(redraws) * 1000.0 / double(clock.elapsed()));
    std::printf("  %-32s %lld\n", "batches", static_cast<long long>(batchMs.size()));
    std::printf("  %-32s p50 %.2f  p99 %.2f  max %.2f\n", "batch store+notify ms", batches.p50,
                batches.p99, batches.max);
    std::printf("  %-32s p50 %.2f  p99 %.2f  max %.2f  (%zu probes)\n",
                "event-loop lateness ms (5 ms)", late.p50, late.p99, late.max, lateMs.size());
    std::printf("  %-32s %d\n", "points drawn in last redraw", plot.drawnPointCount());
}

void screenshots(const QString &dir)
{
    QDir().mkpath(dir);
    // A classifier's run: noisy decaying loss per step, accuracy and validation
    // loss every 100 steps, and one step where the loss blew up.
    MetricStore store;
    std::mt19937 gen(3);
    std::normal_distribution<double> noise(0, 1);
    const int loss = store.seriesId(QStringLiteral("loss"));
    const int valLoss = store.seriesId(QStringLiteral("val_loss"));
    const int accuracy = store.seriesId(QStringLiteral("accuracy"));
    constexpr int steps = 6000;
    for (int i = 0; i < steps; ++i) {
        const double trend = 2.3 * std::exp(-i / 900.0) + 0.28;
        store.append(loss, i, std::max(0.02, trend + noise(gen) * 0.12 * (0.4 + trend / 2.6)));
        if (i % 100 == 99) {
            store.append(valLoss, i, trend * 1.05 + 0.04 + noise(gen) * 0.015);
            store.append(accuracy, i, 0.91 - 0.8 * std::exp(-i / 700.0) + noise(gen) * 0.008);
        }
    }
    for (bool dark : {false, true}) {
        LossPlot plot;
        plot.setDarkTheme(dark);
        plot.setStore(&store);
        plot.resize(kWidth, kHeight);
        plot.show();
        plot.redrawNow();
        const QString suffix = dark ? QStringLiteral("-dark") : QString();
        plot.exportPng(dir + QStringLiteral("/loss%1.png").arg(suffix), kWidth, kHeight);
        plot.redrawNow();
        plot.grab().save(dir + QStringLiteral("/loss-widget%1.png").arg(suffix));
    }
    {
        MetricStore nanStore;
        const int id = nanStore.seriesId(QStringLiteral("loss"));
        for (int i = 0; i < 800; ++i)
            nanStore.append(
                id, i,
                i < 520 ? 2.3 * std::exp(-i / 300.0) + 0.3 + noise(gen) * 0.05
                        : (i < 600 ? 1e3 * (i - 519) : std::numeric_limits<double>::quiet_NaN()));
        LossPlot plot;
        plot.setStore(&nanStore);
        plot.resize(kWidth, kHeight);
        plot.show();
        plot.redrawNow();
        plot.grab().save(dir + QStringLiteral("/loss-nan.png"));
        LossPlot empty;
        empty.resize(kWidth, kHeight);
        empty.show();
        empty.redrawNow();
        empty.grab().save(dir + QStringLiteral("/loss-empty.png"));
    }

    // A GPU run: NVML at 10 Hz for 40 s, allocator events every 100 ms.
    constexpr qint64 MiB = 1024 * 1024;
    for (bool dark : {false, true}) {
        MemorySeriesStore store;
        MemoryPlot plot;
        plot.setStore(&store);
        plot.setDarkTheme(dark);
        qint64 peak = 0;
        for (int t = 0; t <= 40000; t += 100) {
            const double warm = std::min(1.0, t / 3000.0);
            const qint64 reserved = qint64((600 + 2400 * warm + (t > 20000 ? 1024 : 0)) * MiB);
            const qint64 allocated =
                qint64((400 + 1500 * warm + 500 * std::sin(t / 700.0) * warm) * MiB);
            peak = std::max(peak, allocated + (t > 20000 ? 1024 * MiB : 0));
            MemorySample s;
            s.timeMs = t;
            s.deviceIndex = 0;
            s.processUsed = reserved + 520 * MiB; // the CUDA context
            s.deviceUsed = s.processUsed + 1200 * MiB;
            s.deviceTotal = 24564 * MiB;
            s.processCount = 1;
            store.add(s);
            store.addAllocator(t, allocated, reserved, peak);
        }
        plot.resize(kWidth, kHeight);
        plot.show();
        plot.redrawNow();
        const QString suffix = dark ? QStringLiteral("-dark") : QString();
        plot.exportPng(dir + QStringLiteral("/memory%1.png").arg(suffix), kWidth, kHeight);
        plot.redrawNow();
        plot.grab().save(dir + QStringLiteral("/memory-widget%1.png").arg(suffix));
    }
    {
        MemorySeriesStore store;
        MemoryPlot plot;
        plot.setStore(&store);
        plot.setNoGpuReason(QCoreApplication::translate(
            "bench", "No NVIDIA GPU was found: libnvidia-ml.so.1 could not be loaded, so the "
                     "NVIDIA driver is probably not installed. This run uses the CPU; the plot "
                     "shows its resident memory (RSS)."));
        for (int t = 0; t <= 30000; t += 100)
            store.addRss(
                t,
                qint64((180 + 420 * std::min(1.0, t / 5000.0) + 15 * std::sin(t / 900.0)) * MiB));
        plot.resize(kWidth, kHeight);
        plot.show();
        plot.redrawNow();
        plot.grab().save(dir + QStringLiteral("/memory-nogpu.png"));
    }
    std::printf("screenshots written to %s\n", qPrintable(dir));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int seconds = 5;
    bool redraw = true, stream = true;
    const QStringList args = QCoreApplication::arguments();
    if (const qsizetype i = args.indexOf(QLatin1String("--screenshots")); i > 0) {
        screenshots(args.value(i + 1, QStringLiteral("plot-screenshots")));
        return 0;
    }
    for (const QString &arg : args.mid(1)) {
        if (arg == QLatin1String("--redraw"))
            stream = false;
        else if (arg == QLatin1String("--stream"))
            redraw = false;
        else
            seconds = std::max(1, arg.toInt());
    }
    if (stream && !redraw) {
        benchStream(seconds);
        return 0;
    }

    std::printf("Loss plot redraw at %dx%d, %d redraws (ms)\n", kWidth, kHeight, kRedraws);
    std::printf("  %-44s %8s %8s %8s %8s\n", "", "median", "p95", "cpu", "replot");
    char extra[96];
    const auto pointsNote = [&extra](const Measure &m, const char *more = "") {
        std::snprintf(extra, sizeof extra, "%d points drawn%s", m.points, more);
        return extra;
    };
    const Measure one = benchLossPlot(1, 1000000, false);
    row("LossPlot, 1 series x 1,000,000", one, pointsNote(one));
    const Measure four = benchLossPlot(4, 250000, false);
    row("LossPlot, 4 series x 250,000", four, pointsNote(four));
    const Measure moved = benchLossPlot(1, 1000000, true);
    row("LossPlot, 1 x 1M, smoothing moved each redraw", moved, pointsNote(moved, ", EMA redone"));
    std::fflush(stdout);

    const auto ratio = [&extra](const Measure &naive, const Measure &ours) {
        std::snprintf(extra, sizeof extra, "%d points; %.1fx LossPlot (median), %.1fx (cpu)",
                      naive.points, naive.wall.p50 / std::max(ours.wall.p50, 1e-9),
                      naive.cpu / std::max(ours.cpu, 1e-9));
        return extra;
    };
    const auto [naiveOne, naiveOneReplot] = benchNaive(1, 1000000);
    row("naive QCustomPlot 1 x 1M: setData + replot", naiveOne, ratio(naiveOne, one));
    row("naive QCustomPlot 1 x 1M: replot only", naiveOneReplot, ratio(naiveOneReplot, one));
    const auto [naiveFour, naiveFourReplot] = benchNaive(4, 250000);
    row("naive QCustomPlot 4 x 250k: setData + replot", naiveFour, ratio(naiveFour, four));
    row("naive QCustomPlot 4 x 250k: replot only", naiveFourReplot, ratio(naiveFourReplot, four));
    std::printf("  (cpu: this thread's CPU time; replot: QCustomPlot::replotTime(), part of the "
                "median)\n");
    std::fflush(stdout);

    if (stream)
        benchStream(seconds);
    return 0;
}
