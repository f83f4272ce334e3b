#include "core/metrics/metricstore.h"
#include "core/metrics/seriesmath.h"
#include "helpers/labevents.h"
#include "widgets/plots/lossplot.h"

#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include "widgets/plots/qcp.h"

#include <cmath>
#include <limits>

using namespace torchlab;
using namespace torchlab::testing;

class tst_LossPlot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyStateInvitesToRun();
    void oneGraphPerMetric();
    void redrawsAreCoalesced();
    void followKeepsNewestStepInView();
    void dragAndWheelStopFollowing();
    void smoothGraphIsTheEma();
    void nanIsMarkedAtItsStep();
    void millionPointsAreDownsampled();
    void zoomingInLoadsTheVisibleSamples();
    void droppedNamesAreSaid();
    void pngExportWritesAnImage();
    void resetForgetsGraphs();
    void aSinglePointIsDrawnAndItsValueRead();
    void presentationEnlargesLabelsAndLines();
};

namespace {

// The legend names a metric's graph "<metric>  <newest value>".
QCPGraph *graphNamed(QCustomPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        const QString shown = plot->graph(i)->name();
        if (shown == name || shown.startsWith(name + QStringLiteral("  ")))
            return plot->graph(i);
    }
    return nullptr;
}

QStringList visibleTexts(QCustomPlot *plot)
{
    QStringList out;
    for (int i = 0; i < plot->itemCount(); ++i) {
        if (auto *text = qobject_cast<QCPItemText *>(plot->item(i)); text && text->visible())
            out << text->text();
    }
    return out;
}

void fillLoss(MetricStore &store, int from, int to)
{
    const int id = store.seriesId(QStringLiteral("loss"));
    for (int i = from; i < to; ++i)
        store.append(id, i, 2.0 * std::exp(-i / 200.0) + 0.05 * std::sin(i * 1.7));
}

void showPlot(LossPlot &plot)
{
    plot.resize(900, 500);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
}
} // namespace

void tst_LossPlot::emptyStateInvitesToRun()
{
    LossPlot plot;
    MetricStore store;
    plot.setStore(&store);
    plot.redrawNow();
    QCOMPARE(plot.graphCount(), 0);
    QVERIFY(visibleTexts(plot.plot())
                .contains(QStringLiteral("Run the program to see its metrics here")));
    store.add(metric("loss", 0, 1));
    plot.redrawNow();
    QVERIFY(!visibleTexts(plot.plot())
                 .contains(QStringLiteral("Run the program to see its metrics here")));
}

void tst_LossPlot::oneGraphPerMetric()
{
    MetricStore store;
    store.add(metric("loss", 0, 2.3));
    store.add(metric("accuracy", 0, 0.1));
    LossPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    QCOMPARE(plot.graphCount(), 2);
    QCOMPARE(plot.plot()->graphCount(), 4);        // raw + smoothed per metric
    QCOMPARE(plot.plot()->legend->itemCount(), 2); // the faint raw graph has no legend entry
    QVERIFY(graphNamed(plot.plot(), "loss"));
    QVERIFY(graphNamed(plot.plot(), "accuracy"));

    // A metric that appears mid-run gets its graph on the next timed redraw.
    store.add(metric("val_loss", 1, 2.0));
    plot.samplesAdded();
    QTRY_COMPARE(plot.graphCount(), 3);
    QVERIFY(graphNamed(plot.plot(), "val_loss"));
}

void tst_LossPlot::redrawsAreCoalesced()
{
    MetricStore store;
    LossPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    const qint64 before = plot.redrawCount();
    const int id = store.seriesId("loss");
    for (int i = 0; i < 1000; ++i) {
        store.append(id, i, 1.0 / (i + 1));
        plot.samplesAdded();
    }
    QCOMPARE(plot.redrawCount(), before); // nothing drawn synchronously
    QTRY_VERIFY(plot.redrawCount() > before);
    QVERIFY2(plot.redrawCount() - before <= 2,
             qPrintable(QString::number(plot.redrawCount() - before)));
    // That one redraw saw every sample.
    QCPGraph *raw = plot.plot()->graph(0);
    QVERIFY(!raw->data()->isEmpty());
    QCOMPARE((raw->data()->constEnd() - 1)->key, 999.0);
}

