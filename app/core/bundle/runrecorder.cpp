#include "core/bundle/runrecorder.h"

#include "core/course/localizedtext.h"
#include "core/course/pack.h"
#include "core/metrics/metricscsv.h"
#include "core/session/labsession.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace torchlab {

namespace {

struct RunRecorderText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::RunRecorder)
};

} // namespace

std::optional<qint64> seedFrom(const QProcessEnvironment &environment)
{
    bool ok = false;
    const qint64 seed = environment.value(QStringLiteral("TORCHLAB_SEED")).toLongLong(&ok);
    return ok ? std::optional<qint64>(seed) : std::nullopt;
}

Result<RunRecord> recordRun(const RunRecordSource &source, const SessionResult &result,
                            const LabSession &session)
{
    RunRecord r;
    if (source.lesson) {
        r.lessonId = source.lesson->id;
        r.lessonTitle = localized(source.lesson->title, source.language);
    }
    if (source.pack) {
        r.packName = source.pack->id;
        r.packVersion = source.pack->version;
    }
    for (const QString &name : source.learnerFiles) {
        QFile file(QDir(source.stagedDirectory).filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return fail(RunRecorderText::tr("Cannot read %1 for the bundle: %2.")
                            .arg(name, file.errorString()));
        r.code.append({name, file.readAll()});
    }
    r.environment = source.environment;
    r.seed = source.seed;
    r.quick = source.quick;
    r.commands = source.commands;
    const RunJobResult &job = result.run.job;
    if (job.haveHello) {
        r.device = job.hello.device;
        r.torchVersion = job.hello.torchVersion;
    }
    r.outcome = result.verdictText();
    if (job.ran) {
        const RunResult &run = result.run.verdict();
        r.exitCode = run.exitCode;
        r.wallMs = run.wallMs;
        r.stdoutText = run.stdoutText;
        r.stderrText = run.stderrText;
    }
    r.metricsCsv = metricsCsv(session.metrics());
    r.memoryCsv = memoryCsv(session.memory());
    r.finishedAt =
        source.finishedAt.isValid() ? source.finishedAt.toUTC() : QDateTime::currentDateTimeUtc();
    // Whole seconds: the archive's mtimes cannot hold more, and the name shows them.
    r.finishedAt = QDateTime::fromSecsSinceEpoch(r.finishedAt.toSecsSinceEpoch(), Qt::UTC);
    r.metadata = defaultBundleMetadata(r);
    return r;
}

BundleMetadata defaultBundleMetadata(const RunRecord &record)
{
    BundleMetadata m;
    m.title = record.lessonTitle.isEmpty()
                  ? QStringLiteral("TorchLab run")
                  : QStringLiteral("TorchLab run: %1").arg(record.lessonTitle);
    m.description =
        QStringLiteral("One run of the TorchLab lesson \"%1\" (%2) from the pack %3 "
                       "%4: its code, environment, seed, output, metrics and plots.")
            .arg(record.lessonTitle, record.lessonId, record.packName, record.packVersion);
    m.version = record.packVersion.isEmpty() ? QStringLiteral("1") : record.packVersion;
    m.dateIssued = record.finishedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
    m.keywords = {QStringLiteral("TorchLab"), QStringLiteral("LibTorch"),
                  QStringLiteral("PyTorch C++")};
    if (!record.lessonId.isEmpty())
        m.keywords << record.lessonId;
    return m;
}

} // namespace torchlab
