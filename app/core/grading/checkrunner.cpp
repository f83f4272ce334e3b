#include "core/grading/checkrunner.h"

#include "core/build/pchcache.h"
#include "core/course/datasets.h"
#include "core/doctor/runverdict.h"
#include "core/gpu/nvml.h"
#include "core/grading/rankgroup.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <cmath>
#include <limits>

namespace torchlab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("torchlab::CheckRunner", text);
}

bool isUnit(const QString &path)
{
    static const QStringList suffixes{QStringLiteral("cpp"), QStringLiteral("cc"), QStringLiteral("cxx"),
                                      QStringLiteral("cu")};
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

// GPUs the ranks can use: what the request says, else NVML's count on a
// CUDA profile. CUDA numbers only the devices CUDA_VISIBLE_DEVICES lists, up
// to the first invalid entry ("-1" hides them all).
int usableGpus(const CheckRequest &request, const QProcessEnvironment &env)
{
    if (request.gpuCount >= 0)
        return request.gpuCount;
    if (!request.profile.useCuda)
        return 0; // no need to load NVML: chooseBackend() picks Gloo on a CPU profile
    int count = int(probeGpu().devices.size());
    if (env.contains(QStringLiteral("CUDA_VISIBLE_DEVICES"))) {
        int listed = 0;
        for (const QString &entry :
             env.value(QStringLiteral("CUDA_VISIBLE_DEVICES")).split(QLatin1Char(','))) {
            if (entry.trimmed().isEmpty() || entry.trimmed().startsWith(QLatin1Char('-')))
                break;
            ++listed;
        }
        count = std::min(count, listed);
    }
    return count;
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

CheckRunner::CheckRunner(QObject *parent) : QObject(parent) {}

CheckRunner::~CheckRunner()
{
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
}

StagedSources CheckRunner::stage(const Lesson &lesson, const CheckRequest &request, const QString &directory)
{
    StagedSources out;
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
    case CheckRequest::Use::Starter: break;
    case CheckRequest::Use::Solution:
        for (const QString &solution : lesson.solution) {
            const QString name = QFileInfo(solution).fileName();
            if (!replaceByName(name, lesson.filePath(solution)))
                files.append({name, lesson.filePath(solution)});
        }
        break;
    case CheckRequest::Use::Files: {
        const int unitCount = int(std::count_if(files.cbegin(), files.cend(), [](const auto &f) { return isUnit(f.first); }));
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
                    out.error = tr("%1 holds none of the lesson's files (%2).").arg(given, lesson.starter.join(QStringLiteral(", ")));
                    return out;
                }
            } else if (info.isFile()) {
                if (!replaceByName(info.fileName(), info.absoluteFilePath())) {
                    if (unitCount == 1 && request.files.size() == 1 && isUnit(given)) {
                        for (auto &f : files)
                            if (isUnit(f.first))
                                f.second = info.absoluteFilePath();
                    } else {
                        out.error = tr("%1 has none of the lesson's file names (%2).")
                                        .arg(info.fileName(), lesson.starter.join(QStringLiteral(", ")));
                        return out;
                    }
                }
            } else {
                out.error = tr("%1: no such file or folder.").arg(given);
                return out;
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
            out.error = tr("Cannot copy %1 into the check folder.").arg(from);
            return out;
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
        out.error = tr("The lesson has no C++ file to compile here.");
        return out;
    }
    for (const QString &check : checkSources) {
        if (!isUnit(check) || out.leftOut.contains(check))
            continue;
        // Check code may include the learner's headers by their names.
        SourceFile unit{lesson.filePath(check), check, false, common};
        unit.extraFlags << QStringLiteral("-I") + directory;
        out.units << unit;
    }
    return out;
}

QStringList CheckRunner::requirementNotes(const Lesson &lesson, const ToolchainProfile &profile)
{
    QStringList notes;
    if (lesson.requirements.cuda && !profile.useCuda)
        notes << tr("This lesson is written for an NVIDIA GPU, and none is usable here, so it ran on the CPU. "
                    "Results are the same; timings and GPU-memory figures differ (the lesson text says how). "
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
    case CheckRequest::Use::Starter: return QStringLiteral("starter");
    case CheckRequest::Use::Solution: return QStringLiteral("solution");
    case CheckRequest::Use::Files: return m_request.files.join(QStringLiteral(", "));
    }
    return QString();
}

void CheckRunner::start(const Lesson &lesson, const CheckRequest &request, PchCache *pch)
{
    Q_ASSERT(!m_running);
    m_lesson = lesson;
    m_request = request;
    m_pch = pch;
    m_running = true;
    m_stopped = false;
    m_jobDone = false;
    m_observation = RunObservation();
    m_notes.clear();
    delete m_job;
    m_job = nullptr;
    delete m_ranks;
    m_ranks = nullptr;
    m_rankZeroOut.reset();
    m_rankZeroErr.reset();
    if (!m_jobDir.isEmpty())
        QDir(m_jobDir).removeRecursively();
    m_jobDir = LabPaths::cacheDir() + QStringLiteral("/grading/")
               + QUuid::createUuid().toString(QUuid::WithoutBraces).left(12);

    m_staged = stage(lesson, request, m_jobDir + QStringLiteral("/src"));
    if (!m_staged.error.isEmpty()) {
        finish(errorReport(lesson, request, sourceName(), m_staged.error));
        return;
    }
    m_notes = requirementNotes(lesson, request.profile);

    m_env = request.environment;
    if (request.quick)
        m_env.insert(QStringLiteral("TORCHLAB_QUICK"), QStringLiteral("1"));
    else
        m_env.remove(QStringLiteral("TORCHLAB_QUICK"));
    if (!m_env.contains(QStringLiteral("TORCHLAB_DATA")))
        m_env.insert(QStringLiteral("TORCHLAB_DATA"), Datasets::root(m_env));

    if (lesson.requirements.datasets.isEmpty()) {
        startRun();
        return;
    }
    // Unpacking Fashion-MNIST takes about a second: off the GUI thread.
    m_generation = std::make_shared<int>(0);
    const std::weak_ptr<int> generation = m_generation;
    const QStringList names = lesson.requirements.datasets;
    const QString root = m_env.value(QStringLiteral("TORCHLAB_DATA"));
    auto notes = std::make_shared<QStringList>();
    QThread *worker = QThread::create([names, root, notes] {
        for (const QString &name : names) {
            const Datasets::Status s = Datasets::ensure(name, root);
            if (!s.ok)
                notes->append(s.message);
        }
    });
    // The thread deletes itself even when this runner is gone by then.
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, generation, notes] {
        if (generation.expired() || m_stopped)
            return;
        m_notes += *notes;
        startRun();
    });
    worker->start();
}

