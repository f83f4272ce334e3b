#include "core/run/outputkeeper.h"

#include <QTest>

using namespace torchlab;

class tst_OutputKeeper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsEverythingBelowTheCap()
    {
        OutputKeeper keeper(8);
        keeper.append("hello ");
        keeper.append("world!");
        QCOMPARE(keeper.totalBytes(), 12);
        QVERIFY(!keeper.truncated());
        QCOMPARE(keeper.text(), QByteArray("hello world!"));
    }

    // head + notice + tail, whatever the chunking: every split of the same
    // stream must give the same text.
    void headAndTail_data()
    {
        QTest::addColumn<int>("chunkSize");
        for (int size : {1, 3, 7, 8, 9, 15, 16, 17, 100, 1000})
            QTest::addRow("chunks of %d", size) << size;
    }

    void headAndTail()
    {
        QFETCH(int, chunkSize);
        QByteArray stream;
        for (int i = 0; i < 100; ++i)
            stream += char('A' + i % 26);
        OutputKeeper keeper(8);
        for (int at = 0; at < stream.size(); at += chunkSize)
            keeper.append(stream.mid(at, chunkSize));
        QCOMPARE(keeper.totalBytes(), 100);
        QCOMPARE(keeper.omittedBytes(), 84);
        QVERIFY(keeper.truncated());
        QCOMPARE(keeper.text(),
                 stream.left(8) + "\n[... 84 bytes omitted ...]\n" + stream.right(8));
        QCOMPARE(keeper.tail(5), stream.right(5));
        QCOMPARE(keeper.tail(50), stream.right(8)); // the rest was dropped
    }

    void exactlyTwiceTheCapIsNotTruncated()
    {
        OutputKeeper keeper(4);
        keeper.append("abcdefgh");
        QVERIFY(!keeper.truncated());
        QCOMPARE(keeper.text(), QByteArray("abcdefgh"));
        keeper.append("i");
        QCOMPARE(keeper.text(), QByteArray("abcd\n[... 1 bytes omitted ...]\nfghi"));
        QCOMPARE(keeper.tail(6), QByteArray("fghi"));
    }

    void tailSpansHeadWhenNothingWasDropped()
    {
        OutputKeeper keeper(4);
        keeper.append("abcdef");
        QCOMPARE(keeper.tail(5), QByteArray("bcdef"));
    }

    void zeroKeepsEverything()
    {
        OutputKeeper keeper(0);
        QByteArray big(100'000, 'x');
        keeper.append(big);
        keeper.append("end");
        QVERIFY(!keeper.truncated());
        QCOMPARE(keeper.text(), big + "end");
        QCOMPARE(keeper.tail(3), QByteArray("end"));
    }

    // Memory stays bounded by the cap however much goes through.
    void memoryStaysBounded()
    {
        OutputKeeper keeper(1024);
        const QByteArray chunk(100, 'y');
        for (int i = 0; i < 100'000; ++i)
            keeper.append(chunk);
        QCOMPARE(keeper.totalBytes(), qint64(10'000'000));
        QCOMPARE(keeper.text().size(),
                 2048 + OutputKeeper::omittedNotice(10'000'000 - 2048).size());
    }

    void clearStartsOver()
    {
        OutputKeeper keeper(2);
        keeper.append("abcdefg");
        keeper.clear();
        keeper.append("xy");
        QCOMPARE(keeper.totalBytes(), 2);
        QCOMPARE(keeper.text(), QByteArray("xy"));
    }
};

QTEST_GUILESS_MAIN(tst_OutputKeeper)
#include "tst_outputkeeper.moc"
