#include "core/console/ansitext.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace torchlab;

Q_DECLARE_METATYPE(torchlab::AnsiStyle)

namespace {

// Test rows write ESC as "\\e" so they stay readable; this turns it into the real byte.
QString esc(const char *text)
{
    return QString::fromUtf8(text).replace(QStringLiteral("\\e"), QStringLiteral("\x1b"));
}

AnsiStyle fg(int index, bool bold = false)
{
    AnsiStyle s;
    s.fg = AnsiColor::palette(index);
    s.bold = bold;
    return s;
}

AnsiStyle rgbFg(int r, int g, int b)
{
    AnsiStyle s;
    s.fg = AnsiColor::fromRgb(r, g, b);
    return s;
}

QString describe(const QList<AnsiSpan> &spans)
{
    QStringList parts;
    for (const AnsiSpan &s : spans) {
        QString colour = QStringLiteral("default");
        if (s.style.fg.kind == AnsiColor::Kind::Palette)
            colour = QString::number(s.style.fg.index);
        else if (s.style.fg.kind == AnsiColor::Kind::Rgb)
            colour = QStringLiteral("#%1").arg(s.style.fg.rgb & 0xffffff, 6, 16, QLatin1Char('0'));
        parts << QStringLiteral("[%1|%2%3%4%5]")
                     .arg(s.text, colour, s.style.bold ? QStringLiteral("|b") : QString(),
                          s.style.underline ? QStringLiteral("|u") : QString(),
                          s.reset ? QStringLiteral("|reset") : QString());
    }
    return parts.join(QString());
}

// Joins adjacent spans of one style, so results from different chunkings compare equal.
QList<AnsiSpan> normalized(const QList<AnsiSpan> &spans)
{
    QList<AnsiSpan> out;
    for (const AnsiSpan &s : spans) {
        if (!out.isEmpty() && out.last().style == s.style && !s.reset)
            out.last().text += s.text;
        else
            out.append(s);
    }
    return out;
}

} // namespace

class tst_AnsiText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spans_data();
    void spans();
    void everySplitGivesTheSameSpans_data();
    void everySplitGivesTheSameSpans();
    void styleCarriesOverChunks();
    void unterminatedStringDropsEverythingUntilItEnds();
    void realCompilerOutputLeavesNoEscapes_data();
    void realCompilerOutputLeavesNoEscapes();
    void randomGarbageNeverLeaksEscapes();
    void xtermCube();
};

