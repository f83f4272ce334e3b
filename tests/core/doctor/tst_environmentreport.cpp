#include "core/doctor/environmentreport.h"
#include "core/runner/runstream.h"
#include "helpers/requiredeps.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace torchlab;

namespace {

const QString kFixtures = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/toolchains");

QString fx(const QString &relative)
{
    return kFixtures + QLatin1Char('/') + relative;
}

// Discovery over fake trees: `roots` are root prefixes, `libtorch` goes to
// $LIBTORCH, `bin` is the only PATH folder (fake compilers).
DiscoveryResult discoverFake(const QStringList &roots, const QString &libtorch, const QString &bin,
                             const QHash<QString, QString> &extraEnv)
{
    DiscoveryOptions options;
    options.environment = extraEnv;
    if (!libtorch.isEmpty())
        options.environment.insert(QStringLiteral("LIBTORCH"), fx(libtorch));
    options.rootPrefixes.clear();
    for (const QString &root : roots)
        options.rootPrefixes << fx(root);
    options.python3.clear();
    options.pathDirs = {fx(bin.isEmpty() ? QStringLiteral("no-such-bin") : bin)};
    options.homeDir = fx(QStringLiteral("no-such-home"));
    options.useCache = false;
    return ToolchainDiscovery::discover(options);
}

GpuProbe gpuProbe(const QString &kind)
{
    GpuProbe probe;
    probe.libraryPath = QStringLiteral("libnvidia-ml.so.1");
    if (kind == QLatin1String("none")) {
        probe.state = GpuProbe::State::NoLibrary;
        probe.reason = QStringLiteral("libnvidia-ml.so.1 is not installed");
    } else if (kind == QLatin1String("driver-without-nvml")) {
        probe.state = GpuProbe::State::NoLibrary;
        probe.reason = QStringLiteral("libnvidia-ml.so.1 is not installed");
        probe.kernelModulePresent = probe.deviceNodePresent = true;
        probe.driverVersion = QStringLiteral("580.159.04");
    } else if (kind == QLatin1String("init-failed")) {
        probe.state = GpuProbe::State::InitFailed;
        probe.nvmlError = nvml::ErrorDriverNotLoaded;
        probe.reason = QStringLiteral(
            "the NVIDIA kernel driver is not loaded; NVML said \"Driver Not Loaded\"");
    } else {
        probe.state = GpuProbe::State::Ok;
        probe.driverVersion = QStringLiteral("580.159.04");
        probe.cudaDriverVersion =
            kind == QLatin1String("h100-cuda12") ? QStringLiteral("12.4") : QStringLiteral("13.0");
        probe.kernelModulePresent = probe.deviceNodePresent = true;
        probe.devices = {
            GpuDevice{0, QStringLiteral("NVIDIA H100 80GB HBM3"), 85520809984ull, 649068544ull}};
    }
    return probe;
}

QStringList idsWithSeverity(const QList<Verdict> &verdicts)
{
    QStringList list;
    for (const Verdict &v : verdicts)
        list << v.id + QLatin1Char(':') + Verdict::severityName(v.severity);
    return list;
}

} // namespace

class TestEnvironmentReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void driverSameMajorIsAWarning();
    void abiForcedByProfile();
    void everyVerdictIsPlain();
    void textRendering();
    void jsonHasStableKeys();
    void sandboxVerdicts();
    void realMachine();
};

