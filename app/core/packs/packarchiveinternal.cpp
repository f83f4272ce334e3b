#include "core/packs/packarchiveinternal.h"

#include <QStringDecoder>

#include <archive.h>

namespace torchlab::packarchive {

QString quoted(const QString &path)
{
    // Control characters are shown escaped so that an error message cannot
    // forge lines of its own in a terminal or a log.
    QString shown;
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    if (shown.size() > 120)
        shown = shown.left(117) + QStringLiteral("...");
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

// "64 MiB" for the caps as they are set, bytes for odd test limits.
QString sizeText(qint64 bytes)
{
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
        return PackArchive::tr("%1 MiB").arg(bytes >> 20);
    return PackArchive::tr("%1 bytes").arg(bytes);
}

QString libarchiveMessage(archive *a)
{
    // Some of libarchive's messages end in a newline or a full stop; ours add one.
    QString text = QString::fromUtf8(archive_error_string(a)).trimmed();
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text.isEmpty() ? PackArchive::tr("no details from libarchive") : text;
}

QString checkPath(const QByteArray &raw, const ExtractLimits &limits, bool *isDirectoryName,
                  QStringList *components)
{
    *isDirectoryName = raw.endsWith('/');
    components->clear();
    if (raw.isEmpty())
        return PackArchive::tr("has an empty name");
    for (const char byte : raw) {
        const auto c = static_cast<unsigned char>(byte);
        if (c < 0x20 || c == 0x7f)
            return PackArchive::tr("contains a control character");
        if (c == '\\')
            return PackArchive::tr(
                "contains a backslash (a Windows path that could leave the pack's folder)");
        if (c == ':')
            return PackArchive::tr("contains ':' (a drive letter or an alternate data stream)");
    }
    if (raw.startsWith('/'))
        return PackArchive::tr("is an absolute path");
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString name = decoder.decode(raw);
    if (decoder.hasError())
        return PackArchive::tr("is not valid UTF-8");
    if (raw.size() > limits.maxPathLength)
        return PackArchive::tr("is longer than %1 bytes").arg(limits.maxPathLength);

    const QStringList parts = name.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts[i];
        if (part.isEmpty()) {
            if (i == parts.size() - 1 && *isDirectoryName)
                continue; // the trailing slash of a folder entry
            return PackArchive::tr("has an empty path component (\"//\")");
        }
        if (part == QLatin1String(".."))
            return PackArchive::tr("contains \"..\" (it would leave the pack's folder)");
        if (part == QLatin1String("."))
            continue; // "./pack.toml", as `tar -C dir .` writes it
        if (part.toUtf8().size() > 255)
            return PackArchive::tr("has a name longer than 255 bytes");
        components->append(part);
    }
    if (components->size() > limits.maxDepth)
        return PackArchive::tr("is nested deeper than %1 folders").arg(limits.maxDepth);
    return QString();
}

} // namespace torchlab::packarchive
