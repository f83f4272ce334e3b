#pragma once

#include "core/gpu/memorysampler.h"
#include "core/metrics/labevent.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace torchlab {

class GpuHealthReader;
class LabSession;
struct GpuHealth;

// Advice for the learner while a run goes on: the conditions a course
// server's alert rules watch (resources/monitoring/), told in the lab.
struct RunAdvice
{
    enum class Kind
    {
        GpuMemoryNearlyFull, // device memory above the threshold for a while
        NonFiniteMetric,     // a metric (the loss) became NaN or infinite
        NoProgress,          // no new training step for a long time
        GpuXid,              // the driver reported an Xid error
        GpuEcc,              // uncorrected ECC errors during the run
    };
    Kind kind = Kind::NoProgress;
    QString text;     // in the UI language: what happened and what to try
    QString metric;   // NonFiniteMetric: its name
    qint64 step = -1; // NonFiniteMetric: the first step; NoProgress: the last step
    double value = 0; // NonFiniteMetric: the value; GpuMemoryNearlyFull: the fraction used
    int gpu = -1;     // GpuMemoryNearlyFull, GpuXid, GpuEcc
    qint64 xid = 0;   // GpuXid
    // GpuMemoryNearlyFull: the lesson (id suffix) that teaches the way out.
    QString lesson;
};

// Watches one LabSession's runs and emits each piece of advice once per run
// (per metric for NonFiniteMetric). GPU memory comes from the runner's
// samples (also for runs on a course server); Xid and ECC from a local
// GpuHealthReader, polled only while a run on this computer goes on.
class RunWatch : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        double memoryFraction = 0.9; // GpuMemoryNearlyFull above this share of the device
        qint64 memoryHoldMs = 5'000; // ... for this long
        qint64 noProgressMs = 10 * 60'000;
        int pollMs = 2'000; // GPU health while running
    };

    explicit RunWatch(LabSession *session, QObject *parent = nullptr);
    ~RunWatch() override;

    void setLimits(const Limits &limits);
    Limits limits() const { return m_limits; }
    void setGpuHealth(std::shared_ptr<GpuHealthReader> reader);

    // The advice given in the run in progress (or the last one).
    QList<RunAdvice> given() const { return m_given; }

    // Inputs (connected to the session; public for tests and other sources).
    void runStarted();
    void programStarted();
    void events(const QList<LabEvent> &events);
    void memorySample(const MemorySample &sample);
    void gpuHealth(const QList<GpuHealth> &devices);
    void runEnded();

Q_SIGNALS:
    void advice(const torchlab::RunAdvice &advice);

private:
    void give(RunAdvice advice);
    void tick();
    bool localRun() const;

    QPointer<LabSession> m_session;
    Limits m_limits;
    std::shared_ptr<GpuHealthReader> m_reader;
    QTimer m_timer;
    bool m_running = false;
    QElapsedTimer m_sinceProgress;
    qint64 m_lastStep = -1;
    bool m_noProgressGiven = false;
    qint64 m_memoryHighSinceMs = -1;
    QElapsedTimer m_memoryClock;
    QElapsedTimer m_pollClock;
    bool m_memoryGiven = false;
    QSet<QString> m_nonFinite;
    QHash<int, qint64> m_xidBaseline;
    QHash<int, qint64> m_eccBaseline;
    bool m_baselineTaken = false;
    QList<RunAdvice> m_given;
};

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::RunAdvice)
