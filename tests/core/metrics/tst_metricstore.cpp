#include "core/metrics/metricsdecoder.h"
#include "core/metrics/metricstore.h"

#include <QTest>

#include <cmath>

using namespace torchlab;

class tst_MetricStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsEverySampleInOrder();
    void namesAreInterned();
    void memoryEventsBecomeThreeSeries();
    void otherEventsAreNotStored();
    void firstNonFiniteSampleIsRemembered();
    void referencesSurviveNewSeries();
    void clearForgetsEverything();
    void millionLinesInChunksAreAllStored();
};

namespace {
LabEvent metric(const QString &name, qint64 step, double value)
{
    LabEvent e;
    e.type = LabEvent::Type::Metric;
    e.name = name;
    e.step = step;
    e.value = value;
    return e;
}
} // namespace

void tst_MetricStore::keepsEverySampleInOrder()
{
    MetricStore store;
    QVERIFY(store.add(metric("loss", 0, 2.0)));
    QVERIFY(store.add(metric("acc", 0, 0.1)));
    QVERIFY(store.add(metric("loss", 1, 1.5)));
    QVERIFY(store.add(metric("loss", 1, 1.4)));   // a repeated step is a sample too
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
    QCOMPARE(store.seriesId(QString("a")), a);   // equal content, different QString
    QCOMPARE(store.findSeries("b"), b);
    QCOMPARE(store.findSeries("c"), -1);
    QCOMPARE(store.seriesCount(), 2);
    store.append(b, 7, 3.5);
    QCOMPARE(store.series(b).steps.front(), 7);
}

void tst_MetricStore::memoryEventsBecomeThreeSeries()
{
    MetricStore store;
    LabEvent e;
    e.type = LabEvent::Type::Memory;
    e.step = 4;
    e.allocated = 1000;
    e.reserved = 2097152;
    e.peak = 5000;
    QVERIFY(store.add(e));
    QCOMPARE(store.series(MetricStore::memoryAllocatedSeries())->values, std::vector<double>{1000});
    QCOMPARE(store.series(MetricStore::memoryReservedSeries())->values, std::vector<double>{2097152});
    QCOMPARE(store.series(MetricStore::memoryPeakSeries())->values, std::vector<double>{5000});
    QCOMPARE(store.series(MetricStore::memoryPeakSeries())->steps, std::vector<qint64>{4});
}

void tst_MetricStore::otherEventsAreNotStored()
{
    MetricStore store;
    for (auto type : {LabEvent::Type::Hello, LabEvent::Type::Check, LabEvent::Type::Error, LabEvent::Type::Note}) {
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
    QCOMPARE(store.series("loss")->firstNonFiniteIndex, -1);
    store.add(metric("loss", 1, std::nan("")));
    store.add(metric("loss", 2, INFINITY));
    QCOMPARE(store.series("loss")->firstNonFiniteIndex, 1);
    QVERIFY(std::isnan(store.series("loss")->values[1]));
}

void tst_MetricStore::referencesSurviveNewSeries()
{
    MetricStore store;
    const MetricSeries &first = store.series(store.seriesId("first"));
    for (int i = 0; i < 1000; ++i)
        store.seriesId(QString::number(i));
    QCOMPARE(first.name, QStringLiteral("first"));
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

// RELIABILITY row 13: at a million lines every sample must be stored, exactly.
// The lines are cut into pipe-sized chunks that split lines at arbitrary bytes.
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
    MetricStore store;
    const auto sink = [&store](LabEvent &&e) { store.add(e); };
    const qsizetype chunk = 65536 - 7;   // a pipe's worth, misaligned with lines
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

QTEST_GUILESS_MAIN(tst_MetricStore)
#include "tst_metricstore.moc"
