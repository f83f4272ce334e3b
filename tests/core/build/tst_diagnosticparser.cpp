#include "helpers/diagnosticfixtures.h"

#include "core/build/diagnosticlines.h"

#include <QRandomGenerator>
#include <QTest>

class tst_DiagnosticParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compilerDiagnostics_data();
    void compilerDiagnostics();
    void fixIts_data();
    void fixIts();
    void linkerDiagnostics_data();
    void linkerDiagnostics();
    void handwrittenFormats_data();
    void handwrittenFormats();
    void robustness_data();
    void robustness();
    void truncatedFixture_data();
    void truncatedFixture();
    void crlfGivesSameResult_data();
    void crlfGivesSameResult();
    void colourGivesSameResult_data();
    void colourGivesSameResult();
    void noCaretGivesSameResult_data();
    void noCaretGivesSameResult();
    void lineByLineGivesSameResult_data();
    void lineByLineGivesSameResult();
    void caps();
};

void tst_DiagnosticParser::compilerDiagnostics_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("count");
    QTest::addColumn<Severity>("severity");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("option");
    QTest::addColumn<int>("notes");
    QTest::addColumn<QString>("firstNote");
    QTest::addColumn<QString>("learner");

    const auto E = Severity::Error, W = Severity::Warning, F = Severity::Fatal;
    QTest::newRow("clang missing semicolon")
        << "clang-missing-semicolon" << 0 << 1 << E << "exercise.cpp" << 5 << 31
        << "expected ';' at end of declaration"
        << "" << 0 << ""
        << "exercise.cpp:5:31";
    QTest::newRow("gcc missing semicolon: reported on the next line")
        << "gcc-missing-semicolon" << 0 << 1 << E << "exercise.cpp" << 6 << 3
        << "expected \u2018,\u2019 or \u2018;\u2019 before \u2018std\u2019"
        << "" << 0 << ""
        << "exercise.cpp:6:3";
    QTest::newRow("clang undeclared, did you mean")
        << "clang-undeclared" << 0 << 1 << E << "exercise.cpp" << 6 << 20
        << "use of undeclared identifier 'learning_rat'; did you mean 'learning_rate'?"
        << "" << 1 << "'learning_rate' declared here"
        << "exercise.cpp:6:20";
    QTest::newRow("gcc undeclared, did you mean")
        << "gcc-undeclared" << 0 << 1 << E << "exercise.cpp" << 6 << 20
        << "\u2018learning_rat\u2019 was not declared in this scope; did you mean "
           "\u2018learning_rate\u2019?"
        << "" << 0 << ""
        << "exercise.cpp:6:20";
    QTest::newRow("clang wrong argument: error in pimpl.h, learner line from backtrace")
        << "clang-wrong-argument" << 0 << 1 << E << torchApi + "nn/pimpl.h" << 65 << 19
        << "no matching constructor for initialization of 'torch::nn::LinearImpl'"
        << "" << 5
        << "in instantiation of function template specialization "
           "'torch::nn::ModuleHolder<torch::nn::LinearImpl>::ModuleHolder<int, const char (&)[2], "
           "void>' requested here"
        << "exercise.cpp:4:21";
    // g++ names TORCH_MODULE's inherited constructor (linear.h:85), never the learner's line.
    QTest::newRow("gcc wrong argument: context frames become notes, no learner line")
        << "gcc-wrong-argument" << 0 << 1 << E << torchApi + "nn/pimpl.h" << 65 << 15
        << "invalid conversion from \u2018const char*\u2019 to \u2018int64_t\u2019 {aka \u2018long "
           "int\u2019}"
        << "-fpermissive" << 3
        << "in instantiation of \u2018torch::nn::ModuleHolder<Contained>::ModuleHolder(Head&&, "
           "Tail&& ...) [with Head = int;..."
        << "";
    QTest::newRow("clang template 1: Sequential(Linear, string)")
        << "clang-template" << 0 << 3 << E << torchApi + "nn/modules/container/sequential.h" << 364
        << 5 << "no matching member function for call to 'push_back'"
        << "" << 13
        << "in instantiation of function template specialization "
           "'torch::nn::SequentialImpl::push_back<torch::nn::Linear, std::basic_string<char>, "
           "void>' requested here"
        << "exercise.cpp:10:25";
    QTest::newRow("clang template 2: module without forward()")
        << "clang-template" << 1 << 3 << E << torchApi + "nn/modules/container/any.h" << 219 << 53
        << "no member named 'forward' in 'Block'"
        << "" << 4
        << "in instantiation of function template specialization "
           "'torch::nn::AnyModule::AnyModule<Block>' requested here"
        << "exercise.cpp:11:8";
    QTest::newRow("clang template 3: static_assert without its own backtrace inherits the line")
        << "clang-template" << 2 << 3 << E << torchApi + "nn/modules/container/any.h" << 227 << 3
        << "static_assert failed due to requirement 'torch::detail::has_forward<Block>::value' "
           "\"Can only store module with a forward() method..."
        << "" << 0 << ""
        << "exercise.cpp:11:8";
    QTest::newRow("gcc template 1: context + candidates, resumed after the nested error")
        << "gcc-template" << 0 << 4 << E << torchApi + "nn/modules/container/sequential.h" << 364
        << 14
        << "no matching function for call to "
           "\u2018torch::nn::SequentialImpl::push_back(std::__cxx11::basic_string<char>)\u2019"
        << "" << 30
        << "in instantiation of \u2018void torch::nn::SequentialImpl::push_back(First&&, Second&&, "
           "Rest&& ...)..."
        << "";
    QTest::newRow("gcc template 2: substitution failure inside the candidate list")
        << "gcc-template" << 1 << 4 << E << torchApi + "detail/static.h" << 62 << 7
        << "no type named \u2018type\u2019 in \u2018struct std::enable_if<false, void>\u2019"
        << "" << 5
        << "in substitution of \u2018template<class M, class T> using enable_if_module_t..."
        << "";
    QTest::newRow("gcc template 3: required from here in the learner file")
        << "gcc-template" << 2 << 4 << E << torchApi + "nn/modules/container/any.h" << 219 << 11
        << "\u2018forward\u2019 is not a member of \u2018std::remove_reference<Block>::type\u2019 "
           "{aka \u2018Block\u2019}"
        << "" << 5
        << "in instantiation of \u2018torch::nn::AnyModule::AnyModule(std::shared_ptr<_Tp>) [with "
           "ModuleType = Block]\u2019"
        << "exercise.cpp:11:17";
    QTest::newRow("gcc template 4: static assertion in the same instantiation")
        << "gcc-template" << 3 << 4 << E << torchApi + "nn/modules/container/any.h" << 228 << 47
        << "static assertion failed: Can only store module with a forward() method..."
        << "" << 1 << "\u2018torch::detail::has_forward<Block>::value\u2019 evaluates to false"
        << "exercise.cpp:11:17";
    QTest::newRow("clang -Wparentheses")
        << "clang-warning" << 0 << 2 << W << "exercise.cpp" << 8 << 9
        << "using the result of an assignment as a condition without parentheses"
        << "-Wparentheses" << 2 << "place parentheses around the assignment to silence this warning"
        << "exercise.cpp:8:9";
    QTest::newRow("clang -Wunused-variable")
        << "clang-warning" << 1 << 2 << W << "exercise.cpp" << 6 << 7 << "unused variable 'steps'"
        << "-Wunused-variable" << 0 << ""
        << "exercise.cpp:6:7";
    QTest::newRow("gcc -Wparentheses")
        << "gcc-warning" << 0 << 2 << W << "exercise.cpp" << 8 << 9
        << "suggest parentheses around assignment used as truth value"
        << "-Wparentheses" << 0 << ""
        << "exercise.cpp:8:9";
    QTest::newRow("gcc -Wunused-variable") << "gcc-warning" << 1 << 2 << W << "exercise.cpp" << 6
                                           << 7 << "unused variable \u2018steps\u2019"
                                           << "-Wunused-variable" << 0 << ""
                                           << "exercise.cpp:6:7";
    QTest::newRow("clang missing include")
        << "clang-missing-include" << 0 << 1 << F << "exercise.cpp" << 1 << 10
        << "'torch/torchh.h' file not found"
        << "" << 0 << ""
        << "exercise.cpp:1:10";
    QTest::newRow("gcc missing include") << "gcc-missing-include" << 0 << 1 << F << "exercise.cpp"
                                         << 1 << 10 << "torch/torchh.h: No such file or directory"
                                         << "" << 0 << ""
                                         << "exercise.cpp:1:10";
    QTest::newRow("nvcc undefined identifier: column from the caret")
        << "nvcc-error" << 0 << 2 << E << "exercise.cu" << 5 << 22
        << "identifier \"factor\" is undefined"
        << "" << 0 << ""
        << "exercise.cu:5:22";
    QTest::newRow("nvcc argument type")
        << "nvcc-error" << 1 << 2 << E << "exercise.cu" << 11 << 23
        << "argument of type \"const char *\" is incompatible with parameter of type \"int\""
        << "" << 0 << ""
        << "exercise.cu:11:23";
    QTest::newRow("nvcc warning #187 (printed twice, kept once)")
        << "nvcc-warning" << 0 << 2 << W << "exercise.cu" << 12 << 7
        << "use of \"=\" where \"==\" may have been intended"
        << "#187-D" << 0 << ""
        << "exercise.cu:12:7";
    QTest::newRow("nvcc warning #177") << "nvcc-warning" << 1 << 2 << W << "exercise.cu" << 4 << 7
                                       << "variable \"unused\" was declared but never referenced"
                                       << "#177-D" << 0 << ""
                                       << "exercise.cu:4:7";
    QTest::newRow("nvcc passes the host preprocessor's gcc output through")
        << "nvcc-missing-include" << 0 << 1 << F << "exercise.cu" << 2 << 10
        << "curand_kernelz.h: No such file or directory"
        << "" << 0 << ""
        << "exercise.cu:2:10";
}

