#include "studio/packscontroller.h"

#include "studio/mainwindow.h"
#include "studio/studiocontroller.h"

#include "core/course/localizedtext.h"
#include "core/course/packloader.h"
#include "core/course/semver.h"
#include "widgets/dialogs/installpackdialog.h"
#include "widgets/dialogs/removedlessonsdialog.h"
#include "widgets/dialogs/subscribedialog.h"

#include <QAction>
#include <QFileInfo>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>

#include <algorithm>

namespace torchlab {

namespace {

// The title of the pack in `directory` in `language`, or "" when it cannot be read.
QString packTitle(const QString &directory, const QString &language)
{
    const PackLoadResult loaded = PackLoader::load(directory);
    return loaded.valid() ? localized(loaded.pack.title, language) : QString();
}

template <typename Dialog> void raise(Dialog *dialog)
{
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

} // namespace

PacksController::PacksController(StudioController *studio, MainWindow *window,
                                 const QString &builtInCourse, PackService *service,
                                 QObject *parent)
    : QObject(parent), m_studio(studio), m_window(window), m_builtInCourse(builtInCourse),
      m_service(service ? service : new PackService(QString(), this))
{
    const MainWindow::Actions &a = window->actions();
    connect(a.packs, &QAction::triggered, this, &PacksController::showPacksDialog);
    connect(a.checkUpdates, &QAction::triggered, this, &PacksController::checkForUpdates);
    connect(a.removedLessons, &QAction::triggered, this, &PacksController::showRemovedLessons);
    connect(m_service, &PackService::finished, this, &PacksController::onFinished);
    connect(m_service, &PackService::progress, this, [this](const QString &message) {
        if (m_packs)
            m_packs->setBusy(true, message);
    });
    connect(m_service, &PackService::busyChanged, this, [this](bool busy) {
        m_window->actions().checkUpdates->setEnabled(!busy);
        if (m_packs)
            m_packs->setBusy(busy, busy ? tr("Working…") : QString());
    });
    connect(m_service, &PackService::packsChanged, this, &PacksController::refreshDialog);
    connect(m_studio, &StudioController::courseOpened, this, &PacksController::refreshDialog);
}

QString PacksController::builtInId() const
{
    if (m_builtInId.isEmpty()) {
        const PackLoadResult loaded = PackLoader::load(m_builtInCourse);
        if (loaded.valid())
            m_builtInId = loaded.pack.id;
    }
    return m_builtInId;
}

QList<PackRow> PacksController::packRows() const
{
    const QString language = m_studio->language();
    const QString open = m_studio->pack().id;
    QList<PackRow> rows;
    const QList<InstalledPack> installed = m_service->installed();
    // A pack installed under the built-in course's id is a newer edition of it
    // (an instructor's update of the course): it replaces the built-in row.
    const bool replaced =
        std::any_of(installed.cbegin(), installed.cend(),
                    [this](const InstalledPack &p) { return p.id == builtInId(); });
    if (!builtInId().isEmpty() && !replaced) {
        const PackLoadResult loaded = PackLoader::load(m_builtInCourse);
        PackRow row;
        row.id = loaded.pack.id;
        row.title = localized(loaded.pack.title, language);
        row.version = loaded.pack.version;
        row.source = tr("built-in");
        row.builtIn = true;
        row.open = row.id == open && QFileInfo(m_studio->pack().directory).canonicalFilePath() ==
                                         QFileInfo(m_builtInCourse).canonicalFilePath();
        rows << row;
    }
    // What the subscribed feeds offer: a version newer than the installed one
    // is an update that has not arrived yet (it failed, or is on its way).
    QHash<QString, QString> offered;
    for (const TrustStore::Feed &feed : m_service->feeds()) {
        for (auto it = feed.listed.constBegin(); it != feed.listed.constEnd(); ++it) {
            const auto version = SemVer::parse(it.value());
            const auto best = SemVer::parse(offered.value(it.key()));
            if (version && (!best || SemVer::compare(*version, *best) > 0))
                offered.insert(it.key(), it.value());
        }
    }
    for (const InstalledPack &pack : installed) {
        PackRow row;
        row.id = pack.id;
        row.title = packTitle(m_service->packDirectory(pack.id), language);
        row.version = pack.version;
        row.source = pack.source;
        row.keyId = pack.keyId;
        row.installedAt = pack.installedAt;
        const auto have = SemVer::parse(pack.version);
        const auto newer = SemVer::parse(offered.value(pack.id));
        if (have && newer && SemVer::compare(*newer, *have) > 0)
            row.availableVersion = offered.value(pack.id);
        row.open =
            pack.id == open && QFileInfo(m_studio->pack().directory).canonicalFilePath() ==
                                   QFileInfo(m_service->packDirectory(pack.id)).canonicalFilePath();
        rows << row;
    }
    return rows;
}

QList<FeedRow> PacksController::feedRows() const
{
    QList<FeedRow> rows;
    for (const TrustStore::Feed &feed : m_service->feeds()) {
        FeedRow row;
        row.url = feed.url;
        row.keyId = feed.key.keyIdHex();
        row.lastChecked = feed.lastChecked;
        row.lastIssued = feed.lastIssued;
        row.lastError = feed.lastError;
        rows << row;
    }
    return rows;
}

void PacksController::refreshDialog()
{
    if (!m_packs)
        return;
    m_packs->setPacks(packRows());
    m_packs->setFeeds(feedRows());
}

void PacksController::showPacksDialog()
{
    if (!m_packs) {
        m_packs = new PacksDialog(m_window);
        m_packs->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_packs, &PacksDialog::installFromFileRequested, this,
                &PacksController::showInstallDialog);
        connect(m_packs, &PacksDialog::subscribeRequested, this, [this] { showSubscribeDialog(); });
        connect(m_packs, &PacksDialog::updateRequested, this, &PacksController::checkForUpdates);
        connect(m_packs, &PacksDialog::removeRequested, m_service, &PackService::remove);
        connect(m_packs, &PacksDialog::openRequested, this, [this](const QString &id) {
            if (const Status opened = openPack(id); !opened)
                m_packs->showResult(opened.error(), true);
        });
        connect(m_packs, &PacksDialog::unsubscribeRequested, this, [this](const QString &url) {
            QString error;
            if (m_service->unsubscribe(url, &error))
                m_packs->showResult(
                    tr("You no longer follow %1. Its packs stay installed.").arg(url), false);
            else
                m_packs->showResult(error, true);
            refreshDialog();
        });
        connect(m_packs, &PacksDialog::cancelRequested, m_service, &PackService::cancel);
        refreshDialog();
        m_packs->setBusy(m_service->isBusy(), m_service->isBusy() ? tr("Working…") : QString());
    }
    raise(m_packs.data());
}

void PacksController::showInstallDialog()
{
    if (!m_install) {
        QWidget *parent = m_packs ? static_cast<QWidget *>(m_packs) : m_window;
        m_install = new InstallPackDialog(parent);
        m_install->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_install, &QDialog::accepted, this, [this] {
            const auto key = m_install->key();
            if (!key)
                return;
            showPacksDialog(); // where the progress and the outcome are shown
            m_service->installFile(m_install->archive(), m_install->signature(), *key);
        });
    }
    raise(m_install.data());
}

