#pragma once

#include <QString>
#include <QtGlobal>

namespace torchlab {

// One event a program sent through lab.h (protocol v1, see docs/metrics-protocol.md).
// A plain value: which fields are meaningful depends on `type`.
struct LabEvent
{
    enum class Type : quint8
    {
        Hello,
        Metric,
        Memory,
        Check,
        Error,
        Note
    };

    Type type = Type::Note;

    // Metric and Check: the name the program chose ("loss", "accuracy", "shapes match").
    QString name;
    // Metric and Memory: the training step the program reported.
    qint64 step = 0;
    // Metric: the value; NaN and +/-inf arrive as such (sent as "nan", "inf", "-inf").
    double value = 0;
    // Memory: CUDA caching allocator bytes on the current device.
    qint64 allocated = 0;
    qint64 reserved = 0;
    qint64 peak = 0;
    // Check: whether it passed.
    bool ok = false;
    // Check: it could not run here (lab::skip); `message` says why. `ok` is false.
    bool skipped = false;
    // Check: message; Error: first line of the exception text; Note: the text.
    QString message;
    // Error: the full exception text (may span lines; may be empty).
    QString detail;
    // Error: cuda_oom | c10_error | bad_alloc | std_exception (future kinds pass through).
    QString kind;
    // Hello: protocol version, LibTorch version ("1.13.0"), device ("cpu", "cuda:0"),
    // whether CUDA is available to the program, and its pid (0 when not sent).
    int protocol = 0;
    QString torchVersion;
    QString device;
    bool cuda = false;
    qint64 pid = 0;
};

// "hello", "metric", "memory", "check", "error", "note": the "ev" value on the wire.
const char *labEventTypeName(LabEvent::Type type);

} // namespace torchlab
