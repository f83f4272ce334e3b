#pragma once

#include "core/util/labsettings.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

class QAction;
class QLabel;
class QSplitter;
class QTabWidget;

namespace torchlab {

class ChecksView;
class CodeEditor;
class LessonNavigator;
class LessonView;
class LossPlot;
class MemoryPlot;
class NoticeBar;
class OutputConsole;
class ProblemsView;
class WarmupBar;

// The lab window's layout and nothing else: navigator on the left; in the
// centre the lesson text beside the editor tabs, above the Output / Problems /
// Checks tabs; loss and memory plots on the right. Actions, menus, toolbar and
// status bar live here; what they do is StudioController's business.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Actions
    {
        QAction *run = nullptr;            // Ctrl+R
        QAction *check = nullptr;          // Ctrl+Return
        QAction *stop = nullptr;           // Esc, Ctrl+.
        QAction *nextLesson = nullptr;     // Alt+Down, Ctrl+PgDown
        QAction *previousLesson = nullptr; // Alt+Up, Ctrl+PgUp
        QAction *reset = nullptr;          // reset to starter (undoable)
        QAction *compare = nullptr;        // compare with the solution
        QAction *environment = nullptr;
        QAction *settings = nullptr;
        QAction *packs = nullptr;          // Course → Packs…
        QAction *checkUpdates = nullptr;   // read every subscribed feed now
        QAction *removedLessons = nullptr; // the learner's code from lessons an update removed
        QAction *zoomIn = nullptr;
        QAction *zoomOut = nullptr;
        QAction *quit = nullptr;
    };
    enum class BottomTab
    {
        Output,
        Problems,
        Checks
    };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    const Actions &actions() const { return m_actions; }
    LessonNavigator *navigator() const { return m_navigator; }
    LessonView *lessonView() const { return m_lessonView; }
    QTabWidget *editorTabs() const { return m_editorTabs; }
    OutputConsole *console() const { return m_console; }
    ProblemsView *problems() const { return m_problems; }
    ChecksView *checks() const { return m_checks; }
    LossPlot *lossPlot() const { return m_lossPlot; }
    MemoryPlot *memoryPlot() const { return m_memoryPlot; }
    WarmupBar *warmupBar() const { return m_warmupBar; }
    NoticeBar *noticeBar() const { return m_noticeBar; } // above the editor tabs
    QTabWidget *bottomTabs() const { return m_bottomTabs; }

    // Replaces the editor tabs with one empty editor per file name, in order.
    QList<CodeEditor *> setEditorFiles(const QStringList &fileNames);
    QList<CodeEditor *> editors() const { return m_editors; }
    CodeEditor *editor(const QString &fileName) const; // nullptr when no tab shows it
    CodeEditor *currentEditor() const;
    // Shows the tab of `fileName` (when there is one) and puts the cursor there.
    bool goToLocation(const QString &fileName, int line, int column);

    void showBottomTab(BottomTab tab);
    BottomTab currentBottomTab() const;
    void setProblemCounts(int errors, int warnings); // the Problems tab's title

    void setLessonTitle(const QString &title); // "TorchLab — <title>"
    void setProfileText(const QString &text, const QString &toolTip = QString());
    // Where runs happen, always shown: "Runs on this computer", "Runs on gpu.example.edu".
    void setTargetText(const QString &text, const QString &toolTip = QString());
    QString targetText() const;
    QString profileText() const;
    // The run state in the status bar; `running` shows the elapsed time,
    // updated every 100 ms, until a call with running = false freezes it.
    void setRunState(const QString &text, bool running);
    QString runStateText() const;
    qint64 elapsedMs() const;

    void setEditorFontSize(int points);
    void setDarkTheme(bool dark);
    void zoomIn();
    void zoomOut();

    // Geometry, toolbar state and every splitter; restore before show().
    void restoreLayout(const LabSettings &settings);
    void saveLayout(LabSettings &settings) const;

Q_SIGNALS:
    // The window is about to close: save what must not be lost.
    void closing();

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    QList<QSplitter *> splitters() const;
    void updateElapsed();
    void applyDefaultSplitterSizes(); // first start: proportions of the real window

    Actions m_actions;
    NoticeBar *m_noticeBar = nullptr;
    LessonNavigator *m_navigator = nullptr;
    LessonView *m_lessonView = nullptr;
    QTabWidget *m_editorTabs = nullptr;
    QList<CodeEditor *> m_editors;
    QTabWidget *m_bottomTabs = nullptr;
    OutputConsole *m_console = nullptr;
    ProblemsView *m_problems = nullptr;
    ChecksView *m_checks = nullptr;
    LossPlot *m_lossPlot = nullptr;
    MemoryPlot *m_memoryPlot = nullptr;
    QSplitter *m_outer = nullptr;  // navigator | centre | plots
    QSplitter *m_centre = nullptr; // work area above the bottom tabs
    QSplitter *m_work = nullptr;   // lesson text | editor
    QSplitter *m_plots = nullptr;  // loss above memory
    QLabel *m_runState = nullptr;
    QLabel *m_elapsed = nullptr;
    QLabel *m_profile = nullptr;
    QLabel *m_target = nullptr;
    WarmupBar *m_warmupBar = nullptr;
    QTimer m_elapsedTimer;
    QElapsedTimer m_clock;
    bool m_running = false;
    int m_fontSize = 11;
    bool m_dark = false;
    int m_zoom = 0;
    bool m_layoutRestored = false; // splitters restored from settings, or defaults applied
};

} // namespace torchlab
