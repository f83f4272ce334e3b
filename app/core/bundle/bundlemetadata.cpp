#include "core/bundle/bundlemetadata.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace torchlab {

namespace {

struct BundleMetadataText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::BundleMetadata)
};

// A YAML double-quoted scalar: backslash, quote and control characters escaped.
QByteArray yamlString(const QString &text)
{
    QByteArray out = "\"";
    for (const char c : text.toUtf8()) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += "\\x" +
                   QByteArray::number(static_cast<unsigned char>(c), 16).rightJustified(2, '0');
        } else {
            out += c;
        }
    }
    return out + '"';
}

// "Ada King Lovelace" -> {"Ada King", "Lovelace"}; one word is a family name.
QPair<QString, QString> splitName(const QString &name)
{
    const QString n = name.simplified();
    const qsizetype space = n.lastIndexOf(QLatin1Char(' '));
    if (space < 0)
        return {QString(), n};
    return {n.left(space), n.mid(space + 1)};
}

} // namespace

bool isValidOrcid(const QString &orcid)
{
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{4}-\\d{4}-\\d{3}[\\dX]$"));
    if (!shape.match(orcid).hasMatch())
        return false;
    // ISO 7064 MOD 11-2 over the first 15 digits.
    int total = 0;
    for (const QChar c : orcid.left(18))
        if (c.isDigit())
            total = (total + c.digitValue()) * 2;
    const int result = (12 - total % 11) % 11;
    const QChar check = result == 10 ? QLatin1Char('X') : QChar(u'0' + result);
    return orcid.back() == check;
}

Result<BundleAuthor> parseBundleAuthor(const QString &text)
{
    const qsizetype comma = text.lastIndexOf(QLatin1Char(','));
    BundleAuthor author;
    author.name = (comma < 0 ? text : text.left(comma)).simplified();
    if (comma >= 0) {
        author.orcid = text.mid(comma + 1).trimmed();
        author.orcid.remove(QRegularExpression(QStringLiteral("^https?://orcid\\.org/")));
    }
    if (author.name.isEmpty())
        return fail(BundleMetadataText::tr("An author needs a name (\"Name\" or \"Name,ORCID\")."));
    if (!author.orcid.isEmpty() && !isValidOrcid(author.orcid))
        return fail(BundleMetadataText::tr("%1 is not an ORCID iD (0000-0002-1825-0097).")
                        .arg(author.orcid));
    return author;
}

QByteArray citationCff(const BundleMetadata &m)
{
    QByteArray out;
    out += "cff-version: 1.2.0\n";
    out += "message: " +
           yamlString(QStringLiteral("If you use this run, please cite it using these metadata.")) +
           "\n";
    out += "type: " + QByteArray(m.dataset ? "dataset" : "software") + "\n";
    out += "title: " + yamlString(m.title) + "\n";
    out += "authors:\n";
    for (const BundleAuthor &a : m.authors) {
        const auto [given, family] = splitName(a.name);
        if (given.isEmpty()) {
            out += "  - name: " + yamlString(family) + "\n";
        } else {
            out += "  - family-names: " + yamlString(family) + "\n";
            out += "    given-names: " + yamlString(given) + "\n";
        }
        if (!a.orcid.isEmpty())
            out +=
                "    orcid: " + yamlString(QStringLiteral("https://orcid.org/") + a.orcid) + "\n";
    }
    if (m.authors.isEmpty())
        out += "  - name: \"anonymous\"\n";
    if (!m.description.isEmpty())
        out += "abstract: " + yamlString(m.description) + "\n";
    out += "version: " + yamlString(m.version) + "\n";
    out += "date-released: " + yamlString(m.dateIssued) + "\n";
    out += "license: " + yamlString(m.license) + "\n";
    if (!m.keywords.isEmpty()) {
        out += "keywords:\n";
        for (const QString &k : m.keywords)
            out += "  - " + yamlString(k) + "\n";
    }
    return out;
}

QByteArray zenodoJson(const BundleMetadata &m)
{
    QJsonArray creators;
    for (const BundleAuthor &a : m.authors) {
        const auto [given, family] = splitName(a.name);
        QJsonObject c{{QStringLiteral("name"),
                       given.isEmpty() ? family : family + QStringLiteral(", ") + given}};
        if (!a.orcid.isEmpty())
            c.insert(QStringLiteral("orcid"), a.orcid);
        creators.append(c);
    }
    const QJsonObject doc{
        {QStringLiteral("upload_type"),
         m.dataset ? QStringLiteral("dataset") : QStringLiteral("software")},
        {QStringLiteral("title"), m.title},
        {QStringLiteral("creators"), creators},
        {QStringLiteral("description"), m.description.isEmpty() ? m.title : m.description},
        {QStringLiteral("license"), m.license.toLower()}, // Zenodo's ids: "cc-by-4.0"
        {QStringLiteral("keywords"), QJsonArray::fromStringList(m.keywords)},
        {QStringLiteral("version"), m.version},
        {QStringLiteral("publication_date"), m.dateIssued},
        {QStringLiteral("access_right"), QStringLiteral("open")},
    };
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

} // namespace torchlab
