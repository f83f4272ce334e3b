#include "core/util/labpaths.h"

#include "core/labconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace torchlab::LabPaths {

namespace {

// QStandardPaths would do, but it adds the application name chosen by whoever
// created the QCoreApplication (or none in some tests); one explicit rule is
// easier to reason about and to document.
QString xdgDir(const char *variable, const QString &fallbackUnderHome)
{
    QString base = qEnvironmentVariable(variable);
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QLatin1Char('/') + fallbackUnderHome;
    const QString dir = base + QStringLiteral("/torchlab");
    QDir().mkpath(dir);
    return dir;
}

} // namespace

QString cacheDir()
{
    return xdgDir("XDG_CACHE_HOME", QStringLiteral(".cache"));
}
QString configDir()
{
    return xdgDir("XDG_CONFIG_HOME", QStringLiteral(".config"));
}
QString dataDir()
{
    return xdgDir("XDG_DATA_HOME", QStringLiteral(".local/share"));
}

QString sdkIncludeDir()
{
    const QString fromEnv = qEnvironmentVariable("TORCHLAB_SDK_INCLUDE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    // Installed layout: <prefix>/bin/torchlab-cli and <prefix>/share/torchlab/include.
    if (QCoreApplication::instance()) {
        const QString installed =
            QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../") +
                            QStringLiteral(TORCHLAB_SDK_INSTALL_DIR));
        if (QFileInfo::exists(installed + QStringLiteral("/torchlab/lab.h")))
            return installed;
    }
    return QStringLiteral(TORCHLAB_SDK_SOURCE_DIR);
}

} // namespace torchlab::LabPaths
