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
// check lines with escaped strings, and the mix of part 1 -- with each decoder,
// N repetitions interleaved, and prints the median of each (wall clock and CPU):
//   flatjson                     MetricsDecoder (the hand-written flat-object parser)
//   simdjson, per line           simdjson On-Demand, each line copied into a padded
//                                buffer and iterate()d (what decodeLine() must do)
//   simdjson, chunk              each 64 KiB chunk copied once into a padded buffer,
//                                lines iterate()d in place (only lines that span two
//                                chunks are copied)
//   simdjson, iterate_many       upper bound: the whole stream as one NDJSON buffer;
//                                not line-exact (a bad line ends the stream), so only
//                                for these well-formed inputs
//   QJsonDocument                the baseline of part 1
// Before any figure the decoded events of every decoder are compared field by
// field with flatjson's (the program fails if one differs), and the per-line
// verdicts (event / malformed / ignored) of flatjson and simdjson are compared on
// hand-written bad lines, the fuzz corpus and mutated lines; differences are listed.
#include "core/metrics/linesplitter.h"
#include "core/metrics/metricsdecoder.h"
#include "core/metrics/metricstore.h"

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <random>
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

// A decoder for the same protocol on simdjson's On-Demand API, written to give
// the same events and the same accept/refuse decisions as MetricsDecoder:
// every member is visited and every value read (On-Demand validates only what
// is read), keys are checked for duplicates, nested values, bad literals and
// trailing bytes are refused. simdjson itself refuses invalid UTF-8, raw
// control characters, bad escapes and lone surrogates.
namespace simd {

namespace od = simdjson::ondemand;
using LineResult = MetricsDecoder::LineResult;

// The keys protocol v1 reads; every other key is validated and skipped.
enum Key : quint8 { Other, Ev, Name, Step, Value, Allocated, Reserved, Peak, Ok, Message, Kind, Detail, Text,
                    Proto, Torch, Device, Cuda, Pid, KeyCount };

inline Key keyId(std::string_view k)
{
    switch (k.size()) {
    case 2: return k == "ev" ? Ev : k == "ok" ? Ok : Other;
    case 3: return k == "pid" ? Pid : Other;
    case 4:
        return k == "name" ? Name : k == "step" ? Step : k == "peak" ? Peak : k == "kind" ? Kind
             : k == "text" ? Text : k == "cuda" ? Cuda : Other;
    case 5: return k == "value" ? Value : k == "proto" ? Proto : k == "torch" ? Torch : Other;
    case 6: return k == "detail" ? Detail : k == "device" ? Device : Other;
    case 7: return k == "message" ? Message : Other;
    case 8: return k == "reserved" ? Reserved : Other;
    case 9: return k == "allocated" ? Allocated : Other;
    default: return Other;
    }
}

struct Slot
{
    enum Kind : quint8 { String, Number, Bool, Null } kind = Null;
    bool integer = false;   // Number: an integer token that fits in 64 bits
    bool boolean = false;
    std::int64_t i = 0;
    double d = 0;
    std::string_view s;     // String, unescaped (in the parser's buffer)
};

// The same field rules as MetricsDecoder's Fields.
struct Fields
{
    const std::array<Slot, KeyCount> &slots;
    quint32 present;
    const char *reason = nullptr;

    bool fail(const char *why)
    {
        reason = why;
        return false;
    }
    const Slot *find(Key k) const { return present & (1u << k) ? &slots[k] : nullptr; }

