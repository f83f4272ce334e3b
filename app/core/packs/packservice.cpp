#include "core/packs/packservice.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QThread>

#include <atomic>
#include <optional>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::PackService)
};

PackOperationResult cancelledBeforeStart(PackOperationResult::Kind kind, bool background)
{
    PackOperationResult r;
    r.kind = kind;
    r.background = background;
    r.cancelled = true;
    r.errors.append(Tr::tr("Cancelled before it started."));
    return r;
}

} // namespace

struct PackService::Request
{
    PackOperationResult::Kind kind = PackOperationResult::Kind::Update;
    quint64 serial = 0;
    bool background = false;
    QString archive;
    QString signature;
    QString id;
    QUrl feed;
    MinisignPublicKey key;
    FeedLimits limits;
};

// Lives in the worker thread and runs one request at a time there. It talks
// back only by posting to the service (queued), which joins this thread
// before it goes, so `m_service` is alive whenever something is posted.
class PackService::Worker : public QObject
{
public:
    Worker(PackService *service, const QString &packsDir) : m_service(service), m_dir(packsDir) {}

    // The serial of a request to cancel; written by the service's thread, read
    // here before a request starts (a queued cancel() would come too late).
    std::atomic<quint64> cancelSerial{0};

    void run(const Request &request)
    {
        m_current = request;
        if (cancelSerial.load() == request.serial)
            return done(cancelledBeforeStart(request.kind, request.background));
        PackOperationResult result;
        result.kind = request.kind;
        result.background = request.background;
        switch (request.kind) {
        case PackOperationResult::Kind::InstallFile: {
            progress(Tr::tr("Installing %1").arg(QFileInfo(request.archive).fileName()));
            PackInstallRequest install;
            install.archive = request.archive;
            install.signature = request.signature;
            install.key = request.key;
            const PackInstallResult installed = PackInstaller(m_dir).install(install);
            result.ok = installed.ok;
            if (installed.ok)
                result.changes.append({installed.id, installed.version, installed.previousVersion});
            else
                result.errors.append(installed.error);
            return done(result);
        }
        case PackOperationResult::Kind::Remove: {
            progress(Tr::tr("Removing %1").arg(request.id));
            PackInstaller installer(m_dir);
            const auto before = installer.find(request.id);
            QString error;
            result.ok = installer.remove(request.id, &error);
            if (result.ok)
                result.changes.append(
                    {request.id, QString(), before ? before->version : QString()});
            else
                result.errors.append(error);
            return done(result);
        }
        case PackOperationResult::Kind::Subscribe:
        case PackOperationResult::Kind::Update:
            feedClient()->setLimits(request.limits);
            if (request.kind == PackOperationResult::Kind::Subscribe)
                m_client->subscribe(request.feed, request.key);
            else
                m_client->update();
            return; // feedFinished() follows
        }
    }

    void cancel(quint64 serial)
    {
        if (m_current && m_current->serial == serial && m_client && m_client->isBusy())
            m_client->cancel();
    }

private:
    // Made on first use, so that it (and its QNetworkAccessManager) belongs to this thread.
    FeedClient *feedClient()
    {
        if (!m_client) {
            m_client = new FeedClient(m_dir, this);
            connect(m_client, &FeedClient::progress, this,
                    [this](const QString &message) { progress(message); });
            connect(m_client, &FeedClient::finished, this, [this](const FeedUpdateResult &r) {
                if (!m_current)
                    return;
                PackOperationResult result;
                result.kind = m_current->kind;
                result.background = m_current->background;
                result.ok = r.ok;
                result.cancelled = r.cancelled;
                result.errors = r.errors;
                for (const PackInstallResult &installed : r.installs)
                    result.changes.append(
                        {installed.id, installed.version, installed.previousVersion});
                done(result);
            });
        }
        return m_client;
    }

    void progress(const QString &message)
    {
        PackService *service = m_service;
        QMetaObject::invokeMethod(
            service, [service, message] { Q_EMIT service->progress(message); },
            Qt::QueuedConnection);
    }

    void done(const PackOperationResult &result)
    {
        PackService *service = m_service;
        const quint64 serial = m_current ? m_current->serial : 0;
        m_current.reset();
        QMetaObject::invokeMethod(
            service, [service, serial, result] { service->workerFinished(serial, result); },
            Qt::QueuedConnection);
    }

    PackService *m_service;
    QString m_dir;
    FeedClient *m_client = nullptr;
    std::optional<Request> m_current;
};

struct PackService::State
{
    Worker *worker = nullptr; // in m_thread; deleted there
    QList<Request> queue;
    std::optional<Request> current; // handed to the worker, not finished yet
    bool currentCancelled = false;
    QList<PackOperationResult> dropped; // cancelled from the queue; finished after `current`
    quint64 nextSerial = 1;
    FeedLimits limits;
};

PackService::PackService(const QString &packsDir, QObject *parent)
    : QObject(parent), m_packsDir(packsDir.isEmpty() ? defaultPacksDir() : packsDir),
      m_state(std::make_unique<State>())
{
    qRegisterMetaType<PackOperationResult>();
    qRegisterMetaType<FeedUpdateResult>();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("PackService"));
    m_state->worker = new Worker(this, m_packsDir);
    m_state->worker->moveToThread(m_thread);
    m_thread->start();
    connect(&m_poll, &QTimer::timeout, this, [this] {
        // Only while there is something to poll; a learner without feeds pays nothing.
        if (!feeds().isEmpty())
            update(true);
    });
}

