// torchlab-cli feed publish/sign/subscribe/update/list end to end, as
// docs/instructors.md tells instructors and students to run them: the real
// binary, keys and signatures from the real minisign tool, a real nginx on
// 127.0.0.1 serving the feed folder, and the student's files in a temporary
// XDG home. An update arrives and leaves the learner's work byte for byte;
// expired indexes and strangers' keys are refused with exit code 1 and a
// sentence that says why.
#include "clitestutil.h"
#include "helpers/nginxserver.h"
#include "helpers/requiredeps.h"

#include "core/course/progressstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace clitest;

namespace {

const QString kId = QStringLiteral("edu.example.feed");

QDateTime timeIn(const QByteArray &indexJson, const char *key)
{
    return QDateTime::fromString(
        QJsonDocument::fromJson(indexJson).object().value(QLatin1String(key)).toString(),
        Qt::ISODate);
}

QString format(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace

class TestFeedCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void usage();
    void publishMovesTheIssueTimeForward();
    void publishSubscribeUpdateOnNginx();
    void expiredIndexRefused();
    void strangersKeyRefused();
    void keyRotation();

private:
    QString url(const QString &folder) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2/").arg(m_port).arg(folder);
    }
    // feed publish + feed sign of `releases` into www/<folder>, as the instructor runs them.
    bool publish(const QString &releases, const QString &folder, QByteArray *stdOut = nullptr);

    QTemporaryDir m_dir;
    packtest::TestKey m_key;
    packtest::TestKey m_stranger;
    QString m_work; // the instructor's folder
    QString m_www;  // what nginx serves
    packtest::NginxServer m_nginx;
    int m_port = 0;
};

void TestFeedCli::initTestCase()
{
    if (!packtest::haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
    QVERIFY(m_dir.isValid());
    m_work = m_dir.filePath(QStringLiteral("instructor"));
    m_www = m_dir.filePath(QStringLiteral("www"));
    QVERIFY(QDir().mkpath(m_work));
    QVERIFY(QDir().mkpath(m_www));
    m_key = packtest::makeKey(m_work, QStringLiteral("course"));
    m_stranger = packtest::makeKey(m_work, QStringLiteral("stranger"));
    QCOMPARE(m_key.key.key.size(), 32);
    QCOMPARE(m_stranger.key.key.size(), 32);

    if (packtest::NginxServer::executable().isEmpty())
        return; // the tests that need a server skip themselves
    QString error;
    QVERIFY2(m_nginx.start(m_www, m_dir.filePath(QStringLiteral("nginx")), &error),
             qPrintable(error));
    m_port = m_nginx.port();
}

void TestFeedCli::cleanupTestCase()
{
    m_nginx.stop();
}

bool TestFeedCli::publish(const QString &releases, const QString &folder, QByteArray *stdOut)
{
    const QString feed = m_www + QLatin1Char('/') + folder;
    Result r = cli({QStringLiteral("feed"), QStringLiteral("publish"), releases,
                    QStringLiteral("-o"), feed, QStringLiteral("--days"), QStringLiteral("30")},
                   m_work);
    if (r.code != 0) {
        qWarning("feed publish (%d): %s", r.code, r.err.constData());
        return false;
    }
    if (stdOut)
        *stdOut = r.out;
    const QByteArray index = packtest::readAll(feed + QStringLiteral("/index.json"));
    const QString comment =
        QStringLiteral("feed %1 %2")
            .arg(format(timeIn(index, "issued")), format(timeIn(index, "expires")));
    r = cli({QStringLiteral("feed"), QStringLiteral("sign"), feed, QStringLiteral("--key"),
             m_key.secretFile},
            m_work);
    if (r.code != 0 ||
        r.out != (feed + QStringLiteral("/index.json.minisig: ") + comment + QLatin1Char('\n'))
                     .toUtf8()) {
        qWarning("feed sign (%d): %s%s", r.code, r.out.constData(), r.err.constData());
        return false;
    }
    return packtest::readAll(feed + QStringLiteral("/index.json.minisig"))
        .contains("\ntrusted comment: " + comment.toUtf8() + '\n');
}

void TestFeedCli::usage()
{
    const QString home = m_dir.filePath(QStringLiteral("usage-home"));
    Result r = cli(args({"feed"}), m_work, home);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("subscribe URL --trust PUBKEY_OR_FILE"), r.err.constData());
    QCOMPARE(cli(args({"feed", "--help"})).code, 0);
    QCOMPARE(cli(args({"feed", "frobnicate"})).code, 2);
    r = cli(args({"feed", "publish", "releases"}), m_work);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("-o FEED_DIR is required"), r.err.constData());
    r = cli(args({"feed", "sign", "feed"}), m_work);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--key SECRET_KEY is required"), r.err.constData());
    r = cli(args({"feed", "subscribe", "http://127.0.0.1:1/feed/"}), m_work, home);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--trust PUBKEY_OR_FILE is required"), r.err.constData());
    // Nothing subscribed yet.
    r = cli(args({"feed", "list"}), m_work, home);
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QByteArray("no feeds subscribed\n"));
    r = cli(args({"feed", "update"}), m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith("torchlab-cli feed update: no feeds subscribed"), r.err.constData());
    // A feed needs archives, and at least a day of validity.
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("empty"))));
    r = cli({QStringLiteral("feed"), QStringLiteral("publish"),
             m_dir.filePath(QStringLiteral("empty")), QStringLiteral("-o"),
             m_dir.filePath(QStringLiteral("nofeed"))},
            m_work);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("holds no pack archives"), r.err.constData());
    // Students refuse an index valid for more than 90 days (docs/reliability.md row 32).
    r = cli({QStringLiteral("feed"), QStringLiteral("publish"),
             m_dir.filePath(QStringLiteral("empty")), QStringLiteral("-o"),
             m_dir.filePath(QStringLiteral("nofeed")), QStringLiteral("--days"),
             QStringLiteral("3650")},
            m_work);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("at most 90 days"), r.err.constData());
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("nofeed/index.json"))));
}

