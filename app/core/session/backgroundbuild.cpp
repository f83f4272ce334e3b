#include "core/session/backgroundbuild.h"

#include "core/build/pchcache.h"
#include "core/course/lessonworkspace.h"
#include "core/run/warmrunner.h"
#include "core/session/environmentsession.h"
#include "core/util/labpaths.h"
#include "core/util/trace.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonObject>

namespace torchlab {

namespace {

// Lowest priority: a build the learner did not ask for never slows what they
// did ask for (on an idle machine it runs at full speed all the same).
constexpr int BackgroundNice = 19;
// Waiting for the toolchain or its precompiled header: look again after this.
constexpr int NotReadyRetryMs = 1'000;

} // namespace

BackgroundBuild::BackgroundBuild(EnvironmentSession *environment, QObject *parent)
    : QObject(parent), m_environment(environment)
{
    m_delay.setSingleShot(true);
    m_delay.setInterval(600);
    connect(&m_delay, &QTimer::timeout, this, &BackgroundBuild::build);
}

BackgroundBuild::~BackgroundBuild()
{
    stopJob();
}

QString BackgroundBuild::folder(const QString &packId, const QString &lessonId)
{
    const QByteArray id = QCryptographicHash::hash((packId + QLatin1Char('\n') + lessonId).toUtf8(),
                                                   QCryptographicHash::Sha1)
                              .toHex()
                              .left(16);
    return LabPaths::cacheDir() + QStringLiteral("/prebuild/") + QString::fromLatin1(id);
}

void BackgroundBuild::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled) {
        m_delay.stop();
        stopJob();
    } else if (m_pending && !m_paused) {
        m_delay.start();
    }
}

void BackgroundBuild::edited(Input input)
{
    ++m_generation;
    // The text the build in flight compiles is gone.
    stopJob();
    m_pending = std::move(input);
    if (m_enabled && !m_paused)
        m_delay.start(); // restarts: builds once typing pauses
}

void BackgroundBuild::pause()
{
    m_paused = true;
    m_delay.stop();
    stopJob(); // m_pending stays: resume() builds it
}

void BackgroundBuild::resume()
{
    m_paused = false;
    if (m_enabled && m_pending && !m_job)
        m_delay.start();
}

void BackgroundBuild::cancel()
{
    m_delay.stop();
    stopJob();
    m_pending.reset();
}

void BackgroundBuild::stopJob()
{
    if (!m_job)
        return;
    CompileJob *job = m_job;
    m_job = nullptr;
    m_building = -1;
    disconnect(job, nullptr, this, nullptr);
    job->cancel();
    job->deleteLater();
}

void BackgroundBuild::build()
{
    if (!m_pending || !m_enabled || m_paused || m_job)
        return;
    const Input &input = *m_pending;
    // Built as the Run will build it: the environment's profile, its
    // precompiled header when ready. Until both are, the warm-up has the CPU.
    PchCache *pch = m_environment->pch();
    const EnvironmentSession::State state = m_environment->state();
    if (state == EnvironmentSession::State::Unusable ||
        state == EnvironmentSession::State::Cancelled)
        return; // a Run says why; nothing to build with
    if (!m_environment->isReady() ||
        (input.request.usePch && pch && pch->state() != PchCache::State::Ready &&
         pch->state() != PchCache::State::Failed)) {
        m_delay.start(NotReadyRetryMs);
        return;
    }

    const QString base = folder(input.packId, input.lesson.id);
    QDir(base).removeRecursively();
    Result<QStringList> written =
        LessonWorkspace::writeFilesTo(base + QStringLiteral("/text"), input.files, input.order);
    if (!written) {
        m_pending.reset();
        return; // the Run will say what is wrong with writing files
    }
    CheckRequest request = input.request;
    request.grade = false;
    request.use = CheckRequest::Use::Files;
    request.files = *written;
    request.profile = m_environment->profile();
    Result<StagedSources> staged =
        CheckRunner::stage(input.lesson, request, base + QStringLiteral("/job"));
    if (!staged) {
        m_pending.reset();
        return;
    }

    CompileRequest c;
    c.profile = request.profile;
    c.sources = staged->units;
    c.workDirectory = base + QStringLiteral("/build");
    // The kind of program the Run will link (RunJob decides the same way).
    c.sharedObject =
        WarmRunner::whyNotWarm(m_environment->warm(), request.profile, request.environment,
                               std::max(1, input.lesson.requirements.ranks))
            .isEmpty();
    c.outputPath = c.workDirectory +
                   (c.sharedObject ? QStringLiteral("/exercise.so") : QStringLiteral("/exercise"));
    if (request.usePch && pch && pch->isReady())
        c.pchArguments = pch->compileArguments();
    c.limits.niceIncrement = BackgroundNice;

    m_building = m_generation;
    m_job = new CompileJob(this);
    connect(m_job, &CompileJob::done, this, &BackgroundBuild::onDone);
    m_clock.start();
    Trace::emit(QStringLiteral("build_start"),
                QJsonObject{{QStringLiteral("generation"), m_generation}});
    Q_EMIT started();
    m_job->start(c);
}

void BackgroundBuild::onDone(const CompileResult &result)
{
    CompileJob *job = m_job;
    m_job = nullptr;
    if (job)
        job->deleteLater();
    const bool current = m_building == m_generation;
    m_building = -1;
    if (result.outcome == CompileResult::Outcome::Cancelled)
        return;
    Trace::emit(QStringLiteral("build_done"),
                QJsonObject{{QStringLiteral("ok"), result.ok()},
                            {QStringLiteral("outcome"), compileOutcomeName(result.outcome)},
                            {QStringLiteral("ms"), m_clock.elapsed()},
                            {QStringLiteral("cached_units"), result.unitsFromCache},
                            {QStringLiteral("cached_link"), result.linkFromCache}});
    if (!current)
        return;
    m_pending.reset();
    Q_EMIT finished(result);
}

} // namespace torchlab
