#include "core/metrics/metricsdecoder.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <limits>

using namespace torchlab;

// A literal with embedded NUL bytes, all of it.
Q_DECLARE_METATYPE(torchlab::MetricsDecoder::LineResult)

#define BYTES(literal) QByteArray(literal, sizeof(literal) - 1)

namespace {

// A compact, comparable picture of an event for _data() tables.
QString describe(const LabEvent &e)
{
    const auto num = [](double v) { return QString::number(v, 'g', 17); };
    switch (e.type) {
    case LabEvent::Type::Hello:
        return QStringLiteral("hello|%1|%2|%3|%4|%5")
            .arg(e.protocol)
            .arg(e.torchVersion, e.device, e.cuda ? "cuda" : "nocuda")
            .arg(e.pid);
    case LabEvent::Type::Metric:
        return QStringLiteral("metric|%1|%2|%3").arg(e.name).arg(e.step).arg(num(e.value));
    case LabEvent::Type::Memory:
        return QStringLiteral("memory|%1|%2|%3|%4")
            .arg(e.step)
            .arg(e.allocated)
            .arg(e.reserved)
            .arg(e.peak);
    case LabEvent::Type::Check:
        return QStringLiteral("check|%1|%2|%3")
            .arg(e.name,
                 e.skipped ? "skipped"
                 : e.ok    ? "ok"
                           : "fail",
                 e.message);
    case LabEvent::Type::Error:
        return QStringLiteral("error|%1|%2|%3").arg(e.kind, e.message, e.detail);
    case LabEvent::Type::Note:
        return QStringLiteral("note|%1").arg(e.message);
    }
    return {};
}

struct Decoded
{
    QStringList events;
    MetricsDecoderStats stats;
};

Decoded decodeAll(const QByteArrayList &chunks,
                  qsizetype maxLine = LineSplitter::DefaultMaxLineBytes)
{
    MetricsDecoder decoder(maxLine);
    std::vector<LabEvent> events;
    for (const QByteArray &chunk : chunks)
        decoder.feed(chunk, events);
    decoder.finish(events);
    Decoded d;
    for (const LabEvent &e : events)
        d.events << describe(e);
    d.stats = decoder.stats();
    return d;
}

} // namespace

class tst_MetricsDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
    void sameResultForEveryChunking();
    void nonFiniteValuesAreExact();
    void firstProblemNamesLineAndReason();
    void protocolFromHello();
    void oneGigabyteLineWithoutNewline();
    void callbackSink();
    void recordedLabhTranscript();
    void fallbackLine_data();
    void fallbackLine();
    void strictJson_data();
    void strictJson();
    void strings_data();
    void strings();
    void numbers_data();
    void numbers();
    void memberLimit();
};

