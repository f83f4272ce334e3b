#pragma once

// The lab's zh_CN catalogue (and Qt's) installed for as long as this lives,
// as `--lang zh_CN` does; the translators and the default locale go again at
// the end of the scope, so the next test function runs in English.

#include "core/util/uilanguage.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace torchlab::testing {

class UiChinese
{
public:
    UiChinese()
        : m_loaded(UiLanguage::install(*QCoreApplication::instance(), QStringLiteral("zh_CN")))
    {
    }
    ~UiChinese()
    {
        for (QTranslator *translator :
             QCoreApplication::instance()->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
        QLocale::setDefault(QLocale::c());
    }
    UiChinese(const UiChinese &) = delete;
    UiChinese &operator=(const UiChinese &) = delete;

    // The catalogues loaded: ":/i18n/torchlab_zh_CN.qm" first.
    const QStringList &loaded() const { return m_loaded; }

private:
    QStringList m_loaded;
};

} // namespace torchlab::testing
