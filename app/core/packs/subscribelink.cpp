#include "core/packs/subscribelink.h"

#include <QCoreApplication>
#include <QHash>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::SubscribeLink)
};

constexpr int MaxLinkChars = 8192;
constexpr int MaxNameChars = 200;

std::optional<SubscribeLink> refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

bool hasControlCharacters(const QString &text)
{
    for (const QChar c : text)
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            return true;
    return false;
}

} // namespace

std::optional<SubscribeLink> SubscribeLink::parse(const QString &text, QString *error)
{
    const QString link = text.trimmed();
    if (link.size() > MaxLinkChars)
        return refuse(error, Tr::tr("The link is too long to be a TorchLab subscription link."));
    // Parsed by hand rather than with QUrl/QUrlQuery: a raw '+' in the key must
    // stay a '+', and the feed's own percent-encoded '&' and '=' must not split it.
    static const QString Scheme = QStringLiteral("torchlab:");
    if (!link.startsWith(Scheme, Qt::CaseInsensitive))
        return refuse(
            error, Tr::tr("This is not a TorchLab link; it must start with torchlab://subscribe?"));
    QString rest = link.mid(Scheme.size());
    if (rest.startsWith(QLatin1String("//")))
        rest = rest.mid(2);
    const qsizetype question = rest.indexOf(QLatin1Char('?'));
    const QString action = question < 0 ? rest : rest.left(question);
    if (action.compare(QLatin1String("subscribe"), Qt::CaseInsensitive) != 0 &&
        action.compare(QLatin1String("subscribe/"), Qt::CaseInsensitive) != 0)
        return refuse(error, Tr::tr("This TorchLab link does not subscribe to a feed; only "
                                    "torchlab://subscribe?… links are understood."));
    QString query = question < 0 ? QString() : rest.mid(question + 1);
    if (const qsizetype hash = query.indexOf(QLatin1Char('#')); hash >= 0)
        query.truncate(hash);

    QHash<QString, QString> values;
    for (const QString &pair : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const QString name = (eq < 0 ? pair : pair.left(eq)).toLower();
        const QString value =
            eq < 0 ? QString() : QUrl::fromPercentEncoding(pair.mid(eq + 1).toUtf8());
        // Unknown parameters are left for later versions of the link format.
        if (name != QLatin1String("feed") && name != QLatin1String("key") &&
            name != QLatin1String("name"))
            continue;
        if (values.contains(name))
            return refuse(
                error, Tr::tr("The link gives \"%1\" more than once; it is ambiguous.").arg(name));
        values.insert(name, value);
    }

    const QString feedText = values.value(QStringLiteral("feed")).trimmed();
    if (feedText.isEmpty())
        return refuse(error,
                      Tr::tr("The link does not say which feed to subscribe to (no feed=)."));
    const QString keyText = values.value(QStringLiteral("key")).trimmed();
    if (keyText.isEmpty())
        return refuse(error,
                      Tr::tr("The link does not carry the instructor's public key (no key=)."));

    SubscribeLink result;
    result.feed = QUrl(feedText, QUrl::StrictMode);
    if (!result.feed.isValid() ||
        (result.feed.scheme() != QLatin1String("http") &&
         result.feed.scheme() != QLatin1String("https")) ||
        result.feed.host().isEmpty())
        return refuse(error, Tr::tr("The feed in the link is not an http or https address: %1")
                                 .arg(feedText.left(200)));
    if (!result.feed.userInfo().isEmpty())
        return refuse(error, Tr::tr("The feed address in the link contains a user name or "
                                    "password; TorchLab does not accept such links."));

    // base64 has no spaces: a space can only be a '+' that a link handler
    // decoded as form data, so it is put back.
    QString keyLine = keyText;
    if (!keyLine.contains(QLatin1Char('\n')))
        keyLine.replace(QLatin1Char(' '), QLatin1Char('+'));
    QString keyError;
    const auto key = MinisignPublicKey::parse(keyLine, &keyError);
    if (!key)
        return refuse(error, Tr::tr("The key in the link is not valid: %1").arg(keyError));
    result.key = *key;

    result.name = values.value(QStringLiteral("name")).trimmed();
    if (result.name.size() > MaxNameChars)
        return refuse(
            error, Tr::tr("The name in the link is longer than %1 characters.").arg(MaxNameChars));
    if (hasControlCharacters(result.name))
        return refuse(error, Tr::tr("The name in the link contains control characters."));
    if (error)
        error->clear();
    return result;
}

QString SubscribeLink::toString() const
{
    QString link = QStringLiteral("torchlab://subscribe?feed=") +
                   QString::fromLatin1(QUrl::toPercentEncoding(feed.toString(QUrl::FullyEncoded))) +
                   QStringLiteral("&key=") +
                   QString::fromLatin1(QUrl::toPercentEncoding(key.toBase64()));
    if (!name.isEmpty())
        link += QStringLiteral("&name=") + QString::fromLatin1(QUrl::toPercentEncoding(name));
    return link;
}

} // namespace torchlab
