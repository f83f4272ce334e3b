#include "core/packs/feedclient.h"

#include "core/course/semver.h"
#include "core/packs/packinstaller.h"
#include "core/packs/truststore.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::FeedClient)
};

} // namespace

struct FeedClient::Run
{
    QList<TrustStore::Feed> feeds; // still to read; the first is the current one
    bool subscribing = false;
    bool knownFeed = false; // subscribing again to a feed already followed with this key
    bool cancelled = false;
    // The current feed as first read (pins before this run) and as it will be
    // saved (after any key rotation the run accepted).
    TrustStore::Feed before;
    TrustStore::Feed current;
    bool triedIndexRotation = false;
    bool triedPackRotation = false;
    QByteArray rotationJson;
    QByteArray rotationSignature;
    FeedIndex index;          // of the current feed, verified
    QList<FeedEntry> pending; // packs of the current feed still to install
    QByteArray indexJson;
    QByteArray indexSignature;
    QByteArray packSignature;
    std::unique_ptr<QTemporaryDir> downloads;
};

FeedClient::FeedClient(const QString &packsDir, QObject *parent)
    : QObject(parent), m_packsDir(packsDir.isEmpty() ? defaultPacksDir() : packsDir),
      m_network(new QNetworkAccessManager(this))
{
}

FeedClient::~FeedClient()
{
    // The reply's handlers write into m_run's buffers: cut them off before m_run goes.
    if (m_reply) {
        m_reply->disconnect();
        m_reply->abort();
        delete m_reply;
    }
}

QUrl FeedClient::indexUrl(const QUrl &url)
{
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
        url.host().isEmpty())
        return {};
    if (url.path().endsWith(QLatin1String(".json")))
        return url;
    QUrl u = url;
    u.setPath(url.path().endsWith(QLatin1Char('/')) ? url.path() + QStringLiteral("index.json")
                                                    : url.path() + QStringLiteral("/index.json"));
    return u;
}

void FeedClient::subscribe(const QUrl &url, const MinisignPublicKey &key)
{
    if (m_busy)
        return;
    const QUrl index = indexUrl(url);
    m_busy = true;
    m_run = std::make_unique<Run>();
    m_run->subscribing = true;
    m_result = FeedUpdateResult();
    if (!index.isValid()) {
        m_result.errors.append(
            Tr::tr("%1 is not an http or https address of a feed.").arg(url.toString()));
        QTimer::singleShot(0, this, &FeedClient::finish);
        return;
    }
    // A damaged trust.json or installed.json is never rewritten (docs/reliability.md row 31).
    if (const Status health = PackInstaller(m_packsDir).status(); !health) {
        m_result.errors.append(health.error());
        QTimer::singleShot(0, this, &FeedClient::finish);
        return;
    }
    TrustStore::Feed feed;
    feed.url = index.toString();
    feed.key = key;
    // Subscribing again to a known feed with the same key keeps its rollback floor.
    if (const auto known = TrustStore(m_packsDir).feed(feed.url); known && known->key == key) {
        feed = *known;
        m_run->knownFeed = true;
    }
    m_run->feeds.append(feed);
    QTimer::singleShot(0, this, &FeedClient::nextFeed);
}

void FeedClient::update()
{
    if (m_busy)
        return;
    m_busy = true;
    m_run = std::make_unique<Run>();
    m_result = FeedUpdateResult();
    if (const Status health = PackInstaller(m_packsDir).status(); !health) {
        m_result.errors.append(health.error());
        QTimer::singleShot(0, this, &FeedClient::finish);
        return;
    }
    m_run->feeds = TrustStore(m_packsDir).feeds();
    QTimer::singleShot(0, this, &FeedClient::nextFeed);
}

void FeedClient::cancel()
{
    if (!m_busy || !m_run || m_run->cancelled)
        return;
    m_run->cancelled = true;
    // abort() ends the reply at once; its done() callback sees `cancelled` and
    // finishes. Without a reply in flight, the next step that is queued does.
    if (m_reply)
        m_reply->abort();
}

