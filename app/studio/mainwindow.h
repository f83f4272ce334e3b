#pragma once

#include "core/util/labsettings.h"

#include <QElapsedTimer>
#include <QFont>
#include <QHash>
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

// The lab window's layout and nothing else. Two arrangements of the same panels:
//  - wide: navigator on the left; in the centre the lesson text beside the
//    editor tabs, above the Output / Problems / Checks tabs; loss and memory
//    plots on the right;
//  - compact (small windows, projectors): the editor beside one tab panel that
//    holds the lesson text, Output, Problems, Checks and the plots.
// Automatic picks compact when the window is smaller than WideMinimum. Every
// panel can be hidden and shown again (View menu, Ctrl+1 .. Ctrl+4); focus
// mode (F11) leaves the editor and the output; presenter mode (Ctrl+Shift+P)
// makes every text and plot large enough for the back of a room. All of it is
// remembered with the splitters. Actions, menus, toolbar and status bar live
// here; what they do is StudioController's business.
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
        QAction *classStatus = nullptr; // Course → Class…: server-graded Checks (instructors)
        QAction *zoomIn = nullptr;
        QAction *zoomOut = nullptr;
        QAction *exportRun = nullptr; // File → Export Run for Archiving…
        QAction *quit = nullptr;
        // View: one checkable action per panel, then the modes.
        QAction *showLessons = nullptr;    // Ctrl+1: the lesson list
        QAction *showLessonText = nullptr; // Ctrl+2
        QAction *showOutput = nullptr;     // Ctrl+3: Output, Problems, Checks
        QAction *showPlots = nullptr;      // Ctrl+4
        QAction *focusMode = nullptr;      // F11
        QAction *presenterMode = nullptr;  // Ctrl+Shift+P
        QAction *layoutAutomatic = nullptr;
        QAction *layoutWide = nullptr;
        QAction *layoutCompact = nullptr;
    };
    enum class BottomTab
    {
        Output,
        Problems,
        Checks
    };
    enum class Panel
    {
        Lessons,    // the navigator
        LessonText, // the lesson's markdown
        Output,     // Output, Problems and Checks
        Plots       // loss and memory
    };
    enum class Arrangement
    {
        Automatic, // compact below WideMinimum, wide above
        Wide,
        Compact
    };
    // Below this window size Automatic arranges the panels compactly.
    static constexpr int WideMinimumWidth = 1440;
    static constexpr int WideMinimumHeight = 820;

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
    // Advice while a run goes on (NaN loss, GPU memory nearly full, ...), under the notice bar.
    NoticeBar *adviceBar() const { return m_adviceBar; }
    QTabWidget *bottomTabs() const { return m_bottomTabs; }

    // Replaces the editor tabs with one empty editor per file name, in order.
    QList<CodeEditor *> setEditorFiles(const QStringList &fileNames);
    QList<CodeEditor *> editors() const { return m_editors; }
    CodeEditor *editor(const QString &fileName) const; // nullptr when no tab shows it
    CodeEditor *currentEditor() const;
    // Shows the tab of `fileName` (when there is one) and puts the cursor there.
    bool goToLocation(const QString &fileName, int line, int column);

    // Brings the tab forward (in compact, in the shared tab panel).
    void showBottomTab(BottomTab tab);
    BottomTab currentBottomTab() const;
    // A lesson was opened: in compact, its text comes forward.
    void showLessonText();

    // Panels, modes and arrangement; each also through its View action.
    void setPanelVisible(Panel panel, bool visible); // leaves focus mode
    bool isPanelVisible(Panel panel) const;          // as laid out now (focus mode included)
    bool isPanelInFront(Panel panel) const;          // compact: its tab is the current one
    void setFocusMode(bool on);
    bool focusMode() const { return m_focus; }
    void setPresenterMode(bool on);
    bool presenterMode() const { return m_presenter; }
    void setArrangement(Arrangement arrangement);
    Arrangement arrangement() const { return m_arrangement; }
    bool isCompact() const { return m_compactNow; }          // the arrangement in effect
    QTabWidget *compactTabs() const { return m_bottomTabs; } // also the bottom tabs in wide
    void setProblemCounts(int errors, int warnings);         // the Problems tab's title

    // The lesson's title; the application's name is added once, by Qt, from
    // QGuiApplication::applicationDisplayName() when one is set.
    void setLessonTitle(const QString &title);
    void setProfileText(const QString &text, const QString &toolTip = QString());
    // Where runs happen, always shown: "Runs on this computer", "Runs on gpu.example.edu".
    void setTargetText(const QString &text, const QString &toolTip = QString());
    QString targetText() const;
    QString profileText() const;
    // The run state in the status bar; `running` shows the elapsed time,
    // updated every 100 ms, until a call with running = false freezes it.
    void setRunState(const QString &text, bool running);
    QString runStateText() const;
    // A new lesson: the state text, and no time left over from the last run.
    void clearRunState(const QString &text);
    QString elapsedText() const;
    qint64 elapsedMs() const;

    void setEditorFontSize(int points);
    void setDarkTheme(bool dark);
    void zoomIn();
    void zoomOut();

    // Geometry, toolbar state, every splitter of both arrangements, hidden
    // panels and the modes; restore before show().
    void restoreLayout(const LabSettings &settings);
    void saveLayout(LabSettings &settings) const;

Q_SIGNALS:
    // The window is about to close: save what must not be lost.
    void closing();

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void createViewActions();
    QList<QSplitter *> splitters() const;
    void updateElapsed();
    void applyDefaultSplitterSizes(); // first start: proportions of the real window
    bool wantsCompact() const;        // for the arrangement chosen and the window's size
    void arrange();                   // puts the panels where the arrangement wants them
    void applyPanels();               // shows and hides panels (and compact tabs)
    void syncViewActions();
    void applyFonts(); // the editor size, zoom and presenter mode, everywhere
    QWidget *widgetFor(BottomTab tab) const;
    int probeEditorWidth() const; // 80 columns at the editor's font, before any editor exists

    static constexpr int CompactKey = 100;        // m_panelShown: compact's choices
    static constexpr double PresenterScale = 1.5; // window text in presenter mode
    static constexpr int PresenterZoom = 7;       // points added to code in presenter mode

    Actions m_actions;
    NoticeBar *m_noticeBar = nullptr;
    NoticeBar *m_adviceBar = nullptr;
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
    QWidget *m_editorPane = nullptr; // notice bar above the editor tabs
    QSplitter *m_outer = nullptr;    // navigator | centre | plots (wide); navigator | compact
    QSplitter *m_centre = nullptr;   // work area above the bottom tabs (wide)
    QSplitter *m_work = nullptr;     // lesson text | editor (wide)
    QSplitter *m_plots = nullptr;    // loss above memory
    QSplitter *m_compact = nullptr;  // editor | tabs (compact)
    QWidget *m_spare = nullptr;      // holds the splitter the arrangement does not use
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
    bool m_layoutRestored = false;       // splitters restored from settings, or defaults applied
    bool m_arranged = false;             // arrange() has put the panels in place
    bool m_needsDefaults = false;        // no saved sizes for this arrangement: defaults when shown
    QHash<QString, QByteArray> m_states; // splitter states by arrangement ("wide.outer", …)
    QHash<int, bool> m_panelShown;       // by Panel; the learner's choice (focus mode aside)
    bool m_focus = false;
    bool m_presenter = false;
    Arrangement m_arrangement = Arrangement::Automatic;
    bool m_compactNow = false;
    QFont m_baseFont; // the window's font outside presenter mode
};

} // namespace torchlab
