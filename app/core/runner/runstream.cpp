#include "core/runner/runstream.h"

#include "core/metrics/metricsdecoder.h"
#include "core/run/resultjson.h"
#include "core/runner/runnerjson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace torchlab {

namespace {

// lupdate files a tr() in a free function under the namespace; calls through
// this class give lupdate and QCoreApplication::translate the same context.
struct RunStreamText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::RunStreamReader)
};

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

// JSON string escaping for the hot path (lab events come by the million).
void appendString(QByteArray &out, const QString &text)
{
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x",
                              unsigned(static_cast<unsigned char>(c)));
                out += buffer;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendKey(QByteArray &out, const char *key)
{
    out += ",\"";
    out += key;
    out += "\":";
}

void appendReal(QByteArray &out, double value)
{
    if (std::isnan(value))
        out += "\"nan\"";
    else if (std::isinf(value))
        out += value > 0 ? "\"inf\"" : "\"-inf\"";
    else
        out += QByteArray::number(value, 'g', 17);
}

// lab.h's own line for the event, with "t":"lab" first.
void appendLabEvent(QByteArray &out, const LabEvent &e)
{
    out += "{\"t\":\"lab\",\"ev\":\"";
    out += labEventTypeName(e.type);
    out += '"';
    switch (e.type) {
    case LabEvent::Type::Hello:
        appendKey(out, "proto");
        out += QByteArray::number(e.protocol);
        appendKey(out, "torch");
        appendString(out, e.torchVersion);
        appendKey(out, "device");
        appendString(out, e.device);
        appendKey(out, "cuda");
        out += e.cuda ? "true" : "false";
        if (e.pid > 0) {
            appendKey(out, "pid");
            out += QByteArray::number(e.pid);
        }
        break;
    case LabEvent::Type::Metric:
        appendKey(out, "name");
        appendString(out, e.name);
        appendKey(out, "step");
        out += QByteArray::number(e.step);
        appendKey(out, "value");
        appendReal(out, e.value);
        break;
    case LabEvent::Type::Memory:
        appendKey(out, "step");
        out += QByteArray::number(e.step);
        appendKey(out, "allocated");
        out += QByteArray::number(e.allocated);
        appendKey(out, "reserved");
        out += QByteArray::number(e.reserved);
        appendKey(out, "peak");
        out += QByteArray::number(e.peak);
        break;
    case LabEvent::Type::Check:
        appendKey(out, "name");
        appendString(out, e.name);
        appendKey(out, "ok");
        out += e.ok ? "true" : "false";
        if (e.skipped) {
            appendKey(out, "skipped");
            out += "true";
        }
        appendKey(out, "message");
        appendString(out, e.message);
        break;
    case LabEvent::Type::Error:
        appendKey(out, "kind");
        appendString(out, e.kind);
        appendKey(out, "message");
        appendString(out, e.message);
        appendKey(out, "detail");
        appendString(out, e.detail);
        break;
    case LabEvent::Type::Note:
        appendKey(out, "text");
        appendString(out, e.message);
        break;
    }
    out += "}\n";
}

std::optional<RunPhase> phaseFromName(const QString &name)
{
    for (RunPhase p : {RunPhase::Queued, RunPhase::Preparing, RunPhase::Compiling,
                       RunPhase::Linking, RunPhase::Running, RunPhase::Finished}) {
        if (name == QLatin1String(runPhaseName(p)))
            return p;
    }
    return std::nullopt;
}

} // namespace

void RunStreamWriter::hello(const QString &where, const QString &slurmJob)
{
    QJsonObject o{{QStringLiteral("t"), QStringLiteral("hello")},
                  {QStringLiteral("protocol"), runstream::ProtocolVersion},
                  {QStringLiteral("tool"), QStringLiteral("torchlab-cli")},
                  {QStringLiteral("version"), QCoreApplication::applicationVersion()},
                  {QStringLiteral("where"), where}};
    if (!slurmJob.isEmpty())
        o.insert(QStringLiteral("slurm_job"), slurmJob);
    m_sink(line(o));
}

void RunStreamWriter::queue(const QueueState &state)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("queue")},
                            {QStringLiteral("job"), state.job},
                            {QStringLiteral("ahead"), state.ahead},
                            {QStringLiteral("waited_ms"), state.waitedMs}}));
}

void RunStreamWriter::phase(RunPhase phase)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("phase")},
                            {QStringLiteral("phase"), QString::fromLatin1(runPhaseName(phase))}}));
}

void RunStreamWriter::pchProgress(int percent, const QString &message)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("pch")},
                            {QStringLiteral("percent"), percent},
                            {QStringLiteral("message"), message}}));
}

void RunStreamWriter::note(const QString &text)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("note")},
                            {QStringLiteral("text"), text}}));
}

void RunStreamWriter::compiled(const CompileResult &result)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("compiled")},
                            {QStringLiteral("result"), compileResultToJson(result)}}));
}

void RunStreamWriter::started(qint64 pid)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("started")},
                            {QStringLiteral("pid"), pid}}));
}

void RunStreamWriter::output(const QByteArray &chunk, bool isStderr)
{
    QByteArray out;
    for (qsizetype at = 0; at < chunk.size(); at += runstream::MaxOutputChunk) {
        const QByteArrayView piece = QByteArrayView(chunk).sliced(
            at, std::min(runstream::MaxOutputChunk, chunk.size() - at));
        out += isStderr ? "{\"t\":\"stderr\"," : "{\"t\":\"stdout\",";
        // Text as text; bytes that are not UTF-8 (a cut multi-byte character,
        // binary output) as base64, so that nothing is lost or altered.
        if (piece.isValidUtf8()) {
            out += "\"text\":";
            appendString(out, QString::fromUtf8(piece));
        } else {
            out += "\"b64\":\"";
            out += piece.toByteArray().toBase64();
            out += '"';
        }
        out += "}\n";
    }
    if (!out.isEmpty())
        m_sink(out);
}

