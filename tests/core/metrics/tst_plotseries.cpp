#include "core/metrics/plotseries.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

using namespace torchlab;

class tst_PlotSeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emaCacheEqualsEmaBitForBit_data();
    void emaCacheEqualsEmaBitForBit();
    void emaCacheRecomputesWhenWeightChanges();
    void emaCacheStartsOverWhenSeriesShrinks();
    void meanDownsampling_data();
    void meanDownsampling();
    void stepsOrder_data();
    void stepsOrder();
    void visibleSpan_data();
    void visibleSpan();
    void seriesTracksOrderAndExtentIncrementally();
    void sliceIsDownsampledToThePixelBudget();
    void marginsDoNotThinTheVisibleRange();
    void sliceOfUnsortedStepsUsesArrivalOrder();
    void sliceOfEmptyOrOutOfRangeIsEmpty();
};

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Bit patterns, so that "identical" means identical (QCOMPARE on doubles is fuzzy).
bool sameBits(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::bit_cast<quint64>(a[i]) != std::bit_cast<quint64>(b[i]))
            return false;
    }
    return true;
}

std::vector<double> noisyLoss(int n, quint32 seed)
{
    std::mt19937 gen(seed);
    std::normal_distribution<double> noise(0, 0.1);
    std::vector<double> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[size_t(i)] = 2.3 * std::exp(-i / 300.0) + 0.2 + noise(gen);
    return v;
}

MetricSeries makeSeries(std::vector<qint64> steps, std::vector<double> values)
{
    MetricSeries s;
    s.name = QStringLiteral("loss");
    s.steps = std::move(steps);
    s.values = std::move(values);
    return s;
}
} // namespace

void tst_PlotSeries::emaCacheEqualsEmaBitForBit_data()
{
    QTest::addColumn<QList<int>>("chunks"); // samples appended before each update()
    QTest::addColumn<double>("smoothing");
    QTest::addColumn<QList<int>>("nonFinite"); // indices replaced by NaN / inf

    QTest::newRow("one sample at a time, w=0.6")
        << QList<int>{1, 1, 1, 1, 1, 1, 1} << 0.6 << QList<int>{};
    QTest::newRow("uneven chunks, w=0.9") << QList<int>{5, 0, 17, 1, 300, 2} << 0.9 << QList<int>{};
    QTest::newRow("heavy smoothing w=0.99") << QList<int>{1000, 1000, 1} << 0.99 << QList<int>{};
    // w^k falls below 2^-60 (flushed to 0 by the cache) after ~400 samples and
    // would reach the denormals after ~7000: results must not change.
    QTest::newRow("long run past the w^k underflow, w=0.9")
        << QList<int>{5000, 1, 3000} << 0.9 << QList<int>{4999, 7000};
    QTest::newRow("w=0 passes values through") << QList<int>{3, 4} << 0.0 << QList<int>{};
    QTest::newRow("w above 1 clamps like ema()") << QList<int>{10, 10} << 1.5 << QList<int>{};
    QTest::newRow("NaN and inf inside and at chunk edges")
        << QList<int>{4, 4, 4, 4} << 0.8 << QList<int>{0, 3, 4, 9, 15};
    QTest::newRow("empty updates") << QList<int>{0, 0, 2, 0} << 0.5 << QList<int>{};
}

void tst_PlotSeries::emaCacheEqualsEmaBitForBit()
{
    QFETCH(QList<int>, chunks);
    QFETCH(double, smoothing);
    QFETCH(QList<int>, nonFinite);

    int total = 0;
    for (int c : chunks)
        total += c;
    std::vector<double> all = noisyLoss(total, 7);
    for (int i : nonFinite)
        all[size_t(i)] = (i % 2) ? kInf : kNaN;

    EmaCache cache;
    size_t have = 0;
    for (int c : chunks) {
        have += size_t(c);
        const std::span<const double> prefix(all.data(), have);
        const std::vector<double> &got = cache.update(prefix, smoothing);
        QCOMPARE(cache.lastProcessed(), qsizetype(c)); // only the new samples
        QVERIFY2(sameBits(got, ema(prefix, smoothing)), qPrintable(QString::number(have)));
    }
}

void tst_PlotSeries::emaCacheRecomputesWhenWeightChanges()
{
    const std::vector<double> v = noisyLoss(500, 1);
    EmaCache cache;
    cache.update(v, 0.5);
    cache.update(v, 0.5);
    QCOMPARE(cache.lastProcessed(), qsizetype(0));
    cache.update(v, 0.9);
    QCOMPARE(cache.lastProcessed(), qsizetype(500));
    QVERIFY(sameBits(cache.values(), ema(v, 0.9)));
    // Two weights that clamp to the same value are the same weight.
    cache.update(v, 2.0);
    cache.update(v, 3.0);
    QCOMPARE(cache.lastProcessed(), qsizetype(0));
}

