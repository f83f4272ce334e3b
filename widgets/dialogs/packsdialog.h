#pragma once

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QString>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace torchlab {

// One row of the Packs dialog's pack list (values from core: PackInstaller's
// registry, the loaded pack's title, a feed's newest entry).
struct PackRow
{
    QString id;
    QString title;            // in the UI language; falls back to the id when empty
    QString version;          // installed version
    QString availableVersion; // newer version a feed lists; empty when up to date
    QString source;           // "file:<path>" or the feed's index URL; "built-in" for the course
    QString keyId;            // hex id of the signing key; empty for the built-in course
    QDateTime installedAt;    // UTC; invalid for the built-in course
    bool builtIn = false;     // the course shipped with the lab: cannot be removed
    bool open = false;        // the pack the lab shows now
};

// One subscribed feed.
struct FeedRow
{
    QString url; // index URL
    QString keyId;
    QDateTime lastChecked; // UTC; invalid when never
    QDateTime lastIssued;  // UTC issue time of the newest index accepted
    QString lastError;     // empty when the last update worked
};

// Course → Packs…: the packs the learner has and the feeds they follow. View
// only: every button emits a request; the controller (app/studio) does the
// work on PackService and feeds the new state back with setPacks()/setFeeds()/
// setBusy()/showResult(). While busy, the buttons that start work are disabled
// and Cancel is shown next to a busy bar and the progress message.
class PacksDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PacksDialog(QWidget *parent = nullptr);

    void setPacks(const QList<PackRow> &packs);
    void setFeeds(const QList<FeedRow> &feeds);
    void setBusy(bool busy, const QString &message = QString());
    // The outcome of the last operation under the lists: `error` in the
    // error colour (may hold several lines), else plain.
    void showResult(const QString &text, bool error);
    QString resultText() const;

    QString selectedPackId() const;
    QString selectedFeedUrl() const;
    bool selectPack(const QString &id);

    // Remove… asks "Remove “…” from the lab?" in a QMessageBox first (true by
    // default). Tests of the controller may switch the question off.
    void setConfirmRemovals(bool confirm);

    // For tests and the controller.
    QTreeWidget *packList() const { return m_packs; }
    QTreeWidget *feedList() const { return m_feeds; }
    QPushButton *installButton() const { return m_install; }
    QPushButton *subscribeButton() const { return m_subscribe; }
    QPushButton *updateButton() const { return m_update; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *openButton() const { return m_open; }
    QPushButton *unsubscribeButton() const { return m_unsubscribe; }
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void installFromFileRequested();         // the controller opens InstallPackDialog
    void subscribeRequested();               // the controller opens SubscribeDialog
    void updateRequested();                  // check every feed now
    void removeRequested(const QString &id); // after the dialog's own confirmation
    void openRequested(const QString &id);   // show this pack in the lab (also double-click)
    void unsubscribeRequested(const QString &url);
    void cancelRequested();

private:
    // Private members are the implementation's choice.
    QTreeWidgetItem *selectedPackItem() const;
    void updateButtons();
    void requestOpen(const QString &id);
    void requestRemove();

    bool m_busy = false;
    bool m_confirmRemovals = true;
    QTreeWidget *m_packs = nullptr;
    QTreeWidget *m_feeds = nullptr;
    QPushButton *m_install = nullptr;
    QPushButton *m_subscribe = nullptr;
    QPushButton *m_update = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_unsubscribe = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_busyBar = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_result = nullptr;
    QWidget *m_busyRow = nullptr; // busy bar, message and Cancel
    QLabel *m_emptyPacks = nullptr;
    QLabel *m_emptyFeeds = nullptr;
};

} // namespace torchlab