void tst_DiagnosticParser::compilerDiagnostics()
{
    QFETCH(QString, fixture);
    QFETCH(int, index);
    QFETCH(int, count);
    QFETCH(Severity, severity);
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    QFETCH(QString, option);
    QFETCH(int, notes);
    QFETCH(QString, firstNote);
    QFETCH(QString, learner);

    const QList<Diagnostic> list = parseFixture(fixture);
    QCOMPARE(list.size(), count);
    const Diagnostic &d = list.at(index);
    QCOMPARE(d.severity, severity);
    QCOMPARE(d.tool, toolOf(fixture));
    QCOMPARE(d.file, file);
    QCOMPARE(d.inLearnerFile, !file.startsWith(u'/'));
    QCOMPARE(d.line, line);
    QCOMPARE(d.column, column);
    QVERIFY2(messageMatches(d.message, message), qPrintable(d.message));
    QCOMPARE(d.option, option);
    QCOMPARE(d.notes.size(), notes);
    if (notes > 0)
        QVERIFY2(messageMatches(d.notes.first().message, firstNote),
                 qPrintable(d.notes.first().message));
    QCOMPARE(location(d.learnerFile, d.learnerLine, d.learnerColumn), learner);
}

void tst_DiagnosticParser::fixIts_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("note"); // -1: the diagnostic itself
    QTest::addColumn<int>("fixCount");
    QTest::addColumn<int>("fixIndex");
    QTest::addColumn<QString>("range");
    QTest::addColumn<QString>("replacement");

    QTest::newRow("clang insert ';'")
        << "clang-missing-semicolon" << 0 << -1 << 1 << 0 << "5:31-5:31"
        << ";";
    QTest::newRow("clang colour output, same fix-it")
        << "clang-missing-semicolon-color" << 0 << -1 << 1 << 0 << "5:31-5:31"
        << ";";
    QTest::newRow("clang did-you-mean replacement")
        << "clang-undeclared" << 0 << -1 << 1 << 0 << "6:20-6:32"
        << "learning_rate";
    QTest::newRow("gcc did-you-mean replacement")
        << "gcc-undeclared" << 0 << -1 << 1 << 0 << "6:20-6:32"
        << "learning_rate";
    QTest::newRow("clang warning itself has none") << "clang-warning" << 0 << -1 << 0 << 0 << ""
                                                   << "";
    QTest::newRow("clang note: open parenthesis")
        << "clang-warning" << 0 << 0 << 2 << 0 << "8:7-8:7"
        << "(";
    QTest::newRow("clang note: close parenthesis")
        << "clang-warning" << 0 << 0 << 2 << 1 << "8:20-8:20"
        << ")";
    QTest::newRow("clang note: use ==") << "clang-warning" << 0 << 1 << 1 << 0 << "8:9-8:10"
                                        << "==";
    QTest::newRow("gcc gives no fix-it for a missing ';'")
        << "gcc-missing-semicolon" << 0 << -1 << 0 << 0 << ""
        << "";
}

