#include "studio/mainwindow.h"

#include "studio/classwindow.h"
#include "widgets/console/outputconsole.h"
#include "widgets/console/warmupbar.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/editor/codeeditor.h"
#include "widgets/editor/lessonview.h"
#include "widgets/editor/noticebar.h"
#include "widgets/editor/problemsview.h"
#include "widgets/plots/lossplot.h"
#include "widgets/plots/memoryplot.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDataStream>
#include <QKeyEvent>
#include <QLabel>
#include <QMenuBar>
#include <QResizeEvent>
#include <QShowEvent>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace torchlab {

namespace {

constexpr quint32 SplitterStateMagic = 0x544c5331; // "TLS1": the wide splitters only
constexpr quint32 LayoutStateMagic = 0x544c5332;   // "TLS2": arrangement, panels, modes, splitters

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/torchlab.png")));
    setWindowTitle(tr("TorchLab"));

    m_navigator = new LessonNavigator;
    m_lessonView = new LessonView;
    m_editorTabs = new QTabWidget;
    m_editorTabs->setDocumentMode(true);
    m_console = new OutputConsole;
    m_problems = new ProblemsView;
    m_checks = new ChecksView;
    m_lossPlot = new LossPlot;
    m_memoryPlot = new MemoryPlot;

    m_bottomTabs = new QTabWidget;
    m_bottomTabs->setDocumentMode(true);
    m_bottomTabs->addTab(m_console, tr("Output"));
    m_bottomTabs->addTab(m_problems, tr("Problems"));
    m_bottomTabs->addTab(m_checks, tr("Checks"));

    // The notice bar sits on top of the editor tabs, inside the same pane.
    m_noticeBar = new NoticeBar;
    m_adviceBar = new NoticeBar;
    m_adviceBar->setObjectName(QStringLiteral("adviceBar"));
    m_editorPane = new QWidget;
    auto *editorLayout = new QVBoxLayout(m_editorPane);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(0);
    editorLayout->addWidget(m_noticeBar);
    editorLayout->addWidget(m_adviceBar);
    editorLayout->addWidget(m_editorTabs, 1);

    m_work = new QSplitter(Qt::Horizontal);
    m_work->addWidget(m_lessonView);
    m_work->addWidget(m_editorPane);
    m_work->setStretchFactor(0, 2);
    m_work->setStretchFactor(1, 3);

    m_centre = new QSplitter(Qt::Vertical);
    m_centre->addWidget(m_work);
    m_centre->addWidget(m_bottomTabs);
    m_centre->setStretchFactor(0, 3);
    m_centre->setStretchFactor(1, 1);

    m_plots = new QSplitter(Qt::Vertical);
    m_plots->addWidget(m_lossPlot);
    m_plots->addWidget(m_memoryPlot);

    m_outer = new QSplitter(Qt::Horizontal);
    m_outer->addWidget(m_navigator);
    m_outer->addWidget(m_centre);
    m_outer->addWidget(m_plots);
    m_outer->setStretchFactor(0, 0);
    m_outer->setStretchFactor(1, 1);
    m_outer->setStretchFactor(2, 0);

    m_compact = new QSplitter(Qt::Horizontal);
    m_compact->setObjectName(QStringLiteral("compactSplitter"));
    m_spare = new QWidget(this);
    m_spare->hide();
    m_compact->setParent(m_spare);

    // Splitters shrink a panel to a useful minimum, never to nothing (the View
    // menu hides panels); these minimums, not the widgets' own size hints,
    // decide how far a handle can be dragged.
    for (QSplitter *splitter : splitters())
        splitter->setChildrenCollapsible(false);
    m_navigator->setMinimumWidth(150);
    m_lessonView->setMinimumWidth(180);
    m_editorPane->setMinimumWidth(260);
    m_editorPane->setMinimumHeight(120);
    m_bottomTabs->setMinimumHeight(m_bottomTabs->tabBar()->sizeHint().height() + 48);
    m_bottomTabs->setMinimumWidth(220);
    m_plots->setMinimumWidth(200);
    m_lossPlot->setMinimumHeight(120);
    m_memoryPlot->setMinimumHeight(120);
    setCentralWidget(m_outer);

    for (Panel panel : {Panel::Lessons, Panel::LessonText, Panel::Output, Panel::Plots}) {
        m_panelShown.insert(int(panel), true);
        m_panelShown.insert(CompactKey + int(panel), panel != Panel::Lessons);
    }
    m_baseFont = font();

    createActions();
    createViewActions();
    createMenus();
    createToolBar();
    createStatusBar();

