#include "widgets/plots/memoryplot.h"

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

#include "widgets/plots/qcp.h"

using namespace torchlab;

class tst_MemoryPlot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void drawsEveryCurveWithData();
    void hostSamplesAreRss();
    void legendListsOnlyCurvesWithData();
    void noGpuReasonIsShownAboveThePlot();
    void aClearedStoreEmptiesEveryCurve();
    void redrawsAreCoalesced();
    void valuesAreMiBOverSeconds();
    void pngExportWritesAnImage();
    void emptyPlotKeepsItsWidth();
};

namespace {
constexpr qint64 MiB = 1024 * 1024;

MemorySample gpuSample(qint64 timeMs, qint64 usedMiB, qint64 processMiB)
{
    MemorySample s;
    s.timeMs = timeMs;
    s.deviceIndex = 0;
    s.deviceUsed = usedMiB * MiB;
    s.deviceTotal = 81559 * MiB;
    s.processUsed = processMiB * MiB;
    s.processCount = 1;
    return s;
}

QStringList legendNames(QCustomPlot *plot)
{
    QStringList out;
    for (int i = 0; i < plot->legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            out << item->plottable()->name();
    }
    return out;
}
} // namespace

void tst_MemoryPlot::drawsEveryCurveWithData()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    for (int i = 0; i < 5000; ++i)
        store.add(gpuSample(i * 100, 1000 + i, 500 + i));
    for (int i = 0; i < 300; ++i)
        store.addAllocator(i * 10, i * MiB, 2 * i * MiB, 3 * i * MiB);
    plot.redrawNow();
    QCOMPARE(plot.drawnCurves(), (QStringList{"device used", "device total", "process", "allocated",
                                              "reserved", "peak"}));
    // Reduced to about two points per pixel column, never more than the store holds.
    for (int i = 0; i < plot.plot()->graphCount(); ++i)
        QVERIFY(plot.plot()->graph(i)->data()->size() <= 5000);
}

void tst_MemoryPlot::hostSamplesAreRss()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    MemorySample host;
    host.timeMs = 100;
    host.processUsed = 300 * MiB; // a host sampler reports RSS here
    store.add(host);
    store.addRss(200, 310 * MiB);
    plot.redrawNow();
    QCOMPARE(plot.drawnCurves(), QStringList{"rss"});
}

void tst_MemoryPlot::legendListsOnlyCurvesWithData()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    QCOMPARE(plot.plot()->legend->itemCount(), 0);
    store.addRss(0, 100 * MiB);
    plot.redrawNow();
    QCOMPARE(legendNames(plot.plot()), QStringList{"this run (resident memory)"});
    store.add(gpuSample(0, 900, 400));
    plot.redrawNow();
    const QStringList names = legendNames(plot.plot());
    QCOMPARE(names.size(), 4);
    QVERIFY(names.contains("GPU used (all processes)"));
    QVERIFY(names.contains("GPU total"));
    QVERIFY(names.contains("this run (NVML)"));
}

void tst_MemoryPlot::noGpuReasonIsShownAboveThePlot()
{
    MemoryPlot plot;
    plot.resize(600, 400);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    const QString reason = "No GPU was found: libnvidia-ml.so.1 could not be loaded (is the NVIDIA "
                           "driver installed?). This run's memory is its resident memory (RSS).";
    plot.setNoGpuReason(reason);
    QCOMPARE(plot.noGpuReason(), reason);
    QLabel *shown = nullptr;
    for (QLabel *label : plot.findChildren<QLabel *>()) {
        if (label->text() == reason)
            shown = label;
    }
    QVERIFY(shown);
    QVERIFY(shown->isVisible());
    QVERIFY(shown->wordWrap());
    QVERIFY(shown->geometry().bottom() <=
            plot.plot()->geometry().top()); // above, not over the curves
    plot.setNoGpuReason(QString());
    QVERIFY(!shown->isVisible());
    QVERIFY(plot.noGpuReason().isEmpty());
}

