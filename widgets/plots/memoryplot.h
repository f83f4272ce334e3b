#pragma once

#include "core/metrics/memoryseries.h"

#include <QTimer>
#include <QWidget>

class QCustomPlot;
class QLabel;

namespace torchlab {

// Memory during a run, drawn from a MemorySeriesStore (owned elsewhere, read
// on the GUI thread), x = seconds since the run started, y = MiB:
//  - NVML: device used and total (a dashed line), and this run's processes;
//  - the caching allocator's allocated / reserved / peak (from lab.h memory events);
//  - without a GPU: the run's resident memory (RSS) and a plain sentence
//    (setNoGpuReason) saying that no GPU was found and why.
// Call samplesAdded() after the store changed; the plot redraws on a timer (40 ms).
class MemoryPlot : public QWidget
{
    Q_OBJECT
public:
    explicit MemoryPlot(QWidget *parent = nullptr);
    ~MemoryPlot() override;

    void setStore(const MemorySeriesStore *store);
    void samplesAdded(); // schedules a redraw
    // Non-empty: no GPU is in use and this says why (from the doctor); shown
    // over the plot. Empty: hide the sentence.
    void setNoGpuReason(const QString &reason);
    QString noGpuReason() const;

    void redrawNow();
    qint64 redrawCount() const { return m_redraws; }
    // Curves drawn in the last redraw ("device used", "process", "allocated", "rss", ...),
    // for tests.
    QStringList drawnCurves() const;
    bool exportPng(const QString &path, int width = 1200, int height = 700);
    QCustomPlot *plot() const { return m_plot; }
    void setDarkTheme(bool dark);
    // Presenter mode: large labels, ticks and legend, thick lines.
    void setPresentation(bool on);
    bool presentation() const { return m_presenting; }

private:
    void scheduleRedraw();
    // minPixels: downsample for at least this many pixel columns (exports).
    void rebuild(int minPixels = 0);

    const MemorySeriesStore *m_store = nullptr;
    QCustomPlot *m_plot = nullptr;
    QLabel *m_reason = nullptr;
    QTimer m_redrawTimer;
    qint64 m_redraws = 0;
    bool m_dark = false;
    bool m_presenting = false;
    struct Private;
    Private *d = nullptr;
};

} // namespace torchlab
