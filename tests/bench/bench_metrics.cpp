// Metrics channel throughput. Prints figures; asserts nothing about timings
// (they vary with the machine and its load). Usage:
//   bench_metrics [lines] [--reps N] [--compare]
//   lines: default 1000000; N: repetitions of part 2, default 5; --compare: part 2 only
// Wall-clock figures suffer when other work shares the CPUs, so each row also
// shows lines per second of this thread's CPU time, which load barely changes.
// Part 1 rows:
//   MetricsDecoder               decode lab.h lines fed in 64 KiB chunks
//   MetricsDecoder + MetricStore decode and store every sample
//   QJsonDocument baseline       the same lines through QJsonDocument, same fields read
//   pipe, child -> decoder+store a child process writes each line with one write(),
//                                as lab.h does; this process reads, decodes, stores
// Part 2 ("decoders side by side") decodes three inputs -- typical metric lines,
// check lines with escaped strings, and the mix of part 1 -- with MetricsDecoder
// (simdjson On-Demand) and the QJsonDocument baseline, N repetitions interleaved,
// and prints the median of each (wall clock and CPU). Before any figure the
// events of both are compared field by field (the program fails if one differs).
// The measurement that replaced the hand-written flatjson parser with simdjson
// (flatjson, simdjson per line and per chunk, iterate_many, QJsonDocument, and
// the accept/refuse comparison on bad lines) is in docs/performance.md.
#include "core/metrics/linesplitter.h"
#include "core/metrics/metricsdecoder.h"
#include "core/metrics/metricstore.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
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
        return R"({"ev":"memory","step":)" + std::to_string(i) + R"(,"allocated":)" +
               std::to_string(1000000 + i) + R"(,"reserved":2097152,"peak":)" +
               std::to_string(2000000 + i) + "}\n";
    }
    if (i % 1000 == 999)
        return R"({"ev":"check","name":"loss decreases","ok":true,"message":"step )" +
               std::to_string(i) + "\"}\n";
    return metricLine(i % 2 ? "loss" : "accuracy", i, 1.0 / double(i + 1) + 0.1);
}

// Only metric lines (loss and accuracy), as a training loop sends them.
std::string metricOnlyLine(qint64 i)
{
    return metricLine(i % 2 ? "loss" : "accuracy", i, 1.0 / double(i + 1) + 0.1);
}

// Check lines whose name and message need escapes (quotes, backslash, newline,
// tab, a \u escape) and carry raw UTF-8, as lab.h writes them.
std::string escapedCheckLine(qint64 i)
{
    return R"({"ev":"check","name":"shape is \"[)" + std::to_string(i % 64) + R"(, 3]\"","ok":)" +
           (i % 3 ? "true" : "false") + R"(,"message":"expected \"[2, 3]\"\n\tgot C:\\data\\)" +
           std::to_string(i) + " \\u00e9t\\u00e9 \xe2\x82\xac\"}\n";
}

QByteArray makeStream(qint64 lines, std::string (*line)(qint64) = lineFor)
{
    QByteArray stream;
    stream.reserve(lines * 64);
    for (qint64 i = 0; i < lines; ++i)
        stream += line(i);
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
    double wall = 1e30; // seconds
    double cpu = 1e30;  // seconds of this thread's CPU time
};