void tst_MetricsDecoder::decode_data()
{
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<qsizetype>("maxLine");
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<int>("ok");
    QTest::addColumn<int>("malformed");
    QTest::addColumn<int>("tooLong");
    QTest::addColumn<int>("ignored");

    const qsizetype cap = LineSplitter::DefaultMaxLineBytes;
    const QByteArray metric = R"({"ev":"metric","name":"loss","step":3,"value":0.25})"
                              "\n";

    // Every event type as lab.h writes it.
    QTest::newRow("hello")
        << QByteArrayList{R"({"ev":"hello","proto":1,"torch":"1.13.0","device":"cpu","cuda":false,"pid":123})"
                          "\n"}
        << cap << QStringList{"hello|1|1.13.0|cpu|nocuda|123"} << 1 << 0 << 0 << 0;
    QTest::newRow("metric") << QByteArrayList{metric} << cap << QStringList{"metric|loss|3|0.25"}
                            << 1 << 0 << 0 << 0;
    QTest::newRow("memory")
        << QByteArrayList{R"({"ev":"memory","step":3,"allocated":1024,"reserved":2097152,"peak":4096})"
                          "\n"}
        << cap << QStringList{"memory|3|1024|2097152|4096"} << 1 << 0 << 0 << 0;
    QTest::newRow("check")
        << QByteArrayList{R"({"ev":"check","name":"shape","ok":true,"message":"got \"[2, 3]\""})"
                          "\n"}
        << cap << QStringList{"check|shape|ok|got \"[2, 3]\""} << 1 << 0 << 0 << 0;
    QTest::newRow("check without message")
        << QByteArrayList{R"({"ev":"check","name":"x","ok":false})"
                          "\n"}
        << cap << QStringList{"check|x|fail|"} << 1 << 0 << 0 << 0;
    QTest::newRow("skipped check (lab::skip)")
        << QByteArrayList{R"({"ev":"check","name":"cuda_sync","ok":false,"skipped":true,"message":"No GPU here."})"
                          "\n"}
        << cap << QStringList{"check|cuda_sync|skipped|No GPU here."} << 1 << 0 << 0 << 0;
    QTest::newRow("a skipped check never passes")
        << QByteArrayList{R"({"ev":"check","name":"x","ok":true,"skipped":true})"
                          "\n"}
        << cap << QStringList{"check|x|skipped|"} << 1 << 0 << 0 << 0;
    QTest::newRow("skipped must be a bool")
        << QByteArrayList{R"({"ev":"check","name":"x","ok":false,"skipped":"yes"})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("error")
        << QByteArrayList{R"({"ev":"error","kind":"cuda_oom","message":"CUDA out of memory.","detail":"CUDA out of memory.\nTried"})"
                          "\n"}
        << cap << QStringList{"error|cuda_oom|CUDA out of memory.|CUDA out of memory.\nTried"} << 1
        << 0 << 0 << 0;
    QTest::newRow("note") << QByteArrayList{R"({"ev":"note","text":"epoch 1"})"
                                            "\n"}
                          << cap << QStringList{"note|epoch 1"} << 1 << 0 << 0 << 0;
    QTest::newRow("unknown fields are ignored")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":2,"unit":"s","x":null})"
                          "\n"}
        << cap << QStringList{"metric|a|1|2"} << 1 << 0 << 0 << 0;
    QTest::newRow("negative and exponent values")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":-1,"value":-1.5e-3})"
                          "\n"}
        << cap << QStringList{"metric|a|-1|-0.0015"} << 1 << 0 << 0 << 0;

    // docs/reliability.md row 12.
    QTest::newRow("bad JSON between good lines")
        << QByteArrayList{metric + "{\"ev\":\"metric\",\n" + metric} << cap
        << QStringList{"metric|loss|3|0.25", "metric|loss|3|0.25"} << 2 << 1 << 0 << 0;
    QTest::newRow("prose line") << QByteArrayList{"epoch 1: loss 0.3\n"} << cap << QStringList{}
                                << 0 << 1 << 0 << 0;
    QTest::newRow("raw NaN token")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":NaN})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("raw Infinity token")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":Infinity})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("raw -Infinity token")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":-Infinity})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("NaN spelled other than lab.h does")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":"NaN"})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("nan inf -inf strings")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":"nan"})"
                          "\n"
                          R"({"ev":"metric","name":"a","step":2,"value":"inf"})"
                          "\n"
                          R"({"ev":"metric","name":"a","step":3,"value":"-inf"})"
                          "\n"}
        << cap << QStringList{"metric|a|1|nan", "metric|a|2|inf", "metric|a|3|-inf"} << 3 << 0 << 0
        << 0;
    QTest::newRow("value out of double range")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":1e400})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("step as string")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":"1","value":2})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("step with a fraction")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1.5,"value":2})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("step overflows int64")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":99999999999999999999,"value":2})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("name as number")
        << QByteArrayList{R"({"ev":"metric","name":7,"step":1,"value":2})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("empty name") << QByteArrayList{R"({"ev":"metric","name":"","step":1,"value":2})"
                                                  "\n"}
                                << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("value as bool")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":true})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("value null")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":null})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("ok as string") << QByteArrayList{R"({"ev":"check","name":"a","ok":"true"})"
                                                    "\n"}
                                  << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("message as number")
        << QByteArrayList{R"({"ev":"check","name":"a","ok":true,"message":1})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("allocated with a fraction")
        << QByteArrayList{R"({"ev":"memory","step":1,"allocated":1.5,"reserved":2,"peak":3})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("negative byte count")
        << QByteArrayList{R"({"ev":"memory","step":1,"allocated":-1,"reserved":2,"peak":3})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("metric without value") << QByteArrayList{R"({"ev":"metric","name":"a","step":1})"
                                                            "\n"}
                                          << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("check without ok") << QByteArrayList{R"({"ev":"check","name":"a"})"
                                                        "\n"}
                                      << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("memory without peak")
        << QByteArrayList{R"({"ev":"memory","step":1,"allocated":1,"reserved":2})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("hello without proto")
        << QByteArrayList{R"({"ev":"hello","torch":"1.13.0","device":"cpu"})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("hello proto 0")
        << QByteArrayList{R"({"ev":"hello","proto":0,"torch":"1.13.0","device":"cpu"})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("missing ev") << QByteArrayList{R"({"name":"a","step":1,"value":2})"
                                                  "\n"}
                                << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("ev as number") << QByteArrayList{R"({"ev":1})"
                                                    "\n"}
                                  << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("bad UTF-8 in name")
        << QByteArrayList{"{\"ev\":\"metric\",\"name\":\"lo\xffss\",\"step\":1,\"value\":2}\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("bad UTF-8 in an unknown field")
        << QByteArrayList{"{\"ev\":\"note\",\"text\":\"t\",\"x\":\"\xc0\xaf\"}\n"} << cap
        << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("valid UTF-8 in a note")
        << QByteArrayList{"{\"ev\":\"note\",\"text\":\"\xc3\xa9poque \xf0\x9f\x94\xa5\"}\n"} << cap
        << QStringList{QString::fromUtf8("note|\xc3\xa9poque \xf0\x9f\x94\xa5")} << 1 << 0 << 0
        << 0;
    QTest::newRow("raw NUL inside a string")
        << QByteArrayList{BYTES("{\"ev\":\"note\",\"text\":\"a\0b\"}\n")} << cap << QStringList{}
        << 0 << 1 << 0 << 0;
    QTest::newRow("NUL after the object")
        << QByteArrayList{BYTES("{\"ev\":\"note\",\"text\":\"ab\"}\0\n")} << cap << QStringList{}
        << 0 << 1 << 0 << 0;
    QTest::newRow("NUL-only line")
        << QByteArrayList{BYTES("\0\0\0\n")} << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("escaped NUL is fine")
        << QByteArrayList{R"({"ev":"note","text":"a\u0000b"})"
                          "\n"}
        << cap << QStringList{QStringView(u"note|a\0b", 8).toString()} << 1 << 0 << 0 << 0;
    QTest::newRow("CRLF line endings")
        << QByteArrayList{R"({"ev":"note","text":"a"})"
                          "\r\n"
                          R"({"ev":"note","text":"b"})"
                          "\r\n"}
        << cap << QStringList{"note|a", "note|b"} << 2 << 0 << 0 << 0;
    QTest::newRow("partial last line that is complete JSON")
        << QByteArrayList{metric + R"({"ev":"note","text":"last"})"} << cap
        << QStringList{"metric|loss|3|0.25", "note|last"} << 2 << 0 << 0 << 0;
    QTest::newRow("partial last line cut mid-object")
        << QByteArrayList{metric + R"({"ev":"note","te)"} << cap
        << QStringList{"metric|loss|3|0.25"} << 1 << 1 << 0 << 0;
    QTest::newRow("blank line") << QByteArrayList{"\n" + metric} << cap
                                << QStringList{"metric|loss|3|0.25"} << 1 << 1 << 0 << 0;
    QTest::newRow("nested object") << QByteArrayList{R"({"ev":"note","text":{"a":1}})"
                                                     "\n"}
                                   << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("array value")
        << QByteArrayList{R"({"ev":"metric","name":"a","step":1,"value":[1]})"
                          "\n"}
        << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("duplicate ev") << QByteArrayList{R"({"ev":"note","ev":"metric","text":"a"})"
                                                    "\n"}
                                  << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("fallback prefix on the channel")
        << QByteArrayList{"@torchlab " + metric} << cap << QStringList{} << 0 << 1 << 0 << 0;
    QTest::newRow("unknown event kind is ignored")
        << QByteArrayList{R"({"ev":"histogram","name":"w","bins":3})"
                          "\n" +
                          metric}
        << cap << QStringList{"metric|loss|3|0.25"} << 1 << 0 << 0 << 1;
    QTest::newRow("line over the cap")
        << QByteArrayList{metric + R"({"ev":"note","text":")" + QByteArray(200, 'a') + "\"}\n" +
                          metric}
        << qsizetype(100) << QStringList{"metric|loss|3|0.25", "metric|loss|3|0.25"} << 2 << 0 << 1
        << 0;
}

void tst_MetricsDecoder::decode()
{
    QFETCH(QByteArrayList, chunks);
    QFETCH(qsizetype, maxLine);
    QFETCH(QStringList, events);
    QFETCH(int, ok);
    QFETCH(int, malformed);
    QFETCH(int, tooLong);
    QFETCH(int, ignored);

    const Decoded d = decodeAll(chunks, maxLine);
    QCOMPARE(d.events, events);
    QCOMPARE(d.stats.linesOk, ok);
    QCOMPARE(d.stats.malformed, malformed);
    QCOMPARE(d.stats.tooLong, tooLong);
    QCOMPARE(d.stats.ignored, ignored);
}

void tst_MetricsDecoder::sameResultForEveryChunking()
{
    const QByteArray stream =
        R"({"ev":"hello","proto":1,"torch":"2.11.0","device":"cuda:0","cuda":true,"pid":9})"
        "\r\n"
        R"({"ev":"metric","name":"loss","step":0,"value":2.5})"
        "\n"
        "garbage\n"
        R"({"ev":"memory","step":0,"allocated":1,"reserved":2,"peak":3})"
        "\n"
        "{\"ev\":\"note\",\"text\":\"\xe2\x82\xac\"}\n"
        R"({"ev":"check","name":"c","ok":true})";
    const Decoded whole = decodeAll({stream});
    QCOMPARE(whole.events.size(), 5);
    QCOMPARE(whole.stats.malformed, 1);
    for (qsizetype size = 1; size < stream.size(); ++size) {
        QByteArrayList chunks;
        for (qsizetype i = 0; i < stream.size(); i += size)
            chunks << stream.mid(i, size);
        const Decoded d = decodeAll(chunks);
        QVERIFY2(d.events == whole.events, qPrintable(QStringLiteral("chunk size %1").arg(size)));
        QCOMPARE(d.stats.linesOk, whole.stats.linesOk);
        QCOMPARE(d.stats.malformed, whole.stats.malformed);
    }
}

void tst_MetricsDecoder::nonFiniteValuesAreExact()
{
    MetricsDecoder decoder;
    std::vector<LabEvent> events;
    decoder.feed(R"({"ev":"metric","name":"a","step":1,"value":"nan"})"
                 "\n"
                 R"({"ev":"metric","name":"a","step":2,"value":"-inf"})"
                 "\n"
                 R"({"ev":"metric","name":"a","step":3,"value":0.1})"
                 "\n",
                 events);
    QCOMPARE(events.size(), size_t(3));
    QVERIFY(std::isnan(events[0].value));
    QVERIFY(std::isinf(events[1].value) && events[1].value < 0);
    QCOMPARE(events[2].value, 0.1); // bit-exact, not approximately
}

void tst_MetricsDecoder::firstProblemNamesLineAndReason()
{
    MetricsDecoder decoder;
    std::vector<LabEvent> events;
    decoder.feed(R"({"ev":"note","text":"fine"})"
                 "\n"
                 "{\"ev\":\"note\",\"text\":\"\xff\"}\n"
                 R"({"ev":"metric","name":"a","step":1,"value":NaN})"
                 "\n",
                 events);
    QCOMPARE(decoder.firstProblem(), QByteArray("line 2: bad_utf8"));
    QCOMPARE(decoder.stats().malformed, 2);
}

void tst_MetricsDecoder::protocolFromHello()
{
    MetricsDecoder decoder;
    std::vector<LabEvent> events;
    QCOMPARE(decoder.protocol(), 0);
    decoder.feed(R"({"ev":"hello","proto":2,"torch":"9.0.0","device":"cpu","future":"field"})"
                 "\n",
                 events);
    QCOMPARE(decoder.protocol(), 2);
    QCOMPARE(events.at(0).cuda, false);
    QCOMPARE(events.at(0).pid, 0);
}

// docs/reliability.md row 11, through the decoder: dropped, counted, memory bounded,
// and the channel recovers at the next newline.
void tst_MetricsDecoder::oneGigabyteLineWithoutNewline()
{
    MetricsDecoder decoder;
    std::vector<LabEvent> events;
    decoder.feed(R"({"ev":"note","text":"before"})"
                 "\n{\"ev\":\"note\",\"text\":\"",
                 events);
    const QByteArray chunk(1 << 20, 'z');
    qsizetype maxCapacity = 0;
    for (int i = 0; i < 1024; ++i) {
        decoder.feed(chunk, events);
        maxCapacity = std::max(maxCapacity, decoder.bufferCapacity());
    }
    QVERIFY2(maxCapacity <= LineSplitter::DefaultMaxLineBytes + 1,
             qPrintable(QString::number(maxCapacity)));
    decoder.feed("\"}\n"
                 R"({"ev":"note","text":"after"})"
                 "\n",
                 events);
    decoder.finish(events);
    QCOMPARE(events.size(), size_t(2));
    QCOMPARE(events[1].message, QStringLiteral("after"));
    QCOMPARE(decoder.stats().tooLong, 1);
    QCOMPARE(decoder.stats().malformed, 0);
}

void tst_MetricsDecoder::callbackSink()
{
    MetricsDecoder decoder;
    QStringList names;
    decoder.feed(R"({"ev":"metric","name":"a","step":1,"value":1})"
                 "\n"
                 R"({"ev":"metric","name":"b","step":1,"value":1})",
                 [&names](LabEvent &&e) { names << e.name; });
    QCOMPARE(names, QStringList{"a"});
    decoder.finish([&names](LabEvent &&e) { names << e.name; });
    QCOMPARE(names, (QStringList{"a", "b"}));
}

// A transcript of what the real lab.h wrote on the channel (tests/lab/labprobe,
// Debian LibTorch 1.13); kept so the decoder is checked against real output
// even where LibTorch is not installed.
void tst_MetricsDecoder::recordedLabhTranscript()
{
    QFile file(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/metrics/labprobe-channel.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    MetricsDecoder decoder;
    std::vector<LabEvent> events;
    decoder.feed(bytes, events);
    decoder.finish(events);
    QCOMPARE(decoder.stats().malformed, 0);
    QCOMPARE(decoder.stats().ignored, 0);
    QVERIFY(events.size() >= 5);
    QCOMPARE(events.front().type, LabEvent::Type::Hello);
    QCOMPARE(events.front().protocol, 1);
    QCOMPARE(events.front().torchVersion, QStringLiteral("1.13.0"));
    QCOMPARE(events.back().type, LabEvent::Type::Error);
    QCOMPARE(events.back().kind, QStringLiteral("c10_error"));
}

void tst_MetricsDecoder::fallbackLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<MetricsDecoder::LineResult>("result");
    QTest::addColumn<QString>("event");

    using R = MetricsDecoder::LineResult;
    QTest::newRow("event") << QByteArray(
                                  R"(@torchlab {"ev":"metric","name":"loss","step":1,"value":0.5})")
                           << R::Event << QStringLiteral("metric|loss|1|0.5");
    QTest::newRow("event with CR") << QByteArray("@torchlab {\"ev\":\"note\",\"text\":\"x\"}\r")
                                   << R::Event << QStringLiteral("note|x");
    QTest::newRow("ordinary output") << QByteArray("epoch 1 loss 0.5") << R::Ignored << QString();
    QTest::newRow("JSON without the prefix")
        << QByteArray(R"({"ev":"note","text":"x"})") << R::Ignored << QString();
    QTest::newRow("prefix without the space")
        << QByteArray(R"(@torchlab{"ev":"note","text":"x"})") << R::Ignored << QString();
    QTest::newRow("prefix not at line start")
        << QByteArray(R"(x @torchlab {"ev":"note","text":"x"})") << R::Ignored << QString();
    QTest::newRow("prefix and bad JSON")
        << QByteArray("@torchlab {\"ev\":") << R::Malformed << QString();
    QTest::newRow("prefix and unknown event")
        << QByteArray(R"(@torchlab {"ev":"future"})") << R::Ignored << QString();
}

void tst_MetricsDecoder::fallbackLine()
{
    QFETCH(QByteArray, line);
    QFETCH(MetricsDecoder::LineResult, result);
    QFETCH(QString, event);
    LabEvent e;
    QCOMPARE(decodeFallbackLine(line, e), result);
    if (result == MetricsDecoder::LineResult::Event)
        QCOMPARE(describe(e), event);
}

// What the parser accepts and refuses, wherever it stands in a line: mostly as
// the value of a field the decoder does not read, which must still be valid JSON.
// (These were tst_flatjson's cases when the decoder had a parser of its own.)
void tst_MetricsDecoder::strictJson_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<MetricsDecoder::LineResult>("result");

    using R = MetricsDecoder::LineResult;
    const auto x = [](const QByteArray &value) {
        return R"({"ev":"note","text":"t","x":)" + value + "}";
    };

    QTest::newRow("whitespace everywhere")
        << QByteArray(" \t{ \"ev\" : \"note\" , \"text\" :\r\n\"x\" } \r") << R::Event;
    QTest::newRow("valid UTF-8 in an unread field") << x("\"Gr\xc3\xb6\xc3\x9f"
                                                         "e \xe2\x82\xac \xf0\x9f\x94\xa5\"")
                                                    << R::Event;
    QTest::newRow("escaped NUL") << x(R"("a\u0000b")") << R::Event;
    QTest::newRow("surrogate pair escape") << x(R"("\ud83d\udd25")") << R::Event;
    QTest::newRow("DEL is not a control character in JSON") << x("\"\x7f\"") << R::Event;
    QTest::newRow("negative zero, exponent forms")
        << QByteArray(R"({"ev":"note","text":"t","a":-0,"b":1E+2,"c":1e-7,"d":-0.5})") << R::Event;
    QTest::newRow("literals and null")
        << QByteArray(R"({"ev":"note","text":"t","a":true,"b":false,"c":null})") << R::Event;
    QTest::newRow("integer beyond int64 in an unread field")
        << x("99999999999999999999") << R::Event;

    QTest::newRow("truncated after key") << QByteArray(R"({"ev")") << R::Malformed;
    QTest::newRow("missing colon") << QByteArray(R"({"ev" "note","text":"t"})") << R::Malformed;
    QTest::newRow("missing comma") << QByteArray(R"({"ev":"note" "text":"t"})") << R::Malformed;
    QTest::newRow("trailing comma") << QByteArray(R"({"ev":"note","text":"t",})") << R::Malformed;
    QTest::newRow("single quotes") << QByteArray("{'ev':'note','text':'t'}") << R::Malformed;
    QTest::newRow("unquoted key") << QByteArray(R"({ev:"note","text":"t"})") << R::Malformed;
    QTest::newRow("two values for one key") << x("1 2") << R::Malformed;
    QTest::newRow("raw NaN token") << x("NaN") << R::Malformed;
    QTest::newRow("raw Infinity token") << x("Infinity") << R::Malformed;
    QTest::newRow("raw -Infinity token") << x("-Infinity") << R::Malformed;
    QTest::newRow("raw nan token") << x("nan") << R::Malformed;
    QTest::newRow("True capitalised") << x("True") << R::Malformed;
    QTest::newRow("truex") << x("truex") << R::Malformed;
    QTest::newRow("nul") << x("nul") << R::Malformed;
    QTest::newRow("plus sign") << x("+1") << R::Malformed;
    QTest::newRow("leading dot") << x(".5") << R::Malformed;
    QTest::newRow("leading zero") << x("01") << R::Malformed;
    QTest::newRow("dot without digits") << x("1.") << R::Malformed;
    QTest::newRow("exponent without digits") << x("1e") << R::Malformed;
    QTest::newRow("lone minus") << x("-") << R::Malformed;
    QTest::newRow("hex") << x("0x10") << R::Malformed;
    QTest::newRow("unterminated string")
        << QByteArray(R"({"ev":"note","text":"abc})") << R::Malformed;
    QTest::newRow("bad escape") << x(R"("\x41")") << R::Malformed;
    QTest::newRow("short unicode escape") << x(R"("\u12")") << R::Malformed;
    QTest::newRow("lone high surrogate") << x(R"("\ud83d")") << R::Malformed;
    QTest::newRow("lone low surrogate") << x(R"("\udd25")") << R::Malformed;
    QTest::newRow("high surrogate and no low one") << x(R"("\ud83d\u0041")") << R::Malformed;
    QTest::newRow("bad escape in a key")
        << QByteArray(R"({"ev":"note","text":"t","\q":1})") << R::Malformed;
    QTest::newRow("raw newline in string") << x("\"x\ny\"") << R::Malformed;
    QTest::newRow("raw tab in string") << x("\"x\ty\"") << R::Malformed;
    QTest::newRow("NUL between tokens") << x(BYTES("1\0")) << R::Malformed;
    QTest::newRow("lone continuation byte") << x("\"\x80\"") << R::Malformed;
    QTest::newRow("truncated 2-byte sequence") << x("\"\xc3\"") << R::Malformed;
    QTest::newRow("overlong slash") << x("\"\xc0\xaf\"") << R::Malformed;
    QTest::newRow("overlong 3-byte") << x("\"\xe0\x80\xaf\"") << R::Malformed;
    QTest::newRow("UTF-8 encoded surrogate") << x("\"\xed\xa0\x80\"") << R::Malformed;
    QTest::newRow("above U+10FFFF") << x("\"\xf4\x90\x80\x80\"") << R::Malformed;
    QTest::newRow("latin-1 byte") << x("\"caf\xe9\"") << R::Malformed;
    QTest::newRow("bad UTF-8 in a key")
        << QByteArray("{\"ev\":\"note\",\"text\":\"t\",\"\xff\":1}") << R::Malformed;
    QTest::newRow("empty array") << x("[]") << R::Malformed;
    QTest::newRow("empty object") << x("{}") << R::Malformed;
    QTest::newRow("duplicate unread key")
        << QByteArray(R"({"ev":"note","text":"t","x":1,"x":1})") << R::Malformed;
    QTest::newRow("two objects on one line")
        << QByteArray(R"({"ev":"note","text":"t"}{"b":2})") << R::Malformed;
    QTest::newRow("garbage after the object")
        << QByteArray(R"({"ev":"note","text":"t"} x)") << R::Malformed;
    QTest::newRow("closing brace twice")
        << QByteArray(R"({"ev":"note","text":"t"}})") << R::Malformed;
    QTest::newRow("array line") << QByteArray("[1,2]") << R::Malformed;
    QTest::newRow("bare number") << QByteArray("42") << R::Malformed;
    QTest::newRow("only spaces") << QByteArray("   ") << R::Malformed;

    // Where simdjson decides otherwise than the hand-written parser it replaced
    // (lab.h writes none of these): keys and strings compare by their decoded
    // text, as JSON defines them, and a number must fit a double.
    QTest::newRow("escaped key is the same key")
        << QByteArray(R"({"e\u0076":"note","text":"t"})") << R::Event;
    QTest::newRow("escaped key duplicates a key")
        << QByteArray(R"({"ev":"note","text":"t","t\u0065xt":"u"})") << R::Malformed;
    QTest::newRow("number beyond double range in an unread field") << x("1e999") << R::Malformed;
}

void tst_MetricsDecoder::strictJson()
{
    QFETCH(QByteArray, line);
    QFETCH(MetricsDecoder::LineResult, result);
    LabEvent e;
    const char *reason = "";
    const MetricsDecoder::LineResult got = MetricsDecoder::decodeLine(line, e, &reason);
    QVERIFY2(got == result, reason);
}

void tst_MetricsDecoder::strings_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QByteArray(R"("loss")") << QStringLiteral("loss");
    QTest::newRow("empty") << QByteArray(R"("")") << QString();
    QTest::newRow("simple escapes") << QByteArray(R"("a\"b\\c\/d\be\ff\ng\rh\ti")")
                                    << QStringLiteral("a\"b\\c/d\be\ff\ng\rh\ti");
    QTest::newRow("unicode escape")
        << QByteArray(R"("\u00e9\u20AC")") << QStringLiteral("\u00e9\u20ac");
    QTest::newRow("escaped NUL kept")
        << QByteArray(R"("a\u0000b")") << QStringView(u"a\0b", 3).toString();
    QTest::newRow("surrogate pair")
        << QByteArray(R"("x\ud83d\udd25y")") << QString::fromUtf8("x\xf0\x9f\x94\xa5y");
    QTest::newRow("raw UTF-8") << QByteArray("\"Gr\xc3\xb6\xc3\x9f"
                                             "e\"")
                               << QString::fromUtf8("Gr\xc3\xb6\xc3\x9f"
                                                    "e");
    QTest::newRow("raw UTF-8 next to escape")
        << QByteArray("\"\xc3\xa9\\n\xc3\xa9\"") << QString::fromUtf8("\xc3\xa9\n\xc3\xa9");
}