void TestEnvironmentReport::verdicts_data()
{
    QTest::addColumn<QStringList>("roots");
    QTest::addColumn<QString>("libtorch");
    QTest::addColumn<QString>("bin");
    QTest::addColumn<QString>("gpu");
    QTest::addColumn<QStringList>("env");      // KEY=VALUE
    QTest::addColumn<QStringList>("expected"); // id:severity that must be present
    QTest::addColumn<QStringList>("absent");   // ids that must not be

    const QStringList debian{QStringLiteral("debian")};
    const QString pip = QStringLiteral("pip/site-packages/torch");
    const QString cudaHome =
        QStringLiteral("CUDA_HOME=") + fx(QStringLiteral("pip/site-packages/nvidia/cu13"));
    const QString none;

    QTest::newRow("CPU box like this one")
        << debian << none << "bin"
        << "none" << QStringList() << QStringList{"no-gpu:info", "profile:ok"}
        << QStringList{"cpu-libtorch-with-gpu", "no-libtorch",  "lld-missing",   "gloo-missing",
                       "nvcc-missing",          "abi-mismatch", "driver-too-old"};
    QTest::newRow("GPU with a CUDA LibTorch")
        << debian << pip << "bin"
        << "h100" << QStringList{cudaHome} << QStringList{"gpu:ok", "profile:ok"}
        << QStringList{"no-gpu",        "cpu-libtorch-with-gpu", "driver-too-old",
                       "nvcc-mismatch", "libtorch-note",         "gloo-missing"};
    QTest::newRow("CPU-only LibTorch on a GPU machine")
        << debian << none << "bin"
        << "h100" << QStringList() << QStringList{"gpu:ok", "cpu-libtorch-with-gpu:warning"}
        << QStringList{"no-gpu"};
    QTest::newRow("CPU asked for on a GPU machine")
        << debian << pip << "bin"
        << "h100" << QStringList{"TORCHLAB_DEVICE=cpu"} << QStringList{"cpu-libtorch-with-gpu:info"}
        << QStringList();
    QTest::newRow("driver a major version behind")
        << QStringList() << pip << "bin"
        << "h100-cuda12" << QStringList{cudaHome}
        << QStringList{"driver-too-old:error", "profile:ok"} << QStringList{"nvcc-mismatch"};
    QTest::newRow("no LibTorch") << QStringList() << none << "bin"
                                 << "none" << QStringList() << QStringList{"no-libtorch:error"}
                                 << QStringList{"profile", "no-profile"};
    QTest::newRow("no compiler") << debian << none << QString() << "none" << QStringList()
                                 << QStringList{"no-compiler:error", "nvcc-missing:info"}
                                 << QStringList{"profile", "no-profile"};
    QTest::newRow("old-ABI pip torch, new-ABI-only compiler")
        << QStringList() << "pip-abi0/site-packages/torch"
        << "bin"
        << "none" << QStringList{"FAKE_CXX_ABI=1", "FAKE_DUAL_ABI=0"}
        << QStringList{"abi-mismatch:error"} << QStringList{"profile", "no-profile"};
    QTest::newRow("g++ only, no nvcc, no lld")
        << debian << none << "bin-gcc"
        << "none" << QStringList()
        << QStringList{"nvcc-missing:info", "lld-missing:info", "profile:ok"} << QStringList();
    QTest::newRow("nvcc older than LibTorch's CUDA")
        << QStringList() << pip << "bin"
        << "h100" << QStringList{cudaHome, "FAKE_NVCC_RELEASE=12.6"}
        << QStringList{"nvcc-mismatch:warning"} << QStringList{"driver-too-old"};
    QTest::newRow("Debian without libgloo-dev")
        << QStringList{"debian-nogloo"} << none << "bin"
        << "none" << QStringList() << QStringList{"gloo-missing:warning"} << QStringList();
    QTest::newRow("broken install next to a good one")
        << debian << "broken/libtorch"
        << "bin"
        << "none" << QStringList() << QStringList{"libtorch-broken:warning", "profile:ok"}
        << QStringList{"no-libtorch"};
    QTest::newRow("CUDA zip without CUDA headers")
        << QStringList() << "zip/libtorch"
        << "bin"
        << "h100" << QStringList() << QStringList{"libtorch-note:info", "profile:ok"}
        << QStringList();
    QTest::newRow("kernel driver without NVML")
        << debian << none << "bin"
        << "driver-without-nvml" << QStringList() << QStringList{"no-gpu:warning"} << QStringList();
    QTest::newRow("NVML cannot start")
        << debian << none << "bin"
        << "init-failed" << QStringList() << QStringList{"no-gpu:warning"} << QStringList();
    QTest::newRow("override names nothing")
        << debian << none << "bin"
        << "none" << QStringList{"TORCHLAB_LIBTORCH=zip:/nowhere"}
        << QStringList{"no-profile:error"} << QStringList{"profile"};
    QTest::newRow("CUDA asked for without a GPU")
        << debian << pip << "bin"
        << "none" << QStringList{"TORCHLAB_DEVICE=cuda"}
        << QStringList{"profile-warning:warning", "no-gpu:info"} << QStringList();
}

