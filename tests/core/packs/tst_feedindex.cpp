// The signed feed index (docs/reliability.md row 21): a strict parser, and
// verifyFeedIndex() refusing unsigned, tampered, expired and older indexes.
#include "core/packs/feedindex.h"
#include "helpers/requiredeps.h"

#include "helpers/packtestutil.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;
using namespace packtest;

class tst_FeedIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTrip();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void verifiesSignedIndex();
    void refusesBadIndexes_data();
    void refusesBadIndexes();
    void sameIssueTimeOnlyWhenIdentical();
    void timesWithinLimits_data();
    void timesWithinLimits();

private:
    FeedIndex sample() const;
    QByteArray signIndex(const QByteArray &json, const QString &comment);

    QTemporaryDir m_dir;
    TestKey m_key;
    TestKey m_other;
    QDateTime m_now = QDateTime(QDate(2025, 3, 2), QTime(12, 0), Qt::UTC);
};

FeedIndex tst_FeedIndex::sample() const
{
    FeedIndex index;
    index.issued = QDateTime(QDate(2025, 3, 1), QTime(9, 0), Qt::UTC);
    index.expires = QDateTime(QDate(2025, 3, 15), QTime(9, 0), Qt::UTC);
    index.packs.append(FeedEntry{QStringLiteral("org.example.day1"), QStringLiteral("1.2.0"),
                                 QStringLiteral("org.example.day1-1.2.0.tar.gz"), 12345,
                                 QString(64, QLatin1Char('a'))});
    index.packs.append(FeedEntry{QStringLiteral("org.example.day2"), QStringLiteral("0.1.0-rc.1"),
                                 QStringLiteral("day2.zip"), 1, QString(64, QLatin1Char('0'))});
    return index;
}

QByteArray tst_FeedIndex::signIndex(const QByteArray &json, const QString &comment)
{
    const QString path = m_dir.filePath(QStringLiteral("index.json"));
    writeAll(path, json);
    return readAll(sign(m_key, path, comment));
}

void tst_FeedIndex::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (haveMinisign()) {
        m_key = makeKey(m_dir.path(), QStringLiteral("feed"));
        m_other = makeKey(m_dir.path(), QStringLiteral("other"));
    }
}

void tst_FeedIndex::roundTrip()
{
    const FeedIndex index = sample();
    QString error;
    const auto parsed = FeedIndex::parse(index.toJson(), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->issued, index.issued);
    QCOMPARE(parsed->expires, index.expires);
    QCOMPARE(parsed->packs.size(), 2);
    QCOMPARE(parsed->packs[0].file, index.packs[0].file);
    QCOMPARE(parsed->packs[0].size, 12345);
    QCOMPARE(parsed->find(QStringLiteral("org.example.day2"))->version,
             QStringLiteral("0.1.0-rc.1"));
    QCOMPARE(index.trustedComment(),
             QStringLiteral("feed 2025-03-01T09:00:00Z 2025-03-15T09:00:00Z"));
}

void tst_FeedIndex::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("json");
    const QByteArray good = sample().toJson();
    QTest::newRow("not json") << QByteArray("{\"schema\":");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("empty") << QByteArray();
    auto with = [&](const QByteArray &from, const QByteArray &to) {
        QByteArray j = good;
        j.replace(from, to);
        return j;
    };
    QTest::newRow("wrong schema") << with("torchlab-feed/1", "torchlab-feed/2");
    QTest::newRow("unknown key") << with("\"packs\"", "\"extra\": 1, \"packs\"");
    QTest::newRow("unknown pack key")
        << with("\"size\": 1,", "\"size\": 1, \"url\": \"http://x\",");
    QTest::newRow("time with offset") << with("2025-03-01T09:00:00Z", "2025-03-01T09:00:00+01:00");
    QTest::newRow("expires before issued") << with("2025-03-15T09:00:00Z", "2025-02-15T09:00:00Z");
    QTest::newRow("path in file") << with("day2.zip", "../day2.zip");
    QTest::newRow("folder in file") << with("day2.zip", "sub/day2.zip");
    QTest::newRow("minisig as file") << with("day2.zip", "day2.zip.minisig");
    QTest::newRow("bad id") << with("org.example.day2", "Org/Example");
    QTest::newRow("bad version") << with("0.1.0-rc.1", "01.0");
    QTest::newRow("short sha") << with(QByteArray(64, '0'), QByteArray(63, '0'));
    QTest::newRow("upper-case sha") << with(QByteArray(64, 'a'), QByteArray(64, 'A'));
    QTest::newRow("size zero") << with("\"size\": 1,", "\"size\": 0,");
    QTest::newRow("size fraction") << with("\"size\": 1,", "\"size\": 1.5,");
    QTest::newRow("size string") << with("\"size\": 1,", "\"size\": \"1\",");
    QTest::newRow("size huge") << with("\"size\": 1,", "\"size\": 1e30,");
    QTest::newRow("duplicate id") << with("org.example.day2", "org.example.day1");
    QTest::newRow("packs not a list")
        << QByteArray("{\"schema\":\"torchlab-feed/1\",\"issued\":\"2025-03-01T09:00:00Z\","
                      "\"expires\":\"2025-03-02T09:00:00Z\",\"packs\":{}}");
    QTest::newRow("too large") << (good + QByteArray(FeedIndex::MaxBytes, ' '));
}

