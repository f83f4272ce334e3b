#include "helpers/diagnosticfixtures.h"

#include "core/build/diagnosticsummary.h"

#include <QTest>

class tst_DiagnosticSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summaries_data();
    void summaries();
    void compilerHints_data();
    void compilerHints();
    void handwrittenHints_data();
    void handwrittenHints();
};

void tst_DiagnosticSummary::summaries_data()
{
    QTest::addColumn<QStringList>("fixtures"); // outputs concatenated, parsed as one
    QTest::addColumn<QString>("summary");

    QTest::newRow("one error") << QStringList{"clang-undeclared"} << "1 error in exercise.cpp";
    QTest::newRow("template errors point into exercise.cpp")
        << QStringList{"clang-template"} << "3 errors in exercise.cpp";
    QTest::newRow("gcc template, two located")
        << QStringList{"gcc-template"} << "4 errors in exercise.cpp";
    QTest::newRow("no learner location") << QStringList{"gcc-wrong-argument"} << "1 error";
    QTest::newRow("warnings") << QStringList{"clang-warning"} << "2 warnings in exercise.cpp";
    QTest::newRow("errors and warnings") << QStringList{"clang-undeclared", "clang-warning"}
                                         << "1 error, 2 warnings in exercise.cpp";
    QTest::newRow("two files") << QStringList{"nvcc-error", "gcc-warning"}
                               << "2 errors, 2 warnings in exercise.cu and exercise.cpp";
    QTest::newRow("link error") << QStringList{"gcc-undefined-bfd"}
                                << "1 link error in exercise.cpp";
    QTest::newRow("link error, no file") << QStringList{"clang-nolib-lld"} << "1 link error";
    QTest::newRow("nothing") << QStringList{} << "no errors or warnings";
}

void tst_DiagnosticSummary::summaries()
{
    QFETCH(QStringList, fixtures);
    QFETCH(QString, summary);
    QString output;
    for (const QString &name : fixtures)
        output += fixture(name);
    QCOMPARE(summarize(parseCompilerOutput(output, Tool::Clang, jobMap())), summary);
}

void tst_DiagnosticSummary::compilerHints_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("hint");

    QTest::newRow("clang missing header")
        << "clang-missing-include"
        << "The header <torch/torchh.h> was not found. Check the spelling of the #include, or "
           "install the library that provides it.";
    QTest::newRow("gcc missing header")
        << "gcc-missing-include"
        << "The header <torch/torchh.h> was not found. Check the spelling of the #include, or "
           "install the library that provides it.";
    QTest::newRow("nvcc missing header")
        << "nvcc-missing-include"
        << "The header <curand_kernelz.h> was not found. Check the spelling of the #include, or "
           "install the library that provides it.";
    QTest::newRow("plain compile error: nothing to add") << "clang-undeclared"
                                                         << "";
    QTest::newRow("warning: nothing to add") << "gcc-warning"
                                             << "";
}

void tst_DiagnosticSummary::compilerHints()
{
    QFETCH(QString, fixture);
    QFETCH(QString, hint);
    const QList<Diagnostic> list = parseFixture(fixture);
    QVERIFY(!list.isEmpty());
    QCOMPARE(learnerHint(list.first()), hint);
    QCOMPARE(linkerHint(list), QString()); // compiler diagnostics never give a linker hint
}

void tst_DiagnosticSummary::handwrittenHints_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<QString>("hintStart");

    QTest::newRow("missing virtual") << "undefined reference to `vtable for Net'"
                                     << "vtable for Net"
                                     << "undefined reference to `vtable for Net`: Net declares a "
                                        "virtual function that is never defined.";
    QTest::newRow("no main")
        << "undefined symbol: main"
        << "main"
        << "undefined reference to `main`: the program has no main() function.";
    QTest::newRow("ABI mismatch")
        << "undefined reference to `x'"
        << "c10::Error::Error(c10::SourceLocation, std::__cxx11::basic_string<char, "
           "std::char_traits<char>, std::allocator<char> >)"
        << "undefined reference to `c10::Error::Error(c10::SourceLocation, "
           "std::__cxx11::basic_string<char, "
           "std::char_traits<char>, std::allocator<char> >)`: your program and LibTorch disagree "
           "on _GLIBCXX_USE_CXX11_ABI.";
    QTest::newRow("LibTorch not linked")
        << "undefined reference to `x'"
        << "at::_ops::rand::call(c10::ArrayRef<long>)"
        << "undefined reference to `at::_ops::rand::call(c10::ArrayRef<long>)`: this LibTorch "
           "function is not in the libraries";
    QTest::newRow("CUDA runtime")
        << "undefined reference to `cudaMalloc'"
        << "cudaMalloc"
        << "undefined reference to `cudaMalloc`: this is a CUDA library function.";
    QTest::newRow("duplicate") << "multiple definition of `loss()'"
                               << "loss()"
                               << "`loss()` is defined more than once.";
    QTest::newRow("cudart missing") << "cannot find -lcudart"
                                    << "cudart"
                                    << "cannot find -lcudart: the CUDA libraries";
    QTest::newRow("not a linker problem") << "ld returned 1 exit status"
                                          << ""
                                          << "";
}

void tst_DiagnosticSummary::handwrittenHints()
{
    QFETCH(QString, message);
    QFETCH(QString, symbol);
    QFETCH(QString, hintStart);
    Diagnostic d;
    d.tool = Tool::Linker;
    d.message = message;
    d.symbol = symbol;
    const QString hint = learnerHint(d);
    QVERIFY2(hintStart.isEmpty() ? hint.isEmpty() : hint.startsWith(hintStart), qPrintable(hint));
}

// Formats documented by the tools for which the 2-core CPU box cannot produce real
// output (EDG template backtraces, lld suggestions, nvlink): written by hand from the
// tools' documentation and source, and marked as such.

QTEST_GUILESS_MAIN(tst_DiagnosticSummary)
#include "tst_diagnosticsummary.moc"
