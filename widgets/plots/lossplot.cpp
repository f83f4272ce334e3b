#include "widgets/plots/lossplot.h"

#include "core/metrics/metricstore.h"
#include "core/metrics/plotseries.h"
#include "widgets/plots/plotstyle.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSlider>
#include <QVBoxLayout>

#include "widgets/plots/qcp.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace torchlab {

namespace {

constexpr double kMaxSmoothing = 0.99;
constexpr double kDefaultSmoothing = 0.6; // TensorBoard's default

template <class Point>
void toVectors(const std::vector<Point> &points, QVector<double> &keys, QVector<double> &values)
{
    keys.resize(qsizetype(points.size()));
    values.resize(qsizetype(points.size()));
    for (size_t i = 0; i < points.size(); ++i) {
        keys[qsizetype(i)] = double(points[i].step);
        values[qsizetype(i)] = points[i].value;
    }
}

} // namespace

struct LossPlot::Private
{
    struct Metric
    {
        int seriesId = -1;
        QString name;
        PlotSeries cache;
        QCPGraph *raw = nullptr;
        QCPGraph *smooth = nullptr;
        QCPItemStraightLine *nanLine = nullptr;
        QCPItemText *nanLabel = nullptr;
    };

    std::vector<std::unique_ptr<Metric>> metrics;
    int seenSeries = 0; // store series ids already looked at (memory/* included)
    double smoothing = kDefaultSmoothing;
    QCPItemText *emptyText = nullptr;
    QLabel *dropped = nullptr; // "64 metrics shown; 9,936 more were not kept", above the plot
    QLabel *smoothingValue = nullptr;
    bool settingRange = false;    // rangeChanged caused by rebuild(), not by the user
    QVector<double> keys, values; // reused between redraws
    int interval = 40;            // ms between redraws
    QElapsedTimer sinceRedraw;    // started at each redraw
};

LossPlot::LossPlot(QWidget *parent) : QWidget(parent), d(new Private)
{
    m_plot = new QCustomPlot(this);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->xAxis->setNumberFormat(QStringLiteral("f"));
    m_plot->xAxis->setNumberPrecision(0);
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);

    d->emptyText = new QCPItemText(m_plot);
    d->emptyText->position->setType(QCPItemPosition::ptAxisRectRatio);
    d->emptyText->position->setCoords(0.5, 0.5);
    d->emptyText->setPositionAlignment(Qt::AlignCenter);
    d->emptyText->setText(tr("Run the program to see its metrics here"));
    QFont emptyFont = font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.2);
    d->emptyText->setFont(emptyFont);
    d->dropped = new QLabel(this);
    d->dropped->setWordWrap(true);
    d->dropped->setTextFormat(Qt::PlainText);
    d->dropped->setContentsMargins(8, 2, 8, 2);
    d->dropped->setVisible(false);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, int(std::lround(kMaxSmoothing * 100)));
    m_slider->setValue(int(std::lround(d->smoothing * 100)));
    m_slider->setMaximumWidth(220);
    m_slider->setToolTip(tr("Weight of the past in the moving average (0: raw values)"));
    d->smoothingValue = new QLabel(this);
    d->smoothingValue->setMinimumWidth(
        d->smoothingValue->fontMetrics().horizontalAdvance(QStringLiteral("0.000")));
    m_followBox = new QCheckBox(tr("Follow"), this);
    m_followBox->setChecked(true);
    m_followBox->setToolTip(tr("Keep the newest steps in view"));

    auto *controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 0);
    controls->setSpacing(8);
    controls->addWidget(new QLabel(tr("Smoothing"), this));
    controls->addWidget(m_slider, 1);
    controls->addWidget(d->smoothingValue);
    controls->addSpacing(12);
    controls->addWidget(m_followBox);
    controls->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(controls);
    layout->addWidget(d->dropped);
    layout->addWidget(m_plot, 1);
    d->smoothingValue->setText(QString::number(d->smoothing, 'f', 2));

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(40);
    connect(&m_redrawTimer, &QTimer::timeout, this, [this] {
        rebuild();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        d->smoothing = value / 100.0;
        d->smoothingValue->setText(QString::number(d->smoothing, 'f', 2));
        samplesAdded();
    });
    connect(m_followBox, &QCheckBox::toggled, this, &LossPlot::setFollowLatest);

    // Pressing or wheeling inside the plot means the user takes over the view:
    // following must stop at once, or the next redraw would yank the range
    // away in the middle of a drag.
    const auto insideData = [this](const QPointF &pos) {
        return m_plot->axisRect()->rect().contains(pos.toPoint()) &&
               !(m_plot->legend->visible() && m_plot->legend->outerRect().contains(pos.toPoint()));
    };
    connect(m_plot, &QCustomPlot::mousePress, this, [this, insideData](QMouseEvent *event) {
        if (event->button() == Qt::LeftButton && insideData(event->position()))
            setFollowLatest(false);
    });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this, insideData](QWheelEvent *event) {
        if (insideData(event->position()))
            setFollowLatest(false);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this,
            [this](QMouseEvent *) { setFollowLatest(true); });
    // Only the visible steps are handed to the plot, so a pan or zoom needs
    // fresh data for the new range.
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] {
        if (!d->settingRange)
            samplesAdded();
    });
    connect(m_plot, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(tr("Show all steps"), this, [this] { setFollowLatest(true); });
        menu.addSeparator();
        menu.addAction(tr("Export PNG…"), this, [this] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), QString(),
                                                              tr("PNG image (*.png)"));
            if (!path.isEmpty() && !exportPng(path))
                QMessageBox::warning(this, tr("Export plot"), tr("Could not write %1.").arg(path));
        });
        menu.addAction(tr("Export CSV…"), this, [this] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"), QString(),
                                                              tr("CSV file (*.csv)"));
            if (!path.isEmpty())
                Q_EMIT csvExportRequested(path);
        });
        menu.exec(m_plot->mapToGlobal(pos));
    });

    applyColors();
}

