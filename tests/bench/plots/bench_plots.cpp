// Loss plot speed. Prints figures; asserts nothing (timings vary with the
// machine and its load). Usage:
//   bench_plots [seconds] [--redraw | --stream]
// seconds: length of the streaming part (default 5); --redraw or --stream runs
// only that part.
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
#include "metrics/labevent.h"
#include "metrics/metricstore.h"
#include "plots/lossplot.h"
#include "plots/qcp.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
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

template <class F> std::vector<double> timeIt(int runs, F &&f)
{
    std::vector<double> ms;
    ms.reserve(size_t(runs));
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return ms;
}

void row(const char *what, const Stats &s, const char *extra = "")
{
    std::printf("  %-46s %9.2f %9.2f  %s\n", what, s.p50, s.p95, extra);
}

Stats benchLossPlot(int seriesCount, qint64 perSeries, bool changeSmoothing, int *points,
                    double *replotMs)
{
    MetricStore store;
    fill(store, seriesCount, perSeries);
    LossPlot plot;
    plot.setStore(&store);
    settle(plot);
    plot.redrawNow(); // first redraw computes the EMA over every sample once
    plot.redrawNow();
    std::vector<double> replots;
    const Stats s = stats(timeIt(kRedraws, [&](int i) {
        if (changeSmoothing)
            plot.setSmoothing(i % 2 ? 0.6 : 0.9);
        plot.redrawNow();
        replots.push_back(plot.plot()->replotTime());
    }));
    *points = plot.drawnPointCount();
    *replotMs = stats(replots).p50;
    return s;
}

std::pair<Stats, Stats> benchNaive(int seriesCount, qint64 perSeries)
{
    MetricStore store;
    fill(store, seriesCount, perSeries);
    QCustomPlot plot;
    settle(plot);
    std::vector<QVector<double>> keys, values;
    for (int s = 0; s < seriesCount; ++s) {
        const MetricSeries &series = store.series(s);
        keys.emplace_back(series.steps.begin(), series.steps.end());
        values.emplace_back(series.values.begin(), series.values.end());
        plot.addGraph();
    }
    plot.rescaleAxes();
    const Stats withData = stats(timeIt(kRedraws, [&](int) {
        for (int s = 0; s < seriesCount; ++s)
            plot.graph(s)->setData(keys[size_t(s)], values[size_t(s)], true);
        plot.replot(QCustomPlot::rpImmediateRefresh);
    }));
    const Stats replotOnly =
        stats(timeIt(kRedraws, [&](int) { plot.replot(QCustomPlot::rpImmediateRefresh); }));
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

    QEventLoop loop;
    QTimer::singleShot(seconds * 1000 + 200, &loop, &QEventLoop::quit);
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
                static_cast<long long>(redraws), double(redraws) * 1000.0 / (seconds * 1000 + 200));
    std::printf("  %-32s %lld\n", "batches", static_cast<long long>(batchMs.size()));
    std::printf("  %-32s p50 %.2f  p99 %.2f  max %.2f\n", "batch store+notify ms", batches.p50,
                batches.p99, batches.max);
    std::printf("  %-32s p50 %.2f  p99 %.2f  max %.2f  (%zu probes)\n",
                "event-loop lateness ms (5 ms)", late.p50, late.p99, late.max, lateMs.size());
    std::printf("  %-32s %d\n", "points drawn in last redraw", plot.drawnPointCount());
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int seconds = 5;
    bool redraw = true, stream = true;
    for (const QString &arg : QCoreApplication::arguments().mid(1)) {
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
    std::printf("  %-46s %9s %9s\n", "", "median", "p95");
    int points = 0;
    char extra[96];

    double replotMs = 0;
    const Stats one = benchLossPlot(1, 1000000, false, &points, &replotMs);
    std::snprintf(extra, sizeof extra, "(%d points drawn; replot alone %.2f)", points, replotMs);
    row("LossPlot, 1 series x 1,000,000", one, extra);
    const Stats four = benchLossPlot(4, 250000, false, &points, &replotMs);
    std::snprintf(extra, sizeof extra, "(%d points drawn; replot alone %.2f)", points, replotMs);
    row("LossPlot, 4 series x 250,000", four, extra);
    const Stats smoothing = benchLossPlot(1, 1000000, true, &points, &replotMs);
    std::snprintf(extra, sizeof extra, "(EMA recomputed; replot alone %.2f)", replotMs);
    row("LossPlot, 1 x 1M, smoothing moved each redraw", smoothing, extra);

    const auto [naiveOne, naiveOneReplot] = benchNaive(1, 1000000);
    std::snprintf(extra, sizeof extra, "(%.1fx LossPlot)", naiveOne.p50 / std::max(one.p50, 1e-9));
    row("naive QCustomPlot 1 x 1M: setData + replot", naiveOne, extra);
    std::snprintf(extra, sizeof extra, "(%.1fx LossPlot)",
                  naiveOneReplot.p50 / std::max(one.p50, 1e-9));
    row("naive QCustomPlot 1 x 1M: replot only", naiveOneReplot, extra);
    const auto [naiveFour, naiveFourReplot] = benchNaive(4, 250000);
    std::snprintf(extra, sizeof extra, "(%.1fx LossPlot)",
                  naiveFour.p50 / std::max(four.p50, 1e-9));
    row("naive QCustomPlot 4 x 250k: setData + replot", naiveFour, extra);
    std::snprintf(extra, sizeof extra, "(%.1fx LossPlot)",
                  naiveFourReplot.p50 / std::max(four.p50, 1e-9));
    row("naive QCustomPlot 4 x 250k: replot only", naiveFourReplot, extra);
    std::fflush(stdout);

    if (stream)
        benchStream(seconds);
    return 0;
}
