// The metrics of a run as CSV (LabSession::exportMetricsCsv, "Export CSV…").
#include "core/metrics/metricscsv.h"
#include "helpers/labevents.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace torchlab;
using namespace torchlab::testing;

class tst_MetricsCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKeptSampleMergedOnStep()
    {
        MetricStore store;
        store.add(metric("loss", 0, 2.5));
        store.add(metric("acc", 2, 0.75)); // arrives before step 0: written in step order
        store.add(metric("loss", 1, 1.25));
        store.add(metric("val,loss", 1, 3));
        store.add(metric("acc", 0, 0.1));
        store.add(metric("loss", 2, std::numeric_limits<double>::quiet_NaN()));
        store.add(metric("loss", 2, 0.5)); // twice at one step: two rows
        store.add(metric("loss", 3, -std::numeric_limits<double>::infinity()));
        const QByteArray expected("step,loss,acc,\"val,loss\"\n"
                                  "0,2.5,0.1,\n"
                                  "1,1.25,,3\n"
                                  "2,nan,0.75,\n"
                                  "2,0.5,,\n"
                                  "3,-inf,,\n");
        QCOMPARE(metricsCsv(store), expected);

        QTemporaryDir dir;
        const QString path = dir.filePath("metrics.csv");
        const Status written = writeMetricsCsv(store, path);
        QVERIFY2(written.ok(), qPrintable(written.error()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), expected);
    }

    void anEmptyStoreIsAHeader() { QCOMPARE(metricsCsv(MetricStore()), QByteArray("step\n")); }

    void anUnwritablePathSaysWhere()
    {
        MetricStore store;
        store.add(metric("loss", 0, 1));
        QTemporaryDir dir;
        const Status written = writeMetricsCsv(store, dir.filePath("missing/dir/metrics.csv"));
        QVERIFY(!written.ok());
        QVERIFY(written.error().contains("missing/dir/metrics.csv"));
    }
};

QTEST_GUILESS_MAIN(tst_MetricsCsv)
#include "tst_metricscsv.moc"