LossPlot::~LossPlot()
{
    delete d;
}

void LossPlot::setStore(const MetricStore *store)
{
    m_store = store;
    reset();
}

void LossPlot::samplesAdded()
{
    // Not restarted when already pending: under a steady stream the plot must
    // still redraw every interval instead of waiting for a pause. The wait
    // counts from the last redraw, so a stream redraws every interval (not
    // every interval plus a redraw plus a batch) and a lone sample after a
    // quiet spell shows on the next event-loop turn.
    if (m_redrawTimer.isActive())
        return;
    const qint64 since = d->sinceRedraw.isValid() ? d->sinceRedraw.elapsed() : d->interval;
    m_redrawTimer.start(int(std::clamp<qint64>(d->interval - since, 0, d->interval)));
}

void LossPlot::setRedrawInterval(int ms)
{
    d->interval = std::max(ms, 0);
    m_redrawTimer.setInterval(d->interval);
}

void LossPlot::reset()
{
    forgetGraphs();
    setFollowLatest(true);
    // The last run's axes go too: an empty plot starts from the same ranges
    // as a new window.
    d->settingRange = true;
    m_plot->xAxis->setRange(0, 5);
    m_plot->yAxis->setRange(0, 5);
    d->settingRange = false;
    samplesAdded();
}

void LossPlot::setPresentation(bool on)
{
    m_presenting = on;
    plotstyle::applyScale(m_plot, font(), on ? 1.6 : 1.0);
    QFont emptyFont = font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * (on ? 1.8 : 1.2));
    d->emptyText->setFont(emptyFont);
    for (const auto &m : d->metrics)
        m->raw->setScatterStyle(QCPScatterStyle()); // markers come back at the new size
    applyColors();
    redrawNow();
}

QString LossPlot::legendText(const QString &metric) const
{
    for (const auto &m : d->metrics) {
        if (m->name == metric)
            return m->smooth->name();
    }
    return {};
}

bool LossPlot::hasMarkers(const QString &metric) const
{
    for (const auto &m : d->metrics) {
        if (m->name == metric)
            return m->raw->scatterStyle().shape() != QCPScatterStyle::ssNone;
    }
    return false;
}

void LossPlot::forgetGraphs()
{
    for (const auto &m : d->metrics) {
        m_plot->removeGraph(m->raw);
        m_plot->removeGraph(m->smooth);
        if (m->nanLine)
            m_plot->removeItem(m->nanLine);
        if (m->nanLabel)
            m_plot->removeItem(m->nanLabel);
    }
    d->metrics.clear();
    d->seenSeries = 0;
    m_drawnPoints = 0;
}