    connect(m_problems, &ProblemsView::countsChanged, this, &MainWindow::setProblemCounts);
    m_elapsedTimer.setInterval(100);
    connect(&m_elapsedTimer, &QTimer::timeout, this, &MainWindow::updateElapsed);
    resize(1600, 1000);
    arrange();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto make = [this](const QString &text, QStyle::StandardPixmap icon,
                       const QList<QKeySequence> &keys, const QString &tip) {
        auto *action = new QAction(style()->standardIcon(icon), text, this);
        action->setShortcuts(keys);
        QString shown = tip;
        if (!keys.isEmpty())
            shown += QStringLiteral(" (%1)").arg(keys.first().toString(QKeySequence::NativeText));
        action->setToolTip(shown);
        action->setStatusTip(tip);
        addAction(action); // shortcuts work wherever the focus is in the window
        return action;
    };
    m_actions.run = make(tr("&Run"), QStyle::SP_MediaPlay, {QKeySequence(Qt::CTRL | Qt::Key_R)},
                         tr("Compile and run your program"));
    m_actions.check =
        make(tr("&Check"), QStyle::SP_DialogApplyButton,
             {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)},
             tr("Run the lesson's checks on your program"));
    m_actions.stop = make(tr("&Stop"), QStyle::SP_MediaStop,
                          {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)},
                          tr("Stop the running program"));
    m_actions.stop->setEnabled(false);
    m_actions.nextLesson =
        make(tr("&Next Lesson"), QStyle::SP_ArrowDown,
             {QKeySequence(Qt::ALT | Qt::Key_Down), QKeySequence(Qt::CTRL | Qt::Key_PageDown)},
             tr("Open the next lesson"));
    m_actions.previousLesson =
        make(tr("&Previous Lesson"), QStyle::SP_ArrowUp,
             {QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::CTRL | Qt::Key_PageUp)},
             tr("Open the previous lesson"));
    m_actions.reset =
        make(tr("&Reset to Starter"), QStyle::SP_BrowserReload, {},
             tr("Replace your code with the lesson's starter code (Undo brings it back)"));
    m_actions.compare = make(tr("&Compare with Solution…"), QStyle::SP_FileDialogContentsView, {},
                             tr("Show the differences between your code and the solution"));
    m_actions.compare->setEnabled(false);
    m_actions.environment =
        make(tr("&Environment…"), QStyle::SP_ComputerIcon, {},
             tr("What TorchLab found on this machine: GPU, LibTorch, compilers"));
    m_actions.settings = make(tr("Se&ttings…"), QStyle::SP_FileDialogDetailedView,
                              {QKeySequence(Qt::CTRL | Qt::Key_Comma)},
                              tr("LibTorch, limits, theme, language, font"));
    m_actions.packs = make(tr("&Packs…"), QStyle::SP_DirIcon, {},
                           tr("Lesson packs: install from a file, subscribe to your "
                              "instructor's feed, update, remove"));
    m_actions.checkUpdates = make(tr("Check for Course &Updates"), QStyle::SP_BrowserReload, {},
                                  tr("Read every subscribed feed now and install what is new"));
    m_actions.removedLessons =
        make(tr("Code from &Removed Lessons…"), QStyle::SP_FileDialogListView, {},
             tr("Your code from lessons that a pack update removed"));
    m_actions.removedLessons->setEnabled(false);
    m_actions.classStatus =
        make(tr("C&lass…"), QStyle::SP_FileDialogDetailedView, {},
             tr("For instructors: your students' Checks of server-graded lessons"));
    connect(m_actions.classStatus, &QAction::triggered, this, [this] {
        auto *window = findChild<ClassWindow *>();
        if (!window) {
            window = new ClassWindow(this);
            window->setAttribute(Qt::WA_DeleteOnClose);
        }
        window->show();
        window->raise();
    });
    m_actions.exportRun =
        make(tr("&Export Run for Archiving…"), QStyle::SP_DialogSaveButton, {},
             tr("Save the last finished run with its code, environment, seed, metrics and plots "
                "as one archive to cite"));
    m_actions.exportRun->setEnabled(false);
    m_actions.exportRun->setToolTip(tr("Run or Check first: this exports a finished run"));
    m_actions.zoomIn = make(tr("Zoom &In"), QStyle::SP_CustomBase, {QKeySequence::ZoomIn},
                            tr("Larger text in the editor and the lesson"));
    m_actions.zoomOut = make(tr("Zoom &Out"), QStyle::SP_CustomBase, {QKeySequence::ZoomOut},
                             tr("Smaller text in the editor and the lesson"));
    m_actions.quit = make(tr("&Quit"), QStyle::SP_DialogCloseButton, {QKeySequence::Quit},
                          tr("Close TorchLab (your code is saved)"));
    m_actions.zoomIn->setIcon(QIcon());
    m_actions.zoomOut->setIcon(QIcon());
    connect(m_actions.zoomIn, &QAction::triggered, this, &MainWindow::zoomIn);
    connect(m_actions.zoomOut, &QAction::triggered, this, &MainWindow::zoomOut);
    connect(m_actions.quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_actions.exportRun);
    file->addSeparator();
    file->addAction(m_actions.settings);
    file->addSeparator();
    file->addAction(m_actions.quit);

    QMenu *lesson = menuBar()->addMenu(tr("&Lesson"));
    lesson->addAction(m_actions.previousLesson);
    lesson->addAction(m_actions.nextLesson);
    lesson->addSeparator();
    lesson->addAction(m_actions.reset);
    lesson->addAction(m_actions.compare);

    QMenu *course = menuBar()->addMenu(tr("&Course"));
    course->addAction(m_actions.packs);
    course->addAction(m_actions.checkUpdates);
    course->addSeparator();
    course->addAction(m_actions.removedLessons);
    course->addSeparator();
    course->addAction(m_actions.classStatus);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_actions.run);
    run->addAction(m_actions.check);
    run->addAction(m_actions.stop);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_actions.showLessons);
    view->addAction(m_actions.showLessonText);
    view->addAction(m_actions.showOutput);
    view->addAction(m_actions.showPlots);
    view->addSeparator();
    view->addAction(m_actions.focusMode);
    view->addAction(m_actions.presenterMode);
    QMenu *arrangement = view->addMenu(tr("&Layout"));
    arrangement->addAction(m_actions.layoutAutomatic);
    arrangement->addAction(m_actions.layoutWide);
    arrangement->addAction(m_actions.layoutCompact);
    view->addSeparator();
    view->addAction(m_actions.zoomIn);
    view->addAction(m_actions.zoomOut);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_actions.environment);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Lab"));
    bar->setObjectName(QStringLiteral("labToolBar")); // saveState() needs a name
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(m_actions.run);
    bar->addAction(m_actions.check);
    bar->addAction(m_actions.stop);
    bar->addSeparator();
    bar->addAction(m_actions.previousLesson);
    bar->addAction(m_actions.nextLesson);
    bar->addSeparator();
    bar->addAction(m_actions.reset);
    bar->addAction(m_actions.compare);
    bar->addSeparator();
    bar->addAction(m_actions.environment);
}

