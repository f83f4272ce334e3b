#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace torchlab::cli {

// The server side of `run --job - --json-stream`: the lab writes the job on
// stdin as one line and keeps stdin open as the control channel. A
// {"t":"stop"} line asks for a stop; the end of stdin means the lab (or the
// connection to it) is gone, and the run must end too.
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

Q_SIGNALS:
    // `lost`: stdin ended (the connection dropped) rather than a stop line.
    void stopRequested(bool lost);

private:
    void onReadable();
    void scan();
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_ended = false;
};

} // namespace torchlab::cli