    bool string(Key k, QString &out, bool required)
    {
        const Slot *v = find(k);
        if (!v)
            return required ? fail("missing_field") : true;
        if (v->kind != Slot::String)
            return fail("wrong_type");
        out = QString::fromUtf8(QByteArrayView(v->s.data(), qsizetype(v->s.size())));
        return true;
    }
    bool integer(Key k, qint64 &out, bool required)
    {
        const Slot *v = find(k);
        if (!v)
            return required ? fail("missing_field") : true;
        if (v->kind != Slot::Number || !v->integer)
            return fail("wrong_type");
        out = v->i;
        return true;
    }
    bool boolean(Key k, bool &out, bool required)
    {
        const Slot *v = find(k);
        if (!v)
            return required ? fail("missing_field") : true;
        if (v->kind != Slot::Bool)
            return fail("wrong_type");
        out = v->boolean;
        return true;
    }
    bool real(Key k, double &out)
    {
        const Slot *v = find(k);
        if (!v)
            return fail("missing_field");
        if (v->kind == Slot::Number) {
            out = v->d;
            return true;
        }
        if (v->kind == Slot::String) {
            if (v->s == "nan") {
                out = std::numeric_limits<double>::quiet_NaN();
                return true;
            }
            if (v->s == "inf") {
                out = std::numeric_limits<double>::infinity();
                return true;
            }
            if (v->s == "-inf") {
                out = -std::numeric_limits<double>::infinity();
                return true;
            }
        }
        return fail("wrong_type");
    }
};

const char *iterateError(simdjson::error_code e)
{
    switch (e) {
    case simdjson::EMPTY: return "empty";
    case simdjson::UTF8_ERROR: return "bad_utf8";
    case simdjson::UNESCAPED_CHARS: return "control_character";
    case simdjson::UNCLOSED_STRING: return "bad_string";
    default: return "syntax";
    }
}

class LineDecoder
{
public:
    // `data` must have `capacity` >= len + SIMDJSON_PADDING readable bytes.
    LineResult decodePadded(const char *data, size_t len, size_t capacity, LabEvent &event, const char **reason);
    // Any line: copied into a padded buffer first.
    LineResult decode(QByteArrayView line, LabEvent &event, const char **reason = nullptr)
    {
        const size_t need = size_t(line.size()) + simdjson::SIMDJSON_PADDING;
        if (m_line.size() < need)
            m_line.resize(need);
        if (!line.isEmpty())
            std::memcpy(m_line.data(), line.data(), size_t(line.size()));
        return decodePadded(m_line.data(), size_t(line.size()), m_line.size(), event, reason);
    }
    // For iterate_many: one document of a stream (no trailing-bytes check).
    template <class Doc>
    LineResult decodeDocument(Doc &doc, bool checkEnd, LabEvent &event, const char **reason);

private:
    od::parser m_parser;
    std::vector<char> m_line;
    std::array<Slot, KeyCount> m_slots;
};

template <class Doc>
LineResult LineDecoder::decodeDocument(Doc &doc, bool checkEnd, LabEvent &event, const char **reason)
{
    using Type = LabEvent::Type;
    const auto bad = [reason](const char *why) {
        if (reason)
            *reason = why;
        return LineResult::Malformed;
    };
    od::object object;
    if (const auto e = doc.get_object().get(object))
        return bad(e == simdjson::INCORRECT_TYPE ? "not_an_object" : "syntax");
    std::array<Slot, KeyCount> &slots = m_slots;   // only those marked in `present` are read
    std::array<std::string_view, 32> keys;
    int count = 0;
    quint32 present = 0;
    for (auto member : object) {
        od::field field;
        if (std::move(member).get(field))
            return bad("syntax");
        std::string_view key;
        if (field.unescaped_key().get(key))
            return bad("bad_string");
        for (int j = 0; j < count; ++j) {
            if (keys[size_t(j)] == key)
                return bad("duplicate_key");
        }
        if (count == int(keys.size()))
            return bad("too_many_members");
        keys[size_t(count++)] = key;
        const Key id = keyId(key);
        Slot &slot = slots[id];   // slot Other is scratch space for unknown keys
        od::value value = field.value();
        od::json_type type;
        if (value.type().get(type))
            return bad("bad_token");
        switch (type) {
        case od::json_type::object:
        case od::json_type::array:
            return bad("nested_container");
        case od::json_type::string:
            slot.kind = Slot::String;
            if (value.get_string().get(slot.s))
                return bad("bad_string");
            break;
        case od::json_type::boolean:
            slot.kind = Slot::Bool;
            if (value.get_bool().get(slot.boolean))
                return bad("bad_token");
            break;
        case od::json_type::null: {
            bool isNull = false;
            if (value.is_null().get(isNull) || !isNull)
                return bad("bad_token");
            slot.kind = Slot::Null;
            break;
        }
        case od::json_type::number:
            slot.kind = Slot::Number;
            slot.integer = false;
            if (id == Value) {
                if (value.get_double().get(slot.d))
                    return bad("bad_number");
            } else if (const auto e = value.get_int64().get(slot.i); !e) {
                slot.integer = true;
            } else if (e != simdjson::INCORRECT_TYPE || value.get_double().get(slot.d)) {
                return bad("bad_number");   // 01, 1x, 1e999 (INCORRECT_TYPE: 1.5, 1e3, 2^63)
            }
            break;
        }
        present |= 1u << id;
    }
    if (checkEnd) {
        const char *at = nullptr;
        if (doc.current_location().get(at) != simdjson::OUT_OF_BOUNDS)
            return bad("trailing_data");
    }

    Fields f{slots, present};
    const Slot *ev = f.find(Ev);
    if (!ev || ev->kind != Slot::String)
        return bad(ev ? "wrong_type" : "missing_field");
    bool ok = false;
    if (ev->s == "metric") {
        event.type = Type::Metric;
        ok = f.string(Name, event.name, true) && f.integer(Step, event.step, true) && f.real(Value, event.value);
        if (ok && event.name.isEmpty())
            ok = f.fail("empty_name");
    } else if (ev->s == "memory") {
        event.type = Type::Memory;
        ok = f.integer(Step, event.step, true) && f.integer(Allocated, event.allocated, true)
             && f.integer(Reserved, event.reserved, true) && f.integer(Peak, event.peak, true);
        if (ok && (event.allocated < 0 || event.reserved < 0 || event.peak < 0))
            ok = f.fail("negative_bytes");
    } else if (ev->s == "check") {
        event.type = Type::Check;
        ok = f.string(Name, event.name, true) && f.boolean(Ok, event.ok, true) && f.string(Message, event.message, false);
    } else if (ev->s == "error") {
        event.type = Type::Error;
        ok = f.string(Kind, event.kind, true) && f.string(Message, event.message, false)
             && f.string(Detail, event.detail, false);
    } else if (ev->s == "note") {
        event.type = Type::Note;
        ok = f.string(Text, event.message, true);
    } else if (ev->s == "hello") {
        event.type = Type::Hello;
        qint64 proto = 0;
        ok = f.integer(Proto, proto, true) && f.string(Torch, event.torchVersion, true)
             && f.string(Device, event.device, true) && f.boolean(Cuda, event.cuda, false)
             && f.integer(Pid, event.pid, false);
        if (ok && (proto < 1 || proto > std::numeric_limits<int>::max()))
            ok = f.fail("bad_protocol");
        event.protocol = int(proto);
    } else {
        return LineResult::Ignored;
    }
    if (!ok)
        return bad(f.reason);
    return LineResult::Event;
}

LineResult LineDecoder::decodePadded(const char *data, size_t len, size_t capacity, LabEvent &event,
                                     const char **reason)
{
    od::document doc;
    if (const auto e = m_parser.iterate(data, len, capacity).get(doc)) {
        if (reason)
            *reason = iterateError(e);
        return LineResult::Malformed;
    }
    return decodeDocument(doc, true, event, reason);
}

// The realistic stream path: chunks are copied once into a padded buffer and
// the lines that end inside it are parsed in place.
class ChunkDecoder
{
public:
    template <class Sink>
    void feed(QByteArrayView chunk, Sink &&sink)
    {
        const size_t need = size_t(chunk.size()) + simdjson::SIMDJSON_PADDING;
        if (m_chunk.size() < need)
            m_chunk.resize(need);
        if (!chunk.isEmpty())
            std::memcpy(m_chunk.data(), chunk.data(), size_t(chunk.size()));
        const char *const begin = m_chunk.data();
        const char *const end = begin + m_chunk.size();
        m_splitter.feed(QByteArrayView(begin, chunk.size()), [&](QByteArrayView line) {
            LabEvent event;
            const LineResult r = line.data() >= begin && line.data() < end
                                     ? m_decoder.decodePadded(line.data(), size_t(line.size()), size_t(end - line.data()), event, nullptr)
                                     : m_decoder.decode(line, event);
            count(r, std::move(event), sink);
        });
    }
    template <class Sink>
    void finish(Sink &&sink)
    {
        m_splitter.finish([&](QByteArrayView line) {
            LabEvent event;
            count(m_decoder.decode(line, event), std::move(event), sink);
        });
    }
    MetricsDecoderStats stats() const { return m_stats; }

private:
    template <class Sink>
    void count(LineResult r, LabEvent &&event, Sink &sink)
    {
        if (r == LineResult::Event) {
            ++m_stats.linesOk;
            sink(std::move(event));
        } else if (r == LineResult::Malformed) {
            ++m_stats.malformed;
        } else {
            ++m_stats.ignored;
        }
    }

