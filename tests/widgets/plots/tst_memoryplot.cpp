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
    void keepsEverySamplePerCurve();
    void hostSamplesAreRss();
    void legendListsOnlyCurvesWithData();
    void noGpuReasonIsShownAboveThePlot();
    void clearEmptiesEveryCurve();
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

void tst_MemoryPlot::keepsEverySamplePerCurve()
{
    MemoryPlot plot;
    for (int i = 0; i < 5000; ++i)
        plot.addDeviceSample(gpuSample(i * 100, 1000 + i, 500 + i));
    for (int i = 0; i < 300; ++i)
        plot.addAllocatorSample(i * 10, i * MiB, 2 * i * MiB, 3 * i * MiB);
    QCOMPARE(plot.sampleCount("device used"), 5000);
    QCOMPARE(plot.sampleCount("device total"), 5000);
    QCOMPARE(plot.sampleCount("process"), 5000);
    QCOMPARE(plot.sampleCount("allocated"), 300);
    QCOMPARE(plot.sampleCount("reserved"), 300);
    QCOMPARE(plot.sampleCount("peak"), 300);
    QCOMPARE(plot.sampleCount("rss"), 0);
    QCOMPARE(plot.sampleCount("no such curve"), 0);

    // A source that does not know a value (-1) adds nothing to that curve.
    MemorySample partial = gpuSample(600000, 1, 1);
    partial.deviceTotal = -1;
    partial.processUsed = -1;
    plot.addDeviceSample(partial);
    QCOMPARE(plot.sampleCount("device used"), 5001);
    QCOMPARE(plot.sampleCount("device total"), 5000);
    QCOMPARE(plot.sampleCount("process"), 5000);
}

void tst_MemoryPlot::hostSamplesAreRss()
{
    MemoryPlot plot;
    MemorySample host;
    host.timeMs = 100;
    host.processUsed = 300 * MiB; // a host sampler reports RSS here
    plot.addDeviceSample(host);
    plot.addRssSample(200, 310 * MiB);
    QCOMPARE(plot.sampleCount("rss"), 2);
    QCOMPARE(plot.sampleCount("process"), 0);
    QCOMPARE(plot.sampleCount("device used"), 0);
}

void tst_MemoryPlot::legendListsOnlyCurvesWithData()
{
    MemoryPlot plot;
    plot.redrawNow();
    QCOMPARE(plot.plot()->legend->itemCount(), 0);
    plot.addRssSample(0, 100 * MiB);
    plot.redrawNow();
    QCOMPARE(legendNames(plot.plot()), QStringList{"this run (resident memory)"});
    plot.addDeviceSample(gpuSample(0, 900, 400));
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

void tst_MemoryPlot::clearEmptiesEveryCurve()
{
    MemoryPlot plot;
    for (int i = 0; i < 50; ++i) {
        plot.addDeviceSample(gpuSample(i * 100, 1000, 500));
        plot.addAllocatorSample(i * 100, MiB, MiB, MiB);
        plot.addRssSample(i * 100, MiB);
    }
    plot.redrawNow();
    QVERIFY(plot.plot()->graph(0)->data()->size() > 0);
    plot.clear();
    for (const char *curve :
         {"device used", "device total", "process", "allocated", "reserved", "peak", "rss"})
        QCOMPARE(plot.sampleCount(curve), 0);
    plot.redrawNow();
    for (int i = 0; i < plot.plot()->graphCount(); ++i)
        QCOMPARE(plot.plot()->graph(i)->data()->size(), 0);
    QCOMPARE(plot.plot()->legend->itemCount(), 0);
}

void tst_MemoryPlot::redrawsAreCoalesced()
{
    MemoryPlot plot;
    const qint64 before = plot.redrawCount();
    for (int i = 0; i < 1000; ++i)
        plot.addAllocatorSample(i, i * MiB, i * MiB, i * MiB);
    QCOMPARE(plot.redrawCount(), before);
    QTRY_VERIFY(plot.redrawCount() > before);
    QVERIFY(plot.redrawCount() - before <= 2);
}

void tst_MemoryPlot::valuesAreMiBOverSeconds()
{
    MemoryPlot plot;
    plot.addAllocatorSample(1500, 256 * MiB, 512 * MiB, 300 * MiB);
    plot.addAllocatorSample(3000, 128 * MiB, 512 * MiB, 300 * MiB);
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
    MemoryPlot plot;
    for (int i = 0; i < 100; ++i)
        plot.addDeviceSample(gpuSample(i * 100, 1000 + 10 * i, 500 + 10 * i));
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
    MemoryPlot plot;
    plot.resize(320, 480);
    plot.setNoGpuReason(QStringLiteral("No NVIDIA GPU was found: libnvidia-ml.so.1 is not installed and "
                                       "no NVIDIA kernel driver is loaded."));
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.addRssSample(0, 100 << 20);
    plot.addRssSample(500, 150 << 20);
    plot.redrawNow();
    const int withData = plot.plot()->axisRect()->width();
    plot.clear();
    plot.redrawNow();
    QApplication::processEvents();
    const int empty = plot.plot()->axisRect()->width();
    QVERIFY2(empty >= withData - 10, qPrintable(QStringLiteral("%1 px with data, %2 px empty").arg(withData).arg(empty)));
    QVERIFY(empty > plot.plot()->width() / 2);
}

QTEST_MAIN(tst_MemoryPlot)
#include "tst_memoryplot.moc"
