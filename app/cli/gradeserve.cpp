#include "cli/gradeserve.h"

#include "cli/profileoptions.h"
#include "cli/stdinchannel.h"

#include "core/course/packloader.h"
#include "core/grading/graderecords.h"
#include "core/packs/packinstaller.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFileInfo>

#include <algorithm>

namespace torchlab::cli {

namespace {

class GradeText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::cli::GradeServe)
};

bool hide(Diagnostic &d, const QStringList &checkFiles)
{
    bool hidden = false;
    const QString place = GradeText::tr("(the lesson's hidden check code)");
    if (checkFiles.contains(d.file)) {
        d.file = place;
        d.line = 0;
        d.column = 0;
        d.inLearnerFile = false;
        d.fixIts.clear();
        hidden = true;
    }
    if (checkFiles.contains(d.learnerFile)) {
        d.learnerFile.clear();
        d.learnerLine = 0;
        d.learnerColumn = 0;
        hidden = true;
    }
    for (Diagnostic &note : d.notes)
        hidden = hide(note, checkFiles) || hidden;
    return hidden;
}

int refuse(RunStreamWriter &stream, const QString &summary, const QString &explanation)
{
    stream.done(RunnerResult::notStarted(summary, explanation), 1);
    return 1;
}

} // namespace

void hideCheckCode(CompileResult &compile, const QStringList &checkSources)
{
    QStringList checkFiles;
    for (const QString &source : checkSources)
        checkFiles << source << QFileInfo(source).fileName();
    bool hidden = false;
    QStringList lines;
    for (Diagnostic &d : compile.diagnostics) {
        hidden = hide(d, checkFiles) || hidden;
        const QString where =
            d.line > 0 ? QStringLiteral("%1:%2:%3").arg(d.file).arg(d.line).arg(d.column) : d.file;
        lines << (where.isEmpty() ? d.message : where + QStringLiteral(": ") + d.message);
    }
    // The tools' own output quotes the lines it complains about; the
    // summary ("1 link error in check.cpp") names the file.
    if (hidden) {
        compile.output = lines.join(QLatin1Char('\n'));
        std::sort(checkFiles.begin(), checkFiles.end(),
                  [](const QString &a, const QString &b) { return a.size() > b.size(); });
        const QString place = GradeText::tr("(the lesson's hidden check code)");
        for (const QString &file : std::as_const(checkFiles)) {
            compile.summary.replace(file, place);
            compile.explanation.replace(file, place);
        }
    }
}

int gradeJob(const JobBundle &bundle, const QString &folder, const QString &student,
             RunStreamWriter &stream, StdinChannel &control)
{
    const ServerGrade &grade = *bundle.grade;
    const PackInstaller installer;
    const std::optional<InstalledPack> installed = installer.find(grade.pack);
    if (!installed)
        return refuse(stream,
                      GradeText::tr("The course server does not grade pack %1").arg(grade.pack),
                      GradeText::tr("The grader account has no pack \"%1\" installed. Ask your "
                                    "instructor to install the pack's instructor archive there.")
                          .arg(grade.pack));
    if (installed->version != grade.version)
        return refuse(stream,
                      GradeText::tr("The course server grades %1 %2, not %3")
                          .arg(grade.pack, installed->version, grade.version),
                      GradeText::tr("Your lab has version %1 of the pack and the course server "
                                    "grades version %2. Update the pack (or ask your instructor "
                                    "to), so that both have the same version.")
                          .arg(grade.version, installed->version));
    const PackLoadResult loaded = PackLoader::load(installer.packDirectory(grade.pack));
    const Lesson *lesson = loaded.valid() ? loaded.pack.lesson(grade.lesson) : nullptr;
    if (!lesson || lesson->id != grade.lesson || !lesson->gradedOnServer() ||
        lesson->hiddenPartsAbsent)
        return refuse(stream,
                      GradeText::tr("The course server does not grade lesson %1").arg(grade.lesson),
                      GradeText::tr("Pack %1 %2 in the grader account has no server-graded lesson "
                                    "\"%3\" with its checks. Ask your instructor to install the "
                                    "pack's instructor archive there.")
                          .arg(grade.pack, grade.version, grade.lesson));

    QCommandLineParser noOptions;
    addProfileOptions(noOptions);
    noOptions.parse({QStringLiteral("serve")});
    const ResolvedProfile resolved = resolveProfile(noOptions);
    if (!resolved.error.isEmpty())
        return refuse(stream, GradeText::tr("The course server cannot compile"), resolved.error);

    CheckRequest request;
    request.use = CheckRequest::Use::Files;
    request.files = QStringList{folder + QStringLiteral("/src")};
    request.quick = grade.quick;
    request.language = bundle.language.isEmpty() ? QStringLiteral("en") : bundle.language;
    request.profile = resolved.profile;

    LabSession session;
    session.environment()->useProfile(request.profile, false);
    QObject::connect(&session, &LabSession::phaseChanged, &session,
                     [&](RunPhase phase) { stream.phase(phase); });
    QObject::connect(
        &session, &LabSession::pchProgress, &session,
        [&](int percent, const QString &message) { stream.pchProgress(percent, message); });
    QObject::connect(&session, &LabSession::compiled, &session, [&](const CompileResult &result) {
        CompileResult shown = result;
        hideCheckCode(shown, lesson->checkSources);
        stream.compiled(shown);
    });
    QObject::connect(&session, &LabSession::programStarted, &session,
                     [&](qint64 pid) { stream.started(pid); });
    QObject::connect(
        &session, &LabSession::output, &session,
        [&](const QByteArray &chunk, bool isStderr) { stream.output(chunk, isStderr); });
    QObject::connect(&session, &LabSession::labEvents, &session,
                     [&](const QList<LabEvent> &events) { stream.labEvents(events); });
    QObject::connect(&session, &LabSession::memorySample, &session,
                     [&](const MemorySample &sample) { stream.sample(sample); });
    QEventLoop loop;
    SessionResult result;
    QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
        result = r;
        loop.quit();
    });
    QObject::connect(&control, &StdinChannel::stopRequested, &session,
                     [&](bool) { session.stop(); });
    control.watch();
    session.start(RunMode::Check, *lesson, request);
    if (session.isBusy())
        loop.exec();
    control.unwatch();
    QObject::disconnect(&control, nullptr, &session, nullptr);

    if (!result.started)
        return refuse(stream, GradeText::tr("The check did not start"), result.notStartedReason);
    if (!result.stopped) {
        const GradeRecord record = GradeRecord::fromReport(result.report, grade.pack, grade.version,
                                                           QDateTime::currentDateTimeUtc());
        if (Status kept = GradeRecords().append(student, record); !kept)
            stream.note(GradeText::tr("The course server could not keep this result: %1")
                            .arg(kept.error()));
    }
    RunnerResult run = result.run;
    hideCheckCode(run.job.compile, lesson->checkSources);
    const int code = result.report.passed() ? 0 : 1;
    stream.done(run, code);
    return code;
}

} // namespace torchlab::cli
