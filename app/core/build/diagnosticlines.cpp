#include "core/build/diagnosticlines.h"

#include <QByteArray>
#include <QStringList>

#if __has_include(<cxxabi.h>)
#include <cstdlib>
#include <cxxabi.h>
#define TORCHLAB_HAVE_CXXABI 1
#endif

namespace torchlab::diagnosticlines {

QString cleanLine(QStringView line)
{
    if (line.size() > MaxLineLength)
        line = line.first(MaxLineLength);
    QString out;
    out.reserve(line.size());
    const qsizetype n = line.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = line[i];
        if (c != u'\x1b') {
            out.append(c);
            continue;
        }
        if (i + 1 >= n)
            break;
        const QChar kind = line[i + 1];
        if (kind == u'[') {
            // CSI: parameters and intermediates, then one final byte in @..~.
            qsizetype j = i + 2;
            while (j < n && line[j].unicode() >= 0x20 && line[j].unicode() <= 0x3f)
                ++j;
            while (j < n && line[j].unicode() >= 0x20 && line[j].unicode() <= 0x2f)
                ++j;
            i = j; // skips the final byte too (or runs off a truncated sequence)
        } else if (kind == u']') {
            // OSC (gcc's -fdiagnostics-urls): ends at BEL or ESC '\'.
            qsizetype j = i + 2;
            while (j < n && line[j] != u'\a' &&
                   !(line[j] == u'\x1b' && j + 1 < n && line[j + 1] == u'\\'))
                ++j;
            i = (j < n && line[j] == u'\x1b') ? j + 1 : j;
        } else {
            i += 1;
        }
    }
    while (out.endsWith(u'\r'))
        out.chop(1);
    return out;
}

namespace {

// Reads a quoted, escaped string starting at pos (which must point at '"').
// Advances pos past the closing quote.
std::optional<QString> readQuoted(QStringView s, qsizetype &pos)
{
    if (pos >= s.size() || s[pos] != u'"')
        return std::nullopt;
    QByteArray bytes;
    qsizetype i = pos + 1;
    while (i < s.size()) {
        const qsizetype runStart = i;
        while (i < s.size() && s[i] != u'"' && s[i] != u'\\')
            ++i;
        bytes.append(s.sliced(runStart, i - runStart).toUtf8());
        if (i >= s.size())
            break;
        if (s[i] == u'"') {
            pos = i + 1;
            return QString::fromUtf8(bytes);
        }
        if (i + 1 >= s.size())
            return std::nullopt;
        const QChar e = s[i + 1];
        if (e >= u'0' && e <= u'7') {
            int value = 0;
            qsizetype j = i + 1;
            for (int k = 0; k < 3 && j < s.size() && s[j] >= u'0' && s[j] <= u'7'; ++k, ++j)
                value = value * 8 + (s[j].unicode() - u'0');
            bytes.append(char(value & 0xff));
            i = j;
            continue;
        }
        switch (e.unicode()) {
        case u'n':
            bytes.append('\n');
            break;
        case u't':
            bytes.append('\t');
            break;
        case u'r':
            bytes.append('\r');
            break;
        default:
            bytes.append(QString(e).toUtf8());
            break;
        }
        i += 2;
    }
    return std::nullopt;
}

// Reads a positive decimal int at pos; fails on overflow or no digits.
std::optional<int> readInt(QStringView s, qsizetype &pos)
{
    qsizetype j = pos;
    qint64 value = 0;
    while (j < s.size() && s[j].isDigit() && s[j].unicode() < 128) {
        value = value * 10 + (s[j].unicode() - u'0');
        if (value > 100'000'000)
            return std::nullopt;
        ++j;
    }
    if (j == pos)
        return std::nullopt;
    pos = j;
    return int(value);
}

bool expect(QStringView s, qsizetype &pos, QStringView token)
{
    if (s.sliced(pos).startsWith(token)) {
        pos += token.size();
        return true;
    }
    return false;
}

} // namespace

std::optional<FixItLine> parseFixItLine(QStringView line)
{
    qsizetype pos = 0;
    if (!expect(line, pos, u"fix-it:"))
        return std::nullopt;
    const auto file = readQuoted(line, pos);
    if (!file || !expect(line, pos, u":{"))
        return std::nullopt;
    FixItLine out;
    out.file = *file;
    const auto l1 = readInt(line, pos);
    if (!l1 || !expect(line, pos, u":"))
        return std::nullopt;
    const auto c1 = readInt(line, pos);
    if (!c1 || !expect(line, pos, u"-"))
        return std::nullopt;
    const auto l2 = readInt(line, pos);
    if (!l2 || !expect(line, pos, u":"))
        return std::nullopt;
    const auto c2 = readInt(line, pos);
    if (!c2 || !expect(line, pos, u"}:"))
        return std::nullopt;
    const auto text = readQuoted(line, pos);
    if (!text || pos != line.size())
        return std::nullopt;
    out.fixIt.line = *l1;
    out.fixIt.column = *c1;
    out.fixIt.endLine = *l2;
    out.fixIt.endColumn = *c2;
    out.fixIt.replacement = *text;
    return out;
}

QString takeOptionSuffix(QString &message)
{
    if (!message.endsWith(u']'))
        return {};
    const qsizetype open = message.lastIndexOf(QStringLiteral(" ["));
    if (open < 0)
        return {};
    const QString inside = message.mid(open + 2, message.size() - open - 3);
    if (!inside.startsWith(u'-'))
        return {};
    QString option;
    for (const QString &part : inside.split(u',')) {
        if (part.startsWith(QStringLiteral("-Werror="))) {
            option = QStringLiteral("-W") + part.mid(8);
            break;
        }
        if (part != QStringLiteral("-Werror") &&
            (part.startsWith(QStringLiteral("-W")) || part.startsWith(QStringLiteral("-f")))) {
            option = part;
            break;
        }
    }
    if (option.isEmpty())
        return {};
    message.truncate(open);
    return option;
}

QString demangle(const QString &symbol)
{
#ifdef TORCHLAB_HAVE_CXXABI
    if (!symbol.startsWith(QStringLiteral("_Z")) || symbol.size() > 4096)
        return symbol;
    int status = 0;
    const QByteArray mangled = symbol.toLatin1();
    char *out = abi::__cxa_demangle(mangled.constData(), nullptr, nullptr, &status);
    if (status != 0 || !out)
        return symbol;
    const QString result = QString::fromUtf8(out);
    std::free(out);
    return result;
#else
    return symbol;
#endif
}

bool isBacktraceMessage(QStringView message)
{
    static const QStringView prefixes[] = {
        u"in instantiation of",
        u"in substitution of",
        u"required from",
        u"required by",
        u"while ",
        u"in evaluation of",
        u"in call to",
        u"during ",
        u"instantiation of",
        u"detected during",
        u"in 'constexpr' expansion",
        u"in \u2018constexpr\u2019 expansion",
        u"implicit generation of",
    };
    for (QStringView prefix : prefixes) {
        if (message.startsWith(prefix, Qt::CaseInsensitive))
            return true;
    }
    return message.endsWith(u"requested here");
}

} // namespace torchlab::diagnosticlines
