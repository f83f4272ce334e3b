#include "core/build/diagnosticparser.h"

#include "core/build/diagnosticlines.h"

#include <QRegularExpression>
#include <QSet>

namespace torchlab {

namespace dl = diagnosticlines;
using Severity = Diagnostic::Severity;
using Tool = Diagnostic::Tool;

namespace {

// The file part must not start with blank: clang echoes the offending source line
// verbatim, and indented code that happens to contain "x:1:2: error: " must not
// become a diagnostic. gcc prefixes its echo with "  12 |", caught separately.
const QRegularExpression &locatedRe()
{
    static const QRegularExpression re(
        QStringLiteral("^(\\S.*?):(\\d+)(?::(\\d+))?: (fatal error|internal compiler "
                       "error|error|warning|note|remark): (.*)$"));
    return re;
}

// gcc: "file:12:5:   required from here" (three spaces, no severity).
const QRegularExpression &gccFrameRe()
{
    static const QRegularExpression re(QStringLiteral("^(\\S.*?):(\\d+)(?::(\\d+))?:   +(\\S.*)$"));
    return re;
}

// gcc: "file: In function 'int main()':", "file: In instantiation of '...':".
const QRegularExpression &gccScopeRe()
{
    static const QRegularExpression re(
        QStringLiteral("^(\\S.*?): ((?:In |At global scope|At top level).*):$"));
    return re;
}

const QRegularExpression &gccEchoRe()
{
    static const QRegularExpression re(QStringLiteral("^\\s*(?:\\d+|\\+\\+\\+)?\\s*\\|"));
    return re;
}

const QRegularExpression &includeRe()
{
    static const QRegularExpression re(
        QStringLiteral("^In file included from \\S.*:\\d+(?::\\d+)?[,:]$"));
    return re;
}

const QRegularExpression &includeMoreRe()
{
    static const QRegularExpression re(QStringLiteral("^\\s+from \\S.*:\\d+(?::\\d+)?[,:]$"));
    return re;
}

// nvcc (EDG front end): "file(12): error: msg", "file(3): warning #177-D: msg".
const QRegularExpression &nvccRe()
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\S.*?)\\((\\d+)\\): (catastrophic error|internal error|error|warning|remark|note)"
        "(?: (#\\d+(?:-[A-Z])?))?: (.*)$"));
    return re;
}

// EDG template backtrace: "  detected during instantiation of "f<int>" at line 12 of x.cu".
const QRegularExpression &edgFrameRe()
{
    static const QRegularExpression re(
        QStringLiteral("^\\s+(?:detected during )?((?:instantiation of|implicit generation "
                       "of|processing of)\\b.*?)"
                       " at line (\\d+)(?: of (.+))?$"));
    return re;
}

const QRegularExpression &nvidiaToolRe()
{
    static const QRegularExpression re(
        QStringLiteral("^(nvcc|ptxas|nvlink|fatbinary|cicc|cudafe\\+\\+|nvdisasm)\\s+(fatal|error|"
                       "warning|info)\\s*: (.*)$"));
    return re;
}

// "/usr/bin/ld: ", "ld.lld: ", "x86_64-linux-gnu-ld.bfd: ", "ld.lld-14: ".
const QRegularExpression &linkerPrefixRe()
{
    static const QRegularExpression re(
        QStringLiteral("^(?:\\S*/"
                       ")?(?:[\\w.]+-)*(?:ld(?:\\.bfd|\\.gold|\\.lld|\\.mold)?|lld|ld64\\.lld|mold)"
                       "(?:-[\\d.]+)?: (.*)$"));
    return re;
}

const QRegularExpression &linkInFunctionRe()
{
    static const QRegularExpression re(
        QStringLiteral("^(.*?): [Ii]n function [`\u2018'](.*)['\u2019]:$"));
    return re;
}

