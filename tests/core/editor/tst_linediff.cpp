#include "core/editor/linediff.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace torchlab;

namespace {

// Compact form of a diff for table rows: "=a -b +c".
QString describe(const QList<DiffLine> &lines)
{
    QStringList parts;
    for (const DiffLine &line : lines) {
        const char *sign = line.kind == DiffLine::Kind::Equal     ? "="
                           : line.kind == DiffLine::Kind::Removed ? "-"
                                                                  : "+";
        parts << QLatin1String(sign) + line.text;
    }
    return parts.join(u' ');
}

int lcsLength(const QStringList &a, const QStringList &b)
{
    std::vector<std::vector<int>> t(size_t(a.size() + 1), std::vector<int>(size_t(b.size() + 1)));
    for (qsizetype i = a.size() - 1; i >= 0; --i)
        for (qsizetype j = b.size() - 1; j >= 0; --j)
            t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    return t[0][0];
}

} // namespace

class TestLineDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitLines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("empty") << QString() << QStringList{};
        QTest::newRow("one line, no newline") << "a" << QStringList{"a"};
        QTest::newRow("final newline adds no line") << "a\n" << QStringList{"a"};
        QTest::newRow("empty line kept") << "a\n\nb\n" << QStringList{"a", "", "b"};
        QTest::newRow("crlf") << "a\r\nb\r\n" << QStringList{"a", "b"};
        QTest::newRow("old mac cr") << "a\rb" << QStringList{"a", "b"};
        QTest::newRow("only newline") << "\n" << QStringList{""};
    }
    void splitLines()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, lines);
        QCOMPARE(LineDiff::splitLines(text), lines);
    }

    void diff_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("expected");
        QTest::newRow("identical") << "a\nb\n"
                                   << "a\nb\n"
                                   << "=a =b";
        QTest::newRow("both empty") << ""
                                    << ""
                                    << "";
        QTest::newRow("from empty") << ""
                                    << "a\nb\n"
                                    << "+a +b";
        QTest::newRow("to empty") << "a\nb\n"
                                  << ""
                                  << "-a -b";
        QTest::newRow("insert at start") << "b\nc\n"
                                         << "a\nb\nc\n"
                                         << "+a =b =c";
        QTest::newRow("insert at end") << "a\nb\n"
                                       << "a\nb\nc\n"
                                       << "=a =b +c";
        QTest::newRow("insert in middle") << "a\nc\n"
                                          << "a\nb\nc\n"
                                          << "=a +b =c";
        QTest::newRow("delete in middle") << "a\nb\nc\n"
                                          << "a\nc\n"
                                          << "=a -b =c";
        QTest::newRow("replace one line") << "a\nb\nc\n"
                                          << "a\nX\nc\n"
                                          << "=a -b +X =c";
        QTest::newRow("replace block: removals first") << "a\nb\nc\nd\n"
                                                       << "a\nX\nY\nd\n"
                                                       << "=a -b -c +X +Y =d";
        QTest::newRow("nothing in common") << "a\nb\n"
                                           << "c\nd\n"
                                           << "-a -b +c +d";
        // A file saved on Windows is not "all changed" against the LF solution.
        QTest::newRow("crlf equals lf") << "a\r\nb\r\n"
                                        << "a\nb\n"
                                        << "=a =b";
        QTest::newRow("missing final newline is no change") << "a\nb"
                                                            << "a\nb\n"
                                                            << "=a =b";
        QTest::newRow("whitespace is a change") << "a \n"
                                                << "a\n"
                                                << "-a  +a";
        QTest::newRow("repeated lines") << "x\nx\nx\n"
                                        << "x\nx\n"
                                        << "=x =x -x";
        QTest::newRow("moved line") << "a\nb\nc\n"
                                    << "b\nc\na\n"
                                    << "-a =b =c +a";
    }
    void diff()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QString, expected);
        QCOMPARE(describe(LineDiff::diff(a, b)), expected);
    }

    void lineNumbers()
    {
        const QList<DiffLine> lines = LineDiff::diff("a\nb\nc\n", "a\nX\nc\nd\n");
        QList<DiffLine> expected{
            {DiffLine::Kind::Equal, 1, 1, "a"}, {DiffLine::Kind::Removed, 2, 0, "b"},
            {DiffLine::Kind::Added, 0, 2, "X"}, {DiffLine::Kind::Equal, 3, 3, "c"},
            {DiffLine::Kind::Added, 0, 4, "d"},
        };
        QCOMPARE(lines, expected);
        QCOMPARE(LineDiff::changedLineCount(lines), 3);
    }

    // Random small inputs over a tiny alphabet: the script must rebuild both
    // sides and be as short as the longest common subsequence allows.
    void randomInputsAreMinimalAndComplete()
    {
        QRandomGenerator rng(12345);
        for (int round = 0; round < 2000; ++round) {
            QStringList a, b;
            const int na = int(rng.bounded(12));
            const int nb = int(rng.bounded(12));
            for (int i = 0; i < na; ++i)
                a << QString(QChar(u'a' + rng.bounded(3)));
            for (int i = 0; i < nb; ++i)
                b << QString(QChar(u'a' + rng.bounded(3)));
            const QList<DiffLine> lines = LineDiff::diffLines(a, b);
            QStringList rebuiltA, rebuiltB;
            int equal = 0;
            for (const DiffLine &line : lines) {
                if (line.kind != DiffLine::Kind::Added) {
                    rebuiltA << line.text;
                    QCOMPARE(line.oldLine, rebuiltA.size());
                }
                if (line.kind != DiffLine::Kind::Removed) {
                    rebuiltB << line.text;
                    QCOMPARE(line.newLine, rebuiltB.size());
                }
                equal += line.kind == DiffLine::Kind::Equal;
            }
            QCOMPARE(rebuiltA, a);
            QCOMPARE(rebuiltB, b);
            QCOMPARE(equal, lcsLength(a, b));
        }
    }

    void unified_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("context");
        QTest::addColumn<QString>("expected");
        QTest::newRow("identical is empty") << "a\n"
                                            << "a\r\n"
                                            << 3 << QString();
        QTest::newRow("one change, full context")
            << "1\n2\n3\n4\n5\n"
            << "1\n2\nX\n4\n5\n"
            << 3 << "--- old\n+++ new\n@@ -1,5 +1,5 @@\n 1\n 2\n-3\n+X\n 4\n 5\n";
        QTest::newRow("context 1 trims")
            << "1\n2\n3\n4\n5\n"
            << "1\n2\nX\n4\n5\n"
            << 1 << "--- old\n+++ new\n@@ -2,3 +2,3 @@\n 2\n-3\n+X\n 4\n";
        QTest::newRow("two hunks far apart")
            << "1\n2\n3\n4\n5\n6\n7\n8\n9\n"
            << "X\n2\n3\n4\n5\n6\n7\n8\nY\n"
            << 1 << "--- old\n+++ new\n@@ -1,2 +1,2 @@\n-1\n+X\n 2\n@@ -8,2 +8,2 @@\n 8\n-9\n+Y\n";
        QTest::newRow("close changes merge")
            << "1\n2\n3\n4\n"
            << "X\n2\n3\nY\n"
            << 1 << "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n-4\n+Y\n";
        QTest::newRow("from empty file") << ""
                                         << "a\nb\n"
                                         << 3 << "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n";
        QTest::newRow("pure insertion, zero context")
            << "a\nc\n"
            << "a\nb\nc\n"
            << 0 << "--- old\n+++ new\n@@ -1,0 +2 @@\n+b\n";
    }
    void unified()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, context);
        QFETCH(QString, expected);
        QCOMPARE(unifiedDiff(a, b, "old", "new", context), expected);
    }

    // A realistic worst case: two unrelated 3,000-line files. Linear-space
    // Myers must not blow up; printed, not asserted.
    void largeUnrelatedFiles()
    {
        QStringList a, b;
        for (int i = 0; i < 3000; ++i) {
            a << QStringLiteral("a%1").arg(i);
            b << QStringLiteral("b%1").arg(i);
        }
        QElapsedTimer timer;
        timer.start();
        const QList<DiffLine> lines = LineDiff::diffLines(a, b);
        qDebug("3000 vs 3000 unrelated lines: %lld ms", qint64(timer.elapsed()));
        QCOMPARE(LineDiff::changedLineCount(lines), 6000);

        b = a;
        for (int i = 0; i < 3000; i += 100)
            b[i] = QStringLiteral("changed");
        timer.restart();
        const QList<DiffLine> edited = LineDiff::diffLines(a, b);
        qDebug("3000 lines, 30 edits: %lld ms", qint64(timer.elapsed()));
        QCOMPARE(LineDiff::changedLineCount(edited), 60);
    }
};

QTEST_GUILESS_MAIN(TestLineDiff)
#include "tst_linediff.moc"
