#include "core/run/resultjson.h"

#include <QJsonArray>

#include <cmath>

namespace torchlab {

namespace {

QString severityName(Diagnostic::Severity s)
{
    switch (s) {
    case Diagnostic::Severity::Error:
        return QStringLiteral("error");
    case Diagnostic::Severity::Fatal:
        return QStringLiteral("fatal");
    case Diagnostic::Severity::Warning:
        return QStringLiteral("warning");
    case Diagnostic::Severity::Note:
        return QStringLiteral("note");
    }
    return QString();
}

QString toolName(Diagnostic::Tool t)
{
    switch (t) {
    case Diagnostic::Tool::Gcc:
        return QStringLiteral("gcc");
    case Diagnostic::Tool::Clang:
        return QStringLiteral("clang");
    case Diagnostic::Tool::Linker:
        return QStringLiteral("linker");
    case Diagnostic::Tool::Nvcc:
        return QStringLiteral("nvcc");
    }
    return QString();
}

} // namespace

QJsonValue jsonNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return value;
}

QJsonObject diagnosticToJson(const Diagnostic &d)
{
    QJsonObject o{{QStringLiteral("severity"), severityName(d.severity)},
                  {QStringLiteral("tool"), toolName(d.tool)},
                  {QStringLiteral("file"), d.file},
                  {QStringLiteral("line"), d.line},
                  {QStringLiteral("column"), d.column},
                  {QStringLiteral("message"), d.message},
                  {QStringLiteral("in_learner_file"), d.inLearnerFile}};
    if (!d.option.isEmpty())
        o.insert(QStringLiteral("option"), d.option);
    if (!d.symbol.isEmpty())
        o.insert(QStringLiteral("symbol"), d.symbol);
    if (d.hasLearnerLocation()) {
        o.insert(QStringLiteral("learner_file"), d.learnerFile);
        o.insert(QStringLiteral("learner_line"), d.learnerLine);
        o.insert(QStringLiteral("learner_column"), d.learnerColumn);
    }
    if (!d.notes.isEmpty()) {
        QJsonArray notes;
        for (const Diagnostic &n : d.notes)
            notes.append(diagnosticToJson(n));
        o.insert(QStringLiteral("notes"), notes);
    }
    if (!d.fixIts.isEmpty()) {
        QJsonArray fixes;
        for (const FixIt &f : d.fixIts)
            fixes.append(QJsonObject{{QStringLiteral("line"), f.line},
                                     {QStringLiteral("column"), f.column},
                                     {QStringLiteral("end_column"), f.endColumn},
                                     {QStringLiteral("end_line"), f.endLine},
                                     {QStringLiteral("replacement"), f.replacement}});
        o.insert(QStringLiteral("fixits"), fixes);
    }
    return o;
}

QJsonObject compileResultToJson(const CompileResult &r)
{
    QJsonArray diags;
    for (const Diagnostic &d : r.diagnostics)
        diags.append(diagnosticToJson(d));
    return QJsonObject{{QStringLiteral("outcome"), compileOutcomeName(r.outcome)},
                       {QStringLiteral("summary"), r.summary},
                       {QStringLiteral("explanation"), r.explanation},
                       {QStringLiteral("diagnostics"), diags},
                       {QStringLiteral("output"), r.output},
                       {QStringLiteral("compile_ms"), r.compileMs},
                       {QStringLiteral("link_ms"), r.linkMs},
                       {QStringLiteral("used_pch"), r.usedPch},
                       {QStringLiteral("pch_rejected"), r.pchRejected}};
}

QJsonObject runResultToJson(const RunResult &r)
{
    return QJsonObject{{QStringLiteral("outcome"), outcomeName(r.outcome)},
                       {QStringLiteral("exit_code"), r.exitCode},
                       {QStringLiteral("signal"), r.signal},
                       {QStringLiteral("signal_name"), r.signalName},
                       {QStringLiteral("summary"), r.summary},
                       {QStringLiteral("explanation"), r.explanation},
                       {QStringLiteral("detail"), r.detail},
                       {QStringLiteral("wall_ms"), r.wallMs},
                       {QStringLiteral("cpu_ms"), r.cpuMs},
                       {QStringLiteral("peak_rss_bytes"), r.peakRssBytes},
                       {QStringLiteral("stdout"), QString::fromUtf8(r.stdoutText)},
                       {QStringLiteral("stderr"), QString::fromUtf8(r.stderrText)},
                       {QStringLiteral("stdout_bytes"), r.stdoutBytes},
                       {QStringLiteral("stderr_bytes"), r.stderrBytes},
                       {QStringLiteral("output_truncated"), r.outputTruncated},
                       {QStringLiteral("peak_processes"), r.peakProcesses},
                       {QStringLiteral("escapees_killed"), r.escapeesKilled},
                       {QStringLiteral("sandboxed"), r.sandboxed},
                       {QStringLiteral("sandbox_note"), r.sandboxNote}};
}