// "file:12: rest" (with debug info) or "file:(.text+0x1c): rest" (without).
const QRegularExpression &linkLocatedRe()
{
    static const QRegularExpression re(QStringLiteral("^(\\S.*?):(?:(\\d+)|\\(([^)]*)\\)): (.*)$"));
    return re;
}

const QRegularExpression &driverRe()
{
    static const QRegularExpression re(QStringLiteral(
        "^(?:\\S*/"
        ")?(clang|clang\\+\\+|gcc|g\\+\\+|c\\+\\+|cc|cc1plus|cc1|collect2|lto-wrapper|lto1)"
        "(?:-[\\d.]+)?: (fatal error|error|warning|note): (.*)$"));
    return re;
}

Severity severityFromWord(QStringView word)
{
    if (word == u"warning")
        return Severity::Warning;
    if (word == u"note" || word == u"remark" || word == u"info")
        return Severity::Note;
    if (word.contains(u"fatal") || word.contains(u"catastrophic") || word.contains(u"internal"))
        return Severity::Fatal;
    return Severity::Error;
}

int toLine(const QString &digits)
{
    bool ok = false;
    const int value = digits.toInt(&ok);
    return ok && value > 0 ? value : 0;
}

// "exercise.cpp:8" -> ("exercise.cpp", 8); "exercise.cpp" -> ("exercise.cpp", 0).
std::pair<QString, int> splitFileLine(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(.*):(\\d+)$"));
    const auto m = re.match(text);
    if (m.hasMatch())
        return {m.captured(1), toLine(m.captured(2))};
    return {text, 0};
}

QString unquoteSymbol(QStringView text)
{
    static const QRegularExpression re(QStringLiteral("^[`\u2018'](.*)['\u2019]$"));
    const auto m = re.match(text);
    return m.hasMatch() ? m.captured(1) : text.toString();
}

} // namespace

DiagnosticParser::DiagnosticParser(Tool tool, PathMap map) : m_tool(tool), m_map(std::move(map)) {}

void DiagnosticParser::addOutput(QStringView output)
{
    qsizetype start = 0;
    while (start < output.size()) {
        qsizetype end = output.indexOf(u'\n', start);
        if (end < 0)
            end = output.size();
        addLine(output.sliced(start, end - start));
        start = end + 1;
    }
}

void DiagnosticParser::addLine(QStringView rawLine)
{
    const QString line = dl::cleanLine(rawLine);
    if (line.trimmed().isEmpty())
        return;

    const bool continuingIncludes = m_inIncludeChain;
    m_inIncludeChain = false;

    if (m_nvccExpect != NvccExpect::Nothing && parseNvccCaret(line))
        return;
    if (parseFixIt(line))
        return;
    if (parseIncludeChain(line, continuingIncludes))
        return;
    if (gccEchoRe().match(line).hasMatch())
        return; // "   12 |   foo();" / "      |   ^~~": keeps fix-its attached
    if (parseLocated(line))
        return;
    const bool recognized = parseGccContext(line) || parseNvcc(line) || parseNvidiaTool(line) ||
                            parseLldNote(line) || parseLinker(line) || parseDriver(line);
    if (recognized)
        m_fixItAllowed = false;
    // Anything else is source echo, a caret line, a summary ("2 errors generated.",
    // "compilation terminated.") or noise.
}

bool DiagnosticParser::parseFixIt(const QString &line)
{
    if (!line.startsWith(QStringLiteral("fix-it:")))
        return false;
    const auto parsed = dl::parseFixItLine(line);
    if (!parsed || !m_fixItAllowed)
        return true;
    Diagnostic *target = fixItTarget();
    // A fix-it in another file than its diagnostic cannot be shown against it.
    if (target && m_map.map(parsed->file).file == target->file)
        target->fixIts.append(parsed->fixIt);
    return true;
}