void tst_PlotSeries::emaCacheStartsOverWhenSeriesShrinks()
{
    EmaCache cache;
    const std::vector<double> first = noisyLoss(300, 1);
    cache.update(first, 0.7);
    // The store was cleared and a new run has sent fewer samples so far.
    const std::vector<double> second = noisyLoss(120, 2);
    cache.update(second, 0.7);
    QCOMPARE(cache.lastProcessed(), qsizetype(120));
    QVERIFY(sameBits(cache.values(), ema(second, 0.7)));
    cache.clear();
    QCOMPARE(cache.size(), qsizetype(0));
    cache.update(first, 0.7);
    QVERIFY(sameBits(cache.values(), ema(first, 0.7)));
}

void tst_PlotSeries::meanDownsampling_data()
{
    QTest::addColumn<QList<qint64>>("steps");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QList<double>>("expectedSteps");
    QTest::addColumn<QList<double>>("expectedValues");

    QTest::newRow("few samples pass unchanged")
        << QList<qint64>{0, 5, 9} << QList<double>{1, 2, 3} << 3 << QList<double>{0, 5, 9}
        << QList<double>{1, 2, 3};
    QTest::newRow("pairs averaged, steps too")
        << QList<qint64>{0, 1, 2, 3, 4, 5} << QList<double>{1, 3, 5, 7, 0, 1} << 3
        << QList<double>{0.5, 2.5, 4.5} << QList<double>{2, 6, 0.5};
    QTest::newRow("uneven buckets: [0,2) [2,5)")
        << QList<qint64>{10, 20, 30, 40, 50} << QList<double>{2, 4, 3, 6, 9} << 2
        << QList<double>{15, 40} << QList<double>{3, 6};
    QTest::newRow("non-finite left out of the mean; all-NaN bucket dropped")
        << QList<qint64>{0, 1, 2, 3, 4, 5} << QList<double>{kNaN, 4, kNaN, kNaN, kInf, 8} << 3
        << QList<double>{1, 5} << QList<double>{4, 8};
    QTest::newRow("no buckets") << QList<qint64>{0, 1} << QList<double>{1, 2} << 0
                                << QList<double>{} << QList<double>{};
}

void tst_PlotSeries::meanDownsampling()
{
    QFETCH(QList<qint64>, steps);
    QFETCH(QList<double>, values);
    QFETCH(int, buckets);
    QFETCH(QList<double>, expectedSteps);
    QFETCH(QList<double>, expectedValues);
    const auto got =
        downsampleMean(std::span<const qint64>(steps.constData(), size_t(steps.size())),
                       std::span<const double>(values.constData(), size_t(values.size())), buckets);
    QCOMPARE(got.size(), size_t(expectedSteps.size()));
    for (size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].step, expectedSteps[qsizetype(i)]);
        QCOMPARE(got[i].value, expectedValues[qsizetype(i)]);
    }
}

void tst_PlotSeries::stepsOrder_data()
{
    QTest::addColumn<QList<qint64>>("steps");
    QTest::addColumn<bool>("sorted");
    QTest::newRow("empty") << QList<qint64>{} << true;
    QTest::newRow("increasing") << QList<qint64>{0, 1, 5, 9} << true;
    QTest::newRow("repeated steps (loss and val_loss at one step)")
        << QList<qint64>{0, 0, 1, 1} << true;
    QTest::newRow("counter restarted for a second phase") << QList<qint64>{0, 1, 2, 0, 1} << false;
}

void tst_PlotSeries::stepsOrder()
{
    QFETCH(QList<qint64>, steps);
    QFETCH(bool, sorted);
    QCOMPARE(stepsNonDecreasing(std::span<const qint64>(steps.constData(), size_t(steps.size()))),
             sorted);
}

