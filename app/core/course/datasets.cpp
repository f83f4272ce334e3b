#include "core/course/datasets.h"

#include "core/util/labpaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

#include <zlib.h>

namespace torchlab::Datasets {

namespace {

const char *const kFashionFiles[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                     "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// IDX files start with two zero bytes, a type byte (0x08: unsigned bytes)
// and the number of dimensions; anything else is a broken unpack.
bool looksLikeIdx(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.read(4);
    return head.size() == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 &&
           (head[3] == 1 || head[3] == 3);
}

// Decompresses `from` (gzip) into `to` through a temporary file and a rename.
QString gunzip(const QString &from, const QString &to)
{
    gzFile in = gzopen(QFile::encodeName(from).constData(), "rb");
    if (!in)
        return QStringLiteral("cannot open %1").arg(from);
    const QString tmp =
        to + QStringLiteral(".part-") + QUuid::createUuid().toString(QUuid::Id128).left(8);
    QFile out(tmp);
    if (!out.open(QIODevice::WriteOnly)) {
        gzclose(in);
        return QStringLiteral("cannot write %1: %2").arg(tmp, out.errorString());
    }
    QByteArray buffer(1 << 16, Qt::Uninitialized);
    QString error;
    for (;;) {
        const int n = gzread(in, buffer.data(), unsigned(buffer.size()));
        if (n < 0) {
            int code = 0;
            error = QStringLiteral("%1 is damaged: %2")
                        .arg(from, QString::fromUtf8(gzerror(in, &code)));
            break;
        }
        if (n == 0)
            break;
        if (out.write(buffer.constData(), n) != n) {
            error = QStringLiteral("cannot write %1: %2").arg(tmp, out.errorString());
            break;
        }
    }
    gzclose(in);
    if (error.isEmpty() && !out.flush())
        error = QStringLiteral("cannot write %1: %2").arg(tmp, out.errorString());
    out.close();
    if (error.isEmpty() && !looksLikeIdx(tmp))
        error = QStringLiteral("%1 does not hold an IDX file").arg(from);
    if (error.isEmpty()) {
        QFile::remove(to); // rename() does not replace; a reader sees old, then new
        if (!QFile::rename(tmp, to))
            error = QStringLiteral("cannot rename %1 to %2").arg(tmp, to);
    }
    if (!error.isEmpty())
        QFile::remove(tmp);
    return error;
}

} // namespace

QString root(const QProcessEnvironment &environment)
{
    const QString fromEnv = environment.value(QStringLiteral("TORCHLAB_DATA"));
    if (!fromEnv.isEmpty())
        return fromEnv;
    return LabPaths::dataDir() + QStringLiteral("/data");
}

QString sourceDirectory(const QString &name)
{
    const QString override = qEnvironmentVariable("TORCHLAB_DATASETS_SOURCE");
    if (!override.isEmpty())
        return override + QLatin1Char('/') + name;
    return QStringLiteral("/usr/share/datasets/") + name;
}

Status ensure(const QString &name, const QString &rootDir)
{
    Status status;
    if (name != QLatin1String("fashion-mnist")) {
        status.message = QStringLiteral("The lab does not know the data set \"%1\".").arg(name);
        return status;
    }
    const QString target = rootDir + QStringLiteral("/fashion-mnist");
    bool complete = true;
    for (const char *file : kFashionFiles)
        complete = complete && looksLikeIdx(target + QLatin1Char('/') + QLatin1String(file));
    if (complete) {
        status.ok = true;
        return status;
    }
    const QString source = sourceDirectory(name);
    for (const char *file : kFashionFiles) {
        if (!QFileInfo::exists(source + QLatin1Char('/') + QLatin1String(file) +
                               QStringLiteral(".gz"))) {
            status.message =
                QStringLiteral(
                    "Fashion-MNIST is not installed (%1 has no %2.gz). Install it with "
                    "`sudo apt install dataset-fashion-mnist`, or put the four IDX files "
                    "into %3.")
                    .arg(source, QLatin1String(file), target);
            return status;
        }
    }
    if (!QDir().mkpath(target)) {
        status.message = QStringLiteral("Cannot create %1 for Fashion-MNIST.").arg(target);
        return status;
    }
    for (const char *file : kFashionFiles) {
        const QString to = target + QLatin1Char('/') + QLatin1String(file);
        if (looksLikeIdx(to))
            continue;
        if (const QString error =
                gunzip(source + QLatin1Char('/') + QLatin1String(file) + QStringLiteral(".gz"), to);
            !error.isEmpty()) {
            status.message = QStringLiteral("Fashion-MNIST could not be unpacked: %1.").arg(error);
            return status;
        }
    }
    status.ok = true;
    status.unpacked = true;
    return status;
}

} // namespace torchlab::Datasets