    LineSplitter m_splitter;
    LineDecoder m_decoder;
    std::vector<char> m_chunk;
    MetricsDecoderStats m_stats;
};

} // namespace simd

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

// Only metric lines (loss and accuracy), as a training loop sends them.
std::string metricOnlyLine(qint64 i)
{
    return metricLine(i % 2 ? "loss" : "accuracy", i, 1.0 / double(i + 1) + 0.1);
}

// Check lines whose name and message need escapes (quotes, backslash, newline,
// tab, a \u escape) and carry raw UTF-8, as lab.h writes them.
std::string escapedCheckLine(qint64 i)
{
    return R"({"ev":"check","name":"shape is \"[)" + std::to_string(i % 64) + R"(, 3]\"","ok":)"
           + (i % 3 ? "true" : "false") + R"(,"message":"expected \"[2, 3]\"\n\tgot C:\\data\\)"
           + std::to_string(i) + " \\u00e9t\\u00e9 \xe2\x82\xac\"}\n";
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

// ---- Part 2: decoders side by side -------------------------------------------

bool sameDouble(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

bool sameEvent(const LabEvent &a, const LabEvent &b)
{
    return a.type == b.type && a.name == b.name && a.step == b.step && sameDouble(a.value, b.value)
           && a.allocated == b.allocated && a.reserved == b.reserved && a.peak == b.peak && a.ok == b.ok
           && a.message == b.message && a.detail == b.detail && a.kind == b.kind && a.protocol == b.protocol
           && a.torchVersion == b.torchVersion && a.device == b.device && a.cuda == b.cuda && a.pid == b.pid;
}

// Each decoder: the whole stream in 64 KiB chunks (as ProcessRunner delivers
// it), events appended to `out`.
using DecodeFn = void (*)(QByteArrayView stream, const simdjson::padded_string &padded, std::vector<LabEvent> &out);

template <class Decoder>
void feedInChunks(Decoder &decoder, QByteArrayView stream, std::vector<LabEvent> &out)
{
    const auto sink = [&out](LabEvent &&e) { out.push_back(std::move(e)); };
    for (qsizetype at = 0; at < stream.size(); at += Chunk)
        decoder.feed(stream.sliced(at, std::min(Chunk, stream.size() - at)), sink);
    decoder.finish(sink);
}

void decodeFlatjson(QByteArrayView stream, const simdjson::padded_string &, std::vector<LabEvent> &out)
{
    MetricsDecoder decoder;
    feedInChunks(decoder, stream, out);
}

// decodeLine() as simdjson would have to implement it: the line is copied into
// a padded buffer, then iterate()d.
void decodeSimdPerLine(QByteArrayView stream, const simdjson::padded_string &, std::vector<LabEvent> &out)
{
    static simd::LineDecoder decoder;   // the parser keeps its buffers, as a thread_local would
    LineSplitter splitter;
    const auto onLine = [&out](QByteArrayView line) {
        LabEvent e;
        if (decoder.decode(line, e) == MetricsDecoder::LineResult::Event)
            out.push_back(std::move(e));
    };
    for (qsizetype at = 0; at < stream.size(); at += Chunk)
        splitter.feed(stream.sliced(at, std::min(Chunk, stream.size() - at)), onLine);
    splitter.finish(onLine);
}

void decodeSimdChunk(QByteArrayView stream, const simdjson::padded_string &, std::vector<LabEvent> &out)
{
    simd::ChunkDecoder decoder;
    feedInChunks(decoder, stream, out);
}

// Upper bound only: simdjson's NDJSON reader over the whole (padded) stream.
void decodeSimdMany(QByteArrayView, const simdjson::padded_string &padded, std::vector<LabEvent> &out)
{
    static simdjson::ondemand::parser parser;
    static simd::LineDecoder decoder;
    simdjson::ondemand::document_stream docs;
    if (parser.iterate_many(padded, 1 << 20).get(docs))
        return;
    for (auto result : docs) {
        simdjson::ondemand::document_reference doc;
        if (std::move(result).get(doc))
            break;
        LabEvent e;
        if (decoder.decodeDocument(doc, false, e, nullptr) == MetricsDecoder::LineResult::Event)
            out.push_back(std::move(e));
    }
}

void decodeQJson(QByteArrayView stream, const simdjson::padded_string &, std::vector<LabEvent> &out)
{
    decodeWithQJson(stream, out);
}

struct Decoder
{
    const char *name;
    DecodeFn fn;
};

const Decoder decoders[] = {
    {"flatjson (MetricsDecoder)", decodeFlatjson},
    {"simdjson On-Demand, per line", decodeSimdPerLine},
    {"simdjson On-Demand, chunk", decodeSimdChunk},
    {"simdjson iterate_many (bound)", decodeSimdMany},
    {"QJsonDocument", decodeQJson},
};
constexpr int decoderCount = int(sizeof decoders / sizeof decoders[0]);

struct Input
{
    const char *name = "";
    QByteArray stream;
    simdjson::padded_string padded;
    qint64 lines = 0;
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Every decoder must give flatjson's events, field for field.
bool eventsAgree(const Input &input)
{
    std::vector<LabEvent> reference;
    decoders[0].fn(input.stream, input.padded, reference);
    bool ok = qint64(reference.size()) == input.lines;
    if (!ok)
        std::printf("%s: flatjson decoded %zu of %lld lines\n", input.name, reference.size(), static_cast<long long>(input.lines));
    for (int d = 1; d < decoderCount; ++d) {
        std::vector<LabEvent> events;
        decoders[d].fn(input.stream, input.padded, events);
        if (events.size() != reference.size()) {
            std::printf("%s: %s decoded %zu events, flatjson %zu\n", input.name, decoders[d].name, events.size(), reference.size());
            ok = false;
            continue;
        }
        for (size_t i = 0; i < events.size(); ++i) {
            if (!sameEvent(events[i], reference[i])) {
                std::printf("%s: %s: event %zu differs from flatjson's\n", input.name, decoders[d].name, i);
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
                decoders[d].fn(inputs[size_t(i)].stream, inputs[size_t(i)].padded, events);
                events.clear();
                QElapsedTimer t;
                t.start();
                const double cpu0 = threadCpuSeconds();
                decoders[d].fn(inputs[size_t(i)].stream, inputs[size_t(i)].padded, events);
                const double c = threadCpuSeconds() - cpu0;
                const double w = double(t.nsecsElapsed()) / 1e9;
                wall[size_t(i * decoderCount + d)].push_back(w);
                cpu[size_t(i * decoderCount + d)].push_back(c);
            }
        }
    }
    for (int i = 0; i < n; ++i) {
        const Input &in = inputs[size_t(i)];
        std::printf("\n%s: %lld lines, %.1f bytes/line; median of %d runs\n", in.name, static_cast<long long>(in.lines),
                    double(in.stream.size()) / double(in.lines), reps);
        std::printf("  %-31s %12s %9s %13s %12s\n", "decoder", "lines/s", "ns/line", "cpu ns/line", "vs flatjson");
        const double flatCpu = median(cpu[size_t(i * decoderCount)]) / double(in.lines) * 1e9;
        for (int d = 0; d < decoderCount; ++d) {
            const double w = median(wall[size_t(i * decoderCount + d)]);
            const double c = median(cpu[size_t(i * decoderCount + d)]) / double(in.lines) * 1e9;
            std::printf("  %-31s %12.0f %9.1f %13.1f %11.2fx\n", decoders[d].name, double(in.lines) / w,
                        w / double(in.lines) * 1e9, c, c / flatCpu);
        }
    }
    std::printf("\n(lines/s and ns/line: wall clock; cpu ns/line: this thread's CPU time; vs flatjson: cpu time ratio,\n"
                " below 1 is faster. iterate_many is an upper bound, not line-exact; it is given the stream already\n"
                " in a padded buffer)\n");
}

// ---- verdicts on bad lines ----------------------------------------------------

std::string printable(QByteArrayView line)
{
    std::string s;
    for (const char ch : line.first(std::min<qsizetype>(line.size(), 110))) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f) {
            s += char(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            s += buf;
        }
    }
    if (line.size() > 110)
        s += "...";
    return s;
}

const char *verdictName(MetricsDecoder::LineResult r)
{
    switch (r) {
    case MetricsDecoder::LineResult::Event: return "event";
    case MetricsDecoder::LineResult::Malformed: return "malformed";
    case MetricsDecoder::LineResult::Ignored: return "ignored";
    }
    return "?";
}

struct VerdictCheck
{
    simd::LineDecoder decoder;
    qint64 compared = 0;
    qint64 malformed = 0;   // lines flatjson refuses
    qint64 differ = 0;
    std::vector<std::string> examples;

    void check(QByteArrayView line)
    {
        LabEvent a, b;
        const char *ra = "", *rb = "";
        const auto va = MetricsDecoder::decodeLine(line, a, &ra);
        const auto vb = decoder.decode(line, b, &rb);
        ++compared;
        malformed += va == MetricsDecoder::LineResult::Malformed;
        if (va == vb && (va != MetricsDecoder::LineResult::Event || sameEvent(a, b)))
            return;
        ++differ;
        if (examples.size() < 12) {
            examples.push_back(printable(line) + "\n      flatjson: " + verdictName(va)
                               + (va == MetricsDecoder::LineResult::Malformed ? std::string(" (") + ra + ")" : "")
                               + ", simdjson: " + verdictName(vb)
                               + (vb == MetricsDecoder::LineResult::Malformed ? std::string(" (") + rb + ")" : "")
                               + (va == vb ? ", events differ" : ""));
        }
    }
};

// Bad values in every position the decoder reads, and in an unknown field.
std::vector<QByteArray> handWrittenLines()
{
    const QByteArray tokens[] = {
        "NaN", "Infinity", "-Infinity", "nan", "True", "truex", "nul", "nullx", "+1", ".5", "01", "-01", "1.", "1e",
        "1e+", "-", "0x10", "1x", "1e999", "-1e999", "1e-400", "4.9e-325", "5e-324", "-0", "-0.0", "1E+2",
        "99999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1.5", "1e3",
        "true", "false", "null", "0", "12", "0.25", R"("")", R"("a")", R"("nan")", R"("inf")", R"("-inf")", R"("NaN")",
        R"("n\u0061n")", R"("abc)", R"("\x41")", R"("\u12")", R"("\ud83d")", R"("\udd25")", R"("\ud83d\u0041")",
        R"("\ud83d\udd25")", R"("a\u0000b")", R"("a\/b\"c\\d\b\f\n\r\t")", QByteArray("\"x\0y\"", 5), "\"x\ny\"",
        "\"x\ty\"", QByteArray("1\0", 2), "\"\x7f\"", "\"\x80\"", "\"\xc3\"", "\"\xc0\xaf\"", "\"\xe0\x80\xaf\"",
        "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"caf\xe9\"", "\"\xff\"", "\"\xc3\xa9\xf0\x9f\x94\xa5\"",
        R"({"b":1})", "{}", "[1]", "[]", "'a'", "a",
    };
    const QByteArray templates[] = {
        R"({"ev":"note","text":"t","x":@})",
        R"({"ev":"metric","name":"a","step":1,"value":@})",
        R"({"ev":"metric","name":"a","step":@,"value":1})",
        R"({"ev":"metric","name":@,"step":1,"value":1})",
        R"({"ev":"check","name":"a","ok":@})",
        R"({"ev":"check","name":"a","ok":true,"message":@})",
        R"({"ev":"memory","step":1,"allocated":@,"reserved":2,"peak":3})",
        R"({"ev":"hello","proto":@,"torch":"1.13.0","device":"cpu"})",
        R"({"ev":"hello","proto":1,"torch":"1.13.0","device":"cpu","cuda":@,"pid":@})",
        R"({"ev":@,"text":"t"})",
        R"({"ev":"note","text":"t",@:1})",
        R"({@:"note","text":"t"})",
    };
    std::vector<QByteArray> lines;
    for (const QByteArray &t : templates) {
        for (const QByteArray &tok : tokens) {
            QByteArray line = t;
            line.replace("@", tok);
            lines.push_back(line);
        }
    }
    const QByteArray whole[] = {
        "", "   ", "{}", "{ }", " \t{ \"ev\" : \"note\" , \"text\" :\r\n\"x\" } \r", "42", "[1,2]", "epoch 1 loss 0.3",
        R"({"ev")", R"({"ev":"metric","step":1)", R"({"ev":"note","text":"a"})" "x", R"({"ev":"note","text":"a"} x)",
        R"({"ev":"note","text":"a"}{"b":2})", R"({"ev":"note","text":"a",})", R"({"ev":"note" "text":"a"})",
        R"({"ev":"note","text" "a"})", R"({'ev':'note'})", R"({ev:"note"})", R"({"ev":"note","text":"a"}})",
        R"({{"ev":"note"})", R"({"ev":"note","ev":"note","text":"a"})", R"({"ev":"note","text":"a","text":"a"})",
        R"({"ev":"note","text":"a","e\u0076":"x"})", R"({"e\u0076":"note","text":"a"})", R"({"ev":"n\u006fte","text":"a"})",
        QByteArray("{\"ev\":\"note\",\"text\":\"a\"}\0", 26), QByteArray("\0\0\0", 3), "@torchlab {\"ev\":\"note\",\"text\":\"a\"}",
        R"({"ev":"metric","name":"a","step":1,"value":2,"unit":"s","x":null})", R"({"t":"lab","ev":"note","text":"a"})",
        R"({"ev":"histogram","name":"w","bins":3})", R"({"ev":"note","text":"a","x":1 2})", R"({"ev":"note","text":"a"   )",
    };
    for (const QByteArray &w : whole)
        lines.push_back(w);
    // Too many members: 32 fit, 33 do not.
    for (int members : {31, 32, 33}) {
        QByteArray line = R"({"ev":"note","text":"t")";
        for (int k = 2; k < members; ++k)
            line += ",\"k" + QByteArray::number(k) + "\":" + QByteArray::number(k);
        lines.push_back(line + "}");
    }
    return lines;
}