bool DiagnosticParser::parseIncludeChain(const QString &line, bool continuing)
{
    if (!line.endsWith(u':') && !line.endsWith(u','))
        return false;
    if (includeRe().match(line).hasMatch() ||
        (continuing && includeMoreRe().match(line).hasMatch())) {
        m_inIncludeChain = true;
        m_fixItAllowed = false;
        return true;
    }
    return false;
}

bool DiagnosticParser::parseLocated(const QString &line)
{
    const auto m = locatedRe().match(line);
    if (!m.hasMatch())
        return false;
    QString message = m.captured(5).trimmed();
    const QString option = dl::takeOptionSuffix(message);
    Diagnostic d = makeDiagnostic(severityFromWord(m.captured(4)), m_tool, m.captured(1),
                                  toLine(m.captured(2)), toLine(m.captured(3)), message);
    d.option = option;
    if (d.severity == Severity::Note)
        addNote(std::move(d));
    else
        addPrimary(std::move(d), m.captured(1));
    m_fixItAllowed = true;
    return true;
}

bool DiagnosticParser::parseGccContext(const QString &line)
{
    if (const auto m = gccFrameRe().match(line); m.hasMatch()) {
        m_pendingContext.append(makeDiagnostic(Severity::Note, m_tool, m.captured(1),
                                               toLine(m.captured(2)), toLine(m.captured(3)),
                                               m.captured(4).trimmed()));
        return true;
    }
    if (!line.endsWith(u':'))
        return false; // cheap test first: the regex backtracks on long lines
    const auto m = gccScopeRe().match(line);
    if (!m.hasMatch())
        return false;
    // A scope line starts a new context: whatever was pending belonged to nothing.
    const QString what = m.captured(2);
    if (what.contains(u'`'))
        return false; // old ld.bfd: "exercise.o: In function `main':"; gcc never uses a backtick
    m_pendingContext.clear();
    if (what.startsWith(QStringLiteral("In instantiation of ")) ||
        what.startsWith(QStringLiteral("In substitution of "))) {
        QString message = what;
        message[0] = message[0].toLower();
        m_pendingContext.append(
            makeDiagnostic(Severity::Note, m_tool, m.captured(1), 0, 0, message));
    } else {
        m_scopeLineSeen = true;
    }
    return true;
}

bool DiagnosticParser::parseNvcc(const QString &line)
{
    if (const auto m = nvccRe().match(line); m.hasMatch()) {
        const QString realFile = m.captured(1);
        Diagnostic d = makeDiagnostic(severityFromWord(m.captured(3)), m_tool, realFile,
                                      toLine(m.captured(2)), 0, m.captured(5).trimmed());
        d.option = m.captured(4);
        if (d.severity == Severity::Note) {
            addNote(std::move(d));
            if (const Entry *entry = current()) {
                m_nvccEntry = m_current;
                m_nvccNote = int(entry->diagnostic.notes.size() - 1);
            }
        } else {
            addPrimary(std::move(d), realFile);
            m_nvccEntry = m_current;
            m_nvccNote = -1;
        }
        m_nvccExpect = m_nvccEntry >= 0 ? NvccExpect::SourceLine : NvccExpect::Nothing;
        return true;
    }
    const auto m = edgFrameRe().match(line);
    const Entry *entry = current();
    if (!m.hasMatch() || !entry)
        return false;
    const QString file = m.captured(3).isEmpty() ? entry->realFile : m.captured(3).trimmed();
    addNote(makeDiagnostic(Severity::Note, m_tool, file, toLine(m.captured(2)), 0, m.captured(1)));
    return true;
}