// Students refuse an index older than the one they hold, and a different one
// with the same issue time; so publishing into a feed folder always moves the
// issue time past the index already there, even when that one was written in
// the same second or by a machine whose clock ran ahead.
void TestFeedCli::publishMovesTheIssueTimeForward()
{
    const QString releases = m_dir.filePath(QStringLiteral("issue-releases"));
    QVERIFY(!buildAndSign(m_dir.filePath(QStringLiteral("issue-work")), kId,
                          QStringLiteral("1.0.0"), m_key.secretFile, "issue times", releases)
                 .isEmpty());
    const QString feed = m_dir.filePath(QStringLiteral("issue-feed"));
    const QStringList publishArgs{QStringLiteral("feed"), QStringLiteral("publish"), releases,
                                  QStringLiteral("-o"), feed};

    const QDateTime before =
        QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    Result r = cli(publishArgs, m_work);
    QVERIFY2(r.code == 0, r.err.constData());
    const QDateTime after = QDateTime::currentDateTimeUtc();
    QByteArray index = packtest::readAll(feed + QStringLiteral("/index.json"));
    const QDateTime first = timeIn(index, "issued");
    QVERIFY2(first >= before && first <= after, index.constData());
    QCOMPARE(timeIn(index, "expires"), first.addDays(30));
    QVERIFY2(
        r.out.endsWith(
            QStringLiteral(
                "%1/index.json: 1 pack, issued %2, expires %3\nnext: torchlab-cli feed sign %1 "
                "--key SECRET_KEY\n")
                .arg(feed, format(first), format(first.addDays(30)))
                .toUtf8()),
        r.out.constData());

    r = cli(publishArgs, m_work);
    QVERIFY2(r.code == 0, r.err.constData());
    const QDateTime second =
        timeIn(packtest::readAll(feed + QStringLiteral("/index.json")), "issued");
    QVERIFY2(second > first, qPrintable(format(first) + QLatin1Char(' ') + format(second)));

    // An index from a clock an hour ahead: the next one is issued a second after it.
    const QDateTime ahead =
        QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() + 3600, Qt::UTC);
    index = packtest::readAll(feed + QStringLiteral("/index.json"));
    index.replace(format(second).toUtf8(), format(ahead).toUtf8());
    QVERIFY(packtest::writeAll(feed + QStringLiteral("/index.json"), index));
    QCOMPARE(timeIn(index, "issued"), ahead);
    r = cli(publishArgs, m_work);
    QVERIFY2(r.code == 0, r.err.constData());
    index = packtest::readAll(feed + QStringLiteral("/index.json"));
    QCOMPARE(timeIn(index, "issued"), ahead.addSecs(1));
    QCOMPARE(timeIn(index, "expires"), ahead.addSecs(1).addDays(30));
}

