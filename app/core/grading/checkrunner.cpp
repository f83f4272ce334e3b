#include "core/grading/checkrunner.h"

#include "core/doctor/runverdict.h"
#include "core/runner/localrunner.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <cmath>
#include <limits>

namespace torchlab {

namespace {

bool isUnit(const QString &path)
{
    static const QStringList suffixes{QStringLiteral("cpp"), QStringLiteral("cc"),
                                      QStringLiteral("cxx"), QStringLiteral("cu")};
    return suffixes.contains(QFileInfo(path).suffix());
}

bool isCuda(const QString &path)
{
    return QFileInfo(path).suffix() == QLatin1String("cu");
}

// Copies `from` to `to` (replacing it), creating folders on the way.
bool copyFile(const QString &from, const QString &to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    QFile::remove(to);
    return QFile::copy(from, to);
}

CheckReport errorReport(const Lesson &lesson, const CheckRequest &request, const QString &source,
                        const QString &message)
{
    CheckReport r;
    r.lessonId = lesson.id;
    r.lessonFolder = lesson.folder;
    r.lessonTitle = localized(lesson.title, request.language);
    r.source = source;
    r.language = request.language;
    r.quick = request.quick;
    r.status = CheckResult::Status::Error;
    r.message = message;
    return r;
}

} // namespace

CheckRunner::CheckRunner(QObject *parent)
    : QObject(parent), m_factory(std::make_shared<LocalRunnerFactory>())
{
}

void CheckRunner::setRunnerFactory(std::shared_ptr<RunnerFactory> factory)
{
    if (factory)
        m_factory = std::move(factory);
}

CheckRunner::~CheckRunner()
{
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
}

Result<StagedSources> CheckRunner::stage(const Lesson &lesson, const CheckRequest &request,
                                         const QString &jobDirectory)
{
    StagedSources out;
    const QString directory = jobDirectory + QStringLiteral("/src");
    out.directory = directory;
    QDir().mkpath(directory);

    // Which file goes where: starter path (as the learner knows it) -> source file.
    QList<std::pair<QString, QString>> files;
    for (const QString &starter : lesson.starter)
        files.append({starter, lesson.filePath(starter)});
    auto replaceByName = [&files](const QString &name, const QString &from) {
        for (auto &f : files) {
            if (QFileInfo(f.first).fileName() == name) {
                f.second = from;
                return true;
            }
        }
        return false;
    };

    switch (request.use) {
    case CheckRequest::Use::Starter:
        break;
    case CheckRequest::Use::Solution:
        for (const QString &solution : lesson.solution) {
            const QString name = QFileInfo(solution).fileName();
            if (!replaceByName(name, lesson.filePath(solution)))
                files.append({name, lesson.filePath(solution)});
        }
        break;
    case CheckRequest::Use::Files: {
        const int unitCount = int(std::count_if(files.cbegin(), files.cend(),
                                                [](const auto &f) { return isUnit(f.first); }));
        for (const QString &given : request.files) {
            const QFileInfo info(given);
            if (info.isDir()) {
                bool any = false;
                for (auto &f : files) {
                    for (const QString &candidate : {f.first, QFileInfo(f.first).fileName()}) {
                        const QString path = info.absoluteFilePath() + QLatin1Char('/') + candidate;
                        if (QFileInfo(path).isFile()) {
                            f.second = path;
                            any = true;
                            break;
                        }
                    }
                }
                if (!any) {
                    return fail(tr("%1 holds none of the lesson's files (%2).")
                                    .arg(given, lesson.starter.join(QStringLiteral(", "))));
                }
            } else if (info.isFile()) {
                if (!replaceByName(info.fileName(), info.absoluteFilePath())) {
                    if (unitCount == 1 && request.files.size() == 1 && isUnit(given)) {
                        for (auto &f : files)
                            if (isUnit(f.first))
                                f.second = info.absoluteFilePath();
                    } else {
                        return fail(
                            tr("%1 has none of the lesson's file names (%2).")
                                .arg(info.fileName(), lesson.starter.join(QStringLiteral(", "))));
                    }
                }
            } else {
                return fail(tr("%1: no such file or folder.").arg(given));
            }
        }
        break;
    }
    }

    const bool buildCuda = request.profile.canBuildCudaKernels();
    // A Run builds the learner's program as it is: its own main() runs.
    const QStringList checkSources = request.grade ? lesson.checkSources : QStringList();
    bool hasCheck = false;
    for (const QString &check : checkSources)
        hasCheck = hasCheck || (isUnit(check) && (buildCuda || !isCuda(check)));
    bool warningFree = false;
    for (const Check &c : lesson.checks)
        warningFree = warningFree || (c.kind == Check::Kind::Compiles && c.warningFree);

    // .cu files are built only on a CUDA profile with nvcc; every C++ unit is
    // then told so by TORCHLAB_WITH_CUDA_KERNELS. Otherwise they are left out
    // and the code takes its CPU path (docs/lesson-packs.md): a CUDA LibTorch
    // without the toolkit still runs the rest of the lesson on the GPU.
    QStringList common;
    bool anyCuda = false;
    for (const auto &f : std::as_const(files))
        anyCuda = anyCuda || isCuda(f.first);
    for (const QString &check : checkSources)
        anyCuda = anyCuda || isCuda(check);
    if (anyCuda && !buildCuda) {
        for (const auto &f : std::as_const(files))
            if (isCuda(f.first))
                out.leftOut << f.first;
        for (const QString &check : checkSources)
            if (isCuda(check))
                out.leftOut << check;
    } else if (anyCuda) {
        common << QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1");
    }

    for (const auto &[shown, from] : std::as_const(files)) {
        const QString to = directory + QLatin1Char('/') + shown;
        if (!copyFile(from, to)) {
            return fail(tr("Cannot copy %1 into the check folder.").arg(from));
        }
        out.learnerFiles << shown;
        if (!isUnit(shown) || out.leftOut.contains(shown))
            continue;
        SourceFile unit{to, shown, true, common};
        if (hasCheck)
            unit.extraFlags << QStringLiteral("-Dmain=torchlab_learner_main");
        if (warningFree)
            unit.extraFlags << QStringLiteral("-Wall") << QStringLiteral("-Wextra");
        out.units << unit;
    }
    if (out.units.isEmpty()) {
        return fail(tr("The lesson has no C++ file to compile here."));
    }
    // The hidden check files travel with the job (a runner elsewhere gets the
    // whole job folder), headers included.
    const QString checkDirectory = jobDirectory + QStringLiteral("/check");
    for (const QString &check : checkSources) {
        const QString to = checkDirectory + QLatin1Char('/') + check;
        if (!copyFile(lesson.filePath(check), to)) {
            return fail(tr("Cannot copy %1 into the check folder.").arg(check));
        }
        if (!isUnit(check) || out.leftOut.contains(check))
            continue;
        // Check code may include the learner's headers by their names.
        SourceFile unit{to, check, false, common};
        unit.extraFlags << QStringLiteral("-I") + directory;
        out.units << unit;
    }
    return out;
}

QStringList CheckRunner::requirementNotes(const Lesson &lesson, const ToolchainProfile &profile)
{
    QStringList notes;
    if (lesson.requirements.cuda && !profile.useCuda)
        notes << tr("This lesson is written for an NVIDIA GPU, and none is usable here, so it ran "
                    "on the CPU. "
                    "Results are the same; timings and GPU-memory figures differ (the lesson text "
                    "says how). "
                    "`torchlab-cli doctor` says why there is no GPU.");
    if (lesson.requirements.nvcc && !profile.canBuildCudaKernels()) {
        if (profile.useCuda)
            notes << tr("This lesson builds CUDA kernels with nvcc, and nvcc was not found "
                        "(install the CUDA toolkit or set CUDA_HOME). Its .cu files were not "
                        "compiled here; the kernels took their CPU path instead, and the rest of "
                        "the program still ran on the GPU.");
        else
            notes << tr("This lesson builds CUDA kernels with nvcc, which needs a CUDA build of "
                        "LibTorch and a GPU. Its .cu files were not compiled here; the program "
                        "took its CPU path instead.");
    }
    return notes;
}

RunLimits CheckRunner::runLimits(const Lesson &lesson, const CheckRequest &request)
{
    const double scale =
        request.timeScale > 0 && std::isfinite(request.timeScale) ? request.timeScale : 1.0;
    const double seconds = lesson.limits.timeSeconds * scale;
    int memoryMb = lesson.limits.memoryMb;
    if (request.memoryCapMb > 0)
        memoryMb = memoryMb > 0 ? std::min(memoryMb, request.memoryCapMb) : request.memoryCapMb;

    RunLimits limits;
    limits.wallMs = int(std::min(seconds * 1000, double(std::numeric_limits<int>::max())));
    // RLIMIT_CPU counts every thread: LibTorch's intra-op pool keeps all
    // cores busy, so allow the wall time on each of them.
    limits.cpuSeconds = int(std::min(seconds * std::max(2, QThread::idealThreadCount()) + 1,
                                     double(std::numeric_limits<int>::max())));
    limits.memoryBytes = qint64(memoryMb) << 20;
    limits.hardOutputBytes = 256LL << 20;
    return limits;
}

QList<Check> CheckRunner::runChecks(const Lesson &lesson)
{
    Check compiles;
    compiles.kind = Check::Kind::Compiles;
    Check exitsOk;
    exitsOk.kind = Check::Kind::ExitsOk;
    for (const Check &c : lesson.checks) {
        if (c.kind == Check::Kind::Compiles && compiles.message.isEmpty())
            compiles.message = c.message;
        else if (c.kind == Check::Kind::ExitsOk && exitsOk.message.isEmpty())
            exitsOk.message = c.message;
    }
    // A Run is not graded: warnings show in the editor but fail nothing.
    compiles.warningFree = false;
    // Like a pack's own text, this message is keyed by the check's language
    // (request.language), which tr() -- keyed by the UI language -- cannot give.
    if (exitsOk.message.isEmpty())
        exitsOk.message = LocalizedText{
            {QStringLiteral("en"), QStringLiteral("The program did not finish normally.")},
            {QStringLiteral("zh_CN"), QStringLiteral("程序没有正常结束。")}};
    return {compiles, exitsOk};
}

QString CheckRunner::sourceName() const
{
    switch (m_request.use) {
    case CheckRequest::Use::Starter:
        return QStringLiteral("starter");
    case CheckRequest::Use::Solution:
        return QStringLiteral("solution");
    case CheckRequest::Use::Files:
        return m_request.files.join(QStringLiteral(", "));
    }
    return QString();
}

void CheckRunner::start(const Lesson &lesson, const CheckRequest &request)
{
    Q_ASSERT(!m_running);
    m_lesson = lesson;
    m_request = request;
    m_running = true;
    m_stopped = false;
    m_observation = Observation();
    m_notes.clear();
    delete m_runner;
    m_runner = nullptr;
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
    m_jobDir = LabPaths::cacheDir() + QStringLiteral("/grading/") +
               QUuid::createUuid().toString(QUuid::WithoutBraces).left(12);

    // A student's copy of a server-graded lesson checked on a course server:
    // only the learner's files travel; the grader account adds its own check
    // units. A copy with the checks (the instructor's) is checked as any lesson.
    const bool gradeOnServer = lesson.gradedOnServer() && lesson.hiddenPartsAbsent &&
                               request.grade && m_factory->targetProfile().has_value();
    if (lesson.gradedOnServer() && request.grade && !gradeOnServer && lesson.hiddenPartsAbsent) {
        finish(errorReport(lesson, request, sourceName(),
                           tr("This lesson is graded on the course server: its checks are not on "
                              "this computer. Choose your course's grading target and check "
                              "again; Run works here as before.")));
        return;
    }
    Lesson staging = lesson;
    if (gradeOnServer)
        staging.checkSources.clear();
    Result<StagedSources> staged = stage(staging, request, m_jobDir);
    if (!staged) {
        finish(errorReport(lesson, request, sourceName(), staged.error()));
        return;
    }
    m_staged = *staged;
    m_notes = requirementNotes(lesson, request.profile);

    RunSpec spec;
    spec.profile = request.profile;
    spec.sources = m_staged.units;
    spec.usePch = request.usePch;
    spec.limits = runLimits(lesson, request);
    // Programs write checkpoints and the like into their working folder:
    // the job folder, never the lesson's own.
    spec.workingDirectory = m_jobDir;
    spec.environment = request.environment;
    spec.environment.remove(QStringLiteral("TORCHLAB_QUICK"));
    if (request.quick)
        spec.variables.insert(QStringLiteral("TORCHLAB_QUICK"), QStringLiteral("1"));
    spec.datasets = lesson.requirements.datasets;
    spec.ranks = std::max(1, lesson.requirements.ranks);
    spec.network = lesson.requirements.network;
    spec.sandbox = request.sandbox;
    spec.gpuCount = request.gpuCount;
    spec.jobName = lesson.id;
    if (gradeOnServer) {
        spec.serverGrade = ServerGrade{lesson.packId, lesson.packVersion, lesson.id, request.quick};
        m_notes << tr("This Check ran on the course server; your instructor sees its result.");
    }

    m_runner = m_factory->create(this);
    connect(m_runner, &Runner::phaseChanged, this, &CheckRunner::phaseChanged);
    connect(m_runner, &Runner::pchProgress, this, &CheckRunner::pchProgress);
    connect(m_runner, &Runner::queued, this, &CheckRunner::queued);
    connect(m_runner, &Runner::notice, this, &CheckRunner::notice);
    connect(m_runner, &Runner::stdoutData, this, &CheckRunner::stdoutData);
    connect(m_runner, &Runner::stderrData, this, &CheckRunner::stderrData);
    connect(m_runner, &Runner::labEvents, this, &CheckRunner::onLabEvents);
    connect(m_runner, &Runner::compiled, this, &CheckRunner::compiled);
    connect(m_runner, &Runner::started, this, &CheckRunner::started);
    connect(m_runner, &Runner::sample, this, &CheckRunner::sample);
    connect(m_runner, &Runner::done, this, &CheckRunner::onRunnerDone);
    m_runner->start(spec);
}

void CheckRunner::onLabEvents(const QList<LabEvent> &events)
{
    RunObservation &o = m_observation.graded;
    for (const LabEvent &e : events) {
        if (e.type == LabEvent::Type::Metric) {
            auto it = o.metrics.find(e.name);
            if (it == o.metrics.end()) {
                // A program may invent names without end: keep the first ones.
                constexpr qsizetype maxNameChars = 1 << 20;
                if (o.metrics.size() >= RunObservation::MaxMetricNames ||
                    m_observation.metricNameChars + e.name.size() > maxNameChars)
                    continue;
                m_observation.metricNameChars += e.name.size();
                it = o.metrics.insert(e.name, MetricSummary());
            }
            it->add(e.value);
        } else if (e.type == LabEvent::Type::Note && o.notes.size() < RunObservation::MaxNotes) {
            o.notes << cutText(e.message, 4'000);
        }
    }
    Q_EMIT labEvents(events);
}

void CheckRunner::onRunnerDone(const RunnerResult &result)
{
    if (!m_running)
        return;
    m_observation.run = result;
    RunObservation &o = m_observation.graded;
    o.job = result.job;
    o.otherRanks = result.otherRanks;
    o.otherChecks = result.otherChecks;
    o.learnerFiles = m_staged.learnerFiles;
    if (m_request.use == CheckRequest::Use::Solution) {
        // The reference solution's diagnostics name its files in the pack
        // (solution/exercise.cpp), not the learner's file of the same name.
        QHash<QString, QString> packPath;
        for (const QString &solution : m_lesson.solution)
            packPath.insert(QFileInfo(solution).fileName(), solution);
        const auto remap = [&](QString &file) {
            if (const auto it = packPath.constFind(file); it != packPath.cend())
                file = *it;
        };
        for (Diagnostic &d : o.job.compile.diagnostics) {
            remap(d.file);
            for (Diagnostic &note : d.notes)
                remap(note.file);
        }
        for (QString &file : o.learnerFiles)
            remap(file);
    }
    Lesson graded = m_lesson;
    if (!m_request.grade)
        graded.checks = runChecks(m_lesson);
    CheckReport report = evaluateLesson(graded, o, m_request.language);
    report.lessonId = m_lesson.id;
    report.lessonFolder = m_lesson.folder;
    report.lessonTitle = localized(m_lesson.title, m_request.language);
    report.source = sourceName();
    report.quick = m_request.quick;
    report.notes = m_notes + result.notes + report.notes;
    report.diagnostics = o.job.compile.diagnostics;
    if (o.job.ran) {
        // Rank 0's run, unless it only stopped (or finished) because another rank failed by itself.
        int rank = 0;
        const RunResult &run = result.verdict(&rank);
        const QString prefix = rank > 0 ? tr("Rank %1: ").arg(rank) : QString();
        report.runOutcome = run.outcome;
        report.runSummary = prefix + run.summary;
        report.runExplanation = run.explanation;
        report.runDetail = run.detail;
        // "none" only with the reason; a runner that says neither (an older
        // course server) leaves it unknown.
        report.sandbox = run.sandboxed               ? QStringLiteral("bubblewrap")
                         : run.sandboxNote.isEmpty() ? QString()
                                                     : QStringLiteral("none");
        report.sandboxNote = run.sandboxNote;
        if (!run.sandboxed && !run.sandboxNote.isEmpty())
            report.notes << tr("Not sandboxed: %1. The program ran with all the rights of your "
                               "account (docs/sandbox.md).")
                                .arg(run.sandboxNote);
    }
    if (o.job.haveHello)
        report.device = o.job.hello.device;
    // A CUDA build whose program saw no GPU says why (the binary is the
    // runner's, still on disk until the runner is deleted).
    if (const std::optional<Verdict> verdict =
            cudaRunVerdict(m_request.profile, o.job.hello, o.job.compile.binaryPath))
        report.notes << verdict->explanation + QLatin1Char(' ') + verdict->fix;
    finish(report);
}

void CheckRunner::finish(CheckReport report)
{
    m_running = false;
    // The job folder holds copies of the learner's files and the program's
    // own files; nothing in it is needed once the report exists.
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
    // done() from the event loop, also for a start() that failed at once, so
    // a receiver may start() again or delete this runner.
    QMetaObject::invokeMethod(
        this, [this, report] { Q_EMIT done(report); }, Qt::QueuedConnection);
}

void CheckRunner::stop()
{
    if (!m_running || m_stopped)
        return;
    m_stopped = true;
    if (m_runner)
        m_runner->stop(); // its done() completes the report
}

} // namespace torchlab
