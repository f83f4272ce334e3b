#include "studio/studiocontroller.h"

#include "studio/mainwindow.h"
#include "studio/runarchiver.h"
#include "studio/targetcontroller.h"

#include "core/build/compilejob.h"
#include "core/course/localizedtext.h"
#include "core/monitor/gpuhealth.h"
#include "core/monitor/prometheusexporter.h"
#include "core/monitor/runwatch.h"
#include "core/session/backgroundbuild.h"
#include "core/session/environmentsession.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchainjson.h"
#include "core/util/trace.h"
#include "widgets/console/outputconsole.h"
#include "widgets/console/warmupbar.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/dialogs/doctordialog.h"
#include "widgets/dialogs/settingsdialog.h"
#include "widgets/editor/codeeditor.h"
#include "widgets/editor/diffdialog.h"
#include "widgets/editor/lessonview.h"
#include "widgets/editor/noticebar.h"
#include "widgets/editor/problemsview.h"
#include "widgets/plots/lossplot.h"
#include "widgets/plots/memoryplot.h"
#include "widgets/style/theme.h"

#include <QApplication>
#include <QMessageBox>
#include <QStatusBar>
#include <QTextCursor>

namespace torchlab {

namespace {

const QString NoticeCompare = QStringLiteral("compare");
const QString NoticeAdopt = QStringLiteral("adopt");
const QString NoticeKeep = QStringLiteral("keep");
const QString NoticeOpenLesson = QStringLiteral("open-lesson:");

} // namespace

StudioController::StudioController(MainWindow *window, const LabSettings &settings,
                                   const Options &options, QObject *parent)
    : QObject(parent), m_window(window), m_settings(settings), m_options(options),
      m_course(new CourseSession(options.language, options.autosaveDelayMs, this)),
      m_session(new LabSession(this))
{
    m_targets = new TargetController(window, m_session, options.language, this);
    m_archiver = new RunArchiver(this);
    connect(m_archiver, &RunArchiver::availabilityChanged, this, &StudioController::updateActions);
    connect(m_archiver, &RunArchiver::statusMessage, this,
            [this](const QString &text, int ms) { showStatus(text, ms); });
    m_targets->use(settings.runTarget);
    connect(m_targets, &TargetController::serverChecked, this,
            &StudioController::showWhereRunsHappen);
    connect(m_targets, &TargetController::chosen, this, [this](const QString &name) {
        m_settings.runTarget = name;
        if (!m_settings.save())
            showStatus(tr("The settings could not be saved to %1.").arg(LabSettings::filePath()),
                       10000);
    });
    connect(m_targets, &TargetController::declined, this, [this](const QString &key) {
        m_settings.declinedTargets << key;
        m_settings.save();
    });
    m_session->setProfileRequest(EnvironmentSession::requestFrom(settings), options.warmUp);
    m_session->backgroundBuild()->setEnabled(settings.buildWhileTyping);
    // Runs start without LibTorch's own start-up (WarmRunner).
    m_session->environment()->setWarmRunnerEnabled(true);
    m_window->lossPlot()->setStore(&m_session->metrics());
    m_window->memoryPlot()->setStore(&m_session->memory());
    m_window->setEditorFontSize(settings.editorFontSize);
    m_window->setDarkTheme(options.darkTheme);
    m_window->restoreLayout(settings);
    m_window->setProfileText(tr("Looking for LibTorch…"));
    connectWindow();
    connectCourse();
    connectSession();
    setUpMonitoring();
    updateActions();
}

StudioController::~StudioController() = default; // the sessions end their runs

void StudioController::connectWindow()
{
    const MainWindow::Actions &a = m_window->actions();
    connect(a.run, &QAction::triggered, this, &StudioController::run);
    connect(a.check, &QAction::triggered, this, &StudioController::check);
    connect(a.stop, &QAction::triggered, this, &StudioController::stop);
    connect(a.exportRun, &QAction::triggered, this,
            [this] { m_archiver->exportInteractively(m_window); });
    connect(a.nextLesson, &QAction::triggered, this, &StudioController::nextLesson);
    connect(a.previousLesson, &QAction::triggered, this, &StudioController::previousLesson);
    connect(a.reset, &QAction::triggered, this, &StudioController::resetToStarter);
    connect(a.compare, &QAction::triggered, this, &StudioController::compareWithSolution);
    connect(a.environment, &QAction::triggered, this, &StudioController::showEnvironmentDialog);
    connect(a.settings, &QAction::triggered, this, &StudioController::showSettingsDialog);

    const auto jump = [this](const QString &file, int line, int column) {
        m_window->goToLocation(file, line, column);
    };
    connect(m_window->navigator(), &LessonNavigator::lessonActivated, this,
            [this](const QString &id) { openLesson(id); });
    connect(m_window->console(), &OutputConsole::locationActivated, this, jump);
    connect(m_window->problems(), &ProblemsView::activated, this, jump);
    connect(m_window->checks(), &ChecksView::locationActivated, this, jump);
    connect(m_window->checks(), &ChecksView::hintRequested, this, &StudioController::revealHint);
    connect(m_window->checks(), &ChecksView::solutionRequested, this,
            &StudioController::compareWithSolution);
    connect(m_window->warmupBar(), &WarmupBar::cancelRequested, environment(),
            &EnvironmentSession::cancelWarmup);
    connect(m_window, &MainWindow::closing, this, &StudioController::saveAll);
    connect(m_window->noticeBar(), &NoticeBar::actionTriggered, this, [this](const QString &id) {
        if (id == NoticeCompare)
            compareWithNewStarter();
        else if (id == NoticeAdopt)
            adoptNewStarter();
        else if (id == NoticeKeep)
            keepOwnCode();
    });
    connect(m_window->lossPlot(), &LossPlot::csvExportRequested, this, [this](const QString &path) {
        if (const Status written = m_session->exportMetricsCsv(path); !written)
            QMessageBox::warning(m_window, tr("Export metrics"), written.error());
    });
}

void StudioController::connectCourse()
{
    connect(m_course, &CourseSession::statusChanged, m_window->navigator(),
            &LessonNavigator::setStatus);
    connect(m_course, &CourseSession::saveDue, this, &StudioController::saveNow);
    connect(m_course, &CourseSession::saved, this, &StudioController::codeSaved);
    // Saves are written off the GUI thread; a failure is said when it comes back.
    connect(m_course, &CourseSession::saveFailed, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message); });
}

