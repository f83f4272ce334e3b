#include "core/metrics/metricsdecoder.h"

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

namespace torchlab {

const char *labEventTypeName(LabEvent::Type type)
{
    switch (type) {
    case LabEvent::Type::Hello:
        return "hello";
    case LabEvent::Type::Metric:
        return "metric";
    case LabEvent::Type::Memory:
        return "memory";
    case LabEvent::Type::Check:
        return "check";
    case LabEvent::Type::Error:
        return "error";
    case LabEvent::Type::Note:
        return "note";
    }
    return "unknown";
}

namespace {

namespace od = simdjson::ondemand;

// The keys protocol v1 reads. Every other key is validated and skipped.
enum Key : quint8
{
    Other,
    Ev,
    Name,
    Step,
    Value,
    Allocated,
    Reserved,
    Peak,
    Ok,
    Message,
    Kind,
    Detail,
    Text,
    Proto,
    Torch,
    Device,
    Cuda,
    Pid,
    Skipped,
    KeyCount
};

Key keyId(std::string_view k)
{
    switch (k.size()) {
    case 2:
        return k == "ev" ? Ev : k == "ok" ? Ok : Other;
    case 3:
        return k == "pid" ? Pid : Other;
    case 4:
        return k == "name"   ? Name
               : k == "step" ? Step
               : k == "peak" ? Peak
               : k == "kind" ? Kind
               : k == "text" ? Text
               : k == "cuda" ? Cuda
                             : Other;
    case 5:
        return k == "value" ? Value : k == "proto" ? Proto : k == "torch" ? Torch : Other;
    case 6:
        return k == "detail" ? Detail : k == "device" ? Device : Other;
    case 7:
        return k == "message" ? Message : k == "skipped" ? Skipped : Other;
    case 8:
        return k == "reserved" ? Reserved : Other;
    case 9:
        return k == "allocated" ? Allocated : Other;
    default:
        return Other;
    }
}

// One member's value, read as the type its key calls for.
struct Slot
{
    enum Kind : quint8
    {
        String,
        Number,
        Bool,
        Null
    } kind = Null;
    bool integer = false; // Number: an integer token (no fraction, no exponent) within 64 bits
    bool boolean = false;
    std::int64_t i = 0; // Number, integer
    double d = 0;       // Number under "value"
    std::string_view s; // String, unescaped (in the parser's buffer, valid for this line)
};

// Field readers: each returns false when the field is present with the wrong
// type, or missing while required. An optional missing field leaves `out` alone.
struct Fields
{
    const std::array<Slot, KeyCount> &slots;
    quint32 present; // bit k: key k was in the line
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

    // A number, or one of the strings lab.h uses for non-finite doubles.
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
    case simdjson::EMPTY:
        return "empty";
    case simdjson::UTF8_ERROR:
        return "bad_utf8";
    case simdjson::UNESCAPED_CHARS:
        return "control_character"; // raw byte < 0x20, NUL included
    case simdjson::UNCLOSED_STRING:
        return "bad_string";
    default:
        return "syntax";
    }
}

// simdjson reads up to SIMDJSON_PADDING bytes past a document, so each line is
// copied into a padded buffer. Kept per thread with the parser (which keeps its
// own buffers) so that a line costs no allocation.
struct LineParser
{
    od::parser parser;
    std::vector<char> padded;
    std::array<Slot, KeyCount> slots; // only those marked present are read
};

// Lines longer than this (only the JSON event stream allows them) get a parser
// of their own, so that one huge line does not stay allocated in every thread.
constexpr size_t KeptLineBytes = size_t(LineSplitter::DefaultMaxLineBytes);

// Parses one line as a flat object and reads its members into `slots`. Every
// member is visited and every value read, because On-Demand validates only what
// is read: bad escapes, lone surrogates, bad numbers and literals anywhere
// refuse the line, as do nested values, duplicate keys, more than 32 members
// and bytes after the object. Invalid UTF-8 and raw control characters are
// refused by simdjson before that.
const char *parseLine(LineParser &lp, QByteArrayView line, quint32 &present)
{
    const size_t len = size_t(line.size());
    if (lp.padded.size() < len + simdjson::SIMDJSON_PADDING)
        lp.padded.resize(len + simdjson::SIMDJSON_PADDING);
    if (len)
        std::memcpy(lp.padded.data(), line.data(), len);
    od::document doc;
    if (const auto e = lp.parser.iterate(lp.padded.data(), len, lp.padded.size()).get(doc))
        return iterateError(e);
    od::object object;
    if (const auto e = doc.get_object().get(object))
        return e == simdjson::INCORRECT_TYPE ? "not_an_object" : "syntax";

    constexpr int MaxMembers = 32;
    std::array<std::string_view, MaxMembers> keys;
    int count = 0;
    present = 0;
    for (auto member : object) {
        od::field field;
        if (std::move(member).get(field))
            return "syntax";
        std::string_view key;
        if (field.unescaped_key().get(key))
            return "bad_string";
        for (int j = 0; j < count; ++j) {
            if (keys[size_t(j)] == key)
                return "duplicate_key";
        }
        if (count == MaxMembers)
            return "too_many_members";
        keys[size_t(count++)] = key;

        const Key id = keyId(key);
        Slot &slot = lp.slots[id]; // slots[Other] is scratch space for unknown keys
        od::value value = field.value();
        od::json_type type;
        if (value.type().get(type))
            return "bad_token"; // NaN, Infinity, +1, .5, 'x', ...
        switch (type) {
        case od::json_type::object:
        case od::json_type::array:
            return "nested_container";
        case od::json_type::string:
            slot.kind = Slot::String;
            if (value.get_string().get(slot.s))
                return "bad_string"; // bad escape, lone surrogate escape
            break;
        case od::json_type::boolean:
            slot.kind = Slot::Bool;
            if (value.get_bool().get(slot.boolean))
                return "bad_token"; // truex, fals
            break;
        case od::json_type::null: {
            bool isNull = false;
            if (value.is_null().get(isNull) || !isNull)
                return "bad_token"; // nul, nullx
            slot.kind = Slot::Null;
            break;
        }
        case od::json_type::number:
            slot.kind = Slot::Number;
            slot.integer = false;
            if (id == Value) {
                if (value.get_double().get(slot.d))
                    return "bad_number"; // 01, 1., 1e999
            } else if (const auto e = value.get_int64().get(slot.i); !e) {
                slot.integer = true;
            } else if (e != simdjson::INCORRECT_TYPE || value.get_double().get(slot.d)) {
                // INCORRECT_TYPE is a valid number that is no int64 (1.5, 1e3, 2^63):
                // still validated, then refused where an integer is required.
                return "bad_number";
            }
            break;
        }
        present |= 1u << id;
    }
    const char *at = nullptr;
    if (doc.current_location().get(at) != simdjson::OUT_OF_BOUNDS)
        return "trailing_data"; // {"a":1}{"b":2}
    return nullptr;
}

} // namespace