void tst_DiagnosticParser::fixIts()
{
    QFETCH(QString, fixture);
    QFETCH(int, index);
    QFETCH(int, note);
    QFETCH(int, fixCount);
    QFETCH(int, fixIndex);
    QFETCH(QString, range);
    QFETCH(QString, replacement);

    const QList<Diagnostic> list = parseFixture(fixture);
    QVERIFY(index < list.size());
    const Diagnostic &d = note < 0 ? list.at(index) : list.at(index).notes.value(note);
    QCOMPARE(d.fixIts.size(), fixCount);
    if (fixCount == 0)
        return;
    const FixIt &f = d.fixIts.at(fixIndex);
    QCOMPARE(
        QStringLiteral("%1:%2-%3:%4").arg(f.line).arg(f.column).arg(f.endLine).arg(f.endColumn),
        range);
    QCOMPARE(f.replacement, replacement);
}

void tst_DiagnosticParser::linkerDiagnostics_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("notes"); // joined with '|'
    QTest::addColumn<QString>("hint");

    const QString normalize = QStringLiteral("normalize(at::Tensor const&)");
    const QString undefinedHint =
        QStringLiteral("undefined reference to `normalize(at::Tensor const&)`: a function is "
                       "declared but never defined. "
                       "Did you forget to implement it or misspell its name?");
    const QString nopeHint = QStringLiteral("cannot find -lnope: the linker has no library named "
                                            "libnope. Check the spelling, or install the "
                                            "library and add its folder with -L.");
    const QString cudaHint = QStringLiteral("cannot find -ltorch_cuda: this LibTorch is a CPU-only "
                                            "build and has no CUDA library. Run on the CPU, "
                                            "or install a CUDA build of LibTorch.");

    QTest::newRow("clang + ld.bfd undefined")
        << "clang-undefined-bfd"
        << "exercise.cpp" << 8 << normalize
        << "undefined reference to `normalize(at::Tensor const&)'"
        << "exercise.cpp:8 referenced in function main" << undefinedHint;
    QTest::newRow("g++ + ld.bfd undefined")
        << "gcc-undefined-bfd"
        << "exercise.cpp" << 8 << normalize
        << "undefined reference to `normalize(at::Tensor const&)'"
        << "exercise.cpp:8 referenced in function main" << undefinedHint;
    QTest::newRow("clang + lld undefined")
        << "clang-undefined-lld"
        << "exercise.cpp" << 8 << normalize << "undefined symbol: normalize(at::Tensor const&)"
        << "exercise.cpp:8 referenced in function main" << undefinedHint;
    QTest::newRow("g++ + lld undefined")
        << "gcc-undefined-lld"
        << "exercise.cpp" << 8 << normalize << "undefined symbol: normalize(at::Tensor const&)"
        << "exercise.cpp:8 referenced in function main" << undefinedHint;
    QTest::newRow("lld without debug info: file from the symbol table")
        << "clang-undefined-nodebug-lld"
        << "exercise.cpp" << 0 << normalize << "undefined symbol: normalize(at::Tensor const&)"
        << "exercise.cpp:0 referenced in function main" << undefinedHint;
    QTest::newRow("nvcc link: cudafe1 intermediate mapped to exercise.cu")
        << "nvcc-undefined"
        << "exercise.cu" << 0 << "host_scale(float)"
        << "undefined reference to `host_scale(float)'"
        << "exercise.cu:0 referenced in function main"
        << "undefined reference to `host_scale(float)`: a function is declared but never defined. "
           "Did you forget to implement it or misspell its name?";
    QTest::newRow("ld.bfd -lnope via clang") << "clang-nolib-bfd"
                                             << "" << 0 << "nope"
                                             << "cannot find -lnope: No such file or directory"
                                             << "" << nopeHint;
    QTest::newRow("ld.bfd -lnope via g++") << "gcc-nolib-bfd"
                                           << "" << 0 << "nope"
                                           << "cannot find -lnope: No such file or directory"
                                           << "" << nopeHint;
    QTest::newRow("lld -lnope via clang") << "clang-nolib-lld"
                                          << "" << 0 << "nope"
                                          << "unable to find library -lnope"
                                          << "" << nopeHint;
    QTest::newRow("lld -lnope via g++") << "gcc-nolib-lld"
                                        << "" << 0 << "nope"
                                        << "unable to find library -lnope"
                                        << "" << nopeHint;
    QTest::newRow("CPU LibTorch has no torch_cuda (lld)") << "clang-torch-cuda-lld"
                                                          << "" << 0 << "torch_cuda"
                                                          << "unable to find library -ltorch_cuda"
                                                          << "" << cudaHint;
    QTest::newRow("CPU LibTorch has no torch_cuda (bfd)")
        << "gcc-torch-cuda-bfd"
        << "" << 0 << "torch_cuda"
        << "cannot find -ltorch_cuda: No such file or directory"
        << "" << cudaHint;
}