void FeedClient::finish()
{
    if (m_run && m_run->cancelled) {
        m_result.cancelled = true;
        m_result.errors.append(Tr::tr("Cancelled: nothing more was downloaded or installed."));
    }
    m_result.ok = m_result.errors.isEmpty();
    m_run.reset();
    m_busy = false;
    Q_EMIT finished(m_result);
}

void FeedClient::nextFeed()
{
    if (m_run->feeds.isEmpty() || m_run->cancelled) {
        finish();
        return;
    }
    const TrustStore::Feed feed = m_run->feeds.first();
    Q_EMIT progress(Tr::tr("Reading %1").arg(feed.url));
    m_run->indexJson.clear();
    m_run->indexSignature.clear();
    auto *buffer = new QBuffer(&m_run->indexJson, this);
    buffer->open(QIODevice::WriteOnly);
    const auto feedFailed = [this, feed](const QString &error) {
        if (m_run->cancelled)
            return finish();
        m_result.errors.append(QStringLiteral("%1: %2").arg(feed.url, error));
        TrustStore::Feed updated = feed;
        updated.lastChecked = QDateTime::currentDateTimeUtc();
        updated.lastError = error;
        if (!m_run->subscribing)
            TrustStore(m_packsDir).updateFeed(updated);
        m_run->feeds.removeFirst();
        nextFeed();
    };
    fetch(QUrl(feed.url), m_limits.maxIndexBytes, buffer,
          [this, buffer, feed, feedFailed](const QString &error) {
              buffer->deleteLater();
              if (!error.isEmpty())
                  return feedFailed(error);
              auto *sigBuffer = new QBuffer(&m_run->indexSignature, this);
              sigBuffer->open(QIODevice::WriteOnly);
              fetch(QUrl(feed.url + QStringLiteral(".minisig")), m_limits.maxSignatureBytes,
                    sigBuffer, [this, sigBuffer, feed, feedFailed](const QString &error) {
                        sigBuffer->deleteLater();
                        if (!error.isEmpty())
                            return feedFailed(
                                Tr::tr("The feed index is not signed: %1").arg(error));
                        m_run->before = feed;
                        m_run->current = feed;
                        m_run->triedIndexRotation = false;
                        m_run->triedPackRotation = false;
                        verifyIndex(feedFailed);
                    });
          });
}

namespace {

// True when `signature` parses and names another key than `key`: the case a
// key-rotation statement may explain (a tampered index keeps the key id).
bool signedByAnotherKey(const QByteArray &signature, const MinisignPublicKey &key)
{
    const auto parsed = MinisignSignature::parse(signature);
    return parsed && parsed->keyId != key.keyId;
}

} // namespace

void FeedClient::fetchRotation(KeyRotation::Role role, Done done)
{
    const QUrl base(m_run->current.url);
    const QUrl statement = base.resolved(QUrl(KeyRotation::fileName(role)));
    m_run->rotationJson.clear();
    m_run->rotationSignature.clear();
    auto *buffer = new QBuffer(&m_run->rotationJson, this);
    buffer->open(QIODevice::WriteOnly);
    fetch(statement, KeyRotation::MaxBytes, buffer,
          [this, buffer, statement, done](const QString &error) {
              buffer->deleteLater();
              if (!error.isEmpty())
                  return done(error);
              auto *sigBuffer = new QBuffer(&m_run->rotationSignature, this);
              sigBuffer->open(QIODevice::WriteOnly);
              fetch(QUrl(statement.toString() + QStringLiteral(".minisig")),
                    m_limits.maxSignatureBytes, sigBuffer, [sigBuffer, done](const QString &e) {
                        sigBuffer->deleteLater();
                        done(e);
                    });
          });
}