void TestEnvironmentReport::verdicts()
{
    QFETCH(QStringList, roots);
    QFETCH(QString, libtorch);
    QFETCH(QString, bin);
    QFETCH(QString, gpu);
    QFETCH(QStringList, env);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, absent);

    QHash<QString, QString> environment;
    for (const QString &pair : env)
        environment.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
    const DiscoveryResult discovery = discoverFake(roots, libtorch, bin, environment);
    const ProfileRequest request = mergeRequest(ProfileRequest(), environment);
    const EnvironmentReport report =
        EnvironmentReport::fromParts(discovery, gpuProbe(gpu), request);

    const QStringList found = idsWithSeverity(report.verdicts);
    for (const QString &item : expected)
        QVERIFY2(found.contains(item), qPrintable(found.join(QStringLiteral(", "))));
    for (const QString &id : absent)
        QVERIFY2(!report.hasVerdict(id), qPrintable(found.join(QStringLiteral(", "))));
    const bool anyError = std::any_of(expected.cbegin(), expected.cend(), [](const QString &item) {
        return item.endsWith(QLatin1String(":error"));
    });
    QCOMPARE(report.worst() == Verdict::Severity::Error, anyError);
}

void TestEnvironmentReport::driverSameMajorIsAWarning()
{
    DiscoveryResult discovery =
        discoverFake({}, QStringLiteral("pip/site-packages/torch"), QStringLiteral("bin"), {});
    QCOMPARE(discovery.installs.size(), 1);
    discovery.installs[0].cudaVersion = QStringLiteral("13.2");
    const EnvironmentReport report =
        EnvironmentReport::fromParts(discovery, gpuProbe(QStringLiteral("h100")), {});
    const auto verdict = report.verdict(QStringLiteral("driver-too-old"));
    QVERIFY(verdict.has_value());
    QCOMPARE(verdict->severity, Verdict::Severity::Warning); // minor-version compatibility
    QVERIFY(verdict->explanation.contains(QStringLiteral("supports CUDA up to 13.0")));
    QVERIFY(verdict->explanation.contains(QStringLiteral("built with CUDA 13.2")));
    QVERIFY(report.choice.profile.useCuda); // same major: still worth trying the GPU
}