void tst_DiagnosticParser::linkerDiagnostics()
{
    QFETCH(QString, fixture);
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, symbol);
    QFETCH(QString, message);
    QFETCH(QString, notes);
    QFETCH(QString, hint);

    // nvcc compiles and links in one run; the others are link steps only.
    const QList<Diagnostic> list = fixture.startsWith(QStringLiteral("nvcc"))
                                       ? parseFixture(fixture)
                                       : parseLinkerOutput(::fixture(fixture), jobMap());
    // The driver's "ld returned 1 exit status" adds nothing next to the real error.
    QCOMPARE(list.size(), 1);
    const Diagnostic &d = list.first();
    QCOMPARE(d.tool, Tool::Linker);
    QCOMPARE(d.severity, Severity::Error);
    QCOMPARE(d.file, file);
    QCOMPARE(d.inLearnerFile, !file.isEmpty());
    QCOMPARE(d.line, line);
    QCOMPARE(d.symbol, symbol);
    QCOMPARE(d.message, message);
    QStringList noteTexts;
    for (const Diagnostic &n : d.notes)
        noteTexts.append(QStringLiteral("%1:%2 %3").arg(n.file).arg(n.line).arg(n.message));
    QCOMPARE(noteTexts.join(u'|'), notes);
    QCOMPARE(location(d.learnerFile, d.learnerLine, 0), location(file, line, 0));
    QCOMPARE(learnerHint(d), hint);
    QCOMPARE(linkerHint(list), hint);
}

