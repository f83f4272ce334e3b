// torchlab://subscribe?feed=…&key=…&name=… links: what an
// instructor hands students. A link round-trips through toString()/parse();
// keys arrive percent-encoded or raw (base64's '+' and '/'), and every link
// that is not exactly a subscription to an http(s) feed with a valid key is
// refused with one plain sentence.
#include "core/packs/subscribelink.h"

#include <QTest>

using namespace torchlab;

namespace {

// A key whose base64 line holds both '+' and '/' (bytes 0xfb/0xff encode to them).
MinisignPublicKey awkwardKey()
{
    MinisignPublicKey key;
    key.keyId = QByteArray(8, char(0xfb));
    key.key = QByteArray(32, char(0xff));
    key.key[0] = char(0x3e);
    return key;
}

} // namespace

class tst_SubscribeLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void acceptsRawAndEncodedKeys_data();
    void acceptsRawAndEncodedKeys();
    void acceptsVariants();
    void refusals_data();
    void refusals();
};

void tst_SubscribeLink::roundTrip_data()
{
    QTest::addColumn<QString>("feed");
    QTest::addColumn<QString>("name");
    QTest::newRow("folder, no name")
        << QStringLiteral("https://course.example.edu/feed/") << QString();
    QTest::newRow("index with query and port")
        << QStringLiteral("http://127.0.0.1:8080/dl/feed/index.json?term=a&b=c%20d") << QString();
    QTest::newRow("name with punctuation and CJK")
        << QStringLiteral("https://example.org/~ta/feed/")
        << QStringLiteral("Deep Learning, Autumn 2026 & more = 深度学习 #1 +/?");
}

void tst_SubscribeLink::roundTrip()
{
    QFETCH(QString, feed);
    QFETCH(QString, name);
    SubscribeLink link;
    link.feed = QUrl(feed);
    link.key = awkwardKey();
    link.name = name;
    const QString text = link.toString();
    QVERIFY(text.startsWith(QLatin1String("torchlab://subscribe?feed=")));
    // Only unreserved characters and the query's own separators: safe in e-mail and chat.
    for (const QChar c : text.mid(QStringLiteral("torchlab://subscribe?").size()))
        QVERIFY2(c.isLetterOrNumber() || QStringLiteral("-._~%&=").contains(c), qPrintable(text));
    QString error;
    const auto parsed = SubscribeLink::parse(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->feed, link.feed);
    QCOMPARE(parsed->key, link.key);
    QCOMPARE(parsed->name, link.name);
    QCOMPARE(parsed->toString(), text);
}

void tst_SubscribeLink::acceptsRawAndEncodedKeys_data()
{
    const QString key = awkwardKey().toBase64();
    QVERIFY(key.contains(QLatin1Char('+')) && key.contains(QLatin1Char('/')));
    QTest::addColumn<QString>("keyInLink");
    QTest::newRow("raw + and /") << key;
    QTest::newRow("percent-encoded") << QString::fromLatin1(QUrl::toPercentEncoding(key));
    QTest::newRow("lower-case escapes") << QString::fromLatin1(QUrl::toPercentEncoding(key))
                                               .replace(QLatin1String("%2F"), QLatin1String("%2f"));
    QTest::newRow("+ decoded to a space by a link handler")
        << QString(key).replace(QLatin1Char('+'), QLatin1String("%20"));
}

void tst_SubscribeLink::acceptsRawAndEncodedKeys()
{
    QFETCH(QString, keyInLink);
    const QString text =
        QStringLiteral("torchlab://subscribe?feed=https%3A%2F%2Fexample.org%2Ffeed%2F&key=") +
        keyInLink;
    QString error;
    const auto link = SubscribeLink::parse(text, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->key, awkwardKey());
    QCOMPARE(link->feed, QUrl(QStringLiteral("https://example.org/feed/")));
    QVERIFY(link->name.isEmpty());
}

void tst_SubscribeLink::acceptsVariants()
{
    const QString key = awkwardKey().toBase64();
    const QString tail =
        QStringLiteral("subscribe?name=Day%201&feed=http://example.org/f/&key=") + key;
    for (const QString &text :
         {QStringLiteral("  torchlab://") + tail + QStringLiteral("\n"),
          QStringLiteral("torchlab:") + tail, QStringLiteral("TorchLab://") + tail,
          QStringLiteral("torchlab://") + tail + QStringLiteral("&future=1")}) {
        QString error;
        const auto link = SubscribeLink::parse(text, &error);
        QVERIFY2(link, qPrintable(text + QStringLiteral(": ") + error));
        QCOMPARE(link->feed, QUrl(QStringLiteral("http://example.org/f/")));
        QCOMPARE(link->name, QStringLiteral("Day 1"));
        QCOMPARE(link->key, awkwardKey());
        QVERIFY(error.isEmpty());
    }
}