void tst_MetricsDecoder::strings()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    LabEvent e;
    QCOMPARE(MetricsDecoder::decodeLine(R"({"ev":"note","text":)" + json + "}", e),
             MetricsDecoder::LineResult::Event);
    QCOMPARE(e.message, expected);
}

void tst_MetricsDecoder::numbers_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("isStep"); // accepted as "step" (an int64)
    QTest::addColumn<qint64>("step");
    QTest::addColumn<bool>("isValue"); // accepted as "value" (a double)
    QTest::addColumn<double>("value");

    QTest::newRow("zero") << QByteArray("0") << true << qint64(0) << true << 0.0;
    QTest::newRow("negative zero") << QByteArray("-0") << true << qint64(0) << true << -0.0;
    QTest::newRow("negative") << QByteArray("-17") << true << qint64(-17) << true << -17.0;
    QTest::newRow("int64 max") << QByteArray("9223372036854775807") << true
                               << std::numeric_limits<qint64>::max() << true
                               << 9223372036854775807.0;
    QTest::newRow("int64 min") << QByteArray("-9223372036854775808") << true
                               << std::numeric_limits<qint64>::min() << true
                               << -9223372036854775808.0;
    QTest::newRow("int64 overflow")
        << QByteArray("9223372036854775808") << false << qint64(0) << true << 9223372036854775808.0;
    QTest::newRow("fraction is not an integer")
        << QByteArray("3.0") << false << qint64(0) << true << 3.0;
    QTest::newRow("exponent is not an integer")
        << QByteArray("1e3") << false << qint64(0) << true << 1000.0;
    QTest::newRow("shortest round-trip") << QByteArray("0.1") << false << qint64(0) << true << 0.1;
    QTest::newRow("largest double") << QByteArray("1.7976931348623157e308") << false << qint64(0)
                                    << true << std::numeric_limits<double>::max();
    QTest::newRow("tiny") << QByteArray("5e-324") << false << qint64(0) << true << 5e-324;
    // simdjson rounds a number below the smallest double to 0 (flatjson refused it).
    QTest::newRow("underflow reads as 0")
        << QByteArray("1e-400") << false << qint64(0) << true << 0.0;
    QTest::newRow("beyond double") << QByteArray("1e999") << false << qint64(0) << false << 0.0;
}

