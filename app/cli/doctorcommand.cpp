#include "cli/doctorcommand.h"

#include "core/doctor/environmentreport.h"
#include "core/util/labsettings.h"
#include "core/util/uilanguage.h"

#include <QCoreApplication>

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

namespace torchlab::cli {

namespace {

const char *const kUsage =
    "Usage: torchlab-cli doctor [options]\n"
    "\n"
    "Checks the GPU, the NVIDIA driver, LibTorch installs and compilers, says which\n"
    "ones exercises will use and why, and what to fix.\n"
    "\n"
    "Options:\n"
    "  --json              print the report as JSON (stable keys)\n"
    "  --libtorch PATH|ID  use this LibTorch (overrides TORCHLAB_LIBTORCH)\n"
    "  --compiler PATH     use this C++ compiler (overrides TORCHLAB_COMPILER)\n"
    "  --device cpu|cuda   run exercises on this device (overrides TORCHLAB_DEVICE)\n"
    "  --refresh           look again instead of using the cached discovery\n"
    "  --lang en|zh_CN     the language of the findings\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 fine, 1 an error verdict, 2 bad arguments.\n";

} // namespace

int runDoctorCommand(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption libtorch(QStringLiteral("libtorch"), QString(),
                                      QStringLiteral("path"));
    const QCommandLineOption compiler(QStringLiteral("compiler"), QString(),
                                      QStringLiteral("path"));
    const QCommandLineOption device(QStringLiteral("device"), QString(), QStringLiteral("device"));
    const QCommandLineOption refresh(QStringLiteral("refresh"));
    const QCommandLineOption lang(QStringLiteral("lang"), QString(), QStringLiteral("lang"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    parser.addOptions({json, libtorch, compiler, device, refresh, lang, help});

    // QCommandLineParser::parse() expects the program name first.
    if (!parser.parse(QStringList{QStringLiteral("doctor")} + arguments)) {
        err << "torchlab-cli doctor: " << parser.errorText() << "\n\n" << kUsage;
        return 2;
    }
    if (parser.isSet(help)) {
        out << kUsage;
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "torchlab-cli doctor: unexpected argument "
            << parser.positionalArguments().constFirst() << "\n\n"
            << kUsage;
        return 2;
    }

    if (parser.isSet(lang))
        UiLanguage::install(*QCoreApplication::instance(),
                            UiLanguage::normalized(parser.value(lang)));

    EnvironmentOptions options;
    options.discovery.refresh = parser.isSet(refresh);
    options.sandbox = LabSettings::load().sandbox;
    if (parser.isSet(libtorch)) {
        QString value = parser.value(libtorch);
        // A path (not an install id such as "pip:/…"): make it absolute so it
        // matches what discovery records.
        if (!value.contains(QLatin1Char(':')))
            value = QFileInfo(value).absoluteFilePath();
        options.request.libtorch = value;
        options.request.libtorchOrigin = QStringLiteral("--libtorch");
    }
    if (parser.isSet(compiler)) {
        options.request.compiler = parser.value(compiler);
        options.request.compilerOrigin = QStringLiteral("--compiler");
    }
    if (parser.isSet(device) &&
        !options.request.setDevice(parser.value(device), QStringLiteral("--device"))) {
        err << "torchlab-cli doctor: --device must be cpu or cuda, not \"" << parser.value(device)
            << "\"\n";
        return 2;
    }

    const EnvironmentReport report = EnvironmentReport::gather(options);
    if (parser.isSet(json))
        out << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    else
        out << report.toText();
    out.flush();
    return report.worst() == Verdict::Severity::Error ? 1 : 0;
}

int runDoctorCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    return runDoctorCommand(arguments, out, err);
}

} // namespace torchlab::cli
