#pragma once

#include <QJsonObject>
#include <QString>

#include <functional>

namespace torchlab {

// Timing events of the edit → build → run loop, one JSON line each:
//   {"t_ms": <CLOCK_MONOTONIC ms>, "ev": "build_done", "ok": true, ...}
//
// With TORCHLAB_TRACE=FILE in the environment, every event is appended to
// FILE (opened once, O_APPEND, flushed per line so a benchmark reading it
// while the lab runs sees whole lines). A sink (torchlab-cli run --verbose)
// receives the same lines. Without either, emit() costs one branch.
//
// Events: edit, build_start, build_done (ok, cached units), run_requested,
// compile_start, compile_done, program_started, output_received (the
// program's first stdout bytes reached the session), first_output (they are
// on screen, or written by torchlab-cli), run_done.
// Main thread only.
namespace Trace {
bool enabled();
void emit(const QString &event, const QJsonObject &fields = {});
// Also hands each line to `sink` (null removes it).
void setSink(std::function<void(const QByteArray &line)> sink);
// Re-reads TORCHLAB_TRACE (tests change it at run time).
void reset();
qint64 nowMs(); // the clock of t_ms
} // namespace Trace

} // namespace torchlab
