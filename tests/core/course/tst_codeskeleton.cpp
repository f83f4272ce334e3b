// The comparison behind translated starters ("exercise.zh_CN.cpp",
// "CMakeLists.zh_CN.txt"): two versions of a file are the same program when only
// comments, whitespace and the text of string literals differ.
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

    // CMakeLists.txt and its translation CMakeLists.zh_CN.txt: # comments,
    // quoted and bracket arguments.
    void sameCMakeProject_data()
    {
        QTest::addColumn<QString>("original");
        QTest::addColumn<QString>("translated");
        QTest::newRow("line comments") << "# TODO: find LibTorch\nproject(app)\n"
                                       << "# 待办：找到 LibTorch\nproject(app) # 项目\n";
        QTest::newRow("bracket comments") << "#[[ one\n two ]] add_executable(app app.cpp)\n"
                                          << "#[==[ 一 ]] 二\n\n]==] add_executable(app app.cpp)\n";
        QTest::newRow("quoted arguments")
            << "message(STATUS \"Torch: ${Torch_DIR}\")\n"
            << "message(STATUS \"找到 \\\"Torch\\\"：\n${Torch_DIR}\")\n";
        QTest::newRow("bracket arguments") << "message([=[ a ]] b ]=])"
                                           << "message([=[ 中文 ]=])";
        QTest::newRow("# inside quotes is text") << "set(A \"# not a comment\") set(B 1)\n"
                                                 << "set(A \"# 不是注释\") set(B 1)\n";
        QTest::newRow("apostrophes are characters") << "# don't\nset(A it's)\n"
                                                    << "# 不要\nset(A it's)\n";
    }
    void sameCMakeProject()
    {
        QFETCH(QString, original);
        QFETCH(QString, translated);
        QCOMPARE(firstCodeDifference(original, translated, CodeSyntax::CMake), 0);
    }

    void otherCMakeProject_data()
    {
        QTest::addColumn<QString>("original");
        QTest::addColumn<QString>("translated");
        QTest::addColumn<int>("line");
        QTest::newRow("a solved TODO") << "# TODO\nadd_executable(app app.cpp)\n"
                                       << "# 待办\nadd_executable(app app.cpp)\n"
                                          "target_link_libraries(app torch)\n"
                                       << 3;
        QTest::newRow("// is no comment in CMake") << "set(A 1)\n"
                                                   << "set(A 1) // 一\n"
                                                   << 1;
        QTest::newRow("an unquoted word translated") << "set(NAME app)\n"
                                                     << "set(NAME 应用)\n"
                                                     << 1;
        QTest::newRow("code after a quoted argument spanning lines")
            << "message(\"a\nb\") set(A 1)\n"
            << "message(\"甲\n乙\") set(A 2)\n"
            << 2;
    }
    void otherCMakeProject()
    {
        QFETCH(QString, original);
        QFETCH(QString, translated);
        QFETCH(int, line);
        QCOMPARE(firstCodeDifference(original, translated, CodeSyntax::CMake), line);
    }

    // C++ rules would read "#" as code and "//" as a comment: the file name picks the rules.
    void syntaxFromFileName_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<bool>("cmake");
        QTest::newRow("CMakeLists.txt") << "CMakeLists.txt" << true;
        QTest::newRow("in a folder") << "app/CMakeLists.txt" << true;
        QTest::newRow("a module") << "cmake/FindThing.cmake" << true;
        QTest::newRow("C++") << "exercise.cpp" << false;
        QTest::newRow("CUDA") << "kernel.cu" << false;
        QTest::newRow("other text") << "notes.txt" << false;
    }
    void syntaxFromFileName()
    {
        QFETCH(QString, fileName);
        QFETCH(bool, cmake);
        QCOMPARE(codeSyntaxFor(fileName) == CodeSyntax::CMake, cmake);
    }

    void variantNamesAndLanguages()
    {
        QCOMPARE(starterVariantName(QStringLiteral("exercise.cpp"), QStringLiteral("zh_CN")),
                 QStringLiteral("exercise.zh_CN.cpp"));
        QCOMPARE(starterVariantName(QStringLiteral("src/kernel.cu"), QStringLiteral("zh_CN")),
                 QStringLiteral("src/kernel.zh_CN.cu"));
        QCOMPARE(starterVariantName(QStringLiteral("CMakeLists.txt"), QStringLiteral("zh_CN")),
                 QStringLiteral("CMakeLists.zh_CN.txt"));
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