void PacksController::showSubscribeDialog(const std::optional<SubscribeLink> &link)
{
    if (!m_subscribe) {
        QWidget *parent = m_packs ? static_cast<QWidget *>(m_packs) : m_window;
        m_subscribe = new SubscribeDialog(parent);
        m_subscribe->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_subscribe, &QDialog::accepted, this, [this] {
            const auto key = m_subscribe->key();
            if (!key)
                return;
            showPacksDialog();
            m_service->subscribe(m_subscribe->feedUrl(), *key);
        });
    }
    if (link)
        m_subscribe->setLink(*link);
    raise(m_subscribe.data());
}

bool PacksController::handleLink(const QString &text)
{
    QString error;
    const auto link = SubscribeLink::parse(text, &error);
    if (!link) {
        m_window->statusBar()->showMessage(tr("This link cannot be used: %1").arg(error), 15000);
        return false;
    }
    showSubscribeDialog(link);
    return true;
}

void PacksController::showRemovedLessons()
{
    QList<RemovedLessonCode> lessons;
    for (const LessonProgress &record : m_studio->removedLessons())
        lessons.append({record.lessonId, record.lastEdited, record.code});
    if (lessons.isEmpty()) {
        m_window->statusBar()->showMessage(
            tr("No lesson with your code was removed from this pack."), 8000);
        return;
    }
    if (m_removed)
        m_removed->close();
    m_removed = new RemovedLessonsDialog(lessons, m_window);
    m_removed->setAttribute(Qt::WA_DeleteOnClose);
    raise(m_removed.data());
}

