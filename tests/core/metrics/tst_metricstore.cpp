#include "core/metrics/metricsdecoder.h"
#include "core/metrics/metricstore.h"
#include "helpers/labevents.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace torchlab;
using namespace torchlab::testing;

class tst_MetricStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsEverySampleInOrder();
    void namesAreInterned();
    void otherEventsAreNotStored();
    void firstNonFiniteSampleIsRemembered();
    void referencesSurviveNewSeries();
    void clearForgetsEverything();
    void millionLinesInChunksAreAllStored();
    void tenThousandNamesKeepTheFirst64();
    void longSeriesAreDecimatedNotDropped();
    void decimationKeepsEveryExtreme();
    void decimationOfRunsWithoutFiniteValues();
};

void tst_MetricStore::keepsEverySampleInOrder()
{
    MetricStore store;
    QVERIFY(store.add(metric("loss", 0, 2.0)));
    QVERIFY(store.add(metric("acc", 0, 0.1)));
    QVERIFY(store.add(metric("loss", 1, 1.5)));
    QVERIFY(store.add(metric("loss", 1, 1.4))); // a repeated step is a sample too
    const MetricSeries *loss = store.series("loss");
    QVERIFY(loss);
    QCOMPARE(loss->steps, (std::vector<qint64>{0, 1, 1}));
    QCOMPARE(loss->values, (std::vector<double>{2.0, 1.5, 1.4}));
    QCOMPARE(store.series("acc")->size(), 1);
    QCOMPARE(store.names(), (QStringList{"loss", "acc"}));
    QCOMPARE(store.sampleCount(), 4);
    QVERIFY(!store.series("missing"));
}

void tst_MetricStore::namesAreInterned()
{
    MetricStore store;
    const int a = store.seriesId("a");
    const int b = store.seriesId("b");
    QVERIFY(a != b);
    QCOMPARE(store.seriesId("a"), a);
    QCOMPARE(store.seriesId(QString("a")), a); // equal content, different QString
    QCOMPARE(store.findSeries("b"), b);
    QCOMPARE(store.findSeries("c"), -1);
    QCOMPARE(store.seriesCount(), 2);
    store.append(b, 7, 3.5);
    QCOMPARE(store.series(b).steps.front(), 7);
}

void tst_MetricStore::otherEventsAreNotStored()
{
    MetricStore store;
    // Memory events go to MemorySeriesStore, not here.
    for (auto type : {LabEvent::Type::Hello, LabEvent::Type::Memory, LabEvent::Type::Check,
                      LabEvent::Type::Error, LabEvent::Type::Note}) {
        LabEvent e;
        e.type = type;
        e.name = "x";
        QVERIFY(!store.add(e));
    }
    QCOMPARE(store.seriesCount(), 0);
}

void tst_MetricStore::firstNonFiniteSampleIsRemembered()
{
    MetricStore store;
    store.add(metric("loss", 0, 1.0));
    QVERIFY(!store.series("loss")->hasNonFinite);
    store.add(metric("loss", 1, std::nan("")));
    store.add(metric("loss", 2, INFINITY));
    QVERIFY(store.series("loss")->hasNonFinite);
    QCOMPARE(store.series("loss")->firstNonFiniteStep, 1);
    QVERIFY(std::isnan(store.series("loss")->firstNonFiniteValue));
    QVERIFY(std::isnan(store.series("loss")->values[1]));

    // Decimation never hides where it happened.
    MetricStore small(MetricStore::Limits{8, 16});
    small.add(metric("loss", 3, -INFINITY));
    for (int i = 4; i < 200; ++i)
        small.add(metric("loss", i, 1.0 / i));
    QVERIFY(small.series("loss")->decimation.compactions > 0);
    QCOMPARE(small.series("loss")->firstNonFiniteStep, 3);
    QCOMPARE(small.series("loss")->firstNonFiniteValue, -INFINITY);
}

void tst_MetricStore::referencesSurviveNewSeries()
{
    MetricStore store;
    const MetricSeries &first = store.series(store.seriesId("first"));
    for (int i = 0; i < 1000; ++i)
        store.seriesId(QString::number(i));
    QCOMPARE(first.name, QStringLiteral("first"));
    QCOMPARE(store.seriesCount(), store.limits().maxSeries);
}

void tst_MetricStore::clearForgetsEverything()
{
    MetricStore store;
    store.add(metric("a", 0, 1));
    store.clear();
    QCOMPARE(store.seriesCount(), 0);
    QCOMPARE(store.sampleCount(), 0);
    QVERIFY(!store.series("a"));
    store.add(metric("b", 0, 1));
    QCOMPARE(store.seriesId("b"), 0);
}

