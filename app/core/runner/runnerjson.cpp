#include "core/runner/runnerjson.h"

#include "core/metrics/metricsdecoder.h"
#include "core/run/resultjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace torchlab {

namespace {

// lupdate files a tr() in a free function under the namespace; calls through
// this class give lupdate and QCoreApplication::translate the same context.
struct RunnerJson
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::RunnerJson)
};

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

qint64 integer(const QJsonObject &o, const char *key, qint64 fallback = 0)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? qint64(v.toDouble()) : fallback;
}

LabEvent labEventFromJson(const QJsonObject &o)
{
    // The JSON form of a lab event is lab.h's own line: one decoder for both.
    LabEvent event;
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (MetricsDecoder::decodeLine(line, event) != MetricsDecoder::LineResult::Event)
        return LabEvent();
    return event;
}

Diagnostic::Severity severityFromName(const QString &name)
{
    if (name == QLatin1String("fatal"))
        return Diagnostic::Severity::Fatal;
    if (name == QLatin1String("warning"))
        return Diagnostic::Severity::Warning;
    if (name == QLatin1String("note"))
        return Diagnostic::Severity::Note;
    return Diagnostic::Severity::Error;
}

Diagnostic::Tool toolFromName(const QString &name)
{
    if (name == QLatin1String("clang"))
        return Diagnostic::Tool::Clang;
    if (name == QLatin1String("linker"))
        return Diagnostic::Tool::Linker;
    if (name == QLatin1String("nvcc"))
        return Diagnostic::Tool::Nvcc;
    return Diagnostic::Tool::Gcc;
}

QJsonObject limitsToJson(const RunLimits &l)
{
    return QJsonObject{{QStringLiteral("cpu_seconds"), l.cpuSeconds},
                       {QStringLiteral("wall_ms"), l.wallMs},
                       {QStringLiteral("memory_bytes"), l.memoryBytes},
                       {QStringLiteral("file_size_bytes"), l.fileSizeBytes},
                       {QStringLiteral("open_files"), l.openFiles},
                       {QStringLiteral("max_processes"), l.maxProcesses},
                       {QStringLiteral("keep_output_bytes"), l.keepOutputBytes},
                       {QStringLiteral("hard_output_bytes"), l.hardOutputBytes}};
}

RunLimits limitsFromJson(const QJsonObject &o)
{
    RunLimits l;
    l.cpuSeconds = int(integer(o, "cpu_seconds", l.cpuSeconds));
    l.wallMs = int(integer(o, "wall_ms", l.wallMs));
    l.memoryBytes = integer(o, "memory_bytes", l.memoryBytes);
    l.fileSizeBytes = integer(o, "file_size_bytes", l.fileSizeBytes);
    l.openFiles = int(integer(o, "open_files", l.openFiles));
    l.maxProcesses = int(integer(o, "max_processes", l.maxProcesses));
    l.keepOutputBytes = integer(o, "keep_output_bytes", l.keepOutputBytes);
    l.hardOutputBytes = integer(o, "hard_output_bytes", l.hardOutputBytes);
    return l;
}

// -I<folder> flags name folders of the job: relative in the job file, so that
// the job can move to another machine.
QStringList flagsToJson(const QStringList &flags, const QDir &base)
{
    QStringList out;
    for (const QString &flag : flags) {
        if (flag.startsWith(QLatin1String("-I/"))) {
            const QString relative = base.relativeFilePath(flag.mid(2));
            if (!relative.startsWith(QLatin1String(".."))) {
                out << QStringLiteral("-I") + relative;
                continue;
            }
        }
        out << flag;
    }
    return out;
}

