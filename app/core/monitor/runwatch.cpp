#include "core/monitor/runwatch.h"

#include "core/monitor/gpuhealth.h"
#include "core/run/outcomeclassifier.h"
#include "core/session/labsession.h"

#include <algorithm>
#include <cmath>

namespace torchlab {

namespace {

bool isLoss(const QString &metric)
{
    return metric == QLatin1String("loss") || metric.endsWith(QLatin1String("_loss")) ||
           metric.endsWith(QLatin1String(" loss"));
}

} // namespace

RunWatch::RunWatch(LabSession *session, QObject *parent) : QObject(parent), m_session(session)
{
    qRegisterMetaType<RunAdvice>();
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &RunWatch::tick);
    if (!session)
        return;
    connect(session, &LabSession::stateChanged, this, [this](LabSession::State state) {
        if (state == LabSession::State::Idle)
            runEnded();
        else if (state == LabSession::State::Preparing || state == LabSession::State::Compiling)
            if (!m_timer.isActive() && !m_running)
                runStarted();
    });
    connect(session, &LabSession::programStarted, this, [this](qint64) { programStarted(); });
    connect(session, &LabSession::labEvents, this, &RunWatch::events);
    connect(session, &LabSession::memorySample, this, &RunWatch::memorySample);
}

RunWatch::~RunWatch() = default;

