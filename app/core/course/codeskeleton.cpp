#include "core/course/codeskeleton.h"

#include "core/course/localizedtext.h"

#include <QDir>
#include <QFileInfo>

namespace torchlab {

namespace {

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == u'_' || c.unicode() > 0x7f;
}

bool isIdentifierPart(QChar c)
{
    return isIdentifierStart(c) || c.isDigit();
}

// A raw string's prefix ends in R: R, u8R, uR, UR, LR.
bool isRawPrefix(const QString &identifier)
{
    return identifier == u"R" || identifier == u"u8R" || identifier == u"uR" ||
           identifier == u"UR" || identifier == u"LR";
}

// The number of '=' in a CMake bracket opening "[", "="..., "[" at `at`; -1 when
// there is none.
int bracketLevel(const QString &source, qsizetype at)
{
    if (at >= source.size() || source.at(at) != u'[')
        return -1;
    qsizetype k = at + 1;
    while (k < source.size() && source.at(k) == u'=')
        ++k;
    return k < source.size() && source.at(k) == u'[' ? int(k - at - 1) : -1;
}

// Just past the "]", "="..., "]" that closes the bracket of `level` opened at
// `at`; the end of the text when it is never closed.
qsizetype bracketEnd(const QString &source, qsizetype at, int level)
{
    const QString close = u']' + QString(level, u'=') + u']';
    const qsizetype found = source.indexOf(close, at + level + 2);
    return found < 0 ? source.size() : found + close.size();
}

// CMake's lexical rules (cmake-language(7)): # starts a line comment unless a
// bracket follows it (#[[ ... ]], #[==[ ... ]==]); quoted arguments may span
// lines and escape characters with a backslash, as unquoted arguments do;
// bracket arguments are literal text. An apostrophe is an ordinary character.
QList<CodeToken> cmakeSkeleton(const QString &source)
{
    QList<CodeToken> tokens;
    const qsizetype n = source.size();
    qsizetype i = 0;
    int line = 1;
    auto skipTo = [&](qsizetype end) {
        line += int(QStringView(source).mid(i, end - i).count(u'\n'));
        i = end;
    };
    while (i < n) {
        const QChar c = source.at(i);
        if (c == u'\n') {
            ++line;
            ++i;
            continue;
        }
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == u'#') {
            const int level = bracketLevel(source, i + 1);
            if (level >= 0) {
                skipTo(bracketEnd(source, i + 1, level));
            } else {
                while (i < n && source.at(i) != u'\n')
                    ++i;
            }
            continue;
        }
        const int startLine = line;
        if (const int level = bracketLevel(source, i); level >= 0) {
            skipTo(bracketEnd(source, i, level));
            tokens.append({QStringLiteral("[[]]"), startLine});
            continue;
        }
        if (c == u'"') {
            qsizetype k = i + 1;
            while (k < n && source.at(k) != u'"')
                k += source.at(k) == u'\\' ? 2 : 1;
            skipTo(qMin(n, k + 1));
            tokens.append({QStringLiteral("\"\""), startLine});
            continue;
        }
        if (c == u'\\' && i + 1 < n && source.at(i + 1) != u'\n') {
            tokens.append({source.mid(i, 2), startLine});
            i += 2;
            continue;
        }
        if (isIdentifierPart(c)) {
            const qsizetype start = i;
            while (i < n && isIdentifierPart(source.at(i)))
                ++i;
            tokens.append({source.mid(start, i - start), startLine});
            continue;
        }
        tokens.append({QString(c), startLine});
        ++i;
    }
    return tokens;
}

