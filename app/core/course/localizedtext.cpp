#include "core/course/localizedtext.h"

#include <QRegularExpression>

namespace torchlab {

QStringList Languages::required()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

bool Languages::isLanguageCode(const QString &code)
{
    static const QRegularExpression re(QStringLiteral("^[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?$"));
    return re.match(code).hasMatch();
}

QString localized(const LocalizedText &text, const QString &language)
{
    if (const QString t = text.value(language); !t.isEmpty())
        return t;
    if (const QString t = text.value(Languages::fallback()); !t.isEmpty())
        return t;
    QStringList keys = text.keys();
    keys.sort(); // QHash order varies between runs; the choice should not
    for (const QString &key : std::as_const(keys))
        if (!text.value(key).isEmpty())
            return text.value(key);
    return QString();
}

} // namespace torchlab
