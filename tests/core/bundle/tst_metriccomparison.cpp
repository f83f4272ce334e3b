// A rerun's metrics against the archived ones: bit-identical by default,
// within a relative tolerance when asked, every difference named per metric.
#include "core/bundle/metriccomparison.h"
#include "core/metrics/metricscsv.h"
#include "core/metrics/metricstore.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace torchlab;

class TestMetricComparison : public QObject
{
    Q_OBJECT

private:
    static QList<CsvSeries> parsed(const QByteArray &csv)
    {
        Result<QList<CsvSeries>> r = parseMetricsCsv(csv);
        if (!r)
            qWarning("%s", qPrintable(r.error()));
        return r.valueOr({});
    }

private Q_SLOTS:
    void readsWhatTheStoreWrites()
    {
        MetricStore store;
        const int loss = store.seriesId(QStringLiteral("loss"));
        const int odd = store.seriesId(QStringLiteral("a,\"b\""));
        store.append(loss, 0, 0.1);
        store.append(loss, 1, 1.0 / 3.0);
        store.append(odd, 1, std::numeric_limits<double>::quiet_NaN());
        store.append(loss, 2, -std::numeric_limits<double>::infinity());
        const QList<CsvSeries> s = parsed(metricsCsv(store));
        QCOMPARE(s.size(), 2);
        QCOMPARE(s[0].name, QStringLiteral("loss"));
        QCOMPARE(s[1].name, QStringLiteral("a,\"b\""));
        QCOMPARE(s[0].steps, (std::vector<qint64>{0, 1, 2}));
        QCOMPARE(s[0].values[1], 1.0 / 3.0); // shortest round-trip text: the same double
        QVERIFY(std::isinf(s[0].values[2]) && s[0].values[2] < 0);
        QCOMPARE(s[1].steps, (std::vector<qint64>{1}));
        QVERIFY(std::isnan(s[1].values[0]));
    }

    void malformedCsvFails()
    {
        QVERIFY(!parseMetricsCsv("loss\n1\n").ok());
        QVERIFY(!parseMetricsCsv("step,loss\n0,1,2\n").ok());
        QVERIFY(!parseMetricsCsv("step,loss\n0,abc\n").ok());
    }

    void identical()
    {
        const QByteArray csv = "step,loss,acc\n0,2.5,\n1,1.25,0.5\n2,nan,\n";
        const MetricComparison c = compareMetrics(parsed(csv), parsed(csv), 0);
        QVERIFY(c.ok());
        QCOMPARE(c.metrics.size(), 2);
        for (const MetricDifference &d : c.metrics)
            QCOMPARE(d.verdict, MetricDifference::Verdict::Identical);
    }

    void toleranceDecides()
    {
        const QList<CsvSeries> a = parsed("step,loss,acc\n0,2.5,0.5\n1,1.0,0.75\n");
        const QList<CsvSeries> b = parsed("step,loss,acc\n0,2.5,0.5\n1,1.001,0.75\n");
        MetricComparison c = compareMetrics(a, b, 0);
        QVERIFY(!c.ok());
        QCOMPARE(c.metrics[0].verdict, MetricDifference::Verdict::Differs);
        QCOMPARE(c.metrics[1].verdict, MetricDifference::Verdict::Identical);
        QVERIFY(qAbs(c.metrics[0].maxRelativeDifference - 0.001 / 1.001) < 1e-12);
        QCOMPARE(c.metrics[0].worstStep, qint64(1));
        QVERIFY(c.table().contains(QStringLiteral("DIFFERS")));
        QVERIFY(c.table().contains(QStringLiteral("loss")));

        c = compareMetrics(a, b, 1e-2);
        QVERIFY(c.ok());
        QCOMPARE(c.metrics[0].verdict, MetricDifference::Verdict::Within);
        c = compareMetrics(a, b, 1e-4);
        QVERIFY(!c.ok());
    }

    void stepsNamesAndNonFinite()
    {
        const QList<CsvSeries> a = parsed("step,loss,old\n0,1,1\n1,2,\n");
        MetricComparison c = compareMetrics(a, parsed("step,loss,new\n0,1,1\n2,2,\n"), 0.5);
        QVERIFY(!c.ok());
        QCOMPARE(c.metrics.size(), 3);
        QCOMPARE(c.metrics[0].verdict, MetricDifference::Verdict::Differs); // other steps
        QVERIFY(c.metrics[0].stepsDiffer);
        QCOMPARE(c.metrics[1].verdict, MetricDifference::Verdict::OnlyArchived);
        QCOMPARE(c.metrics[2].verdict, MetricDifference::Verdict::OnlyRerun);

        c = compareMetrics(parsed("step,loss\n0,nan\n"), parsed("step,loss\n0,1\n"), 1e6);
        QVERIFY(!c.ok());
        QVERIFY(std::isinf(c.metrics[0].maxRelativeDifference));
    }
};

QTEST_GUILESS_MAIN(TestMetricComparison)
#include "tst_metriccomparison.moc"
