#include "core/metrics/seriesmath.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace torchlab;

class tst_SeriesMath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emaDebiased_data();
    void emaDebiased();
    void emaKeepsNonFiniteOutOfTheAverage();
    void emaOfAConstantIsTheConstant();
    void downsampleKeepsExtremes();
    void downsampleSmallInputUnchanged();
    void downsampleSkipsNonFinite();
    void downsampleEdgeCases();
};

void tst_SeriesMath::emaDebiased_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("smoothing");
    QTest::addColumn<QList<double>>("expected");

    // Worked by hand: last_i = w*last + (1-w)*v, result last_i / (1 - w^(i+1)).
    QTest::newRow("w=0.5") << QList<double>{1, 2, 3} << 0.5 << QList<double>{1, 5.0 / 3, 17.0 / 7};
    QTest::newRow("w=0.9, first value untouched")
        << QList<double>{10, 0} << 0.9 << QList<double>{10, 0.9 * 10 * 0.1 / (1 - 0.81)};
    QTest::newRow("w=0 is the raw series")
        << QList<double>{3, -1, 4} << 0.0 << QList<double>{3, -1, 4};
    QTest::newRow("negative w clamps to 0") << QList<double>{3, -1} << -2.0 << QList<double>{3, -1};
    QTest::newRow("empty") << QList<double>{} << 0.6 << QList<double>{};
}

void tst_SeriesMath::emaDebiased()
{
    QFETCH(QList<double>, values);
    QFETCH(double, smoothing);
    QFETCH(QList<double>, expected);
    const std::vector<double> got =
        ema(std::span<const double>(values.constData(), size_t(values.size())), smoothing);
    QCOMPARE(got.size(), size_t(expected.size()));
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(got[size_t(i)], expected[i]);
}

void tst_SeriesMath::emaKeepsNonFiniteOutOfTheAverage()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> in{1, nan, 3, INFINITY};
    const std::vector<double> got = ema(in, 0.5);
    QCOMPARE(got[0], 1.0);
    QVERIFY(std::isnan(got[1]));
    QCOMPARE(got[2], 7.0 / 3); // as if the NaN were not there: (0.25 + 1.5) / 0.75
    QVERIFY(std::isinf(got[3]));
}

void tst_SeriesMath::emaOfAConstantIsTheConstant()
{
    const std::vector<double> in(500, 0.7);
    for (double v : ema(in, 0.99))
        QCOMPARE(v, 0.7);
}

void tst_SeriesMath::downsampleKeepsExtremes()
{
    constexpr int n = 100000;
    std::vector<qint64> steps(n);
    std::vector<double> values(n);
    for (int i = 0; i < n; ++i) {
        steps[size_t(i)] = i;
        values[size_t(i)] = std::sin(i / 1000.0);
    }
    values[31337] = 50;  // one spike up
    values[77777] = -40; // one spike down
    const auto points = downsampleMinMax(steps, values, 200);
    QVERIFY(points.size() <= 400);
    QVERIFY(points.size() >= 200);
    bool up = false, down = false;
    for (size_t i = 0; i < points.size(); ++i) {
        up = up || (points[i].step == 31337 && points[i].value == 50);
        down = down || (points[i].step == 77777 && points[i].value == -40);
        if (i > 0)
            QVERIFY(points[i - 1].step < points[i].step);          // input order kept
        QCOMPARE(values[size_t(points[i].step)], points[i].value); // real samples only
    }
    QVERIFY(up);
    QVERIFY(down);
    // Every bucket's own extremes are there too, not only the global ones.
    const size_t b = 123;
    const size_t begin = b * n / 200, end = (b + 1) * n / 200;
    const auto [lo, hi] =
        std::minmax_element(values.begin() + long(begin), values.begin() + long(end));
    const auto has = [&](double v) {
        return std::any_of(points.begin(), points.end(),
                           [v](const PlotPoint &p) { return p.value == v; });
    };
    QVERIFY(has(*lo));
    QVERIFY(has(*hi));
}

void tst_SeriesMath::downsampleSmallInputUnchanged()
{
    const std::vector<qint64> steps{0, 10, 20};
    const std::vector<double> values{3, 1, 2};
    const auto points = downsampleMinMax(steps, values, 2);
    QCOMPARE(points, (std::vector<PlotPoint>{{0, 3}, {10, 1}, {20, 2}}));
}

void tst_SeriesMath::downsampleSkipsNonFinite()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<qint64> steps{0, 1, 2, 3, 4, 5, 6, 7};
    const std::vector<double> values{nan, 5, INFINITY, 1, nan, nan, nan, nan};
    const auto points = downsampleMinMax(steps, values, 2);
    // First bucket [0,4): min 1 at step 3, max 5 at step 1; second bucket has nothing finite.
    QCOMPARE(points, (std::vector<PlotPoint>{{1, 5}, {3, 1}}));
}

void tst_SeriesMath::downsampleEdgeCases()
{
    QVERIFY(downsampleMinMax({}, {}, 10).empty());
    const std::vector<qint64> steps{0, 1, 2, 3, 4};
    const std::vector<double> values{1, 1, 1, 1, 1};
    QVERIFY(downsampleMinMax(steps, values, 0).empty());
    // Flat bucket: min and max are the same sample, emitted once.
    QCOMPARE(downsampleMinMax(steps, values, 1), (std::vector<PlotPoint>{{0, 1}}));
}

QTEST_GUILESS_MAIN(tst_SeriesMath)
#include "tst_seriesmath.moc"
