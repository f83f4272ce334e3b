#pragma once

#include <QObject>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace torchlab::cli {

// While it lives, SIGINT, SIGTERM and SIGHUP call `stop` from the event loop (a
// self-pipe: nothing but write() runs in the handler), so that Ctrl+C or a
// remote runner's terminate stops the program's whole process group and the
// command still reports, rather than dying and leaving the program behind.
// One at a time per process.
class SignalStop
{
public:
    explicit SignalStop(std::function<void()> stop);
    ~SignalStop();
    SignalStop(const SignalStop &) = delete;
    SignalStop &operator=(const SignalStop &) = delete;

private:
    std::function<void()> m_stop;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace torchlab::cli
