// libFuzzer target for the metrics channel decoder (docs/reliability.md row 12).
// Beyond "no crash, no sanitizer report" it checks invariants: the same bytes
// give the same events and counters however they are cut into chunks, the
// partial-line buffer never exceeds the cap, and stored samples match events.
#include "core/metrics/metricsdecoder.h"
#include "core/metrics/metricstore.h"
#include "core/metrics/seriesmath.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace torchlab;

namespace {

void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

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

struct Outcome
{
    std::vector<LabEvent> events;
    MetricsDecoderStats stats;
};

// A small cap so that the over-long path is reached by small inputs.
constexpr qsizetype MaxLine = 128;

Outcome decode(QByteArrayView input, size_t chunkSize)
{
    Outcome o;
    MetricsDecoder decoder(MaxLine);
    for (size_t at = 0; at < size_t(input.size()); at += chunkSize) {
        decoder.feed(
            input.sliced(qsizetype(at), qsizetype(std::min(chunkSize, size_t(input.size()) - at))),
            o.events);
        require(decoder.bufferCapacity() <= MaxLine + 1, "partial line buffer above the cap");
    }
    decoder.finish(o.events);
    o.stats = decoder.stats();
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 20))
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    const Outcome whole = decode(input, size ? size : 1);
    // The first byte picks a second chunking; 1 byte at a time is the harshest.
    const size_t chunk = size ? size_t(data[0] % 17) + 1 : 1;
    const Outcome cut = decode(input, chunk);

    require(whole.events.size() == cut.events.size(), "chunking changed the number of events");
    for (size_t i = 0; i < whole.events.size(); ++i)
        require(sameEvent(whole.events[i], cut.events[i]), "chunking changed an event");
    require(
        whole.stats.linesOk == cut.stats.linesOk && whole.stats.malformed == cut.stats.malformed &&
            whole.stats.tooLong == cut.stats.tooLong && whole.stats.ignored == cut.stats.ignored,
        "chunking changed the counters");
    require(qint64(whole.events.size()) == whole.stats.linesOk, "events and linesOk disagree");

    MetricStore store;
    qint64 samples = 0;
    for (const LabEvent &e : whole.events) {
        if (store.add(e))
            samples += e.type == LabEvent::Type::Memory ? 3 : 1;
        require(e.type != LabEvent::Type::Metric || !e.name.isEmpty(), "metric without a name");
    }
    require(store.sampleCount() == samples, "store lost samples");
    for (int id = 0; id < store.seriesCount(); ++id) {
        const MetricSeries &s = store.series(id);
        require(ema(s.values, 0.6).size() == s.values.size(), "ema changed the length");
        require(downsampleMinMax(s.steps, s.values, 4).size() <= 8,
                "downsample returned too many points");
    }

    // Each line again as a stdout line with the fallback prefix: same verdict.
    const char *p = input.data();
    const char *const end = p + input.size();
    while (p < end) {
        const auto *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        QByteArrayView line(p, nl ? nl : end);
        p = nl ? nl + 1 : end;
        if (!line.isEmpty() && line.back() == '\r')
            line.chop(1);
        LabEvent direct, viaStdout;
        const auto a = MetricsDecoder::decodeLine(line, direct);
        const auto b =
            decodeFallbackLine(fallbackPrefix().toByteArray() + line.toByteArray(), viaStdout);
        require(a == b, "fallback verdict differs");
        require(a != MetricsDecoder::LineResult::Event || sameEvent(direct, viaStdout),
                "fallback event differs");
    }
    return 0;
}
