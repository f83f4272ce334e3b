#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace torchlab {

// The UI language: our own strings (torchlab_<lang>.qm, embedded under
// :/i18n) and Qt's (qtbase_<lang>.qm from Qt's translations folder).
namespace UiLanguage {

// "en" and "zh_CN": the languages the lab window is offered in.
QStringList available();
// `requested` when it is one of available(), else "en" ("zh" and "zh-CN" count as zh_CN).
QString normalized(const QString &requested);
// Installs the translators for `language` on `app` (none for English) and sets
// the default QLocale. Returns the files that were loaded, for logs and tests.
QStringList install(QCoreApplication &app, const QString &language);

} // namespace UiLanguage

} // namespace torchlab
