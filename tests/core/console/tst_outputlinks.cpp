#include "core/console/ansitext.h"
#include "core/console/outputlinks.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace torchlab;

namespace {

// "file:line:column@start+length" per link, so a row states everything at once.
QString describe(const QList<OutputLink> &links)
{
    QStringList parts;
    for (const OutputLink &l : links)
        parts << QStringLiteral("%1:%2:%3@%4+%5")
                     .arg(l.file)
                     .arg(l.line)
                     .arg(l.column)
                     .arg(l.start)
                     .arg(l.length);
    return parts.join(QLatin1Char(' '));
}

const QStringList learner{QStringLiteral("exercise.cpp"), QStringLiteral("exercise.cu"),
                          QStringLiteral("model/net.h")};

} // namespace

class tst_OutputLinks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void find_data();
    void find();
    void linkTextIsTheLocation();
    void everyFixtureErrorLineLinks_data();
    void everyFixtureErrorLineLinks();
    void noFilesNoLinks();
};

void tst_OutputLinks::find_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("expected");

    // Compilers (lines from tests/fixtures/diagnostics).
    QTest::newRow("clang error with temp path")
        << QStringLiteral(
               "/tmp/tljob-kkw0qY/exercise.cpp:5:31: error: expected ';' at end of declaration")
        << QStringLiteral("exercise.cpp:5:31@0+35");
    QTest::newRow("gcc error with typographic quotes")
        << QStringLiteral("/tmp/tljob-kkw0qY/exercise.cpp:6:20: error: ‘learning_rat’ was not "
                          "declared in this scope; did you mean ‘learning_rate’?")
        << QStringLiteral("exercise.cpp:6:20@0+35");
    QTest::newRow("shown name only") << QStringLiteral("exercise.cpp:12:5: error: boom")
                                     << QStringLiteral("exercise.cpp:12:5@0+17");
    QTest::newRow("gcc required from here")
        << QStringLiteral("/tmp/tljob-kkw0qY/exercise.cpp:11:17:   required from here")
        << QStringLiteral("exercise.cpp:11:17@0+36");
    QTest::newRow("included from")
        << QStringLiteral("                 from /tmp/tljob-kkw0qY/exercise.cpp:1:")
        << QStringLiteral("exercise.cpp:1:0@22+32");
    QTest::newRow("gcc 'In function' has no line")
        << QStringLiteral("/tmp/tljob-kkw0qY/exercise.cpp: In function ‘int main()’:") << QString();
    QTest::newRow("ld.bfd undefined reference")
        << QStringLiteral("/tmp/tljob-kkw0qY/exercise.cpp:8: undefined reference to "
                          "`normalize(at::Tensor const&)'")
        << QStringLiteral("exercise.cpp:8:0@0+32");
    QTest::newRow("lld referenced by, twice")
        << QStringLiteral(">>> referenced by exercise.cpp:8 (/tmp/tljob-kkw0qY/exercise.cpp:8)")
        << QStringLiteral("exercise.cpp:8:0@18+14 exercise.cpp:8:0@34+32");
    QTest::newRow("object file is not a location")
        << QStringLiteral(">>>               /tmp/tljob-kkw0qY/exercise.o:(main)") << QString();
    QTest::newRow("nvcc parenthesised line")
        << QStringLiteral(
               "/tmp/tljob-kkw0qY/exercise.cu(5): error: identifier \"factor\" is undefined")
        << QStringLiteral("exercise.cu:5:0@0+32");
    QTest::newRow("nvcc host preprocessor")
        << QStringLiteral("/tmp/tljob-kkw0qY/exercise.cu:2:10: fatal error: curand_kernelz.h: No "
                          "such file or directory")
        << QStringLiteral("exercise.cu:2:10@0+34");
    QTest::newRow("fix-it line quotes the path")
        << QStringLiteral("fix-it:\"/tmp/tljob-kkw0qY/exercise.cpp\":{5:31-5:31}:\";\"")
        << QString();
    QTest::newRow("header in a folder matched by file name")
        << QStringLiteral("src/model/net.h:3:1: error: unknown type name 'Tensr'")
        << QStringLiteral("model/net.h:3:1@0+19");

    // Runtime output.
    QTest::newRow("assert()")
        << QStringLiteral(
               "exercise: /tmp/tljob-x/exercise.cpp:12: int main(): Assertion `x > 0' failed.")
        << QStringLiteral("exercise.cpp:12:0@10+28");
    QTest::newRow("TORCH_CHECK in the learner's code")
        << QStringLiteral("Exception raised from main at /tmp/tljob-x/exercise.cpp:40 (most recent "
                          "call first):")
        << QStringLiteral("exercise.cpp:40:0@30+28");
    QTest::newRow("'at' with a bare name") << QStringLiteral("check failed at exercise.cpp:12")
                                           << QStringLiteral("exercise.cpp:12:0@16+15");
    QTest::newRow("in brackets") << QStringLiteral("[exercise.cpp:7] loss is nan")
                                 << QStringLiteral("exercise.cpp:7:0@1+14");
    QTest::newRow("LibTorch's own sources are not links")
        << QStringLiteral("Exception raised from select at "
                          "./aten/src/ATen/native/TensorShape.cpp:1513 (most recent call first):")
        << QString();
    QTest::newRow("enforce fail in alloc_cpu.cpp")
        << QStringLiteral("  what():  [enforce fail at alloc_cpu.cpp:75] err == 0. "
                          "DefaultCPUAllocator: can't allocate memory")
        << QString();
    QTest::newRow("longer name ending in the learner's")
        << QStringLiteral("myexercise.cpp:3:1: error: x") << QString();
    QTest::newRow("learner name as a prefix")
        << QStringLiteral("exercise.cpp.orig:3: x") << QString();
    QTest::newRow("line zero") << QStringLiteral("exercise.cpp:0: x") << QString();
    QTest::newRow("line number overflow")
        << QStringLiteral("exercise.cpp:99999999999: x") << QString();
    QTest::newRow("two in one line")
        << QStringLiteral("exercise.cpp:3:1 and exercise.cu(9)")
        << QStringLiteral("exercise.cpp:3:1@0+16 exercise.cu:9:0@21+14");
    QTest::newRow("Chinese around it") << QStringLiteral("错误：exercise.cpp:4:2：缺少分号")
                                       << QStringLiteral("exercise.cpp:4:2@3+16");
    QTest::newRow("no location") << QStringLiteral("Epoch 3: loss 0.123 (exercise)") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void tst_OutputLinks::find()
{
    QFETCH(QString, line);
    QFETCH(QString, expected);
    QCOMPARE(describe(findOutputLinks(line, learner)), expected);
}

