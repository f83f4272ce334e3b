#pragma once

#include "core/packs/feedclient.h"
#include "core/packs/minisign.h"
#include "core/packs/packinstaller.h"
#include "core/packs/truststore.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <memory>

class QThread;

namespace torchlab {

// One pack that an operation installed, updated or removed.
struct PackChange
{
    QString id;
    QString version;         // empty after a removal
    QString previousVersion; // empty for a first install
};

struct PackOperationResult
{
    enum class Kind
    {
        InstallFile,
        Remove,
        Subscribe,
        Update
    };
    Kind kind = Kind::Update;
    bool ok = false;
    bool cancelled = false;
    bool background = false; // a poll the learner did not ask for: report quietly
    QList<PackChange> changes;
    QStringList errors; // one plain, translated sentence each
};

// The packs side of the lab for the GUI (and anything else with an event loop):
// PackInstaller and FeedClient run on one worker thread, so neither a large
// archive nor a slow feed ever blocks the caller's thread. Requests are queued
// and run one at a time in order; each ends with exactly one finished().
//
// Polling: while autoUpdateInterval() > 0 and at least one feed is subscribed,
// update() is queued every interval with background = true (a live course
// pushes updates during the day). The lab starts it a few seconds after start.
//
// Lives in the creating thread; installed()/feeds() read the small registry
// files directly and are safe to call at any time (writers are atomic).
//
// Signals come in this order for each request: progress()..., finished(),
// then packsChanged() when it changed installed packs or feed records.
// busyChanged(true) comes with the first request of a busy spell and
// busyChanged(false) after the finished() of the last one. A request made from
// a slot of finished() joins the same busy spell.
class PackService : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultAutoUpdateMs = 5 * 60'000;

    explicit PackService(const QString &packsDir = QString(), QObject *parent = nullptr);
    // Cancels what runs, drops the queue (no finished() for either) and joins the
    // worker: returns at once for a download, after the install for an install
    // already extracting (seconds at most).
    ~PackService() override;

    QString packsDir() const { return m_packsDir; }
    QList<InstalledPack> installed() const;
    QList<TrustStore::Feed> feeds() const;
    QString packDirectory(const QString &id) const;
    // Fails with the message to show while trust.json or installed.json is
    // damaged (StateFile): installs, removals and feeds are then refused.
    Status health() const;

    bool isBusy() const { return m_busy; }
    int queuedCount() const;

    // `signature` empty: archive + ".minisig".
    void installFile(const QString &archive, const QString &signature,
                     const MinisignPublicKey &key);
    void remove(const QString &id);
    void subscribe(const QUrl &feed, const MinisignPublicKey &key);
    // Forgets a feed (its packs stay installed). Synchronous: one small file.
    bool unsubscribe(const QString &indexUrl, QString *error = nullptr);
    // Reads every subscribed feed and installs what is newer. A request while
    // an update is already queued or running is merged into it (and made
    // non-background, so the learner hears how it went).
    void update(bool background = false);
    // Ends the running operation as soon as possible (downloads are aborted,
    // an install already swapping into place completes) and drops the queue.
    // Every dropped request still gets its finished() (cancelled = true), after
    // the running one's; the running one reports cancelled = true when it was
    // cut short (a feed operation), else how it really ended (a file install
    // or a removal that had begun runs to its end). queuedCount() is 0 after.
    void cancel();

    void setAutoUpdateInterval(int ms); // 0: no polling
    int autoUpdateInterval() const { return m_pollMs; }
    // Test hook: the limits FeedClient applies to downloads.
    void setFeedLimits(const FeedLimits &limits);

Q_SIGNALS:
    void busyChanged(bool busy);
    void progress(const QString &message); // what the worker is doing now
    void finished(const torchlab::PackOperationResult &result);
    // The installed set or the subscriptions changed (after finished()).
    void packsChanged();

private:
    // Private members are the implementation's choice (a request queue, the
    // worker object living in m_thread, the poll timer).
    struct Request;
    class Worker;
    struct State;
    void enqueue(Request request);
    void dispatchNext();
    void workerFinished(quint64 serial, PackOperationResult result);

    QString m_packsDir;
    QThread *m_thread = nullptr;
    bool m_busy = false;
    int m_pollMs = 0;
    QTimer m_poll;
    std::unique_ptr<State> m_state;
};

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::PackOperationResult)