// EDG echoes the source line indented by two spaces, then a line with a caret under
// the offending character: the caret gives the column nvcc does not print.
bool DiagnosticParser::parseNvccCaret(const QString &line)
{
    if (m_nvccExpect == NvccExpect::SourceLine) {
        if (nvccRe().match(line).hasMatch() || edgFrameRe().match(line).hasMatch()) {
            m_nvccExpect = NvccExpect::Nothing;
            return false;
        }
        m_nvccSourceLine = line;
        m_nvccExpect = NvccExpect::Caret;
        return true;
    }
    m_nvccExpect = NvccExpect::Nothing;
    const QString trimmed = line.trimmed();
    if (trimmed != QStringLiteral("^"))
        return false;
    const qsizetype caret = line.indexOf(u'^');
    if (caret >= 2 && m_nvccSourceLine.startsWith(QStringLiteral("  ")) && m_nvccEntry >= 0 &&
        m_nvccEntry < m_entries.size()) {
        Diagnostic &entry = m_entries[m_nvccEntry].diagnostic;
        Diagnostic *target = m_nvccNote < 0                    ? &entry
                             : m_nvccNote < entry.notes.size() ? &entry.notes[m_nvccNote]
                                                               : nullptr;
        if (target)
            target->column = int(caret - 1);
    }
    return true;
}

bool DiagnosticParser::parseNvidiaTool(const QString &line)
{
    const auto m = nvidiaToolRe().match(line);
    if (!m.hasMatch())
        return false;
    const QString kind = m.captured(2);
    if (kind == QStringLiteral("info"))
        return true; // ptxas -v resource usage, not a problem
    const Severity severity = severityFromWord(kind);
    const QString message = m.captured(3).trimmed();
    if (m.captured(1) == QStringLiteral("nvlink")) {
        // "Undefined reference to '_Z3foov' in '/tmp/x.o'"
        static const QRegularExpression undefinedRe(
            QStringLiteral("^Undefined reference to '([^']*)'"));
        Diagnostic d = makeDiagnostic(severity, Tool::Linker, {}, 0, 0, message);
        if (const auto u = undefinedRe.match(message); u.hasMatch())
            d.symbol = dl::demangle(u.captured(1));
        addPrimary(std::move(d), {});
        return true;
    }
    addPrimary(makeDiagnostic(severity, m_tool, {}, 0, 0, message), {});
    return true;
}

bool DiagnosticParser::parseLldNote(const QString &line)
{
    if (!line.startsWith(QStringLiteral(">>> ")))
        return false;
    Entry *entry = current();
    if (!entry || entry->diagnostic.tool != Tool::Linker)
        return true;
    Diagnostic &primary = entry->diagnostic;
    const QString rest = line.mid(4);
    if (rest.startsWith(u' ')) {
        // ">>>               /tmp/x/exercise.o:(main)": the function of the previous reference.
        static const QRegularExpression funcRe(
            QStringLiteral(":\\((?:function )?([^:]*?)(?:: [^)]*)?\\)$"));
        const auto f = funcRe.match(rest.trimmed());
        if (f.hasMatch() && !primary.notes.isEmpty() &&
            primary.notes.last().message == QStringLiteral("referenced here"))
            primary.notes.last().message =
                QStringLiteral("referenced in function ") + f.captured(1);
        return true;
    }
    static const QRegularExpression refRe(
        QStringLiteral("^(referenced by|defined at) (.*?)(?: \\((.*)\\))?$"));
    if (const auto r = refRe.match(rest); r.hasMatch()) {
        // "referenced by exercise.cpp:8 (/tmp/tljob-x/exercise.cpp:8)": the full path is in parens.
        const auto [file, lineNo] =
            splitFileLine(r.captured(3).isEmpty() ? r.captured(2) : r.captured(3));
        const bool referenced = r.captured(1) == QStringLiteral("referenced by");
        Diagnostic note = makeDiagnostic(Severity::Note, Tool::Linker, file, lineNo, 0,
                                         referenced ? QStringLiteral("referenced here")
                                                    : QStringLiteral("defined here"));
        if (primary.file.isEmpty() && referenced) {
            primary.file = note.file;
            primary.line = note.line;
            primary.inLearnerFile = note.inLearnerFile;
        }
        addNote(std::move(note));
        return true;
    }
    if (rest.startsWith(QStringLiteral("defined in:")))
        return true; // follows "did you mean:"; the object file says nothing to a learner
    addNote(makeDiagnostic(Severity::Note, Tool::Linker, {}, 0, 0, rest.trimmed()));
    return true;
}

