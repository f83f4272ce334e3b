// Metrics channel throughput. Prints figures; asserts nothing (timings vary with
// the machine and its load). Usage:
//   bench_metrics [lines]          default 1000000
// Wall-clock figures suffer when other work shares the CPUs, so each row also
// shows lines per second of this thread's CPU time, which load barely changes.
// Rows:
//   MetricsDecoder               decode lab.h lines fed in 64 KiB chunks
//   MetricsDecoder + MetricStore decode and store every sample
//   QJsonDocument baseline       the same lines through QJsonDocument, same fields read
//   pipe, child -> decoder+store a child process writes each line with one write(),
//                                as lab.h does; this process reads, decodes, stores
#include "core/metrics/linesplitter.h"
#include "core/metrics/metricsdecoder.h"
#include "core/metrics/metricstore.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

extern char **environ;

using namespace torchlab;

namespace {

// Builds the line lab.h writes for metric(name, step, value) (see detail::Line
// in lessons/include/torchlab/lab.h; this file cannot include it without LibTorch).
std::string metricLine(const char *name, int64_t step, double value)
{
    std::string s;
    s.reserve(96);
    s += R"({"ev":"metric","name":")";
    s += name;
    s += R"(","step":)";
    char buf[32];
    s.append(buf, std::to_chars(buf, buf + sizeof buf, step).ptr);
    s += R"(,"value":)";
    s.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
    s += "}\n";
    return s;
}

// A realistic mix: mostly loss/accuracy, some memory and check lines.
std::string lineFor(qint64 i)
{
    if (i % 50 == 49) {
        return R"({"ev":"memory","step":)" + std::to_string(i) + R"(,"allocated":)" + std::to_string(1000000 + i)
               + R"(,"reserved":2097152,"peak":)" + std::to_string(2000000 + i) + "}\n";
    }
    if (i % 1000 == 999)
        return R"({"ev":"check","name":"loss decreases","ok":true,"message":"step )" + std::to_string(i) + "\"}\n";
    return metricLine(i % 2 ? "loss" : "accuracy", i, 1.0 / double(i + 1) + 0.1);
}

QByteArray makeStream(qint64 lines)
{
    QByteArray stream;
    stream.reserve(lines * 64);
    for (qint64 i = 0; i < lines; ++i)
        stream += lineFor(i);
    return stream;
}

constexpr qsizetype Chunk = 64 * 1024;

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Timing
{
    double wall = 1e30;   // seconds
    double cpu = 1e30;    // seconds of this thread's CPU time
};

template <class Body>
Timing bestOf(int runs, Body &&body)
{
    Timing best;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer t;
        t.start();
        const double cpu0 = threadCpuSeconds();
        body();
        best.cpu = std::min(best.cpu, threadCpuSeconds() - cpu0);
        best.wall = std::min(best.wall, double(t.nsecsElapsed()) / 1e9);
    }
    return best;
}

// The baseline reads the same fields the decoder reads, into the same LabEvent.
void decodeWithQJson(QByteArrayView stream, std::vector<LabEvent> &out)
{
    LineSplitter splitter;
    const auto onLine = [&out](QByteArrayView line) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return;
        const QJsonObject o = doc.object();
        const QString ev = o.value(QLatin1String("ev")).toString();
        LabEvent e;
        if (ev == QLatin1String("metric")) {
            e.type = LabEvent::Type::Metric;
            e.name = o.value(QLatin1String("name")).toString();
            e.step = o.value(QLatin1String("step")).toInteger();
            e.value = o.value(QLatin1String("value")).toDouble();
        } else if (ev == QLatin1String("memory")) {
            e.type = LabEvent::Type::Memory;
            e.step = o.value(QLatin1String("step")).toInteger();
            e.allocated = o.value(QLatin1String("allocated")).toInteger();
            e.reserved = o.value(QLatin1String("reserved")).toInteger();
            e.peak = o.value(QLatin1String("peak")).toInteger();
        } else if (ev == QLatin1String("check")) {
            e.type = LabEvent::Type::Check;
            e.name = o.value(QLatin1String("name")).toString();
            e.ok = o.value(QLatin1String("ok")).toBool();
            e.message = o.value(QLatin1String("message")).toString();
        } else {
            return;
        }
        out.push_back(std::move(e));
    };
    for (qsizetype at = 0; at < stream.size(); at += Chunk)
        splitter.feed(stream.sliced(at, std::min(Chunk, stream.size() - at)), onLine);
    splitter.finish(onLine);
}