void RunStreamWriter::labEvents(const QList<LabEvent> &events)
{
    QByteArray out;
    for (const LabEvent &e : events)
        appendLabEvent(out, e);
    if (!out.isEmpty())
        m_sink(out);
}

void RunStreamWriter::sample(const MemorySample &sample)
{
    QJsonObject o = memorySampleToJson(sample);
    o.insert(QStringLiteral("t"), QStringLiteral("sample"));
    m_sink(line(o));
}

void RunStreamWriter::done(const RunnerResult &result, int exitCode)
{
    m_sink(line(QJsonObject{{QStringLiteral("t"), QStringLiteral("done")},
                            {QStringLiteral("exit_code"), exitCode},
                            {QStringLiteral("result"), runnerResultToJson(result)}}));
}

void RunStreamWriter::event(const QJsonObject &object)
{
    m_sink(line(object));
}

RunStreamReader::RunStreamReader(Handler handler)
    : m_handler(std::move(handler)), m_splitter(runstream::MaxLineBytes)
{
}

void RunStreamReader::feed(QByteArrayView chunk)
{
    const qint64 tooLong = m_splitter.droppedLines();
    m_splitter.feed(chunk, [this](QByteArrayView l) { onLine(l); });
    if (m_splitter.droppedLines() > tooLong)
        bad(RunStreamText::tr("a line longer than %1 MiB").arg(runstream::MaxLineBytes >> 20));
}

void RunStreamReader::finish()
{
    m_splitter.finish([this](QByteArrayView l) { onLine(l); });
}

void RunStreamReader::bad(const QString &why)
{
    if (m_bad++ == 0)
        m_firstProblem = why;
}

void RunStreamReader::onLine(QByteArrayView bytes)
{
    if (bytes.trimmed().isEmpty())
        return;
    RunStreamEvent event;
    // Lab events are the bulk: lab.h's decoder reads them without building a document.
    if (bytes.startsWith("{\"t\":\"lab\"")) {
        if (MetricsDecoder::decodeLine(bytes, event.lab) != MetricsDecoder::LineResult::Event) {
            bad(RunStreamText::tr("a lab event that could not be read"));
            return;
        }
        event.type = RunStreamEvent::Type::Lab;
        m_handler(std::move(event));
        return;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        bad(RunStreamText::tr("a line that is not a JSON object"));
        return;
    }
    const QJsonObject o = document.object();
    const QString t = o.value(QStringLiteral("t")).toString();
    using Type = RunStreamEvent::Type;
    if (t == QLatin1String("hello")) {
        event.type = Type::Hello;
        event.protocol = o.value(QStringLiteral("protocol")).toInt();
        event.where = o.value(QStringLiteral("where")).toString();
        event.slurmJob = o.value(QStringLiteral("slurm_job")).toString();
        m_protocol = event.protocol;
    } else if (t == QLatin1String("phase")) {
        const std::optional<RunPhase> phase =
            phaseFromName(o.value(QStringLiteral("phase")).toString());
        if (!phase) {
            bad(RunStreamText::tr("an unknown phase"));
            return;
        }
        event.type = Type::Phase;
        event.phase = *phase;
    } else if (t == QLatin1String("pch")) {
        event.type = Type::PchProgress;
        event.percent = o.value(QStringLiteral("percent")).toInt();
        event.text = o.value(QStringLiteral("message")).toString();
    } else if (t == QLatin1String("note")) {
        event.type = Type::Note;
        event.text = o.value(QStringLiteral("text")).toString();
    } else if (t == QLatin1String("compiled")) {
        Result<CompileResult> compile =
            compileResultFromJson(o.value(QStringLiteral("result")).toObject());
        if (!compile) {
            bad(compile.error());
            return;
        }
        event.type = Type::Compiled;
        event.compile = *compile;
    } else if (t == QLatin1String("started")) {
        event.type = Type::Started;
        event.pid = qint64(o.value(QStringLiteral("pid")).toDouble());
    } else if (t == QLatin1String("stdout") || t == QLatin1String("stderr")) {
        event.type = t == QLatin1String("stdout") ? Type::Stdout : Type::Stderr;
        if (o.contains(QStringLiteral("b64")))
            event.data =
                QByteArray::fromBase64(o.value(QStringLiteral("b64")).toString().toLatin1());
        else
            event.data = o.value(QStringLiteral("text")).toString().toUtf8();
    } else if (t == QLatin1String("queue")) {
        event.type = Type::Queue;
        event.queue.job = o.value(QStringLiteral("job")).toString();
        event.queue.ahead = o.value(QStringLiteral("ahead")).toInt(-1);
        event.queue.waitedMs = qint64(o.value(QStringLiteral("waited_ms")).toDouble());
    } else if (t == QLatin1String("sample")) {
        event.type = Type::Sample;
        event.memory = memorySampleFromJson(o);
    } else if (t == QLatin1String("done")) {
        Result<RunnerResult> result =
            runnerResultFromJson(o.value(QStringLiteral("result")).toObject());
        if (!result) {
            bad(result.error());
            return;
        }
        event.type = Type::Done;
        event.result = std::move(*result);
        event.exitCode = o.value(QStringLiteral("exit_code")).toInt();
    } else if (!t.isEmpty()) {
        event.type = Type::Other;
        event.object = o;
    } else {
        bad(RunStreamText::tr("a line without a type"));
        return;
    }
    m_handler(std::move(event));
}

} // namespace torchlab
