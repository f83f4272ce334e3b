// PackService (the GUI's side of packs): installs, removals and feed
// operations run on one worker thread while the caller's event loop keeps
// running; requests run in order, each ends with exactly one finished();
// cancel() ends a stalled download at once and drops the queue; polling
// queues background updates; the destructor returns while work is in flight.
//
// The worker is held inside an install deterministically by holding the packs
// folder's lock file (PackInstaller waits for it), and inside a download by a
// small HTTP server that can stop answering.
#include "core/packs/feedpublisher.h"
#include "core/packs/packservice.h"
#include "helpers/requiredeps.h"

#include "helpers/packtestutil.h"

#include <QLockFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace torchlab;
using namespace packtest;

namespace {

// Serves files under `root` over HTTP/1.1 (one request per connection), or
// holds every request without answering while stalled.
class FileServer : public QTcpServer
{
public:
    explicit FileServer(const QString &root) : m_root(root)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                ++requests;
                serve(socket);
            }
        });
    }
    void setStalled(bool stalled) { m_stalled = stalled; }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(serverPort()).arg(path);
    }

    int requests = 0;

private:
    void serve(QTcpSocket *socket)
    {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto *request = new QByteArray;
        connect(socket, &QObject::destroyed, socket, [request] { delete request; });
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
            request->append(socket->readAll());
            if (!request->contains("\r\n\r\n") || m_stalled)
                return;
            const QList<QByteArray> line = request->left(request->indexOf("\r\n")).split(' ');
            const QString path = line.size() >= 2 ? QString::fromUtf8(line[1]) : QString();
            const QString file = m_root + path;
            QByteArray body;
            QByteArray status = "404 Not Found";
            if (!path.contains(QLatin1String("..")) && QFileInfo(file).isFile()) {
                body = readAll(file);
                status = "200 OK";
            }
            socket->write("HTTP/1.1 " + status + "\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
    }

    QString m_root;
    bool m_stalled = false;
};

PackOperationResult resultAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).first().value<PackOperationResult>();
}

QString joined(const PackOperationResult &r)
{
    return r.errors.join(QLatin1Char('\n'));
}

} // namespace

class tst_PackService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void installRunsOffTheCallersThread();
    void queueRunsInOrder();
    void cancelDropsTheQueue();
    void subscribeAndUpdate();
    void updatesMerge();
    void cancelEndsAStalledUpdate();
    void pollingQueuesBackgroundUpdates();
    void destructorReturnsWhileBusy();

private:
    QString archive(const QString &id, const QString &version);
    bool publish(const QString &releaseDir, const QDateTime &issued);

    QTemporaryDir m_keys;
    TestKey m_key;
    std::unique_ptr<QTemporaryDir> m_home;
    QString m_packs;
    QString m_www;
};

void tst_PackService::initTestCase()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
    m_key = makeKey(m_keys.path(), QStringLiteral("instructor"));
}

void tst_PackService::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_packs = m_home->filePath(QStringLiteral("packs"));
    m_www = m_home->filePath(QStringLiteral("www"));
    QVERIFY(QDir().mkpath(m_packs));
    QVERIFY(QDir().mkpath(m_www + QStringLiteral("/feed")));
}

QString tst_PackService::archive(const QString &id, const QString &version)
{
    return makeSignedArchive(m_key, m_home->filePath(QStringLiteral("work")),
                             m_home->filePath(QStringLiteral("release-") + version), id, version,
                             version.toUtf8());
}

bool tst_PackService::publish(const QString &releaseDir, const QDateTime &issued)
{
    const QString feed = m_www + QStringLiteral("/feed");
    const FeedPublishResult published = publishFeed(releaseDir, feed, 30, issued);
    if (!published.ok) {
        qWarning("publishFeed: %s", qPrintable(published.error));
        return false;
    }
    return !sign(m_key, feed + QStringLiteral("/index.json"), published.index.trustedComment())
                .isEmpty();
}

