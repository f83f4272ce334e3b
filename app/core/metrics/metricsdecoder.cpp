#include "core/metrics/metricsdecoder.h"

#include "core/metrics/flatjson.h"

#include <cmath>
#include <limits>

namespace torchlab {

using flatjson::Value;

const char *labEventTypeName(LabEvent::Type type)
{
    switch (type) {
    case LabEvent::Type::Hello: return "hello";
    case LabEvent::Type::Metric: return "metric";
    case LabEvent::Type::Memory: return "memory";
    case LabEvent::Type::Check: return "check";
    case LabEvent::Type::Error: return "error";
    case LabEvent::Type::Note: return "note";
    }
    return "unknown";
}

namespace {

// Field readers: each returns false when the field is present with the wrong
// type, or missing while required. An optional missing field leaves `out` alone.
struct Fields
{
    const flatjson::Object &object;
    const char *reason = nullptr;

    bool fail(const char *why)
    {
        reason = why;
        return false;
    }

    bool string(QByteArrayView key, QString &out, bool required)
    {
        const Value *v = object.find(key);
        if (!v)
            return required ? fail("missing_field") : true;
        if (!v->isString())
            return fail("wrong_type");
        out = v->toString();
        return true;
    }

    bool integer(QByteArrayView key, qint64 &out, bool required)
    {
        const Value *v = object.find(key);
        if (!v)
            return required ? fail("missing_field") : true;
        const auto i = v->toInt64();
        if (!i)
            return fail("wrong_type");
        out = *i;
        return true;
    }

    bool boolean(QByteArrayView key, bool &out, bool required)
    {
        const Value *v = object.find(key);
        if (!v)
            return required ? fail("missing_field") : true;
        if (!v->isBool())
            return fail("wrong_type");
        out = v->boolean;
        return true;
    }

    // A number, or one of the strings lab.h uses for non-finite doubles.
    bool real(QByteArrayView key, double &out)
    {
        const Value *v = object.find(key);
        if (!v)
            return fail("missing_field");
        if (v->isNumber()) {
            const auto d = v->toDouble();
            if (!d)
                return fail("number_out_of_range");
            out = *d;
            return true;
        }
        if (v->equals("nan")) {
            out = std::numeric_limits<double>::quiet_NaN();
            return true;
        }
        if (v->equals("inf")) {
            out = std::numeric_limits<double>::infinity();
            return true;
        }
        if (v->equals("-inf")) {
            out = -std::numeric_limits<double>::infinity();
            return true;
        }
        return fail("wrong_type");
    }
};

} // namespace

MetricsDecoder::MetricsDecoder(qsizetype maxLineBytes)
    : m_splitter(maxLineBytes)
{
}

MetricsDecoder::LineResult MetricsDecoder::decodeLine(QByteArrayView line, LabEvent &event,
                                                      const char **reason)
{
    using Type = LabEvent::Type;
    // Reused, not rebuilt per line: constructing 32 empty members each time
    // was a measurable share of decoding (parseObject resets the count).
    static thread_local flatjson::Object object;
    const flatjson::Error error = flatjson::parseObject(line, object);
    if (error != flatjson::Error::None) {
        if (reason)
            *reason = flatjson::errorName(error);
        return LineResult::Malformed;
    }
    Fields f{object};
    const Value *ev = object.find("ev");
    if (!ev || !ev->isString()) {
        if (reason)
            *reason = ev ? "wrong_type" : "missing_field";
        return LineResult::Malformed;
    }

    bool ok = false;
    if (ev->equals("metric")) {
        event.type = Type::Metric;
        ok = f.string("name", event.name, true) && f.integer("step", event.step, true)
             && f.real("value", event.value);
        if (ok && event.name.isEmpty())
            ok = f.fail("empty_name");
    } else if (ev->equals("memory")) {
        event.type = Type::Memory;
        ok = f.integer("step", event.step, true) && f.integer("allocated", event.allocated, true)
             && f.integer("reserved", event.reserved, true) && f.integer("peak", event.peak, true);
        if (ok && (event.allocated < 0 || event.reserved < 0 || event.peak < 0))
            ok = f.fail("negative_bytes");
    } else if (ev->equals("check")) {
        event.type = Type::Check;
        ok = f.string("name", event.name, true) && f.boolean("ok", event.ok, true)
             && f.string("message", event.message, false);
    } else if (ev->equals("error")) {
        event.type = Type::Error;
        ok = f.string("kind", event.kind, true) && f.string("message", event.message, false)
             && f.string("detail", event.detail, false);
    } else if (ev->equals("note")) {
        event.type = Type::Note;
        ok = f.string("text", event.message, true);
    } else if (ev->equals("hello")) {
        event.type = Type::Hello;
        qint64 proto = 0;
        ok = f.integer("proto", proto, true) && f.string("torch", event.torchVersion, true)
             && f.string("device", event.device, true) && f.boolean("cuda", event.cuda, false)
             && f.integer("pid", event.pid, false);
        if (ok && (proto < 1 || proto > std::numeric_limits<int>::max()))
            ok = f.fail("bad_protocol");
        event.protocol = int(proto);
    } else {
        return LineResult::Ignored;
    }
    if (!ok) {
        if (reason)
            *reason = f.reason;
        return LineResult::Malformed;
    }
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
        const qint64 lineNumber = m_stats.linesOk + m_stats.malformed + m_stats.ignored
                                  + m_splitter.droppedLines();
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
