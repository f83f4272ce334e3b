#include "helpers/diagnosticfixtures.h"

#include "core/build/diagnosticlines.h"
#include "core/build/pathmap.h"

#include <QTest>

class tst_DiagnosticLines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pathMap_data();
    void pathMap();
    void displayPath_data();
    void displayPath();
    void fixItLine_data();
    void fixItLine();
    void optionSuffix_data();
    void optionSuffix();
};

void tst_DiagnosticLines::pathMap_data()
{
    QTest::addColumn<QString>("printed");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("learner");

    QTest::newRow("exact") << "/jobs/abc/exercise.cpp"
                           << "exercise.cpp" << true;
    QTest::newRow("uncleaned") << "/jobs/abc/./sub/../exercise.cpp"
                               << "exercise.cpp" << true;
    QTest::newRow("relative to the working directory") << "exercise.cpp"
                                                       << "exercise.cpp" << true;
    QTest::newRow("relative subdirectory") << "model/layer.h"
                                           << "model/layer.h" << true;
    QTest::newRow("bare name, unique") << "layer.h"
                                       << "model/layer.h" << true;
    QTest::newRow("bare name, ambiguous") << "util.h"
                                          << "util.h" << false;
    QTest::newRow("cudafe1 intermediate") << "tmpxft_0000abcd_00000000-6_kernel.cudafe1.cpp"
                                          << "kernel.cu" << true;
    QTest::newRow("header stays absolute")
        << "/usr/include/torch/csrc/api/include/torch/nn/module.h"
        << "/usr/include/torch/csrc/api/include/torch/nn/module.h" << false;
    QTest::newRow("other file in the job dir") << "/jobs/abc/check.cpp"
                                               << "/jobs/abc/check.cpp" << false;
    QTest::newRow("empty") << ""
                           << "" << false;
}

void tst_DiagnosticLines::pathMap()
{
    QFETCH(QString, printed);
    QFETCH(QString, file);
    QFETCH(bool, learner);
    PathMap map;
    map.workingDirectory = QStringLiteral("/jobs/abc");
    map.realToShown.insert(QStringLiteral("/jobs/abc/exercise.cpp"),
                           QStringLiteral("exercise.cpp"));
    map.realToShown.insert(QStringLiteral("model/layer.h"), QStringLiteral("model/layer.h"));
    map.realToShown.insert(QStringLiteral("/jobs/abc/a/util.h"), QStringLiteral("a/util.h"));
    map.realToShown.insert(QStringLiteral("/jobs/abc/b/util.h"), QStringLiteral("b/util.h"));
    map.realToShown.insert(QStringLiteral("/jobs/abc/kernel.cu"), QStringLiteral("kernel.cu"));
    const PathMap::Mapped mapped = map.map(printed);
    QCOMPARE(mapped.file, file);
    QCOMPARE(mapped.learner, learner);
}

void tst_DiagnosticLines::displayPath_data()
{
    QTest::addColumn<QStringList>("roots");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("shown");

    const QStringList none;
    QTest::newRow("learner file") << none << "exercise.cpp"
                                  << "exercise.cpp";
    QTest::newRow("LibTorch C++ API") << none << torchApi + "nn/module.h"
                                      << "torch/nn/module.h";
    QTest::newRow("ATen") << none << "/usr/include/ATen/core/TensorBody.h"
                          << "ATen/core/TensorBody.h";
    QTest::newRow("libstdc++") << none << "/usr/include/c++/12/bits/stl_vector.h"
                               << "c++/12/bits/stl_vector.h";
    QTest::newRow("pip torch")
        << none
        << "/venv/lib/python3.11/site-packages/torch/include/torch/csrc/api/include/torch/nn.h"
        << "torch/nn.h";
    QTest::newRow("longest configured root wins")
        << QStringList{"/opt/libtorch/include", "/opt/libtorch/include/torch/csrc/api/include"}
        << "/opt/libtorch/include/torch/csrc/api/include/torch/data.h"
        << "torch/data.h";
    QTest::newRow("not under any include dir") << none << "/tmp/other.cpp"
                                               << "/tmp/other.cpp";
}

void tst_DiagnosticLines::displayPath()
{
    QFETCH(QStringList, roots);
    QFETCH(QString, file);
    QFETCH(QString, shown);
    PathMap map;
    map.realToShown.insert(QStringLiteral("/jobs/abc/exercise.cpp"),
                           QStringLiteral("exercise.cpp"));
    map.includeRoots = roots;
    QCOMPARE(map.displayPath(file), shown);
}

