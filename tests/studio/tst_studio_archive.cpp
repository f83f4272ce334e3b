// File → "Export Run for Archiving…": disabled (saying why) until a run has
// finished, enabled after one, and the export writes a bundle of that run
// that verifies, twice with the same bytes. The dialog refuses a bad ORCID.
#include "helpers/labtoolchain.h"
#include "helpers/panelshots.h"
#include "helpers/requiredeps.h"
#include "studiofixture.h"

#include "core/bundle/bundlearchive.h"
#include "core/bundle/metriccomparison.h"
#include "core/session/environmentsession.h"
#include "core/util/uilanguage.h"
#include "studio/archiverundialog.h"
#include "studio/runarchiver.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;
using namespace torchlab::testing;

namespace {
constexpr int CompileAndRunMs = 180000;
constexpr int WarmupMs = 600000;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestStudioArchive : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<LearnerHome> m_home;
    std::unique_ptr<Studio> m_studio;
    QTemporaryDir m_out;

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!machineProfile(&why).isValid())
            LAB_SKIP_MISSING(QStringLiteral("no LibTorch toolchain here: ") + why);
        m_home = std::make_unique<LearnerHome>();
        LabSettings settings;
        settings.quickRuns = true;
        QVERIFY(settings.save());
        StudioOptions options;
        options.environment = true;
        options.lesson = QStringLiteral("04-autograd");
        m_studio = openStudio(options);
        QVERIFY(m_studio);
        EnvironmentSession *environment = m_studio->controller->environment();
        QTRY_VERIFY_WITH_TIMEOUT(environment->isReady() ||
                                     environment->state() == EnvironmentSession::State::Unusable,
                                 WarmupMs);
        QVERIFY(environment->isReady());
    }

    void cleanupTestCase()
    {
        m_studio.reset();
        m_home.reset();
    }

    void exportAfterARun()
    {
        StudioController &c = *m_studio->controller;
        QAction *exportRun = m_studio->window->actions().exportRun;
        QVERIFY(exportRun);
        QVERIFY(!exportRun->isEnabled());
        QVERIFY(exportRun->toolTip().contains(QStringLiteral("Run or Check first")));
        QVERIFY(!c.archiver()->exportTo(m_out.filePath(QStringLiteral("none.tar.gz")),
                                        BundleMetadata()));

        const QString code = readCourseFile(QStringLiteral("04-autograd/solution/exercise.cpp"));
        m_studio->editor()->selectAll();
        m_studio->editor()->replaceSelectedText(code);
        QSignalSpy finished(&c, &StudioController::runFinished);
        m_studio->window->actions().run->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, CompileAndRunMs);
        QTRY_VERIFY(exportRun->isEnabled());
        QVERIFY(!exportRun->toolTip().contains(QStringLiteral("Run or Check first")));

        BundleMetadata metadata = c.archiver()->defaultMetadata();
        QVERIFY(metadata.title.contains(QStringLiteral("TorchLab run")));
        QCOMPARE(metadata.license, QStringLiteral("CC-BY-4.0"));
        metadata.authors = {
            {QStringLiteral("Ada Lovelace"), QStringLiteral("0000-0002-1825-0097")}};
        const QString a = m_out.filePath(QStringLiteral("a.tar.gz"));
        const QString b = m_out.filePath(QStringLiteral("b.tar.gz"));
        QElapsedTimer timer;
        timer.start();
        const Status written = c.archiver()->exportTo(a, metadata);
        qInfo("export took %lld ms, %lld bytes", timer.elapsed(), QFileInfo(a).size());
        QVERIFY2(written, qPrintable(written.error()));
        QVERIFY(c.archiver()->exportTo(b, metadata));
        QCOMPARE(readAll(a), readAll(b)); // the same run exported twice: the same bytes

        Result<BundleContents> contents = readBundleArchive(a);
        QVERIFY2(contents, qPrintable(contents.error()));
        QVERIFY(checkBundleManifest(*contents).ok());
        QCOMPARE(QString::fromUtf8(contents->file(QStringLiteral("code/exercise.cpp"))->data),
                 code);
        Result<QList<CsvSeries>> metrics =
            parseMetricsCsv(contents->file(QStringLiteral("metrics/metrics.csv"))->data);
        QVERIFY(metrics);
        const MetricSeries *loss = c.metrics().series(QStringLiteral("loss"));
        QVERIFY(loss);
        // The metrics as the window holds them.
        bool found = false;
        for (const CsvSeries &s : *metrics)
            if (s.name == QLatin1String("loss")) {
                found = true;
                QCOMPARE(qsizetype(s.values.size()), loss->size());
            }
        QVERIFY(found);
        QVERIFY(contents->file(QStringLiteral("plots/metric-loss.png")));
        QVERIFY(contents->file(QStringLiteral("plots/metric-loss.svg")));
        QVERIFY(contents->file(QStringLiteral("CITATION.cff"))->data.contains("Lovelace"));
    }

    void dialogRefusesABadOrcid()
    {
        BundleMetadata m;
        m.title = QStringLiteral("A run");
        ArchiveRunDialog dialog(m, QStringLiteral("run.tar.gz"));
        dialog.setPath(m_out.filePath(QStringLiteral("d.tar.gz")));
        dialog.setAuthorsText(QStringLiteral("Ada Lovelace, 0000-0002-1825-0098"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        dialog.setAuthorsText(QStringLiteral("Ada Lovelace, 0000-0002-1825-0097\nCharles Babbage"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.metadata().authors.size(), 2);
        QCOMPARE(dialog.metadata().license, QStringLiteral("CC-BY-4.0"));
    }

    // The dialog as a learner sees it, in English and in Chinese.
    void screenshots()
    {
        for (const QString &language : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
            const QStringList installed =
                UiLanguage::install(*QCoreApplication::instance(), language);
            BundleMetadata m;
            m.title = QStringLiteral("Training loop: 300 steps on Fashion-MNIST");
            m.description = QStringLiteral("A quick run of the lesson's reference solution.");
            ArchiveRunDialog dialog(m, QStringLiteral("training-loop-run.tar.gz"));
            dialog.setAuthorsText(QStringLiteral("Ada Lovelace, 0000-0002-1825-0097"));
            QVERIFY(panelshots::save(dialog, QStringLiteral("archiverundialog-") + language));
            if (language == QLatin1String("zh_CN")) {
                QVERIFY2(!installed.isEmpty(), "no Chinese catalogue was installed");
                QVERIFY2(dialog.windowTitle() != QLatin1String("Export Run for Archiving"),
                         qPrintable(dialog.windowTitle()));
            }
        }
        UiLanguage::install(*QCoreApplication::instance(), QStringLiteral("en"));
    }
};

QTEST_MAIN(TestStudioArchive)
#include "tst_studio_archive.moc"
