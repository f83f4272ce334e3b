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
constexpr int CurveCount = MemorySeriesStore::CurveCount;

struct CurveSpec
{
    const char *key;   // MemorySeriesStore::curveKey()
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
        QCPGraph *graph = nullptr;
        bool drawn = false;
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

void MemoryPlot::setStore(const MemorySeriesStore *store)
{
    m_store = store;
    scheduleRedraw();
}

void MemoryPlot::samplesAdded()
{
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

QStringList MemoryPlot::drawnCurves() const
{
    QStringList out;
    for (size_t i = 0; i < kCurves.size(); ++i) {
        if (d->curves[i].drawn)
            out << QLatin1String(kCurves[i].key);
    }
    return out;
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
        d->curves[i].graph->setPen(QPen(plotstyle::seriesColor(spec.colorIndex, dark),
                                        spec.width * plotstyle::penScale(m_presenting),
                                        spec.style));
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
    for (int i = 0; i < CurveCount; ++i) {
        Private::Curve &c = d->curves[size_t(i)];
        const MemorySeriesStore::Series *series =
            m_store ? &m_store->curve(MemorySeriesStore::Curve(i)) : nullptr;
        c.drawn = series && series->size() > 0;
        if (!c.drawn) {
            c.graph->data()->clear();
            c.graph->removeFromLegend();
            continue;
        }
        any = true;
        const std::vector<PlotPoint> points =
            downsampleMinMax(series->timeMs, series->bytes, pixels);
        d->keys.resize(qsizetype(points.size()));
        d->values.resize(qsizetype(points.size()));
        for (size_t p = 0; p < points.size(); ++p) {
            d->keys[qsizetype(p)] = double(points[p].step) / 1000.0;
            d->values[qsizetype(p)] = points[p].value / kMiB;
            top = std::max(top, d->values[qsizetype(p)]);
        }
        c.graph->setData(d->keys, d->values, series->sorted);
        c.graph->addToLegend();
    }
    if (m_store)
        lastMs = m_store->lastTimeMs();
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
    } else {
        // Emptied (a new run, another lesson): the last run's axes go too.
        m_plot->xAxis->setRange(0, 10);
        m_plot->yAxis->setRange(0, 100);
    }
}

void MemoryPlot::setPresentation(bool on)
{
    m_presenting = on;
    plotstyle::applyScale(m_plot, font(), on ? 1.6 : 1.0);
    QFont emptyFont = font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * (on ? 1.6 : 1.0));
    d->emptyText->setFont(emptyFont);
    setDarkTheme(m_dark); // pens at the new width
}

} // namespace torchlab