void LossPlot::redrawNow()
{
    m_redrawTimer.stop();
    rebuild();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
}

void LossPlot::setSmoothing(double weight)
{
    const double w = std::isfinite(weight) ? std::clamp(weight, 0.0, kMaxSmoothing) : 0.0;
    d->smoothing = w;
    {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(int(std::lround(w * 100)));
    }
    d->smoothingValue->setText(QString::number(w, 'f', 2));
    samplesAdded();
}

double LossPlot::smoothing() const
{
    return d->smoothing;
}

void LossPlot::setFollowLatest(bool follow)
{
    if (m_follow == follow)
        return;
    m_follow = follow;
    {
        const QSignalBlocker block(m_followBox);
        m_followBox->setChecked(follow);
    }
    if (follow)
        samplesAdded();
    Q_EMIT followLatestChanged(follow);
}

int LossPlot::graphCount() const
{
    return int(d->metrics.size());
}

int LossPlot::drawnPointCount() const
{
    return m_drawnPoints;
}

void LossPlot::setDarkTheme(bool dark)
{
    m_dark = dark;
    applyColors();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::applyColors()
{
    const bool dark = m_dark;
    plotstyle::apply(m_plot, dark);
    const plotstyle::Colors c = plotstyle::colors(dark);
    d->emptyText->setColor(c.muted);
    d->dropped->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(c.alarm.name()));
    for (size_t i = 0; i < d->metrics.size(); ++i) {
        Private::Metric &m = *d->metrics[i];
        const QColor hue = plotstyle::seriesColor(int(i), dark);
        QColor faint = hue;
        faint.setAlpha(dark ? 70 : 60);
        const double width = plotstyle::penScale(m_presenting);
        m.raw->setPen(QPen(faint, width));
        m.smooth->setPen(QPen(hue, 2 * width));
        if (m.nanLine)
            m.nanLine->setPen(QPen(c.alarm, 1, Qt::DashLine));
        if (m.nanLabel)
            m.nanLabel->setColor(c.alarm);
    }
}

