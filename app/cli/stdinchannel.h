#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QSocketNotifier;

namespace torchlab::cli {

// The server side of `run --job - --json-stream` and `serve`: the lab writes
// each job on stdin as one line and keeps stdin open as the control channel.
// A {"t":"stop"} line asks for a stop; the end of stdin means the lab (or the
// connection to it) is gone, and the run must end too. A lab that sends
// {"t":"ping"} lines (every 2 s while a job runs) is taken for gone when
// nothing has come for SilenceMs: a network that went quiet without closing
// the connection must not leave a learner's program running on the server.
class StdinChannel : public QObject
{
    Q_OBJECT
public:
    explicit StdinChannel(QObject *parent = nullptr);

    // Blocks until the next job line is in (without its '\n'); stop lines
    // that come between jobs are skipped. Fails at the end of stdin.
    Result<QByteArray> readJobLine(qsizetype maxBytes);
    // While a job runs: stop lines and the end of stdin are signalled.
    void watch();
    void unwatch();
    bool ended() const { return m_ended; }

    static constexpr int SilenceMs = 10'000;

Q_SIGNALS:
    // `lost`: stdin ended (the connection dropped) rather than a stop line.
    void stopRequested(bool lost);

private:
    void onReadable();
    void scan();
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_ended = false;
    bool m_pinged = false; // the lab sends heartbeats
    bool m_silentSaid = false;
    QElapsedTimer m_lastInput;
    QTimer *m_silence = nullptr;
};

} // namespace torchlab::cli