void StudioController::connectSession()
{
    EnvironmentSession *env = environment();
    connect(env, &EnvironmentSession::reportReady, this, &StudioController::onEnvironmentReport);
    connect(env, &EnvironmentSession::completionWordsReady, this, [this](const QStringList &words) {
        for (CodeEditor *editor : m_window->editors())
            editor->setCompletionWords(words);
    });
    connect(env, &EnvironmentSession::warmupProgress, m_window->warmupBar(),
            &WarmupBar::setProgress);
    connect(env, &EnvironmentSession::warmupFinished, m_window->warmupBar(), &WarmupBar::finish);

    LabSession *s = m_session;
    OutputConsole *console = m_window->console();
    connect(s, &LabSession::stateChanged, this, &StudioController::onStateChanged);
    connect(s, &LabSession::phaseChanged, this, [this](RunPhase phase) {
        if (phase == RunPhase::Linking)
            m_window->setRunState(tr("Linking…"), true);
    });
    connect(s, &LabSession::pchProgress, m_window->warmupBar(), &WarmupBar::setProgress);
    connect(s, &LabSession::output, console, [console](const QByteArray &chunk, bool isStderr) {
        if (isStderr)
            console->appendStderr(chunk);
        else
            console->appendStdout(chunk);
    });
    connect(s, &LabSession::note, console, &OutputConsole::appendInfo);
    connect(s, &LabSession::compiled, this, &StudioController::onCompiled);
    connect(s, &LabSession::backgroundBuilt, this, &StudioController::onBackgroundBuilt);
    connect(console, &OutputConsole::stdoutShown, this, [this] {
        // The flush may come after a quick program has already ended.
        if (!m_firstOutputShown) {
            m_firstOutputShown = true;
            Trace::emit(QStringLiteral("first_output"));
        }
    });
    connect(s, &LabSession::programStarted, this, &StudioController::programStarted);
    connect(s, &LabSession::metricsChanged, m_window->lossPlot(), &LossPlot::samplesAdded);
    connect(s, &LabSession::memoryChanged, m_window->memoryPlot(), &MemoryPlot::samplesAdded);
    connect(s, &LabSession::finished, this, &StudioController::onFinished);
}