void LossPlot::rebuild(int minPixels)
{
    ++m_redraws;
    d->sinceRedraw.start();
    if (m_store && (m_store->seriesCount() < d->seenSeries ||
                    std::any_of(d->metrics.begin(), d->metrics.end(), [this](const auto &m) {
                        return m->seriesId >= m_store->seriesCount() ||
                               m_store->series(m->seriesId).name != m->name;
                    }))) {
        // The store was cleared behind our back (reset() not called): start over.
        forgetGraphs();
    }
    if (!m_store && !d->metrics.empty())
        forgetGraphs();

    if (m_store) {
        for (int id = d->seenSeries; id < m_store->seriesCount(); ++id) {
            const MetricSeries &series = m_store->series(id);
            auto m = std::make_unique<Private::Metric>();
            m->seriesId = id;
            m->name = series.name;
            m->raw = m_plot->addGraph();
            m->raw->removeFromLegend();
            m->smooth = m_plot->addGraph();
            m->smooth->setName(series.name);
            d->metrics.push_back(std::move(m));
        }
        if (d->seenSeries != m_store->seriesCount()) {
            d->seenSeries = m_store->seriesCount();
            applyColors(); // for the new graphs
        }
    }

    qint64 minStep = 0, maxStep = 0;
    bool any = false;
    for (const auto &m : d->metrics) {
        const MetricSeries &series = m_store->series(m->seriesId);
        m->cache.update(series, d->smoothing);
        if (m->cache.size() == 0)
            continue;
        minStep = any ? std::min(minStep, m->cache.minStep()) : m->cache.minStep();
        maxStep = any ? std::max(maxStep, m->cache.maxStep()) : m->cache.maxStep();
        any = true;
    }

    d->settingRange = true;
    if (m_follow && any) {
        const double span = std::max<double>(double(maxStep - minStep), 1.0);
        m_plot->xAxis->setRange(double(minStep) - span * 0.01, double(maxStep) + span * 0.01);
    }

    // Data for the visible range and one range-width either side, so that a
    // pan shows data at once, before the next redraw refines it.
    const QCPRange range = m_plot->xAxis->range();
    const int pixels = std::max({m_plot->axisRect()->width(), minPixels, 100});
    m_drawnPoints = 0;
    int nanRow = 0;
    for (const auto &m : d->metrics) {
        const MetricSeries &series = m_store->series(m->seriesId);
        const PlotSlice slice =
            m->cache.slice(series, range.lower, range.upper, pixels, range.size());
        const bool sorted = m->cache.stepsSorted();
        toVectors(slice.raw, d->keys, d->values);
        m->raw->setData(d->keys, d->values, sorted);
        // A dense faint band looks the same without antialiasing and paints in
        // half the time; a sparse raw line (zoomed in) keeps it.
        m->raw->setAntialiased(int(slice.raw.size()) <= pixels);
        toVectors(slice.smooth, d->keys, d->values);
        m->smooth->setData(d->keys, d->values, sorted);
        m_drawnPoints += int(slice.raw.size() + slice.smooth.size());
        // One or two samples make no line: draw them as dots. The legend
        // says the newest value, which a plot alone does not let one read.
        const bool sparse = series.size() <= 2;
        if (sparse != (m->raw->scatterStyle().shape() != QCPScatterStyle::ssNone)) {
            const QColor hue = m->smooth->pen().color();
            m->raw->setScatterStyle(
                sparse ? QCPScatterStyle(QCPScatterStyle::ssDisc, hue, hue, m_presenting ? 14 : 8)
                       : QCPScatterStyle());
        }
        if (series.size() > 0)
            m->smooth->setName(QStringLiteral("%1  %2").arg(
                m->name, QLocale().toString(series.values.back(), 'g', 4)));

        if (series.hasNonFinite && !m->nanLine) {
            const qint64 step = series.firstNonFiniteStep;
            const double bad = series.firstNonFiniteValue;
            m->nanLine = new QCPItemStraightLine(m_plot);
            m->nanLine->point1->setCoords(double(step), 0);
            m->nanLine->point2->setCoords(double(step), 1);
            m->nanLabel = new QCPItemText(m_plot);
            m->nanLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
            m->nanLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
            m->nanLabel->setPadding(QMargins(4, 2, 4, 2));
            m->nanLabel->setText(
                std::isnan(bad)
                    ? tr("%1 became NaN at step %2").arg(m->name, QString::number(step))
                    : tr("%1 became infinite at step %2").arg(m->name, QString::number(step)));
            applyColors();
        }
        if (m->nanLabel) {
            // Text on the side of the marker with more room, so that a blow-up
            // near the newest step does not push its label out of the plot.
            const double x = m->nanLine->point1->coords().x();
            m->nanLabel->setPositionAlignment(
                Qt::AlignTop | (x > range.center() ? Qt::AlignRight : Qt::AlignLeft));
            m->nanLabel->position->setCoords(x, 0.03 + 0.07 * nanRow);
            ++nanRow;
        }
    }

    if (m_follow && any) {
        bool found = false;
        QCPRange y;
        for (const auto &m : d->metrics) {
            for (QCPGraph *g : {m->raw, m->smooth}) {
                bool ok = false;
                const QCPRange r = g->getValueRange(ok, QCP::sdBoth, m_plot->xAxis->range());
                if (!ok)
                    continue;
                y = found ? QCPRange(std::min(y.lower, r.lower), std::max(y.upper, r.upper)) : r;
                found = true;
            }
        }
        if (found) {
            const double pad = std::max(y.size() * 0.05, std::abs(y.upper) * 1e-3 + 1e-9);
            m_plot->yAxis->setRange(y.lower - pad, y.upper + pad);
        }
    }
    d->settingRange = false;
    // The store keeps a bounded number of names: say how many it left out.
    const qint64 notShown = m_store ? m_store->drops().names : 0;
    d->dropped->setVisible(notShown > 0);
    if (notShown > 0)
        d->dropped->setText(m_store->drops().namesSaturated
                                ? tr("%1 metrics shown; at least %2 more were not kept")
                                      .arg(m_store->seriesCount())
                                      .arg(notShown)
                                : tr("%1 metrics shown; %2 more were not kept")
                                      .arg(m_store->seriesCount())
                                      .arg(notShown));
    d->emptyText->setVisible(d->metrics.empty());
    m_plot->legend->setVisible(!d->metrics.empty());
}

bool LossPlot::exportPng(const QString &path, int width, int height)
{
    m_redrawTimer.stop();
    rebuild(width);
    return m_plot->savePng(path, width, height);
}

} // namespace torchlab
