#include "core/util/trace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

#include <memory>

namespace torchlab::Trace {

namespace {

struct State
{
    bool read = false;
    std::unique_ptr<QFile> file;
    std::function<void(const QByteArray &)> sink;
};

State &state()
{
    static State s;
    if (!s.read) {
        s.read = true;
        const QString path = qEnvironmentVariable("TORCHLAB_TRACE");
        if (!path.isEmpty()) {
            auto file = std::make_unique<QFile>(path);
            if (file->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
                s.file = std::move(file);
            else
                qWarning("TORCHLAB_TRACE: cannot open %s", qPrintable(path));
        }
    }
    return s;
}

} // namespace

qint64 nowMs()
{
    // QElapsedTimer's reference is CLOCK_MONOTONIC on Linux: the same clock
    // in every process, so a benchmark can line up the lab's events with its own.
    QElapsedTimer t;
    t.start();
    return t.msecsSinceReference();
}

bool enabled()
{
    const State &s = state();
    return s.file || s.sink;
}

void emit(const QString &event, const QJsonObject &fields)
{
    State &s = state();
    if (!s.file && !s.sink)
        return;
    QJsonObject o = fields;
    o.insert(QStringLiteral("t_ms"), nowMs());
    o.insert(QStringLiteral("ev"), event);
    QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (s.sink)
        s.sink(line);
    if (s.file) {
        line += '\n';
        s.file->write(line); // unbuffered: one write(2) per line, appended whole
    }
}

void setSink(std::function<void(const QByteArray &)> sink)
{
    state().sink = std::move(sink);
}

void reset()
{
    State &s = state();
    s.file.reset();
    s.read = false;
}

} // namespace torchlab::Trace
