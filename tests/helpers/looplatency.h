#pragma once

#include <QElapsedTimer>
#include <QTimer>

namespace torchlab::testing {

// The worst delay of a 10 ms timer while something runs in the same event
// loop: how long the window would have been frozen. Printed, never asserted.
class LoopLatencyProbe
{
public:
    LoopLatencyProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            m_worstMs = qMax(m_worstMs, m_sinceTick.restart() - kIntervalMs);
        });
        m_sinceTick.start();
        m_timer.start(kIntervalMs);
    }
    qint64 stop()
    {
        m_timer.stop();
        return m_worstMs;
    }

private:
    static constexpr int kIntervalMs = 10;
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    qint64 m_worstMs = 0;
};

} // namespace torchlab::testing
