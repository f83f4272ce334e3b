#include "studio/mainwindow.h"

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
#include <QCloseEvent>
#include <QDataStream>
#include <QKeyEvent>
#include <QLabel>
#include <QMenuBar>
#include <QShowEvent>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace torchlab {

namespace {

constexpr quint32 SplitterStateMagic = 0x544c5331; // "TLS1": the layout of splitterState's blob

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

    m_work = new QSplitter(Qt::Horizontal);
    m_work->addWidget(m_lessonView);
    // The notice bar sits on top of the editor tabs, inside the same splitter
    // pane, so splitter states saved before it existed still apply.
    m_noticeBar = new NoticeBar;
    auto *editorPane = new QWidget;
    auto *editorLayout = new QVBoxLayout(editorPane);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(0);
    editorLayout->addWidget(m_noticeBar);
    editorLayout->addWidget(m_editorTabs, 1);
    m_work->addWidget(editorPane);
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
    for (QSplitter *splitter : splitters())
        splitter->setChildrenCollapsible(false);
    setCentralWidget(m_outer);

    createActions();
    createMenus();
    createToolBar();
    createStatusBar();

    connect(m_problems, &ProblemsView::countsChanged, this, &MainWindow::setProblemCounts);
    m_elapsedTimer.setInterval(100);
    connect(&m_elapsedTimer, &QTimer::timeout, this, &MainWindow::updateElapsed);
    resize(1600, 1000);
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

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_actions.run);
    run->addAction(m_actions.check);
    run->addAction(m_actions.stop);

    QMenu *view = menuBar()->addMenu(tr("&View"));
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

QList<QSplitter *> MainWindow::splitters() const
{
    return {m_outer, m_centre, m_work, m_plots};
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
        if (m_zoom != 0)
            editor->zoomTo(m_zoom);
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
    m_bottomTabs->setCurrentIndex(int(tab));
}

MainWindow::BottomTab MainWindow::currentBottomTab() const
{
    return BottomTab(m_bottomTabs->currentIndex());
}

void MainWindow::setProblemCounts(int errors, int warnings)
{
    const int total = errors + warnings;
    QString text = tr("Problems");
    if (total > 0)
        text = m_problems->source() == ProblemsView::Source::Typing
                   ? tr("Problems (%1, while typing)").arg(total)
                   : tr("Problems (%1)").arg(total);
    m_bottomTabs->setTabText(int(BottomTab::Problems), text);
}

void MainWindow::setLessonTitle(const QString &title)
{
    setWindowTitle(title.isEmpty() ? tr("TorchLab") : tr("TorchLab — %1").arg(title));
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
    for (CodeEditor *editor : m_editors)
        editor->zoomTo(m_zoom);
    m_lessonView->zoomIn(1);
}

void MainWindow::zoomOut()
{
    --m_zoom;
    for (CodeEditor *editor : m_editors)
        editor->zoomTo(m_zoom);
    m_lessonView->zoomOut(1);
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
    if (magic != SplitterStateMagic)
        return;
    for (QSplitter *splitter : splitters()) {
        QByteArray state;
        in >> state;
        if (in.status() != QDataStream::Ok || !splitter->restoreState(state))
            return;
    }
    m_layoutRestored = true;
}

void MainWindow::saveLayout(LabSettings &settings) const
{
    settings.windowGeometry = saveGeometry();
    settings.windowState = saveState();
    QByteArray blob;
    QDataStream out(&blob, QIODevice::WriteOnly);
    out << SplitterStateMagic;
    for (QSplitter *splitter : splitters())
        out << splitter->saveState();
    settings.splitterState = blob;
}

void MainWindow::applyDefaultSplitterSizes()
{
    // In proportion to the real window: sizes set before the first layout are
    // rescaled by QSplitter and come out wrong.
    const int width = m_outer->width();
    const int navigator = qBound(260, width * 19 / 100, 340);
    const int plots = qBound(320, width * 22 / 100, 480);
    const int centre = width - navigator - plots;
    m_outer->setSizes({navigator, centre, plots});
    m_work->setSizes({centre * 37 / 100, centre - centre * 37 / 100});
    const int height = m_centre->height();
    m_centre->setSizes({height * 68 / 100, height - height * 68 / 100});
    m_plots->setSizes({m_plots->height() / 2, m_plots->height() - m_plots->height() / 2});
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_layoutRestored) {
        m_layoutRestored = true;
        applyDefaultSplitterSizes();
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
              m_actions.previousLesson, m_actions.zoomIn, m_actions.zoomOut}) {
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
