#pragma once

#include "core/build/compilejob.h"
#include "core/course/pack.h"
#include "core/grading/checkrunner.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace torchlab {

class EnvironmentSession;

// Compiles the learner's code while they type, so that Run finds it built.
//
// edited() is called on every change of the editor's texts. The build in
// flight is abandoned at once (the text it compiles is gone); after a pause
// of delayMs() (600 ms) the current text is staged exactly as a Run stages
// it (CheckRunner::stage, grade = false) and compiled the way RunJob compiles
// it, niced to the lowest priority, into ObjectCache. A Run of the same text
// then finds every unit and the program in the cache, or waits for this
// build when it is still compiling (ObjectCache's in-flight claims): the
// Run's result is identical to one without a background build, only sooner.
//
// One build at a time. pause() (a program of the learner starts) stops the
// build in flight and holds the next; resume() builds what is still pending.
// Nothing is built before the toolchain and its precompiled header are
// ready, nor when disabled. finished() carries the diagnostics, for the
// editor to mark as found while typing.
//
// Threading: main thread only.
class BackgroundBuild : public QObject
{
    Q_OBJECT
public:
    struct Input
    {
        QString packId;
        Lesson lesson;
        QMap<QString, QString> files; // file name -> text
        QStringList order;
        CheckRequest request; // as a Run would send it; profile and usePch are filled in here
    };

    explicit BackgroundBuild(EnvironmentSession *environment, QObject *parent = nullptr);
    ~BackgroundBuild() override;

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    void setDelayMs(int ms) { m_delay.setInterval(ms); }
    int delayMs() const { return m_delay.interval(); }

    void edited(Input input);
    void pause();
    void resume();
    // Forgets the pending text (a lesson was left, a Check started that wants other units).
    void cancel();

    bool isBuilding() const { return m_job != nullptr; }
    bool hasPending() const { return m_pending.has_value(); }
    // The generation (edit count) the last finished() was built from.
    qint64 generation() const { return m_generation; }

    // Where background builds stage and compile, per lesson.
    static QString folder(const QString &packId, const QString &lessonId);

Q_SIGNALS:
    void started();
    void finished(const torchlab::CompileResult &result);

private:
    void build();
    void onDone(const CompileResult &result);
    void stopJob();

    EnvironmentSession *m_environment;
    QTimer m_delay;
    std::optional<Input> m_pending;
    qint64 m_generation = 0;
    qint64 m_building = -1; // generation of the job in flight
    CompileJob *m_job = nullptr;
    QElapsedTimer m_clock;
    bool m_enabled = true;
    bool m_paused = false;
};

} // namespace torchlab
