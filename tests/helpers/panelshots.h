#pragma once

// Screenshots of the panels for a person to look at: saved under
// $TORCHLAB_SHOT_DIR when set (as the editor tests do), else under
// <build>/tests/screenshots. Writing them is part of the test so a widget
// that cannot render fails here rather than in a screenshot script.

#include <QDir>
#include <QTest>
#include <QWidget>

namespace panelshots {

inline QString directory()
{
    const QString env = qEnvironmentVariable("TORCHLAB_SHOT_DIR");
    return env.isEmpty() ? QStringLiteral(TORCHLAB_TEST_BINARY_DIR "/screenshots") : env;
}

inline bool save(QWidget &widget, const QString &name)
{
    const QString dir = directory();
    QDir().mkpath(dir);
    return widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace panelshots
