#include "core/runner/runner.h"

#include <QCoreApplication>

namespace torchlab {

namespace {

struct QueueText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::QueueState)
};

} // namespace

RunnerResult RunnerResult::notStarted(const QString &summary, const QString &explanation)
{
    RunnerResult r;
    r.job.compile.outcome = CompileResult::Outcome::CompilerFailed;
    r.job.compile.summary = summary;
    r.job.compile.explanation = explanation;
    return r;
}

QString QueueState::text() const
{
    const qint64 seconds = waitedMs / 1000;
    if (ahead < 0)
        return QueueText::tr("waiting for a GPU: %1 s").arg(seconds);
    if (ahead == 0)
        return QueueText::tr("waiting for a GPU: %1 s, next in line").arg(seconds);
    return QueueText::tr("waiting for a GPU: %1 s, %n job(s) ahead", nullptr, ahead).arg(seconds);
}

} // namespace torchlab