void tst_FeedIndex::rejectsMalformed()
{
    QFETCH(QByteArray, json);
    QString error;
    QVERIFY(!FeedIndex::parse(json, &error));
    QVERIFY(!error.isEmpty());
}

void tst_FeedIndex::verifiesSignedIndex()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed");
    const QByteArray json = sample().toJson();
    const QByteArray sig = signIndex(json, sample().trustedComment());
    const FeedIndexCheck check = verifyFeedIndex(json, sig, m_key.key, m_now, sample().issued);
    QVERIFY2(check.ok, qPrintable(check.error));
    QCOMPARE(check.index.packs.size(), 2);
}

void tst_FeedIndex::refusesBadIndexes_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("expired") << QStringLiteral("expired") << QStringLiteral("expired");
    QTest::newRow("older than the last one (rollback)")
        << QStringLiteral("older") << QStringLiteral("rollback");
    QTest::newRow("comment does not match the times")
        << QStringLiteral("comment") << QStringLiteral("does not match");
    QTest::newRow("index edited after signing")
        << QStringLiteral("edited") << QStringLiteral("not signed by");
    QTest::newRow("wrong key") << QStringLiteral("key") << QStringLiteral("not signed by");
    QTest::newRow("unsigned") << QStringLiteral("unsigned") << QStringLiteral("not signed");
    QTest::newRow("signed but not an index") << QStringLiteral("garbage") << QStringLiteral("JSON");
}

void tst_FeedIndex::refusesBadIndexes()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed");
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QByteArray json = sample().toJson();
    QString comment = sample().trustedComment();
    QDateTime now = m_now;
    QDateTime last;
    MinisignPublicKey key = m_key.key;
    if (kind == QLatin1String("expired"))
        now = QDateTime(QDate(2025, 3, 15), QTime(9, 0), Qt::UTC);
    if (kind == QLatin1String("older"))
        last = QDateTime(QDate(2025, 3, 1), QTime(9, 0, 1), Qt::UTC);
    if (kind == QLatin1String("comment"))
        comment = QStringLiteral("feed 2025-03-01T09:00:00Z 2026-03-15T09:00:00Z");
    if (kind == QLatin1String("key"))
        key = m_other.key;
    if (kind == QLatin1String("garbage"))
        json = "not json at all";
    QByteArray sig = signIndex(json, comment);
    if (kind == QLatin1String("edited"))
        json.replace("\"size\": 12345", "\"size\": 12346");
    if (kind == QLatin1String("unsigned"))
        sig.clear();
    const FeedIndexCheck check = verifyFeedIndex(json, sig, key, now, last);
    QVERIFY(!check.ok);
    QVERIFY2(check.error.contains(expected), qPrintable(check.error));
}

