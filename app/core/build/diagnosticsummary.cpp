#include "core/build/diagnosticsummary.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

namespace torchlab {

namespace {

// Qualified calls through this class give lupdate and QCoreApplication::translate
// the same context. No English .qm is shipped, so singular and plural English
// texts are separate sources (each a %n numerus form for other languages).
struct DiagnosticSummary
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::DiagnosticSummary)
};

QString errorCount(qsizetype n, bool allLink)
{
    const int count = int(n);
    if (allLink)
        return count == 1 ? DiagnosticSummary::tr("%n link error", nullptr, count)
                          : DiagnosticSummary::tr("%n link errors", nullptr, count);
    return count == 1 ? DiagnosticSummary::tr("%n error", nullptr, count)
                      : DiagnosticSummary::tr("%n errors", nullptr, count);
}

QString warningCount(qsizetype n)
{
    const int count = int(n);
    return count == 1 ? DiagnosticSummary::tr("%n warning", nullptr, count)
                      : DiagnosticSummary::tr("%n warnings", nullptr, count);
}

bool startsWithAny(const QString &text, std::initializer_list<const char *> prefixes)
{
    for (const char *prefix : prefixes) {
        if (text.startsWith(QLatin1String(prefix)))
            return true;
    }
    return false;
}

QString linkerLibraryHint(const QString &library)
{
    const QString flag = QStringLiteral("-l") + library;
    if (startsWithAny(library, {"torch_cuda", "c10_cuda", "torch_hip", "c10_hip"}))
        return DiagnosticSummary::tr(
                   "cannot find %1: this LibTorch is a CPU-only build and has no CUDA library. "
                   "Run on the CPU, or install a CUDA build of LibTorch.")
            .arg(flag);
    if (startsWithAny(library, {"cuda", "cublas", "cudnn", "curand", "cufft", "cusparse", "nvrtc",
                                "nvToolsExt"}))
        return DiagnosticSummary::tr(
                   "cannot find %1: the CUDA libraries are not where the linker looks. "
                   "Install the CUDA toolkit, or add its lib64 folder with -L.")
            .arg(flag);
    if (library.contains(u'/'))
        return DiagnosticSummary::tr("cannot find %1: the file does not exist; check the path.")
            .arg(library);
    return DiagnosticSummary::tr(
               "cannot find %1: the linker has no library named lib%2. "
               "Check the spelling, or install the library and add its folder with -L.")
        .arg(flag, library);
}

QString undefinedHint(const Diagnostic &d)
{
    const QString &symbol = d.symbol;
    if (symbol.startsWith(QStringLiteral("vtable for ")) ||
        symbol.startsWith(QStringLiteral("typeinfo for ")))
        return DiagnosticSummary::tr(
                   "undefined reference to `%1`: %2 declares a virtual function that is never "
                   "defined. Define every virtual function it declares (for example forward()).")
            .arg(symbol, symbol.section(u' ', 2));
    if (symbol == QStringLiteral("main"))
        return DiagnosticSummary::tr("undefined reference to `%1`: the program has no main() "
                                     "function. Add int main() { ... }.")
            .arg(symbol);
    if (startsWithAny(symbol, {"at::", "c10::", "torch::", "caffe2::", "void at::", "void c10::",
                               "void torch::"})) {
        if (symbol.contains(QStringLiteral("__cxx11")))
            return DiagnosticSummary::tr(
                       "undefined reference to `%1`: your program and LibTorch disagree on "
                       "_GLIBCXX_USE_CXX11_ABI. Compile with the ABI setting your LibTorch was "
                       "built with.")
                .arg(symbol);
        return DiagnosticSummary::tr(
                   "undefined reference to `%1`: this LibTorch function is not in the libraries "
                   "being linked. Link -ltorch -ltorch_cpu -lc10 and use the ABI setting "
                   "LibTorch was built with.")
            .arg(symbol);
    }
    if (startsWithAny(symbol, {"cuda", "__cuda", "cublas", "cudnn"}))
        return DiagnosticSummary::tr("undefined reference to `%1`: this is a CUDA library "
                                     "function. Compile with nvcc or link the CUDA runtime "
                                     "(-lcudart).")
            .arg(symbol);
    for (const Diagnostic &note : d.notes) {
        if (note.message.startsWith(QStringLiteral("did you mean: ")))
            return DiagnosticSummary::tr(
                       "undefined reference to `%1`: a function is declared but never defined. "
                       "Did you forget to implement it or misspell its name? The linker "
                       "suggests `%2`.")
                .arg(symbol, note.message.mid(14));
    }
    return DiagnosticSummary::tr("undefined reference to `%1`: a function is declared but never "
                                 "defined. Did you forget to implement it or misspell its name?")
        .arg(symbol);
}

