#pragma once
// Shared by the torchlab-cli tests: run the real binary (TORCHLAB_CLI) the way
// a user does, optionally with a student's XDG home, and the instructor's
// build-and-sign steps.

#include "helpers/packtestutil.h"

#include <QDir>
#include <QDirIterator>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace clitest {

struct Result
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

// `home`, when set, holds the student's XDG data, config and cache folders.
inline Result cli(const QStringList &args, const QString &workingDirectory = QString(),
                  const QString &home = QString())
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString cache = qEnvironmentVariable("TORCHLAB_TEST_PCH_CACHE");
    if (!cache.isEmpty())
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cache);
    if (!home.isEmpty()) {
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
    }
    env.remove(QStringLiteral("TORCHLAB_DEVICE"));
    p.setProcessEnvironment(env);
    // minisign reads a password from the terminal only for protected keys; the
    // test keys have none, and a prompt would end at once instead of hanging.
    p.setStandardInputFile(QProcess::nullDevice());
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    p.start(QStringLiteral(TORCHLAB_CLI), args);
    if (!p.waitForFinished(600'000)) {
        p.kill();
        p.waitForFinished();
    }
    Result r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    if (p.error() == QProcess::FailedToStart)
        r.err += "cannot start " TORCHLAB_CLI ": " + p.errorString().toUtf8();
    return r;
}

inline QStringList args(std::initializer_list<const char *> words)
{
    QStringList list;
    for (const char *w : words)
        list.append(QString::fromUtf8(w));
    return list;
}

// Every file under `dir` (relative path -> bytes), to show that nothing changed.
inline QMap<QString, QByteArray> snapshot(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(path.mid(dir.size() + 1), packtest::readAll(path));
    }
    return files;
}

// The instructor's side, run as instructors do: pack new (with `version`
// written into pack.toml and `marker` appended to the lesson's README),
// pack build -o <outDir>/<id>-<version>.tar.gz and pack sign --key. Returns
// the archive path, or "" (with a warning saying which step failed).
inline QString buildAndSign(const QString &work, const QString &id, const QString &version,
                            const QString &secretKey, const QByteArray &marker,
                            const QString &outDir)
{
    const QString folder = QStringLiteral("src-") + version;
    QDir().mkpath(work);
    Result r = cli(
        {QStringLiteral("pack"), QStringLiteral("new"), folder, QStringLiteral("--id"), id}, work);
    if (r.code != 0) {
        qWarning("pack new: %s", r.err.constData());
        return {};
    }
    const QString manifest = work + QLatin1Char('/') + folder + QStringLiteral("/pack.toml");
    QByteArray toml = packtest::readAll(manifest);
    toml.replace("version = \"0.1.0\"", "version = \"" + version.toUtf8() + '"');
    const QString readme =
        work + QLatin1Char('/') + folder + QStringLiteral("/01-first-lesson/README.md");
    if (!packtest::writeAll(manifest, toml) ||
        !packtest::writeAll(readme, packtest::readAll(readme) + "\n" + marker + "\n"))
        return {};
    QDir().mkpath(outDir);
    const QString archive =
        outDir + QLatin1Char('/') + id + QLatin1Char('-') + version + QStringLiteral(".tar.gz");
    r = cli(
        {QStringLiteral("pack"), QStringLiteral("build"), folder, QStringLiteral("-o"), archive},
        work);
    if (r.code != 0) {
        qWarning("pack build: %s", r.err.constData());
        return {};
    }
    r = cli({QStringLiteral("pack"), QStringLiteral("sign"), archive, QStringLiteral("--key"),
             secretKey},
            work);
    if (r.code != 0 || r.out != (archive + QStringLiteral(".minisig: pack ") + id +
                                 QLatin1Char(' ') + version + QLatin1Char('\n'))
                                    .toUtf8()) {
        qWarning("pack sign (%d): %s%s", r.code, r.out.constData(), r.err.constData());
        return {};
    }
    return archive;
}

} // namespace clitest
