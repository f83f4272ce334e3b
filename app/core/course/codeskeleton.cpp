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

} // namespace

QList<CodeToken> codeSkeleton(const QString &source)
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

int firstCodeDifference(const QString &original, const QString &translated)
{
    const QList<CodeToken> a = codeSkeleton(original);
    const QList<CodeToken> b = codeSkeleton(translated);
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