// "'torch/torchh.h' file not found", "torch/torchh.h: No such file or directory",
// nvcc's "cannot open source file "x.h"".
QString missingHeader(const QString &message)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:'([^']+)' file not found|(\\S+\\.(?:h|hh|hpp|hxx|cuh|inc|H)|[^:\\s]+): "
                       "No such file or directory|"
                       "cannot open source file \"([^\"]+)\")"));
    const auto m = re.match(message);
    if (!m.hasMatch())
        return {};
    for (int i = 1; i <= 3; ++i) {
        if (!m.captured(i).isEmpty())
            return m.captured(i);
    }
    return {};
}

} // namespace

QString summarize(const QList<Diagnostic> &diagnostics)
{
    qsizetype errors = 0;
    qsizetype linkErrors = 0;
    qsizetype warnings = 0;
    QStringList files;
    for (const Diagnostic &d : diagnostics) {
        if (d.isError()) {
            ++errors;
            if (d.tool == Diagnostic::Tool::Linker)
                ++linkErrors;
        } else if (d.severity == Diagnostic::Severity::Warning) {
            ++warnings;
        } else {
            continue;
        }
        if (d.hasLearnerLocation() && !files.contains(d.learnerFile))
            files.append(d.learnerFile);
    }
    if (errors == 0 && warnings == 0)
        return DiagnosticSummary::tr("no errors or warnings");

    QString text;
    if (errors > 0 && warnings > 0)
        //: "2 errors, 1 warning"
        text = DiagnosticSummary::tr("%1, %2").arg(errorCount(errors, linkErrors == errors),
                                                   warningCount(warnings));
    else if (errors > 0)
        text = errorCount(errors, linkErrors == errors);
    else
        text = warningCount(warnings);
    if (files.size() == 1)
        //: "2 errors in exercise.cpp"
        text = DiagnosticSummary::tr("%1 in %2").arg(text, files.first());
    else if (files.size() == 2)
        text = DiagnosticSummary::tr("%1 in %2 and %3").arg(text, files.at(0), files.at(1));
    else if (files.size() > 2)
        text = DiagnosticSummary::tr("%1 in %n files", nullptr, int(files.size())).arg(text);
    return text;
}

QString learnerHint(const Diagnostic &d)
{
    if (d.tool == Diagnostic::Tool::Linker && !d.symbol.isEmpty()) {
        const QString &message = d.message;
        if (message.startsWith(QStringLiteral("cannot find")) ||
            message.startsWith(QStringLiteral("unable to find library")))
            return linkerLibraryHint(d.symbol);
        if (message.startsWith(QStringLiteral("multiple definition")) ||
            message.startsWith(QStringLiteral("duplicate symbol")))
            return DiagnosticSummary::tr(
                       "`%1` is defined more than once. Keep one definition, or mark a function "
                       "defined in a header inline.")
                .arg(d.symbol);
        if (message.contains(QStringLiteral("ndefined reference")) ||
            message.startsWith(QStringLiteral("undefined symbol")))
            return undefinedHint(d);
        return {};
    }
    if (d.isError()) {
        const QString header = missingHeader(d.message);
        if (!header.isEmpty())
            return DiagnosticSummary::tr(
                       "The header <%1> was not found. Check the spelling of the #include, "
                       "or install the library that provides it.")
                .arg(header);
    }
    return {};
}

QString linkerHint(const QList<Diagnostic> &diagnostics)
{
    for (const Diagnostic &d : diagnostics) {
        if (d.tool != Diagnostic::Tool::Linker)
            continue;
        if (QString hint = learnerHint(d); !hint.isEmpty())
            return hint;
    }
    return {};
}

QString formatDiagnostic(const Diagnostic &d)
{
    QString where = d.file;
    if (d.line > 0)
        where += QStringLiteral(":%1").arg(d.line);
    if (d.column > 0)
        where += QStringLiteral(":%1").arg(d.column);
    if (!d.file.isEmpty() && d.file != d.learnerFile && d.hasLearnerLocation())
        where = QStringLiteral("%1:%2 (in %3)").arg(d.learnerFile).arg(d.learnerLine).arg(where);
    QString severity;
    switch (d.severity) {
    case Diagnostic::Severity::Error:
        severity = QStringLiteral("error");
        break;
    case Diagnostic::Severity::Fatal:
        severity = QStringLiteral("fatal error");
        break;
    case Diagnostic::Severity::Warning:
        severity = QStringLiteral("warning");
        break;
    case Diagnostic::Severity::Note:
        severity = QStringLiteral("note");
        break;
    }
    return (where.isEmpty() ? QString() : where + QStringLiteral(": ")) + severity +
           QStringLiteral(": ") + d.message;
}

} // namespace torchlab