void PacksController::checkForUpdates()
{
    if (const Status health = m_service->health(); !health) {
        if (m_packs)
            m_packs->showResult(health.error(), false);
        m_window->statusBar()->showMessage(health.error(), 10000);
        return;
    }
    if (m_service->feeds().isEmpty()) {
        const QString text =
            tr("You follow no feed yet. Ask your instructor for a subscribe link, or use "
               "Course → Packs… → Subscribe.");
        if (m_packs)
            m_packs->showResult(text, false);
        m_window->statusBar()->showMessage(text, 10000);
        return;
    }
    m_window->statusBar()->showMessage(tr("Checking your course feeds…"), 5000);
    m_service->update(false);
}

void PacksController::startPolling(int firstDelayMs, int intervalMs)
{
    m_service->setAutoUpdateInterval(intervalMs);
    QTimer::singleShot(firstDelayMs, this, [this] {
        if (!m_service->feeds().isEmpty())
            m_service->update(true);
    });
}

Status PacksController::openPack(const QString &id)
{
    QString directory;
    for (const InstalledPack &pack : m_service->installed()) {
        if (pack.id == id)
            directory = m_service->packDirectory(id);
    }
    if (directory.isEmpty() && !id.isEmpty() && id == builtInId())
        directory = m_builtInCourse;
    if (directory.isEmpty())
        return fail(tr("The pack %1 is not installed.").arg(id));
    return m_studio->openCourse(directory);
}

QString PacksController::describe(const PackOperationResult &result)
{
    QStringList lines;
    for (const PackChange &change : result.changes) {
        if (change.version.isEmpty())
            lines << tr("Removed %1. Your code and progress are kept.").arg(change.id);
        else if (change.previousVersion.isEmpty())
            lines << tr("Installed %1 %2.").arg(change.id, change.version);
        else
            lines << tr("Updated %1 from %2 to %3.")
                         .arg(change.id, change.previousVersion, change.version);
    }
    lines += result.errors; // a cancelled operation says so there
    if (result.cancelled && result.errors.isEmpty())
        lines << tr("Cancelled.");
    if (lines.isEmpty() && !result.background) {
        lines << (result.kind == PackOperationResult::Kind::Update ? tr("Every pack is up to date.")
                                                                   : tr("Done."));
    }
    return lines.join(QLatin1Char('\n'));
}

void PacksController::onFinished(const PackOperationResult &result)
{
    const QString text = describe(result);
    const bool failed = !result.ok && !result.cancelled;
    if (m_packs && !text.isEmpty())
        m_packs->showResult(text, failed);
    if (!text.isEmpty()) {
        // A quiet poll that failed (offline, say) is only mentioned in passing.
        const QString shown =
            result.background && failed
                ? tr("Checking for course updates failed: %1").arg(result.errors.value(0))
                : text.section(QLatin1Char('\n'), 0, 0);
        m_window->statusBar()->showMessage(shown, 15000);
    }

    // The pack on screen changed under the learner: show the new version, or
    // go back to the built-in course when it was removed. Their code stays.
    const QString open = m_studio->pack().id;
    for (const PackChange &change : result.changes) {
        if (change.id != open)
            continue;
        if (change.version.isEmpty()) {
            if (const Status opened = m_studio->openCourse(m_builtInCourse); !opened)
                m_window->statusBar()->showMessage(opened.error(), 15000);
        } else {
            m_studio->reloadCourse();
        }
        break;
    }
    refreshDialog();
    Q_EMIT operationFinished(result);
}

} // namespace torchlab