void tst_PlotSeries::visibleSpan_data()
{
    QTest::addColumn<QList<qint64>>("steps");
    QTest::addColumn<double>("lower");
    QTest::addColumn<double>("upper");
    QTest::addColumn<bool>("sorted");
    QTest::addColumn<qsizetype>("begin");
    QTest::addColumn<qsizetype>("end");

    const QList<qint64> tens{0, 10, 20, 30, 40, 50};
    QTest::newRow("inside, one neighbour each side")
        << tens << 15.0 << 35.0 << true << qsizetype(1) << qsizetype(5);
    QTest::newRow("edges exactly on samples")
        << tens << 10.0 << 40.0 << true << qsizetype(0) << qsizetype(6);
    QTest::newRow("whole range") << tens << -100.0 << 100.0 << true << qsizetype(0) << qsizetype(6);
    QTest::newRow("gap between samples: the crossing line")
        << tens << 12.0 << 18.0 << true << qsizetype(1) << qsizetype(3);
    QTest::newRow("all left of the range")
        << tens << 60.0 << 90.0 << true << qsizetype(0) << qsizetype(0);
    QTest::newRow("all right of the range")
        << tens << -9.0 << -1.0 << true << qsizetype(0) << qsizetype(0);
    QTest::newRow("upper edge on the last sample")
        << tens << 45.0 << 50.0 << true << qsizetype(4) << qsizetype(6);
    QTest::newRow("repeated steps all kept")
        << QList<qint64>{0, 5, 5, 5, 9} << 5.0 << 5.0 << true << qsizetype(0) << qsizetype(5);
    QTest::newRow("empty series") << QList<qint64>{} << 0.0 << 10.0 << true << qsizetype(0)
                                  << qsizetype(0);
    QTest::newRow("inverted range") << tens << 30.0 << 10.0 << true << qsizetype(0) << qsizetype(0);
    // Index order: first and last index in range are 1 and 6; 7 is the neighbour.
    QTest::newRow("restarted counter: arrival order")
        << QList<qint64>{0, 10, 20, 30, 0, 10, 20, 30} << 5.0 << 25.0 << false << qsizetype(0)
        << qsizetype(8);
    QTest::newRow("restarted counter, only the second phase in range")
        << QList<qint64>{100, 110, 120, 0, 10, 20} << 5.0 << 15.0 << false << qsizetype(3)
        << qsizetype(6);
    QTest::newRow("unsorted, nothing in range")
        << QList<qint64>{5, 1, 9} << 2.0 << 4.0 << false << qsizetype(0) << qsizetype(0);
}

void tst_PlotSeries::visibleSpan()
{
    QFETCH(QList<qint64>, steps);
    QFETCH(double, lower);
    QFETCH(double, upper);
    QFETCH(bool, sorted);
    QFETCH(qsizetype, begin);
    QFETCH(qsizetype, end);
    const IndexSpan span = torchlab::visibleSpan(
        std::span<const qint64>(steps.constData(), size_t(steps.size())), lower, upper, sorted);
    if (begin == end) {
        QVERIFY(span.isEmpty());
        return;
    }
    QCOMPARE(span.begin, begin);
    QCOMPARE(span.end, end);
}

void tst_PlotSeries::seriesTracksOrderAndExtentIncrementally()
{
    MetricSeries s = makeSeries({3, 4, 5}, {1, 2, 3});
    PlotSeries p;
    p.update(s, 0.5);
    QVERIFY(p.stepsSorted());
    QCOMPARE(p.minStep(), qint64(3));
    QCOMPARE(p.maxStep(), qint64(5));
    QCOMPARE(p.emaCache().lastProcessed(), qsizetype(3));

    s.steps.insert(s.steps.end(), {6, 0, 1});
    s.values.insert(s.values.end(), {4, 5, 6});
    p.update(s, 0.5);
    QCOMPARE(p.emaCache().lastProcessed(), qsizetype(3));
    QVERIFY(!p.stepsSorted());
    QCOMPARE(p.minStep(), qint64(0));
    QCOMPARE(p.maxStep(), qint64(6));
    QCOMPARE(p.size(), qsizetype(6));
    QVERIFY(sameBits(p.smoothed(), ema(s.values, 0.5)));

    // A new run in the same store: shorter series, sorted again.
    const MetricSeries fresh = makeSeries({0, 1}, {9, 8});
    p.update(fresh, 0.5);
    QVERIFY(p.stepsSorted());
    QCOMPARE(p.minStep(), qint64(0));
    QCOMPARE(p.maxStep(), qint64(1));
    QVERIFY(sameBits(p.smoothed(), ema(fresh.values, 0.5)));
}