void RunWatch::setLimits(const Limits &limits)
{
    m_limits = limits;
    m_timer.setInterval(int(std::clamp<qint64>(limits.noProgressMs / 4, 20, 1'000)));
}

void RunWatch::setGpuHealth(std::shared_ptr<GpuHealthReader> reader)
{
    m_reader = std::move(reader);
}

void RunWatch::runStarted()
{
    m_running = false;
    m_lastStep = -1;
    m_noProgressGiven = false;
    m_memoryHighSinceMs = -1;
    m_memoryGiven = false;
    m_nonFinite.clear();
    m_xidBaseline.clear();
    m_eccBaseline.clear();
    m_baselineTaken = false;
    m_given.clear();
    m_memoryClock.start();
    m_pollClock.invalidate();
}

void RunWatch::programStarted()
{
    if (!m_memoryClock.isValid())
        runStarted();
    m_running = true;
    m_sinceProgress.start();
    m_timer.start();
    if (m_reader && localRun()) {
        // What the GPU counted before this run is not this run's.
        gpuHealth(m_reader->read());
    }
}

void RunWatch::runEnded()
{
    m_running = false;
    m_timer.stop();
    m_memoryClock.invalidate();
}

bool RunWatch::localRun() const
{
    if (!m_session || !m_session->runnerFactory())
        return true;
    return !m_session->runnerFactory()->targetProfile().has_value();
}

void RunWatch::events(const QList<LabEvent> &events)
{
    if (!m_running)
        return;
    for (const LabEvent &event : events) {
        if (event.type != LabEvent::Type::Metric)
            continue;
        if (event.step > m_lastStep) {
            m_lastStep = event.step;
            m_sinceProgress.restart();
        }
        if (std::isfinite(event.value) || m_nonFinite.contains(event.name))
            continue;
        if (m_nonFinite.size() >= 16) // one notice per metric, for a bounded number of names
            continue;
        m_nonFinite.insert(event.name);
        RunAdvice a;
        a.kind = RunAdvice::Kind::NonFiniteMetric;
        a.metric = event.name;
        a.step = event.step;
        a.value = event.value;
        const QString what = std::isnan(event.value) ? QStringLiteral("NaN") : tr("infinite");
        if (isLoss(event.name)) {
            a.text =
                tr("The loss became %1 at step %2 and the run goes on. Most often the learning "
                   "rate is too high: try a tenth of it, or clip the gradients "
                   "(torch::nn::utils::clip_grad_norm_). Look at the loss in the steps "
                   "before %2: a sudden jump points at the learning rate, a slow climb at "
                   "the data.")
                    .arg(what)
                    .arg(event.step);
        } else {
            a.text = tr("The metric “%1” became %2 at step %3. A NaN or infinity spreads through "
                        "every later step: look for a division by zero, a log of zero, or a "
                        "learning rate that is too high.")
                         .arg(event.name, what)
                         .arg(event.step);
        }
        give(a);
    }
}

void RunWatch::memorySample(const MemorySample &sample)
{
    if (!m_running || m_memoryGiven || sample.deviceIndex < 0 || sample.deviceTotal <= 0 ||
        sample.deviceUsed < 0)
        return;
    const double fraction = double(sample.deviceUsed) / double(sample.deviceTotal);
    const qint64 now = m_memoryClock.isValid() ? m_memoryClock.elapsed() : 0;
    if (fraction <= m_limits.memoryFraction) {
        m_memoryHighSinceMs = -1;
        return;
    }
    if (m_memoryHighSinceMs < 0)
        m_memoryHighSinceMs = now;
    if (now - m_memoryHighSinceMs < m_limits.memoryHoldMs)
        return;
    m_memoryGiven = true;
    RunAdvice a;
    a.kind = RunAdvice::Kind::GpuMemoryNearlyFull;
    a.gpu = sample.deviceIndex;
    a.value = fraction;
    a.lesson = QStringLiteral("grad-accumulation");
    a.text = tr("GPU %1's memory is %2% full (%3 of %4) while this run goes on: a larger batch "
                "or model will stop with “CUDA out of memory”. Gradient accumulation trains the "
                "same model with smaller batches in less memory.")
                 .arg(sample.deviceIndex)
                 .arg(qRound(fraction * 100))
                 .arg(formatBytes(sample.deviceUsed), formatBytes(sample.deviceTotal));
    give(a);
}

void RunWatch::gpuHealth(const QList<GpuHealth> &devices)
{
    if (!m_baselineTaken) {
        for (const GpuHealth &d : devices) {
            m_xidBaseline.insert(d.index, d.xidErrors);
            m_eccBaseline.insert(d.index, qMax<qint64>(0, d.eccUncorrected));
        }
        m_baselineTaken = true;
        return;
    }
    for (const GpuHealth &d : devices) {
        const qint64 xids = d.xidErrors - m_xidBaseline.value(d.index);
        if (xids > 0) {
            m_xidBaseline.insert(d.index, d.xidErrors);
            RunAdvice a;
            a.kind = RunAdvice::Kind::GpuXid;
            a.gpu = d.index;
            a.xid = d.lastXid;
            a.text = tr("The GPU driver reported Xid %1 on GPU %2 during this run. Xid errors "
                        "come from the driver or the hardware, not from your code. If the run "
                        "fails, run it again; if it happens again, tell your instructor (Xid %1 "
                        "is listed in NVIDIA's Xid catalogue).")
                         .arg(d.lastXid)
                         .arg(d.index);
            give(a);
        }
        const qint64 ecc = d.eccUncorrected - m_eccBaseline.value(d.index);
        if (d.eccUncorrected >= 0 && ecc > 0) {
            m_eccBaseline.insert(d.index, d.eccUncorrected);
            RunAdvice a;
            a.kind = RunAdvice::Kind::GpuEcc;
            a.gpu = d.index;
            a.value = double(ecc);
            a.text = tr("GPU %1 reported %2 uncorrected memory (ECC) errors during this run. "
                        "Results computed on it may be wrong: tell your instructor, the GPU may "
                        "need a reset.")
                         .arg(d.index)
                         .arg(ecc);
            give(a);
        }
    }
}

void RunWatch::tick()
{
    if (!m_running)
        return;
    if (!m_noProgressGiven && m_sinceProgress.isValid() &&
        m_sinceProgress.elapsed() >= m_limits.noProgressMs) {
        m_noProgressGiven = true;
        RunAdvice a;
        a.kind = RunAdvice::Kind::NoProgress;
        a.step = m_lastStep;
        const int minutes = int(qMax<qint64>(1, m_limits.noProgressMs / 60'000));
        const QString last = m_lastStep < 0 ? tr("it has reported no step yet")
                                            : tr("the last was step %1").arg(m_lastStep);
        a.text = tr("No new training step for %1 min (%2). The program may be waiting (for "
                    "input, a lock, another rank) or one step takes very long: stop it, or report "
                    "lab::metric values inside the loop to see where it is.")
                     .arg(minutes)
                     .arg(last);
        give(a);
    }
    if (m_reader && localRun()) {
        const qint64 sinceLast = m_pollClock.isValid() ? m_pollClock.elapsed() : m_limits.pollMs;
        if (sinceLast >= m_limits.pollMs) {
            m_pollClock.start();
            gpuHealth(m_reader->read());
        }
    }
}

void RunWatch::give(RunAdvice advice)
{
    m_given.append(advice);
    Q_EMIT this->advice(advice);
}

} // namespace torchlab
