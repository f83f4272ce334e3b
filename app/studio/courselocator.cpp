#include "studio/courselocator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace torchlab {

namespace {

bool holdsPack(const QString &directory)
{
    return !directory.isEmpty() && QFileInfo::exists(directory + QStringLiteral("/pack.toml"));
}

QString installedCourse()
{
    // <prefix>/bin/torchlab -> <prefix>/share/torchlab/course
    const QString appDir =
        QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QDir::currentPath();
    return QDir::cleanPath(appDir + QStringLiteral("/../") +
                           QStringLiteral(TORCHLAB_INSTALL_COURSE_DIR));
}

} // namespace

QString locateCourse(const QString &explicitDirectory)
{
    // A folder the user named wins even when it is wrong: loading it then
    // reports what is missing instead of silently opening another course.
    if (!explicitDirectory.isEmpty())
        return QDir(explicitDirectory).absolutePath();
    const QString fromEnv = qEnvironmentVariable("TORCHLAB_COURSE");
    if (!fromEnv.isEmpty())
        return QDir(fromEnv).absolutePath();
    const QString installed = installedCourse();
    if (holdsPack(installed))
        return installed;
    const QString source = QStringLiteral(TORCHLAB_SOURCE_COURSE_DIR);
    if (holdsPack(source))
        return source;
    return installed;
}

} // namespace torchlab