void tst_DiagnosticParser::handwrittenFormats_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<Tool>("tool");
    QTest::addColumn<QString>("expected"); // dump() of the result

    QTest::newRow("EDG instantiation backtrace")
        << "/j/exercise.cu(4): error: no operator \"*\" matches these operands\n"
           "    return x * y;\n"
           "             ^\n"
           "          detected during instantiation of \"T scale(T, T) [with T=Foo]\" at line 9 of "
           "/j/exercise.cu\n"
        << Tool::Nvcc
        << "0 3 exercise.cu:4:12 true [] {} learner=exercise.cu:4:12 | no operator \"*\" matches "
           "these operands\n"
           "  2 3 exercise.cu:9:0 true [] {} learner= | instantiation of \"T scale(T, T) [with "
           "T=Foo]\"\n";
    QTest::newRow("EDG catastrophic error")
        << "/j/exercise.cu(1): catastrophic error: cannot open source file \"nope.h\"\n"
        << Tool::Nvcc
        << "3 3 exercise.cu:1:0 true [] {} learner=exercise.cu:1:0 | cannot open source file "
           "\"nope.h\"\n";
    QTest::newRow("nvcc fatal")
        << "nvcc fatal   : Unsupported gpu architecture 'compute_10'\n"
        << Tool::Nvcc
        << "3 3 :0:0 false [] {} learner= | Unsupported gpu architecture 'compute_10'\n";
    QTest::newRow("nvlink undefined, mangled")
        << "nvlink error   : Undefined reference to '_Z6kernelPf' in '/tmp/a.o'\n"
        << Tool::Nvcc
        << "0 2 :0:0 false [] {kernel(float*)} learner= | Undefined reference to '_Z6kernelPf' in "
           "'/tmp/a.o'\n";
    QTest::newRow("lld did you mean")
        << "ld.lld: error: undefined symbol: foo(int)\n>>> referenced by exercise.cpp:3 "
           "(/j/exercise.cpp:3)\n"
           ">>>               /j/exercise.o:(main)\n>>> did you mean: foo(float)\n>>> defined in: "
           "/j/exercise.o\n"
           "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n"
        << Tool::Linker
        << "0 2 exercise.cpp:3:0 true [] {foo(int)} learner=exercise.cpp:3:0 | undefined symbol: "
           "foo(int)\n"
           "  2 2 exercise.cpp:3:0 true [] {} learner= | referenced in function main\n"
           "  2 2 :0:0 false [] {} learner= | did you mean: foo(float)\n";
    QTest::newRow("lld duplicate symbol")
        << "ld.lld: error: duplicate symbol: loss()\n>>> defined at exercise.cpp:2 "
           "(/j/exercise.cpp:2)\n"
           ">>>            /j/exercise.o:(loss())\n>>> defined at helper.cpp:2\n>>>            "
           "helper.o:(.text+0x0)\n"
        << Tool::Linker
        << "0 2 :0:0 false [] {loss()} learner=exercise.cpp:2:0 | duplicate symbol: loss()\n"
           "  2 2 exercise.cpp:2:0 true [] {} learner= | defined here\n"
           "  2 2 helper.cpp:2:0 false [] {} learner= | defined here\n";
    QTest::newRow("old ld.bfd: capital In function, unprefixed follow-up")
        << "exercise.o: In function `main':\nexercise.cpp:(.text+0x1c): undefined reference to "
           "`train()'\n"
           "collect2: error: ld returned 1 exit status\n"
        << Tool::Linker
        << "0 2 exercise.cpp:0:0 true [] {train()} learner=exercise.cpp:0:0 | undefined reference "
           "to `train()'\n"
           "  2 2 exercise.cpp:0:0 true [] {} learner= | referenced in function main\n";
    QTest::newRow("ld.bfd multiple definition")
        << "/usr/bin/ld: /j/b.o: in function `loss()':\nb.cpp:(.text+0x0): multiple definition of "
           "`loss()'; "
           "/j/exercise.o:exercise.cpp:(.text+0x0): first defined here\n"
        << Tool::Linker
        << "0 2 b.cpp:0:0 false [] {loss()} learner= | multiple definition of `loss()'\n";
    QTest::newRow("driver summary kept when it is all there is")
        << "collect2: error: ld returned 1 exit status\n"
        << Tool::Linker << "0 2 :0:0 false [] {} learner= | ld returned 1 exit status\n";
    QTest::newRow("driver error without a file")
        << "clang: error: no such file or directory: '/j/missing.cpp'\n"
        << Tool::Clang
        << "0 1 :0:0 false [] {} learner= | no such file or directory: '/j/missing.cpp'\n";
    QTest::newRow("-Werror warning keeps the plain option")
        << "/j/exercise.cpp:3:7: error: unused variable 'x' [-Werror,-Wunused-variable]\n"
        << Tool::Clang
        << "0 1 exercise.cpp:3:7 true [-Wunused-variable] {} learner=exercise.cpp:3:7 | unused "
           "variable 'x'\n";
    QTest::newRow("relative path resolved against the working directory")
        << "exercise.cpp:2:1: error: unknown type name 'Tensr'\n"
        << Tool::Clang
        << "0 1 exercise.cpp:2:1 true [] {} learner=exercise.cpp:2:1 | unknown type name 'Tensr'\n";
    QTest::newRow("gcc constexpr context and -fno-show-column")
        << "/j/exercise.cpp: In function 'int main()':\n/j/exercise.cpp:9:   in 'constexpr' "
           "expansion of 'f(0)'\n"
           "/j/exercise.cpp:4: error: division by zero\n"
        << Tool::Gcc
        << "0 0 exercise.cpp:4:0 true [] {} learner=exercise.cpp:4:0 | division by zero\n"
           "  2 0 exercise.cpp:9:0 true [] {} learner= | in 'constexpr' expansion of 'f(0)'\n";
}

