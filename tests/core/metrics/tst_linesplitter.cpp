#include "core/metrics/linesplitter.h"

#include <QTest>

using namespace torchlab;

class tst_LineSplitter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data();
    void split();
    void everyChunkingGivesTheSameLines();
    void lineAtTheCapIsKept();
    void oneGigabyteLineWithoutNewlineStaysBounded();
    void overLongLineInsideOneChunkIsDroppedWithoutCopy();
    void finishResetsForTheNextStream();
};

// chunks are separated by '|' in the input column to keep rows readable.
void tst_LineSplitter::split_data()
{
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<qsizetype>("maxLine");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<qint64>("dropped");

    QTest::newRow("one line") << QByteArrayList{"abc\n"} << qsizetype(64) << QByteArrayList{"abc"}
                              << qint64(0);
    QTest::newRow("two lines one chunk")
        << QByteArrayList{"a\nb\n"} << qsizetype(64) << QByteArrayList{"a", "b"} << qint64(0);
    QTest::newRow("line split across chunks") << QByteArrayList{"ab", "c", "d\ne"} << qsizetype(64)
                                              << QByteArrayList{"abcd", "e"} << qint64(0);
    QTest::newRow("CRLF") << QByteArrayList{"a\r\nb\r\n"} << qsizetype(64)
                          << QByteArrayList{"a", "b"} << qint64(0);
    QTest::newRow("CR and LF in different chunks")
        << QByteArrayList{"a\r", "\nb\r", "\n"} << qsizetype(64) << QByteArrayList{"a", "b"}
        << qint64(0);
    QTest::newRow("CR inside a line is data")
        << QByteArrayList{"a\rb\n"} << qsizetype(64) << QByteArrayList{"a\rb"} << qint64(0);
    QTest::newRow("empty lines are lines")
        << QByteArrayList{"\n\r\n\n"} << qsizetype(64) << QByteArrayList{"", "", ""} << qint64(0);
    QTest::newRow("partial last line flushed at end")
        << QByteArrayList{"a\npart"} << qsizetype(64) << QByteArrayList{"a", "part"} << qint64(0);
    QTest::newRow("partial last line with CR")
        << QByteArrayList{"a\npart\r"} << qsizetype(64) << QByteArrayList{"a", "part"} << qint64(0);
    QTest::newRow("NUL bytes pass through")
        << QByteArrayList{QByteArray("a\0b\n", 4)} << qsizetype(64)
        << QByteArrayList{QByteArray("a\0b", 3)} << qint64(0);
    QTest::newRow("too long in one chunk")
        << QByteArrayList{"ok\n0123456789\nok2\n"} << qsizetype(5) << QByteArrayList{"ok", "ok2"}
        << qint64(1);
    QTest::newRow("too long across chunks")
        << QByteArrayList{"ok\n012", "345", "6789\nok2\n"} << qsizetype(5)
        << QByteArrayList{"ok", "ok2"} << qint64(1);
    QTest::newRow("too long and unterminated") << QByteArrayList{"ok\n012", "345", "6789"}
                                               << qsizetype(5) << QByteArrayList{"ok"} << qint64(1);
    QTest::newRow("two too long lines counted twice")
        << QByteArrayList{"0123456\n", "0123", "456\n"} << qsizetype(5) << QByteArrayList{}
        << qint64(2);
    QTest::newRow("CR does not count against the cap")
        << QByteArrayList{"01234\r\n", "012", "34\r", "\n"} << qsizetype(5)
        << QByteArrayList{"01234", "01234"} << qint64(0);
}

void tst_LineSplitter::split()
{
    QFETCH(QByteArrayList, chunks);
    QFETCH(qsizetype, maxLine);
    QFETCH(QByteArrayList, expected);
    QFETCH(qint64, dropped);

    LineSplitter splitter(maxLine);
    QByteArrayList got;
    for (const QByteArray &chunk : chunks)
        got += splitter.feed(chunk);
    got += splitter.finish();
    QCOMPARE(got, expected);
    QCOMPARE(splitter.droppedLines(), dropped);
    QCOMPARE(splitter.bufferedBytes(), 0);
}

