#include "core/console/outputlinks.h"

#include <QRegularExpression>

namespace torchlab {

namespace {

QStringView fileNameOf(QStringView path)
{
    const qsizetype slash = qMax(path.lastIndexOf(u'/'), path.lastIndexOf(u'\\'));
    return slash < 0 ? path : path.mid(slash + 1);
}

const QRegularExpression &locationPattern()
{
    // A path is a run of characters that never appear around a path in
    // compiler or runtime output: whitespace, ':', brackets, quotes (also
    // gcc's typographic ones), ',' and ';', and full-width ':' and brackets
    // (Chinese text around a location). Then ":line[:col]" or nvcc's "(line)";
    // numbers longer than nine digits are not locations.
    static const QRegularExpression re(
        QStringLiteral(
            R"(([^\s:()\[\]{}<>'"`‘’“”,;|：（）]+)(?::(\d{1,9})(?!\d)(?::(\d{1,9})(?!\d))?|\((\d{1,9})\)))"),
        QRegularExpression::UseUnicodePropertiesOption);
    return re;
}

} // namespace

QList<OutputLink> findOutputLinks(QStringView line, const QStringList &learnerFiles)
{
    QList<OutputLink> links;
    if (learnerFiles.isEmpty() || line.isEmpty())
        return links;

    // Most output lines name no learner file at all; skip the regex for them.
    bool mentioned = false;
    for (const QString &file : learnerFiles) {
        const QStringView name = fileNameOf(file);
        if (!name.isEmpty() && line.contains(name)) {
            mentioned = true;
            break;
        }
    }
    if (!mentioned)
        return links;

    auto it = locationPattern().globalMatch(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QStringView name = fileNameOf(m.capturedView(1));
        const QString *learner = nullptr;
        for (const QString &file : learnerFiles) {
            if (fileNameOf(file) == name) {
                learner = &file;
                break;
            }
        }
        if (!learner)
            continue;
        const bool nvcc = m.hasCaptured(4);
        const int lineNumber = (nvcc ? m.capturedView(4) : m.capturedView(2)).toInt();
        if (lineNumber <= 0)
            continue;
        OutputLink link;
        link.start = m.capturedStart(0);
        link.length = m.capturedLength(0);
        link.file = *learner;
        link.line = lineNumber;
        link.column = m.hasCaptured(3) ? m.capturedView(3).toInt() : 0;
        links.append(link);
    }
    return links;
}

} // namespace torchlab
