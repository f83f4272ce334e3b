#pragma once

#include "core/build/compilejob.h"
#include "core/run/runjob.h"

#include <QJsonObject>
#include <QJsonValue>

namespace torchlab {

// JSON forms of the engine's result values, used by `torchlab-cli ... --json`
// and by the JSON event stream (core/runner/runnerjson.h reads them back).
// Keys are snake_case and stable; new keys may be added, none are renamed.
QJsonValue jsonNumber(double value); // NaN/inf become the strings "nan", "inf", "-inf"
QJsonObject diagnosticToJson(const Diagnostic &d);
QJsonObject compileResultToJson(const CompileResult &r);
QJsonObject runResultToJson(const RunResult &r);
QJsonObject labEventToJson(const LabEvent &e);
QJsonObject runJobResultToJson(const RunJobResult &r);
QJsonObject profileToJson(const ToolchainProfile &p, const QString &reason = QString());

} // namespace torchlab