int writer(qint64 lines)
{
    const char *fdText = std::getenv("TORCHLAB_METRICS_FD");
    const int fd = fdText ? std::atoi(fdText) : -1;
    for (qint64 i = 0; i < lines; ++i) {
        const std::string line = lineFor(i);
        const char *p = line.data();
        size_t left = line.size();
        while (left > 0) {   // one write() per line, like lab.h
            const ssize_t n = ::write(fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return 1;
            p += n;
            left -= size_t(n);
        }
    }
    return 0;
}

// Spawns this program as a writer on a fresh pipe and decodes what it sends.
Timing pipeEndToEnd(const char *self, qint64 lines, qint64 *stored)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return {};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 3);   // dup2 clears close-on-exec
    const std::string count = std::to_string(lines);
    char *argv[] = {const_cast<char *>(self), const_cast<char *>("--writer"), const_cast<char *>(count.c_str()), nullptr};
    std::vector<std::string> envStrings{"TORCHLAB_METRICS_FD=3"};
    for (char **e = environ; *e; ++e) {
        if (std::strncmp(*e, "TORCHLAB_METRICS_FD=", 20) != 0)
            envStrings.emplace_back(*e);
    }
    std::vector<char *> envp;
    for (std::string &s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);

    QElapsedTimer timer;
    timer.start();
    const double cpu0 = threadCpuSeconds();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, self, &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        return {};
    }
    MetricsDecoder decoder;
    MetricStore store;
    const auto sink = [&store](LabEvent &&e) { store.add(e); };
    std::vector<char> buf(Chunk);
    for (;;) {
        const ssize_t n = ::read(fds[0], buf.data(), buf.size());
        if (n > 0)
            decoder.feed(QByteArrayView(buf.data(), n), sink);
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;
    }
    decoder.finish(sink);
    const Timing timing{double(timer.nsecsElapsed()) / 1e9, threadCpuSeconds() - cpu0};
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    *stored = decoder.stats().linesOk;
    return timing;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--writer") == 0)
        return writer(std::atoll(argv[2]));
    const qint64 lines = argc > 1 ? std::atoll(argv[1]) : 1000000;
    if (lines <= 0) {
        std::fprintf(stderr, "usage: %s [lines]\n", argv[0]);
        return 2;
    }

    const QByteArray stream = makeStream(lines);
    const QByteArrayView view(stream);
    std::printf("%lld lab.h lines, %.1f MB, fed in %lld KiB chunks\n\n", static_cast<long long>(lines),
                double(stream.size()) / 1e6, static_cast<long long>(Chunk / 1024));

    std::vector<LabEvent> events;
    events.reserve(size_t(lines));
    qint64 decoded = 0;
    const Timing tDecoder = bestOf(3, [&] {
        events.clear();
        MetricsDecoder decoder;
        for (qsizetype at = 0; at < view.size(); at += Chunk)
            decoder.feed(view.sliced(at, std::min(Chunk, view.size() - at)), events);
        decoder.finish(events);
        decoded = decoder.stats().linesOk;
    });

    qint64 stored = 0;
    const Timing tStore = bestOf(3, [&] {
        MetricsDecoder decoder;
        MetricStore store;
        const auto sink = [&store](LabEvent &&e) { store.add(e); };
        for (qsizetype at = 0; at < view.size(); at += Chunk)
            decoder.feed(view.sliced(at, std::min(Chunk, view.size() - at)), sink);
        decoder.finish(sink);
        stored = decoder.stats().linesOk;
    });

    qint64 baseline = 0;
    const Timing tQJson = bestOf(2, [&] {
        events.clear();
        decodeWithQJson(view, events);
        baseline = qint64(events.size());
    });

    qint64 piped = 0;
    const Timing tPipe = pipeEndToEnd(argv[0], lines, &piped);

    const double qjsonRate = double(baseline) / tQJson.wall;
    const auto row = [&](const char *name, qint64 n, Timing t) {
        std::printf("%-30s %9lld %8.3f %12.0f %8.2fx %14.0f\n", name, static_cast<long long>(n), t.wall,
                    double(n) / t.wall, double(n) / t.wall / qjsonRate, double(n) / t.cpu);
    };
    std::printf("%-30s %9s %8s %12s %9s %14s\n", "method", "lines", "wall s", "lines/s", "vs QJson",
                "lines/cpu-s");
    row("MetricsDecoder", decoded, tDecoder);
    row("MetricsDecoder + MetricStore", stored, tStore);
    row("QJsonDocument baseline", baseline, tQJson);
    if (tPipe.wall < 1e30)
        row("pipe, child -> decoder+store", piped, tPipe);
    else
        std::printf("pipe, child -> decoder+store: could not start the writer\n");
    std::printf("(pipe row: wall time includes the child's writes; cpu is the reading side only)\n");
    const bool complete = decoded == lines && stored == lines && baseline == lines && piped == lines;
    std::printf("\nall lines decoded in every row: %s\n", complete ? "yes" : "NO");
    return complete ? 0 : 1;
}
