#include "widgets/console/outputconsole.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>

using namespace torchlab;

namespace {

// The character format at the first character of `needle` in the console.
QTextCharFormat formatAt(OutputConsole &console, const QString &needle, int offset = 1)
{
    const qsizetype at = console.plainText().indexOf(needle);
    if (at < 0)
        return {};
    QTextCursor cursor(console.document());
    cursor.setPosition(int(at + offset)); // charFormat() is the format left of the cursor
    return cursor.charFormat();
}

bool isReddish(const QColor &c)
{
    return c.red() > 150 && c.red() > c.green() + 60 && c.red() > c.blue() + 60;
}

void saveShot(QWidget &widget, const QString &name)
{
    QVERIFY(panelshots::save(widget, name));
}

QByteArray fixture(const QString &relative)
{
    QFile file(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(relative));
    return file.readAll();
}

// The first character position of `needle` on screen, for mouse events.
QPoint pointOf(OutputConsole &console, const QString &needle, int offset = 3)
{
    const qsizetype at = console.plainText().indexOf(needle);
    QTextCursor cursor(console.document());
    cursor.setPosition(int(at + offset));
    return console.cursorRect(cursor).center() + QPoint(1, 0);
}

} // namespace

class tst_OutputConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theSameLabLineIsShownOnce()
    {
        OutputConsole console;
        console.appendInfo(QStringLiteral("1 error in exercise.cpp"));
        console.appendInfo(QStringLiteral("1 error in exercise.cpp")); // the run's summary too
        console.flush();
        QCOMPARE(console.toPlainText().count(QStringLiteral("1 error in exercise.cpp")), 1);
        // Program output between two equal lines: both are shown.
        console.appendStdout("step 1\n");
        console.appendInfo(QStringLiteral("1 error in exercise.cpp"));
        console.flush();
        QCOMPARE(console.toPlainText().count(QStringLiteral("1 error in exercise.cpp")), 2);
        console.clearOutput();
        console.appendInfo(QStringLiteral("Compile cancelled."));
        console.appendInfo(QStringLiteral("Compile cancelled."));
        console.flush();
        QCOMPARE(console.toPlainText().count(QStringLiteral("Compile cancelled.")), 1);
    }

    void initTestCase();
    void stdoutAndStderrLookDifferent();
    void ansiRedIsRedAndEscapesNeverShow();
    void splitMultiByteCharacterDecodes();
    void invalidUtf8BecomesReplacementCharacters();
    void appendsAreBatched();
    void hundredThousandTinyChunks();
    void carriageReturnRedrawsTheLine();
    void infoLinesStartOnTheirOwnLine();
    void clickingALinkEmitsTheLocation();
    void linkSplitAcrossChunksStillLinks();
    void otherFilesAreNotLinks();
    void pointingHandOverALink();
    void tenMegabytesStayUnderTheCap();
    void truncationKeepsTheHeadAndTheNewestTail_data();
    void truncationKeepsTheHeadAndTheNewestTail();
    void clearOutputStartsOver();
    void darkThemeRecolours();
    void screenshots();
};

void tst_OutputConsole::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_OutputConsole::stdoutAndStderrLookDifferent()
{
    OutputConsole console;
    console.appendStdout("all good\n");
    console.appendStderr("warning: careful\n");
    console.flush();
    QCOMPARE(console.plainText(), QStringLiteral("all good\nwarning: careful\n"));
    const QColor out = formatAt(console, QStringLiteral("all good")).foreground().color();
    const QColor err = formatAt(console, QStringLiteral("warning")).foreground().color();
    QVERIFY(out != err);
    QVERIFY2(isReddish(err), qPrintable(err.name()));
    QVERIFY(!isReddish(out));
}