void tst_DiagnosticParser::handwrittenFormats()
{
    QFETCH(QString, output);
    QFETCH(Tool, tool);
    QFETCH(QString, expected);
    PathMap map;
    map.realToShown.insert(QStringLiteral("/j/exercise.cpp"), QStringLiteral("exercise.cpp"));
    map.realToShown.insert(QStringLiteral("/j/exercise.cu"), QStringLiteral("exercise.cu"));
    map.workingDirectory = QStringLiteral("/j");
    const QList<Diagnostic> list = tool == Tool::Linker ? parseLinkerOutput(output, map)
                                                        : parseCompilerOutput(output, tool, map);
    QCOMPARE(dump(list), expected);
}

void tst_DiagnosticParser::robustness_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("firstMessage");

    QString garbage;
    QRandomGenerator random(42);
    for (int i = 0; i < 200000; ++i)
        garbage.append(QChar(char16_t(random.bounded(1, 0xD7FF))));
    QString binary;
    for (int i = 0; i < 4096; ++i)
        binary.append(QChar(char16_t(i % 256)));

    QTest::newRow("empty") << "" << 0 << "";
    QTest::newRow("blank lines and CRs") << "\n\r\n\r\r\n   \n" << 0 << "";
    QTest::newRow("random UTF-16") << garbage << 0 << "";
    QTest::newRow("binary with NULs") << binary << 0 << "";
    QTest::newRow("summary lines only") << "3 errors generated.\ncompilation terminated.\n"
                                        << 0 << "";
    QTest::newRow("severity without location") << "error: something\nwarning: else\n" << 0 << "";
    QTest::newRow("caret and echo lines only") << "    6 |   x;\n      |   ^~~\n   ^\n" << 0 << "";
    QTest::newRow("fix-it before any diagnostic") << "fix-it:\"a.cpp\":{1:1-1:1}:\";\"\n"
                                                  << 0 << "";
    QTest::newRow("lld note without error") << ">>> referenced by a.cpp:1\n>>>   a.o:(main)\n"
                                            << 0 << "";
    QTest::newRow("gcc context cut off before its error")
        << "a.cpp: In instantiation of 'x':\na.cpp:3:4:   required from here\n"
        << 0 << "";
    QTest::newRow("note cut off from its error") << "a.cpp:1:2: note: orphan\n" << 1 << "orphan";
    QTest::newRow("truncated fix-it ignored")
        << "a.cpp:1:2: error: x\nfix-it:\"a.cpp\":{1:2-1:3}:\"unterminated\n"
        << 1 << "x";
    QTest::newRow("line number overflow") << "a.cpp:99999999999:1: error: big\n" << 1 << "big";
    QTest::newRow("last line without newline") << "a.cpp:1:2: error: tail" << 1 << "tail";
    QTest::newRow("ANSI sequence cut at end of line") << "a.cpp:1:2: error: x\x1b[31\n" << 1 << "x";
    QTest::newRow("OSC hyperlink")
        << "a.cpp:1:2: warning: y [\x1b]8;;https://gcc.gnu.org/w\x07-Wfoo\x1b]8;;\x07]\n"
        << 1 << "y";
    QTest::newRow("1 MiB line is cut, not choked on")
        << "a.cpp:1:2: error: " + QString(1 << 20, u'x') + "\n"
        << 1 << "xxxxxxxx...";
    QTest::newRow("1 MiB of colons") << QString(1 << 20, u':') << 0 << "";
    QTest::newRow("nvcc header at end of output") << "k.cu(3): error: y" << 1 << "y";
    QTest::newRow("mixed CRLF and LF") << "a.cpp:1:2: error: one\r\nb.cpp:2:3: error: two\n"
                                       << 2 << "one";
}