// docs/reliability.md row 13: at a million lines every sample must be stored,
// exactly, up to the per-series cap (set above a million here). The lines are
// cut into pipe-sized chunks that split lines at arbitrary bytes.
void tst_MetricStore::millionLinesInChunksAreAllStored()
{
    constexpr int lines = 1'000'000;
    QByteArray stream;
    stream.reserve(lines * 64);
    // value = step / 8 + 0.1 is not exactly representable in decimal; the
    // shortest round-trip text must still give back the same double.
    const auto valueOf = [](int step) { return step / 8.0 + 0.1; };
    for (int i = 0; i < lines; ++i) {
        stream += R"({"ev":"metric","name":")";
        stream += (i % 2 ? "loss" : "accuracy");
        stream += R"(","step":)";
        stream += QByteArray::number(i);
        stream += R"(,"value":)";
        stream += QByteArray::number(valueOf(i), 'g', 17);
        stream += "}\n";
    }

    MetricsDecoder decoder;
    MetricStore store(MetricStore::Limits{64, lines});
    const auto sink = [&store](LabEvent &&e) { store.add(e); };
    const qsizetype chunk = 65536 - 7; // a pipe's worth, misaligned with lines
    for (qsizetype at = 0; at < stream.size(); at += chunk)
        decoder.feed(QByteArrayView(stream).sliced(at, std::min(chunk, stream.size() - at)), sink);
    decoder.finish(sink);

    QCOMPARE(decoder.stats().linesOk, lines);
    QCOMPARE(decoder.stats().malformed, 0);
    QCOMPARE(store.sampleCount(), lines);
    const MetricSeries *loss = store.series("loss");
    const MetricSeries *accuracy = store.series("accuracy");
    QVERIFY(loss && accuracy);
    QCOMPARE(loss->size(), lines / 2);
    QCOMPARE(accuracy->size(), lines / 2);
    for (int i = 0; i < lines; ++i) {
        const MetricSeries *s = i % 2 ? loss : accuracy;
        const size_t k = size_t(i / 2);
        if (s->steps[k] != i || s->values[k] != valueOf(i))
            QFAIL(qPrintable(QStringLiteral("sample %1 differs").arg(i)));
    }
}

// docs/reliability.md row 34: a program that invents names without end
// (lab::metric("loss_" + std::to_string(i), …)) gets the first 64 plotted,
// and the learner is told how many names and samples were left out.
void tst_MetricStore::tenThousandNamesKeepTheFirst64()
{
    MetricStore store;
    for (int i = 0; i < 10'000; ++i)
        store.add(metric(QStringLiteral("loss_%1").arg(i), i, 1.0));
    for (int i = 0; i < 10'000; ++i) // every name again: known ones stored, the rest counted
        store.add(metric(QStringLiteral("loss_%1").arg(i), i + 1, 2.0));
    QCOMPARE(store.seriesCount(), 64);
    QCOMPARE(store.names().first(), QStringLiteral("loss_0"));
    QCOMPARE(store.names().last(), QStringLiteral("loss_63"));
    QCOMPARE(store.series("loss_63")->size(), 2);
    QVERIFY(!store.series("loss_64"));
    const MetricStoreDrops drops = store.drops();
    QCOMPARE(drops.names, 10'000 - 64);
    QVERIFY(!drops.namesSaturated);
    QCOMPARE(drops.samples, 2 * (10'000 - 64));
    QCOMPARE(store.sampleCount(), 2 * 64);
    store.clear();
    QCOMPARE(store.drops().names, 0);
    QCOMPARE(store.drops().samples, 0);
}

// A long run stays bounded: full resolution for the newest samples, min/max
// of ever longer stretches further back, the whole run still covered.
void tst_MetricStore::longSeriesAreDecimatedNotDropped()
{
    const qsizetype cap = 1024;
    MetricStore store(MetricStore::Limits{64, cap});
    constexpr int total = 1'000'000;
    for (int i = 0; i < total; ++i)
        store.add(metric("loss", i, 1.0 + std::sin(i / 1000.0)));
    const MetricSeries &s = *store.series("loss");
    QVERIFY2(s.size() <= cap, qPrintable(QString::number(s.size())));
    QVERIFY(s.size() >= cap / 2);
    QCOMPARE(s.received, total);
    QCOMPARE(store.sampleCount(), total);
    QCOMPARE(s.steps.front(), 0);        // the start of the run is still there
    QCOMPARE(s.steps.back(), total - 1); // and its end
    QVERIFY(std::is_sorted(s.steps.begin(), s.steps.end()));
    // The newest stretch is every sample, as it came.
    const qsizetype from = s.decimation.fullResolutionFrom;
    QVERIFY(from < s.size());
    for (qsizetype i = from + 1; i < s.size(); ++i)
        QCOMPARE(s.steps[size_t(i)], s.steps[size_t(i - 1)] + 1);
    QCOMPARE(store.drops().decimated, total - s.size());
    QCOMPARE(store.drops().names, 0);
}

void tst_MetricStore::decimationKeepsEveryExtreme()
{
    MetricStore store(MetricStore::Limits{64, 64});
    // A flat line with one spike up and one down, far back in the run.
    for (int i = 0; i < 10'000; ++i) {
        const double v = i == 1234 ? 100.0 : i == 4321 ? -100.0 : 0.0;
        store.add(metric("loss", i, v));
    }
    const MetricSeries &s = *store.series("loss");
    QVERIFY(s.size() <= 64);
    const auto at = [&s](double v) {
        const auto it = std::find(s.values.begin(), s.values.end(), v);
        return it == s.values.end() ? qint64(-1) : s.steps[size_t(it - s.values.begin())];
    };
    QCOMPARE(at(100.0), 1234); // the spike keeps its own step
    QCOMPARE(at(-100.0), 4321);
}

void tst_MetricStore::decimationOfRunsWithoutFiniteValues()
{
    std::vector<qint64> xs{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::vector<double> ys(10, std::nan(""));
    ys[9] = 5;
    DecimationState state;
    const qsizetype removed = decimateOlderHalf(xs, ys, state);
    // Four NaNs become one NaN that says the stretch had no value; the rest stays.
    QCOMPARE(removed, 3);
    QCOMPARE(xs, (std::vector<qint64>{0, 4, 5, 6, 7, 8, 9}));
    QVERIFY(std::isnan(ys[0]));
    QCOMPARE(state.fullResolutionFrom, 1);
    QCOMPARE(state.compactions, 1u);
}

QTEST_GUILESS_MAIN(tst_MetricStore)
#include "tst_metricstore.moc"
