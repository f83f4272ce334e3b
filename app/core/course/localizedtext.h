#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace torchlab {

// A text in several languages, keyed by a language code ("en", "zh_CN").
using LocalizedText = QHash<QString, QString>;

namespace Languages {
// Every pack must provide these for each title, text, hint and message.
QStringList required(); // {"en", "zh_CN"}
// The language used when the wanted one is missing.
inline QString fallback()
{
    return QStringLiteral("en");
}
// True for codes shaped like "en", "zh_CN", "pt_BR".
bool isLanguageCode(const QString &code);
} // namespace Languages

// The text in `language`, else in English, else any non-empty one, else empty.
QString localized(const LocalizedText &text, const QString &language);

} // namespace torchlab