// An index with the issue time of the last accepted one is that index read
// again only when it is byte-identical (its SHA-256 was kept); another index
// signed with the same time is a replay or a re-sign and is refused.
void tst_FeedIndex::sameIssueTimeOnlyWhenIdentical()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed");
    const FeedIndex first = sample();
    const QByteArray json = first.toJson();
    const QByteArray sig = signIndex(json, first.trustedComment());
    const FeedIndexCheck accepted = verifyFeedIndex(json, sig, m_key.key, m_now);
    QVERIFY2(accepted.ok, qPrintable(accepted.error));
    QCOMPARE(
        accepted.sha256,
        QString::fromLatin1(QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex()));

    // The same bytes again (a poll with nothing new).
    FeedIndexCheck again =
        verifyFeedIndex(json, sig, m_key.key, m_now, first.issued, accepted.sha256);
    QVERIFY2(again.ok, qPrintable(again.error));

    // Another index, validly signed, with the same issue time.
    FeedIndex other = sample();
    other.packs.removeLast();
    const QByteArray otherJson = other.toJson();
    const QByteArray otherSig = signIndex(otherJson, other.trustedComment());
    QVERIFY(verifyFeedIndex(otherJson, otherSig, m_key.key, m_now).ok); // fine on its own
    again = verifyFeedIndex(otherJson, otherSig, m_key.key, m_now, first.issued, accepted.sha256);
    QVERIFY(!again.ok);
    QVERIFY2(again.error.contains(QLatin1String("same issue time")) &&
                 again.error.contains(QLatin1String("replayed or re-signed")),
             qPrintable(again.error));

    // One second later it is a new index.
    other.issued = other.issued.addSecs(1);
    const QByteArray newerJson = other.toJson();
    again = verifyFeedIndex(newerJson, signIndex(newerJson, other.trustedComment()), m_key.key,
                            m_now, first.issued, accepted.sha256);
    QVERIFY2(again.ok, qPrintable(again.error));

    // A record from an older lab has no hash: the same time is accepted.
    again = verifyFeedIndex(otherJson, otherSig, m_key.key, m_now, first.issued, QString());
    QVERIFY2(again.ok, qPrintable(again.error));
}

// docs/reliability.md row 32: an index issued in the future would raise the
// feed's rollback floor into the future and freeze the feed; an index valid
// for years could be replayed for years. 24 h of clock skew are allowed, and
// at most 90 days of validity.
void tst_FeedIndex::timesWithinLimits_data()
{
    QTest::addColumn<QDateTime>("issued");
    QTest::addColumn<QDateTime>("expires");
    QTest::addColumn<QString>("expected"); // empty: accepted
    const QDateTime now = m_now;
    QTest::newRow("dated 2099") << QDateTime(QDate(2099, 1, 1), QTime(9, 0), Qt::UTC)
                                << QDateTime(QDate(2099, 1, 15), QTime(9, 0), Qt::UTC)
                                << QStringLiteral("from the future");
    QTest::newRow("a day and a second ahead")
        << now.addSecs(24 * 3600 + 1) << now.addDays(10) << QStringLiteral("from the future");
    QTest::newRow("23 hours ahead (clock skew)")
        << now.addSecs(23 * 3600) << now.addDays(10) << QString();
    QTest::newRow("valid for 10 years")
        << now.addDays(-1) << now.addYears(10) << QStringLiteral("longer than the 90 days");
    QTest::newRow("valid for 91 days")
        << now.addDays(-1) << now.addDays(90) << QStringLiteral("longer than the 90 days");
    QTest::newRow("valid for 90 days") << now.addDays(-1) << now.addDays(89) << QString();
}

void tst_FeedIndex::timesWithinLimits()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed");
    QFETCH(QDateTime, issued);
    QFETCH(QDateTime, expires);
    QFETCH(QString, expected);
    FeedIndex index = sample();
    index.issued = issued;
    index.expires = expires;
    const QByteArray json = index.toJson();
    const FeedIndexCheck check =
        verifyFeedIndex(json, signIndex(json, index.trustedComment()), m_key.key, m_now);
    if (expected.isEmpty()) {
        QVERIFY2(check.ok, qPrintable(check.error));
    } else {
        QVERIFY(!check.ok);
        QVERIFY2(check.error.contains(expected), qPrintable(check.error));
    }
}

QTEST_GUILESS_MAIN(tst_FeedIndex)
#include "tst_feedindex.moc"
