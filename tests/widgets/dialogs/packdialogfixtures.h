#pragma once

// Keys and files for the pack dialog tests. The dialogs only parse keys (no
// signature is checked here), so any 32 bytes make a well-formed key.

#include "core/packs/minisign.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

namespace packdialogfixtures {

inline torchlab::MinisignPublicKey key(char seed = 'a')
{
    const QByteArray raw = QByteArrayLiteral("Ed") + QByteArray(8, seed) + QByteArray(32, 'k');
    const auto parsed = torchlab::MinisignPublicKey::parse(QString::fromLatin1(raw.toBase64()));
    Q_ASSERT(parsed);
    return *parsed;
}

// What `minisign -G` writes to minisign.pub.
inline QByteArray pubFile(const torchlab::MinisignPublicKey &k)
{
    return "untrusted comment: minisign public key " + k.keyIdHex().toLatin1() + '\n' +
           k.toBase64().toLatin1() + '\n';
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace packdialogfixtures
