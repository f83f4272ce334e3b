// Feeds end to end (docs/reliability.md row 21): a real nginx on
// 127.0.0.1 serving a temporary feed folder — publish, subscribe, install,
// publish v2, update arrives, the learner's code intact; replayed, expired
// and tampered feeds refused. Endless and silent servers (a small QTcpServer)
// hit the size cap and the stall timeout with clear errors. In every failure
// the installed pack and a sentinel file stay as they were.
#include "core/course/progressstore.h"
#include "core/packs/feedclient.h"
#include "core/packs/feedpublisher.h"
#include "core/packs/packinstaller.h"
#include "core/packs/truststore.h"
#include "helpers/requiredeps.h"

#include "helpers/nginxserver.h"
#include "helpers/packtestutil.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace torchlab;
using namespace packtest;

namespace {

// Answers every request with what the test wants: bytes forever, or silence.
class HostileServer : public QTcpServer
{
public:
    enum Mode
    {
        Endless,
        LyingLength,
        Silent,
        HeadersThenSilent
    };
    explicit HostileServer(Mode mode) : m_mode(mode)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                serve(socket);
        });
    }

private:
    void serve(QTcpSocket *socket)
    {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            socket->readAll();
            if (m_mode == Silent)
                return;
            socket->write(m_mode == LyingLength
                              ? "HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\n"
                              : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n");
            if (m_mode == HeadersThenSilent)
                return;
            // Keep the pipe full for as long as the client reads.
            auto *pump = new QTimer(socket);
            connect(pump, &QTimer::timeout, socket, [socket] {
                if (socket->bytesToWrite() < (1 << 20))
                    socket->write(QByteArray(64 * 1024, ' '));
            });
            pump->start(0);
        });
    }
    Mode m_mode;
};

} // namespace

class tst_FeedClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void publishSubscribeUpdateOnNginx();
    void hostileServers_data();
    void hostileServers();
    void refusesNonHttpUrls();
    void cancelEndsAStalledDownload();
    void cancelBeforeTheFirstByte();

private:
    FeedUpdateResult runClient(FeedClient &client, const std::function<void()> &start);
    bool publish(const QString &archives, const QDateTime &issued, int validDays = 30);
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/feed/").arg(m_port); }

    QTemporaryDir m_dir;
    TestKey m_key;
    NginxServer m_nginx;
    int m_port = 0;
    QString m_feed;
};

void tst_FeedClient::initTestCase()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
    QVERIFY(m_dir.isValid());
    m_key = makeKey(m_dir.path(), QStringLiteral("instructor"));
    m_feed = m_dir.filePath(QStringLiteral("www/feed"));
    QVERIFY(QDir().mkpath(m_feed));

    if (NginxServer::executable().isEmpty())
        return; // the tests that need a server skip themselves
    QString error;
    QVERIFY2(m_nginx.start(m_dir.filePath(QStringLiteral("www")),
                           m_dir.filePath(QStringLiteral("nginx")), &error),
             qPrintable(error));
    m_port = m_nginx.port();
}

void tst_FeedClient::cleanupTestCase()
{
    m_nginx.stop();
}