// The install waits for the packs lock in the worker; meanwhile a timer in
// this thread keeps ticking, the service says it is busy, and nothing is
// installed until the lock is released.
void tst_PackService::installRunsOffTheCallersThread()
{
    const QString file = archive(QStringLiteral("org.example.day1"), QStringLiteral("1.0.0"));
    QVERIFY(!file.isEmpty());
    PackService service(m_packs);
    QSignalSpy finished(&service, &PackService::finished);
    QSignalSpy busy(&service, &PackService::busyChanged);
    QSignalSpy progress(&service, &PackService::progress);
    QSignalSpy changed(&service, &PackService::packsChanged);

    auto lock = std::make_unique<QLockFile>(m_packs + QStringLiteral("/.lock"));
    QVERIFY(lock->tryLock(0));
    service.installFile(file, QString(), m_key.key);
    QVERIFY(service.isBusy());
    QCOMPARE(busy.size(), 1);
    QCOMPARE(busy.first().first().toBool(), true);

    int ticks = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&] { ++ticks; });
    tick.start(1);
    QTRY_VERIFY(progress.size() >= 1); // the worker is inside the install
    QVERIFY2(progress.first().first().toString().contains(QLatin1String("1.0.0.tar.gz")),
             qPrintable(progress.first().first().toString()));
    QTRY_VERIFY(ticks >= 5);
    QVERIFY(finished.isEmpty());
    QVERIFY(service.installed().isEmpty());

    lock.reset(); // unlocks
    QVERIFY(finished.wait(60'000));
    QCOMPARE(finished.size(), 1);
    const PackOperationResult r = resultAt(finished, 0);
    QVERIFY2(r.ok, qPrintable(joined(r)));
    QCOMPARE(r.kind, PackOperationResult::Kind::InstallFile);
    QVERIFY(!r.cancelled);
    QVERIFY(!r.background);
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes.first().id, QStringLiteral("org.example.day1"));
    QCOMPARE(r.changes.first().version, QStringLiteral("1.0.0"));
    QVERIFY(r.changes.first().previousVersion.isEmpty());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(busy.size(), 2);
    QCOMPARE(busy.last().first().toBool(), false);
    QVERIFY(!service.isBusy());
    QCOMPARE(service.installed().size(), 1);
    QVERIFY(readAll(service.packDirectory(QStringLiteral("org.example.day1")) +
                    QStringLiteral("/pack.toml"))
                .contains("org.example.day1"));
}

