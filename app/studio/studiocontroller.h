#pragma once

#include "core/course/courseupdate.h"
#include "core/course/pack.h"
#include "core/course/progressstore.h"
#include "core/grading/checkreport.h"
#include "core/metrics/labevent.h"
#include "core/metrics/metricstore.h"
#include "core/util/labsettings.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace torchlab {

class CheckRunner;
class CodeEditor;
class DoctorDialog;
class EnvironmentSession;
class MainWindow;
class NvmlSampler;
struct CompileResult;
struct MemorySample;

// The one place that knows both app/core and widgets/: it loads the course,
// keeps the learner's work in the ProgressStore, prepares the toolchain in
// the background (EnvironmentSession), runs and checks the learner's code
// with a CheckRunner, and shows everything in the MainWindow's widgets.
// Lives in the GUI thread; nothing here blocks it (file saves are a few KiB).
class StudioController : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString courseDirectory; // the pack folder (see courselocator.h)
        QString lesson;   // id or folder to open; empty: the last lesson, else the first not passed
        QString language; // "en" / "zh_CN" for lesson texts
        bool darkTheme = false;    // what applyTheme() chose
        bool warmUp = true;        // build the precompiled header as soon as the toolchain is known
        int autosaveDelayMs = 400; // after the last keystroke
    };
    enum class Activity
    {
        Idle,
        Waiting,
        Running,
        Checking
    };
    Q_ENUM(Activity)

    StudioController(MainWindow *window, const LabSettings &settings, const Options &options,
                     QObject *parent = nullptr);
    ~StudioController() override;

    // Reads the pack and opens the start lesson. False when the pack cannot be
    // used; `error` (translated) says why, with the loader's first problems.
    bool loadCourse(QString *error = nullptr);
    // Shows the pack in `directory` instead of the current one (the learner's
    // work on the current lesson is saved first; a run in progress ends).
    // `lesson` as in Options::lesson. False, with the current pack still shown
    // and `error` (translated) set, when the folder holds no usable pack.
    bool openCourse(const QString &directory, const QString &lesson = QString(),
                    QString *error = nullptr);
    // Reads the current pack's folder again and reopens the current lesson:
    // after an update installed a new version in place. Waits until a run in
    // progress has ended (the update must not pull the lesson from under it).
    void reloadCourse();
    bool reloadPending() const { return m_reloadPending; }
    // Starts gathering the environment on a worker thread (returns at once).
    void startEnvironment();

    const Pack &pack() const { return m_pack; }
    QString currentLessonId() const { return m_lessonId; }
    const Lesson *currentLesson() const;
    QString language() const { return m_options.language; }
    LabSettings settings() const { return m_settings; }
    EnvironmentSession *environment() const { return m_environment; }
    ProgressStore &progressStore() { return m_store; }
    const MetricStore &metrics() const { return m_metrics; }
    Activity activity() const { return m_activity; }
    bool solutionAvailable() const;
    // Starter files of the open lesson that a pack update changed under the
    // learner's own code (shown in the notice bar until the learner decides).
    QList<StarterChange> pendingStarterChanges() const { return m_starterChanges; }
    // The learner's code from lessons the open pack no longer has.
    QList<LessonProgress> removedLessons();

    bool openLesson(const QString &idOrFolder);
    void nextLesson();
    void previousLesson();
    void run();
    void check();
    void stop();
    void resetToStarter();
    void compareWithSolution();
    void revealHint();
    void showEnvironmentDialog();
    void showSettingsDialog();
    // The notice bar's three answers to a changed starter.
    void compareWithNewStarter();
    void adoptNewStarter(); // replaces the code (undoable) and records the decision
    void keepOwnCode();     // records the decision; the notice does not come back
    // Applies changed settings: font and theme at once, the toolchain by
    // preparing it again, limits with the next run, language at the next start.
    void applySettings(const LabSettings &settings);
    // Saves pending edits now (autosave is debounced).
    void saveNow();
    // Saves the code, the last lesson and the window layout (on close).
    void saveAll();

Q_SIGNALS:
    void lessonOpened(const QString &lessonId);
    void courseOpened(const QString &packId); // after openCourse()/reloadCourse()
    void codeSaved(const QString &lessonId);
    void environmentReady(); // the doctor's report is in
    void activityChanged(torchlab::StudioController::Activity activity);
    void programStarted(qint64 pid); // the compiled program runs (after the compile)
    void runFinished(const torchlab::CheckReport &report, bool graded);

private:
    void connectWindow();
    void connectEnvironment();
    void connectEditors(const QList<CodeEditor *> &editors);
    void refreshLessonState(const LessonProgress &progress);
    void requestRun(bool grade);
    void startPendingRun();
    void startRun(bool grade);
    void setActivity(Activity activity);
    void finishRun(const CheckReport &report);
    void onCompiled(const CompileResult &result);
    void onLabEvents(const QList<LabEvent> &events);
    void onStarted(qint64 pid);
    void onDeviceSample(const MemorySample &sample);
    void onEnvironmentReport();
    void jumpTo(const QString &file, int line, int column);
    void updateActions();
    void showStarterNotice();
    void acknowledgeStarterChanges();
    QString lessonTitle(const Lesson &lesson) const;
    qint64 runTimeMs() const;

    MainWindow *m_window = nullptr;
    LabSettings m_settings;
    Options m_options;
    Pack m_pack;
    QString m_lessonId;
    ProgressStore m_store;
    LessonProgress m_progress;  // the open lesson's record as last loaded
    QSet<QString> m_dirtyFiles; // edited since the last save
    QList<StarterChange> m_starterChanges;
    bool m_reloadPending = false;
    bool m_loadingText = false; // setText() of a lesson opening: not an edit
    QTimer m_autosave;

    EnvironmentSession *m_environment = nullptr;
    CheckRunner *m_runner = nullptr; // the run in progress; null when idle
    NvmlSampler *m_nvml = nullptr;   // only with a GPU
    MetricStore m_metrics;
    QElapsedTimer m_runClock;      // host time since the program started (memory plot x)
    bool m_programStarted = false; // started() arrived for the run in progress
    Activity m_activity = Activity::Idle;
    bool m_pendingGrade = false; // the run waiting for the toolchain: Check or Run
    bool m_runGrades = false;    // the run in progress is a Check
    QPointer<DoctorDialog> m_doctor;
};

} // namespace torchlab