Result<QStringList> flagsFromJson(const QJsonValue &value, const QString &base)
{
    QStringList out;
    for (const QString &flag : stringList(value)) {
        if (flag.startsWith(QLatin1String("-I")) && flag.size() > 2 &&
            !flag.startsWith(QLatin1String("-I/"))) {
            const QString folder = QDir::cleanPath(QDir(base).absoluteFilePath(flag.mid(2)));
            if (folder != base && !folder.startsWith(base + QLatin1Char('/')))
                return fail(RunnerJson::tr("The job file's flag %1 names a folder outside the job.")
                                .arg(flag));
            out << QStringLiteral("-I") + folder;
            continue;
        }
        out << flag;
    }
    return out;
}

} // namespace

QJsonObject runSpecToJson(const RunSpec &spec, const QString &baseDirectory)
{
    const QDir base(baseDirectory);
    QJsonArray sources;
    for (const SourceFile &s : spec.sources) {
        const QString relative = base.relativeFilePath(s.path);
        sources.append(QJsonObject{
            {QStringLiteral("path"), relative.startsWith(QLatin1String("..")) ? s.path : relative},
            {QStringLiteral("shown"), s.shownName},
            {QStringLiteral("learner"), s.learner},
            {QStringLiteral("flags"),
             QJsonArray::fromStringList(flagsToJson(s.extraFlags, base))}});
    }
    QJsonObject variables;
    for (auto it = spec.variables.cbegin(); it != spec.variables.cend(); ++it)
        variables.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("v"), 1},
                       {QStringLiteral("sources"), sources},
                       {QStringLiteral("compile_flags"),
                        QJsonArray::fromStringList(flagsToJson(spec.extraCompileFlags, base))},
                       {QStringLiteral("arguments"), QJsonArray::fromStringList(spec.arguments)},
                       {QStringLiteral("device"), spec.device},
                       {QStringLiteral("limits"), limitsToJson(spec.limits)},
                       {QStringLiteral("use_pch"), spec.usePch},
                       {QStringLiteral("variables"), variables},
                       {QStringLiteral("datasets"), QJsonArray::fromStringList(spec.datasets)},
                       {QStringLiteral("ranks"), spec.ranks},
                       {QStringLiteral("network"), spec.network}};
}