// The index with the pinned index key; when another key signed it, through
// the key-rotation statement beside it (signed by the pinned key). Then the
// pack key the index names, likewise. Nothing is re-pinned before the whole
// index verified.
void FeedClient::verifyIndex(const Done &feedFailed)
{
    TrustStore::Feed &feed = m_run->current;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const FeedIndexCheck check = verifyFeedIndex(m_run->indexJson, m_run->indexSignature, feed.key,
                                                 now, feed.lastIssued, feed.lastIndexSha256);
    if (!check.ok && !m_run->triedIndexRotation &&
        signedByAnotherKey(m_run->indexSignature, feed.key)) {
        m_run->triedIndexRotation = true;
        Q_EMIT progress(Tr::tr("Reading the key-rotation statement of %1").arg(feed.url));
        fetchRotation(KeyRotation::Role::Index, [this, feedFailed, check](const QString &error) {
            if (m_run->cancelled)
                return finish();
            if (!error.isEmpty()) // no statement: the index's own error says it best
                return feedFailed(check.error);
            TrustStore::Feed &feed = m_run->current;
            const Result<KeyRotation> rotation = verifyKeyRotation(
                m_run->rotationJson, m_run->rotationSignature, KeyRotation::Role::Index, {feed.key},
                feed.key, QDateTime::currentDateTimeUtc(), feed.indexKeyRotatedAt);
            if (!rotation)
                return feedFailed(rotation.error());
            feed.key = rotation->newKey;
            feed.indexKeyRotatedAt = rotation->issued;
            verifyIndex(feedFailed);
        });
        return;
    }
    if (!check.ok)
        return feedFailed(check.error);

    const MinisignPublicKey pinnedPackKey = feed.packSigningKey();
    if (check.index.packKey && !(*check.index.packKey == pinnedPackKey)) {
        const MinisignPublicKey named = *check.index.packKey;
        if (m_run->subscribing && !m_run->knownFeed) {
            feed.packKey = named; // first contact: pinned as the index names it
        } else if (!m_run->triedPackRotation) {
            m_run->triedPackRotation = true;
            Q_EMIT progress(Tr::tr("Reading the key-rotation statement of %1").arg(feed.url));
            fetchRotation(KeyRotation::Role::Packs, [this, feedFailed, named,
                                                     pinnedPackKey](const QString &error) {
                if (m_run->cancelled)
                    return finish();
                TrustStore::Feed &feed = m_run->current;
                if (!error.isEmpty())
                    return feedFailed(
                        Tr::tr("The feed index names the pack key %1, but the key trusted for "
                               "its packs is %2 and there is no valid key-rotation statement: %3")
                            .arg(named.keyIdHex(), pinnedPackKey.keyIdHex(), error));
                // Signed by the pack key it replaces, or by the index key (a lost pack key).
                const Result<KeyRotation> rotation = verifyKeyRotation(
                    m_run->rotationJson, m_run->rotationSignature, KeyRotation::Role::Packs,
                    {pinnedPackKey, feed.key}, pinnedPackKey, QDateTime::currentDateTimeUtc(),
                    feed.packKeyRotatedAt);
                if (!rotation)
                    return feedFailed(rotation.error());
                if (!(rotation->newKey == named))
                    return feedFailed(
                        Tr::tr("The feed index names the pack key %1 but the key-rotation "
                               "statement names %2.")
                            .arg(named.keyIdHex(), rotation->newKey.keyIdHex()));
                feed.packKey = named;
                feed.packKeyRotatedAt = rotation->issued;
                verifyIndex(feedFailed);
            });
            return;
        } else {
            return feedFailed(Tr::tr("The feed index names the pack key %1, but the key trusted "
                                     "for its packs is %2.")
                                  .arg(named.keyIdHex(), pinnedPackKey.keyIdHex()));
        }
    }
    acceptIndex(check, feedFailed);
}