bool DiagnosticParser::parseLinker(const QString &line)
{
    if (const auto m = linkerPrefixRe().match(line); m.hasMatch()) {
        QString body = m.captured(1);
        Severity severity = Severity::Error;
        for (const auto &[word, value] :
             {std::pair{QStringLiteral("fatal error: "), Severity::Fatal},
              std::pair{QStringLiteral("error: "), Severity::Error},
              std::pair{QStringLiteral("warning: "), Severity::Warning}}) {
            if (body.startsWith(word)) {
                body = body.mid(word.size());
                severity = value;
                break;
            }
        }
        return parseLinkerBody(body, severity, true);
    }
    // ld.bfd prints its follow-up lines without the "ld:" prefix.
    return parseLinkerBody(line, Severity::Error, false);
}

bool DiagnosticParser::parseLinkerBody(const QString &body, Severity severity, bool prefixed)
{
    if (const auto m = linkInFunctionRe().match(body); m.hasMatch()) {
        m_linkFunction = m.captured(2);
        return true;
    }
    QString file;
    int lineNo = 0;
    QString core = body;
    if (const auto m = linkLocatedRe().match(body); m.hasMatch()) {
        file = m.captured(1);
        lineNo = toLine(m.captured(2));
        core = m.captured(4);
    }

    static const QRegularExpression undefinedRe(QStringLiteral("^undefined reference to (.*)$"));
    static const QRegularExpression multipleRe(
        QStringLiteral("^(multiple definition of [`\u2018'](.*?)['\u2019]);.*$"));
    static const QRegularExpression symbolRe(QStringLiteral(
        "^(?:undefined symbol|duplicate symbol|undefined reference due to [^:]*): (.*)$"));
    static const QRegularExpression libraryRe(QStringLiteral(
        "^(?:cannot find|unable to find library) (-l)?(\\S+?)(?:: No such file or directory)?$"));

    QString symbol;
    QString message = core;
    bool known = true;
    bool undefined = false;
    if (const auto m = undefinedRe.match(core); m.hasMatch()) {
        symbol = unquoteSymbol(m.captured(1));
        undefined = true;
    } else if (const auto m2 = multipleRe.match(core); m2.hasMatch()) {
        symbol = m2.captured(2);
        message = m2.captured(1);
    } else if (const auto m3 = symbolRe.match(core); m3.hasMatch()) {
        symbol = m3.captured(1);
    } else if (const auto m4 = libraryRe.match(core); m4.hasMatch()) {
        symbol = m4.captured(2);
    } else if (core.startsWith(QStringLiteral("more undefined references to")) ||
               core.startsWith(QStringLiteral("too many errors emitted"))) {
        return true; // "see above" lines
    } else {
        known = false;
    }
    if (!prefixed && (!known || file.isEmpty()))
        return false; // an unprefixed line is ld.bfd's only with a location and a known message

    Diagnostic d = makeDiagnostic(severity, Tool::Linker, file, lineNo, 0, message);
    d.symbol = dl::demangle(symbol);
    if (undefined && !file.isEmpty() && !m_linkFunction.isEmpty()) {
        Diagnostic note =
            makeDiagnostic(Severity::Note, Tool::Linker, file, lineNo, 0,
                           QStringLiteral("referenced in function ") + m_linkFunction);
        d.notes.append(note);
    }
    addPrimary(std::move(d), file);
    return true;
}