Result<RunSpec> runSpecFromJson(const QJsonObject &json, const QString &baseDirectory)
{
    if (json.value(QStringLiteral("v")).toInt() != 1)
        return fail(RunnerJson::tr("The job file is not a version 1 TorchLab job."));
    RunSpec spec;
    const QString base = QDir::cleanPath(QFileInfo(baseDirectory).absoluteFilePath());
    for (const QJsonValue &v : json.value(QStringLiteral("sources")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString given = o.value(QStringLiteral("path")).toString();
        if (given.isEmpty())
            return fail(RunnerJson::tr("A source of the job file has no path."));
        const QString path = QDir::cleanPath(QDir(base).absoluteFilePath(given));
        if (!path.startsWith(base + QLatin1Char('/')))
            return fail(
                RunnerJson::tr("The job file names %1, which is outside its folder.").arg(given));
        if (!QFileInfo(path).isFile())
            return fail(RunnerJson::tr("The job file names %1, which does not exist.").arg(given));
        SourceFile source;
        source.path = path;
        source.shownName = o.value(QStringLiteral("shown")).toString();
        source.learner = o.value(QStringLiteral("learner")).toBool(true);
        Result<QStringList> flags = flagsFromJson(o.value(QStringLiteral("flags")), base);
        if (!flags)
            return fail(flags.error());
        source.extraFlags = *flags;
        spec.sources << source;
    }
    if (spec.sources.isEmpty())
        return fail(RunnerJson::tr("The job file lists no source file."));
    Result<QStringList> compileFlags =
        flagsFromJson(json.value(QStringLiteral("compile_flags")), base);
    if (!compileFlags)
        return fail(compileFlags.error());
    spec.extraCompileFlags = *compileFlags;
    spec.arguments = stringList(json.value(QStringLiteral("arguments")));
    spec.device = json.value(QStringLiteral("device")).toString();
    if (!spec.device.isEmpty() && spec.device != QLatin1String("cpu") &&
        spec.device != QLatin1String("cuda"))
        return fail(RunnerJson::tr("The job file asks for device \"%1\"; cpu or cuda are known.")
                        .arg(spec.device));
    spec.limits = limitsFromJson(json.value(QStringLiteral("limits")).toObject());
    spec.usePch = json.value(QStringLiteral("use_pch")).toBool(true);
    const QJsonObject variables = json.value(QStringLiteral("variables")).toObject();
    for (auto it = variables.constBegin(); it != variables.constEnd(); ++it)
        spec.variables.insert(it.key(), it.value().toString());
    spec.datasets = stringList(json.value(QStringLiteral("datasets")));
    spec.ranks = std::clamp(json.value(QStringLiteral("ranks")).toInt(1), 1, 64);
    spec.network = json.value(QStringLiteral("network")).toBool(false);
    spec.workingDirectory = base;
    return spec;
}

QJsonObject checkLogToJson(const CheckLog &log)
{
    QJsonArray events;
    for (const LabEvent &e : log.events())
        events.append(labEventToJson(e));
    QJsonArray tallies;
    for (const CheckTally &t : log.tallies())
        tallies.append(QJsonObject{
            {QStringLiteral("name"), t.name},
            {QStringLiteral("reports"), t.reports},
            {QStringLiteral("failures"), t.failures},
            {QStringLiteral("skips"), t.skips},
            {QStringLiteral("failing"), QJsonArray::fromStringList(t.failingMessages)},
            {QStringLiteral("passing"), QJsonArray::fromStringList(t.passingMessages)}});
    return QJsonObject{{QStringLiteral("received"), log.received()},
                       {QStringLiteral("untallied"), log.untallied()},
                       {QStringLiteral("events"), events},
                       {QStringLiteral("tallies"), tallies}};
}

CheckLog checkLogFromJson(const QJsonObject &json)
{
    QList<LabEvent> events;
    for (const QJsonValue &v : json.value(QStringLiteral("events")).toArray()) {
        const LabEvent e = labEventFromJson(v.toObject());
        if (e.type == LabEvent::Type::Check)
            events << e;
    }
    QList<CheckTally> tallies;
    for (const QJsonValue &v : json.value(QStringLiteral("tallies")).toArray()) {
        const QJsonObject o = v.toObject();
        CheckTally t;
        t.name = o.value(QStringLiteral("name")).toString();
        t.reports = integer(o, "reports");
        t.failures = integer(o, "failures");
        t.skips = integer(o, "skips");
        t.failingMessages = stringList(o.value(QStringLiteral("failing")));
        t.passingMessages = stringList(o.value(QStringLiteral("passing")));
        tallies << t;
    }
    return CheckLog::fromParts(events, tallies, integer(json, "received"),
                               integer(json, "untallied"));
}

Diagnostic diagnosticFromJson(const QJsonObject &o)
{
    Diagnostic d;
    d.severity = severityFromName(o.value(QStringLiteral("severity")).toString());
    d.tool = toolFromName(o.value(QStringLiteral("tool")).toString());
    d.file = o.value(QStringLiteral("file")).toString();
    d.line = o.value(QStringLiteral("line")).toInt();
    d.column = o.value(QStringLiteral("column")).toInt();
    d.message = o.value(QStringLiteral("message")).toString();
    d.option = o.value(QStringLiteral("option")).toString();
    d.symbol = o.value(QStringLiteral("symbol")).toString();
    d.inLearnerFile = o.value(QStringLiteral("in_learner_file")).toBool();
    d.learnerFile = o.value(QStringLiteral("learner_file")).toString();
    d.learnerLine = o.value(QStringLiteral("learner_line")).toInt();
    d.learnerColumn = o.value(QStringLiteral("learner_column")).toInt();
    for (const QJsonValue &n : o.value(QStringLiteral("notes")).toArray())
        d.notes << diagnosticFromJson(n.toObject());
    for (const QJsonValue &f : o.value(QStringLiteral("fixits")).toArray()) {
        const QJsonObject fo = f.toObject();
        FixIt fix;
        fix.line = fo.value(QStringLiteral("line")).toInt();
        fix.column = fo.value(QStringLiteral("column")).toInt();
        fix.endColumn = fo.value(QStringLiteral("end_column")).toInt();
        fix.endLine = fo.value(QStringLiteral("end_line")).toInt(fix.line);
        fix.replacement = fo.value(QStringLiteral("replacement")).toString();
        d.fixIts << fix;
    }
    return d;
}

Result<CompileResult> compileResultFromJson(const QJsonObject &o)
{
    const std::optional<CompileResult::Outcome> outcome =
        compileOutcomeFromName(o.value(QStringLiteral("outcome")).toString());
    if (!outcome)
        return fail(RunnerJson::tr("The compile result names an unknown outcome \"%1\".")
                        .arg(o.value(QStringLiteral("outcome")).toString()));
    CompileResult r;
    r.outcome = *outcome;
    r.summary = o.value(QStringLiteral("summary")).toString();
    r.explanation = o.value(QStringLiteral("explanation")).toString();
    for (const QJsonValue &d : o.value(QStringLiteral("diagnostics")).toArray())
        r.diagnostics << diagnosticFromJson(d.toObject());
    r.output = o.value(QStringLiteral("output")).toString();
    r.compileMs = integer(o, "compile_ms");
    r.linkMs = integer(o, "link_ms");
    r.usedPch = o.value(QStringLiteral("used_pch")).toBool();
    r.pchRejected = o.value(QStringLiteral("pch_rejected")).toBool();
    return r;
}

Result<RunResult> runResultFromJson(const QJsonObject &o)
{
    const std::optional<RunResult::Outcome> outcome =
        outcomeFromName(o.value(QStringLiteral("outcome")).toString());
    if (!outcome)
        return fail(RunnerJson::tr("The run result names an unknown outcome \"%1\".")
                        .arg(o.value(QStringLiteral("outcome")).toString()));
    RunResult r;
    r.outcome = *outcome;
    r.exitCode = o.value(QStringLiteral("exit_code")).toInt(-1);
    r.signal = o.value(QStringLiteral("signal")).toInt();
    r.signalName = o.value(QStringLiteral("signal_name")).toString();
    r.summary = o.value(QStringLiteral("summary")).toString();
    r.explanation = o.value(QStringLiteral("explanation")).toString();
    r.detail = o.value(QStringLiteral("detail")).toString();
    r.wallMs = integer(o, "wall_ms");
    r.cpuMs = integer(o, "cpu_ms");
    r.peakRssBytes = integer(o, "peak_rss_bytes");
    r.stdoutText = o.value(QStringLiteral("stdout")).toString().toUtf8();
    r.stderrText = o.value(QStringLiteral("stderr")).toString().toUtf8();
    r.stdoutBytes = integer(o, "stdout_bytes");
    r.stderrBytes = integer(o, "stderr_bytes");
    r.outputTruncated = o.value(QStringLiteral("output_truncated")).toBool();
    r.peakProcesses = o.value(QStringLiteral("peak_processes")).toInt();
    r.escapeesKilled = o.value(QStringLiteral("escapees_killed")).toInt();
    r.sandboxed = o.value(QStringLiteral("sandboxed")).toBool();
    r.sandboxNote = o.value(QStringLiteral("sandbox_note")).toString();
    return r;
}

QJsonObject runnerResultToJson(const RunnerResult &result, bool withOutput)
{
    QJsonObject job = runJobResultToJson(result.job);
    job.insert(QStringLiteral("ran"), result.job.ran);
    job.insert(QStringLiteral("check_log"), checkLogToJson(result.job.checks));
    if (result.job.ran && !withOutput) {
        QJsonObject run = job.value(QStringLiteral("run")).toObject();
        run.remove(QStringLiteral("stdout"));
        run.remove(QStringLiteral("stderr"));
        job.insert(QStringLiteral("run"), run);
    }
    QJsonArray ranks;
    for (const RankRun &r : result.otherRanks) {
        QJsonObject run = runResultToJson(r.run);
        if (!withOutput) {
            run.remove(QStringLiteral("stdout"));
            run.remove(QStringLiteral("stderr"));
        }
        ranks.append(QJsonObject{{QStringLiteral("rank"), r.rank}, {QStringLiteral("run"), run}});
    }
    return QJsonObject{{QStringLiteral("job"), job},
                       {QStringLiteral("other_ranks"), ranks},
                       {QStringLiteral("other_checks"), checkLogToJson(result.otherChecks)},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(result.notes)}};
}