void tst_LineSplitter::everyChunkingGivesTheSameLines()
{
    const QByteArray stream =
        "first\r\nsecond line\n\nfourth is a bit longer than the cap\nfifth\r\nlast";
    const QByteArrayList expected{"first", "second line", "", "fifth", "last"};
    for (qsizetype chunk = 1; chunk <= stream.size(); ++chunk) {
        LineSplitter splitter(16);
        QByteArrayList got;
        for (qsizetype i = 0; i < stream.size(); i += chunk)
            got +=
                splitter.feed(QByteArrayView(stream).sliced(i, std::min(chunk, stream.size() - i)));
        got += splitter.finish();
        QVERIFY2(got == expected, qPrintable(QStringLiteral("chunk size %1").arg(chunk)));
        QCOMPARE(splitter.droppedLines(), 1);
    }
}

void tst_LineSplitter::lineAtTheCapIsKept()
{
    LineSplitter splitter(8);
    QCOMPARE(splitter.feed("12345678\n123456789\n"), QByteArrayList{"12345678"});
    QCOMPARE(splitter.feed("1234"), QByteArrayList{});
    QCOMPARE(splitter.feed("5678\n"), QByteArrayList{"12345678"});
    QCOMPARE(splitter.droppedLines(), 1);
}

// docs/reliability.md row 11: 1 GB on the metrics channel without a newline must be
// dropped and counted, and must not make the host buffer it.
void tst_LineSplitter::oneGigabyteLineWithoutNewlineStaysBounded()
{
    const qsizetype cap = 64 * 1024;
    LineSplitter splitter(cap);
    // Odd-sized reads, smaller than the cap, so the partial line really grows
    // towards the cap before it is given up (a 1 MiB read would skip that).
    const QByteArray buffer(4093, 'x');
    const qint64 total = qint64(1) << 30;
    qsizetype maxCapacity = 0;
    qsizetype maxBuffered = 0;
    int lines = 0;
    const auto count = [&lines](QByteArrayView) { ++lines; };
    splitter.feed("{\"ev\":\"note\",\"text\":\"before\"}\n", count);
    for (qint64 fed = 0; fed < total; fed += buffer.size()) {
        splitter.feed(buffer, count);
        maxCapacity = std::max(maxCapacity, splitter.bufferCapacity());
        maxBuffered = std::max(maxBuffered, splitter.bufferedBytes());
    }
    QVERIFY(maxBuffered > cap - buffer.size()); // it did buffer up to the cap
    QCOMPARE(lines, 1);
    QCOMPARE(splitter.droppedLines(), 1);
    QVERIFY(splitter.isDiscarding());
    QVERIFY2(maxCapacity <= cap + 1, qPrintable(QString::number(maxCapacity)));
    QCOMPARE(splitter.bufferedBytes(), 0);
    // The giant line ends; the channel carries on normally.
    splitter.feed("tail of the giant line\n{\"ev\":\"note\",\"text\":\"after\"}\n", count);
    QCOMPARE(lines, 2);
    QCOMPARE(splitter.droppedLines(), 1);
    QVERIFY(!splitter.isDiscarding());
}

void tst_LineSplitter::overLongLineInsideOneChunkIsDroppedWithoutCopy()
{
    LineSplitter splitter(4);
    const QByteArray big = QByteArray(1000, 'y') + "\nok\n";
    QCOMPARE(splitter.feed(big), QByteArrayList{"ok"});
    QCOMPARE(splitter.bufferCapacity(), 0);
    QCOMPARE(splitter.droppedLines(), 1);
}

void tst_LineSplitter::finishResetsForTheNextStream()
{
    LineSplitter splitter(4);
    splitter.feed("0123456789"); // over the cap, unterminated
    QCOMPARE(splitter.finish(), QByteArrayList{});
    QCOMPARE(splitter.feed("ab\n"), QByteArrayList{"ab"}); // not swallowed as the old line's tail
    splitter.feed("cd");
    QCOMPARE(splitter.finish(), QByteArrayList{"cd"});
    QCOMPARE(splitter.finish(), QByteArrayList{});
    QCOMPARE(splitter.droppedLines(), 1);
}

QTEST_GUILESS_MAIN(tst_LineSplitter)
#include "tst_linesplitter.moc"