void StudioController::startEnvironment()
{
    // Runs that happen on a server need no precompiled header here.
    m_session->startEnvironment(EnvironmentSession::requestFrom(m_settings),
                                m_options.warmUp && m_targets->target().isLocal());
}

void StudioController::showWhereRunsHappen()
{
    const std::optional<QJsonObject> server =
        m_targets->target().isLocal() ? std::nullopt : m_targets->serverReport();
    if (!server) {
        if (!environment()->hasReport()) {
            m_window->setProfileText(tr("Looking for LibTorch…"));
            m_window->memoryPlot()->setNoGpuReason(QString());
            return;
        }
        const EnvironmentReport &report = environment()->report();
        m_window->setProfileText(environment()->profileLabel(),
                                 report.choice.ok ? report.choice.reason : report.choice.error);
        m_window->memoryPlot()->setNoGpuReason(environment()->noGpuReason());
        return;
    }
    // The server's toolchain and GPU are what the runs use.
    const QJsonObject profile = server->value(QStringLiteral("profile")).toObject();
    m_window->setProfileText(profile.isEmpty() ? tr("No usable LibTorch on the server")
                                               : EnvironmentSession::profileLabel(
                                                     ToolchainJson::profileFromJson(profile)),
                             server->value(QStringLiteral("reason")).toString());
    const QJsonObject gpu = server->value(QStringLiteral("gpu")).toObject();
    m_window->memoryPlot()->setNoGpuReason(
        gpu.value(QStringLiteral("hasGpu")).toBool()
            ? QString()
            : tr("The server %1 has no usable NVIDIA GPU: %2")
                  .arg(m_targets->target().host, gpu.value(QStringLiteral("reason")).toString()));
}

void StudioController::onEnvironmentReport()
{
    const EnvironmentReport &report = environment()->report();
    showWhereRunsHappen();
    if (!report.choice.ok && m_targets->target().isLocal())
        m_window->statusBar()->showMessage(report.choice.error);
    if (m_doctor)
        m_doctor->setReport(report);
    Q_EMIT environmentReady();
}

Status StudioController::loadCourse()
{
    return openCourse(m_options.courseDirectory, m_options.lesson);
}

Status StudioController::openCourse(const QString &directory, const QString &lesson)
{
    saveNow(); // what the learner typed goes to the pack it belongs to
    const Status opened =
        m_course->open(directory, lesson, {m_settings.lastPack, m_settings.lastLesson});
    if (!opened)
        return opened;
    m_session->abandon();
    m_options.courseDirectory = directory;
    m_window->navigator()->setPack(m_course->pack(), m_options.language);
    m_window->navigator()->setStatuses(m_course->statuses());
    showLesson();
    if (CodeEditor *editor = m_window->currentEditor())
        editor->setFocus(); // the learner starts by reading and typing
    m_window->actions().removedLessons->setEnabled(!m_course->removedLessons().isEmpty());
    m_targets->offer(m_course->pack(), m_settings.declinedTargets);
    Q_EMIT courseOpened(m_course->pack().id);
    return {};
}

void StudioController::reloadCourse()
{
    if (m_session->isBusy()) {
        m_reloadPending = true; // onFinished() comes back here
        return;
    }
    m_reloadPending = false;
    // The learner may be typing: the same lesson comes back with the same tab,
    // cursor and scroll position.
    const QString lesson = currentLessonId();
    QString file;
    int line = 0, index = 0, firstVisible = 0;
    if (CodeEditor *editor = m_window->currentEditor()) {
        file = editor->fileName();
        editor->getCursorPosition(&line, &index);
        firstVisible = editor->firstVisibleLine();
    }
    if (const Status opened = openCourse(pack().directory, lesson); !opened) {
        showStatus(opened.error(), 15000);
        return;
    }
    if (currentLessonId() == lesson && !file.isEmpty() &&
        m_window->goToLocation(file, line + 1, index + 1)) {
        if (CodeEditor *editor = m_window->currentEditor())
            editor->setFirstVisibleLine(firstVisible);
    }
}