void tst_OutputConsole::ansiRedIsRedAndEscapesNeverShow()
{
    OutputConsole console;
    console.appendStdout(
        "\x1b[1;31mred alert\x1b[0m then \x1b[32mgreen\x1b[0m\x1b[2K and \x1b]0;title\x07plain\n");
    console.flush();
    const QString text = console.plainText();
    QCOMPARE(text, QStringLiteral("red alert then green and plain\n"));
    QVERIFY(!text.contains(QChar(0x1b)));
    const QTextCharFormat red = formatAt(console, QStringLiteral("red alert"));
    QVERIFY2(isReddish(red.foreground().color()), qPrintable(red.foreground().color().name()));
    QCOMPARE(red.fontWeight(), int(QFont::Bold));
    const QTextCharFormat plain = formatAt(console, QStringLiteral("plain"));
    QVERIFY(!isReddish(plain.foreground().color()));
    QVERIFY(plain.fontWeight() != int(QFont::Bold));
    const QColor green = formatAt(console, QStringLiteral("green")).foreground().color();
    QVERIFY(green.green() > green.red());
}

void tst_OutputConsole::splitMultiByteCharacterDecodes()
{
    OutputConsole console;
    const QByteArray text = QStringLiteral("损失 ✓ loss\n").toUtf8();
    // Every byte its own chunk, so each multi-byte character is split.
    for (char byte : text)
        console.appendStdout(QByteArray(1, byte));
    console.appendStderr("\xe9"); // stderr has its own decoder: a split there ...
    console.appendStdout("ok\n"); // ... does not disturb stdout
    console.appendStderr("\x80\x9a\n");
    console.flush();
    QCOMPARE(console.plainText(), QStringLiteral("损失 ✓ loss\nok\n通\n"));
    QVERIFY(!console.plainText().contains(QChar::ReplacementCharacter));
}

void tst_OutputConsole::invalidUtf8BecomesReplacementCharacters()
{
    OutputConsole console;
    console.appendStdout(QByteArray("bad \xff\xfe bytes\n"));
    console.flush();
    QVERIFY(console.plainText().startsWith(QStringLiteral("bad ")));
    QVERIFY(console.plainText().contains(QChar::ReplacementCharacter));
    QVERIFY(console.plainText().endsWith(QStringLiteral(" bytes\n")));
}

void tst_OutputConsole::appendsAreBatched()
{
    OutputConsole console;
    console.appendStdout("first\n");
    console.appendStdout("second\n");
    // Nothing reaches the document until the batch timer (or flush()) runs.
    QVERIFY(console.plainText().isEmpty());
    QTRY_COMPARE(console.plainText(), QStringLiteral("first\nsecond\n"));
}