// Every line of every file in the fuzz corpus (seeds and what the fuzzer found).
std::vector<QByteArray> corpusLines()
{
    std::vector<QByteArray> lines;
    QDirIterator it(QStringLiteral(TORCHLAB_FUZZ_CORPUS_DIR), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (QByteArray line : file.readAll().split('\n')) {
            if (line.endsWith('\r'))
                line.chop(1);
            lines.push_back(line);
        }
    }
    return lines;
}

// Random edits of well-formed lines: bytes replaced, deleted, inserted, duplicated.
std::vector<QByteArray> mutatedLines(int count)
{
    const QByteArray seeds[] = {
        R"({"ev":"hello","proto":1,"torch":"1.13.0","device":"cpu","cuda":false,"pid":123})",
        R"({"ev":"metric","name":"loss","step":12,"value":0.5})",
        R"({"ev":"metric","name":"acc","step":-3,"value":-1.5e-3})",
        R"({"ev":"metric","name":"a","step":1,"value":"-inf"})",
        R"({"ev":"memory","step":3,"allocated":1024,"reserved":2097152,"peak":4096})",
        R"({"ev":"check","name":"shape","ok":true,"message":"got \"[2, 3]\"\n\u00e9"})",
        R"({"ev":"error","kind":"cuda_oom","message":"CUDA out of memory.","detail":"a\tb\\c"})",
        "{\"ev\":\"note\",\"text\":\"\xc3\xa9poque \xf0\x9f\x94\xa5 \\ud83d\\udd25\"}",
        R"({"t":"lab","ev":"note","text":"x"})",
    };
    const char alphabet[] = "\"\\{}[]:,0123456789-+.eEutrfalsn \t\r\x7f\x80\xbf\xc3\xe2\xed\xf0\xff\x01";
    std::mt19937 rng(20240611);
    std::vector<QByteArray> lines;
    lines.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        QByteArray line = seeds[rng() % (sizeof seeds / sizeof seeds[0])];
        const int edits = 1 + int(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = qsizetype(rng() % quint32(line.size() + 1));
            const char c = rng() % 4 ? alphabet[rng() % (sizeof alphabet - 1)] : char(rng() & 0xff);
            switch (rng() % 4) {
            case 0:
                if (at < line.size())
                    line[at] = c;
                break;
            case 1:
                line.remove(at, 1 + qsizetype(rng() % 3));
                break;
            case 2:
                line.insert(at, c);
                break;
            default: {
                const qsizetype from = qsizetype(rng() % quint32(line.size()));
                line.insert(at, line.mid(from, 1 + qsizetype(rng() % 8)));
                break;
            }
            }
        }
        lines.push_back(line);
    }
    return lines;
}