PackService::~PackService()
{
    m_poll.stop();
    m_state->queue.clear();
    m_state->dropped.clear();
    Worker *worker = m_state->worker;
    if (m_state->current) {
        const quint64 serial = m_state->current->serial;
        worker->cancelSerial.store(serial);
        QMetaObject::invokeMethod(
            worker, [worker, serial] { worker->cancel(serial); }, Qt::QueuedConnection);
    }
    // Deleted in its own thread (its FeedClient aborts what is in flight), after
    // whatever was posted to it before; then the thread's loop ends.
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            delete worker;
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread->wait();
}

QList<InstalledPack> PackService::installed() const
{
    return PackInstaller(m_packsDir).installed();
}

QList<TrustStore::Feed> PackService::feeds() const
{
    return TrustStore(m_packsDir).feeds();
}

Status PackService::health() const
{
    return PackInstaller(m_packsDir).status();
}

QString PackService::packDirectory(const QString &id) const
{
    return PackInstaller(m_packsDir).packDirectory(id);
}

int PackService::queuedCount() const
{
    return int(m_state->queue.size());
}

void PackService::installFile(const QString &archive, const QString &signature,
                              const MinisignPublicKey &key)
{
    Request r;
    r.kind = PackOperationResult::Kind::InstallFile;
    r.archive = archive;
    r.signature = signature;
    r.key = key;
    enqueue(r);
}

void PackService::remove(const QString &id)
{
    Request r;
    r.kind = PackOperationResult::Kind::Remove;
    r.id = id;
    enqueue(r);
}

void PackService::subscribe(const QUrl &feed, const MinisignPublicKey &key)
{
    Request r;
    r.kind = PackOperationResult::Kind::Subscribe;
    r.feed = feed;
    r.key = key;
    enqueue(r);
}

bool PackService::unsubscribe(const QString &indexUrl, QString *error)
{
    TrustStore trust(m_packsDir);
    QString url = indexUrl;
    if (!trust.feed(url)) // also accept the feed's folder address
        url = FeedClient::indexUrl(QUrl(indexUrl)).toString();
    if (url.isEmpty() || !trust.feed(url)) {
        if (error)
            *error = Tr::tr("There is no subscription to %1.").arg(indexUrl);
        return false;
    }
    if (!trust.removeFeed(url, error))
        return false;
    Q_EMIT packsChanged();
    return true;
}

void PackService::update(bool background)
{
    const auto merge = [background](Request &r) {
        if (r.kind != PackOperationResult::Kind::Update)
            return false;
        r.background = r.background && background;
        return true;
    };
    // A running update that was cancelled cannot take the request any more.
    if (m_state->current && !m_state->currentCancelled && merge(*m_state->current))
        return;
    for (Request &queued : m_state->queue)
        if (merge(queued))
            return;
    Request r;
    r.kind = PackOperationResult::Kind::Update;
    r.background = background;
    enqueue(r);
}

void PackService::cancel()
{
    for (const Request &r : std::as_const(m_state->queue))
        m_state->dropped.append(cancelledBeforeStart(r.kind, r.background));
    m_state->queue.clear();
    if (!m_state->current || m_state->currentCancelled)
        return;
    m_state->currentCancelled = true;
    Worker *worker = m_state->worker;
    const quint64 serial = m_state->current->serial;
    worker->cancelSerial.store(serial);
    QMetaObject::invokeMethod(
        worker, [worker, serial] { worker->cancel(serial); }, Qt::QueuedConnection);
}

void PackService::setAutoUpdateInterval(int ms)
{
    m_pollMs = std::max(0, ms);
    if (m_pollMs > 0)
        m_poll.start(m_pollMs);
    else
        m_poll.stop();
}

void PackService::setFeedLimits(const FeedLimits &limits)
{
    m_state->limits = limits;
}

void PackService::enqueue(Request request)
{
    request.serial = m_state->nextSerial++;
    request.limits = m_state->limits;
    m_state->queue.append(request);
    if (!m_busy) {
        m_busy = true;
        Q_EMIT busyChanged(true);
    }
    dispatchNext();
}

void PackService::dispatchNext()
{
    if (m_state->current || m_state->queue.isEmpty())
        return;
    m_state->current = m_state->queue.takeFirst();
    m_state->currentCancelled = false;
    Worker *worker = m_state->worker;
    const Request request = *m_state->current;
    QMetaObject::invokeMethod(
        worker, [worker, request] { worker->run(request); }, Qt::QueuedConnection);
}

void PackService::workerFinished(quint64 serial, PackOperationResult result)
{
    if (!m_state->current || m_state->current->serial != serial)
        return;
    const Request request = *m_state->current;
    m_state->current.reset();
    m_state->currentCancelled = false;
    // A request merged in while it ran may have made it one the learner asked for.
    result.background = request.background;
    // An update that ran wrote its feeds' records (last check, last error).
    const bool changed = !result.changes.isEmpty() ||
                         (request.kind == PackOperationResult::Kind::Subscribe && result.ok) ||
                         (request.kind == PackOperationResult::Kind::Update && !result.cancelled);
    const QList<PackOperationResult> dropped = std::exchange(m_state->dropped, {});

    Q_EMIT finished(result);
    if (changed)
        Q_EMIT packsChanged();
    for (const PackOperationResult &r : dropped)
        Q_EMIT finished(r);
    dispatchNext();
    if (m_busy && !m_state->current && m_state->queue.isEmpty()) {
        m_busy = false;
        Q_EMIT busyChanged(false);
    }
}

} // namespace torchlab