void tst_MemoryPlot::aClearedStoreEmptiesEveryCurve()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    for (int i = 0; i < 50; ++i) {
        store.add(gpuSample(i * 100, 1000, 500));
        store.addAllocator(i * 100, MiB, MiB, MiB);
        store.addRss(i * 100, MiB);
    }
    plot.redrawNow();
    QVERIFY(plot.plot()->graph(0)->data()->size() > 0);
    store.clear();
    plot.samplesAdded();
    plot.redrawNow();
    QVERIFY(plot.drawnCurves().isEmpty());
    for (int i = 0; i < plot.plot()->graphCount(); ++i)
        QCOMPARE(plot.plot()->graph(i)->data()->size(), 0);
    QCOMPARE(plot.plot()->legend->itemCount(), 0);
    // The last run's axes (5 s, ~1 GiB) go with it.
    QCOMPARE(plot.plot()->xAxis->range().upper, 10.0);
    QCOMPARE(plot.plot()->yAxis->range().upper, 100.0);
}

void tst_MemoryPlot::redrawsAreCoalesced()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    QTest::qWait(60);
    const qint64 before = plot.redrawCount();
    for (int i = 0; i < 1000; ++i) {
        store.addAllocator(i, i * MiB, i * MiB, i * MiB);
        plot.samplesAdded();
    }
    QCOMPARE(plot.redrawCount(), before);
    QTRY_VERIFY(plot.redrawCount() > before);
    QVERIFY(plot.redrawCount() - before <= 2);
}

void tst_MemoryPlot::valuesAreMiBOverSeconds()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    store.addAllocator(1500, 256 * MiB, 512 * MiB, 300 * MiB);
    store.addAllocator(3000, 128 * MiB, 512 * MiB, 300 * MiB);
    plot.redrawNow();
    QCPGraph *allocated = nullptr;
    for (int i = 0; i < plot.plot()->graphCount(); ++i) {
        if (plot.plot()->graph(i)->name() == "allocated (caching allocator)")
            allocated = plot.plot()->graph(i);
    }
    QVERIFY(allocated);
    QCOMPARE(allocated->data()->size(), 2);
    QCOMPARE(allocated->data()->at(0)->key, 1.5);
    QCOMPARE(allocated->data()->at(0)->value, 256.0);
    QCOMPARE(allocated->data()->at(1)->key, 3.0);
    QCOMPARE(allocated->data()->at(1)->value, 128.0);
    QVERIFY(plot.plot()->yAxis->range().contains(512));
    QVERIFY(plot.plot()->xAxis->range().contains(3.0));
}

void tst_MemoryPlot::pngExportWritesAnImage()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    for (int i = 0; i < 100; ++i)
        store.add(gpuSample(i * 100, 1000 + 10 * i, 500 + 10 * i));
    QTemporaryDir dir;
    const QString path = dir.filePath("memory.png");
    QVERIFY(plot.exportPng(path, 800, 450));
    const QImage image(path);
    QCOMPARE(image.size(), QSize(800, 450));
}

// After a run is cleared (a compile error, a new lesson) the axes must still
// fill the widget; an empty legend once squeezed them into a narrow strip.
void tst_MemoryPlot::emptyPlotKeepsItsWidth()
{
    MemorySeriesStore store;
    MemoryPlot plot;
    plot.setStore(&store);
    plot.resize(320, 480);
    plot.setNoGpuReason(
        QStringLiteral("No NVIDIA GPU was found: libnvidia-ml.so.1 is not installed and "
                       "no NVIDIA kernel driver is loaded."));
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    store.addRss(0, 100 << 20);
    store.addRss(500, 150 << 20);
    plot.redrawNow();
    const int withData = plot.plot()->axisRect()->width();
    store.clear();
    plot.redrawNow();
    QApplication::processEvents();
    const int empty = plot.plot()->axisRect()->width();
    QVERIFY2(empty >= withData - 10,
             qPrintable(QStringLiteral("%1 px with data, %2 px empty").arg(withData).arg(empty)));
    QVERIFY(empty > plot.plot()->width() / 2);
}

QTEST_MAIN(tst_MemoryPlot)
#include "tst_memoryplot.moc"