void tst_LossPlot::followKeepsNewestStepInView()
{
    MetricStore store;
    LossPlot plot;
    plot.setStore(&store);
    showPlot(plot);
    QVERIFY(plot.followLatest());
    fillLoss(store, 0, 1000);
    plot.redrawNow();
    QVERIFY(plot.plot()->xAxis->range().contains(999));
    QVERIFY(plot.plot()->xAxis->range().contains(0));
    fillLoss(store, 1000, 5000);
    plot.redrawNow();
    QVERIFY(plot.plot()->xAxis->range().contains(4999));
    // The newest value is inside the vertical range too.
    const double last = store.series("loss")->values.back();
    QVERIFY(plot.plot()->yAxis->range().contains(last));
}

void tst_LossPlot::dragAndWheelStopFollowing()
{
    MetricStore store;
    LossPlot plot;
    plot.setStore(&store);
    showPlot(plot);
    fillLoss(store, 0, 1000);
    plot.redrawNow();
    QSignalSpy followSpy(&plot, &LossPlot::followLatestChanged);
    QCustomPlot *qcp = plot.plot();
    const QCPRange before = qcp->xAxis->range();

    const QPoint from = qcp->axisRect()->rect().center();
    const QPoint to = from + QPoint(150, 0);
    QTest::mousePress(qcp, Qt::LeftButton, {}, from);
    QTest::mouseMove(qcp, from + QPoint(50, 0));
    QTest::mouseMove(qcp, to);
    QTest::mouseRelease(qcp, Qt::LeftButton, {}, to);
    QVERIFY(!plot.followLatest());
    QCOMPARE(followSpy.count(), 1);
    QCOMPARE(followSpy.at(0).at(0).toBool(), false);
    QVERIFY(qcp->xAxis->range().lower < before.lower); // the drag panned the view
    auto *followBox = plot.findChild<QCheckBox *>();
    QVERIFY(followBox);
    QVERIFY(!followBox->isChecked());

    // New samples no longer move the view.
    const QCPRange panned = qcp->xAxis->range();
    fillLoss(store, 1000, 3000);
    plot.redrawNow();
    QCOMPARE(qcp->xAxis->range().lower, panned.lower);
    QCOMPARE(qcp->xAxis->range().upper, panned.upper);
    QVERIFY(!qcp->xAxis->range().contains(2999));

    // The Follow box turns it back on and brings the newest step into view.
    followBox->click();
    QVERIFY(plot.followLatest());
    plot.redrawNow();
    QVERIFY(qcp->xAxis->range().contains(2999));

    // Wheeling zooms, and stops following too.
    QWheelEvent wheel(QPointF(from), QPointF(qcp->mapToGlobal(from)), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(qcp, &wheel);
    QVERIFY(!plot.followLatest());
}

void tst_LossPlot::smoothGraphIsTheEma()
{
    MetricStore store;
    fillLoss(store, 0, 300); // few enough to be drawn without downsampling
    const std::vector<double> &values = store.series("loss")->values;
    LossPlot plot;
    plot.setStore(&store);
    showPlot(plot);

    for (double w : {0.9, 0.3, 0.0}) {
        plot.setSmoothing(w);
        plot.redrawNow();
        QCOMPARE(plot.findChild<QSlider *>()->value(), int(std::lround(w * 100)));
        const std::vector<double> expected = ema(values, w);
        QCPGraph *smooth = graphNamed(plot.plot(), "loss");
        QCOMPARE(smooth->data()->size(), 300);
        for (auto it = smooth->data()->constBegin(); it != smooth->data()->constEnd(); ++it)
            QCOMPARE(it->value, expected[size_t(it->key)]);
    }
    // The raw graph keeps the samples as they are.
    QCPGraph *raw = plot.plot()->graph(0);
    for (auto it = raw->data()->constBegin(); it != raw->data()->constEnd(); ++it)
        QCOMPARE(it->value, values[size_t(it->key)]);

    // Moving the slider sets the weight.
    plot.findChild<QSlider *>()->setValue(75);
    QCOMPARE(plot.smoothing(), 0.75);
    plot.setSmoothing(5);
    QCOMPARE(plot.smoothing(), 0.99);
}

void tst_LossPlot::nanIsMarkedAtItsStep()
{
    MetricStore store;
    const int id = store.seriesId("loss");
    for (int i = 0; i < 100; ++i)
        store.append(id, i * 10, i < 50 ? 1.0 / (i + 1) : std::numeric_limits<double>::quiet_NaN());
    const int acc = store.seriesId("accuracy");
    store.append(acc, 0, 0.5);
    store.append(acc, 10, std::numeric_limits<double>::infinity());
    LossPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    const QStringList texts = visibleTexts(plot.plot());
    QVERIFY2(texts.contains("loss became NaN at step 500"), qPrintable(texts.join('|')));
    QVERIFY2(texts.contains("accuracy became infinite at step 10"), qPrintable(texts.join('|')));
    // The finite part is still drawn.
    QCOMPARE(plot.plot()->graph(0)->data()->size(), 50);
}

void tst_LossPlot::millionPointsAreDownsampled()
{
    MetricStore store;
    const int id = store.seriesId("loss");
    for (int i = 0; i < 1000000; ++i)
        store.append(id, i, std::sin(i * 0.001));
    LossPlot plot;
    plot.setStore(&store);
    showPlot(plot);
    plot.redrawNow();
    const int width = plot.plot()->width(); // the axis rect is narrower
    QVERIFY(plot.drawnPointCount() > 0);
    // raw + smooth, two points per pixel column; following, the margins are empty
    QVERIFY2(plot.drawnPointCount() <= 2 * 2 * width,
             qPrintable(QString::number(plot.drawnPointCount())));
    QVERIFY(plot.plot()->xAxis->range().contains(999999));
}

void tst_LossPlot::zoomingInLoadsTheVisibleSamples()
{
    MetricStore store(
        MetricStore::Limits{64, 1'000'000}); // every sample kept, to see them come back
    const int id = store.seriesId("loss");
    for (int i = 0; i < 100000; ++i)
        store.append(id, i, std::sin(i * 0.01));
    LossPlot plot;
    plot.setStore(&store);
    showPlot(plot);
    plot.redrawNow();
    QCPGraph *raw = plot.plot()->graph(0);
    // Zoomed out, one sample in ~100 is drawn: step 50050 is very likely not among them.
    QVERIFY(raw->data()->size() < 5000);

    plot.setFollowLatest(false);
    plot.plot()->xAxis->setRange(50000, 50100); // as a wheel zoom would
    // The next timed redraw hands over every sample of the new range (and one
    // range-width either side, for panning), and no more.
    QTRY_VERIFY(raw->data()->findBegin(50050, false)->key == 50050);
    for (int step = 49950; step <= 50150; ++step)
        QCOMPARE(raw->data()->findBegin(step, false)->key, double(step));
    QVERIFY(raw->data()->size() <= 303 + 2);
}

void tst_LossPlot::droppedNamesAreSaid()
{
    MetricStore store; // 64 names at most
    for (int i = 0; i < 70; ++i)
        store.add(metric(QStringLiteral("loss_%1").arg(i), 0, i));
    LossPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    QCOMPARE(plot.graphCount(), 64);
    const auto saying = [&plot](const QString &text) {
        for (QLabel *label : plot.findChildren<QLabel *>())
            if (label->text() == text && !label->isHidden())
                return true;
        return false;
    };
    QVERIFY(saying(QStringLiteral("64 metrics shown; 6 more were not kept")));
    store.clear();
    plot.reset();
    plot.redrawNow();
    QVERIFY(!saying(QStringLiteral("64 metrics shown; 6 more were not kept")));
}

void tst_LossPlot::pngExportWritesAnImage()
{
    MetricStore store;
    fillLoss(store, 0, 2000);
    LossPlot plot;
    plot.setStore(&store);
    QTemporaryDir dir;
    const QString path = dir.filePath("loss.png");
    QVERIFY(plot.exportPng(path, 640, 400));
    QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(640, 400));
    // Something was drawn: the curve's colour differs from the background.
    const QRgb background = image.pixel(0, 0);
    int differing = 0;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            differing += image.pixel(x, y) != background;
    }
    QVERIFY(differing > 100);
}

