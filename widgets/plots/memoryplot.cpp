#include "widgets/plots/memoryplot.h"

#include "core/metrics/seriesmath.h"
#include "widgets/plots/plotstyle.h"

#include <QLabel>
#include <QVBoxLayout>

#include "widgets/plots/qcp.h"

#include <algorithm>
#include <array>

namespace torchlab {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

enum CurveId
{
    DeviceUsed,
    DeviceTotal,
    Process,
    Allocated,
    Reserved,
    Peak,
    Rss,
    CurveCount
};

struct CurveSpec
{
    const char *key;   // stable name for sampleCount()
    const char *label; // legend text, translated in the "MemoryPlot" context
    int colorIndex;
    Qt::PenStyle style;
    qreal width;
};

constexpr std::array<CurveSpec, CurveCount> kCurves{{
    {"device used", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "GPU used (all processes)"), 0,
     Qt::SolidLine, 2},
    {"device total", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "GPU total"), 0, Qt::DashLine, 1.5},
    {"process", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "this run (NVML)"), 1, Qt::SolidLine, 2},
    {"allocated", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "allocated (caching allocator)"), 2,
     Qt::SolidLine, 2},
    {"reserved", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "reserved (caching allocator)"), 4,
     Qt::SolidLine, 1.5},
    {"peak", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "peak allocated"), 3, Qt::DotLine, 1.5},
    {"rss", QT_TRANSLATE_NOOP("torchlab::MemoryPlot", "this run (resident memory)"), 1,
     Qt::SolidLine, 2},
}};

} // namespace

struct MemoryPlot::Private
{
    struct Curve
    {
        std::vector<qint64> timeMs;
        std::vector<double> mib;
        bool sorted = true;
        QCPGraph *graph = nullptr;

        void add(qint64 t, qint64 bytes)
        {
            if (!timeMs.empty() && t < timeMs.back())
                sorted = false;
            timeMs.push_back(t);
            mib.push_back(double(bytes) / kMiB);
        }
    };
    std::array<Curve, CurveCount> curves;
    QCPItemText *emptyText = nullptr;
    QVector<double> keys, values;
};

