#pragma once

#include "core/session/coursesession.h"
#include "core/session/labsession.h"
#include "core/util/labsettings.h"
#include "core/util/result.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace torchlab {

class CodeEditor;
class DoctorDialog;
class EnvironmentSession;
class GpuHealthReader;
class PrometheusExporter;
class RunWatch;
struct RunAdvice;
class MainWindow;
class RunArchiver;
class TargetController;

// The presenter of the lab window: it hands what the learner does to the two
// sessions of app/core -- CourseSession (the pack, the lesson, the learner's
// saved work) and LabSession (the toolchain, Run and Check, the stores the
// plots read) -- and shows what they emit in the MainWindow's widgets. It
// decides nothing from a widget's state. Lives in the GUI thread.
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

    StudioController(MainWindow *window, const LabSettings &settings, const Options &options,
                     QObject *parent = nullptr);
    ~StudioController() override;

    // Reads Options::courseDirectory and opens the start lesson.
    Status loadCourse();
    // Shows the pack in `directory` instead (the learner's work is saved
    // first, a run in progress ends); the current pack stays on failure.
    Status openCourse(const QString &directory, const QString &lesson = QString());
    // Reads the current pack's folder again and reopens the current lesson
    // (after an update installed a new version in place), keeping the tab,
    // cursor and scroll position; waits until a run in progress has ended.
    void reloadCourse();
    bool reloadPending() const { return m_reloadPending; }
    // The status bar's toolchain and the memory plot's GPU note: this
    // computer's, or the server's when runs happen there.
    void showWhereRunsHappen();
    void startEnvironment(); // on a worker thread; returns at once

    CourseSession *course() const { return m_course; }
    LabSession *session() const { return m_session; }
    TargetController *targets() const { return m_targets; }
    RunArchiver *archiver() const { return m_archiver; }
    // Serves runs' metrics when the settings ask for it (Settings ▸ Runs).
    PrometheusExporter *exporter() const { return m_exporter; }
    RunWatch *runWatch() const { return m_runWatch; }
    const Pack &pack() const { return m_course->pack(); }
    QString currentLessonId() const { return m_course->lessonId(); }
    const Lesson *currentLesson() const { return m_course->lesson(); }
    QString language() const { return m_options.language; }
    LabSettings settings() const { return m_settings; }
    EnvironmentSession *environment() const { return m_session->environment(); }
    ProgressStore &progressStore() { return m_course->store(); }
    const MetricStore &metrics() const { return m_session->metrics(); }
    LabSession::State state() const { return m_session->state(); }
    QList<StarterChange> pendingStarterChanges() const { return m_course->starterChanges(); }
    QList<LessonProgress> removedLessons() { return m_course->removedLessons(); }

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
    // Font and theme at once, the toolchain by preparing it again, limits with
    // the next run, language at the next start.
    void applySettings(const LabSettings &settings);
    void saveNow(); // pending edits now (autosave is debounced)
    void saveAll(); // the code, the last lesson and the window layout (on close)

Q_SIGNALS:
    void lessonOpened(const QString &lessonId);
    void courseOpened(const QString &packId);
    void codeSaved(const QString &lessonId);
    void environmentReady(); // the doctor's report is in
    void programStarted(qint64 pid);
    void runFinished(const torchlab::SessionResult &result);

private:
    void setUpMonitoring();
    void applyPrometheus(const QString &address); // starts, moves or stops the exporter
    void showAdvice(const RunAdvice &advice);
    void connectWindow();
    void connectCourse();
    void connectSession();
    void showLesson();
    void showLessonState();
    void requestRun(RunMode mode);
    void editorTexts(QMap<QString, QString> *files, QStringList *order) const;
    CheckRequest checkRequest() const;
    void buildWhileTyping(); // the text changed: LabSession::codeEdited
    void onBackgroundBuilt(const CompileResult &result);
    void onStateChanged(LabSession::State state);
    void onCompiled(const CompileResult &result);
    void onFinished(const SessionResult &result);
    void onEnvironmentReport();
    void showStarterNotice();
    void acknowledgeStarterChanges();
    void showStatus(const QString &message, int ms = 8000);
    void updateActions();
    void clearRunViews();

    MainWindow *m_window = nullptr;
    LabSettings m_settings;
    Options m_options;
    CourseSession *m_course = nullptr;
    LabSession *m_session = nullptr;
    RunArchiver *m_archiver = nullptr;
    TargetController *m_targets = nullptr;
    std::shared_ptr<GpuHealthReader> m_gpuHealth;
    RunWatch *m_runWatch = nullptr;
    PrometheusExporter *m_exporter = nullptr;
    bool m_reloadPending = false;
    bool m_loadingText = false;     // setText() of a lesson opening: not an edit
    bool m_firstOutputShown = true; // this run's first stdout is on screen (TORCHLAB_TRACE)
    QPointer<DoctorDialog> m_doctor;
};

} // namespace torchlab
