#include "studio/runarchiver.h"

#include "studio/archiverundialog.h"

#include "core/bundle/bundleplots.h"
#include "core/bundle/runrecorder.h"
#include "core/course/localizedtext.h"
#include "core/course/pack.h"
#include "core/doctor/environmentreport.h"
#include "core/grading/checkrunner.h"
#include "core/session/labsession.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>

namespace torchlab {

RunArchiver::RunArchiver(QObject *parent) : QObject(parent) {}

void RunArchiver::runStarted(RunMode mode, const Pack &pack, const Lesson &lesson,
                             const QMap<QString, QString> &files, const QStringList &order,
                             const CheckRequest &request, const QString &language)
{
    Started s{mode,
              pack.id,
              pack.version,
              lesson.id,
              localized(lesson.title, language),
              {},
              seedFrom(request.environment),
              request.quick};
    for (const QString &name : order)
        s.code.append({name, files.value(name).toUtf8()});
    m_started = s;
}

void RunArchiver::runFinished(const SessionResult &result, const LabSession &session,
                              const EnvironmentReport &environment)
{
    if (!m_started || !result.started || result.stopped || !result.run.job.ran)
        return; // the last finished run stays the one to export
    const Started &s = *m_started;
    RunRecordSource source;
    source.seed = s.seed;
    source.quick = s.quick;
    source.environment = environment.toJson();
    QString files;
    for (const BundleFile &f : s.code)
        files += QStringLiteral(" code/") + f.path;
    const QString variables =
        (s.seed ? QStringLiteral("TORCHLAB_SEED=%1 ").arg(*s.seed) : QString()) +
        (s.quick ? QStringLiteral("TORCHLAB_QUICK=1 ") : QString());
    source.commands = {
        s.mode == RunMode::Check
            ? QStringLiteral("# made in the TorchLab window: Check of lesson %1 (hidden checks "
                             "compiled in)")
                  .arg(s.lessonId)
            : QStringLiteral("# made in the TorchLab window: Run of lesson %1").arg(s.lessonId),
        QStringLiteral("# the same program, by hand"),
        variables + QStringLiteral("torchlab-cli run") + files,
        QStringLiteral("# again, compared with this bundle"),
        QStringLiteral("torchlab-cli bundle rerun BUNDLE.tar.gz [--tolerance REL]"),
    };
    Result<RunRecord> record = recordRun(source, result, session);
    if (!record)
        return;
    record->lessonId = s.lessonId;
    record->lessonTitle = s.lessonTitle;
    record->packName = s.packId;
    record->packVersion = s.packVersion;
    record->code = s.code;
    record->metadata = defaultBundleMetadata(*record);
    m_finished = Finished{*record, session.metrics(), session.memory()};
    Q_EMIT availabilityChanged(true);
}

BundleMetadata RunArchiver::defaultMetadata() const
{
    return m_finished ? m_finished->record.metadata : BundleMetadata();
}

Status RunArchiver::exportTo(const QString &path, const BundleMetadata &metadata) const
{
    if (!m_finished)
        return fail(tr("No run has finished yet: Run or Check first."));
    RunRecord record = m_finished->record;
    record.metadata = metadata;
    record.plots = renderBundlePlots(m_finished->metrics, m_finished->memory);
    return writeRunBundle(record, path);
}

void RunArchiver::exportInteractively(QWidget *parent)
{
    if (!m_finished)
        return;
    ArchiveRunDialog dialog(defaultMetadata(),
                            runBundleRoot(m_finished->record) + QStringLiteral(".tar.gz"), parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString path = dialog.path();
    Q_EMIT statusMessage(tr("Writing the archive %1…").arg(QFileInfo(path).fileName()), 0);
    QApplication::setOverrideCursor(Qt::WaitCursor);
    QElapsedTimer timer;
    timer.start();
    const Status written = exportTo(path, dialog.metadata());
    QApplication::restoreOverrideCursor();
    if (written)
        Q_EMIT statusMessage(tr("Archive written to %1 (%2 KiB, %3 s).")
                                 .arg(path)
                                 .arg(QFileInfo(path).size() / 1024)
                                 .arg(timer.elapsed() / 1000.0, 0, 'f', 1),
                             10000);
    else
        Q_EMIT statusMessage(tr("The archive was not written: %1").arg(written.error()), 15000);
}

} // namespace torchlab
