#pragma once

#include <QStringList>

class QTextStream;

namespace torchlab::cli {

// `torchlab-cli doctor [--json] [--libtorch PATH|ID] [--compiler PATH]
// [--device cpu|cuda] [--refresh]`: what was found, the chosen profile and
// why, and verdicts with fixes. `arguments` are those after "doctor".
// Exit code: 0 when nothing is an error, 1 when a verdict is an error,
// 2 for bad arguments. Needs a QCoreApplication.
int runDoctorCommand(const QStringList &arguments);
int runDoctorCommand(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace torchlab::cli
