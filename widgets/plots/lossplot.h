#pragma once

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QSlider;

namespace torchlab {

class MetricStore;

// The live loss plot: one graph per metric name found in a MetricStore, x =
// step; when the store left names out (it is bounded), a line says how many. Raw samples are drawn
// faint, the EMA with bias correction (metrics/seriesmath.h) on top, its weight set by a slider (0
// .. 0.99). Only what is visible is drawn (metrics/plotseries.h): raw samples reduced to ~2 points
// per pixel column with min/max downsampling, the EMA to one point per two columns (bucket means),
// so a million samples redraw in milliseconds. Zoom with the wheel, pan by dragging; follow-latest
// shows every step up to the newest and turns itself off when the user presses or wheels in the
// plot (the "Follow" box, a double-click or the context menu turn it back on). The first NaN/inf of
// a metric is marked at its step. Export to PNG, and CSV through csvExportRequested() (context
// menu).
//
// The store is owned elsewhere and only read, on the GUI thread. Call
// samplesAdded() after appending; redraws are coalesced on a timer: at most
// one per interval (40 ms), counted from the previous redraw.
class LossPlot : public QWidget
{
    Q_OBJECT
public:
    explicit LossPlot(QWidget *parent = nullptr);
    ~LossPlot() override;

    void setStore(const MetricStore *store);
    void samplesAdded(); // schedules a redraw (at most one per interval)
    void reset();        // the store was cleared: forget graphs, follow again
    void redrawNow();    // rebuilds the visible data and replots at once (tests, bench)

    void setSmoothing(double weight); // 0 .. 0.99; moves the slider
    double smoothing() const;
    void setFollowLatest(bool follow);
    bool followLatest() const { return m_follow; }
    void setRedrawInterval(int ms); // default 40

    bool exportPng(const QString &path, int width = 1200, int height = 700);

    int graphCount() const; // metric graphs shown (raw + smooth count as one)
    qint64 redrawCount() const { return m_redraws; }
    int drawnPointCount() const; // points handed to QCustomPlot in the last redraw
    QCustomPlot *plot() const { return m_plot; }
    void setDarkTheme(bool dark);
    // Presenter mode: large labels, ticks and legend, thick lines and markers.
    void setPresentation(bool on);
    bool presentation() const { return m_presenting; }
    // The legend's text for a metric: its name and newest value ("loss 0.213").
    QString legendText(const QString &metric) const;
    // Whether a metric's points are drawn with markers (one or two points draw no line).
    bool hasMarkers(const QString &metric) const;

Q_SIGNALS:
    void followLatestChanged(bool follow);
    // The learner chose "Export CSV…" and a file: the session writes it
    // (LabSession::exportMetricsCsv).
    void csvExportRequested(const QString &path);

private:
    // minPixels: downsample for at least this many pixel columns (exports).
    void rebuild(int minPixels = 0);
    void forgetGraphs();
    void applyColors();

    const MetricStore *m_store = nullptr;
    QCustomPlot *m_plot = nullptr;
    QSlider *m_slider = nullptr;
    QCheckBox *m_followBox = nullptr;
    QTimer m_redrawTimer;
    qint64 m_redraws = 0;
    int m_drawnPoints = 0;
    bool m_follow = true;
    bool m_dark = false;
    bool m_presenting = false;
    struct Private;
    Private *d = nullptr;
};

} // namespace torchlab
