// Data sets lessons declare: Fashion-MNIST is unpacked once from gzip'd IDX
// files (generated here, small) into the folder lab::data_dir() reads, and a
// missing package is explained, not a crash.
#include "core/course/datasets.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace torchlab;

namespace {

const char *const kFiles[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// A tiny IDX file: magic 0x00000803 (bytes, 3 dims) or 0x00000801, then sizes and data.
QByteArray idx(bool images)
{
    QByteArray b;
    b.append(char(0)).append(char(0)).append(char(8)).append(char(images ? 3 : 1));
    auto be32 = [&b](quint32 v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            b.append(char((v >> shift) & 0xff));
    };
    be32(2);
    if (images) {
        be32(28);
        be32(28);
        b.append(QByteArray(2 * 28 * 28, char(7)));
    } else {
        b.append(char(3)).append(char(9));
    }
    return b;
}

bool writeGz(const QString &path, const QByteArray &data)
{
    gzFile f = gzopen(QFile::encodeName(path).constData(), "wb");
    if (!f)
        return false;
    const int n = gzwrite(f, data.constData(), unsigned(data.size()));
    return gzclose(f) == Z_OK && n == data.size();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDatasets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unpacksOnce()
    {
        QTemporaryDir tmp;
        const QString source = tmp.path() + QStringLiteral("/share/fashion-mnist");
        QVERIFY(QDir().mkpath(source));
        for (const char *f : kFiles)
            QVERIFY(writeGz(source + QLatin1Char('/') + QLatin1String(f) + QStringLiteral(".gz"),
                            idx(QByteArray(f).contains("images"))));
        qputenv("TORCHLAB_DATASETS_SOURCE",
                QFile::encodeName(tmp.path() + QStringLiteral("/share")));
        const QString root = tmp.path() + QStringLiteral("/data");

        Datasets::Status s = Datasets::ensure(QStringLiteral("fashion-mnist"), root);
        QVERIFY2(s.ok, qPrintable(s.message));
        QVERIFY(s.unpacked);
        QCOMPARE(readAll(root + QStringLiteral("/fashion-mnist/t10k-labels-idx1-ubyte")),
                 idx(false));
        QCOMPARE(readAll(root + QStringLiteral("/fashion-mnist/train-images-idx3-ubyte")),
                 idx(true));
        QCOMPARE(QDir(root + QStringLiteral("/fashion-mnist")).entryList(QDir::Files).size(),
                 4); // no leftovers

        s = Datasets::ensure(QStringLiteral("fashion-mnist"), root);
        QVERIFY(s.ok);
        QVERIFY(!s.unpacked); // already there

        // A damaged file (an interrupted copy by hand) is unpacked again.
        QFile broken(root + QStringLiteral("/fashion-mnist/train-labels-idx1-ubyte"));
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("junk");
        broken.close();
        s = Datasets::ensure(QStringLiteral("fashion-mnist"), root);
        QVERIFY(s.ok && s.unpacked);
        QCOMPARE(readAll(root + QStringLiteral("/fashion-mnist/train-labels-idx1-ubyte")),
                 idx(false));
        qunsetenv("TORCHLAB_DATASETS_SOURCE");
    }

    void missingPackageIsExplained()
    {
        QTemporaryDir tmp;
        qputenv("TORCHLAB_DATASETS_SOURCE", QFile::encodeName(tmp.path()));
        const Datasets::Status s =
            Datasets::ensure(QStringLiteral("fashion-mnist"), tmp.path() + QStringLiteral("/data"));
        qunsetenv("TORCHLAB_DATASETS_SOURCE");
        QVERIFY(!s.ok);
        QVERIFY2(s.message.contains(QStringLiteral("apt install dataset-fashion-mnist")),
                 qPrintable(s.message));
    }

    void corruptArchiveIsExplained()
    {
        QTemporaryDir tmp;
        const QString source = tmp.path() + QStringLiteral("/fashion-mnist");
        QVERIFY(QDir().mkpath(source));
        for (const char *f : kFiles) {
            QFile out(source + QLatin1Char('/') + QLatin1String(f) + QStringLiteral(".gz"));
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("\x1f\x8b\x08\x00 not really gzip");
        }
        qputenv("TORCHLAB_DATASETS_SOURCE", QFile::encodeName(tmp.path()));
        const QString root = tmp.path() + QStringLiteral("/data");
        const Datasets::Status s = Datasets::ensure(QStringLiteral("fashion-mnist"), root);
        qunsetenv("TORCHLAB_DATASETS_SOURCE");
        QVERIFY(!s.ok);
        QVERIFY2(s.message.contains(QStringLiteral("could not be unpacked")),
                 qPrintable(s.message));
        QVERIFY(QDir(root + QStringLiteral("/fashion-mnist"))
                    .entryList(QDir::Files)
                    .isEmpty()); // no partial files
    }

    void rootFollowsTheEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("TORCHLAB_DATA"), QStringLiteral("/srv/data"));
        QCOMPARE(Datasets::root(env), QStringLiteral("/srv/data"));
        QVERIFY(Datasets::root(QProcessEnvironment()).endsWith(QStringLiteral("/torchlab/data")));
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