void tst_AnsiText::spans_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << esc("hello\n") << QStringLiteral("[hello\n|default]");
    QTest::newRow("red then reset")
        << esc("\\e[31mred\\e[0m plain") << QStringLiteral("[red|1][ plain|default|reset]");
    QTest::newRow("empty SGR is reset")
        << esc("\\e[1mB\\e[mn") << QStringLiteral("[B|default|b][n|default|reset]");
    QTest::newRow("bold red combined") << esc("\\e[1;31mE") << QStringLiteral("[E|1|b]");
    QTest::newRow("clang's 0;1;31")
        << esc("\\e[0;1;31merror: \\e[0m") << QStringLiteral("[error: |1|b|reset]");
    QTest::newRow("gcc's 01;31 and K")
        << esc("\\e[01;31m\\e[Kerror: \\e[m\\e[K") << QStringLiteral("[error: |1|b]");
    QTest::newRow("bright colours") << esc("\\e[92mok") << QStringLiteral("[ok|10]");
    QTest::newRow("default fg") << esc("\\e[33my\\e[39md") << QStringLiteral("[y|3][d|default]");
    QTest::newRow("256 colour basic index") << esc("\\e[38;5;9mx") << QStringLiteral("[x|9]");
    QTest::newRow("256 colour cube") << esc("\\e[38;5;196mx") << QStringLiteral("[x|#ff0000]");
    QTest::newRow("256 colour grey") << esc("\\e[38;5;232mx") << QStringLiteral("[x|#080808]");
    QTest::newRow("24-bit") << esc("\\e[38;2;10;20;30mx") << QStringLiteral("[x|#0a141e]");
    QTest::newRow("24-bit ITU colons")
        << esc("\\e[38:2::10:20:30mx") << QStringLiteral("[x|#0a141e]");
    QTest::newRow("24-bit colons no space id")
        << esc("\\e[38:2:10:20:30mx") << QStringLiteral("[x|#0a141e]");
    QTest::newRow("24-bit then bold")
        << esc("\\e[38;2;255;0;0;1mx") << QStringLiteral("[x|#ff0000|b]");
    QTest::newRow("24-bit clamps") << esc("\\e[38;2;999;0;0mx") << QStringLiteral("[x|#ff0000]");
    QTest::newRow("truncated extended colour")
        << esc("\\e[38;5mx") << QStringLiteral("[x|default]");
    QTest::newRow("underline on and off")
        << esc("\\e[4mu\\e[24mn") << QStringLiteral("[u|default|u][n|default]");
    QTest::newRow("ITU underline off") << esc("\\e[4:0mn") << QStringLiteral("[n|default]");
    QTest::newRow("cursor moves dropped")
        << esc("a\\e[2Kb\\e[1;1Hc\\e[?25ld") << QStringLiteral("[abcd|default]");
    QTest::newRow("private SGR-like is not SGR")
        << esc("\\e[>4;2mx") << QStringLiteral("[x|default]");
    QTest::newRow("OSC title with BEL") << esc("a\\e]0;title\ab") << QStringLiteral("[ab|default]");
    QTest::newRow("OSC 8 hyperlink with ST") << esc("\\e]8;;https://x.org\\e\\link\\e]8;;\\e\\ end")
                                             << QStringLiteral("[link end|default]");
    QTest::newRow("DCS string") << esc("a\\eP1$r0m\\e\\b") << QStringLiteral("[ab|default]");
    QTest::newRow("charset selection") << esc("a\\e(Bb") << QStringLiteral("[ab|default]");
    QTest::newRow("two-char escape") << esc("a\\e7b\\e8c") << QStringLiteral("[abc|default]");
    QTest::newRow("lone ESC before non-ASCII") << esc("a\\eéb") << QStringLiteral("[aéb|default]");
    QTest::newRow("lone ESC before newline") << esc("a\\e\nb") << QStringLiteral("[a\nb|default]");
    QTest::newRow("ESC ESC [") << esc("a\\e\\e[31mb") << QStringLiteral("[a|default][b|1]");
    QTest::newRow("aborted CSI then text") << esc("a\\e[12é") << QStringLiteral("[aé|default]");
    QTest::newRow("newline inside CSI kept")
        << esc("a\\e[3\n1mb") << QStringLiteral("[a\n|default][b|1]");
    QTest::newRow("controls dropped, tab kept")
        << esc("a\a\bb\tc\x7f") << QStringLiteral("[ab\tc|default]");
    QTest::newRow("RIS resets") << esc("\\e[31mr\\ecn") << QStringLiteral("[r|1][n|default|reset]");
    QTest::newRow("huge parameter clamped")
        << esc("\\e[99999999999999mx") << QStringLiteral("[x|default]");
    QTest::newRow("UTF-8 text kept") << esc("\\e[32m✓ 通过\\e[0m") << QStringLiteral("[✓ 通过|2]");
}

void tst_AnsiText::spans()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    AnsiParser parser;
    QCOMPARE(describe(parser.feed(input)), expected);
}

void tst_AnsiText::everySplitGivesTheSameSpans_data()
{
    spans_data();
}

// The console gets output in arbitrary pieces: every two-way and three-way
// split of each row must give the same spans as the whole text.
void tst_AnsiText::everySplitGivesTheSameSpans()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    for (qsizetype a = 0; a <= input.size(); ++a) {
        for (qsizetype b = a; b <= input.size(); ++b) {
            AnsiParser parser;
            QList<AnsiSpan> all = parser.feed(QStringView(input).left(a));
            all += parser.feed(QStringView(input).mid(a, b - a));
            all += parser.feed(QStringView(input).mid(b));
            const QString got = describe(normalized(all));
            if (got != expected)
                QFAIL(qPrintable(QStringLiteral("split at %1,%2: %3").arg(a).arg(b).arg(got)));
        }
    }
}