void tst_OutputConsole::hundredThousandTinyChunks()
{
    OutputConsole console;
    console.resize(600, 300);
    console.show();
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 100'000; ++i)
        console.appendStdout(i % 50 == 49 ? QByteArray("x\n") : QByteArray("x"));
    const qint64 appendMs = timer.elapsed();
    QTRY_COMPARE(console.plainText().size(), qsizetype(102'000)); // with a newline every 50
    qInfo("100,000 one-byte chunks: appends %lld ms, shown after %lld ms", appendMs,
          timer.elapsed());
}

void tst_OutputConsole::carriageReturnRedrawsTheLine()
{
    OutputConsole console;
    console.appendStdout("epoch 1 [==  ]\r");
    console.appendStdout("epoch 1 [=== ]\repoch 1 [====] done\n");
    console.appendStdout("windows line\r");
    console.appendStdout("\nnext\n");
    console.flush();
    QCOMPARE(console.plainText(), QStringLiteral("epoch 1 [====] done\nwindows line\nnext\n"));
}

void tst_OutputConsole::infoLinesStartOnTheirOwnLine()
{
    OutputConsole console;
    console.appendInfo(QStringLiteral("Compiling…"));
    console.appendStdout("no newline at the end");
    console.appendInfo(QStringLiteral("Exited with status 1"));
    console.flush();
    QCOMPARE(console.plainText(),
             QStringLiteral("Compiling…\nno newline at the end\nExited with status 1\n"));
    const QTextCharFormat info = formatAt(console, QStringLiteral("Exited"));
    const QTextCharFormat out = formatAt(console, QStringLiteral("no newline"));
    QVERIFY(info.foreground().color() != out.foreground().color());
}

void tst_OutputConsole::clickingALinkEmitsTheLocation()
{
    OutputConsole console;
    console.setLinkFiles({QStringLiteral("exercise.cpp")});
    console.resize(700, 300);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    console.appendStdout("Compiling\n");
    console.appendStderr("/tmp/tljob-x/exercise.cpp:12:5: error: expected ';'\n");
    console.flush();

    const QTextCharFormat link = formatAt(console, QStringLiteral("/tmp/tljob-x/exercise.cpp"), 3);
    QVERIFY(link.isAnchor());
    QVERIFY(link.fontUnderline());
    QVERIFY(!formatAt(console, QStringLiteral("error")).isAnchor());

    QSignalSpy spy(&console, &OutputConsole::locationActivated);
    QTest::mouseClick(console.viewport(), Qt::LeftButton, {},
                      pointOf(console, QStringLiteral("/tmp/tljob-x/exercise.cpp")));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toString(), QStringLiteral("exercise.cpp"));
    QCOMPARE(spy.first().at(1).toInt(), 12);
    QCOMPARE(spy.first().at(2).toInt(), 5);

    // Clicking plain text emits nothing.
    QTest::mouseClick(console.viewport(), Qt::LeftButton, {},
                      pointOf(console, QStringLiteral("Compiling")));
    QCOMPARE(spy.count(), 1);
}

void tst_OutputConsole::linkSplitAcrossChunksStillLinks()
{
    OutputConsole console;
    console.setLinkFiles({QStringLiteral("exercise.cpp")});
    console.appendStdout("assert at exercise.c");
    console.flush(); // the first half is shown before the rest arrives
    console.appendStdout("pp:42: failed\n");
    console.flush();
    const QTextCharFormat f = formatAt(console, QStringLiteral("exercise.cpp:42"), 1);
    QVERIFY(f.isAnchor());
    QVERIFY(f.anchorHref().contains(QStringLiteral("42")));
    QVERIFY(formatAt(console, QStringLiteral("exercise.cpp:42"), 14).isAnchor());
}

void tst_OutputConsole::otherFilesAreNotLinks()
{
    OutputConsole console;
    console.setLinkFiles({QStringLiteral("exercise.cpp")});
    console.appendStderr(
        "Exception raised from select at ./aten/src/ATen/native/TensorShape.cpp:1513\n");
    console.flush();
    QVERIFY(!formatAt(console, QStringLiteral("TensorShape.cpp"), 2).isAnchor());
}

void tst_OutputConsole::pointingHandOverALink()
{
    OutputConsole console;
    console.setLinkFiles({QStringLiteral("exercise.cpp")});
    console.resize(700, 300);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    console.appendStderr("plain words first\nexercise.cpp:3:1: error: x\n");
    console.flush();
    QTest::mouseMove(console.viewport(), pointOf(console, QStringLiteral("exercise.cpp:3")));
    QTRY_COMPARE(console.viewport()->cursor().shape(), Qt::PointingHandCursor);
    QTest::mouseMove(console.viewport(), pointOf(console, QStringLiteral("plain words")));
    QTRY_COMPARE(console.viewport()->cursor().shape(), Qt::IBeamCursor);
}

void tst_OutputConsole::tenMegabytesStayUnderTheCap()
{
    OutputConsole console;
    console.resize(700, 400);
    console.show();
    QCOMPARE(console.maxChars(), qsizetype(2'000'000));
    QByteArray line =
        QByteArray("step 000000 loss 0.123456 ").append(QByteArray(73, '.')).append('\n');
    QElapsedTimer timer;
    timer.start();
    qint64 total = 0;
    int lineNo = 0;
    while (total < 10'000'000) {
        QByteArray chunk;
        for (int i = 0; i < 100; ++i, ++lineNo) {
            QByteArray l = line;
            l.replace(5, 6, QByteArray::number(lineNo).rightJustified(6, '0'));
            chunk += l;
        }
        total += chunk.size();
        console.appendStdout(chunk);
    }
    console.flush();
    qInfo("%lld bytes in %d lines: shown in %lld ms", total, lineNo, timer.elapsed());

    const QString text = console.plainText();
    QVERIFY2(text.size() <= console.maxChars(), qPrintable(QString::number(text.size())));
    QVERIFY(console.isTruncated());
    QVERIFY(text.startsWith(QStringLiteral("step 000000 loss")));
    QVERIFY(text.endsWith(
        QStringLiteral("step %1 loss 0.123456 ").arg(lineNo - 1, 6, 10, QLatin1Char('0')) +
        QString(73, QLatin1Char('.')) + QLatin1Char('\n')));

    // The notice is its own line and says how much is missing, exactly.
    const QStringList lines = text.split(QLatin1Char('\n'));
    const auto notice = std::find_if(lines.cbegin(), lines.cend(), [](const QString &l) {
        return l.contains(QStringLiteral("characters not shown"));
    });
    QVERIFY(notice != lines.cend());
    QVERIFY(notice->startsWith(QStringLiteral("[…")));
    const qsizetype shownOutput = text.size() - notice->size() - 1;
    QCOMPARE(console.truncatedChars() + shownOutput, total);
    QVERIFY(notice->contains(QLocale().toString(console.truncatedChars())));
    // Whole lines on both sides of the notice.
    const qsizetype at = notice - lines.cbegin();
    QVERIFY(lines[at - 1].startsWith(QStringLiteral("step ")) &&
            lines[at - 1].endsWith(QLatin1Char('.')));
    QVERIFY(lines[at + 1].startsWith(QStringLiteral("step ")));
}

void tst_OutputConsole::truncationKeepsTheHeadAndTheNewestTail_data()
{
    QTest::addColumn<int>("flushEvery");
    // Small flushes trim the tail in the document again and again; one big
    // flush drops most of the text before it reaches the document.
    QTest::newRow("many small flushes") << 7;
    QTest::newRow("one flush") << 0;
}

void tst_OutputConsole::truncationKeepsTheHeadAndTheNewestTail()
{
    QFETCH(int, flushEvery);
    OutputConsole console;
    console.setMaxChars(10'000);
    qint64 total = 0;
    for (int i = 0; i < 3000; ++i) {
        const QByteArray l = "line " + QByteArray::number(i) + "\n";
        total += l.size();
        (i % 3 == 0 ? console.appendStderr(l) : console.appendStdout(l));
        if (flushEvery > 0 && i % flushEvery == 0)
            console.flush();
    }
    console.flush();
    const QString text = console.plainText();
    QVERIFY(text.size() <= 10'000);
    QVERIFY(text.startsWith(QStringLiteral("line 0\nline 1\n")));
    QVERIFY(text.endsWith(QStringLiteral("line 2998\nline 2999\n")));
    const QStringList lines = text.split(QLatin1Char('\n'));
    int notices = 0;
    qsizetype noticeSize = 0;
    for (const QString &l : lines) {
        if (l.contains(QStringLiteral("not shown"))) {
            ++notices;
            noticeSize = l.size();
        } else if (!l.isEmpty()) {
            QVERIFY2(l.startsWith(QStringLiteral("line ")), qPrintable(l)); // no partial lines
        }
    }
    QCOMPARE(notices, 1);
    QCOMPARE(console.truncatedChars() + text.size() - noticeSize - 1, total);
    // stderr lines keep their colour in the tail.
    const QColor err = formatAt(console, QStringLiteral("line 2997")).foreground().color();
    QVERIFY(isReddish(err));
}

void tst_OutputConsole::clearOutputStartsOver()
{
    OutputConsole console;
    console.setMaxChars(1000);
    console.appendStdout(QByteArray(5000, 'x'));
    console.appendStdout("\xe4"); // half a character pending in the decoder
    console.flush();
    QVERIFY(console.isTruncated());
    console.clearOutput();
    QVERIFY(!console.isTruncated());
    QCOMPARE(console.truncatedChars(), 0);
    console.appendStdout("fresh\n");
    console.flush();
    QCOMPARE(console.plainText(), QStringLiteral("fresh\n"));
}

void tst_OutputConsole::darkThemeRecolours()
{
    OutputConsole console;
    console.appendStderr("oops\n");
    console.appendStdout("\x1b[34mblue\x1b[0m\n");
    console.flush();
    const QColor lightErr = formatAt(console, QStringLiteral("oops")).foreground().color();
    const QColor lightBlue = formatAt(console, QStringLiteral("blue")).foreground().color();
    console.setDarkTheme(true);
    const QColor darkErr = formatAt(console, QStringLiteral("oops")).foreground().color();
    const QColor darkBlue = formatAt(console, QStringLiteral("blue")).foreground().color();
    QVERIFY(darkErr != lightErr);
    QVERIFY(darkBlue != lightBlue);
    QVERIFY(darkErr.lightness() > lightErr.lightness()); // readable on a dark background
    QVERIFY(isReddish(darkErr));
}

void tst_OutputConsole::screenshots()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        OutputConsole console;
        console.setDarkTheme(dark);
        console.setLinkFiles({QStringLiteral("exercise.cpp")});
        console.resize(820, 420);
        console.show();
        QVERIFY(QTest::qWaitForWindowExposed(&console));
        console.appendInfo(QObject::tr("Compiling exercise.cpp…"));
        console.appendStderr(
            fixture(QStringLiteral("diagnostics/gcc-missing-semicolon-color.txt")));
        console.appendInfo(QObject::tr("Compile failed (1 error). Fix it and press Run again."));
        console.appendInfo(QObject::tr("Compiling exercise.cpp… done in 1.7 s"));
        console.appendStdout("LibTorch 1.13.0 on cpu\n");
        for (int step = 0; step <= 400; step += 100)
            console.appendStdout(QStringLiteral("step %1  loss %2\n")
                                     .arg(step, 4)
                                     .arg(2.3 / (1 + step / 60.0), 0, 'f', 4)
                                     .toUtf8());
        console.appendStdout("\x1b[32m✓ training finished\x1b[0m\n");
        console.appendStderr(fixture(QStringLiteral("run/c10-shape-mismatch.stderr")).left(300));
        console.appendStderr(
            "\nexercise: /tmp/tljob-x/exercise.cpp:31: int main(): Assertion `loss < 1' failed.\n");
        console.appendInfo(QObject::tr("Ended by signal 6 (abort) after 0.4 s"));
        console.flush();
        console.verticalScrollBar()->setValue(console.verticalScrollBar()->maximum());
        saveShot(console,
                 dark ? QStringLiteral("outputconsole-dark") : QStringLiteral("outputconsole"));

        OutputConsole big;
        big.setDarkTheme(dark);
        big.resize(820, 300);
        big.setMaxChars(4000);
        big.show();
        for (int i = 0; i < 400; ++i)
            big.appendStdout(QStringLiteral("step %1  loss %2\n")
                                 .arg(i, 4)
                                 .arg(1.0 / (i + 1), 0, 'f', 5)
                                 .toUtf8());
        big.flush();
        const qsizetype at = big.plainText().indexOf(QStringLiteral("[…"));
        QTextCursor cursor(big.document());
        cursor.setPosition(int(at));
        big.setTextCursor(cursor);
        big.centerCursor();
        saveShot(big, dark ? QStringLiteral("outputconsole-truncated-dark")
                           : QStringLiteral("outputconsole-truncated"));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_OutputConsole)
#include "tst_outputconsole.moc"
