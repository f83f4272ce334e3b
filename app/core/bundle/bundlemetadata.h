#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

struct BundleAuthor
{
    QString name;  // "Ada Lovelace": the last word is the family name
    QString orcid; // "0000-0002-1825-0097", or empty
};

// How a bundle is cited: what CITATION.cff and .zenodo.json say.
struct BundleMetadata
{
    QString title;
    QList<BundleAuthor> authors;
    QString license = QStringLiteral("CC-BY-4.0"); // an SPDX id
    QString description;
    QString version;    // the pack's version
    QString dateIssued; // yyyy-MM-dd, the run's end (UTC)
    QStringList keywords;
    bool dataset = false; // Zenodo's upload_type: "dataset" instead of "software"
};

// "Name" or "Name,ORCID" (the ORCID bare or as https://orcid.org/…, its check
// digit verified). Fails with a translated message ("torchlab::BundleMetadata").
Result<BundleAuthor> parseBundleAuthor(const QString &text);
bool isValidOrcid(const QString &orcid);

// CITATION.cff, Citation File Format 1.2.0: every string double-quoted YAML.
QByteArray citationCff(const BundleMetadata &metadata);
// .zenodo.json: the "metadata" object of Zenodo's deposit API (upload_type,
// title, creators, description, license, keywords, version, publication_date).
QByteArray zenodoJson(const BundleMetadata &metadata);

} // namespace torchlab
