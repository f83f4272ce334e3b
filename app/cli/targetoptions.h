#pragma once

#include "core/remote/target.h"
#include "core/runner/runner.h"
#include "core/util/result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonObject>

#include <memory>
#include <optional>

class QTextStream;

namespace torchlab::cli {

// --target NAME, for run and check.
QCommandLineOption targetOption();
// --sandbox auto|require|off, for run and check; its value, or the lab's
// setting when it is not given; nullopt for an unknown value.
QCommandLineOption sandboxOption();
std::optional<SandboxMode> sandboxModeOption(const QCommandLineParser &parser,
                                             const QCommandLineOption &option);
// The learner's language for a server's messages: zh_CN when the locale is
// Chinese, else en.
QString cliLanguage();
// The server's doctor report: asked for now (and kept) when none is kept.
// `progress` (may be null) hears that it is asking.
Result<QJsonObject> targetDoctor(const Target &target, QTextStream *progress, bool refresh);
// Runners for `target`, with what its server can build.
Result<std::shared_ptr<RunnerFactory>> targetFactory(const Target &target, QTextStream *progress);

// "waiting for a GPU: 12 s, 3 jobs ahead" on stderr: when the line changes
// in substance, and every 5 s.
class QueuePrinter
{
public:
    explicit QueuePrinter(QTextStream &err) : m_err(err) {}
    void show(const QueueState &state);

private:
    QTextStream &m_err;
    QElapsedTimer m_last;
    int m_ahead = -2;
};

} // namespace torchlab::cli