void TestEnvironmentReport::abiForcedByProfile()
{
    // pip torch 2.3 (ABI 0) with a profile that forces ABI 1, as a stale or
    // hand-edited profile would.
    const DiscoveryResult discovery =
        discoverFake({}, QStringLiteral("pip-abi0/site-packages/torch"), QStringLiteral("bin"), {});
    ProfileChoice choice = ProfileChooser::choose(discovery, gpuProbe(QStringLiteral("none")), {});
    QVERIFY(choice.ok);
    choice.profile.compileFlags.replaceInStrings(QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=0"),
                                                 QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=1"));
    const QList<Verdict> verdicts =
        EnvironmentReport::evaluate(discovery, gpuProbe(QStringLiteral("none")), {}, choice);
    const auto it = std::find_if(verdicts.cbegin(), verdicts.cend(), [](const Verdict &v) {
        return v.id == QLatin1String("abi-mismatch");
    });
    QVERIFY(it != verdicts.cend());
    QCOMPARE(it->severity, Verdict::Severity::Error);
    QVERIFY2(it->explanation.contains(QStringLiteral("_GLIBCXX_USE_CXX11_ABI=0")),
             qPrintable(it->explanation));
    QVERIFY2(it->explanation.contains(QStringLiteral("ABI 1")), qPrintable(it->explanation));
}

void TestEnvironmentReport::everyVerdictIsPlain()
{
    // Learners read these: every verdict has a title and an explanation of at
    // most three sentences, and every warning or error says what to do,
    // except a warning about the learner's own overrides.
    const QList<QPair<QStringList, QString>> setups = {
        {{QStringLiteral("debian")}, QStringLiteral("none")},
        {{QStringLiteral("debian-nogloo")}, QStringLiteral("h100")},
        {{}, QStringLiteral("driver-without-nvml")},
    };
    for (const auto &setup : setups) {
        const DiscoveryResult discovery =
            discoverFake(setup.first, QString(), QStringLiteral("bin-gcc"), {});
        const EnvironmentReport report =
            EnvironmentReport::fromParts(discovery, gpuProbe(setup.second), {});
        for (const Verdict &v : report.verdicts) {
            QVERIFY2(!v.title.isEmpty() && !v.explanation.isEmpty(), qPrintable(v.id));
            QVERIFY2(v.explanation.count(QStringLiteral(". ")) <= 2, qPrintable(v.explanation));
            if (v.severity >= Verdict::Severity::Warning &&
                v.id != QLatin1String("profile-warning"))
                QVERIFY2(!v.fix.isEmpty(), qPrintable(v.id));
        }
    }
}

void TestEnvironmentReport::textRendering()
{
    const DiscoveryResult discovery =
        discoverFake({QStringLiteral("debian")}, QString(), QStringLiteral("bin"), {});
    const EnvironmentReport report =
        EnvironmentReport::fromParts(discovery, gpuProbe(QStringLiteral("none")), {});
    const QString text = report.toText();
    for (const QString &section :
         {QStringLiteral("\nGPU\n"), QStringLiteral("\nLibTorch installs (* = chosen)\n"),
          QStringLiteral("\nCompilers (* = chosen)\n"), QStringLiteral("\nProfile\n"),
          QStringLiteral("\nVerdicts\n")})
        QVERIFY2(text.contains(section), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("  * LibTorch 1.13.0 (CPU, Debian libtorch-dev)\n")));
    QVERIFY(text.contains(QStringLiteral("  * clang++ 17.0.6")));
    QVERIFY(text.contains(QStringLiteral("  [info]    No NVIDIA GPU\n")));
    QVERIFY(text.contains(QStringLiteral("Fix: ")));
    // Readable in an 100-column terminal.
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        // A long path cannot be broken; "-isystem <path>" stays on one line on purpose.
        const QString trimmed = line.trimmed();
        const bool longUnbreakable = !trimmed.contains(QLatin1Char(' ')) ||
                                     (trimmed.startsWith(QLatin1String("-isystem ")) &&
                                      trimmed.count(QLatin1Char(' ')) == 1);
        QVERIFY2(line.size() <= 100 || longUnbreakable, qPrintable(line));
    }
}

// The sandbox line of the doctor and of Help > Environment: what holds
// learners' and packs' programs here, and what to do when nothing does.
void TestEnvironmentReport::sandboxVerdicts()
{
    SandboxReport r;
    r.status.available = true;
    QCOMPARE(r.verdict().id, QStringLiteral("sandbox"));
    QCOMPARE(r.verdict().severity, Verdict::Severity::Ok);
    r.status.available = false;
    r.status.reason = QStringLiteral("bubblewrap (bwrap) is not installed");
    QCOMPARE(r.verdict().id, QStringLiteral("no-sandbox"));
    QCOMPARE(r.verdict().severity, Verdict::Severity::Warning);
    QVERIFY(r.verdict().explanation.contains(r.status.reason));
    QVERIFY(r.verdict().fix.contains(QStringLiteral("apt install bubblewrap")));
    r.mode = SandboxMode::Require;
    QCOMPARE(r.verdict().id, QStringLiteral("sandbox-required"));
    QCOMPARE(r.verdict().severity, Verdict::Severity::Error);
    r.mode = SandboxMode::Off;
    r.status.available = true;
    QCOMPARE(r.verdict().id, QStringLiteral("sandbox-off"));
    QCOMPARE(r.verdict().severity, Verdict::Severity::Warning);
    r.root = true;
    QVERIFY(r.processLimit().contains(QStringLiteral("root")));
}