QList<CodeToken> cppSkeleton(const QString &source)
{
    QList<CodeToken> tokens;
    const qsizetype n = source.size();
    qsizetype i = 0;
    int line = 1;
    auto at = [&](qsizetype k) { return k < n ? source.at(k) : QChar(); };
    while (i < n) {
        const QChar c = source.at(i);
        if (c == u'\n') {
            ++line;
            ++i;
            continue;
        }
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == u'/' && at(i + 1) == u'/') {
            while (i < n && source.at(i) != u'\n')
                ++i;
            continue;
        }
        if (c == u'/' && at(i + 1) == u'*') {
            i += 2;
            while (i < n && !(source.at(i) == u'*' && at(i + 1) == u'/')) {
                if (source.at(i) == u'\n')
                    ++line;
                ++i;
            }
            i = qMin(n, i + 2);
            continue;
        }
        const int startLine = line;
        if (isIdentifierStart(c)) {
            const qsizetype start = i;
            while (i < n && isIdentifierPart(source.at(i)))
                ++i;
            const QString word = source.mid(start, i - start);
            if (at(i) == u'"' && isRawPrefix(word)) {
                // R"delim( ... )delim"
                const qsizetype open = source.indexOf(u'(', i + 1);
                if (open < 0) {
                    tokens.append({word, startLine});
                    continue;
                }
                const QString end = u')' + source.mid(i + 1, open - i - 1) + u'"';
                qsizetype close = source.indexOf(end, open + 1);
                close = close < 0 ? n : close + end.size();
                line += int(source.mid(i, close - i).count(u'\n'));
                i = close;
                tokens.append({word + QStringLiteral("\"\""), startLine});
                continue;
            }
            tokens.append({word, startLine});
            continue;
        }
        if (c.isDigit() || (c == u'.' && at(i + 1).isDigit())) {
            const qsizetype start = i;
            while (i < n) {
                const QChar d = source.at(i);
                if ((d == u'+' || d == u'-') && i > start) {
                    const QChar e = source.at(i - 1).toLower();
                    if (e != u'e' && e != u'p')
                        break;
                } else if (!(d.isLetterOrNumber() || d == u'.' || d == u'_' ||
                             (d == u'\'' && at(i + 1).isLetterOrNumber()))) {
                    break;
                }
                ++i;
            }
            tokens.append({source.mid(start, i - start), startLine});
            continue;
        }
        if (c == u'"' || c == u'\'') {
            ++i;
            while (i < n && source.at(i) != c && source.at(i) != u'\n') {
                if (source.at(i) == u'\\')
                    ++i;
                ++i;
            }
            ++i;
            tokens.append({c == u'"' ? QStringLiteral("\"\"") : QStringLiteral("''"), startLine});
            continue;
        }
        tokens.append({QString(c), startLine});
        ++i;
    }
    return tokens;
}

} // namespace

CodeSyntax codeSyntaxFor(const QString &fileName)
{
    const QString name = QFileInfo(fileName).fileName();
    return name == QLatin1String("CMakeLists.txt") || name.endsWith(QLatin1String(".cmake"))
               ? CodeSyntax::CMake
               : CodeSyntax::Cpp;
}

QList<CodeToken> codeSkeleton(const QString &source, CodeSyntax syntax)
{
    return syntax == CodeSyntax::CMake ? cmakeSkeleton(source) : cppSkeleton(source);
}

int firstCodeDifference(const QString &original, const QString &translated, CodeSyntax syntax)
{
    const QList<CodeToken> a = codeSkeleton(original, syntax);
    const QList<CodeToken> b = codeSkeleton(translated, syntax);
    const qsizetype common = qMin(a.size(), b.size());
    for (qsizetype k = 0; k < common; ++k) {
        if (a[k].text != b[k].text)
            return b[k].line;
    }
    if (a.size() == b.size())
        return 0;
    if (b.size() > common)
        return b[common].line;
    return int(translated.count(u'\n')) + 1;
}

QString starterVariantName(const QString &fileName, const QString &language)
{
    const QFileInfo info(fileName);
    const QString folder = fileName.left(fileName.size() - info.fileName().size());
    const QString suffix = info.suffix();
    const QString stem = suffix.isEmpty() ? info.fileName() : info.completeBaseName();
    return folder + stem + u'.' + language + (suffix.isEmpty() ? QString() : u'.' + suffix);
}

QStringList starterVariantLanguages(const QString &directory, const QString &relativePath)
{
    const QFileInfo info(relativePath);
    const QString suffix = info.suffix();
    const QString stem = suffix.isEmpty() ? info.fileName() : info.completeBaseName();
    const QString folder = QDir(directory).filePath(info.path());
    const QString pattern =
        stem + QStringLiteral(".*") + (suffix.isEmpty() ? QString() : QStringLiteral(".") + suffix);
    QStringList languages;
    for (const QString &name : QDir(folder).entryList({pattern}, QDir::Files, QDir::Name)) {
        QString middle = name.mid(stem.size() + 1);
        if (!suffix.isEmpty())
            middle.chop(suffix.size() + 1);
        if (Languages::isLanguageCode(middle) && middle != Languages::fallback())
            languages << middle;
    }
    return languages;
}

} // namespace torchlab
