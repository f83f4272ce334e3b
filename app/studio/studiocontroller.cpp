#include "studio/studiocontroller.h"

#include "core/course/lessonworkspace.h"
#include "studio/environmentsession.h"
#include "studio/mainwindow.h"

#include "core/build/compilejob.h"
#include "core/build/pchcache.h"
#include "widgets/console/outputconsole.h"
#include "widgets/console/warmupbar.h"
#include "widgets/course/checksview.h"
#include "core/course/courseprogress.h"
#include "widgets/course/lessonnavigator.h"
#include "core/course/localizedtext.h"
#include "core/course/packloader.h"
#include "widgets/dialogs/doctordialog.h"
#include "widgets/dialogs/settingsdialog.h"
#include "widgets/editor/codeeditor.h"
#include "widgets/editor/diffdialog.h"
#include "widgets/editor/lessonview.h"
#include "widgets/editor/noticebar.h"
#include "widgets/editor/problemsview.h"
#include "core/gpu/nvmlsampler.h"
#include "core/grading/checkrunner.h"
#include "widgets/plots/lossplot.h"
#include "widgets/plots/memoryplot.h"
#include "widgets/style/theme.h"

#include <QApplication>
#include <QTextCursor>

#include <QStatusBar>

namespace torchlab {

namespace {

ProfileRequest requestFrom(const LabSettings &settings)
{
    ProfileRequest request;
    request.libtorch = settings.libtorch;
    request.compiler = settings.compiler;
    if (!request.libtorch.isEmpty())
        request.libtorchOrigin = QStringLiteral("settings");
    if (!request.compiler.isEmpty())
        request.compilerOrigin = QStringLiteral("settings");
    if (!settings.device.isEmpty() && settings.device != QLatin1String("auto"))
        request.setDevice(settings.device, QStringLiteral("settings"));
    return request;
}

bool sameToolchain(const LabSettings &a, const LabSettings &b)
{
    return a.libtorch == b.libtorch && a.compiler == b.compiler && a.device == b.device;
}

} // namespace

StudioController::StudioController(MainWindow *window, const LabSettings &settings,
                                   const Options &options, QObject *parent)
    : QObject(parent), m_window(window), m_settings(settings), m_options(options)
{
    m_environment = new EnvironmentSession(this);
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(options.autosaveDelayMs);
    connect(&m_autosave, &QTimer::timeout, this, &StudioController::saveNow);

    m_window->lossPlot()->setStore(&m_metrics);
    m_window->setEditorFontSize(settings.editorFontSize);
    m_window->setDarkTheme(options.darkTheme);
    m_window->restoreLayout(settings);
    m_window->setProfileText(tr("Looking for LibTorch…"));
    connectWindow();
    connectEnvironment();
    updateActions();
}

StudioController::~StudioController()
{
    if (m_runner) {
        // Closing mid-run: the child processes must not outlive the lab.
        disconnect(m_runner, nullptr, this, nullptr);
        m_runner->stop();
        delete m_runner;
    }
}

void StudioController::connectWindow()
{
    const MainWindow::Actions &a = m_window->actions();
    connect(a.run, &QAction::triggered, this, &StudioController::run);
    connect(a.check, &QAction::triggered, this, &StudioController::check);
    connect(a.stop, &QAction::triggered, this, &StudioController::stop);
    connect(a.nextLesson, &QAction::triggered, this, &StudioController::nextLesson);
    connect(a.previousLesson, &QAction::triggered, this, &StudioController::previousLesson);
    connect(a.reset, &QAction::triggered, this, &StudioController::resetToStarter);
    connect(a.compare, &QAction::triggered, this, &StudioController::compareWithSolution);
    connect(a.environment, &QAction::triggered, this, &StudioController::showEnvironmentDialog);
    connect(a.settings, &QAction::triggered, this, &StudioController::showSettingsDialog);

    connect(m_window->navigator(), &LessonNavigator::lessonActivated, this,
            [this](const QString &id) { openLesson(id); });
    connect(m_window->console(), &OutputConsole::locationActivated, this,
            &StudioController::jumpTo);
    connect(m_window->problems(), &ProblemsView::activated, this, &StudioController::jumpTo);
    connect(m_window->checks(), &ChecksView::locationActivated, this, &StudioController::jumpTo);
    connect(m_window->checks(), &ChecksView::hintRequested, this, &StudioController::revealHint);
    connect(m_window->checks(), &ChecksView::solutionRequested, this,
            &StudioController::compareWithSolution);
    connect(m_window->warmupBar(), &WarmupBar::cancelRequested, m_environment,
            &EnvironmentSession::cancelWarmup);
    connect(m_window, &MainWindow::closing, this, &StudioController::saveAll);
    connect(m_window->noticeBar(), &NoticeBar::actionTriggered, this, [this](int index) {
        if (m_starterChanges.isEmpty())
            return;
        if (index == 0)
            compareWithNewStarter();
        else if (index == 1)
            adoptNewStarter();
        else
            keepOwnCode();
    });
}

void StudioController::connectEnvironment()
{
    connect(m_environment, &EnvironmentSession::reportReady, this,
            &StudioController::onEnvironmentReport);
    connect(m_environment, &EnvironmentSession::completionWordsReady, this,
            [this](const QStringList &words) {
                for (CodeEditor *editor : m_window->editors())
                    editor->setCompletionWords(words);
            });
    connect(m_environment, &EnvironmentSession::warmupProgress, m_window->warmupBar(),
            &WarmupBar::setProgress);
    connect(m_environment, &EnvironmentSession::warmupFinished, m_window->warmupBar(),
            &WarmupBar::finish);
    connect(m_environment, &EnvironmentSession::stateChanged, this,
            [this](EnvironmentSession::State state) {
                if (m_activity != Activity::Waiting)
                    return;
                if (state == EnvironmentSession::State::Ready) {
                    startRun(m_pendingGrade);
                } else if (state == EnvironmentSession::State::Cancelled ||
                           state == EnvironmentSession::State::Unusable) {
                    setActivity(Activity::Idle);
                    const QString why =
                        state == EnvironmentSession::State::Cancelled
                            ? tr("Not started: preparing LibTorch was cancelled.")
                            : tr("Not started: no usable LibTorch and compiler were found.");
                    m_window->console()->appendInfo(why);
                    m_window->setRunState(why, false);
                }
            });
}

void StudioController::startEnvironment()
{
    m_environment->start(requestFrom(m_settings), m_options.warmUp);
}

void StudioController::onEnvironmentReport()
{
    const EnvironmentReport &report = m_environment->report();
    m_window->setProfileText(m_environment->profileLabel(),
                             report.choice.ok ? report.choice.reason : report.choice.error);
    m_window->memoryPlot()->setNoGpuReason(m_environment->noGpuReason());
    if (report.gpu.hasGpu() && !m_nvml) {
        m_nvml = new NvmlSampler(nullptr, 0, this);
        connect(m_nvml, &MemorySampler::sampled, this, &StudioController::onDeviceSample);
    }
    if (!report.choice.ok)
        m_window->statusBar()->showMessage(report.choice.error);
    if (m_doctor)
        m_doctor->setReport(report);
    Q_EMIT environmentReady();
}

bool StudioController::loadCourse(QString *error)
{
    return openCourse(m_options.courseDirectory, m_options.lesson, error);
}

bool StudioController::openCourse(const QString &directory, const QString &lesson, QString *error)
{
    const PackLoadResult result = PackLoader::load(directory);
    if (!result.valid() || result.pack.lessons.isEmpty()) {
        if (error) {
            QStringList lines;
            for (const Problem &problem : result.problems) {
                if (problem.isError() && lines.size() < 5)
                    lines << problem.toString();
            }
            *error = tr("The course in %1 cannot be opened.").arg(directory);
            if (!lines.isEmpty())
                *error += QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
        }
        return false;
    }
    // What the learner typed in the lesson being left goes to its own pack.
    saveNow();
    const QString previousPack = m_pack.id;
    const QString previousLesson = m_lessonId;
    m_pack = result.pack;
    m_options.courseDirectory = directory;
    m_lessonId.clear(); // openLesson() must open even the same id again: the files changed
    m_window->navigator()->setPack(m_pack, m_options.language);

    const QHash<QString, LessonProgress> records = m_store.loadPack(m_pack.id);
    QHash<QString, LessonStatus> statuses;
    for (const Lesson &entry : m_pack.lessons)
        statuses.insert(entry.id, CourseProgress::statusOf(records, entry.id));
    m_window->navigator()->setStatuses(statuses);

    QString preferred;
    if (const Lesson *asked = m_pack.lesson(lesson))
        preferred = asked->id;
    else if (previousPack == m_pack.id && m_pack.lesson(previousLesson))
        preferred = previousLesson; // a reload of the same pack stays where the learner is
    else if (m_settings.lastPack == m_pack.id)
        preferred = m_settings.lastLesson;
    openLesson(CourseProgress::startLesson(m_pack, records, preferred));
    if (CodeEditor *editor = m_window->currentEditor())
        editor->setFocus(); // the learner starts by reading and typing
    m_window->actions().removedLessons->setEnabled(
        !removedLessonsWithCode(m_pack, records).isEmpty());
    Q_EMIT courseOpened(m_pack.id);
    return true;
}

void StudioController::reloadCourse()
{
    if (m_activity != Activity::Idle) {
        m_reloadPending = true; // setActivity(Idle) comes back here
        return;
    }
    m_reloadPending = false;
    // The learner may be typing: the same lesson comes back with the same tab,
    // cursor and scroll position.
    const QString lesson = m_lessonId;
    QString file;
    int line = 0, index = 0, firstVisible = 0;
    if (CodeEditor *editor = m_window->currentEditor()) {
        file = editor->fileName();
        editor->getCursorPosition(&line, &index);
        firstVisible = editor->firstVisibleLine();
    }
    QString error;
    if (!openCourse(m_pack.directory, m_lessonId, &error)) {
        m_window->statusBar()->showMessage(error, 15000);
        return;
    }
    if (m_lessonId == lesson && !file.isEmpty() &&
        m_window->goToLocation(file, line + 1, index + 1)) {
        if (CodeEditor *editor = m_window->currentEditor())
            editor->setFirstVisibleLine(firstVisible);
    }
}

QList<LessonProgress> StudioController::removedLessons()
{
    return removedLessonsWithCode(m_pack, m_store.loadPack(m_pack.id));
}

const Lesson *StudioController::currentLesson() const
{
    return m_lessonId.isEmpty() ? nullptr : m_pack.lesson(m_lessonId);
}

QString StudioController::lessonTitle(const Lesson &lesson) const
{
    return localized(lesson.title, m_options.language);
}

bool StudioController::openLesson(const QString &idOrFolder)
{
    const Lesson *lesson = m_pack.lesson(idOrFolder);
    if (!lesson)
        return false;
    if (lesson->id == m_lessonId)
        return true;
    if (m_runner) {
        // The run belongs to the lesson being left: end it, drop its report.
        CheckRunner *runner = m_runner;
        m_runner = nullptr;
        disconnect(runner, nullptr, this, nullptr);
        runner->stop();
        runner->deleteLater();
        if (m_nvml)
            m_nvml->stop();
    }
    if (m_activity != Activity::Idle)
        setActivity(Activity::Idle);
    saveNow();

    m_lessonId = lesson->id;
    m_progress = m_store.load(m_pack.id, m_lessonId);
    const QString recovered = m_store.recoveredFrom();
    const QStringList files = LessonWorkspace::starterFiles(*lesson);
    const QList<CodeEditor *> editors = m_window->setEditorFiles(files);
    const QStringList words = m_environment->completionWords();
    if (!words.isEmpty()) {
        for (CodeEditor *editor : editors)
            editor->setCompletionWords(words);
    }
    m_loadingText = true;
    for (CodeEditor *editor : editors) {
        const QString starter = LessonWorkspace::starterText(*lesson, editor->fileName());
        const auto stored = m_progress.code.constFind(editor->fileName());
        const bool haveCode = stored != m_progress.code.constEnd();
        editor->setText(haveCode ? *stored : starter);
        editor->setModified(false);
        editor->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
    }
    m_starterChanges = changedStarters(m_pack, m_progress);
    m_loadingText = false;
    m_dirtyFiles.clear();
    connectEditors(editors);
    if (m_store.markOpened(m_pack.id, m_lessonId))
        m_progress = m_store.load(m_pack.id, m_lessonId);

    m_window->lessonView()->setLessonMarkdown(
        LessonWorkspace::markdown(*lesson, m_options.language), lesson->directory);
    // From the top, also when the view is laid out (and resized) only later.
    m_window->lessonView()->moveCursor(QTextCursor::Start);
    m_window->setLessonTitle(lessonTitle(*lesson));
    m_window->navigator()->setCurrentLesson(m_lessonId);
    m_window->navigator()->setStatus(m_lessonId, m_progress.status);
    m_window->checks()->clearReport();
    m_window->checks()->showExplanation(QString(), QString());
    m_window->console()->clearOutput();
    m_window->problems()->clearDiagnostics();
    m_metrics.clear();
    m_window->lossPlot()->reset();
    m_window->memoryPlot()->clear();
    m_window->setRunState(tr("Ready"), false);
    m_window->showBottomTab(MainWindow::BottomTab::Output);
    refreshLessonState(m_progress);

    if (!recovered.isEmpty()) {
        m_window->statusBar()->showMessage(
            tr("The last save of this lesson was damaged; your code was restored from %1.")
                .arg(recovered));
    }
    showStarterNotice();
    // Remembered at once (not only on close) so that a crash still reopens here.
    m_settings.lastPack = m_pack.id;
    m_settings.lastLesson = m_lessonId;
    m_settings.save();
    updateActions();
    Q_EMIT lessonOpened(m_lessonId);
    return true;
}

void StudioController::refreshLessonState(const LessonProgress &progress)
{
    const Lesson *lesson = currentLesson();
    if (!lesson)
        return;
    QStringList hints;
    for (const LocalizedText &hint : lesson->hints)
        hints << localized(hint, m_options.language);
    m_window->checks()->setHints(hints, qMin(progress.hintsRevealed, int(hints.size())));
    QString whyNot;
    const bool available = LessonWorkspace::solutionAvailable(*lesson, progress, &whyNot);
    m_window->checks()->setSolutionAvailable(available, whyNot);
    m_window->actions().compare->setEnabled(available);
    m_window->actions().compare->setToolTip(
        available ? tr("Show the differences between your code and the solution") : whyNot);
}

void StudioController::connectEditors(const QList<CodeEditor *> &editors)
{
    for (CodeEditor *editor : editors) {
        connect(editor, &QsciScintilla::textChanged, this, [this, editor] {
            if (m_loadingText)
                return;
            m_dirtyFiles.insert(editor->fileName());
            m_autosave.start(); // restarts: saves once typing pauses
        });
    }
}

void StudioController::saveNow()
{
    m_autosave.stop();
    if (m_dirtyFiles.isEmpty() || m_lessonId.isEmpty())
        return;
    bool ok = true;
    const Lesson *lesson = currentLesson();
    for (const QString &file : std::as_const(m_dirtyFiles)) {
        CodeEditor *editor = m_window->editor(file);
        if (!editor)
            continue;
        // The starter this code began from, so that a pack update can tell
        // whether the starter changed under the learner's code.
        const QString began =
            lesson ? ProgressStore::sha256Hex(LessonWorkspace::starterText(*lesson, file))
                   : QString();
        ok = m_store.saveCode(m_pack.id, m_lessonId, file, editor->text(), began) && ok;
    }
    if (!ok) {
        // Kept dirty: the next keystroke, lesson switch or close tries again.
        m_window->statusBar()->showMessage(
            tr("Your code could not be saved: %1").arg(m_store.lastError()));
        return;
    }
    m_dirtyFiles.clear();
    const LessonStatus before = m_progress.status;
    m_progress = m_store.load(m_pack.id, m_lessonId);
    if (m_progress.status != before)
        m_window->navigator()->setStatus(m_lessonId, m_progress.status);
    Q_EMIT codeSaved(m_lessonId);
}

void StudioController::saveAll()
{
    saveNow();
    m_window->saveLayout(m_settings);
    if (!m_pack.id.isEmpty()) {
        m_settings.lastPack = m_pack.id;
        m_settings.lastLesson = m_lessonId;
    }
    m_settings.save();
}

void StudioController::nextLesson()
{
    const QString next = CourseProgress::nextLesson(m_pack, m_lessonId);
    if (!next.isEmpty())
        openLesson(next);
}

void StudioController::previousLesson()
{
    const QString previous = CourseProgress::previousLesson(m_pack, m_lessonId);
    if (!previous.isEmpty())
        openLesson(previous);
}

void StudioController::resetToStarter()
{
    const Lesson *lesson = currentLesson();
    if (!lesson)
        return;
    // One undoable step per editor; the autosave then stores the starter.
    for (CodeEditor *editor : m_window->editors()) {
        const QString starter = LessonWorkspace::starterText(*lesson, editor->fileName());
        if (editor->text() != starter)
            editor->replaceAllUndoable(starter);
    }
    m_window->statusBar()->showMessage(
        tr("The starter code is back. Undo (Ctrl+Z) in the editor brings your code back."), 8000);
}

void StudioController::showStarterNotice()
{
    NoticeBar *bar = m_window->noticeBar();
    if (m_starterChanges.isEmpty()) {
        bar->hideNotice();
        return;
    }
    QStringList files;
    for (const StarterChange &change : std::as_const(m_starterChanges))
        files << change.fileName;
    bar->showNotice(tr("A course update changed the starter of %1. Your code is kept.")
                        .arg(files.join(QStringLiteral(", "))),
                    {tr("Compare…"), tr("Use the New Starter"), tr("Keep My Code")});
}

void StudioController::compareWithNewStarter()
{
    if (m_starterChanges.isEmpty())
        return;
    // The open tab when it is one of the changed files, else the first changed file.
    StarterChange change = m_starterChanges.first();
    if (CodeEditor *current = m_window->currentEditor()) {
        for (const StarterChange &candidate : std::as_const(m_starterChanges)) {
            if (candidate.fileName == current->fileName())
                change = candidate;
        }
    }
    CodeEditor *editor = m_window->editor(change.fileName);
    const QString mine = editor ? editor->text() : change.learnerCode;
    auto *dialog =
        new DiffDialog(tr("Your code and the new starter — %1").arg(change.fileName),
                       tr("Your code"), mine, tr("New starter"), change.newStarter, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void StudioController::adoptNewStarter()
{
    for (const StarterChange &change : std::as_const(m_starterChanges)) {
        if (CodeEditor *editor = m_window->editor(change.fileName)) {
            if (editor->text() != change.newStarter)
                editor->replaceAllUndoable(change.newStarter); // the autosave stores it
        }
    }
    acknowledgeStarterChanges();
    m_window->statusBar()->showMessage(
        tr("The new starter code is in the editor. Undo (Ctrl+Z) brings your code back."), 8000);
}

void StudioController::keepOwnCode()
{
    acknowledgeStarterChanges();
}

void StudioController::acknowledgeStarterChanges()
{
    saveNow(); // the record below starts from what is on disk
    LessonProgress progress = m_store.load(m_pack.id, m_lessonId);
    for (const StarterChange &change : std::as_const(m_starterChanges)) {
        // The code itself is saved by the autosave from the editor (adopt) or is already
        // there (keep): only the starter the code now answers to is recorded here.
        progress = acknowledgeStarterChange(progress, change, false);
    }
    if (!m_store.save(progress)) {
        m_window->statusBar()->showMessage(
            tr("Your choice could not be saved: %1").arg(m_store.lastError()));
        return;
    }
    m_progress = progress;
    m_starterChanges.clear();
    m_window->noticeBar()->hideNotice();
}

bool StudioController::solutionAvailable() const
{
    const Lesson *lesson = currentLesson();
    return lesson && LessonWorkspace::solutionAvailable(*lesson, m_progress);
}

void StudioController::compareWithSolution()
{
    const Lesson *lesson = currentLesson();
    if (!lesson)
        return;
    QString whyNot;
    if (!LessonWorkspace::solutionAvailable(*lesson, m_progress, &whyNot)) {
        m_window->statusBar()->showMessage(whyNot, 8000);
        return;
    }
    CodeEditor *editor = m_window->currentEditor();
    QString solution =
        editor ? LessonWorkspace::solutionText(*lesson, editor->fileName()) : QString();
    if (solution.isEmpty()) {
        // The open tab has no solution file (a helper file): compare the first one that has.
        for (CodeEditor *other : m_window->editors()) {
            solution = LessonWorkspace::solutionText(*lesson, other->fileName());
            if (!solution.isEmpty()) {
                editor = other;
                break;
            }
        }
    }
    if (!editor || solution.isEmpty())
        return;
    auto *dialog =
        new DiffDialog(tr("Your code and the solution — %1").arg(editor->fileName()),
                       tr("Your code"), editor->text(), tr("Solution"), solution, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void StudioController::revealHint()
{
    const Lesson *lesson = currentLesson();
    if (!lesson)
        return;
    const int next = qMin(m_progress.hintsRevealed + 1, int(lesson->hints.size()));
    if (next == m_progress.hintsRevealed)
        return;
    m_store.recordHint(m_pack.id, m_lessonId, next);
    m_progress.hintsRevealed = next;
    refreshLessonState(m_progress);
}

void StudioController::showEnvironmentDialog()
{
    if (!m_doctor) {
        m_doctor = new DoctorDialog(m_window);
        m_doctor->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_doctor, &DoctorDialog::recheckRequested, this, [this] {
            if (m_activity != Activity::Idle) {
                // The run holds the current PCH; a new gather would replace it.
                m_window->statusBar()->showMessage(tr("Check again once the run has ended."), 5000);
                return;
            }
            m_doctor->setBusy(true);
            startEnvironment();
        });
    }
    if (m_environment->hasReport())
        m_doctor->setReport(m_environment->report());
    else
        m_doctor->setBusy(true);
    m_doctor->show();
    m_doctor->raise();
    m_doctor->activateWindow();
}

void StudioController::showSettingsDialog()
{
    const DiscoveryResult discovery =
        m_environment->hasReport() ? m_environment->report().discovery : DiscoveryResult();
    auto *dialog = new SettingsDialog(m_settings, discovery, m_window);
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

    if (m_settings.editorFontSize != old.editorFontSize)
        m_window->setEditorFontSize(m_settings.editorFontSize);
    if (m_settings.theme != old.theme) {
        if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
            m_window->setDarkTheme(applyTheme(*app, m_settings.theme));
    }
    QStringList notes;
    if (m_settings.language != old.language)
        notes << tr("The new language applies the next time TorchLab starts.");
    if (!sameToolchain(m_settings, old)) {
        if (m_activity == Activity::Idle) {
            m_window->setProfileText(tr("Looking for LibTorch…"));
            startEnvironment();
        } else {
            notes << tr("The new LibTorch and compiler apply the next time TorchLab starts.");
        }
    }
    if (!m_settings.save())
        notes << tr("The settings could not be saved to %1.").arg(LabSettings::filePath());
    if (!notes.isEmpty())
        m_window->statusBar()->showMessage(notes.join(QLatin1Char(' ')), 10000);
}

void StudioController::jumpTo(const QString &file, int line, int column)
{
    m_window->goToLocation(file, line, column);
}

void StudioController::setActivity(Activity activity)
{
    if (m_activity == activity)
        return;
    m_activity = activity;
    updateActions();
    Q_EMIT activityChanged(activity);
    if (activity == Activity::Idle && m_reloadPending) {
        // After the run's report is shown: an update of this pack arrived meanwhile.
        QTimer::singleShot(0, this, &StudioController::reloadCourse);
    }
}

void StudioController::updateActions()
{
    const MainWindow::Actions &a = m_window->actions();
    const bool haveLesson = currentLesson() != nullptr;
    const bool idle = m_activity == Activity::Idle;
    a.run->setEnabled(haveLesson && idle);
    a.check->setEnabled(haveLesson && idle);
    a.stop->setEnabled(!idle);
    a.nextLesson->setEnabled(!CourseProgress::nextLesson(m_pack, m_lessonId).isEmpty());
    a.previousLesson->setEnabled(!CourseProgress::previousLesson(m_pack, m_lessonId).isEmpty());
    a.reset->setEnabled(haveLesson);
    a.compare->setEnabled(solutionAvailable());
}

} // namespace torchlab