void TestEnvironmentReport::jsonHasStableKeys()
{
    const DiscoveryResult discovery =
        discoverFake({QStringLiteral("debian")}, QString(), QStringLiteral("bin"), {});
    const EnvironmentReport report =
        EnvironmentReport::fromParts(discovery, gpuProbe(QStringLiteral("h100")), {});
    const QJsonObject json =
        QJsonDocument::fromJson(QJsonDocument(report.toJson()).toJson()).object();
    QStringList keys = json.keys();
    QCOMPARE(keys, QStringList({"compilers", "discovery", "gpu", "host", "libtorch", "lldPath",
                                "notes", "profile", "protocol", "reason", "sandbox", "schema",
                                "torchlabVersion", "verdicts", "worst"}));
    QCOMPARE(json.value(QStringLiteral("schema")).toInt(), 1);
    // A lab checks a server's stream protocol against its own before a run there.
    QCOMPARE(json.value(QStringLiteral("protocol")).toInt(), runstream::ProtocolVersion);
    QVERIFY(!json.value(QStringLiteral("host")).toString().isEmpty());
    QCOMPARE(json.value(QStringLiteral("gpu")).toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("ok"));
    QCOMPARE(json.value(QStringLiteral("gpu"))
                 .toObject()
                 .value(QStringLiteral("cudaDriverVersion"))
                 .toString(),
             QStringLiteral("13.0"));
    QCOMPARE(json.value(QStringLiteral("libtorch"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("version"))
                 .toString(),
             QStringLiteral("1.13.0"));
    const QJsonObject profile = json.value(QStringLiteral("profile")).toObject();
    QCOMPARE(profile.value(QStringLiteral("key")).toString(), report.choice.profile.key());
    QVERIFY(profile.value(QStringLiteral("compileFlags"))
                .toArray()
                .contains(QStringLiteral("-std=c++17")));
    QCOMPARE(json.value(QStringLiteral("worst")).toString(), QStringLiteral("warning"));
    const QJsonArray verdicts = json.value(QStringLiteral("verdicts")).toArray();
    QCOMPARE(verdicts.size(), report.verdicts.size());
    for (const QJsonValue &v : verdicts) {
        QStringList verdictKeys = v.toObject().keys();
        QCOMPARE(verdictKeys, QStringList({"explanation", "fix", "id", "severity", "title"}));
    }
}

void TestEnvironmentReport::realMachine()
{
    if (!QFile::exists(QStringLiteral("/usr/include/torch/csrc/api/include/torch/version.h")))
        LAB_SKIP_MISSING("Debian's libtorch-dev is not installed here");
    qunsetenv("TORCHLAB_NVML_LIBRARY");
    const EnvironmentReport report = EnvironmentReport::gather();
    QVERIFY2(report.choice.ok, qPrintable(report.choice.error));
    const auto debian = report.discovery.install(QStringLiteral("debian:/usr"));
    QVERIFY(debian.has_value());
    QCOMPARE(debian->version, QStringLiteral("1.13.0"));
    if (QFile::exists(QStringLiteral("/usr/bin/clang++")))
        QCOMPARE(report.choice.profile.compiler.kind, CompilerInfo::Kind::Clang);
    if (report.gpu.state == GpuProbe::State::NoLibrary && !report.gpu.kernelModulePresent) {
        const auto noGpu = report.verdict(QStringLiteral("no-gpu"));
        QVERIFY(noGpu.has_value());
        QCOMPARE(noGpu->severity, Verdict::Severity::Info);
        QVERIFY2(noGpu->explanation.startsWith(
                     QStringLiteral("No NVIDIA GPU was found: libnvidia-ml.so.1 is not installed "
                                    "and no NVIDIA kernel driver is "
                                    "loaded. Exercises run on the CPU")),
                 qPrintable(noGpu->explanation));
        QCOMPARE(report.choice.profile.libtorch.id(), QStringLiteral("debian:/usr"));
        QVERIFY(
            report.choice.reason.startsWith(QStringLiteral("CPU LibTorch 1.13.0 (Debian) with ")));
        QVERIFY(report.choice.reason.contains(
            QStringLiteral("no NVIDIA GPU was found (libnvidia-ml.so.1 is not installed")));
    }
    qInfo("%s", qPrintable(report.choice.reason));
}

QTEST_GUILESS_MAIN(TestEnvironmentReport)
#include "tst_environmentreport.moc"