FeedUpdateResult tst_FeedClient::runClient(FeedClient &client, const std::function<void()> &start)
{
    QSignalSpy finished(&client, &FeedClient::finished);
    start();
    if (!finished.wait(120'000) && finished.isEmpty())
        return FeedUpdateResult{false, {}, {QStringLiteral("no finished() signal")}};
    return finished.first().first().value<FeedUpdateResult>();
}

bool tst_FeedClient::publish(const QString &archives, const QDateTime &issued, int validDays)
{
    const FeedPublishResult published = publishFeed(archives, m_feed, validDays, issued);
    if (!published.ok) {
        qWarning("publishFeed: %s", qPrintable(published.error));
        return false;
    }
    return !sign(m_key, m_feed + QStringLiteral("/index.json"), published.index.trustedComment())
                .isEmpty();
}

void tst_FeedClient::publishSubscribeUpdateOnNginx()
{
    if (m_port == 0)
        LAB_SKIP_MISSING("nginx is not installed (Debian package nginx)");
    const QString work = m_dir.filePath(QStringLiteral("work"));
    const QString v1 = m_dir.filePath(QStringLiteral("release1"));
    const QString v2 = m_dir.filePath(QStringLiteral("release2"));
    const QString home = m_dir.filePath(QStringLiteral("student"));
    const QString packs = home + QStringLiteral("/packs");
    const QString sentinel = home + QStringLiteral("/sentinel.txt");
    QVERIFY(writeAll(sentinel, "untouched\n"));
    const QString id = QStringLiteral("org.example.day1");
    QVERIFY(!makeSignedArchive(m_key, work, v1, id, QStringLiteral("1.0.0"), "first release")
                 .isEmpty());
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    QVERIFY(publish(v1, t0));
    const QByteArray oldIndex = readAll(m_feed + QStringLiteral("/index.json"));
    const QByteArray oldSignature = readAll(m_feed + QStringLiteral("/index.json.minisig"));

    // The student subscribes with the instructor's key: 1.0.0 arrives.
    FeedClient client(packs);
    FeedUpdateResult r = runClient(client, [&] { client.subscribe(QUrl(baseUrl()), m_key.key); });
    QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
    QCOMPARE(r.installed, QStringList{QStringLiteral("org.example.day1 1.0.0")});
    QCOMPARE(r.installs.size(), 1);
    QCOMPARE(r.installs.first().id, id);
    QCOMPARE(r.installs.first().version, QStringLiteral("1.0.0"));
    QVERIFY(r.installs.first().previousVersion.isEmpty());
    QVERIFY(!r.cancelled);
    PackInstaller installer(packs);
    QCOMPARE(installer.find(id)->version, QStringLiteral("1.0.0"));
    QCOMPARE(installer.find(id)->source, baseUrl() + QStringLiteral("index.json"));
    QCOMPARE(TrustStore(packs).feeds().size(), 1);
    QCOMPARE(TrustStore(packs).feeds().first().lastIndexSha256,
             QString::fromLatin1(
                 QCryptographicHash::hash(oldIndex, QCryptographicHash::Sha256).toHex()));
    // What the feed offers is remembered (the lab shows an update that did not install).
    QCOMPARE(TrustStore(packs).feeds().first().listed,
             (QMap<QString, QString>{{id, QStringLiteral("1.0.0")}}));

    ProgressStore progress(home + QStringLiteral("/progress"));
    QVERIFY(progress.saveCode(id, QStringLiteral("squares"), QStringLiteral("exercise.cpp"),
                              QStringLiteral("int main() { return 42; } // mine\n")));

    // Nothing new: update installs nothing and succeeds.
    r = runClient(client, [&] { client.update(); });
    QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
    QVERIFY(r.installed.isEmpty());

    // The instructor publishes 1.1.0: update brings it, the learner's code stays.
    QVERIFY(!makeSignedArchive(m_key, work, v2, id, QStringLiteral("1.1.0"), "second release")
                 .isEmpty());
    QVERIFY(publish(v2, t0.addSecs(60)));
    r = runClient(client, [&] { client.update(); });
    QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
    QCOMPARE(r.installed, QStringList{QStringLiteral("org.example.day1 1.1.0")});
    QCOMPARE(r.installs.size(), 1);
    QCOMPARE(r.installs.first().previousVersion, QStringLiteral("1.0.0"));
    QVERIFY(readAll(installer.packDirectory(id) + QStringLiteral("/01-squares/README.md"))
                .contains("second release"));
    QCOMPARE(
        progress.load(id, QStringLiteral("squares")).code.value(QStringLiteral("exercise.cpp")),
        QStringLiteral("int main() { return 42; } // mine\n"));

    const auto refused = [&](const QString &expected) {
        const QByteArray before =
            readAll(installer.packDirectory(id) + QStringLiteral("/pack.toml"));
        const FeedUpdateResult bad = runClient(client, [&] { client.update(); });
        QVERIFY(!bad.ok);
        QVERIFY(bad.installed.isEmpty());
        QVERIFY2(bad.errors.join(QLatin1Char('\n')).contains(expected),
                 qPrintable(bad.errors.join(QLatin1Char('\n'))));
        QCOMPARE(installer.find(id)->version, QStringLiteral("1.1.0"));
        QCOMPARE(readAll(installer.packDirectory(id) + QStringLiteral("/pack.toml")), before);
        QCOMPARE(readAll(sentinel), QByteArray("untouched\n"));
        QVERIFY(QDir(packs + QStringLiteral("/staging")).isEmpty());
        QCOMPARE(progress.load(id, QStringLiteral("squares")).code.size(), 1);
    };
    // The same index again is fine (a poll with nothing new)...
    r = runClient(client, [&] { client.update(); });
    QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
    // ...but another index signed with the same issue time is a replay or re-sign.
    QVERIFY(publish(v2, t0.addSecs(60), 10));
    refused(QStringLiteral("same issue time"));
    // A feed the learner unsubscribes from while an update reads it is not re-created.
    {
        QVERIFY(publish(v2, t0.addSecs(90)));
        QMetaObject::Connection c =
            connect(&client, &FeedClient::progress, this, [&](const QString &message) {
                if (message.contains(QLatin1String("index.json")))
                    TrustStore(packs).removeFeed(baseUrl() + QStringLiteral("index.json"));
            });
        r = runClient(client, [&] { client.update(); });
        disconnect(c);
        QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
        QVERIFY(TrustStore(packs).feeds().isEmpty());
        r = runClient(client, [&] { client.subscribe(QUrl(baseUrl()), m_key.key); });
        QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
        QVERIFY(r.installed.isEmpty());
    }
    // A mirror replays the first (validly signed) index: refused as a rollback.
    QVERIFY(writeAll(m_feed + QStringLiteral("/index.json"), oldIndex));
    QVERIFY(writeAll(m_feed + QStringLiteral("/index.json.minisig"), oldSignature));
    refused(QStringLiteral("rollback"));
    // An index that expired.
    QVERIFY(publish(v2, QDateTime::currentDateTimeUtc().addDays(-3), 1));
    refused(QStringLiteral("expired"));
    // A newer index listing an archive that was swapped on the server after publishing.
    QVERIFY(!makeSignedArchive(m_key, work, m_dir.filePath(QStringLiteral("release3")), id,
                               QStringLiteral("1.2.0"), "third release")
                 .isEmpty());
    QVERIFY(publish(m_dir.filePath(QStringLiteral("release3")), t0.addSecs(120)));
    QByteArray archive = readAll(m_feed + QStringLiteral("/org.example.day1-1.2.0.tar.gz"));
    archive[archive.size() / 3] = char(archive[archive.size() / 3] ^ 0x20);
    QVERIFY(writeAll(m_feed + QStringLiteral("/org.example.day1-1.2.0.tar.gz"), archive));
    refused(QStringLiteral("SHA-256"));
    // The unsigned index.
    QVERIFY(publishFeed(v2, m_feed, 30, t0.addSecs(180)).ok);
    refused(QStringLiteral("404"));
}

void tst_FeedClient::hostileServers_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("endless body") << int(HostileServer::Endless)
                                  << QStringLiteral("more than the limit");
    QTest::newRow("Content-Length over the cap")
        << int(HostileServer::LyingLength) << QStringLiteral("announces");
    QTest::newRow("never answers") << int(HostileServer::Silent) << QStringLiteral("sent nothing");
    QTest::newRow("headers, then silence")
        << int(HostileServer::HeadersThenSilent) << QStringLiteral("sent nothing");
}

void tst_FeedClient::hostileServers()
{
    QFETCH(int, mode);
    QFETCH(QString, expected);
    HostileServer server{HostileServer::Mode(mode)};
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString packs = m_dir.filePath(QStringLiteral("hostile-%1/packs").arg(mode));
    const QString sentinel = m_dir.filePath(QStringLiteral("hostile-%1/sentinel.txt").arg(mode));
    QVERIFY(writeAll(sentinel, "untouched\n"));
    FeedClient client(packs);
    FeedLimits limits;
    limits.stallTimeoutMs = 500; // a silent server is given up on quickly
    client.setLimits(limits);
    const FeedUpdateResult r = runClient(client, [&] {
        client.subscribe(QUrl(QStringLiteral("http://127.0.0.1:%1/feed/").arg(server.serverPort())),
                         m_key.key);
    });
    QVERIFY(!r.ok);
    QVERIFY2(r.errors.join(QLatin1Char('\n')).contains(expected),
             qPrintable(r.errors.join(QLatin1Char('\n'))));
    QVERIFY(TrustStore(packs).feeds().isEmpty()); // a failed subscription is not remembered
    QVERIFY(PackInstaller(packs).installed().isEmpty());
    QCOMPARE(readAll(sentinel), QByteArray("untouched\n"));
}

void tst_FeedClient::refusesNonHttpUrls()
{
    FeedClient client(m_dir.filePath(QStringLiteral("nohttp")));
    const FeedUpdateResult r = runClient(
        client, [&] { client.subscribe(QUrl(QStringLiteral("file:///etc/")), m_key.key); });
    QVERIFY(!r.ok);
    QVERIFY(r.errors.join(QString()).contains(QLatin1String("http")));
}

// cancel() while the server holds the request: the download is aborted at
// once (long before the 30 s stall cap), finished() comes once with
// cancelled = true, and nothing is remembered or installed.
void tst_FeedClient::cancelEndsAStalledDownload()
{
    HostileServer server{HostileServer::HeadersThenSilent};
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString packs = m_dir.filePath(QStringLiteral("cancel/packs"));
    FeedClient client(packs);
    client.cancel(); // idle: nothing happens
    QSignalSpy finished(&client, &FeedClient::finished);
    connect(&server, &QTcpServer::newConnection, &client, &FeedClient::cancel,
            Qt::QueuedConnection);
    client.subscribe(QUrl(QStringLiteral("http://127.0.0.1:%1/feed/").arg(server.serverPort())),
                     m_key.key);
    QVERIFY(client.isBusy());
    QVERIFY(finished.wait(20'000));
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    const auto r = finished.first().first().value<FeedUpdateResult>();
    QVERIFY(!r.ok);
    QVERIFY(r.cancelled);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().contains(QLatin1String("Cancelled")), qPrintable(r.errors.first()));
    QVERIFY(!client.isBusy());
    QVERIFY(TrustStore(packs).feeds().isEmpty());
    QVERIFY(PackInstaller(packs).installed().isEmpty());
}

void tst_FeedClient::cancelBeforeTheFirstByte()
{
    const QString packs = m_dir.filePath(QStringLiteral("cancel-early/packs"));
    FeedClient client(packs);
    QSignalSpy finished(&client, &FeedClient::finished);
    client.update(); // no feeds, but the run starts on the next event-loop turn
    client.cancel();
    QVERIFY(finished.wait(20'000));
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    QVERIFY(finished.first().first().value<FeedUpdateResult>().cancelled);
}

QTEST_GUILESS_MAIN(tst_FeedClient)
#include "tst_feedclient.moc"