void CheckRunner::startRun()
{
    RunJobRequest request;
    request.profile = m_request.profile;
    request.sources = m_staged.units;
    request.usePch = m_request.usePch;
    request.limits = runLimits(m_lesson, m_request);
    // Programs write checkpoints and the like into their working folder:
    // the job folder, never the lesson's own.
    request.workingDirectory = m_jobDir;

    const int ranks = m_lesson.requirements.ranks;
    int port = 0;
    QProcessEnvironment env = m_env;
    if (ranks > 1) {
        // Every rank must build the same kind of process group; the program
        // reads the lab's choice (lesson 15), which replaces any the learner's
        // environment holds.
        const RankBackend backend =
            RankGroup::chooseBackend(m_request.profile, usableGpus(m_request, env), ranks);
        if (backend.name.isEmpty())
            env.remove(QStringLiteral("TORCHLAB_DIST_BACKEND"));
        else
            env.insert(QStringLiteral("TORCHLAB_DIST_BACKEND"), backend.name);
        m_notes << backend.reason;
        port = RankGroup::freePort();
        request.environment = RankGroup::rankEnvironment(env, 0, ranks, port);
        m_rankZeroOut = std::make_unique<RankLinePrefixer>(0);
        m_rankZeroErr = std::make_unique<RankLinePrefixer>(0);
    } else {
        request.environment = env;
    }

    m_job = new RunJob(this);
    connect(m_job, &RunJob::phaseChanged, this, &CheckRunner::phaseChanged);
    connect(m_job, &RunJob::pchProgress, this, &CheckRunner::pchProgress);
    if (ranks > 1) {
        connect(m_job, &RunJob::stdoutData, this,
                [this](const QByteArray &chunk) { onRankZeroOutput(chunk, false); });
        connect(m_job, &RunJob::stderrData, this,
                [this](const QByteArray &chunk) { onRankZeroOutput(chunk, true); });
    } else {
        connect(m_job, &RunJob::stdoutData, this, &CheckRunner::stdoutData);
        connect(m_job, &RunJob::stderrData, this, &CheckRunner::stderrData);
    }
    connect(m_job, &RunJob::labEvents, this, &CheckRunner::onLabEvents);
    connect(m_job, &RunJob::compiled, this, &CheckRunner::compiled);
    connect(m_job, &RunJob::started, this, &CheckRunner::started);
    connect(m_job, &RunJob::rssSample, this, &CheckRunner::rssSample);
    connect(m_job, &RunJob::done, this, &CheckRunner::onJobDone);
    if (ranks > 1) {
        m_ranks = new RankGroup(this);
        connect(m_ranks, &RankGroup::finished, this, &CheckRunner::maybeFinish);
        connect(m_ranks, &RankGroup::rankOutput, this,
                [this](int, const QByteArray &lines, bool isStderr) {
                    if (isStderr)
                        Q_EMIT stderrData(lines);
                    else
                        Q_EMIT stdoutData(lines);
                });
        connect(m_ranks, &RankGroup::rankFailed, this, [this] {
            // Rank 0 would wait in a collective for the dead rank until its time limit.
            QTimer::singleShot(m_ranks->graceMs, this, [this] {
                if (m_job && m_job->isRunning())
                    m_job->stop();
            });
        });
        const RunLimits limits = request.limits;
        const QString workDir = m_jobDir;
        connect(m_job, &RunJob::compiled, this, [this, env, limits, workDir, ranks, port](const CompileResult &c) {
            if (c.ok() && !m_stopped)
                m_ranks->start(c.binaryPath, workDir, env, limits, ranks, port);
        });
    }
    m_job->start(request, m_pch);
}