bool StudioController::openLesson(const QString &idOrFolder)
{
    const Lesson *lesson = pack().lesson(idOrFolder);
    if (!lesson)
        return false;
    if (lesson->id == currentLessonId())
        return true;
    saveNow();
    m_session->abandon(); // the run belongs to the lesson being left
    m_course->openLesson(lesson->id);
    showLesson();
    return true;
}

void StudioController::showLesson()
{
    const Lesson *lesson = currentLesson();
    if (!lesson)
        return;
    QStringList names;
    const QList<LessonFile> files = m_course->files();
    for (const LessonFile &file : files)
        names << file.name;
    const QList<CodeEditor *> editors = m_window->setEditorFiles(names);
    const QStringList words = environment()->completionWords();
    m_loadingText = true;
    for (int i = 0; i < editors.size(); ++i) {
        CodeEditor *editor = editors[i];
        if (!words.isEmpty())
            editor->setCompletionWords(words);
        editor->setText(files[i].text);
        editor->setModified(false);
        editor->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
        connect(editor, &QsciScintilla::textChanged, this, [this, editor] {
            if (m_loadingText)
                return;
            Trace::emit(QStringLiteral("edit"));
            m_course->edited(editor->fileName());
            buildWhileTyping();
        });
    }
    m_loadingText = false;
    // "Press Run first": the lesson's code is built before the first keystroke.
    buildWhileTyping();

    m_window->lessonView()->setLessonMarkdown(m_course->markdown(), lesson->directory);
    // From the top, also when the view is laid out (and resized) only later.
    m_window->lessonView()->moveCursor(QTextCursor::Start);
    m_window->setLessonTitle(m_course->title());
    m_window->navigator()->setCurrentLesson(lesson->id);
    m_window->navigator()->setStatus(lesson->id, m_course->progress().status);
    m_window->checks()->clearReport();
    clearRunViews();
    m_window->showLessonText();
    m_session->clearStores();
    // Nothing of the last lesson's run stays: its time, its status messages.
    m_window->clearRunState(tr("Ready"));
    m_window->statusBar()->clearMessage();
    showLessonState();
    if (!m_course->recoveredFrom().isEmpty())
        m_window->statusBar()->showMessage(
            tr("The last save of this lesson was damaged; your code was restored from %1.")
                .arg(m_course->recoveredFrom()));
    showStarterNotice();
    // Remembered at once (not only on close) so that a crash still reopens here.
    m_settings.lastPack = pack().id;
    m_settings.lastLesson = lesson->id;
    m_settings.save();
    updateActions();
    Q_EMIT lessonOpened(lesson->id);
}

void StudioController::showLessonState()
{
    const QStringList hints = m_course->hints();
    m_window->checks()->setHints(hints, qMin(m_course->hintsRevealed(), int(hints.size())));
    const Status solution = m_course->solutionAvailable();
    m_window->checks()->setSolutionAvailable(solution.ok(), solution.error());
    m_window->actions().compare->setEnabled(solution.ok());
    m_window->actions().compare->setToolTip(
        solution ? tr("Show the differences between your code and the solution")
                 : solution.error());
}

void StudioController::clearRunViews()
{
    m_window->console()->clearOutput();
    m_window->problems()->clearDiagnostics();
    for (CodeEditor *editor : m_window->editors())
        editor->clearDiagnostics();
    m_window->checks()->showExplanation(QString(), QString());
    m_window->lossPlot()->reset();
    m_window->memoryPlot()->samplesAdded();
    m_window->showBottomTab(MainWindow::BottomTab::Output);
}

