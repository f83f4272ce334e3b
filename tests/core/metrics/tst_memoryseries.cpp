// MemorySeriesStore: what the memory plot draws, kept in core and bounded.
#include "core/metrics/memoryseries.h"

#include <QTest>

using namespace torchlab;

class tst_MemorySeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void samplesGoToTheirCurves()
    {
        MemorySeriesStore store;
        QVERIFY(store.isEmpty());
        MemorySample gpu;
        gpu.timeMs = 100;
        gpu.deviceIndex = 0;
        gpu.deviceUsed = 3 << 20;
        gpu.deviceTotal = 80LL << 30;
        gpu.processUsed = -1; // not known: not stored
        store.add(gpu);
        MemorySample host;
        host.timeMs = 120;
        host.processUsed = 50 << 20; // a host sampler's processUsed is the RSS
        store.add(host);
        store.addAllocator(130, 1000, 2000, -1);
        QCOMPARE(store.curve(MemorySeriesStore::DeviceUsed).size(), 1);
        QCOMPARE(store.curve(MemorySeriesStore::DeviceTotal).bytes.front(), double(80LL << 30));
        QCOMPARE(store.curve(MemorySeriesStore::Process).size(), 0);
        QCOMPARE(store.curve(MemorySeriesStore::Rss).timeMs.front(), 120);
        QCOMPARE(store.curve(MemorySeriesStore::Allocated).size(), 1);
        QCOMPARE(store.curve(MemorySeriesStore::Reserved).bytes.front(), 2000.0);
        QCOMPARE(store.curve(MemorySeriesStore::Peak).size(), 0);
        QCOMPARE(store.lastTimeMs(), 130);
        QCOMPARE(QLatin1String(MemorySeriesStore::curveKey(MemorySeriesStore::Rss)),
                 QLatin1String("rss"));
        store.clear();
        QVERIFY(store.isEmpty());
        QCOMPARE(store.lastTimeMs(), 0);
    }

    void timesGoingBackwardsAreNoted()
    {
        MemorySeriesStore store;
        store.addRss(200, 1);
        store.addRss(100, 2);
        QVERIFY(!store.curve(MemorySeriesStore::Rss).sorted);
        QCOMPARE(store.lastTimeMs(), 200);
    }

    // Ten hours at 10 Hz stay within the cap, first and last sample kept.
    void aLongRunStaysBounded()
    {
        MemorySeriesStore store(1000);
        for (qint64 t = 0; t < 360'000; ++t)
            store.addRss(t * 100, (t % 977) << 20);
        const MemorySeriesStore::Series &rss = store.curve(MemorySeriesStore::Rss);
        QVERIFY(rss.size() <= 1000);
        QCOMPARE(rss.timeMs.front(), 0);
        QCOMPARE(rss.timeMs.back(), 359'999 * 100);
        QVERIFY(rss.decimation.mergedAway > 0);
        QCOMPARE(*std::max_element(rss.bytes.begin(), rss.bytes.end()), double(976LL << 20));
    }
};

QTEST_GUILESS_MAIN(tst_MemorySeries)
#include "tst_memoryseries.moc"
