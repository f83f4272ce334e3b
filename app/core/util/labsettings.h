#pragma once

#include "core/run/sandbox.h"
#include <QByteArray>
#include <QLocale>
#include <QString>
#include <QStringList>

namespace torchlab {

// The learner's settings, a plain value. Stored with QSettings (INI) in
// LabPaths::configDir() + "/torchlab.conf", so XDG_CONFIG_HOME moves it.
struct LabSettings
{
    enum class Theme
    {
        System,
        Light,
        Dark
    };

    QString libtorch;                        // install root or id; empty: choose automatically
    QString compiler;                        // compiler path; empty: choose automatically
    QString device = QStringLiteral("auto"); // "auto", "cpu", "cuda"
    double timeScale = 1.0;                  // multiplies each lesson's time limit (0.5 .. 10)
    int memoryMb = 0;                        // 0: the lesson's own limit; else caps it
    Theme theme = Theme::System;
    QString language;             // "en", "zh_CN"; empty: from the system locale
    int editorFontSize = 11;      // points (6 .. 40)
    bool quickRuns = false;       // TORCHLAB_QUICK=1 for runs and checks (fewer training steps)
    bool buildWhileTyping = true; // compile the code in the background once typing pauses
    SandboxMode sandbox = SandboxMode::Auto; // how learners' and packs' programs are held
    QString runTarget;           // where runs happen: empty (this computer) or a target's name
    QStringList declinedTargets; // "pack id:host" of pack-suggested targets the learner declined
    // Where runs' metrics are served to Prometheus ("127.0.0.1:9477"); empty: not served.
    QString prometheusAddress;

    // Window state kept between sessions.
    QByteArray windowGeometry;
    QByteArray windowState;
    QByteArray splitterState;
    QString lastPack;
    QString lastLesson;

    static LabSettings load(); // defaults where nothing is stored or a value is unreadable;
                               // numbers out of range are clamped to the bounds below
    bool save() const;         // false when the file cannot be written
    static QString filePath();

    static QString themeName(Theme theme);           // "system", "light", "dark"
    static Theme themeFromName(const QString &name); // System for anything unknown
    // The language to use: `language` when set, else zh_CN for a Chinese system locale, else en.
    QString effectiveLanguage() const;
    // The UI language for a system locale: "zh_CN" for any Chinese locale, else "en".
    static QString languageFor(const QLocale &locale);

    // Bounds load() clamps to.
    static constexpr double MinTimeScale = 0.5;
    static constexpr double MaxTimeScale = 10.0;
    static constexpr int MinMemoryMb = 64;      // for a non-zero cap
    static constexpr int MaxMemoryMb = 1 << 20; // 1 TiB
    static constexpr int MinFontSize = 6;
    static constexpr int MaxFontSize = 40;
};

} // namespace torchlab
