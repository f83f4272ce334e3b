#pragma once
// Helpers shared by the signing, install and feed tests: real minisign keys
// and signatures made at test time, and small valid packs built from the
// example fixture with a chosen id and version.

#include "core/packs/minisign.h"
#include "core/packs/packarchive.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTest>

namespace packtest {

struct ToolRun
{
    int exitCode = -1;
    QByteArray output;
};

inline ToolRun runTool(const QString &program, const QStringList &arguments, int timeoutMs = 60'000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(program, arguments);
    ToolRun r;
    if (!p.waitForStarted(timeoutMs) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.output = "did not start or finish: " + p.errorString().toUtf8();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.output = p.readAll();
    return r;
}

inline bool haveMinisign()
{
    return !QStandardPaths::findExecutable(QStringLiteral("minisign")).isEmpty();
}

struct TestKey
{
    QString publicFile;
    QString secretFile;
    torchlab::MinisignPublicKey key;
};

// An unencrypted key pair made by the real minisign tool in `dir`.
inline TestKey makeKey(const QString &dir, const QString &name)
{
    TestKey k;
    k.publicFile = dir + QLatin1Char('/') + name + QStringLiteral(".pub");
    k.secretFile = dir + QLatin1Char('/') + name + QStringLiteral(".key");
    const ToolRun r =
        runTool(QStringLiteral("minisign"),
                {QStringLiteral("-G"), QStringLiteral("-W"), QStringLiteral("-f"),
                 QStringLiteral("-p"), k.publicFile, QStringLiteral("-s"), k.secretFile});
    if (r.exitCode != 0)
        qWarning("minisign -G failed: %s", r.output.constData());
    QString error;
    if (auto key = torchlab::MinisignPublicKey::fromTextOrFile(k.publicFile, &error))
        k.key = *key;
    else
        qWarning("cannot read the key minisign made: %s", qPrintable(error));
    return k;
}

// minisign -S; returns the signature path (file + ".minisig") or "" on failure.
inline QString sign(const TestKey &key, const QString &file, const QString &trustedComment,
                    bool legacy = false)
{
    QStringList args{
        QStringLiteral("-S"), QStringLiteral("-s"), key.secretFile, QStringLiteral("-m"), file,
        QStringLiteral("-t"), trustedComment};
    if (legacy)
        args.prepend(QStringLiteral("-l"));
    const ToolRun r = runTool(QStringLiteral("minisign"), args);
    if (r.exitCode != 0) {
        qWarning("minisign -S failed: %s", r.output.constData());
        return {};
    }
    return file + QStringLiteral(".minisig");
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeAll(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

inline bool copyTree(const QString &from, const QString &to)
{
    QDir source(from);
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo &info :
         source.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        const QString dest = to + QLatin1Char('/') + info.fileName();
        if (info.isDir() ? !copyTree(info.filePath(), dest) : !QFile::copy(info.filePath(), dest))
            return false;
    }
    return true;
}

// The example fixture pack with another id and version, plus `marker` in its
// first lesson's README so that versions differ in content.
inline QString makePack(const QString &dir, const QString &id, const QString &version,
                        const QByteArray &marker = QByteArray())
{
    const QString target = dir + QStringLiteral("/pack-") + id + QLatin1Char('-') + version;
    QDir(target).removeRecursively();
    if (!copyTree(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example"), target))
        return {};
    QByteArray toml = readAll(target + QStringLiteral("/pack.toml"));
    toml.replace("id = \"org.torchlab.example\"", "id = \"" + id.toUtf8() + '"');
    toml.replace("version = \"0.2.0\"", "version = \"" + version.toUtf8() + '"');
    writeAll(target + QStringLiteral("/pack.toml"), toml);
    if (!marker.isEmpty()) {
        const QString readme = target + QStringLiteral("/01-squares/README.md");
        writeAll(readme, readAll(readme) + "\n" + marker + "\n");
    }
    return target;
}

// A built (H9's buildPackArchive) and signed archive "<id>-<version>.tar.gz" in `outDir`.
inline QString makeSignedArchive(const TestKey &key, const QString &workDir, const QString &outDir,
                                 const QString &id, const QString &version,
                                 const QByteArray &marker = QByteArray(),
                                 const QString &comment = QString())
{
    const QString pack = makePack(workDir, id, version, marker);
    QDir().mkpath(outDir);
    const QString archive =
        outDir + QLatin1Char('/') + id + QLatin1Char('-') + version + QStringLiteral(".tar.gz");
    const torchlab::BuildResult built = torchlab::buildPackArchive(pack, archive);
    if (!built.ok) {
        qWarning("buildPackArchive failed: %s", qPrintable(built.error));
        return {};
    }
    if (sign(key, archive,
             comment.isEmpty() ? QStringLiteral("pack %1 %2").arg(id, version) : comment)
            .isEmpty())
        return {};
    return archive;
}

} // namespace packtest