void tst_DiagnosticParser::robustness()
{
    QFETCH(QString, output);
    QFETCH(int, count);
    QFETCH(QString, firstMessage);
    for (Tool tool : {Tool::Gcc, Tool::Clang, Tool::Nvcc, Tool::Linker}) {
        const QList<Diagnostic> list = parseCompilerOutput(output, tool, PathMap{});
        QCOMPARE(list.size(), count);
        if (count > 0) {
            QVERIFY2(messageMatches(list.first().message, firstMessage),
                     qPrintable(list.first().message.left(80)));
            QVERIFY(list.first().message.size() <= diagnosticlines::MaxLineLength);
        }
    }
}

void tst_DiagnosticParser::truncatedFixture_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : allFixtures())
        QTest::newRow(qPrintable(name)) << name;
}

// The compiler may be killed mid-line: every prefix must parse, and a prefix never
// yields more diagnostics than the whole output.
void tst_DiagnosticParser::truncatedFixture()
{
    QFETCH(QString, name);
    const QString text = fixture(name);
    const qsizetype whole = parseCompilerOutput(text, toolOf(name), jobMap()).size();
    QVERIFY(whole > 0);
    for (qsizetype cut = 0; cut < text.size(); cut += 37) {
        const qsizetype n = parseCompilerOutput(text.left(cut), toolOf(name), jobMap()).size();
        // +1: a line cut mid-way no longer equals the line it repeats (nvcc prints twice).
        QVERIFY2(n <= whole + 1,
                 qPrintable(QStringLiteral("cut at %1: %2 > %3").arg(cut).arg(n).arg(whole)));
    }
}