Result<RunnerResult> runnerResultFromJson(const QJsonObject &json)
{
    RunnerResult result;
    const QJsonObject job = json.value(QStringLiteral("job")).toObject();
    Result<CompileResult> compile =
        compileResultFromJson(job.value(QStringLiteral("compile")).toObject());
    if (!compile)
        return fail(compile.error());
    result.job.compile = *compile;
    result.job.ran = job.value(QStringLiteral("ran")).toBool();
    if (result.job.ran) {
        Result<RunResult> run = runResultFromJson(job.value(QStringLiteral("run")).toObject());
        if (!run)
            return fail(run.error());
        result.job.run = *run;
    }
    if (job.contains(QStringLiteral("hello"))) {
        result.job.hello = labEventFromJson(job.value(QStringLiteral("hello")).toObject());
        result.job.haveHello = result.job.hello.type == LabEvent::Type::Hello;
    }
    result.job.checks = checkLogFromJson(job.value(QStringLiteral("check_log")).toObject());
    for (const QJsonValue &e : job.value(QStringLiteral("errors")).toArray()) {
        const LabEvent error = labEventFromJson(e.toObject());
        if (error.type == LabEvent::Type::Error &&
            result.job.errors.size() < RunJobResult::MaxErrors)
            result.job.errors << error;
    }
    const QJsonObject channel = job.value(QStringLiteral("metrics_channel")).toObject();
    result.job.metricsStats.linesOk = integer(channel, "lines_ok");
    result.job.metricsStats.malformed = integer(channel, "malformed");
    result.job.metricsStats.tooLong = integer(channel, "too_long");
    result.job.metricsStats.ignored = integer(channel, "ignored");
    result.job.pchWaitMs = integer(job, "pch_wait_ms");
    for (const QJsonValue &v : json.value(QStringLiteral("other_ranks")).toArray()) {
        const QJsonObject o = v.toObject();
        Result<RunResult> run = runResultFromJson(o.value(QStringLiteral("run")).toObject());
        if (!run)
            return fail(run.error());
        result.otherRanks << RankRun{o.value(QStringLiteral("rank")).toInt(), *run};
    }
    result.otherChecks = checkLogFromJson(json.value(QStringLiteral("other_checks")).toObject());
    result.notes = stringList(json.value(QStringLiteral("notes")));
    return result;
}

QJsonObject memorySampleToJson(const MemorySample &s)
{
    return QJsonObject{{QStringLiteral("t_ms"), s.timeMs},
                       {QStringLiteral("device"), s.deviceIndex},
                       {QStringLiteral("device_used"), s.deviceUsed},
                       {QStringLiteral("device_total"), s.deviceTotal},
                       {QStringLiteral("process_used"), s.processUsed},
                       {QStringLiteral("processes"), s.processCount}};
}

MemorySample memorySampleFromJson(const QJsonObject &o)
{
    MemorySample s;
    s.timeMs = integer(o, "t_ms");
    s.deviceIndex = int(integer(o, "device", -1));
    s.deviceUsed = integer(o, "device_used", -1);
    s.deviceTotal = integer(o, "device_total", -1);
    s.processUsed = integer(o, "process_used", -1);
    s.processCount = int(integer(o, "processes"));
    return s;
}

} // namespace torchlab