void compareVerdicts(int mutations)
{
    std::printf("\nAccept/refuse decisions, flatjson vs simdjson On-Demand (line by line):\n");
    const std::pair<const char *, std::vector<QByteArray>> sets[] = {
        {"hand-written bad and edge lines", handWrittenLines()},
        {"fuzz corpus lines", corpusLines()},
        {"mutated lines", mutatedLines(mutations)},
    };
    for (const auto &[name, lines] : sets) {
        VerdictCheck v;
        for (const QByteArray &line : lines)
            v.check(line);
        std::printf("  %-32s %7lld lines, %7lld refused by flatjson, %5lld decided differently\n", name,
                    static_cast<long long>(v.compared), static_cast<long long>(v.malformed),
                    static_cast<long long>(v.differ));
        for (const std::string &e : v.examples)
            std::printf("    %s\n", e.c_str());
    }
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
        complete = decoded == lines && stored == lines && baseline == lines && piped == lines;
        std::printf("\nall lines decoded in every row: %s\n", complete ? "yes" : "NO");
    }

    // Part 2: the same lines through each decoder, side by side.
    std::printf("\nDecoders side by side (simdjson %d.%d.%d, On-Demand kernel '%s', stage 1 kernel '%s')\n",
                int(simdjson::SIMDJSON_VERSION_MAJOR), int(simdjson::SIMDJSON_VERSION_MINOR),
                int(simdjson::SIMDJSON_VERSION_REVISION), simdjson::builtin_implementation()->name().c_str(),
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
        in.padded = simdjson::padded_string(in.stream.constData(), size_t(in.stream.size()));
    }
    bool agree = true;
    for (const Input &in : inputs)
        agree = eventsAgree(in) && agree;
    std::printf("events identical to flatjson's for every decoder and input: %s\n", agree ? "yes" : "NO");
    if (!agree)
        return 1;
    sideBySide(inputs, reps);
    compareVerdicts(200000);
    return complete ? 0 : 1;
}
