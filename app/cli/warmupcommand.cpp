#include "cli/warmupcommand.h"

#include "cli/profileoptions.h"
#include "cli/progressline.h"

#include "core/build/pchcache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTextStream>

namespace torchlab::cli {

int runWarmupCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prepare the precompiled LibTorch header for the chosen toolchain now, so that the first "
        "Run is fast. Safe to run while another TorchLab process prepares the same header."));
    parser.addHelpOption();
    addProfileOptions(parser);
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli warmup"));
    if (!parser.parse(args)) {
        err << "torchlab-cli warmup: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    const ResolvedProfile resolved = resolveProfile(parser);
    if (!resolved.error.isEmpty()) {
        err << "torchlab-cli warmup: " << resolved.error << "\n";
        return 1;
    }
    PchCache pch(resolved.profile);
    if (pch.isReady()) {
        out << "Precompiled header already ready: " << pch.pchPath() << "\n";
        return 0;
    }
    ProgressLine progress;
    bool ok = false;
    QString message;
    QEventLoop loop;
    QObject::connect(
        &pch, &PchCache::progress, &loop,
        [&progress](int percent, const QString &text) { progress.update(percent, text); });
    QObject::connect(&pch, &PchCache::finished, &loop, [&](bool success, const QString &text) {
        ok = success;
        message = text;
        loop.quit();
    });
    pch.ensureReady();
    if (pch.state() == PchCache::State::Building || pch.state() == PchCache::State::Waiting)
        loop.exec();
    progress.done(message);
    if (ok)
        out << pch.pchPath() << "\n";
    return ok ? 0 : 1;
}

} // namespace torchlab::cli
