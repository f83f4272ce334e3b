// The comparison behind translated starters ("exercise.zh_CN.cpp"): two
// versions of a file are the same program when only comments, whitespace and
// the text of string literals differ.
#include "core/course/codeskeleton.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

class TestCodeSkeleton : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameProgram_data()
    {
        QTest::addColumn<QString>("original");
        QTest::addColumn<QString>("translated");
        QTest::newRow("line comments") << "int x = 1; // one\n"
                                       << "int x = 1; // 一\n";
        QTest::newRow("block comments") << "/* a\n b */ int f();\n"
                                        << "/* 甲\n\n 乙 */ int f();\n";
        QTest::newRow("string text") << "puts(\"hello\");"
                                     << "puts(\"你好，\\\"世界\\\"\");";
        QTest::newRow("raw string") << "auto s = R\"x(a \"quoted\" )\" text)x\";"
                                    << "auto s = R\"x(中文)x\";";
        QTest::newRow("digit separators and chars") << "int n = 1'000'000; char c = 'a';"
                                                    << "int n = 1'000'000; char c = 'b';";
        QTest::newRow("comment markers inside strings") << "auto s = \"// not a comment\"; int y;"
                                                        << "auto s = \"/* 也不是 */\"; int y;";
        QTest::newRow("whitespace") << "int  main ( ) {return 0;}"
                                    << "int main()\n{\n  return 0;\n}";
    }
    void sameProgram()
    {
        QFETCH(QString, original);
        QFETCH(QString, translated);
        QCOMPARE(firstCodeDifference(original, translated), 0);
    }

    void otherProgram_data()
    {
        QTest::addColumn<QString>("original");
        QTest::addColumn<QString>("translated");
        QTest::addColumn<int>("line");
        QTest::newRow("a changed number") << "int x = 1;\nint y = 2;\n"
                                          << "int x = 1;\nint y = 3;\n"
                                          << 2;
        QTest::newRow("code in a comment's place") << "// TODO: fill in\nreturn 0;\n"
                                                   << "return 1; // TODO\nreturn 0;\n"
                                                   << 1;
        QTest::newRow("a string made code") << "f(\"x\");\n"
                                            << "\n\nf(x);\n"
                                            << 3;
        QTest::newRow("a line left out") << "int a;\nint b;\n"
                                         << "int a;\n"
                                         << 2;
        QTest::newRow("an unterminated comment swallows code") << "int a; /* c */ int b;\n"
                                                               << "int a; /* c int b;\n"
                                                               << 2;
    }
    void otherProgram()
    {
        QFETCH(QString, original);
        QFETCH(QString, translated);
        QFETCH(int, line);
        QCOMPARE(firstCodeDifference(original, translated), line);
    }

    void variantNamesAndLanguages()
    {
        QCOMPARE(starterVariantName(QStringLiteral("exercise.cpp"), QStringLiteral("zh_CN")),
                 QStringLiteral("exercise.zh_CN.cpp"));
        QCOMPARE(starterVariantName(QStringLiteral("src/kernel.cu"), QStringLiteral("zh_CN")),
                 QStringLiteral("src/kernel.zh_CN.cu"));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const char *name : {"exercise.cpp", "exercise.zh_CN.cpp", "exercise.pt_BR.cpp",
                                 "exercise.backup.cpp", "exercise.zh_CN.h", "other.zh_CN.cpp"}) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QCOMPARE(starterVariantLanguages(dir.path(), QStringLiteral("exercise.cpp")),
                 (QStringList{QStringLiteral("pt_BR"), QStringLiteral("zh_CN")}));
    }
};

QTEST_GUILESS_MAIN(TestCodeSkeleton)
#include "tst_codeskeleton.moc"