void tst_LossPlot::resetForgetsGraphs()
{
    MetricStore store;
    fillLoss(store, 0, 100);
    LossPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    plot.setFollowLatest(false);
    QCOMPARE(plot.graphCount(), 1);
    store.clear();
    plot.reset();
    plot.redrawNow();
    QCOMPARE(plot.graphCount(), 0);
    QCOMPARE(plot.plot()->graphCount(), 0);
    QVERIFY(plot.followLatest());
    // An empty plot starts from the axes of a new window, not the last run's.
    QCOMPARE(plot.plot()->xAxis->range().lower, 0.0);
    QCOMPARE(plot.plot()->xAxis->range().upper, 5.0);
    QCOMPARE(plot.plot()->yAxis->range().upper, 5.0);
    // A store cleared without reset() is noticed too.
    fillLoss(store, 0, 10);
    plot.redrawNow();
    store.clear();
    store.add(metric("accuracy", 0, 0.5));
    plot.redrawNow();
    QCOMPARE(plot.graphCount(), 1);
    QVERIFY(graphNamed(plot.plot(), "accuracy"));
}

void tst_LossPlot::aSinglePointIsDrawnAndItsValueRead()
{
    // test_accuracy reported once, at the last step: a line needs two points,
    // so the point is a marker, and the legend gives its value.
    MetricStore store;
    fillLoss(store, 0, 100);
    store.add(metric("test_accuracy", 99, 0.9125));
    LossPlot plot;
    plot.setStore(&store);
    showPlot(plot);
    plot.redrawNow();
    QCOMPARE(plot.graphCount(), 2);
    QVERIFY(plot.hasMarkers(QStringLiteral("test_accuracy")));
    QVERIFY(!plot.hasMarkers(QStringLiteral("loss")));
    QVERIFY2(plot.legendText(QStringLiteral("test_accuracy")).contains(QStringLiteral("0.9125")),
             qPrintable(plot.legendText(QStringLiteral("test_accuracy"))));
    // The newest value of every metric is readable as a number.
    const MetricSeries &loss = store.series(0);
    QVERIFY(plot.legendText(QStringLiteral("loss"))
                .contains(QLocale().toString(loss.values.back(), 'g', 4)));
    // The marker is painted: some pixel near the point has the graph's colour.
    QCPGraph *accuracy = graphNamed(plot.plot(), "test_accuracy");
    QVERIFY(accuracy);
    const QImage image = plot.plot()->toPixmap().toImage();
    const QPointF at(plot.plot()->xAxis->coordToPixel(99),
                     plot.plot()->yAxis->coordToPixel(0.9125));
    const QColor hue = accuracy->pen().color();
    bool painted = false;
    for (int dx = -3; dx <= 3 && !painted; ++dx)
        for (int dy = -3; dy <= 3 && !painted; ++dy) {
            const QColor c = image.pixelColor(int(at.x()) + dx, int(at.y()) + dy);
            painted = std::abs(c.red() - hue.red()) < 30 &&
                      std::abs(c.green() - hue.green()) < 30 &&
                      std::abs(c.blue() - hue.blue()) < 30;
        }
    QVERIFY(painted);
}

void tst_LossPlot::presentationEnlargesLabelsAndLines()
{
    MetricStore store;
    fillLoss(store, 0, 100);
    LossPlot plot;
    plot.setStore(&store);
    plot.redrawNow();
    const double ticks = plot.plot()->xAxis->tickLabelFont().pointSizeF();
    const double pen = plot.plot()->graph(1)->pen().widthF();
    plot.setPresentation(true);
    QVERIFY(plot.plot()->xAxis->tickLabelFont().pointSizeF() >= ticks * 1.5);
    QVERIFY(plot.plot()->xAxis->labelFont().pointSizeF() >= ticks * 1.5);
    QVERIFY(plot.plot()->legend->font().pointSizeF() >= ticks * 1.5);
    QVERIFY(plot.plot()->graph(1)->pen().widthF() >= pen * 2);
    plot.setPresentation(false);
    QCOMPARE(plot.plot()->xAxis->tickLabelFont().pointSizeF(), ticks);
    QCOMPARE(plot.plot()->graph(1)->pen().widthF(), pen);
}

QTEST_MAIN(tst_LossPlot)
#include "tst_lossplot.moc"