bool DiagnosticParser::parseDriver(const QString &line)
{
    const auto m = driverRe().match(line);
    if (!m.hasMatch())
        return false;
    const QString message = m.captured(3).trimmed();
    static const QRegularExpression summaryRe(QStringLiteral(
        "^(?:linker command failed with exit code \\d+|ld returned \\d+ exit status)"));
    const bool summary = summaryRe.match(message).hasMatch();
    m_linkFunction.clear();
    addPrimary(makeDiagnostic(severityFromWord(m.captured(2)), summary ? Tool::Linker : m_tool, {},
                              0, 0, message),
               {}, summary);
    return true;
}

Diagnostic DiagnosticParser::makeDiagnostic(Severity severity, Tool tool,
                                            const QString &printedFile, int line, int column,
                                            const QString &message) const
{
    Diagnostic d;
    d.severity = severity;
    d.tool = tool;
    const PathMap::Mapped mapped = m_map.map(printedFile);
    d.file = mapped.file;
    d.inLearnerFile = mapped.learner;
    d.line = line;
    d.column = column;
    d.message = message;
    return d;
}

void DiagnosticParser::addPrimary(Diagnostic diagnostic, const QString &realFile,
                                  bool driverSummary)
{
    m_nvccExpect = NvccExpect::Nothing;
    if (m_entries.size() >= MaxDiagnostics) {
        m_currentDropped = true;
        m_current = -1;
        m_pendingContext.clear();
        return;
    }
    m_currentDropped = false;
    Entry entry;
    entry.diagnostic = std::move(diagnostic);
    // gcc prints the template context before the error it explains.
    QList<Diagnostic> context = std::exchange(m_pendingContext, {});
    entry.diagnostic.notes = context + entry.diagnostic.notes;
    if (entry.diagnostic.notes.size() > MaxNotes)
        entry.diagnostic.notes.resize(MaxNotes);
    entry.realFile = realFile;
    entry.afterScopeLine = std::exchange(m_scopeLineSeen, false);
    entry.driverSummary = driverSummary;
    m_entries.append(std::move(entry));
    m_current = int(m_entries.size() - 1);
    m_fixItToNote = false;
}

void DiagnosticParser::addNote(Diagnostic note)
{
    if (m_currentDropped)
        return;
    if (m_entries.isEmpty()) {
        // Output cut off before the diagnostic this note belongs to: keep it visible.
        addPrimary(std::move(note), {});
        return;
    }
    if (!m_pendingContext.isEmpty()) {
        // gcc lists an error's candidates, meets a substitution failure it reports as an
        // error of its own, then repeats the first error's context and goes on with its
        // candidates: those notes belong to the error whose context is repeated.
        const Diagnostic &first = m_pendingContext.first();
        for (int i = int(m_entries.size()) - 1; i >= 0; --i) {
            const QList<Diagnostic> &notes = m_entries.at(i).diagnostic.notes;
            if (!notes.isEmpty() && notes.first().file == first.file &&
                notes.first().message == first.message && notes.first().line == first.line) {
                m_current = i;
                m_pendingContext.clear();
                break;
            }
        }
    }
    flushPendingContext();
    Entry *entry = current();
    if (!entry)
        return;
    QList<Diagnostic> &notes = entry->diagnostic.notes;
    if (notes.size() < MaxNotes) {
        notes.append(std::move(note));
        m_fixItToNote = true;
    }
}

DiagnosticParser::Entry *DiagnosticParser::current()
{
    return m_current >= 0 && m_current < m_entries.size() ? &m_entries[m_current] : nullptr;
}

Diagnostic *DiagnosticParser::fixItTarget()
{
    Entry *entry = current();
    if (!entry)
        return nullptr;
    Diagnostic &primary = entry->diagnostic;
    if (m_fixItToNote)
        return primary.notes.isEmpty() ? nullptr : &primary.notes.last();
    return &primary;
}