void CheckRunner::onLabEvents(const QList<LabEvent> &events)
{
    for (const LabEvent &e : events) {
        if (e.type == LabEvent::Type::Metric)
            m_observation.metrics[e.name].add(e.value);
        else if (e.type == LabEvent::Type::Note)
            m_observation.notes << e.message;
    }
    Q_EMIT labEvents(events);
}

void CheckRunner::onRankZeroOutput(const QByteArray &chunk, bool isStderr)
{
    RankLinePrefixer *prefixer = isStderr ? m_rankZeroErr.get() : m_rankZeroOut.get();
    const QByteArray lines = prefixer->feed(chunk);
    if (lines.isEmpty())
        return;
    if (isStderr)
        Q_EMIT stderrData(lines);
    else
        Q_EMIT stdoutData(lines);
}

void CheckRunner::onJobDone(const RunJobResult &result)
{
    // Rank 0's unfinished last line, as RankGroup gives the other ranks'.
    if (m_rankZeroOut)
        if (const QByteArray rest = m_rankZeroOut->flush(); !rest.isEmpty())
            Q_EMIT stdoutData(rest);
    if (m_rankZeroErr)
        if (const QByteArray rest = m_rankZeroErr->flush(); !rest.isEmpty())
            Q_EMIT stderrData(rest);
    m_observation.job = result;
    m_jobDone = true;
    if (m_ranks)
        m_ranks->rankZeroFinished(result.ok());
    maybeFinish();
}

void CheckRunner::maybeFinish()
{
    if (!m_running || !m_jobDone || (m_ranks && m_ranks->isRunning()))
        return;
    if (m_ranks) {
        m_observation.otherRanks = m_ranks->results();
        m_observation.otherChecks = m_ranks->checks();
    }
    m_observation.learnerFiles = m_staged.learnerFiles;
    Lesson graded = m_lesson;
    if (!m_request.grade)
        graded.checks = runChecks(m_lesson);
    CheckReport report = evaluateLesson(graded, m_observation, m_request.language);
    report.lessonId = m_lesson.id;
    report.lessonFolder = m_lesson.folder;
    report.lessonTitle = localized(m_lesson.title, m_request.language);
    report.source = sourceName();
    report.quick = m_request.quick;
    report.notes = m_notes + report.notes;
    report.diagnostics = m_observation.job.compile.diagnostics;
    if (m_observation.job.ran) {
        // Rank 0's run, unless it only stopped (or finished) because another rank failed by itself.
        const RunResult *run = &m_observation.job.run;
        QString prefix;
        if (run->ok() || run->outcome == RunResult::Outcome::Stopped) {
            for (const RankRun &r : std::as_const(m_observation.otherRanks)) {
                if (!r.run.ok() && r.run.outcome != RunResult::Outcome::Stopped) {
                    run = &r.run;
                    prefix = tr("Rank %1: ").arg(r.rank);
                    break;
                }
            }
        }
        report.runOutcome = outcomeName(run->outcome);
        report.runSummary = prefix + run->summary;
        report.runExplanation = run->explanation;
        report.runDetail = run->detail;
    }
    if (m_observation.job.haveHello)
        report.device = m_observation.job.hello.device;
    // A CUDA build whose program saw no GPU says why (the binary is RunJob's,
    // still on disk until the next start()).
    if (const std::optional<Verdict> verdict = cudaRunVerdict(
            m_request.profile, m_observation.job.hello, m_observation.job.compile.binaryPath))
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
    QMetaObject::invokeMethod(this, [this, report] { Q_EMIT done(report); }, Qt::QueuedConnection);
}

void CheckRunner::stop()
{
    if (!m_running)
        return;
    m_stopped = true;
    if (m_ranks)
        m_ranks->stop();
    if (m_job && m_job->isRunning()) {
        m_job->stop(); // its done() completes the report
        return;
    }
    if (!m_job) { // still unpacking data
        CheckReport r = errorReport(m_lesson, m_request, sourceName(), tr("The check was stopped."));
        finish(r);
    }
}

} // namespace torchlab