void tst_MetricsDecoder::numbers()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, isStep);
    QFETCH(qint64, step);
    QFETCH(bool, isValue);
    QFETCH(double, value);
    using R = MetricsDecoder::LineResult;
    LabEvent e;
    QCOMPARE(MetricsDecoder::decodeLine(
                 R"({"ev":"metric","name":"a","step":)" + token + R"(,"value":1})", e),
             isStep ? R::Event : R::Malformed);
    if (isStep)
        QCOMPARE(e.step, step);
    QCOMPARE(MetricsDecoder::decodeLine(
                 R"({"ev":"metric","name":"a","step":1,"value":)" + token + "}", e),
             isValue ? R::Event : R::Malformed);
    if (isValue) {
        QCOMPARE(e.value, value); // exact
        QCOMPARE(std::signbit(e.value), std::signbit(value));
    }
}

void tst_MetricsDecoder::memberLimit()
{
    QByteArray line = R"({"ev":"note","text":"t")";
    for (int i = 2; i < 32; ++i)
        line += ",\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i);
    LabEvent e;
    QCOMPARE(MetricsDecoder::decodeLine(line + "}", e),
             MetricsDecoder::LineResult::Event); // 32 members
    const char *reason = nullptr;
    QCOMPARE(MetricsDecoder::decodeLine(line + R"(,"one_more":1})", e, &reason),
             MetricsDecoder::LineResult::Malformed);
    QCOMPARE(QByteArray(reason), QByteArray("too_many_members"));
}

QTEST_GUILESS_MAIN(tst_MetricsDecoder)
#include "tst_metricsdecoder.moc"