void tst_DiagnosticLines::fixItLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("range");
    QTest::addColumn<QString>("replacement");

    QTest::newRow("insertion") << R"(fix-it:"/j/a.cpp":{5:31-5:31}:";")" << true << "/j/a.cpp"
                               << "5:31-5:31"
                               << ";";
    QTest::newRow("removal") << R"(fix-it:"a.cpp":{2:1-2:5}:"")" << true << "a.cpp"
                             << "2:1-2:5"
                             << "";
    QTest::newRow("multi-line range") << R"(fix-it:"a.cpp":{2:1-4:3}:"x")" << true << "a.cpp"
                                      << "2:1-4:3"
                                      << "x";
    QTest::newRow("escaped quote and backslash")
        << R"(fix-it:"a \"b\".cpp":{1:1-1:1}:"\"\\n")" << true << "a \"b\".cpp"
        << "1:1-1:1"
        << "\"\\n";
    QTest::newRow("newline and tab escapes")
        << R"(fix-it:"a.cpp":{1:1-1:1}:"\n\t")" << true << "a.cpp"
        << "1:1-1:1"
        << "\n\t";
    QTest::newRow("octal UTF-8 bytes")
        << R"(fix-it:"a.cpp":{1:1-1:1}:"caf\303\251")" << true << "a.cpp"
        << "1:1-1:1" << QString::fromUtf8("caf\xc3\xa9");
    QTest::newRow("missing brace") << R"(fix-it:"a.cpp":1:1-1:1}:"x")" << false << ""
                                   << ""
                                   << "";
    QTest::newRow("trailing text") << R"(fix-it:"a.cpp":{1:1-1:1}:"x" junk)" << false << ""
                                   << ""
                                   << "";
    QTest::newRow("unterminated") << R"(fix-it:"a.cpp":{1:1-1:1}:"x)" << false << ""
                                  << ""
                                  << "";
    QTest::newRow("number overflow") << R"(fix-it:"a.cpp":{99999999999:1-1:1}:"x")" << false << ""
                                     << ""
                                     << "";
    QTest::newRow("not a fix-it") << R"(fixit:"a.cpp":{1:1-1:1}:"x")" << false << ""
                                  << ""
                                  << "";
}

void tst_DiagnosticLines::fixItLine()
{
    QFETCH(QString, line);
    QFETCH(bool, valid);
    QFETCH(QString, file);
    QFETCH(QString, range);
    QFETCH(QString, replacement);
    const auto parsed = diagnosticlines::parseFixItLine(line);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(parsed->file, file);
    const FixIt &f = parsed->fixIt;
    QCOMPARE(
        QStringLiteral("%1:%2-%3:%4").arg(f.line).arg(f.column).arg(f.endLine).arg(f.endColumn),
        range);
    QCOMPARE(f.replacement, replacement);
}

void tst_DiagnosticLines::optionSuffix_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("rest");

    QTest::newRow("clang/gcc") << "unused variable 'x' [-Wunused-variable]"
                               << "-Wunused-variable"
                               << "unused variable 'x'";
    QTest::newRow("gcc -Werror=") << "unused variable [-Werror=unused-variable]"
                                  << "-Wunused-variable"
                                  << "unused variable";
    QTest::newRow("clang -Werror,") << "m [-Werror,-Wparentheses]"
                                    << "-Wparentheses"
                                    << "m";
    QTest::newRow("-fpermissive") << "invalid conversion [-fpermissive]"
                                  << "-fpermissive"
                                  << "invalid conversion";
    QTest::newRow("brackets that are not an option") << "expected ']' [with T = int]"
                                                     << ""
                                                     << "expected ']' [with T = int]";
    QTest::newRow("array type") << "no viable conversion from 'int [3]'"
                                << ""
                                << "no viable conversion from 'int [3]'";
}

void tst_DiagnosticLines::optionSuffix()
{
    QFETCH(QString, message);
    QFETCH(QString, option);
    QFETCH(QString, rest);
    QCOMPARE(diagnosticlines::takeOptionSuffix(message), option);
    QCOMPARE(message, rest);
}

QTEST_GUILESS_MAIN(tst_DiagnosticLines)
#include "tst_diagnosticlines.moc"