MemoryPlot::MemoryPlot(QWidget *parent) : QWidget(parent), d(new Private)
{
    m_reason = new QLabel(this);
    m_reason->setWordWrap(true);
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->setContentsMargins(8, 6, 8, 6);
    m_reason->setVisible(false);

    m_plot = new QCustomPlot(this);
    m_plot->xAxis->setLabel(tr("time (s)"));
    m_plot->yAxis->setLabel(tr("MiB"));
    // The legend goes below the axes: every corner inside them is taken by a
    // curve (total at the top, the run's memory rising from the bottom).
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->axisRect()->insetLayout()->simplify();
    // It joins the plot layout's second row with the first curve (rebuild()).
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setVisible(false);
    for (int i = 0; i < CurveCount; ++i) {
        QCPGraph *g = m_plot->addGraph();
        g->setName(tr(kCurves[size_t(i)].label));
        g->removeFromLegend();
        d->curves[size_t(i)].graph = g;
    }
    d->emptyText = new QCPItemText(m_plot);
    d->emptyText->position->setType(QCPItemPosition::ptAxisRectRatio);
    d->emptyText->position->setCoords(0.5, 0.5);
    d->emptyText->setPositionAlignment(Qt::AlignCenter);
    d->emptyText->setText(tr("Memory use appears here\nwhile the program runs"));
    m_plot->xAxis->setRange(0, 10);
    m_plot->yAxis->setRange(0, 100);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_reason);
    layout->addWidget(m_plot, 1);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(40);
    connect(&m_redrawTimer, &QTimer::timeout, this, [this] {
        rebuild();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    setDarkTheme(false);
}

MemoryPlot::~MemoryPlot()
{
    // Out of the layout while empty (see rebuild()), so no layout deletes it.
    if (m_plot->legend && !m_plot->legend->layout())
        delete m_plot->legend;
    delete d;
}

void MemoryPlot::clear()
{
    for (Private::Curve &c : d->curves) {
        c.timeMs.clear();
        c.mib.clear();
        c.sorted = true;
    }
    scheduleRedraw();
}

void MemoryPlot::addDeviceSample(const MemorySample &sample)
{
    // Host samplers (no device) report the run's RSS as processUsed.
    if (sample.deviceIndex < 0) {
        if (sample.processUsed >= 0)
            d->curves[Rss].add(sample.timeMs, sample.processUsed);
        scheduleRedraw();
        return;
    }
    if (sample.deviceUsed >= 0)
        d->curves[DeviceUsed].add(sample.timeMs, sample.deviceUsed);
    if (sample.deviceTotal >= 0)
        d->curves[DeviceTotal].add(sample.timeMs, sample.deviceTotal);
    if (sample.processUsed >= 0)
        d->curves[Process].add(sample.timeMs, sample.processUsed);
    scheduleRedraw();
}

void MemoryPlot::addAllocatorSample(qint64 timeMs, qint64 allocated, qint64 reserved, qint64 peak)
{
    if (allocated >= 0)
        d->curves[Allocated].add(timeMs, allocated);
    if (reserved >= 0)
        d->curves[Reserved].add(timeMs, reserved);
    if (peak >= 0)
        d->curves[Peak].add(timeMs, peak);
    scheduleRedraw();
}

void MemoryPlot::addRssSample(qint64 timeMs, qint64 bytes)
{
    if (bytes >= 0)
        d->curves[Rss].add(timeMs, bytes);
    scheduleRedraw();
}

void MemoryPlot::setNoGpuReason(const QString &reason)
{
    m_reason->setText(reason.trimmed());
    m_reason->setVisible(!reason.trimmed().isEmpty());
}

QString MemoryPlot::noGpuReason() const
{
    return m_reason->text();
}

void MemoryPlot::redrawNow()
{
    m_redrawTimer.stop();
    rebuild();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
}

int MemoryPlot::sampleCount(const QString &curve) const
{
    for (size_t i = 0; i < kCurves.size(); ++i) {
        if (curve == QLatin1String(kCurves[i].key))
            return int(d->curves[i].timeMs.size());
    }
    return 0;
}

bool MemoryPlot::exportPng(const QString &path, int width, int height)
{
    m_redrawTimer.stop();
    rebuild(width);
    return m_plot->savePng(path, width, height);
}

void MemoryPlot::setDarkTheme(bool dark)
{
    m_dark = dark;
    plotstyle::apply(m_plot, dark);
    const plotstyle::Colors c = plotstyle::colors(dark);
    d->emptyText->setColor(c.muted);
    for (size_t i = 0; i < kCurves.size(); ++i) {
        const CurveSpec &spec = kCurves[i];
        d->curves[i].graph->setPen(
            QPen(plotstyle::seriesColor(spec.colorIndex, dark), spec.width, spec.style));
    }
    QColor band = c.alarm;
    band.setAlpha(dark ? 40 : 24);
    m_reason->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; }")
                                .arg(band.name(QColor::HexArgb), c.foreground.name()));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MemoryPlot::scheduleRedraw()
{
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void MemoryPlot::rebuild(int minPixels)
{
    ++m_redraws;
    // Samples arrive at ~10 Hz, but a long run or a chatty allocator can pile
    // up many: reduce to about two points per pixel column like the loss plot.
    const int pixels = std::max({m_plot->axisRect()->width(), minPixels, 100});
    qint64 lastMs = 0;
    double top = 0;
    bool any = false;
    for (Private::Curve &c : d->curves) {
        if (c.timeMs.empty()) {
            c.graph->data()->clear();
            c.graph->removeFromLegend();
            continue;
        }
        any = true;
        const std::vector<PlotPoint> points = downsampleMinMax(c.timeMs, c.mib, pixels);
        d->keys.resize(qsizetype(points.size()));
        d->values.resize(qsizetype(points.size()));
        for (size_t i = 0; i < points.size(); ++i) {
            d->keys[qsizetype(i)] = double(points[i].step) / 1000.0;
            d->values[qsizetype(i)] = points[i].value;
            top = std::max(top, points[i].value);
        }
        c.graph->setData(d->keys, d->values, c.sorted);
        c.graph->addToLegend();
        lastMs = std::max(lastMs, *std::max_element(c.timeMs.begin(), c.timeMs.end()));
    }
    d->emptyText->setVisible(!any);
    m_plot->legend->setVisible(any);
    // An empty legend left in the layout grid caps the column at its own tiny
    // width and squeezes the axes into a strip: keep it out while it is empty.
    QCPLayoutGrid *grid = m_plot->plotLayout();
    const bool inGrid = grid->hasElement(1, 0) && grid->element(1, 0) == m_plot->legend;
    if (any && !inGrid) {
        grid->addElement(1, 0, m_plot->legend);
        grid->setRowStretchFactor(1, 0.001);
    } else if (!any && inGrid) {
        grid->take(m_plot->legend);
        grid->simplify();
    }
    if (any) {
        m_plot->xAxis->setRange(0, std::max(double(lastMs) / 1000.0, 1.0));
        m_plot->yAxis->setRange(0, std::max(top * 1.08, 1.0));
    }
}

} // namespace torchlab