template <class Body> Timing bestOf(int runs, Body &&body)
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
        while (left > 0) { // one write() per line, like lab.h
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
    posix_spawn_file_actions_adddup2(&actions, fds[1], 3); // dup2 clears close-on-exec
    const std::string count = std::to_string(lines);
    char *argv[] = {const_cast<char *>(self), const_cast<char *>("--writer"),
                    const_cast<char *>(count.c_str()), nullptr};
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

// ---- Part 2: decoders side by side -------------------------------------------

bool sameDouble(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

bool sameEvent(const LabEvent &a, const LabEvent &b)
{
    return a.type == b.type && a.name == b.name && a.step == b.step &&
           sameDouble(a.value, b.value) && a.allocated == b.allocated && a.reserved == b.reserved &&
           a.peak == b.peak && a.ok == b.ok && a.message == b.message && a.detail == b.detail &&
           a.kind == b.kind && a.protocol == b.protocol && a.torchVersion == b.torchVersion &&
           a.device == b.device && a.cuda == b.cuda && a.pid == b.pid;
}

// Each decoder: the whole stream in 64 KiB chunks (as ProcessRunner delivers
// it), events appended to `out`.
using DecodeFn = void (*)(QByteArrayView stream, std::vector<LabEvent> &out);

template <class Decoder>
void feedInChunks(Decoder &decoder, QByteArrayView stream, std::vector<LabEvent> &out)
{
    const auto sink = [&out](LabEvent &&e) { out.push_back(std::move(e)); };
    for (qsizetype at = 0; at < stream.size(); at += Chunk)
        decoder.feed(stream.sliced(at, std::min(Chunk, stream.size() - at)), sink);
    decoder.finish(sink);
}

void decodeMetricsDecoder(QByteArrayView stream, std::vector<LabEvent> &out)
{
    MetricsDecoder decoder;
    feedInChunks(decoder, stream, out);
}

void decodeQJson(QByteArrayView stream, std::vector<LabEvent> &out)
{
    decodeWithQJson(stream, out);
}

struct Decoder
{
    const char *name;
    DecodeFn fn;
};

const Decoder decoders[] = {
    {"MetricsDecoder (simdjson)", decodeMetricsDecoder},
    {"QJsonDocument", decodeQJson},
};
constexpr int decoderCount = int(sizeof decoders / sizeof decoders[0]);

struct Input
{
    const char *name = "";
    QByteArray stream;
    qint64 lines = 0;
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The baseline must give MetricsDecoder's events, field for field.
bool eventsAgree(const Input &input)
{
    std::vector<LabEvent> reference;
    decoders[0].fn(input.stream, reference);
    bool ok = qint64(reference.size()) == input.lines;
    if (!ok)
        std::printf("%s: MetricsDecoder decoded %zu of %lld lines\n", input.name, reference.size(),
                    static_cast<long long>(input.lines));
    for (int d = 1; d < decoderCount; ++d) {
        std::vector<LabEvent> events;
        decoders[d].fn(input.stream, events);
        if (events.size() != reference.size()) {
            std::printf("%s: %s decoded %zu events, MetricsDecoder %zu\n", input.name,
                        decoders[d].name, events.size(), reference.size());
            ok = false;
            continue;
        }
        for (size_t i = 0; i < events.size(); ++i) {
            if (!sameEvent(events[i], reference[i])) {
                std::printf("%s: %s: event %zu differs from MetricsDecoder's\n", input.name,
                            decoders[d].name, i);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

// Runs every decoder on every input `reps` times, interleaved (so that a change
// of load on the machine hits all of them alike), and prints the medians.
// Each measured run follows an unmeasured one of the same decoder on the same
// input: without it, a decoder run right after the check lines was up to 30%
// slower than the same run elsewhere in the order (the heap left by the
// previous run), which would have decided the comparison by the order alone.
void sideBySide(std::vector<Input> &inputs, int reps)
{
    const int n = int(inputs.size());
    std::vector<std::vector<double>> wall(size_t(n * decoderCount)), cpu(size_t(n * decoderCount));
    std::vector<LabEvent> events;
    events.reserve(size_t(inputs.front().lines));
    for (int r = 0; r < reps; ++r) {
        for (int i = 0; i < n; ++i) {
            for (int d = 0; d < decoderCount; ++d) {
                // One unmeasured run first: the measured one then finds the heap
                // (freed strings, buffers) as this decoder left it on this input,
                // not as the previous decoder or input did.
                events.clear();
                decoders[d].fn(inputs[size_t(i)].stream, events);
                events.clear();
                QElapsedTimer t;
                t.start();
                const double cpu0 = threadCpuSeconds();
                decoders[d].fn(inputs[size_t(i)].stream, events);
                const double c = threadCpuSeconds() - cpu0;
                const double w = double(t.nsecsElapsed()) / 1e9;
                wall[size_t(i * decoderCount + d)].push_back(w);
                cpu[size_t(i * decoderCount + d)].push_back(c);
            }
        }
    }
    for (int i = 0; i < n; ++i) {
        const Input &in = inputs[size_t(i)];
        std::printf("\n%s: %lld lines, %.1f bytes/line; median of %d runs\n", in.name,
                    static_cast<long long>(in.lines), double(in.stream.size()) / double(in.lines),
                    reps);
        std::printf("  %-31s %12s %9s %13s %12s\n", "decoder", "lines/s", "ns/line", "cpu ns/line",
                    "vs first");
        const double firstCpu = median(cpu[size_t(i * decoderCount)]) / double(in.lines) * 1e9;
        for (int d = 0; d < decoderCount; ++d) {
            const double w = median(wall[size_t(i * decoderCount + d)]);
            const double c = median(cpu[size_t(i * decoderCount + d)]) / double(in.lines) * 1e9;
            std::printf("  %-31s %12.0f %9.1f %13.1f %11.2fx\n", decoders[d].name,
                        double(in.lines) / w, w / double(in.lines) * 1e9, c, c / firstCpu);
        }
    }
    std::printf("\n(lines/s and ns/line: wall clock; cpu ns/line: this thread's CPU time; vs "
                "first: cpu time ratio)\n");
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--writer") == 0)
        return writer(std::atoll(argv[2]));
    qint64 lines = 1000000;
    int reps = 5;
    bool part1 = true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--compare") == 0)
            part1 = false;
        else
            lines = std::atoll(argv[i]);
    }
    if (lines <= 0 || reps <= 0) {
        std::fprintf(stderr, "usage: %s [lines] [--reps N] [--compare]\n", argv[0]);
        return 2;
    }
    bool complete = true;
    if (part1) {
        const QByteArray stream = makeStream(lines);
        const QByteArrayView view(stream);
        std::printf("%lld lab.h lines, %.1f MB, fed in %lld KiB chunks\n\n",
                    static_cast<long long>(lines), double(stream.size()) / 1e6,
                    static_cast<long long>(Chunk / 1024));

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
            std::printf("%-30s %9lld %8.3f %12.0f %8.2fx %14.0f\n", name, static_cast<long long>(n),
                        t.wall, double(n) / t.wall, double(n) / t.wall / qjsonRate,
                        double(n) / t.cpu);
        };
        std::printf("%-30s %9s %8s %12s %9s %14s\n", "method", "lines", "wall s", "lines/s",
                    "vs QJson", "lines/cpu-s");
        row("MetricsDecoder", decoded, tDecoder);
        row("MetricsDecoder + MetricStore", stored, tStore);
        row("QJsonDocument baseline", baseline, tQJson);
        if (tPipe.wall < 1e30)
            row("pipe, child -> decoder+store", piped, tPipe);
        else
            std::printf("pipe, child -> decoder+store: could not start the writer\n");
        std::printf(
            "(pipe row: wall time includes the child's writes; cpu is the reading side only)\n");
        complete = decoded == lines && stored == lines && baseline == lines && piped == lines;
        std::printf("\nall lines decoded in every row: %s\n", complete ? "yes" : "NO");
    }

    // Part 2: the same lines through each decoder, side by side.
    std::printf(
        "\nDecoders side by side (simdjson %d.%d.%d, On-Demand kernel '%s', stage 1 kernel '%s')\n",
        int(simdjson::SIMDJSON_VERSION_MAJOR), int(simdjson::SIMDJSON_VERSION_MINOR),
        int(simdjson::SIMDJSON_VERSION_REVISION),
        simdjson::builtin_implementation()->name().c_str(),
        simdjson::get_active_implementation()->name().c_str());
    std::vector<Input> inputs;
    const std::pair<const char *, std::string (*)(qint64)> kinds[] = {
        {"typical metric lines", metricOnlyLine},
        {"check lines with escaped strings", escapedCheckLine},
        {"mix (metric, memory every 50th, check every 1000th)", lineFor},
    };
    for (const auto &[name, make] : kinds) {
        Input &in = inputs.emplace_back();
        in.name = name;
        in.stream = makeStream(lines, make);
        in.lines = lines;
    }
    bool agree = true;
    for (const Input &in : inputs)
        agree = eventsAgree(in) && agree;
    std::printf("events identical for both decoders and every input: %s\n", agree ? "yes" : "NO");
    if (!agree)
        return 1;
    sideBySide(inputs, reps);
    return complete ? 0 : 1;
}