void DiagnosticParser::flushPendingContext()
{
    Entry *entry = current();
    if (m_pendingContext.isEmpty() || !entry)
        return;
    QList<Diagnostic> &notes = entry->diagnostic.notes;
    for (Diagnostic &frame : m_pendingContext) {
        if (notes.size() < MaxNotes)
            notes.append(std::move(frame));
    }
    m_pendingContext.clear();
}

void DiagnosticParser::fillLearnerLocations()
{
    const Entry *previous = nullptr;
    for (Entry &entry : m_entries) {
        Diagnostic &d = entry.diagnostic;
        const auto setFrom = [&d](const Diagnostic &source) {
            d.learnerFile = source.file;
            d.learnerLine = source.line;
            d.learnerColumn = source.column;
        };
        if (d.inLearnerFile) {
            setFrom(d);
        } else {
            bool ownBacktrace = false;
            for (const Diagnostic &note : std::as_const(d.notes)) {
                if (!dl::isBacktraceMessage(note.message))
                    continue;
                ownBacktrace = true;
                if (note.inLearnerFile) {
                    setFrom(note);
                    break;
                }
            }
            // Both compilers print an instantiation backtrace once; the next error in
            // the same instantiation (LibTorch's static_assert after "no member named
            // 'forward'") comes without one and belongs to the same learner line.
            if (!d.hasLearnerLocation() && !ownBacktrace && !entry.afterScopeLine && previous &&
                d.tool != Tool::Linker && !d.file.isEmpty() &&
                !previous->diagnostic.inLearnerFile && previous->diagnostic.hasLearnerLocation() &&
                previous->diagnostic.tool == d.tool) {
                d.learnerFile = previous->diagnostic.learnerFile;
                d.learnerLine = previous->diagnostic.learnerLine;
                d.learnerColumn = previous->diagnostic.learnerColumn;
            }
            if (!d.hasLearnerLocation()) {
                for (const Diagnostic &note : std::as_const(d.notes)) {
                    if (note.inLearnerFile) {
                        setFrom(note);
                        break;
                    }
                }
            }
        }
        previous = &entry;
    }
}

QList<Diagnostic> DiagnosticParser::takeDiagnostics()
{
    flushPendingContext();

    bool realLinkError = false;
    for (const Entry &entry : std::as_const(m_entries))
        realLinkError |= entry.diagnostic.tool == Tool::Linker && entry.diagnostic.isError() &&
                         !entry.driverSummary;

    QList<Entry> kept;
    QSet<QString> seen;
    for (Entry &entry : m_entries) {
        if (entry.driverSummary && realLinkError)
            continue;
        const Diagnostic &d = entry.diagnostic;
        const QString key = QString::number(int(d.severity)) + u'\x1f' +
                            QString::number(int(d.tool)) + u'\x1f' + d.file + u'\x1f' +
                            QString::number(d.line) + u'\x1f' + QString::number(d.column) +
                            u'\x1f' + d.message;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        kept.append(std::move(entry));
    }
    m_entries = std::move(kept);
    fillLearnerLocations();

    QList<Diagnostic> out;
    out.reserve(m_entries.size());
    for (Entry &entry : m_entries)
        out.append(std::move(entry.diagnostic));

    m_entries.clear();
    m_pendingContext.clear();
    m_scopeLineSeen = m_inIncludeChain = m_fixItToNote = m_fixItAllowed = m_currentDropped = false;
    m_nvccExpect = NvccExpect::Nothing;
    m_nvccEntry = m_nvccNote = m_current = -1;
    m_linkFunction.clear();
    return out;
}

QList<Diagnostic> parseCompilerOutput(const QString &output, Tool tool, const PathMap &map)
{
    DiagnosticParser parser(tool, map);
    parser.addOutput(output);
    return parser.takeDiagnostics();
}

QList<Diagnostic> parseLinkerOutput(const QString &output, const PathMap &map)
{
    DiagnosticParser parser(Tool::Linker, map);
    parser.addOutput(output);
    return parser.takeDiagnostics();
}

} // namespace torchlab
