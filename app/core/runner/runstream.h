#pragma once

#include "core/metrics/linesplitter.h"
#include "core/runner/runner.h"

#include <QByteArray>
#include <QJsonObject>

#include <functional>

namespace torchlab {

// The JSON event stream of one run (docs/json-stream.md): one JSON object per
// line, every line with a "t" (its type). `torchlab-cli run --json-stream`
// writes it; a runner on another machine reads it back into Runner signals.
// Lab events travel as lab.h's own flat lines with "t":"lab" added, so one
// decoder serves both.
namespace runstream {

inline constexpr int ProtocolVersion = 1;
// A line longer than this is refused. The longest a writer produces is the done
// event: the program's kept output (head and tail, 2 MiB per stream at most,
// escaped) and every diagnostic; output events carry at most MaxOutputChunk bytes.
inline constexpr qsizetype MaxLineBytes = 64 << 20;
inline constexpr qsizetype MaxOutputChunk = 64 << 10;

} // namespace runstream

// Writes the stream: each call hands whole lines (with their '\n') to `sink`.
class RunStreamWriter
{
public:
    using Sink = std::function<void(const QByteArray &lines)>;
    explicit RunStreamWriter(Sink sink) : m_sink(std::move(sink)) {}

    // `slurmJob`: the Slurm job this CLI runs in, when it does (SLURM_JOB_ID).
    void hello(const QString &where, const QString &slurmJob = QString());
    void phase(RunPhase phase);
    void pchProgress(int percent, const QString &message);
    void note(const QString &text);
    void compiled(const CompileResult &result);
    void started(qint64 pid);
    void output(const QByteArray &chunk, bool isStderr);
    void labEvents(const QList<LabEvent> &events);
    void sample(const MemorySample &sample);
    void queue(const QueueState &state);
    // The last line of a run. `exitCode` is what the CLI exits with.
    void done(const RunnerResult &result, int exitCode);
    // Any other event ("t" set by the caller), e.g. a check report.
    void event(const QJsonObject &object);

private:
    Sink m_sink;
};

// One decoded line of the stream.
struct RunStreamEvent
{
    enum class Type
    {
        Hello,
        Phase,
        PchProgress,
        Note,
        Compiled,
        Started,
        Stdout,
        Stderr,
        Lab,
        Sample,
        Queue,
        Done,
        Other, // a known-shaped line of a type this reader does not use (object holds it)
    };
    Type type = Type::Other;
    int protocol = 0; // Hello
    QString where;    // Hello
    QString slurmJob; // Hello, when the CLI runs inside a Slurm job
    QueueState queue; // Queue
    RunPhase phase = RunPhase::Preparing;
    int percent = 0;       // PchProgress
    QString text;          // PchProgress message, Note text
    CompileResult compile; // Compiled
    qint64 pid = 0;        // Started
    QByteArray data;       // Stdout, Stderr
    LabEvent lab;          // Lab
    MemorySample memory;   // Sample
    RunnerResult result;   // Done
    int exitCode = 0;      // Done
    QJsonObject object;    // Other
};

// Reads the stream from chunks of bytes. Bad lines are counted and skipped,
// never fatal: the first one's reason is kept for the learner. Not
// thread-safe.
class RunStreamReader
{
public:
    using Handler = std::function<void(RunStreamEvent &&event)>;
    explicit RunStreamReader(Handler handler);

    void feed(QByteArrayView chunk);
    void finish();

    qint64 badLines() const { return m_bad; }
    QString firstProblem() const { return m_firstProblem; }
    bool sawHello() const { return m_protocol > 0; }
    int protocol() const { return m_protocol; }

private:
    void onLine(QByteArrayView line);
    void bad(const QString &why);

    Handler m_handler;
    LineSplitter m_splitter;
    qint64 m_bad = 0;
    QString m_firstProblem;
    int m_protocol = 0;
};

} // namespace torchlab
