// torchlab-cli bundle end to end: a quick run of a real, seeded lesson is
// archived, verifies, and reruns bit for bit; a tampered archive fails
// verify naming the file; metrics edited with a re-made manifest verify but
// fail the rerun, per metric; a hostile archive is refused.
#include "core/bundle/bundlearchive.h"
#include "core/bundle/metriccomparison.h"
#include "helpers/requiredeps.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

class TestCliBundle : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    QString m_cache;
    QTemporaryDir m_dir;
    QString m_bundle;

    Run cli(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache);
        env.remove(QStringLiteral("TORCHLAB_DEVICE"));
        env.remove(QStringLiteral("TORCHLAB_SEED"));
        env.insert(QStringLiteral("TORCHLAB_DEVICE"), QStringLiteral("cpu"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(TORCHLAB_CLI), args);
        p.waitForFinished(600'000);
        Run r;
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    // A copy of the bundle with `edit` applied; the manifest re-made when asked.
    QString edited(const QString &name, const std::function<void(QList<BundleFile> &)> &edit,
                   bool remakeManifest)
    {
        Result<BundleContents> contents = readBundleArchive(m_bundle);
        if (!contents)
            return QString();
        edit(contents->files);
        if (remakeManifest)
            for (BundleFile &f : contents->files)
                if (f.path == QLatin1String(kBundleManifest))
                    f.data = bundleManifest(contents->files);
        const QString out = m_dir.filePath(name);
        return writeBundleArchive(out, contents->root, contents->files, 0) ? out : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cache = qEnvironmentVariable("TORCHLAB_TEST_PCH_CACHE");
        if (m_cache.isEmpty())
            m_cache = QStringLiteral(TORCHLAB_TEST_BINARY_DIR "/shared-pch-cache");
        const Run doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        if (doctor.code != 0 || QJsonDocument::fromJson(doctor.out)
                                    .object()
                                    .value(QStringLiteral("profile"))
                                    .toObject()
                                    .isEmpty())
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
    }

    void usage()
    {
        QCOMPARE(cli({QStringLiteral("bundle")}).code, 2);
        QCOMPARE(cli({QStringLiteral("bundle"), QStringLiteral("verify")}).code, 2);
        const Run help = cli({QStringLiteral("bundle"), QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("--author"));
        const Run badAuthor = cli({QStringLiteral("bundle"),
                                   QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course"),
                                   QStringLiteral("--lesson"), QStringLiteral("07-training-loop"),
                                   QStringLiteral("-o"), QStringLiteral("x.tar.gz"),
                                   QStringLiteral("--author"), QStringLiteral("Ada,1234")});
        QCOMPARE(badAuthor.code, 2);
        QVERIFY(badAuthor.err.contains("ORCID"));
    }

    void bundleVerifyRerun()
    {
        m_bundle = m_dir.filePath(QStringLiteral("run.tar.gz"));
        const Run made =
            cli({QStringLiteral("bundle"),
                 QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course"),
                 QStringLiteral("--lesson"), QStringLiteral("07-training-loop"),
                 QStringLiteral("--quick"), QStringLiteral("--seed"), QStringLiteral("3"),
                 QStringLiteral("--author"), QStringLiteral("Ada Lovelace,0000-0002-1825-0097"),
                 QStringLiteral("-o"), m_bundle});
        QVERIFY2(made.code == 0, made.err.constData());
        QVERIFY(made.out.contains("Wrote "));

        Result<BundleContents> contents = readBundleArchive(m_bundle);
        QVERIFY2(contents, qPrintable(contents.error()));
        for (const char *name :
             {"code/exercise.cpp", "run.json", "environment.json", "commands.txt",
              "output/stdout.txt", "output/stderr.txt", "metrics/metrics.csv",
              "plots/metric-loss.png", "plots/metric-loss.svg", "CITATION.cff", ".zenodo.json",
              "README.md", "SHA256SUMS"})
            QVERIFY2(contents->file(QLatin1String(name)), name);
        const QJsonObject run =
            QJsonDocument::fromJson(contents->file(QStringLiteral("run.json"))->data).object();
        QCOMPARE(run.value(QStringLiteral("seed")).toInt(), 3);
        QCOMPARE(run.value(QStringLiteral("quick")).toBool(), true);
        QVERIFY(
            contents->file(QStringLiteral("plots/metric-loss.png"))->data.startsWith("\x89PNG"));
        QVERIFY(contents->file(QStringLiteral("CITATION.cff"))
                    ->data.contains("orcid: \"https://orcid.org/0000-0002-1825-0097\""));
        // The doctor's JSON, as `doctor --json` prints it.
        QVERIFY(QJsonDocument::fromJson(contents->file(QStringLiteral("environment.json"))->data)
                    .object()
                    .contains(QStringLiteral("profile")));
        Result<QList<CsvSeries>> metrics =
            parseMetricsCsv(contents->file(QStringLiteral("metrics/metrics.csv"))->data);
        QVERIFY(metrics && !metrics->isEmpty() && metrics->first().values.size() > 10);

        const Run verified = cli({QStringLiteral("bundle"), QStringLiteral("verify"), m_bundle});
        QVERIFY2(verified.code == 0, verified.err.constData());
        QVERIFY(verified.out.startsWith("OK: "));

        const Run again = cli({QStringLiteral("bundle"), QStringLiteral("rerun"), m_bundle});
        QVERIFY2(again.code == 0, (again.out + again.err).constData());
        QVERIFY(again.out.contains("bit-identical"));
        QVERIFY(again.out.contains("identical"));
    }

    void tamperedArchiveFailsVerify()
    {
        QVERIFY(!m_bundle.isEmpty());
        const QString tampered = edited(
            QStringLiteral("tampered.tar.gz"),
            [](QList<BundleFile> &files) {
                for (BundleFile &f : files)
                    if (f.path == QLatin1String("code/exercise.cpp"))
                        f.data += "// edited\n";
            },
            false);
        QVERIFY(!tampered.isEmpty());
        const Run r = cli({QStringLiteral("bundle"), QStringLiteral("verify"), tampered});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("changed: code/exercise.cpp"), r.err.constData());
        // The rerun refuses it too, before compiling anything.
        const Run again = cli({QStringLiteral("bundle"), QStringLiteral("rerun"), tampered});
        QCOMPARE(again.code, 1);
        QVERIFY(again.err.contains("manifest"));
    }

    void editedMetricsFailRerun()
    {
        QVERIFY(!m_bundle.isEmpty());
        // The second loss sample scaled by 1 + 1e-3: a forged result with a
        // consistent manifest. verify cannot see it; the rerun does.
        const auto scaleLoss = [](double factor) {
            return [factor](QList<BundleFile> &files) {
                for (BundleFile &f : files) {
                    if (f.path != QLatin1String("metrics/metrics.csv"))
                        continue;
                    QList<QByteArray> lines = f.data.split('\n');
                    QList<QByteArray> fields = lines[2].split(',');
                    fields[1] = QByteArray::number(fields[1].toDouble() * factor, 'g', 17);
                    lines[2] = fields.join(',');
                    f.data = lines.join('\n');
                }
            };
        };
        const QString forged = edited(QStringLiteral("forged.tar.gz"), scaleLoss(1 + 1e-3), true);
        QVERIFY(!forged.isEmpty());
        QCOMPARE(cli({QStringLiteral("bundle"), QStringLiteral("verify"), forged}).code, 0);
        Run r = cli({QStringLiteral("bundle"), QStringLiteral("rerun"), forged});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("DIFFERS"), r.out.constData());
        QVERIFY(r.out.contains("loss"));
        QVERIFY(r.out.contains("at step 1"));
        // Within a tolerance larger than the edit it passes; smaller, it does not.
        r = cli({QStringLiteral("bundle"), QStringLiteral("rerun"), forged,
                 QStringLiteral("--tolerance"), QStringLiteral("1e-2")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY(r.out.contains("within tolerance"));
        r = cli({QStringLiteral("bundle"), QStringLiteral("rerun"), forged,
                 QStringLiteral("--tolerance"), QStringLiteral("1e-5")});
        QCOMPARE(r.code, 1);
    }

    void hostileArchiveRefused()
    {
        QVERIFY(!m_bundle.isEmpty());
        const QString twoFolders = m_dir.filePath(QStringLiteral("hostile.tar.gz"));
        QVERIFY(writeBundleArchive(twoFolders, QStringLiteral("a/../.."),
                                   {{QStringLiteral("x"), "x"}}, 0));
        const Run r = cli({QStringLiteral("bundle"), QStringLiteral("verify"), twoFolders});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not a safe bundle"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliBundle)
#include "tst_clibundle.moc"
