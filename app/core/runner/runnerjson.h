#pragma once

#include "core/runner/runner.h"
#include "core/util/result.h"

#include <QJsonObject>

namespace torchlab {

// JSON forms of what crosses the runner seam, for the event stream of
// `torchlab-cli run --json-stream` and for the job file of `run --job`
// (docs/json-stream.md). Readers take what the writers write and refuse
// anything else with a plain message; unknown keys are ignored, so newer
// writers may add keys.

// The spec as a job file: sources by path relative to `baseDirectory`
// (their folder when they live under it, else absolute), limits, device,
// variables, data sets, ranks. Not the profile, the base environment or the
// working directory: the machine that runs it decides those.
QJsonObject runSpecToJson(const RunSpec &spec, const QString &baseDirectory);
// Sources resolve against `baseDirectory`; a path that leaves it (.., an
// absolute path elsewhere) is refused.
Result<RunSpec> runSpecFromJson(const QJsonObject &json, const QString &baseDirectory);

// `withOutput` false leaves the program's stdout/stderr text out (the stream
// carried it already).
QJsonObject runnerResultToJson(const RunnerResult &result, bool withOutput = true);
Result<RunnerResult> runnerResultFromJson(const QJsonObject &json);

Result<CompileResult> compileResultFromJson(const QJsonObject &json);
Result<RunResult> runResultFromJson(const QJsonObject &json);
Diagnostic diagnosticFromJson(const QJsonObject &json);
QJsonObject checkLogToJson(const CheckLog &log);
CheckLog checkLogFromJson(const QJsonObject &json);
QJsonObject memorySampleToJson(const MemorySample &sample);
MemorySample memorySampleFromJson(const QJsonObject &json);

} // namespace torchlab