void StudioController::saveNow()
{
    if (!m_course->hasUnsavedEdits())
        return;
    QHash<QString, QString> texts;
    for (const QString &file : m_course->dirtyFiles()) {
        if (CodeEditor *editor = m_window->editor(file))
            texts.insert(file, editor->text());
    }
    if (const Status saved = m_course->save(texts); !saved)
        m_window->statusBar()->showMessage(saved.error());
}

void StudioController::saveAll()
{
    saveNow();
    m_window->saveLayout(m_settings);
    if (!pack().id.isEmpty()) {
        m_settings.lastPack = pack().id;
        m_settings.lastLesson = currentLessonId();
    }
    m_settings.save();
}

void StudioController::nextLesson()
{
    if (const QString next = m_course->nextLessonId(); !next.isEmpty())
        openLesson(next);
}

void StudioController::previousLesson()
{
    if (const QString previous = m_course->previousLessonId(); !previous.isEmpty())
        openLesson(previous);
}

void StudioController::run()
{
    requestRun(RunMode::Run);
}

void StudioController::check()
{
    requestRun(RunMode::Check);
}

void StudioController::editorTexts(QMap<QString, QString> *files, QStringList *order) const
{
    for (CodeEditor *editor : m_window->editors()) {
        files->insert(editor->fileName(), editor->text());
        *order << editor->fileName();
    }
}

CheckRequest StudioController::checkRequest() const
{
    CheckRequest request;
    request.quick = m_settings.quickRuns;
    request.timeScale = m_settings.timeScale;
    request.memoryCapMb = m_settings.memoryMb;
    request.sandbox = m_settings.sandbox;
    request.language = m_options.language;
    return request;
}

void StudioController::buildWhileTyping()
{
    const Lesson *lesson = currentLesson();
    if (!lesson || !m_settings.buildWhileTyping)
        return;
    QMap<QString, QString> files;
    QStringList order;
    editorTexts(&files, &order);
    m_session->codeEdited(pack().id, *lesson, files, order, checkRequest());
}

void StudioController::onBackgroundBuilt(const CompileResult &result)
{
    // A Run or Check in progress shows its own compiler's findings.
    if (m_session->isBusy())
        return;
    m_window->problems()->setDiagnostics(result.diagnostics, ProblemsView::Source::Typing);
    for (CodeEditor *editor : m_window->editors())
        editor->setDiagnostics(result.diagnostics);
    if (result.ok())
        showStatus(tr("Compiled while you typed: Run starts at once."), 4000);
}

void StudioController::requestRun(RunMode mode)
{
    const Lesson *lesson = currentLesson();
    if (m_session->isBusy() || !lesson)
        return;
    saveNow();
    clearRunViews();
    m_firstOutputShown = false;
    QMap<QString, QString> files;
    QStringList order;
    editorTexts(&files, &order);
    const bool grade = mode == RunMode::Check;
    if (!environment()->isReady())
        m_window->console()->appendInfo(tr("Waiting for LibTorch to be prepared…"));
    else
        m_window->console()->appendInfo(
            grade ? tr("Checking %1…").arg(order.join(QStringLiteral(", ")))
                  : tr("Compiling %1…").arg(order.join(QStringLiteral(", "))));
    if (grade)
        m_window->checks()->setRunning(tr("Checking…"));
    m_archiver->runStarted(mode, pack(), *lesson, files, order, checkRequest(), language());
    m_session->startWithCode(mode, pack().id, *lesson, files, order, checkRequest());
}

void StudioController::onStateChanged(LabSession::State state)
{
    updateActions();
    const bool checking = m_session->mode() == RunMode::Check;
    switch (state) {
    case LabSession::State::Idle:
        break; // onFinished() says how it ended
    case LabSession::State::Preparing:
        m_window->setRunState(tr("Waiting for LibTorch to be prepared…"), true);
        break;
    case LabSession::State::Compiling:
        m_window->setRunState(tr("Compiling…"), true);
        break;
    case LabSession::State::Running:
    case LabSession::State::Checking:
        m_window->setRunState(checking ? tr("Checking…") : tr("Running…"), true);
        break;
    }
}

