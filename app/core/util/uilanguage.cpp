#include "core/util/uilanguage.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace torchlab::UiLanguage {

QStringList available()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString normalized(const QString &requested)
{
    QString code = requested.trimmed();
    code.replace(QLatin1Char('-'), QLatin1Char('_'));
    if (code.compare(QLatin1String("zh"), Qt::CaseInsensitive) == 0 ||
        code.compare(QLatin1String("zh_CN"), Qt::CaseInsensitive) == 0 ||
        code.compare(QLatin1String("zh_Hans"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("zh_CN");
    return QStringLiteral("en");
}

QStringList install(QCoreApplication &app, const QString &language)
{
    QLocale::setDefault(QLocale(language));
    QStringList loaded;
    if (language == QLatin1String("en"))
        return loaded;
    // The translators live as long as the application: they are its children.
    auto *ours = new QTranslator(&app);
    const QString ourFile = QStringLiteral(":/i18n/torchlab_%1.qm").arg(language);
    if (ours->load(ourFile)) {
        QCoreApplication::installTranslator(ours);
        loaded << ourFile;
    } else {
        delete ours;
    }
    auto *qt = new QTranslator(&app);
    const QString qtDir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    if (qt->load(QStringLiteral("qtbase_") + language, qtDir)) {
        QCoreApplication::installTranslator(qt);
        loaded << qtDir + QStringLiteral("/qtbase_") + language + QStringLiteral(".qm");
    } else {
        delete qt;
    }
    return loaded;
}

} // namespace torchlab::UiLanguage
