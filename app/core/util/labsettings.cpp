#include "core/util/labsettings.h"

#include "core/util/labpaths.h"

#include <QSettings>

#include <cmath>

namespace torchlab {

namespace {

const QString kLibtorch = QStringLiteral("toolchain/libtorch");
const QString kCompiler = QStringLiteral("toolchain/compiler");
const QString kDevice = QStringLiteral("run/device");
const QString kTimeScale = QStringLiteral("run/timeScale");
const QString kMemoryMb = QStringLiteral("run/memoryMb");
const QString kQuick = QStringLiteral("run/quick");
const QString kSandbox = QStringLiteral("run/sandbox");
const QString kPrometheus = QStringLiteral("monitor/prometheus");
const QString kBuildWhileTyping = QStringLiteral("run/buildWhileTyping");
const QString kTarget = QStringLiteral("run/target");
const QString kDeclinedTargets = QStringLiteral("run/declinedTargets");
const QString kTheme = QStringLiteral("ui/theme");
const QString kLanguage = QStringLiteral("ui/language");
const QString kFontSize = QStringLiteral("editor/fontSize");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kSplitter = QStringLiteral("window/splitter");
const QString kLastPack = QStringLiteral("course/lastPack");
const QString kLastLesson = QStringLiteral("course/lastLesson");

// A number from the file, or nullopt when it is missing or not a finite number
// (the INI file is text a user may edit).
std::optional<double> number(const QSettings &s, const QString &key)
{
    if (!s.contains(key))
        return std::nullopt;
    bool ok = false;
    const double v = s.value(key).toString().trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

} // namespace

QString LabSettings::filePath()
{
    return LabPaths::configDir() + QStringLiteral("/torchlab.conf");
}

LabSettings LabSettings::load()
{
    const QSettings s(filePath(), QSettings::IniFormat);
    LabSettings out;
    out.libtorch = s.value(kLibtorch).toString();
    out.compiler = s.value(kCompiler).toString();
    const QString device = s.value(kDevice).toString();
    if (device == QLatin1String("cpu") || device == QLatin1String("cuda") ||
        device == QLatin1String("auto"))
        out.device = device;
    if (const auto v = number(s, kTimeScale))
        out.timeScale = std::clamp(*v, MinTimeScale, MaxTimeScale);
    if (const auto v = number(s, kMemoryMb))
        out.memoryMb = *v <= 0 ? 0 : int(std::clamp(*v, double(MinMemoryMb), double(MaxMemoryMb)));
    if (const auto v = number(s, kFontSize))
        out.editorFontSize = int(std::clamp(*v, double(MinFontSize), double(MaxFontSize)));
    out.theme = themeFromName(s.value(kTheme).toString());
    const QString language = s.value(kLanguage).toString();
    if (language == QLatin1String("en") || language == QLatin1String("zh_CN"))
        out.language = language;
    out.quickRuns = s.value(kQuick, false).toBool();
    out.buildWhileTyping = s.value(kBuildWhileTyping, true).toBool();
    out.sandbox = sandboxModeFromName(s.value(kSandbox).toString());
    out.runTarget = s.value(kTarget).toString();
    out.prometheusAddress = s.value(kPrometheus).toString().trimmed().left(300);
    if (out.runTarget == QLatin1String("local"))
        out.runTarget.clear();
    out.declinedTargets = s.value(kDeclinedTargets).toStringList().mid(0, 100);
    out.windowGeometry = s.value(kGeometry).toByteArray();
    out.windowState = s.value(kState).toByteArray();
    out.splitterState = s.value(kSplitter).toByteArray();
    out.lastPack = s.value(kLastPack).toString();
    out.lastLesson = s.value(kLastLesson).toString();
    return out;
}

bool LabSettings::save() const
{
    QSettings s(filePath(), QSettings::IniFormat);
    s.setValue(kLibtorch, libtorch);
    s.setValue(kCompiler, compiler);
    s.setValue(kDevice, device);
    s.setValue(kTimeScale, timeScale);
    s.setValue(kMemoryMb, memoryMb);
    s.setValue(kQuick, quickRuns);
    s.setValue(kBuildWhileTyping, buildWhileTyping);
    s.setValue(kSandbox, sandboxModeName(sandbox));
    s.setValue(kTarget, runTarget);
    s.setValue(kPrometheus, prometheusAddress);
    s.setValue(kDeclinedTargets, declinedTargets);
    s.setValue(kTheme, themeName(theme));
    s.setValue(kLanguage, language);
    s.setValue(kFontSize, editorFontSize);
    s.setValue(kGeometry, windowGeometry);
    s.setValue(kState, windowState);
    s.setValue(kSplitter, splitterState);
    s.setValue(kLastPack, lastPack);
    s.setValue(kLastLesson, lastLesson);
    s.sync();
    return s.status() == QSettings::NoError;
}

QString LabSettings::themeName(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QStringLiteral("system");
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    }
    return QStringLiteral("system");
}

LabSettings::Theme LabSettings::themeFromName(const QString &name)
{
    for (Theme t : {Theme::Light, Theme::Dark})
        if (themeName(t) == name)
            return t;
    return Theme::System;
}

QString LabSettings::languageFor(const QLocale &locale)
{
    // Only Simplified Chinese is translated; it serves every Chinese locale
    // better than English does.
    return locale.language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
}

QString LabSettings::effectiveLanguage() const
{
    return language.isEmpty() ? languageFor(QLocale::system()) : language;
}

} // namespace torchlab