void tst_DiagnosticParser::crlfGivesSameResult_data()
{
    truncatedFixture_data();
}

void tst_DiagnosticParser::crlfGivesSameResult()
{
    QFETCH(QString, name);
    const QString text = fixture(name);
    const QString expected = dump(parseCompilerOutput(text, toolOf(name), jobMap()));
    QVERIFY(!expected.isEmpty());
    QString crlf = text;
    crlf.replace(u'\n', QStringLiteral("\r\n"));
    QCOMPARE(dump(parseCompilerOutput(crlf, toolOf(name), jobMap())), expected);
}

void tst_DiagnosticParser::colourGivesSameResult_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("clang") << "clang-missing-semicolon";
    QTest::newRow("gcc") << "gcc-missing-semicolon";
}

void tst_DiagnosticParser::colourGivesSameResult()
{
    QFETCH(QString, name);
    const QString coloured = fixture(name + QStringLiteral("-color"));
    QVERIFY(coloured.contains(u'\x1b'));
    const QString expected = dump(parseFixture(name));
    QVERIFY(!expected.isEmpty());
    QCOMPARE(dump(parseCompilerOutput(coloured, toolOf(name), jobMap())), expected);
}

void tst_DiagnosticParser::noCaretGivesSameResult_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("clang -fno-caret-diagnostics") << "clang-template";
    QTest::newRow("gcc -fno-diagnostics-show-caret") << "gcc-template";
}

// CompileJob turns source echo and carets off; the diagnostics must not change.
void tst_DiagnosticParser::noCaretGivesSameResult()
{
    QFETCH(QString, name);
    const QString plain = fixture(name + QStringLiteral("-nocaret"));
    const QString expected = dump(parseFixture(name));
    QVERIFY(fixture(name).size() > plain.size() + 1000);
    QCOMPARE(dump(parseCompilerOutput(plain, toolOf(name), jobMap())), expected);
}

void tst_DiagnosticParser::lineByLineGivesSameResult_data()
{
    truncatedFixture_data();
}

void tst_DiagnosticParser::lineByLineGivesSameResult()
{
    QFETCH(QString, name);
    const QString text = fixture(name);
    const QString expected = dump(parseCompilerOutput(text, toolOf(name), jobMap()));
    DiagnosticParser parser(toolOf(name), jobMap());
    for (int round = 0; round < 2; ++round) { // takeDiagnostics() starts over
        for (const QString &line : text.split(u'\n'))
            parser.addLine(line);
        QCOMPARE(dump(parser.takeDiagnostics()), expected);
    }
}

void tst_DiagnosticParser::caps()
{
    QString many;
    for (int i = 1; i <= DiagnosticParser::MaxDiagnostics + 50; ++i)
        many += QStringLiteral("a.cpp:%1:1: error: e%1\na.cpp:%1:1: note: n\n").arg(i);
    const QList<Diagnostic> list = parseCompilerOutput(many, Tool::Gcc, PathMap{});
    QCOMPARE(list.size(), DiagnosticParser::MaxDiagnostics);
    QCOMPARE(list.last().message, QStringLiteral("e%1").arg(DiagnosticParser::MaxDiagnostics));
    QCOMPARE(list.last().notes.size(), 1);

    QString notes = QStringLiteral("a.cpp:1:1: error: e\n");
    for (int i = 0; i < DiagnosticParser::MaxNotes + 50; ++i)
        notes += QStringLiteral("a.cpp:2:1: note: candidate %1\n").arg(i);
    const QList<Diagnostic> one = parseCompilerOutput(notes, Tool::Gcc, PathMap{});
    QCOMPARE(one.size(), 1);
    QCOMPARE(one.first().notes.size(), DiagnosticParser::MaxNotes);
}

QTEST_GUILESS_MAIN(tst_DiagnosticParser)
#include "tst_diagnosticparser.moc"