void tst_AnsiText::styleCarriesOverChunks()
{
    AnsiParser parser;
    parser.feed(esc("\\e[1;3"));
    QVERIFY(parser.inSequence());
    parser.feed(esc("5m"));
    QVERIFY(!parser.inSequence());
    QCOMPARE(parser.style(), fg(5, true));
    const QList<AnsiSpan> spans = parser.feed(u"next chunk");
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans.first().style, fg(5, true));
    parser.reset();
    QVERIFY(parser.style().isPlain());
}

void tst_AnsiText::unterminatedStringDropsEverythingUntilItEnds()
{
    AnsiParser parser;
    QCOMPARE(describe(parser.feed(esc("a\\e]0;"))), QStringLiteral("[a|default]"));
    // A megabyte of title text is swallowed without being kept.
    const QString junk(1 << 20, QLatin1Char('x'));
    QVERIFY(parser.feed(junk).isEmpty());
    QVERIFY(parser.inSequence());
    QCOMPARE(describe(parser.feed(esc("\\e\\b"))), QStringLiteral("[b|default]"));
}

void tst_AnsiText::realCompilerOutputLeavesNoEscapes_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::newRow("clang") << QStringLiteral("clang-missing-semicolon-color.txt");
    QTest::newRow("gcc") << QStringLiteral("gcc-missing-semicolon-color.txt");
}

void tst_AnsiText::realCompilerOutputLeavesNoEscapes()
{
    QFETCH(QString, fixture);
    QFile file(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/diagnostics/") + fixture);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(QChar(0x1b)));

    AnsiParser parser;
    const QList<AnsiSpan> spans = parser.feed(text);
    QString plain;
    bool sawRedBoldError = false;
    for (const AnsiSpan &s : spans) {
        plain += s.text;
        if (s.text.startsWith(QStringLiteral("error")) && s.style.fg == AnsiColor::palette(1) &&
            s.style.bold)
            sawRedBoldError = true;
    }
    QVERIFY(!plain.contains(QChar(0x1b)));
    QVERIFY(!plain.contains(QStringLiteral("[0m")));
    QVERIFY(!plain.contains(QStringLiteral("[K")));
    QVERIFY2(plain.contains(QStringLiteral("exercise.cpp:")), qPrintable(plain));
    QVERIFY(sawRedBoldError);
    QCOMPARE(AnsiParser::strip(text), plain);
}

void tst_AnsiText::randomGarbageNeverLeaksEscapes()
{
    // Random text heavy in ESC, '[', ']', digits and ';', fed in random
    // pieces: whatever arrives, no ESC or BEL reaches the text.
    QRandomGenerator rng(1234);
    const QString alphabet = QStringLiteral("\x1b\x1b[]\\;:0123456789mHKa b\n\aP_^X(");
    for (int round = 0; round < 200; ++round) {
        AnsiParser parser;
        QString input;
        const int len = rng.bounded(1, 300);
        for (int i = 0; i < len; ++i)
            input += alphabet[rng.bounded(int(alphabet.size()))];
        qsizetype pos = 0;
        QString plain;
        while (pos < input.size()) {
            const qsizetype n = rng.bounded(1, 20);
            for (const AnsiSpan &s : parser.feed(QStringView(input).mid(pos, n)))
                plain += s.text;
            pos += n;
        }
        QVERIFY2(!plain.contains(QChar(0x1b)), qPrintable(input.toUtf8().toPercentEncoding()));
        QVERIFY(!plain.contains(QChar(0x07)));
    }
}

void tst_AnsiText::xtermCube()
{
    QCOMPARE(AnsiColor::xterm256(16).rgb, 0xff000000u);
    QCOMPARE(AnsiColor::xterm256(231).rgb, 0xffffffffu);
    QCOMPARE(AnsiColor::xterm256(67).rgb, 0xff5f87afu); // xterm's steelblue
    QCOMPARE(AnsiColor::xterm256(255).rgb, 0xffeeeeeeu);
    QCOMPARE(AnsiColor::xterm256(3), AnsiColor::palette(3));
    QVERIFY(AnsiColor::xterm256(256).isDefault());
    QCOMPARE(rgbFg(1, 2, 3).fg.rgb, 0xff010203u);
}

QTEST_GUILESS_MAIN(tst_AnsiText)
#include "tst_ansitext.moc"