void StudioController::onCompiled(const CompileResult &result)
{
    // Stopped while compiling: nothing was found, and onFinished() says so.
    if (result.outcome == CompileResult::Outcome::Cancelled)
        return;
    m_window->problems()->setDiagnostics(result.diagnostics);
    for (CodeEditor *editor : m_window->editors())
        editor->setDiagnostics(result.diagnostics);
    if (result.ok())
        return;
    if (!result.summary.isEmpty())
        m_window->console()->appendInfo(result.summary);
    if (!result.explanation.isEmpty())
        m_window->console()->appendInfo(result.explanation);
    // The first error the learner can act on: put the cursor there.
    for (const Diagnostic &diagnostic : result.diagnostics) {
        if (diagnostic.isError() && diagnostic.hasLearnerLocation()) {
            m_window->goToLocation(diagnostic.learnerFile, diagnostic.learnerLine,
                                   diagnostic.learnerColumn);
            break;
        }
    }
    if (!result.diagnostics.isEmpty())
        m_window->showBottomTab(MainWindow::BottomTab::Problems);
}

void StudioController::onFinished(const SessionResult &result)
{
    m_archiver->runFinished(result, *m_session, environment()->report());
    OutputConsole *console = m_window->console();
    const CheckReport &report = result.report;
    if (!result.started)
        console->appendInfo(result.notStartedReason);
    else if (!report.runSummary.isEmpty())
        console->appendInfo(report.runSummary);
    else if (!report.message.isEmpty())
        console->appendInfo(report.message);
    for (const QString &sentence : result.drops.sentences(m_session->metrics().limits().maxSeries))
        console->appendInfo(sentence);
    console->flush();

    if (result.graded() && result.started && !result.stopped) {
        m_window->checks()->setReport(report);
        m_course->recordCheck(report.passed());
        showLessonState();
        m_window->showBottomTab(MainWindow::BottomTab::Checks);
    } else if (result.graded() && result.stopped) {
        m_window->checks()->clearReport();
    }
    if (const std::optional<OutcomeCard> card = result.card()) {
        m_window->checks()->showExplanation(card->title, card->explanation, card->tips);
        m_window->showBottomTab(MainWindow::BottomTab::Checks);
    }
    m_window->lossPlot()->redrawNow();
    m_window->memoryPlot()->redrawNow();
    m_window->setRunState(result.statusText(), false);
    updateActions();
    Q_EMIT runFinished(result);
    if (m_reloadPending) // an update of this pack arrived meanwhile
        QTimer::singleShot(0, this, &StudioController::reloadCourse);
}

void StudioController::stop()
{
    if (!m_session->isBusy())
        return;
    // finished() may arrive inside stop(): set the interim state first.
    m_window->setRunState(tr("Stopping…"), true);
    m_session->stop();
}

void StudioController::resetToStarter()
{
    // One undoable step per editor; the autosave then stores the starter.
    for (CodeEditor *editor : m_window->editors()) {
        const QString starter = m_course->starterText(editor->fileName());
        if (editor->text() != starter)
            editor->replaceAllUndoable(starter);
    }
    // What the last run found was about the code that is gone.
    m_window->problems()->clearDiagnostics();
    m_window->checks()->showExplanation(QString(), QString());
    showStatus(tr("The starter code is back. Undo (Ctrl+Z) in the editor brings your code back."));
}

void StudioController::showStarterNotice()
{
    const QList<StarterChange> changes = m_course->starterChanges();
    if (changes.isEmpty()) {
        m_window->noticeBar()->hideNotice();
        return;
    }
    QStringList files;
    for (const StarterChange &change : changes)
        files << change.fileName;
    m_window->noticeBar()->showNotice(
        tr("A course update changed the starter of %1. Your code is kept.")
            .arg(files.join(QStringLiteral(", "))),
        {{NoticeCompare, tr("Compare…")},
         {NoticeAdopt, tr("Use the New Starter")},
         {NoticeKeep, tr("Keep My Code")}});
}

