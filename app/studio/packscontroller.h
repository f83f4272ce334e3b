#pragma once

#include "core/util/result.h"

#include "core/packs/packservice.h"
#include "core/packs/subscribelink.h"

#include "widgets/dialogs/installpackdialog.h"
#include "widgets/dialogs/packsdialog.h"
#include "widgets/dialogs/removedlessonsdialog.h"
#include "widgets/dialogs/subscribedialog.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace torchlab {

class MainWindow;
class StudioController;

// The lab's side of lesson packs: Course → Packs… (PacksDialog), installing
// from a file (InstallPackDialog), subscribing (SubscribeDialog, also from a
// torchlab://subscribe link), checking feeds on start, on demand and every
// few minutes, and the learner's code from lessons an update removed. All
// work runs on PackService's worker thread; this class only turns its
// results into what the window shows, and reopens the pack the learner is in
// when an update replaced it (StudioController::reloadCourse keeps their code).
//
// The dialogs are non-modal and single: asking again raises the open one.
class PacksController : public QObject
{
    Q_OBJECT
public:
    // `builtInCourse`: the course folder shipped with the lab (locateCourse()),
    // listed first and never removable. `service` null: one is made here.
    PacksController(StudioController *studio, MainWindow *window, const QString &builtInCourse,
                    PackService *service = nullptr, QObject *parent = nullptr);

    PackService *service() const { return m_service; }

    void showPacksDialog();
    PacksDialog *packsDialog() const { return m_packs; }
    void showInstallDialog();
    InstallPackDialog *installDialog() const { return m_install; }
    void showSubscribeDialog(const std::optional<SubscribeLink> &link = std::nullopt);
    SubscribeDialog *subscribeDialog() const { return m_subscribe; }
    void showRemovedLessons();
    RemovedLessonsDialog *removedLessonsDialog() const { return m_removed; }

    // A torchlab://subscribe link (from the command line or a second start):
    // the Subscribe dialog opens filled in, for the learner to confirm. False,
    // with the reason in the status bar, when the text is not a valid link.
    bool handleLink(const QString &text);

    // Course → Check for Course Updates, and the polls.
    void checkForUpdates();
    // The first check after `firstDelayMs` (the window is up and the toolchain
    // warm-up has its head start), then every `intervalMs`.
    void startPolling(int firstDelayMs = 4000, int intervalMs = PackService::DefaultAutoUpdateMs);

    // Shows pack `id` in the lab (the built-in course's id too).
    Status openPack(const QString &id);

    QList<PackRow> packRows() const;
    QList<FeedRow> feedRows() const;
    // The sentence(s) a finished operation is reported with; empty when a
    // background poll changed nothing.
    static QString describe(const PackOperationResult &result);

Q_SIGNALS:
    void operationFinished(const torchlab::PackOperationResult &result);

private:
    void onFinished(const PackOperationResult &result);
    void refreshDialog();
    QString builtInId() const;

    StudioController *m_studio = nullptr;
    MainWindow *m_window = nullptr;
    QString m_builtInCourse;
    mutable QString m_builtInId; // read once from the built-in pack.toml
    PackService *m_service = nullptr;
    QPointer<PacksDialog> m_packs;
    QPointer<InstallPackDialog> m_install;
    QPointer<SubscribeDialog> m_subscribe;
    QPointer<RemovedLessonsDialog> m_removed;
};

} // namespace torchlab
