#pragma once

#include "core/metrics/labevent.h"
#include "core/metrics/linesplitter.h"

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace torchlab {

// What became of the lines seen so far on a metrics channel.
struct MetricsDecoderStats
{
    qint64 linesOk = 0; // decoded into an event
    qint64 malformed =
        0;              // bad JSON, wrong types, missing fields, bad UTF-8, NUL, NaN tokens, blank
    qint64 tooLong = 0; // over the line cap; dropped without being buffered
    qint64 ignored =
        0; // well-formed, but an "ev" this version does not know (forward compatibility)
};

// Decodes the lab.h metrics channel (protocol v1, docs/metrics-protocol.md):
// raw bytes in, LabEvent values out. Bad lines are counted and skipped; no input
// makes it crash, throw or grow without bound (the fuzz target checks this).
//
// Not thread-safe. Typical use: feed() from ProcessRunner::metricsData, finish()
// once the pipe reached EOF.
class MetricsDecoder
{
public:
    enum class LineResult : quint8
    {
        Event,
        Malformed,
        Ignored
    };

    explicit MetricsDecoder(qsizetype maxLineBytes = LineSplitter::DefaultMaxLineBytes);

    // Appends one event per decoded line to `out`.
    void feed(QByteArrayView chunk, std::vector<LabEvent> &out);
    void finish(std::vector<LabEvent> &out);
    // Calls sink(LabEvent &&) per decoded line instead.
    template <class Sink> void feed(QByteArrayView chunk, Sink &&sink);
    template <class Sink> void finish(Sink &&sink);

    MetricsDecoderStats stats() const;
    // Protocol version from the hello line; 0 until one arrived.
    int protocol() const { return m_protocol; }
    // Why the first malformed line was rejected ("line 3: bad_utf8"); empty if none.
    QByteArray firstProblem() const { return m_firstProblem; }
    // Bytes held for a partial line; bounded by the line cap (+1).
    qsizetype bufferCapacity() const { return m_splitter.bufferCapacity(); }

    // Decodes one line (no terminator). `reason` (optional) receives a static
    // string naming why a line is malformed. The event is valid only for Event.
    static LineResult decodeLine(QByteArrayView line, LabEvent &event,
                                 const char **reason = nullptr);

private:
    template <class Sink> void handleLine(QByteArrayView line, Sink &sink);
    void noteMalformed(const char *reason);

    LineSplitter m_splitter;
    MetricsDecoderStats m_stats;
    QByteArray m_firstProblem;
    int m_protocol = 0;
};

// Programs run outside the lab (no TORCHLAB_METRICS_FD) print each event on
// stdout as "@torchlab {json}". Returns Event when `stdoutLine` (no terminator)
// is such a line and decodes; Malformed when it has the prefix but bad JSON;
// Ignored when it is ordinary output or an unknown event.
MetricsDecoder::LineResult decodeFallbackLine(QByteArrayView stdoutLine, LabEvent &event);

// "@torchlab ": the prefix lab.h puts before events it prints to stdout.
inline constexpr QByteArrayView fallbackPrefix()
{
    return QByteArrayView("@torchlab ", 10);
}

template <class Sink> void MetricsDecoder::handleLine(QByteArrayView line, Sink &sink)
{
    LabEvent event;
    const char *reason = nullptr;
    switch (decodeLine(line, event, &reason)) {
    case LineResult::Event:
        ++m_stats.linesOk;
        if (event.type == LabEvent::Type::Hello)
            m_protocol = event.protocol;
        sink(std::move(event));
        break;
    case LineResult::Malformed:
        noteMalformed(reason);
        break;
    case LineResult::Ignored:
        ++m_stats.ignored;
        break;
    }
}

template <class Sink> void MetricsDecoder::feed(QByteArrayView chunk, Sink &&sink)
{
    m_splitter.feed(chunk, [this, &sink](QByteArrayView line) { handleLine(line, sink); });
}

template <class Sink> void MetricsDecoder::finish(Sink &&sink)
{
    m_splitter.finish([this, &sink](QByteArrayView line) { handleLine(line, sink); });
}

} // namespace torchlab