void StudioController::compareWithNewStarter()
{
    const QList<StarterChange> changes = m_course->starterChanges();
    if (changes.isEmpty())
        return;
    // The open tab when it is one of the changed files, else the first changed file.
    StarterChange change = changes.first();
    if (CodeEditor *current = m_window->currentEditor()) {
        for (const StarterChange &candidate : changes) {
            if (candidate.fileName == current->fileName())
                change = candidate;
        }
    }
    CodeEditor *editor = m_window->editor(change.fileName);
    auto *dialog = new DiffDialog(tr("Your code and the new starter — %1").arg(change.fileName),
                                  tr("Your code"), editor ? editor->text() : change.learnerCode,
                                  tr("New starter"), change.newStarter, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void StudioController::adoptNewStarter()
{
    for (const StarterChange &change : m_course->starterChanges()) {
        CodeEditor *editor = m_window->editor(change.fileName);
        if (editor && editor->text() != change.newStarter)
            editor->replaceAllUndoable(change.newStarter); // the autosave stores it
    }
    acknowledgeStarterChanges();
    showStatus(tr("The new starter code is in the editor. Undo (Ctrl+Z) brings your code back."));
}

void StudioController::keepOwnCode()
{
    acknowledgeStarterChanges();
}

void StudioController::acknowledgeStarterChanges()
{
    saveNow(); // the record starts from what is on disk
    if (const Status recorded = m_course->acknowledgeStarterChanges(); !recorded) {
        m_window->statusBar()->showMessage(recorded.error());
        return;
    }
    m_window->noticeBar()->hideNotice();
}

void StudioController::compareWithSolution()
{
    if (const Status available = m_course->solutionAvailable(); !available) {
        showStatus(available.error());
        return;
    }
    CodeEditor *current = m_window->currentEditor();
    QString file = current ? current->fileName() : QString();
    const QString solution = m_course->solutionText(&file);
    CodeEditor *editor = m_window->editor(file);
    if (!editor || solution.isEmpty())
        return;
    auto *dialog = new DiffDialog(tr("Your code and the solution — %1").arg(file), tr("Your code"),
                                  editor->text(), tr("Solution"), solution, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void StudioController::revealHint()
{
    if (m_course->revealHint())
        showLessonState();
}

void StudioController::showEnvironmentDialog()
{
    if (!m_doctor) {
        m_doctor = new DoctorDialog(m_window);
        m_doctor->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_doctor, &DoctorDialog::recheckRequested, this, [this] {
            if (m_session->isBusy()) {
                // The run holds the current PCH; a new gather would replace it.
                showStatus(tr("Check again once the run has ended."), 5000);
                return;
            }
            m_doctor->setBusy(true);
            startEnvironment();
            m_targets->refresh();
        });
        m_targets->attach(m_doctor);
    }
    if (environment()->hasReport())
        m_doctor->setReport(environment()->report());
    else
        m_doctor->setBusy(true);
    m_doctor->show();
    m_doctor->raise();
    m_doctor->activateWindow();
}

void StudioController::showSettingsDialog()
{
    const DiscoveryResult discovery =
        environment()->hasReport() ? environment()->report().discovery : DiscoveryResult();
    auto *dialog = new SettingsDialog(m_settings, discovery, m_window,
                                      TargetStore().load().valueOr(QList<Target>()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { applySettings(dialog->settings()); });
    dialog->open();
}

void StudioController::applySettings(const LabSettings &changed)
{
    const LabSettings old = m_settings;
    m_settings = changed;
    // The dialog edits preferences; where the window is stays ours.
    m_settings.windowGeometry = old.windowGeometry;
    m_settings.windowState = old.windowState;
    m_settings.splitterState = old.splitterState;
    m_settings.lastPack = old.lastPack;
    m_settings.lastLesson = old.lastLesson;

    m_session->backgroundBuild()->setEnabled(m_settings.buildWhileTyping);
    if (m_settings.prometheusAddress != old.prometheusAddress)
        applyPrometheus(m_settings.prometheusAddress);
    if (m_settings.runTarget != old.runTarget)
        m_targets->use(m_settings.runTarget); // the next Run goes there
    if (m_settings.editorFontSize != old.editorFontSize)
        m_window->setEditorFontSize(m_settings.editorFontSize);
    if (m_settings.theme != old.theme) {
        if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
            m_window->setDarkTheme(applyTheme(*app, m_settings.theme));
    }
    QStringList notes;
    if (m_settings.language != old.language)
        notes << tr("The new language applies the next time TorchLab starts.");
    if (EnvironmentSession::requestFrom(m_settings) != EnvironmentSession::requestFrom(old)) {
        if (!m_session->isBusy()) {
            m_window->setProfileText(tr("Looking for LibTorch…"));
            startEnvironment();
        } else {
            notes << tr("The new LibTorch and compiler apply the next time TorchLab starts.");
        }
    }
    if (!m_settings.save())
        notes << tr("The settings could not be saved to %1.").arg(LabSettings::filePath());
    if (!notes.isEmpty())
        showStatus(notes.join(QLatin1Char(' ')), 10000);
}

void StudioController::setUpMonitoring()
{
    m_gpuHealth = std::make_shared<GpuHealthReader>();
    m_runWatch = new RunWatch(m_session, this);
    m_runWatch->setGpuHealth(m_gpuHealth);
    connect(m_runWatch, &RunWatch::advice, this, &StudioController::showAdvice);
    // A new run starts with no advice of the last one on screen.
    connect(m_session, &LabSession::stateChanged, this, [this](LabSession::State state) {
        if (state == LabSession::State::Preparing || state == LabSession::State::Compiling)
            m_window->adviceBar()->hideNotice();
    });
    connect(m_window->adviceBar(), &NoticeBar::actionTriggered, this, [this](const QString &id) {
        if (id.startsWith(NoticeOpenLesson))
            openLesson(id.mid(NoticeOpenLesson.size()));
        m_window->adviceBar()->hideNotice();
    });
    applyPrometheus(m_settings.prometheusAddress);
}

void StudioController::applyPrometheus(const QString &address)
{
    if (address.isEmpty()) {
        delete m_exporter;
        m_exporter = nullptr;
        return;
    }
    if (!m_exporter) {
        m_exporter = new PrometheusExporter(this);
        m_exporter->setGpuHealth(m_gpuHealth);
        m_exporter->watch(m_session);
    }
    if (const Status listening = m_exporter->listen(address); !listening) {
        delete m_exporter;
        m_exporter = nullptr;
        showStatus(listening.error(), 15000);
        return;
    }
    showStatus(tr("Serving run metrics to Prometheus at %1").arg(m_exporter->url()), 5000);
}

void StudioController::showAdvice(const RunAdvice &advice)
{
    QList<NoticeAction> actions;
    if (!advice.lesson.isEmpty()) {
        if (const Lesson *lesson = m_course->pack().lesson(advice.lesson)) {
            if (!currentLesson() || currentLesson()->id != lesson->id)
                actions.append({NoticeOpenLesson + lesson->id,
                                tr("Open “%1”").arg(localized(lesson->title, language()))});
        }
    }
    m_window->adviceBar()->showNotice(advice.text, actions, NoticeBar::Tone::Warning);
}

void StudioController::showStatus(const QString &message, int ms)
{
    m_window->statusBar()->showMessage(message, ms);
}

void StudioController::updateActions()
{
    const MainWindow::Actions &a = m_window->actions();
    const bool haveLesson = currentLesson() != nullptr;
    const bool idle = !m_session->isBusy();
    a.run->setEnabled(haveLesson && idle);
    a.check->setEnabled(haveLesson && idle);
    a.stop->setEnabled(!idle);
    a.nextLesson->setEnabled(!m_course->nextLessonId().isEmpty());
    a.previousLesson->setEnabled(!m_course->previousLessonId().isEmpty());
    a.reset->setEnabled(haveLesson);
    a.compare->setEnabled(m_course->solutionAvailable().ok());
    a.exportRun->setEnabled(idle && m_archiver->hasRun());
    a.exportRun->setToolTip(m_archiver->hasRun()
                                ? tr("Save the last finished run as one archive to cite")
                                : tr("Run or Check first: this exports a finished run"));
}

} // namespace torchlab
