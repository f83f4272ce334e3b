// Drives `torchlab-cli doctor` through runDoctorCommand(), the function the
// CLI's main() calls, without starting the whole CLI.
#include "cli/doctorcommand.h"
#include "helpers/requiredeps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTextStream>

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run doctor(const QStringList &arguments)
{
    Run run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.code = torchlab::cli::runDoctorCommand(arguments, out, err);
    out.flush();
    err.flush();
    return run;
}

const QString kZip = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/toolchains/zip/libtorch");

} // namespace

class TestDoctorCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void help();
    void badArguments_data();
    void badArguments();
    void jsonWithFakeGpuAndZip();
    void missingLibTorchIsAnError();
    void textByDefault();
};

void TestDoctorCommand::init()
{
    for (const char *name :
         {"TORCHLAB_LIBTORCH", "TORCHLAB_COMPILER", "TORCHLAB_DEVICE", "TORCHLAB_NVML_LIBRARY"})
        qunsetenv(name);
}

void TestDoctorCommand::help()
{
    const Run run = doctor({QStringLiteral("--help")});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.startsWith(QStringLiteral("Usage: torchlab-cli doctor")));
    QVERIFY(run.out.contains(QStringLiteral("--json")));
    QVERIFY(run.err.isEmpty());
}

void TestDoctorCommand::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{"--colour"} << "Unknown option 'colour'";
    QTest::newRow("bad device") << QStringList{"--device", "tpu"} << "--device must be cpu or cuda";
    QTest::newRow("missing value")
        << QStringList{"--libtorch"} << "Missing value after '--libtorch'";
    QTest::newRow("stray argument") << QStringList{"now"} << "unexpected argument now";
}

void TestDoctorCommand::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = doctor(arguments);
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestDoctorCommand::jsonWithFakeGpuAndZip()
{
    qputenv("TORCHLAB_NVML_LIBRARY", FAKE_NVML);
    const Run run = doctor({QStringLiteral("--json"), QStringLiteral("--libtorch"), kZip});
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(json.value(QStringLiteral("gpu")).toObject().value(QStringLiteral("hasGpu")).toBool(),
             true);
    const QJsonObject profile = json.value(QStringLiteral("profile")).toObject();
    if (profile.isEmpty())
        LAB_SKIP_MISSING("no C++ compiler on this machine");
    QCOMPARE(profile.value(QStringLiteral("libtorch"))
                 .toObject()
                 .value(QStringLiteral("root"))
                 .toString(),
             kZip);
    QCOMPARE(profile.value(QStringLiteral("useCuda")).toBool(), true);
    QVERIFY(json.value(QStringLiteral("reason"))
                .toString()
                .contains(QStringLiteral("chosen by --libtorch")));
    QCOMPARE(run.code,
             json.value(QStringLiteral("worst")).toString() == QLatin1String("error") ? 1 : 0);
}

void TestDoctorCommand::missingLibTorchIsAnError()
{
    const Run run = doctor({QStringLiteral("--json"), QStringLiteral("--libtorch"),
                            QStringLiteral("/nonexistent/libtorch")});
    QCOMPARE(run.code, 1);
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("worst")).toString(), QStringLiteral("error"));
    QVERIFY(json.value(QStringLiteral("profile")).isNull());
    QVERIFY(json.value(QStringLiteral("reason"))
                .toString()
                .contains(QStringLiteral("/nonexistent/libtorch")));
}

void TestDoctorCommand::textByDefault()
{
    const Run run = doctor({});
    QVERIFY(run.out.startsWith(QStringLiteral("TorchLab doctor ")));
    QVERIFY(run.out.contains(QStringLiteral("\nVerdicts\n")));
    QVERIFY(run.out.contains(QStringLiteral("Discovery took ")));
}

QTEST_GUILESS_MAIN(TestDoctorCommand)
#include "tst_doctorcommand.moc"