MetricsDecoder::MetricsDecoder(qsizetype maxLineBytes) : m_splitter(maxLineBytes) {}

MetricsDecoder::LineResult MetricsDecoder::decodeLine(QByteArrayView line, LabEvent &event,
                                                      const char **reason)
{
    using Type = LabEvent::Type;
    const auto malformed = [reason](const char *why) {
        if (reason)
            *reason = why;
        return LineResult::Malformed;
    };
    static thread_local LineParser kept;
    std::unique_ptr<LineParser> own;
    if (size_t(line.size()) > KeptLineBytes)
        own = std::make_unique<LineParser>();
    LineParser &lp = own ? *own : kept;
    quint32 present = 0;
    if (const char *error = parseLine(lp, line, present))
        return malformed(error);

    Fields f{lp.slots, present};
    const Slot *ev = f.find(Ev);
    if (!ev || ev->kind != Slot::String)
        return malformed(ev ? "wrong_type" : "missing_field");

    bool ok = false;
    if (ev->s == "metric") {
        event.type = Type::Metric;
        ok = f.string(Name, event.name, true) && f.integer(Step, event.step, true) &&
             f.real(Value, event.value);
        if (ok && event.name.isEmpty())
            ok = f.fail("empty_name");
    } else if (ev->s == "memory") {
        event.type = Type::Memory;
        ok = f.integer(Step, event.step, true) && f.integer(Allocated, event.allocated, true) &&
             f.integer(Reserved, event.reserved, true) && f.integer(Peak, event.peak, true);
        if (ok && (event.allocated < 0 || event.reserved < 0 || event.peak < 0))
            ok = f.fail("negative_bytes");
    } else if (ev->s == "check") {
        event.type = Type::Check;
        ok = f.string(Name, event.name, true) && f.boolean(Ok, event.ok, true) &&
             f.string(Message, event.message, false) && f.boolean(Skipped, event.skipped, false);
        if (ok && event.skipped)
            event.ok = false; // a skipped check never counts as passed
    } else if (ev->s == "error") {
        event.type = Type::Error;
        ok = f.string(Kind, event.kind, true) && f.string(Message, event.message, false) &&
             f.string(Detail, event.detail, false);
    } else if (ev->s == "note") {
        event.type = Type::Note;
        ok = f.string(Text, event.message, true);
    } else if (ev->s == "hello") {
        event.type = Type::Hello;
        qint64 proto = 0;
        ok = f.integer(Proto, proto, true) && f.string(Torch, event.torchVersion, true) &&
             f.string(Device, event.device, true) && f.boolean(Cuda, event.cuda, false) &&
             f.integer(Pid, event.pid, false);
        if (ok && (proto < 1 || proto > std::numeric_limits<int>::max()))
            ok = f.fail("bad_protocol");
        event.protocol = int(proto);
    } else {
        return LineResult::Ignored;
    }
    if (!ok)
        return malformed(f.reason);
    return LineResult::Event;
}

void MetricsDecoder::feed(QByteArrayView chunk, std::vector<LabEvent> &out)
{
    feed(chunk, [&out](LabEvent &&event) { out.push_back(std::move(event)); });
}

void MetricsDecoder::finish(std::vector<LabEvent> &out)
{
    finish([&out](LabEvent &&event) { out.push_back(std::move(event)); });
}

MetricsDecoderStats MetricsDecoder::stats() const
{
    MetricsDecoderStats s = m_stats;
    s.tooLong = m_splitter.droppedLines();
    return s;
}

void MetricsDecoder::noteMalformed(const char *reason)
{
    ++m_stats.malformed;
    if (m_firstProblem.isEmpty()) {
        const qint64 lineNumber =
            m_stats.linesOk + m_stats.malformed + m_stats.ignored + m_splitter.droppedLines();
        m_firstProblem = "line " + QByteArray::number(lineNumber) + ": " + QByteArray(reason);
    }
}

MetricsDecoder::LineResult decodeFallbackLine(QByteArrayView stdoutLine, LabEvent &event)
{
    if (!stdoutLine.startsWith(fallbackPrefix()))
        return MetricsDecoder::LineResult::Ignored;
    QByteArrayView json = stdoutLine.sliced(fallbackPrefix().size());
    if (!json.isEmpty() && json.back() == '\r')
        json.chop(1);
    return MetricsDecoder::decodeLine(json, event);
}

} // namespace torchlab