void FeedClient::acceptIndex(const FeedIndexCheck &check, const Done &feedFailed)
{
    TrustStore::Feed accepted = m_run->current;
    accepted.lastIssued = check.index.issued;
    accepted.lastIndexSha256 = check.sha256;
    accepted.lastChecked = QDateTime::currentDateTimeUtc();
    accepted.lastError.clear();
    accepted.listed.clear();
    for (const FeedEntry &e : check.index.packs)
        accepted.listed.insert(e.id, e.version);
    QString saveError;
    TrustStore trust(m_packsDir);
    // A rotated pack key carries the packs pinned to the old one along; first,
    // so that a crash before the feed is saved only repeats the rotation.
    const MinisignPublicKey oldPackKey = m_run->before.packSigningKey();
    const MinisignPublicKey newPackKey = accepted.packSigningKey();
    const bool rotated = !(oldPackKey == newPackKey) && (!m_run->subscribing || m_run->knownFeed);
    if (rotated && !trust.repinPacks(oldPackKey, newPackKey, &saveError))
        return feedFailed(saveError);
    if (m_run->subscribing ? !trust.saveFeed(accepted, &saveError)
                           : !trust.updateFeed(accepted, &saveError)) {
        // An update finding no record: unsubscribed meanwhile, so skipped.
        if (saveError.isEmpty()) {
            m_run->feeds.removeFirst();
            return nextFeed();
        }
        return feedFailed(saveError);
    }
    m_run->feeds.first() = accepted;
    m_run->index = check.index;
    m_run->pending.clear();
    const PackInstaller installer(m_packsDir);
    for (const FeedEntry &e : check.index.packs) {
        const auto have = installer.find(e.id);
        const auto haveVersion = have ? SemVer::parse(have->version) : std::nullopt;
        if (!haveVersion || SemVer::compare(*SemVer::parse(e.version), *haveVersion) > 0)
            m_run->pending.append(e);
    }
    nextPack();
}

void FeedClient::nextPack()
{
    if (m_run->cancelled)
        return finish();
    const TrustStore::Feed feed = m_run->feeds.first();
    if (m_run->pending.isEmpty()) {
        m_run->feeds.removeFirst();
        nextFeed();
        return;
    }
    const FeedEntry entry = m_run->pending.takeFirst();
    Q_EMIT progress(Tr::tr("Downloading %1 %2").arg(entry.id, entry.version));
    if (!m_run->downloads && QDir().mkpath(m_packsDir + QStringLiteral("/tmp")))
        m_run->downloads =
            std::make_unique<QTemporaryDir>(m_packsDir + QStringLiteral("/tmp/download-XXXXXX"));
    const auto packFailed = [this, entry](const QString &error) {
        if (m_run->cancelled)
            return finish();
        m_result.errors.append(QStringLiteral("%1 %2: %3").arg(entry.id, entry.version, error));
        nextPack();
    };
    if (!m_run->downloads || !m_run->downloads->isValid())
        return packFailed(Tr::tr("Cannot create a download folder in %1.").arg(m_packsDir));
    const QString archivePath = m_run->downloads->filePath(entry.file);
    auto *file = new QFile(archivePath, this);
    if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        delete file;
        return packFailed(Tr::tr("Cannot write %1.").arg(archivePath));
    }
    const QUrl archiveUrl = QUrl(feed.url).resolved(QUrl(entry.file));
    // The index promised the exact size: more than that is refused while downloading.
    fetch(archiveUrl, std::min(entry.size, m_limits.maxPackBytes), file,
          [this, file, feed, entry, archivePath, archiveUrl, packFailed](const QString &error) {
              file->close();
              file->deleteLater();
              if (!error.isEmpty())
                  return packFailed(error);
              m_run->packSignature.clear();
              auto *sigBuffer = new QBuffer(&m_run->packSignature, this);
              sigBuffer->open(QIODevice::WriteOnly);
              fetch(QUrl(archiveUrl.toString() + QStringLiteral(".minisig")),
                    m_limits.maxSignatureBytes, sigBuffer,
                    [this, sigBuffer, feed, entry, archivePath, packFailed](const QString &error) {
                        sigBuffer->deleteLater();
                        if (!error.isEmpty())
                            return packFailed(error);
                        QFile sig(archivePath + QStringLiteral(".minisig"));
                        if (!sig.open(QIODevice::WriteOnly) ||
                            sig.write(m_run->packSignature) < 0) {
                            return packFailed(Tr::tr("Cannot write %1.").arg(sig.fileName()));
                        }
                        sig.close();
                        PackInstallRequest request;
                        request.archive = archivePath;
                        request.key = feed.packSigningKey();
                        request.source = feed.url;
                        request.expected = entry;
                        const PackInstallResult installed =
                            PackInstaller(m_packsDir).install(request);
                        QFile::remove(archivePath);
                        QFile::remove(sig.fileName());
                        if (!installed.ok)
                            return packFailed(installed.error);
                        m_result.installed.append(
                            QStringLiteral("%1 %2").arg(installed.id, installed.version));
                        m_result.installs.append(installed);
                        nextPack();
                    });
          });
}