void tst_PlotSeries::sliceIsDownsampledToThePixelBudget()
{
    constexpr int n = 200000;
    std::vector<qint64> steps(n);
    for (int i = 0; i < n; ++i)
        steps[size_t(i)] = i;
    std::vector<double> values = noisyLoss(n, 3);
    values[150000] = 40; // a spike inside the visible range must survive
    values[10] = kNaN;   // outside
    const MetricSeries s = makeSeries(steps, values);
    PlotSeries p;
    p.update(s, 0.9);

    const PlotSlice slice = p.slice(s, 100000, 160000, 600);
    QCOMPARE(slice.span.begin, qsizetype(99999));
    QCOMPARE(slice.span.end, qsizetype(160002)); // 160001 is the right neighbour
    QVERIFY(slice.raw.size() <= 1200);
    QVERIFY(slice.raw.size() >= 600);
    QVERIFY(slice.smooth.size() <= 1200);
    bool spike = false;
    for (const PlotPoint &pt : slice.raw) {
        QVERIFY(pt.step >= 99999 && pt.step <= 160001);
        QCOMPARE(pt.value, values[size_t(pt.step)]);
        spike = spike || pt.value == 40;
    }
    QVERIFY(spike);
    // One EMA point per two pixels, each the mean of the EMA over its bucket.
    QVERIFY(slice.smooth.size() <= 300);
    QVERIFY(slice.smooth.size() >= 299);
    const std::vector<double> smooth = ema(values, 0.9);
    const MeanPoint &mid = slice.smooth[150];
    const qsizetype spanSize = slice.span.size();
    const size_t begin = size_t(slice.span.begin) + size_t(150 * spanSize / 300);
    const size_t end = size_t(slice.span.begin) + size_t(151 * spanSize / 300);
    double sum = 0;
    for (size_t i = begin; i < end; ++i)
        sum += smooth[i];
    QCOMPARE(mid.value, sum / double(end - begin));
    QCOMPARE(mid.step, double(begin + end - 1) / 2); // mean of consecutive steps
}

void tst_PlotSeries::marginsDoNotThinTheVisibleRange()
{
    constexpr int n = 100000;
    std::vector<qint64> steps(n);
    for (int i = 0; i < n; ++i)
        steps[size_t(i)] = i;
    const MetricSeries s = makeSeries(steps, noisyLoss(n, 5));
    PlotSeries p;
    p.update(s, 0.6);

    // Zoomed in: one view-width of margin each side, at the view's density.
    const PlotSlice zoomed = p.slice(s, 40000, 60000, 500, 20000);
    QCOMPARE(zoomed.span, (IndexSpan{19999, 80002}));
    const auto inView =
        std::count_if(zoomed.raw.begin(), zoomed.raw.end(),
                      [](const PlotPoint &pt) { return pt.step >= 40000 && pt.step <= 60000; });
    QVERIFY2(inView >= 950 && inView <= 1004, qPrintable(QString::number(inView)));
    QVERIFY(zoomed.raw.size() <= 3 * 1000 + 6);
    QVERIFY(zoomed.raw.front().step < 40000);
    QVERIFY(zoomed.raw.back().step > 60000);
    for (size_t i = 1; i < zoomed.raw.size(); ++i)
        QVERIFY(zoomed.raw[i - 1].step < zoomed.raw[i].step); // index order, no duplicates

    // Following: the view holds everything and the margins are empty; the
    // budget is not spread over them.
    const PlotSlice all = p.slice(s, 0, n - 1, 500, n - 1);
    QVERIFY2(all.raw.size() >= 990 && all.raw.size() <= 1000,
             qPrintable(QString::number(all.raw.size())));
    QVERIFY(all.smooth.size() <= 250);
}

void tst_PlotSeries::sliceOfUnsortedStepsUsesArrivalOrder()
{
    // Phase 1 counts 0..3, phase 2 restarts at 0: both phases lie in [1, 2].
    const MetricSeries s = makeSeries({0, 1, 2, 3, 0, 1, 2, 3}, {8, 7, 6, 5, 4, 3, 2, 1});
    PlotSeries p;
    p.update(s, 0);
    QVERIFY(!p.stepsSorted());
    const PlotSlice slice = p.slice(s, 1, 2, 100);
    QCOMPARE(slice.span, (IndexSpan{0, 8}));
    QCOMPARE(slice.raw, (std::vector<PlotPoint>{
                            {0, 8}, {1, 7}, {2, 6}, {3, 5}, {0, 4}, {1, 3}, {2, 2}, {3, 1}}));
}

void tst_PlotSeries::sliceOfEmptyOrOutOfRangeIsEmpty()
{
    PlotSeries p;
    const MetricSeries empty = makeSeries({}, {});
    p.update(empty, 0.6);
    QVERIFY(p.slice(empty, 0, 10, 100).raw.empty());
    const MetricSeries s = makeSeries({0, 1, 2}, {1, 2, 3});
    p.update(s, 0.6);
    const PlotSlice right = p.slice(s, 5, 10, 100);
    QVERIFY(right.raw.empty());
    QVERIFY(right.smooth.empty());
    QVERIFY(right.span.isEmpty());
}

QTEST_GUILESS_MAIN(tst_PlotSeries)
#include "tst_plotseries.moc"