void tst_SubscribeLink::refusals_data()
{
    const QString key = awkwardKey().toBase64();
    const QString feed = QStringLiteral("feed=https%3A%2F%2Fexample.org%2Ffeed%2F");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << QStringLiteral("not a TorchLab link");
    QTest::newRow("other scheme") << QStringLiteral("https://subscribe?") + feed +
                                         QStringLiteral("&key=") + key
                                  << QStringLiteral("not a TorchLab link");
    QTest::newRow("other action") << QStringLiteral("torchlab://install?") + feed +
                                         QStringLiteral("&key=") + key
                                  << QStringLiteral("does not subscribe");
    QTest::newRow("no query") << QStringLiteral("torchlab://subscribe")
                              << QStringLiteral("no feed=");
    QTest::newRow("missing feed") << QStringLiteral("torchlab://subscribe?key=") + key
                                  << QStringLiteral("no feed=");
    QTest::newRow("empty feed") << QStringLiteral("torchlab://subscribe?feed=&key=") + key
                                << QStringLiteral("no feed=");
    QTest::newRow("missing key") << QStringLiteral("torchlab://subscribe?") + feed
                                 << QStringLiteral("no key=");
    QTest::newRow("duplicate feed")
        << QStringLiteral("torchlab://subscribe?") + feed +
               QStringLiteral("&feed=https%3A%2F%2Fevil.example%2F&key=") + key
        << QStringLiteral("more than once");
    QTest::newRow("duplicate key")
        << QStringLiteral("torchlab://subscribe?") + feed + QStringLiteral("&key=") + key +
               QStringLiteral("&key=") + key
        << QStringLiteral("more than once");
    QTest::newRow("duplicate name")
        << QStringLiteral("torchlab://subscribe?") + feed + QStringLiteral("&key=") + key +
               QStringLiteral("&name=a&name=b")
        << QStringLiteral("more than once");
    QTest::newRow("file feed") << QStringLiteral("torchlab://subscribe?feed=file%3A%2F%2F%2Fetc%2F"
                                                 "&key=") +
                                      key
                               << QStringLiteral("not an http or https address");
    QTest::newRow("ftp feed") << QStringLiteral("torchlab://subscribe?feed=ftp://example.org/f/"
                                                "&key=") +
                                     key
                              << QStringLiteral("not an http or https address");
    QTest::newRow("feed without host") << QStringLiteral("torchlab://subscribe?feed=https%3A%2F%2F"
                                                         "&key=") +
                                              key
                                       << QStringLiteral("not an http or https address");
    QTest::newRow("user info in feed")
        << QStringLiteral("torchlab://subscribe?feed=https%3A%2F%2Fuser%3Apw%40example.org%2Ff%2F"
                          "&key=") +
               key
        << QStringLiteral("user name or password");
    QTest::newRow("bad key") << QStringLiteral("torchlab://subscribe?") + feed +
                                    QStringLiteral("&key=RWnotakey")
                             << QStringLiteral("key in the link is not valid");
    QTest::newRow("truncated key")
        << QStringLiteral("torchlab://subscribe?") + feed + QStringLiteral("&key=") + key.left(40)
        << QStringLiteral("key in the link is not valid");
    QTest::newRow("over-long name")
        << QStringLiteral("torchlab://subscribe?") + feed + QStringLiteral("&key=") + key +
               QStringLiteral("&name=") + QString(201, QLatin1Char('x'))
        << QStringLiteral("longer than 200");
    QTest::newRow("name with a newline")
        << QStringLiteral("torchlab://subscribe?") + feed + QStringLiteral("&key=") + key +
               QStringLiteral("&name=a%0Ab")
        << QStringLiteral("control characters");
}

void tst_SubscribeLink::refusals()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!SubscribeLink::parse(text, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    // One plain sentence: no line breaks, ends like a sentence.
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY2(error.endsWith(QLatin1Char('.')) || error.endsWith(QLatin1Char('?')) ||
                 error.contains(QLatin1String(": ")),
             qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_SubscribeLink)
#include "tst_subscribelink.moc"
