#pragma once

#include "core/packs/feedindex.h"
#include "core/packs/keyrotation.h"
#include "core/packs/minisign.h"
#include "core/packs/packinstaller.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;

namespace torchlab {

// Caps for everything fetched from a feed (docs/reliability.md row 21: endless and
// slow feeds). A download ends with an error as soon as it passes its size cap
// (or announces more in Content-Length, or sends a different amount than it
// announced), when no byte arrived for stallTimeoutMs, or after totalTimeoutMs.
struct FeedLimits
{
    qint64 maxIndexBytes = FeedIndex::MaxBytes;
    qint64 maxSignatureBytes = 8192;
    qint64 maxPackBytes = qint64(256) << 20;
    int stallTimeoutMs = 30'000;
    int totalTimeoutMs = 10 * 60'000; // per download
};

struct FeedUpdateResult
{
    bool ok = false;       // every feed was read and every pack that needed it installed
    QStringList installed; // "id version" of each pack installed or updated
    QStringList errors;    // one plain, translated sentence each ("<feed or pack>: why")
    QList<PackInstallResult> installs; // the same installs in full (previousVersion, directory)
    bool cancelled = false;            // cancel() ended it; errors then says so
};

// Subscribes to signed feeds and installs what they publish, over http(s) with
// QNetworkAccessManager. Feeds and their keys live in the TrustStore, packs go
// through PackInstaller (all checks there). A feed's index is verified with
// verifyFeedIndex() (signature first, expiry, no older index than last time);
// each pack is downloaded next to its .minisig and must match its index entry
// and be signed by the feed's pack key (the index key unless the index names
// a "pack_key"). An index or pack key other than the pinned one is accepted
// only through a key-rotation statement beside the index, signed by the
// pinned key (verifyKeyRotation); then the feed and the packs pinned to the
// old pack key are re-pinned.
//
// One operation at a time; each ends with exactly one finished(). Lives in the
// creating thread; installs run synchronously inside it (seconds at most), so
// the GUI runs it on a worker thread (PackService). A feed's record is updated
// (last check, error, newest index) but never re-created by update() when the
// learner unsubscribed while it ran.
class FeedClient : public QObject
{
    Q_OBJECT
public:
    explicit FeedClient(const QString &packsDir = QString(), QObject *parent = nullptr);
    ~FeedClient() override;

    void setLimits(const FeedLimits &limits) { m_limits = limits; }
    FeedLimits limits() const { return m_limits; }
    bool isBusy() const { return m_busy; }

    // Reads the feed at `url` (a folder URL ending in "/" or the index.json
    // itself) with `key`, remembers the subscription when the index verifies,
    // and installs every pack it lists that is newer than the installed one.
    void subscribe(const QUrl &url, const MinisignPublicKey &key);
    // The same for every subscribed feed.
    void update();
    // Ends the running operation as soon as possible: the download in flight is
    // aborted, nothing more is fetched or installed (packs installed before stay)
    // and finished() follows once, with cancelled = true and an error saying so.
    // An install running synchronously cannot be interrupted (it completes
    // before this can run). Nothing happens when idle.
    void cancel();

    // http(s) only; "…/" -> "…/index.json".
    static QUrl indexUrl(const QUrl &url);

Q_SIGNALS:
    void progress(const QString &message);
    void finished(const torchlab::FeedUpdateResult &result);

private:
    struct Run;
    using Done = std::function<void(const QString &error)>;
    void fetch(const QUrl &url, qint64 cap, QIODevice *sink, Done done);
    void nextFeed();
    void verifyIndex(const Done &feedFailed);
    void acceptIndex(const FeedIndexCheck &check, const Done &feedFailed);
    void fetchRotation(KeyRotation::Role role, Done done);
    void nextPack();
    void finish();

    QString m_packsDir;
    FeedLimits m_limits;
    QNetworkAccessManager *m_network = nullptr;
    bool m_busy = false;
    std::unique_ptr<Run> m_run;
    QPointer<QNetworkReply> m_reply; // the download in flight
    FeedUpdateResult m_result;
};

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::FeedUpdateResult)