void FeedClient::fetch(const QUrl &url, qint64 cap, QIODevice *sink, Done done)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    // Ask for the bytes as stored: a compressed body could expand past the cap
    // before it is counted.
    request.setRawHeader("Accept-Encoding", "identity");
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    // Keep Qt's own buffer small, so that bytes are counted as they come.
    reply->setReadBufferSize(256 * 1024);

    struct State
    {
        qint64 received = 0;
        QString error;
        bool done = false;
    };
    auto state = std::make_shared<State>();
    auto *stall = new QTimer(reply);
    stall->setSingleShot(true);
    stall->setInterval(m_limits.stallTimeoutMs);
    auto *total = new QTimer(reply);
    total->setSingleShot(true);
    total->setInterval(m_limits.totalTimeoutMs);
    const QString name = url.toString();
    const auto abortWith = [reply, state](const QString &error) {
        if (state->error.isEmpty())
            state->error = error;
        reply->abort();
    };
    connect(stall, &QTimer::timeout, reply, [abortWith, name, this] {
        abortWith(Tr::tr("%1 sent nothing for %2 s; giving up (the server is too slow or stuck).")
                      .arg(name)
                      .arg(m_limits.stallTimeoutMs / 1000.0));
    });
    connect(total, &QTimer::timeout, reply, [abortWith, name, this] {
        abortWith(Tr::tr("%1 took longer than %2 s; giving up.")
                      .arg(name)
                      .arg(m_limits.totalTimeoutMs / 1000.0));
    });
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, abortWith, name, cap] {
        bool known = false;
        const qint64 announced =
            reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&known);
        if (known && announced > cap)
            abortWith(Tr::tr("%1 announces %2 bytes, more than the limit of %3.")
                          .arg(name)
                          .arg(announced)
                          .arg(cap));
    });
    connect(
        reply, &QNetworkReply::readyRead, reply, [reply, state, stall, sink, abortWith, name, cap] {
            stall->start();
            const QByteArray data = reply->readAll();
            state->received += data.size();
            if (state->received > cap) {
                abortWith(
                    Tr::tr("%1 sent more than the limit of %2 bytes; stopped.").arg(name).arg(cap));
                return;
            }
            if (sink->write(data) != data.size())
                abortWith(
                    Tr::tr("Cannot store the download of %1: %2").arg(name, sink->errorString()));
        });
    connect(reply, &QNetworkReply::finished, this, [this, reply, state, done, name] {
        if (state->done)
            return;
        state->done = true;
        if (m_reply == reply)
            m_reply = nullptr;
        reply->deleteLater();
        QString error = state->error;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        bool known = false;
        const qint64 announced =
            reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&known);
        if (error.isEmpty() && status >= 400)
            error = Tr::tr("Cannot download %1: the server answered %2.").arg(name).arg(status);
        else if (error.isEmpty() && reply->error() != QNetworkReply::NoError)
            error = Tr::tr("Cannot download %1: %2").arg(name, reply->errorString());
        else if (error.isEmpty() && status != 200)
            error = Tr::tr("Cannot download %1: the server answered %2.").arg(name).arg(status);
        else if (error.isEmpty() && known && announced != state->received)
            error = Tr::tr("%1 announced %2 bytes but sent %3.")
                        .arg(name)
                        .arg(announced)
                        .arg(state->received);
        done(error);
    });
    stall->start();
    total->start();
}

} // namespace torchlab