// Install A 1.0.0, install B, update A to 1.1.0, remove B: finished() once
// each, in that order, with previous versions filled in.
void tst_PackService::queueRunsInOrder()
{
    const QString a1 = archive(QStringLiteral("org.example.a"), QStringLiteral("1.0.0"));
    const QString b1 = archive(QStringLiteral("org.example.b"), QStringLiteral("1.0.0"));
    const QString a2 = archive(QStringLiteral("org.example.a"), QStringLiteral("1.1.0"));
    QVERIFY(!a1.isEmpty() && !b1.isEmpty() && !a2.isEmpty());
    PackService service(m_packs);
    QSignalSpy finished(&service, &PackService::finished);
    QSignalSpy busy(&service, &PackService::busyChanged);
    QSignalSpy changed(&service, &PackService::packsChanged);

    auto lock = std::make_unique<QLockFile>(m_packs + QStringLiteral("/.lock"));
    QVERIFY(lock->tryLock(0));
    service.installFile(a1, QString(), m_key.key);
    service.installFile(b1, QString(), m_key.key);
    service.installFile(a2, a2 + QStringLiteral(".minisig"), m_key.key);
    service.remove(QStringLiteral("org.example.b"));
    QCOMPARE(service.queuedCount(), 3);
    lock.reset();

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 60'000);
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 4);
    const QList<PackChange> expected{
        {QStringLiteral("org.example.a"), QStringLiteral("1.0.0"), QString()},
        {QStringLiteral("org.example.b"), QStringLiteral("1.0.0"), QString()},
        {QStringLiteral("org.example.a"), QStringLiteral("1.1.0"), QStringLiteral("1.0.0")},
        {QStringLiteral("org.example.b"), QString(), QStringLiteral("1.0.0")}};
    for (int i = 0; i < 4; ++i) {
        const PackOperationResult r = resultAt(finished, i);
        QVERIFY2(r.ok, qPrintable(joined(r)));
        QCOMPARE(r.kind, i == 3 ? PackOperationResult::Kind::Remove
                                : PackOperationResult::Kind::InstallFile);
        QCOMPARE(r.changes.size(), 1);
        QCOMPARE(r.changes.first().id, expected[i].id);
        QCOMPARE(r.changes.first().version, expected[i].version);
        QCOMPARE(r.changes.first().previousVersion, expected[i].previousVersion);
    }
    QCOMPARE(changed.size(), 4);
    QCOMPARE(busy.size(), 2); // one busy spell
    QCOMPARE(service.queuedCount(), 0);
    const QList<InstalledPack> installed = service.installed();
    QCOMPARE(installed.size(), 1);
    QCOMPARE(installed.first().version, QStringLiteral("1.1.0"));

    // A failing request reports why, still exactly once.
    service.remove(QStringLiteral("org.example.b"));
    QVERIFY(finished.wait(30'000));
    QCOMPARE(finished.size(), 5);
    const PackOperationResult failed = resultAt(finished, 4);
    QVERIFY(!failed.ok);
    QVERIFY2(joined(failed).contains(QLatin1String("No pack")), qPrintable(joined(failed)));
    QCOMPARE(changed.size(), 4);
}

// An install that has begun runs to its end; the requests behind it are
// dropped, each still answered with finished(cancelled), after it.
void tst_PackService::cancelDropsTheQueue()
{
    const QString a1 = archive(QStringLiteral("org.example.a"), QStringLiteral("1.0.0"));
    const QString b1 = archive(QStringLiteral("org.example.b"), QStringLiteral("1.0.0"));
    PackService service(m_packs);
    QSignalSpy finished(&service, &PackService::finished);
    QSignalSpy progress(&service, &PackService::progress);
    QSignalSpy busy(&service, &PackService::busyChanged);

    auto lock = std::make_unique<QLockFile>(m_packs + QStringLiteral("/.lock"));
    QVERIFY(lock->tryLock(0));
    service.installFile(a1, QString(), m_key.key);
    service.installFile(b1, QString(), m_key.key);
    service.update();
    QTRY_VERIFY(!progress.isEmpty()); // a1 is inside the install
    service.cancel();
    QCOMPARE(service.queuedCount(), 0);
    QVERIFY(service.isBusy());
    lock.reset();

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 60'000);
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 3);
    const PackOperationResult first = resultAt(finished, 0);
    QVERIFY2(first.ok, qPrintable(joined(first)));
    QVERIFY(!first.cancelled);
    QCOMPARE(resultAt(finished, 1).kind, PackOperationResult::Kind::InstallFile);
    QCOMPARE(resultAt(finished, 2).kind, PackOperationResult::Kind::Update);
    for (int i = 1; i < 3; ++i) {
        const PackOperationResult r = resultAt(finished, i);
        QVERIFY(!r.ok);
        QVERIFY(r.cancelled);
        QVERIFY(r.changes.isEmpty());
        QVERIFY2(joined(r).contains(QLatin1String("Cancelled")), qPrintable(joined(r)));
    }
    QCOMPARE(busy.size(), 2);
    QVERIFY(!service.isBusy());
    QCOMPARE(service.installed().size(), 1);
    QCOMPARE(service.installed().first().id, QStringLiteral("org.example.a"));

    // Cancelling when idle does nothing; the service goes on working.
    service.cancel();
    service.installFile(b1, QString(), m_key.key);
    QVERIFY(finished.wait(60'000));
    QCOMPARE(finished.size(), 4);
    QVERIFY(resultAt(finished, 3).ok);
}

void tst_PackService::subscribeAndUpdate()
{
    const QString id = QStringLiteral("org.example.day1");
    QVERIFY(!archive(id, QStringLiteral("1.0.0")).isEmpty());
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    QVERIFY(publish(m_home->filePath(QStringLiteral("release-1.0.0")), t0));
    FileServer server(m_www);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    PackService service(m_packs);
    QSignalSpy finished(&service, &PackService::finished);
    QSignalSpy changed(&service, &PackService::packsChanged);
    QSignalSpy progress(&service, &PackService::progress);
    service.subscribe(QUrl(server.url(QStringLiteral("feed/"))), m_key.key);
    QVERIFY(finished.wait(60'000));
    PackOperationResult r = resultAt(finished, 0);
    QVERIFY2(r.ok, qPrintable(joined(r)));
    QCOMPARE(r.kind, PackOperationResult::Kind::Subscribe);
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes.first().version, QStringLiteral("1.0.0"));
    QVERIFY(r.changes.first().previousVersion.isEmpty());
    QCOMPARE(changed.size(), 1);
    QVERIFY(!progress.isEmpty()); // FeedClient's progress reaches the caller
    QCOMPARE(service.feeds().size(), 1);
    QCOMPARE(service.feeds().first().url, server.url(QStringLiteral("feed/index.json")));
    QCOMPARE(service.installed().first().version, QStringLiteral("1.0.0"));

    QVERIFY(!archive(id, QStringLiteral("1.1.0")).isEmpty());
    QVERIFY(publish(m_home->filePath(QStringLiteral("release-1.1.0")), t0.addSecs(60)));
    service.update();
    QVERIFY(finished.wait(60'000));
    r = resultAt(finished, 1);
    QVERIFY2(r.ok, qPrintable(joined(r)));
    QCOMPARE(r.kind, PackOperationResult::Kind::Update);
    QVERIFY(!r.background);
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes.first().version, QStringLiteral("1.1.0"));
    QCOMPARE(r.changes.first().previousVersion, QStringLiteral("1.0.0"));
    QCOMPARE(service.installed().first().version, QStringLiteral("1.1.0"));

    // Unsubscribing is immediate; the pack stays.
    QString error;
    QVERIFY(!service.unsubscribe(QStringLiteral("http://nowhere.example/feed/"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(service.unsubscribe(server.url(QStringLiteral("feed/")), &error), qPrintable(error));
    QVERIFY(service.feeds().isEmpty());
    QCOMPARE(service.installed().size(), 1);
}

// update() while an update is queued or running joins it: one finished(),
// reported as asked for by the learner when any of the requests was.
void tst_PackService::updatesMerge()
{
    PackService service(m_packs);
    QSignalSpy finished(&service, &PackService::finished);
    auto lock = std::make_unique<QLockFile>(m_packs + QStringLiteral("/.lock"));
    QVERIFY(lock->tryLock(0));
    const QString file = archive(QStringLiteral("org.example.a"), QStringLiteral("1.0.0"));
    service.installFile(file, QString(), m_key.key); // held by the lock
    service.update(true);
    service.update(true);
    QCOMPARE(service.queuedCount(), 1);
    service.update(false);
    service.update(true);
    QCOMPARE(service.queuedCount(), 1);
    lock.reset();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60'000);
    QTRY_VERIFY(!service.isBusy());
    QCOMPARE(finished.size(), 2);
    const PackOperationResult update = resultAt(finished, 1);
    QCOMPARE(update.kind, PackOperationResult::Kind::Update);
    QVERIFY(!update.background);
    QVERIFY2(update.ok, qPrintable(joined(update))); // no feeds: nothing to do
}

// A server that accepts the request and never answers: cancel() ends the
// update at once (the stall cap is 30 s), nothing is installed, and the
// service works again afterwards.
void tst_PackService::cancelEndsAStalledUpdate()
{
    const QString id = QStringLiteral("org.example.day1");
    QVERIFY(!archive(id, QStringLiteral("1.0.0")).isEmpty());
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    QVERIFY(publish(m_home->filePath(QStringLiteral("release-1.0.0")), t0));
    FileServer server(m_www);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    server.setStalled(true);

    PackService service(m_packs);
    QSignalSpy finished(&service, &PackService::finished);
    service.subscribe(QUrl(server.url(QStringLiteral("feed/"))), m_key.key);
    QTRY_VERIFY(server.requests >= 1);
    service.cancel();
    QVERIFY(finished.wait(20'000));
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    PackOperationResult r = resultAt(finished, 0);
    QVERIFY(!r.ok);
    QVERIFY(r.cancelled);
    QVERIFY(r.changes.isEmpty());
    QVERIFY2(joined(r).contains(QLatin1String("Cancelled")), qPrintable(joined(r)));
    QVERIFY(service.installed().isEmpty());
    QVERIFY(service.feeds().isEmpty());
    QVERIFY(!service.isBusy());

    server.setStalled(false);
    service.subscribe(QUrl(server.url(QStringLiteral("feed/"))), m_key.key);
    QVERIFY(finished.wait(60'000));
    r = resultAt(finished, 1);
    QVERIFY2(r.ok, qPrintable(joined(r)));
    QCOMPARE(service.installed().size(), 1);
}

void tst_PackService::pollingQueuesBackgroundUpdates()
{
    QVERIFY(!archive(QStringLiteral("org.example.day1"), QStringLiteral("1.0.0")).isEmpty());
    QVERIFY(publish(m_home->filePath(QStringLiteral("release-1.0.0")),
                    QDateTime::currentDateTimeUtc().addSecs(-3600)));
    FileServer server(m_www);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    PackService service(m_packs);
    QCOMPARE(service.autoUpdateInterval(), 0);
    QSignalSpy finished(&service, &PackService::finished);
    service.subscribe(QUrl(server.url(QStringLiteral("feed/"))), m_key.key);
    QVERIFY(finished.wait(60'000));
    QVERIFY(resultAt(finished, 0).ok);

    service.setAutoUpdateInterval(20);
    QCOMPARE(service.autoUpdateInterval(), 20);
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 2, 30'000);
    service.setAutoUpdateInterval(0);
    const PackOperationResult poll = resultAt(finished, 1);
    QCOMPARE(poll.kind, PackOperationResult::Kind::Update);
    QVERIFY(poll.background);
    QVERIFY2(poll.ok, qPrintable(joined(poll)));
    QVERIFY(poll.changes.isEmpty());
    QVERIFY(service.feeds().first().lastChecked.isValid());
}

// Destroying the service while a download hangs and more is queued returns
// (the test would time out otherwise) and leaves nothing half-installed.
void tst_PackService::destructorReturnsWhileBusy()
{
    const QString file = archive(QStringLiteral("org.example.a"), QStringLiteral("1.0.0"));
    FileServer server(m_www);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    server.setStalled(true);
    {
        PackService service(m_packs);
        service.subscribe(QUrl(server.url(QStringLiteral("feed/"))), m_key.key);
        service.installFile(file, QString(), m_key.key);
        QTRY_VERIFY(server.requests >= 1);
        QVERIFY(service.isBusy());
    }
    QVERIFY(PackInstaller(m_packs).installed().isEmpty());
    QVERIFY(TrustStore(m_packs).feeds().isEmpty());
    // Idle, never used.
    {
        PackService idle(m_packs);
    }
}

QTEST_GUILESS_MAIN(tst_PackService)
#include "tst_packservice.moc"