void tst_OutputLinks::linkTextIsTheLocation()
{
    const QString line =
        QStringLiteral(">>> referenced by exercise.cpp:8 (/tmp/tljob-kkw0qY/exercise.cpp:8)");
    const QList<OutputLink> links = findOutputLinks(line, learner);
    QCOMPARE(links.size(), 2);
    QCOMPARE(line.mid(links[0].start, links[0].length), QStringLiteral("exercise.cpp:8"));
    QCOMPARE(line.mid(links[1].start, links[1].length),
             QStringLiteral("/tmp/tljob-kkw0qY/exercise.cpp:8"));
}

void tst_OutputLinks::everyFixtureErrorLineLinks_data()
{
    QTest::addColumn<QString>("fixture");
    for (const char *name :
         {"clang-missing-semicolon", "clang-missing-semicolon-color", "gcc-missing-semicolon",
          "gcc-missing-semicolon-color", "clang-undeclared", "gcc-undeclared", "clang-warning",
          "gcc-warning", "gcc-undefined-bfd", "clang-template-nocaret", "nvcc-error",
          "nvcc-warning", "gcc-missing-include", "clang-template"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// Every line of real compiler output that starts with a location in the
// learner's file links to it, also after the console strips colours.
void tst_OutputLinks::everyFixtureErrorLineLinks()
{
    QFETCH(QString, fixture);
    QFile file(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/diagnostics/") + fixture +
               QStringLiteral(".txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = AnsiParser::strip(QString::fromUtf8(file.readAll()));
    static const QRegularExpression startsWithLearnerLocation(
        QStringLiteral(R"(^/tmp/\S+/exercise\.(cpp|cu)(:\d|\(\d))"));
    int checked = 0;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (!startsWithLearnerLocation.match(line).hasMatch())
            continue;
        const QList<OutputLink> links = findOutputLinks(line, learner);
        QVERIFY2(!links.isEmpty(), qPrintable(line));
        QCOMPARE(links.first().start, 0);
        QVERIFY(links.first().line > 0);
        ++checked;
    }
    QVERIFY(checked > 0);
}

void tst_OutputLinks::noFilesNoLinks()
{
    QVERIFY(findOutputLinks(u"exercise.cpp:3:1: error", {}).isEmpty());
}

QTEST_GUILESS_MAIN(tst_OutputLinks)
#include "tst_outputlinks.moc"
