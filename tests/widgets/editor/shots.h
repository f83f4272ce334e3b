#pragma once

#include <QDir>
#include <QWidget>

// Saves a PNG of a widget when TORCHLAB_SHOT_DIR names a folder, so a person
// can look at what the tests built; does nothing otherwise.
inline void saveShot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("TORCHLAB_SHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    widget->grab().save(dir + u'/' + name + QStringLiteral(".png"));
}