QJsonObject labEventToJson(const LabEvent &e)
{
    QJsonObject o{{QStringLiteral("ev"), QString::fromLatin1(labEventTypeName(e.type))}};
    switch (e.type) {
    case LabEvent::Type::Hello:
        o.insert(QStringLiteral("proto"), e.protocol);
        o.insert(QStringLiteral("torch"), e.torchVersion);
        o.insert(QStringLiteral("device"), e.device);
        o.insert(QStringLiteral("cuda"), e.cuda);
        break;
    case LabEvent::Type::Metric:
        o.insert(QStringLiteral("name"), e.name);
        o.insert(QStringLiteral("step"), e.step);
        o.insert(QStringLiteral("value"), jsonNumber(e.value));
        break;
    case LabEvent::Type::Memory:
        o.insert(QStringLiteral("step"), e.step);
        o.insert(QStringLiteral("allocated"), e.allocated);
        o.insert(QStringLiteral("reserved"), e.reserved);
        o.insert(QStringLiteral("peak"), e.peak);
        break;
    case LabEvent::Type::Check:
        o.insert(QStringLiteral("name"), e.name);
        o.insert(QStringLiteral("ok"), e.ok);
        if (e.skipped)
            o.insert(QStringLiteral("skipped"), true);
        o.insert(QStringLiteral("message"), e.message);
        break;
    case LabEvent::Type::Error:
        o.insert(QStringLiteral("kind"), e.kind);
        o.insert(QStringLiteral("message"), e.message);
        o.insert(QStringLiteral("detail"), e.detail);
        break;
    case LabEvent::Type::Note:
        o.insert(QStringLiteral("text"), e.message);
        break;
    }
    return o;
}

QJsonObject runJobResultToJson(const RunJobResult &r)
{
    QJsonObject o;
    QString status;
    if (!r.compile.ok())
        status = compileOutcomeName(r.compile.outcome);
    else if (r.ran)
        status = outcomeName(r.run.outcome);
    else
        status = QStringLiteral("not_run");
    o.insert(QStringLiteral("status"), status);
    o.insert(QStringLiteral("summary"), r.summary());
    o.insert(QStringLiteral("compile"), compileResultToJson(r.compile));
    if (r.ran)
        o.insert(QStringLiteral("run"), runResultToJson(r.run));
    if (r.haveHello)
        o.insert(QStringLiteral("hello"), labEventToJson(r.hello));
    QJsonArray checks;
    for (const LabEvent &e : r.checks.events())
        checks.append(labEventToJson(e));
    o.insert(QStringLiteral("checks"), checks);
    QJsonArray errors;
    for (const LabEvent &e : r.errors)
        errors.append(labEventToJson(e));
    o.insert(QStringLiteral("errors"), errors);
    o.insert(QStringLiteral("metrics_channel"),
             QJsonObject{{QStringLiteral("lines_ok"), r.metricsStats.linesOk},
                         {QStringLiteral("malformed"), r.metricsStats.malformed},
                         {QStringLiteral("too_long"), r.metricsStats.tooLong},
                         {QStringLiteral("ignored"), r.metricsStats.ignored}});
    o.insert(QStringLiteral("pch_wait_ms"), r.pchWaitMs);
    return o;
}

QJsonObject profileToJson(const ToolchainProfile &p, const QString &reason)
{
    QJsonObject o{{QStringLiteral("compiler"), p.compiler.displayName()},
                  {QStringLiteral("compiler_path"), p.compiler.path},
                  {QStringLiteral("libtorch"), p.libtorch.displayName()},
                  {QStringLiteral("libtorch_root"), p.libtorch.root},
                  {QStringLiteral("libtorch_version"), p.libtorch.version},
                  {QStringLiteral("cuda"), p.useCuda},
                  {QStringLiteral("compile_flags"), QJsonArray::fromStringList(p.compileFlags)},
                  {QStringLiteral("link_flags"), QJsonArray::fromStringList(p.linkFlags)}};
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    return o;
}

} // namespace torchlab