// docs/instructors.md steps 3-7 on a real web server.
void TestFeedCli::publishSubscribeUpdateOnNginx()
{
    if (m_port == 0)
        LAB_SKIP_MISSING("nginx is not installed (Debian package nginx)");
    const QString releases = m_work + QStringLiteral("/releases");
    const QString home = m_dir.filePath(QStringLiteral("student"));
    const QString installedDir = home + QStringLiteral("/data/torchlab/packs/installed/") + kId;
    const QString progressDir = home + QStringLiteral("/data/torchlab/progress");
    const QString keyText =
        QString::fromLatin1(packtest::readAll(m_key.publicFile).split('\n').value(1));

    // The instructor publishes 1.0.0.
    const QString v1 = buildAndSign(m_work, kId, QStringLiteral("1.0.0"), m_key.secretFile,
                                    "first release", releases);
    QVERIFY(!v1.isEmpty());
    QByteArray published;
    QVERIFY(publish(releases, QStringLiteral("feed"), &published));
    QVERIFY2(published.startsWith(QStringLiteral("%1 1.0.0  %1-1.0.0.tar.gz  %2 bytes\n")
                                      .arg(kId)
                                      .arg(QFileInfo(v1).size())
                                      .toUtf8()),
             published.constData());
    QCOMPARE(packtest::readAll(m_www + QStringLiteral("/feed/") + QFileInfo(v1).fileName()),
             packtest::readAll(v1));
    QCOMPARE(packtest::readAll(m_www + QStringLiteral("/feed/") + QFileInfo(v1).fileName() +
                               QStringLiteral(".minisig")),
             packtest::readAll(v1 + QStringLiteral(".minisig")));
    const QDateTime issued1 =
        timeIn(packtest::readAll(m_www + QStringLiteral("/feed/index.json")), "issued");

    // The student subscribes with the pasted key: 1.0.0 is installed.
    Result r = cli({QStringLiteral("feed"), QStringLiteral("subscribe"),
                    url(QStringLiteral("feed")), QStringLiteral("--trust"), keyText},
                   m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QStringLiteral("installed %1 1.0.0\n").arg(kId).toUtf8());
    QVERIFY2(r.err.contains("Downloading edu.example.feed 1.0.0"), r.err.constData());
    QVERIFY(packtest::readAll(installedDir + QStringLiteral("/01-first-lesson/README.md"))
                .contains("first release"));
    r = cli(args({"pack", "list"}), m_work, home);
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QStringLiteral("%1  1.0.0  key %2  from %3index.json\n")
                        .arg(kId, m_key.key.keyIdHex(), url(QStringLiteral("feed")))
                        .toUtf8());
    r = cli(args({"feed", "list"}), m_work, home);
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QStringLiteral("%1index.json  key %2  last index %3\n")
                        .arg(url(QStringLiteral("feed")), m_key.key.keyIdHex(), format(issued1))
                        .toUtf8());

    // Nothing new yet.
    r = cli(args({"feed", "update"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("up to date\n"));

    // The learner edits the lesson's code before the update.
    const QString mine =
        QStringLiteral("// mine, not the starter\nint twice(int x) { return 2 * x; }\n");
    QVERIFY(
        torchlab::ProgressStore(progressDir)
            .saveCode(kId, QStringLiteral("first-lesson"), QStringLiteral("exercise.cpp"), mine));
    const QMap<QString, QByteArray> work0 = snapshot(progressDir);
    QVERIFY(!work0.isEmpty());

    // 1.1.0 joins the releases folder; the feed lists the newest version.
    const QString v2 = buildAndSign(m_work, kId, QStringLiteral("1.1.0"), m_key.secretFile,
                                    "second release", releases);
    QVERIFY(!v2.isEmpty());
    QVERIFY(publish(releases, QStringLiteral("feed"), &published));
    QVERIFY2(published.startsWith(QStringLiteral("%1 1.1.0  %1-1.1.0.tar.gz  ").arg(kId).toUtf8()),
             published.constData());
    const QDateTime issued2 =
        timeIn(packtest::readAll(m_www + QStringLiteral("/feed/index.json")), "issued");
    QVERIFY(issued2 > issued1);

    r = cli(args({"feed", "update"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QStringLiteral("installed %1 1.1.0\n").arg(kId).toUtf8());
    QVERIFY(packtest::readAll(installedDir + QStringLiteral("/01-first-lesson/README.md"))
                .contains("second release"));
    QCOMPARE(cli(args({"pack", "list"}), m_work, home).out,
             QStringLiteral("%1  1.1.0  key %2  from %3index.json\n")
                 .arg(kId, m_key.key.keyIdHex(), url(QStringLiteral("feed")))
                 .toUtf8());
    QCOMPARE(snapshot(progressDir), work0);
    QCOMPARE(torchlab::ProgressStore(progressDir)
                 .load(kId, QStringLiteral("first-lesson"))
                 .code.value(QStringLiteral("exercise.cpp")),
             mine);
    QCOMPARE(cli(args({"feed", "list"}), m_work, home).out,
             QStringLiteral("%1index.json  key %2  last index %3\n")
                 .arg(url(QStringLiteral("feed")), m_key.key.keyIdHex(), format(issued2))
                 .toUtf8());
    r = cli(args({"feed", "update"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("up to date\n"));

    // The index on the server expires (properly signed, but its time is up):
    // refused, 1.1.0 and the learner's work stay.
    const QMap<QString, QByteArray> installed2 = snapshot(installedDir);
    const QString indexPath = m_www + QStringLiteral("/feed/index.json");
    QByteArray index = packtest::readAll(indexPath);
    const QDateTime issued =
        QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() - 3 * 86400, Qt::UTC);
    const QDateTime expires = issued.addDays(1);
    index.replace(format(issued2).toUtf8(), format(issued).toUtf8());
    index.replace(format(issued2.addDays(30)).toUtf8(), format(expires).toUtf8());
    QVERIFY(packtest::writeAll(indexPath, index));
    QVERIFY(!packtest::sign(m_key, indexPath,
                            QStringLiteral("feed %1 %2").arg(format(issued), format(expires)))
                 .isEmpty());
    r = cli(args({"feed", "update"}), m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(QStringLiteral("error: %1index.json: The feed index expired on %2")
                                .arg(url(QStringLiteral("feed")), format(expires))
                                .toUtf8()),
             r.err.constData());
    QCOMPARE(snapshot(installedDir), installed2);
    QCOMPARE(snapshot(progressDir), work0);
    r = cli(args({"feed", "list"}), m_work, home);
    QVERIFY2(r.out.contains("last error: ") && r.out.contains("expired"), r.out.constData());
}

// An index whose time is up is refused on the first contact too: nothing is
// installed and the feed is not remembered.
void TestFeedCli::expiredIndexRefused()
{
    if (m_port == 0)
        LAB_SKIP_MISSING("nginx is not installed (Debian package nginx)");
    const QString releases = m_dir.filePath(QStringLiteral("expired-releases"));
    QVERIFY(!buildAndSign(m_dir.filePath(QStringLiteral("expired-work")), kId,
                          QStringLiteral("2.0.0"), m_key.secretFile, "expired", releases)
                 .isEmpty());
    QVERIFY(publish(releases, QStringLiteral("expired")));
    const QString indexPath = m_www + QStringLiteral("/expired/index.json");
    // Edited by hand and signed again, as a stale copy on a mirror would be.
    QJsonObject json = QJsonDocument::fromJson(packtest::readAll(indexPath)).object();
    const QDateTime issued =
        QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() - 40 * 86400, Qt::UTC);
    const QDateTime expires = issued.addDays(30);
    json.insert(QStringLiteral("issued"), format(issued));
    json.insert(QStringLiteral("expires"), format(expires));
    QVERIFY(packtest::writeAll(indexPath, QJsonDocument(json).toJson()));
    QVERIFY(!packtest::sign(m_key, indexPath,
                            QStringLiteral("feed %1 %2").arg(format(issued), format(expires)))
                 .isEmpty());

    const QString home = m_dir.filePath(QStringLiteral("expired-student"));
    const Result r =
        cli({QStringLiteral("feed"), QStringLiteral("subscribe"), url(QStringLiteral("expired")),
             QStringLiteral("--trust"), m_key.publicFile},
            m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(
        r.err.contains(
            QStringLiteral(
                "error: %1index.json: The feed index expired on %2; ask the instructor to publish "
                "it again.\n")
                .arg(url(QStringLiteral("expired")), format(expires))
                .toUtf8()),
        r.err.constData());
    QCOMPARE(cli(args({"pack", "list"}), m_work, home).out, QByteArray("no packs installed\n"));
    QCOMPARE(cli(args({"feed", "list"}), m_work, home).out, QByteArray("no feeds subscribed\n"));
    QVERIFY(!QFileInfo::exists(home + QStringLiteral("/data/torchlab/packs/installed/") + kId));
}

// A key that is not the instructor's: refused before the index is parsed.
void TestFeedCli::strangersKeyRefused()
{
    if (m_port == 0)
        LAB_SKIP_MISSING("nginx is not installed (Debian package nginx)");
    const QString releases = m_dir.filePath(QStringLiteral("stranger-releases"));
    QVERIFY(!buildAndSign(m_dir.filePath(QStringLiteral("stranger-work")), kId,
                          QStringLiteral("3.0.0"), m_key.secretFile, "stranger", releases)
                 .isEmpty());
    QVERIFY(publish(releases, QStringLiteral("stranger")));
    const QString home = m_dir.filePath(QStringLiteral("stranger-student"));
    const Result r =
        cli({QStringLiteral("feed"), QStringLiteral("subscribe"), url(QStringLiteral("stranger")),
             QStringLiteral("--trust"), m_stranger.publicFile},
            m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(QStringLiteral("error: %1index.json: ")
                                .arg(url(QStringLiteral("stranger")))
                                .toUtf8()) &&
                 r.err.contains(QStringLiteral("not with the trusted key %1")
                                    .arg(m_stranger.key.keyIdHex())
                                    .toUtf8()),
             r.err.constData());
    QCOMPARE(cli(args({"pack", "list"}), m_work, home).out, QByteArray("no packs installed\n"));
    QCOMPARE(cli(args({"feed", "list"}), m_work, home).out, QByteArray("no feeds subscribed\n"));
}

// docs/instructors.md "Replacing a key": a feed with an index key and a
// separate pack key; the instructor replaces both with signed key-rotation
// statements and students follow at their next update without `pack forget`.
// A statement signed by a stranger, or by the retired key after the rotation
// (a replay, or the leaked key trying to take the feed back), is refused, and
// a damaged trust.json stops everything until its backup is restored.
void TestFeedCli::keyRotation()
{
    if (m_port == 0)
        LAB_SKIP_MISSING("nginx is not installed (Debian package nginx)");
    const QString id = QStringLiteral("edu.example.rotate");
    const QString releases = m_dir.filePath(QStringLiteral("rotate-releases"));
    const QString work = m_dir.filePath(QStringLiteral("rotate-work"));
    const QString feed = m_www + QStringLiteral("/rotate");
    const QString home = m_dir.filePath(QStringLiteral("rotate-student"));
    const QString trustFile = home + QStringLiteral("/data/torchlab/packs/trust.json");
    const packtest::TestKey pack1 = packtest::makeKey(m_work, QStringLiteral("rotate-pack1"));
    const packtest::TestKey pack2 = packtest::makeKey(m_work, QStringLiteral("rotate-pack2"));
    const packtest::TestKey index2 = packtest::makeKey(m_work, QStringLiteral("rotate-index2"));
    const auto publishSigned = [&](const QString &packKey, const packtest::TestKey &indexKey) {
        Result r = cli({QStringLiteral("feed"), QStringLiteral("publish"), releases,
                        QStringLiteral("-o"), feed, QStringLiteral("--pack-key"), packKey},
                       m_work);
        if (r.code != 0) {
            qWarning("feed publish: %s", r.err.constData());
            return false;
        }
        r = cli({QStringLiteral("feed"), QStringLiteral("sign"), feed, QStringLiteral("--key"),
                 indexKey.secretFile},
                m_work);
        return r.code == 0;
    };
    const auto rotate = [&](const char *role, const packtest::TestKey &oldKey,
                            const packtest::TestKey &newKey) {
        const Result r =
            cli({QStringLiteral("feed"), QStringLiteral("rotate-key"), feed,
                 QStringLiteral("--role"), QString::fromLatin1(role), QStringLiteral("--key"),
                 oldKey.secretFile, QStringLiteral("--new-key"), newKey.publicFile},
                m_work);
        if (r.code != 0)
            qWarning("feed rotate-key: %s", r.err.constData());
        return r.code == 0 && r.out.contains(": rotate " + QByteArray(role) + ' ' +
                                             newKey.key.keyIdHex().toLatin1());
    };
    const auto feedList = [&] { return cli(args({"feed", "list"}), m_work, home).out; };

    // 1.0.0 signed with the pack key, the index with the index key; the student pins both.
    QVERIFY(!buildAndSign(work, id, QStringLiteral("1.0.0"), pack1.secretFile, "one", releases)
                 .isEmpty());
    QVERIFY(publishSigned(pack1.publicFile, m_key));
    Result r = cli({QStringLiteral("feed"), QStringLiteral("subscribe"),
                    url(QStringLiteral("rotate")), QStringLiteral("--trust"), m_key.publicFile},
                   m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QStringLiteral("installed %1 1.0.0\n").arg(id).toUtf8());
    QVERIFY2(feedList().contains(QStringLiteral("key %1  pack key %2")
                                     .arg(m_key.key.keyIdHex(), pack1.key.keyIdHex())
                                     .toUtf8()),
             feedList().constData());
    const QByteArray oldIndex = packtest::readAll(feed + QStringLiteral("/index.json"));
    const QByteArray oldIndexSig = packtest::readAll(feed + QStringLiteral("/index.json.minisig"));

    // A stranger's statement naming the stranger's key, and an index the stranger signed.
    QVERIFY(rotate("index", m_stranger, m_stranger));
    QVERIFY(publishSigned(pack1.publicFile, m_stranger));
    r = cli(args({"feed", "update"}), m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not signed by the key it replaces"), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY2(feedList().contains(QStringLiteral("key %1  pack key %2")
                                     .arg(m_key.key.keyIdHex(), pack1.key.keyIdHex())
                                     .toUtf8()),
             feedList().constData());

    // The instructor replaces both keys; 1.1.0 is signed with the new pack key.
    QVERIFY(rotate("index", m_key, index2));
    QVERIFY(rotate("packs", pack1, pack2));
    QVERIFY(!buildAndSign(work, id, QStringLiteral("1.1.0"), pack2.secretFile, "two", releases)
                 .isEmpty());
    QVERIFY(publishSigned(pack2.publicFile, index2));
    r = cli(args({"feed", "update"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QStringLiteral("installed %1 1.1.0\n").arg(id).toUtf8());
    QVERIFY2(feedList().contains(QStringLiteral("key %1  pack key %2")
                                     .arg(index2.key.keyIdHex(), pack2.key.keyIdHex())
                                     .toUtf8()),
             feedList().constData());
    QVERIFY(cli(args({"pack", "list"}), m_work, home)
                .out.contains(
                    QStringLiteral("%1  1.1.0  key %2").arg(id, pack2.key.keyIdHex()).toUtf8()));
    // And the next release, signed with the new keys only.
    QVERIFY(!buildAndSign(work, id, QStringLiteral("1.2.0"), pack2.secretFile, "three", releases)
                 .isEmpty());
    QVERIFY(publishSigned(pack2.publicFile, index2));
    r = cli(args({"feed", "update"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QStringLiteral("installed %1 1.2.0\n").arg(id).toUtf8());

    // Back to the old key: the old index with the old statement (a replay), or
    // the retired key signing a new statement (it leaked): both refused.
    const QByteArray newIndex = packtest::readAll(feed + QStringLiteral("/index.json"));
    const QByteArray newIndexSig = packtest::readAll(feed + QStringLiteral("/index.json.minisig"));
    QVERIFY(packtest::writeAll(feed + QStringLiteral("/index.json"), oldIndex));
    QVERIFY(packtest::writeAll(feed + QStringLiteral("/index.json.minisig"), oldIndexSig));
    for (bool leaked : {false, true}) {
        if (leaked)
            QVERIFY(rotate("index", m_key, m_stranger));
        r = cli(args({"feed", "update"}), m_work, home);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not signed by the key it replaces"), r.err.constData());
        QVERIFY2(feedList().contains(QStringLiteral("key %1  pack key %2")
                                         .arg(index2.key.keyIdHex(), pack2.key.keyIdHex())
                                         .toUtf8()),
                 feedList().constData());
    }
    QVERIFY(cli(args({"pack", "list"}), m_work, home).out.contains(" 1.2.0 "));

    // docs/reliability.md row 31 from the command line: a damaged trust.json
    // stops updates and is never rewritten; its checked backup brings it back.
    QVERIFY(packtest::writeAll(feed + QStringLiteral("/index.json"), newIndex));
    QVERIFY(packtest::writeAll(feed + QStringLiteral("/index.json.minisig"), newIndexSig));
    QVERIFY(packtest::writeAll(trustFile, "{\"packs\": 42}"));
    r = cli(args({"feed", "update"}), m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("trust.json is damaged") && r.err.contains("--restore-backup"),
             r.err.constData());
    QCOMPARE(packtest::readAll(trustFile), QByteArray("{\"packs\": 42}"));
    r = cli(args({"pack", "trust"}), m_work, home);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains("trust.json: DAMAGED, backup good"), r.out.constData());
    r = cli(args({"pack", "trust", "--restore-backup"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.out.contains("restored ") && r.out.contains("trust.json: good"), r.out.constData());
    QCOMPARE(packtest::readAll(trustFile + QStringLiteral(".damaged")),
             QByteArray("{\"packs\": 42}"));
    r = cli(args({"feed", "update"}), m_work, home);
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("up to date\n"));
}

QTEST_GUILESS_MAIN(TestFeedCli)
#include "tst_feedcli.moc"