void MainWindow::createStatusBar()
{
    m_runState = new QLabel(tr("Ready"));
    m_elapsed = new QLabel;
    m_elapsed->setMinimumWidth(
        m_elapsed->fontMetrics().horizontalAdvance(QStringLiteral("00:00.0 ")));
    m_warmupBar = new WarmupBar;
    m_warmupBar->hide();
    m_profile = new QLabel;
    m_target = new QLabel(tr("Runs on this computer"));
    statusBar()->addWidget(m_runState);
    statusBar()->addWidget(m_elapsed);
    statusBar()->addPermanentWidget(m_warmupBar);
    statusBar()->addPermanentWidget(m_target);
    statusBar()->addPermanentWidget(m_profile);
}

void MainWindow::createViewActions()
{
    auto toggle = [this](const QString &text, const QKeySequence &key, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setCheckable(true);
        action->setShortcut(key);
        action->setToolTip(
            QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        addAction(action);
        return action;
    };
    m_actions.showLessons = toggle(tr("&Lesson List"), QKeySequence(Qt::CTRL | Qt::Key_1),
                                   tr("Show or hide the list of lessons"));
    m_actions.showLessonText = toggle(tr("Lesson &Text"), QKeySequence(Qt::CTRL | Qt::Key_2),
                                      tr("Show or hide the lesson's text"));
    m_actions.showOutput =
        toggle(tr("&Output, Problems and Checks"), QKeySequence(Qt::CTRL | Qt::Key_3),
               tr("Show or hide the Output, Problems and Checks panel"));
    m_actions.showPlots = toggle(tr("&Plots"), QKeySequence(Qt::CTRL | Qt::Key_4),
                                 tr("Show or hide the loss and memory plots"));
    m_actions.focusMode = toggle(tr("&Focus on the Code"), QKeySequence(Qt::Key_F11),
                                 tr("Only the editor and the output; again to bring the "
                                    "other panels back"));
    m_actions.presenterMode =
        toggle(tr("P&resenter Mode"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
               tr("Large text and plots for a projector"));
    const QList<QPair<QAction *, Panel>> panels = {{m_actions.showLessons, Panel::Lessons},
                                                   {m_actions.showLessonText, Panel::LessonText},
                                                   {m_actions.showOutput, Panel::Output},
                                                   {m_actions.showPlots, Panel::Plots}};
    for (const auto &[action, panel] : panels) {
        connect(action, &QAction::triggered, this, [this, panel = panel](bool on) {
            // In the compact tabs a panel that is there but behind another
            // tab comes forward; only a panel already in front is hidden.
            if (!on && m_compactNow && isPanelVisible(panel) && !isPanelInFront(panel)) {
                setPanelVisible(panel, true);
                return;
            }
            setPanelVisible(panel, on);
        });
    }
    connect(m_actions.focusMode, &QAction::triggered, this, &MainWindow::setFocusMode);
    connect(m_actions.presenterMode, &QAction::triggered, this, &MainWindow::setPresenterMode);

    auto *group = new QActionGroup(this);
    auto choice = [this, group](const QString &text, const QString &tip, Arrangement which) {
        auto *action = new QAction(text, group);
        action->setCheckable(true);
        action->setStatusTip(tip);
        action->setToolTip(tip);
        connect(action, &QAction::triggered, this, [this, which] { setArrangement(which); });
        return action;
    };
    m_actions.layoutAutomatic =
        choice(tr("&Automatic"), tr("Wide on a large window, compact on a small one"),
               Arrangement::Automatic);
    m_actions.layoutWide = choice(tr("&Wide"),
                                  tr("Lesson list, lesson text beside the editor, output below, "
                                     "plots on the right"),
                                  Arrangement::Wide);
    m_actions.layoutCompact = choice(
        tr("&Compact"),
        tr("The editor beside one panel with the lesson text, output, checks and plots as tabs"),
        Arrangement::Compact);
    syncViewActions();
}

QList<QSplitter *> MainWindow::splitters() const
{
    return {m_outer, m_centre, m_work, m_plots, m_compact};
}

QWidget *MainWindow::widgetFor(BottomTab tab) const
{
    switch (tab) {
    case BottomTab::Output:
        return m_console;
    case BottomTab::Problems:
        return m_problems;
    case BottomTab::Checks:
        return m_checks;
    }
    return m_console;
}

bool MainWindow::wantsCompact() const
{
    switch (m_arrangement) {
    case Arrangement::Wide:
        return false;
    case Arrangement::Compact:
        return true;
    case Arrangement::Automatic:
        break;
    }
    return width() < WideMinimumWidth || height() < WideMinimumHeight;
}

void MainWindow::arrange()
{
    const bool compact = wantsCompact();
    if (compact == m_compactNow && m_arranged) {
        applyPanels();
        return;
    }
    // Remember the sizes of the arrangement being left.
    if (m_arranged) {
        if (m_compactNow) {
            m_states.insert(QStringLiteral("compact.outer"), m_outer->saveState());
            m_states.insert(QStringLiteral("compact"), m_compact->saveState());
        } else {
            m_states.insert(QStringLiteral("wide.outer"), m_outer->saveState());
            m_states.insert(QStringLiteral("wide.centre"), m_centre->saveState());
            m_states.insert(QStringLiteral("wide.work"), m_work->saveState());
        }
        m_states.insert(QStringLiteral("plots"), m_plots->saveState());
    }
    QWidget *focused = QApplication::focusWidget();
    setUpdatesEnabled(false);
    const QString lessonTab = tr("Lesson");
    const QString plotsTab = tr("Plots");
    if (compact) {
        // navigator | editor | tabs: Lesson, Output, Problems, Checks, Plots.
        m_compact->insertWidget(0, m_editorPane);
        m_compact->insertWidget(1, m_bottomTabs);
        m_bottomTabs->insertTab(0, m_lessonView, lessonTab);
        m_bottomTabs->addTab(m_plots, plotsTab);
        m_centre->setParent(m_spare);
        m_outer->insertWidget(1, m_compact);
        m_compact->setStretchFactor(0, 1);
        m_compact->setStretchFactor(1, 0);
        // Nothing has run yet: the lesson's text is what the tabs show first.
        if (m_bottomTabs->currentWidget() == m_console && m_console->document()->isEmpty())
            m_bottomTabs->setCurrentWidget(m_lessonView);
    } else {
        const int lesson = m_bottomTabs->indexOf(m_lessonView);
        if (lesson >= 0)
            m_bottomTabs->removeTab(lesson);
        const int plots = m_bottomTabs->indexOf(m_plots);
        if (plots >= 0)
            m_bottomTabs->removeTab(plots);
        m_work->insertWidget(0, m_lessonView);
        m_work->insertWidget(1, m_editorPane);
        m_centre->insertWidget(0, m_work);
        m_centre->insertWidget(1, m_bottomTabs);
        m_compact->setParent(m_spare);
        m_outer->insertWidget(1, m_centre);
        m_outer->insertWidget(2, m_plots);
        m_lessonView->show();
        m_plots->show();
    }
    m_compactNow = compact;
    m_arranged = true;
    applyPanels();

    const QByteArray plots = m_states.value(QStringLiteral("plots"));
    bool restored = false;
    if (compact) {
        const QByteArray outer = m_states.value(QStringLiteral("compact.outer"));
        const QByteArray split = m_states.value(QStringLiteral("compact"));
        restored = !outer.isEmpty() && m_outer->restoreState(outer) && !split.isEmpty() &&
                   m_compact->restoreState(split);
    } else {
        const QByteArray outer = m_states.value(QStringLiteral("wide.outer"));
        const QByteArray centre = m_states.value(QStringLiteral("wide.centre"));
        const QByteArray work = m_states.value(QStringLiteral("wide.work"));
        restored = !outer.isEmpty() && m_outer->restoreState(outer) && !centre.isEmpty() &&
                   m_centre->restoreState(centre) && !work.isEmpty() && m_work->restoreState(work);
    }
    if (!plots.isEmpty())
        m_plots->restoreState(plots);
    // Hidden panels keep their place in a splitter's state; show them again
    // as this arrangement's choices say.
    applyPanels();
    if (!restored && isVisible())
        applyDefaultSplitterSizes();
    m_needsDefaults = !restored && !isVisible();
    setUpdatesEnabled(true);
    if (focused && focused->isVisible())
        focused->setFocus();
    syncViewActions();
}

void MainWindow::applyPanels()
{
    auto shown = [this](Panel panel) { return isPanelVisible(panel); };
    m_navigator->setVisible(shown(Panel::Lessons));
    if (m_compactNow) {
        m_bottomTabs->setTabVisible(m_bottomTabs->indexOf(m_lessonView), shown(Panel::LessonText));
        for (QWidget *tab : {static_cast<QWidget *>(m_console), static_cast<QWidget *>(m_problems),
                             static_cast<QWidget *>(m_checks)})
            m_bottomTabs->setTabVisible(m_bottomTabs->indexOf(tab), shown(Panel::Output));
        m_bottomTabs->setTabVisible(m_bottomTabs->indexOf(m_plots), shown(Panel::Plots));
        m_bottomTabs->setVisible(shown(Panel::LessonText) || shown(Panel::Output) ||
                                 shown(Panel::Plots));
    } else {
        for (int i = 0; i < m_bottomTabs->count(); ++i)
            m_bottomTabs->setTabVisible(i, true);
        m_lessonView->setVisible(shown(Panel::LessonText));
        m_bottomTabs->setVisible(shown(Panel::Output));
        m_plots->setVisible(shown(Panel::Plots));
    }
    syncViewActions();
}

bool MainWindow::isPanelVisible(Panel panel) const
{
    if (m_focus && panel != Panel::Output)
        return false;
    if (m_focus)
        return true;
    return m_panelShown.value((m_compactNow ? CompactKey : 0) + int(panel), true);
}

void MainWindow::setPanelVisible(Panel panel, bool visible)
{
    if (m_focus) {
        // Choosing a panel ends focus mode: what was shown before comes back,
        // with this panel as asked.
        m_focus = false;
    }
    m_panelShown.insert((m_compactNow ? CompactKey : 0) + int(panel), visible);
    applyPanels();
    if (visible && m_compactNow) {
        if (panel == Panel::LessonText)
            m_bottomTabs->setCurrentWidget(m_lessonView);
        else if (panel == Panel::Plots)
            m_bottomTabs->setCurrentWidget(m_plots);
        else if (panel == Panel::Output)
            m_bottomTabs->setCurrentWidget(m_console);
    }
}

bool MainWindow::isPanelInFront(Panel panel) const
{
    QWidget *current = m_bottomTabs->currentWidget();
    switch (panel) {
    case Panel::Lessons:
        return true;
    case Panel::LessonText:
        return current == m_lessonView;
    case Panel::Output:
        return current == m_console || current == m_problems || current == m_checks;
    case Panel::Plots:
        return current == m_plots;
    }
    return true;
}

void MainWindow::setFocusMode(bool on)
{
    m_focus = on;
    applyPanels();
    if (on && m_compactNow)
        m_bottomTabs->setCurrentWidget(m_console);
    if (on) {
        if (CodeEditor *editor = currentEditor())
            editor->setFocus();
    }
}

void MainWindow::setPresenterMode(bool on)
{
    if (m_presenter == on)
        return;
    m_presenter = on;
    applyFonts();
    syncViewActions();
}

void MainWindow::setArrangement(Arrangement arrangement)
{
    m_arrangement = arrangement;
    arrange();
}

void MainWindow::syncViewActions()
{
    if (!m_actions.showLessons)
        return;
    const QList<QPair<QAction *, Panel>> panels = {{m_actions.showLessons, Panel::Lessons},
                                                   {m_actions.showLessonText, Panel::LessonText},
                                                   {m_actions.showOutput, Panel::Output},
                                                   {m_actions.showPlots, Panel::Plots}};
    for (const auto &[action, panel] : panels)
        action->setChecked(isPanelVisible(panel));
    m_actions.focusMode->setChecked(m_focus);
    m_actions.presenterMode->setChecked(m_presenter);
    m_actions.layoutAutomatic->setChecked(m_arrangement == Arrangement::Automatic);
    m_actions.layoutWide->setChecked(m_arrangement == Arrangement::Wide);
    m_actions.layoutCompact->setChecked(m_arrangement == Arrangement::Compact);
}

void MainWindow::applyFonts()
{
    // Presenter mode: every text half again as large (the window's font is
    // inherited by every panel, menu bar, toolbar and status bar), the code
    // and the output larger still, the plots with large labels and thick lines.
    QFont windowFont = m_baseFont;
    if (m_presenter)
        windowFont.setPointSizeF(m_baseFont.pointSizeF() * PresenterScale);
    setFont(windowFont);
    const int editorZoom = m_zoom + (m_presenter ? PresenterZoom : 0);
    for (CodeEditor *editor : m_editors)
        editor->zoomTo(editorZoom);
    QFont lessonFont = windowFont;
    lessonFont.setPointSizeF(qMax(6.0, windowFont.pointSizeF() + m_zoom));
    m_lessonView->setFont(lessonFont);
    m_console->setFontScale(m_presenter ? PresenterScale : 1.0);
    m_lossPlot->setPresentation(m_presenter);
    m_memoryPlot->setPresentation(m_presenter);
}

QList<CodeEditor *> MainWindow::setEditorFiles(const QStringList &fileNames)
{
    // Old editors go at once: the controller must not see their signals again.
    const QList<CodeEditor *> old = m_editors;
    const bool hadFocus =
        std::any_of(old.cbegin(), old.cend(), [](CodeEditor *e) { return e->hasFocus(); });
    m_editors.clear();
    m_editorTabs->clear();
    qDeleteAll(old);
    for (const QString &name : fileNames) {
        auto *editor = new CodeEditor;
        editor->setFileName(name);
        editor->setFontPointSize(m_fontSize);
        editor->setDarkTheme(m_dark);
        if (const int zoom = m_zoom + (m_presenter ? PresenterZoom : 0); zoom != 0)
            editor->zoomTo(zoom);
        editor->installEventFilter(this);
        m_editorTabs->addTab(editor, name);
        m_editors << editor;
    }
    m_console->setLinkFiles(fileNames);
    m_checks->setLinkFiles(fileNames);
    // Typing goes on in the new lesson's editor when it went to the old one.
    if (hadFocus && !m_editors.isEmpty())
        m_editors.first()->setFocus();
    return m_editors;
}

CodeEditor *MainWindow::editor(const QString &fileName) const
{
    for (CodeEditor *editor : m_editors) {
        if (editor->fileName() == fileName)
            return editor;
    }
    return nullptr;
}

CodeEditor *MainWindow::currentEditor() const
{
    return qobject_cast<CodeEditor *>(m_editorTabs->currentWidget());
}

bool MainWindow::goToLocation(const QString &fileName, int line, int column)
{
    // Compilers may name the file with a folder ("work/exercise.cpp").
    CodeEditor *target = editor(fileName);
    if (!target) {
        const QString base = fileName.section(QLatin1Char('/'), -1);
        target = editor(base);
    }
    if (!target || line <= 0)
        return false;
    m_editorTabs->setCurrentWidget(target);
    target->goToLine(line, qMax(1, column));
    return true;
}

void MainWindow::showBottomTab(BottomTab tab)
{
    m_bottomTabs->setCurrentWidget(widgetFor(tab));
}

MainWindow::BottomTab MainWindow::currentBottomTab() const
{
    QWidget *current = m_bottomTabs->currentWidget();
    if (current == m_problems)
        return BottomTab::Problems;
    if (current == m_checks)
        return BottomTab::Checks;
    return BottomTab::Output;
}

void MainWindow::showLessonText()
{
    if (m_compactNow && isPanelVisible(Panel::LessonText))
        m_bottomTabs->setCurrentWidget(m_lessonView);
}

void MainWindow::setProblemCounts(int errors, int warnings)
{
    const int total = errors + warnings;
    QString text = tr("Problems");
    if (total > 0)
        text = m_problems->source() == ProblemsView::Source::Typing
                   ? tr("Problems (%1, while typing)").arg(total)
                   : tr("Problems (%1)").arg(total);
    m_bottomTabs->setTabText(m_bottomTabs->indexOf(m_problems), text);
}

void MainWindow::setLessonTitle(const QString &title)
{
    // Qt appends the application's display name ("… — TorchLab") itself.
    if (title.isEmpty())
        setWindowTitle(QGuiApplication::applicationDisplayName().isEmpty() ? tr("TorchLab")
                                                                           : QString());
    else
        setWindowTitle(title);
}

void MainWindow::setTargetText(const QString &text, const QString &toolTip)
{
    m_target->setText(text);
    m_target->setToolTip(toolTip);
}

QString MainWindow::targetText() const
{
    return m_target->text();
}

void MainWindow::setProfileText(const QString &text, const QString &toolTip)
{
    m_profile->setText(text);
    m_profile->setToolTip(toolTip);
}

QString MainWindow::profileText() const
{
    return m_profile->text();
}

void MainWindow::setRunState(const QString &text, bool running)
{
    m_runState->setText(text);
    if (running && !m_running)
        m_clock.start();
    m_running = running;
    if (running) {
        m_elapsedTimer.start();
        updateElapsed();
    } else {
        m_elapsedTimer.stop();
        if (m_clock.isValid())
            updateElapsed();
    }
}

void MainWindow::clearRunState(const QString &text)
{
    setRunState(text, false);
    m_clock.invalidate();
    m_elapsed->clear();
}

QString MainWindow::elapsedText() const
{
    return m_elapsed->text();
}

QString MainWindow::runStateText() const
{
    return m_runState->text();
}

qint64 MainWindow::elapsedMs() const
{
    return m_clock.isValid() ? m_clock.elapsed() : 0;
}

void MainWindow::updateElapsed()
{
    if (!m_running) {
        m_clock.invalidate();
        return;
    }
    const qint64 ms = m_clock.elapsed();
    const qint64 tenths = ms / 100;
    m_elapsed->setText(QStringLiteral("%1:%2.%3")
                           .arg(tenths / 600)
                           .arg((tenths / 10) % 60, 2, 10, QLatin1Char('0'))
                           .arg(tenths % 10));
}

void MainWindow::setEditorFontSize(int points)
{
    m_fontSize = points;
    for (CodeEditor *editor : m_editors)
        editor->setFontPointSize(points);
}

void MainWindow::setDarkTheme(bool dark)
{
    m_dark = dark;
    for (CodeEditor *editor : m_editors)
        editor->setDarkTheme(dark);
    m_lessonView->setDarkTheme(dark);
    m_console->setDarkTheme(dark);
    m_lossPlot->setDarkTheme(dark);
    m_memoryPlot->setDarkTheme(dark);
}

void MainWindow::zoomIn()
{
    ++m_zoom;
    applyFonts();
}

void MainWindow::zoomOut()
{
    --m_zoom;
    applyFonts();
}

void MainWindow::restoreLayout(const LabSettings &settings)
{
    if (!settings.windowGeometry.isEmpty())
        restoreGeometry(settings.windowGeometry);
    if (!settings.windowState.isEmpty())
        restoreState(settings.windowState);
    QDataStream in(settings.splitterState);
    quint32 magic = 0;
    in >> magic;
    if (magic == LayoutStateMagic) {
        qint32 arrangement = 0;
        bool focus = false;
        bool presenter = false;
        QHash<int, bool> panels;
        QHash<QString, QByteArray> states;
        in >> arrangement >> focus >> presenter >> panels >> states;
        if (in.status() == QDataStream::Ok && arrangement >= 0 && arrangement <= 2) {
            m_arrangement = Arrangement(arrangement);
            m_focus = focus;
            for (auto it = panels.cbegin(); it != panels.cend(); ++it) {
                if (m_panelShown.contains(it.key()))
                    m_panelShown.insert(it.key(), it.value());
            }
            m_states = states;
            m_arranged = false;
            arrange();
            m_layoutRestored = !m_needsDefaults;
            setPresenterMode(presenter);
            return;
        }
    } else if (magic == SplitterStateMagic) {
        // The wide arrangement's splitters, saved before there was a compact one.
        QStringList keys = {QStringLiteral("wide.outer"), QStringLiteral("wide.centre"),
                            QStringLiteral("wide.work"), QStringLiteral("plots")};
        for (const QString &key : keys) {
            QByteArray state;
            in >> state;
            if (in.status() != QDataStream::Ok)
                break;
            m_states.insert(key, state);
        }
    }
    m_arranged = false;
    arrange();
    m_layoutRestored = !m_needsDefaults;
}

void MainWindow::saveLayout(LabSettings &settings) const
{
    settings.windowGeometry = saveGeometry();
    settings.windowState = saveState();
    QHash<QString, QByteArray> states = m_states;
    if (m_compactNow) {
        states.insert(QStringLiteral("compact.outer"), m_outer->saveState());
        states.insert(QStringLiteral("compact"), m_compact->saveState());
    } else {
        states.insert(QStringLiteral("wide.outer"), m_outer->saveState());
        states.insert(QStringLiteral("wide.centre"), m_centre->saveState());
        states.insert(QStringLiteral("wide.work"), m_work->saveState());
    }
    states.insert(QStringLiteral("plots"), m_plots->saveState());
    QByteArray blob;
    QDataStream out(&blob, QIODevice::WriteOnly);
    out << LayoutStateMagic << qint32(m_arrangement) << m_focus << m_presenter << m_panelShown
        << states;
    settings.splitterState = blob;
}

void MainWindow::applyDefaultSplitterSizes()
{
    // In proportion to the real window: sizes set before the first layout are
    // rescaled by QSplitter and come out wrong.
    const int width = m_outer->width();
    if (m_compactNow) {
        const int navigator =
            isPanelVisible(Panel::Lessons) ? qBound(200, width * 18 / 100, 280) : 0;
        const int rest = width - navigator;
        // The editor gets room for 80 columns (and the caret after them) when
        // the tabs keep 360 px.
        int editorWidth = rest * 62 / 100;
        if (CodeEditor *editor = currentEditor())
            editorWidth = qMax(editorWidth, editor->widthForColumns(82));
        else
            editorWidth = qMax(editorWidth, probeEditorWidth());
        editorWidth = qMin(editorWidth, rest - 360);
        m_outer->setSizes({navigator, rest});
        m_compact->setSizes({editorWidth, rest - editorWidth});
    } else {
        const int navigator = qBound(260, width * 19 / 100, 340);
        const int plots = qBound(320, width * 22 / 100, 480);
        const int centre = width - navigator - plots;
        m_outer->setSizes({navigator, centre, plots});
        m_work->setSizes({centre * 37 / 100, centre - centre * 37 / 100});
        const int height = m_centre->height();
        m_centre->setSizes({height * 68 / 100, height - height * 68 / 100});
    }
    m_plots->setSizes({m_plots->height() / 2, m_plots->height() - m_plots->height() / 2});
}

int MainWindow::probeEditorWidth() const
{
    // No lesson is open yet: an editor that is never shown measures the font.
    CodeEditor probe;
    probe.setFontPointSize(m_fontSize);
    const int zoom = m_zoom + (m_presenter ? PresenterZoom : 0);
    if (zoom != 0)
        probe.zoomTo(zoom);
    return probe.widthForColumns(82);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_arranged)
        arrange();
    if (!m_layoutRestored || m_needsDefaults) {
        m_layoutRestored = true;
        m_needsDefaults = false;
        applyDefaultSplitterSizes();
    }
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    if (m_arranged && wantsCompact() != m_compactNow) {
        arrange();
        if (m_needsDefaults && isVisible()) {
            m_needsDefaults = false;
            applyDefaultSplitterSizes();
        }
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    Q_EMIT closing();
    QMainWindow::closeEvent(event);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // QScintilla claims every key it has a command for (Esc cancels, and some
    // Alt/Ctrl combinations move text), so the window's shortcuts would never
    // fire while the editor has the focus. Let ours through first; Esc only
    // while something runs and no completion list is open.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        const QKeySequence pressed(key->keyCombination());
        auto *editor = qobject_cast<CodeEditor *>(watched);
        for (QAction *action :
             {m_actions.run, m_actions.check, m_actions.stop, m_actions.nextLesson,
              m_actions.previousLesson, m_actions.zoomIn, m_actions.zoomOut, m_actions.showLessons,
              m_actions.showLessonText, m_actions.showOutput, m_actions.showPlots,
              m_actions.focusMode, m_actions.presenterMode}) {
            if (!action->isEnabled() || !action->shortcuts().contains(pressed))
                continue;
            if (key->key() == Qt::Key_Escape && editor && editor->isListActive())
                continue;
            return true; // not accepted: the shortcut map takes it
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

} // namespace torchlab
