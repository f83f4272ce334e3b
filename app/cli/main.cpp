// torchlab-cli: the headless front end of the TorchLab engine. Everything the
// lab does that needs no screen: run an exercise, check the machine, warm up.
#include "cli/bundlecommand.h"
#include "cli/checkcommand.h"
#include "cli/classcommand.h"
#include "cli/doctorcommand.h"
#include "cli/feedcommand.h"
#include "cli/packcommand.h"
#include "cli/runcommand.h"
#include "cli/servecommand.h"
#include "cli/targetcommand.h"
#include "cli/warmupcommand.h"

#include "core/labconfig.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <cstring>
#include <memory>

namespace {

const char kUsage[] =
    "usage: torchlab-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE.cpp...   compile a LibTorch program and run it, streaming its output\n"
    "  doctor            describe LibTorch installs, compilers and the GPU; say what to fix\n"
    "  warmup            prepare the precompiled LibTorch header now (first compiles are slow)\n"
    "  pack validate DIR check a lesson pack and list every problem with file:line\n"
    "  pack new|build DIR  start a pack from a skeleton; build its deterministic .tar.gz (-o "
    "FILE)\n"
    "  check PACK        grade lessons of a pack (--lesson ID, --use starter|solution|FILE, "
    "--json)\n"
    "  pack sign|install|list|remove   sign a pack archive; install, list and remove packs\n"
    "  feed publish|sign|subscribe|update|list   publish a signed feed; follow one\n"
    "  target add|list|remove|test   run on a course GPU server (SSH) or Slurm: --target NAME\n"
    "  serve --json-stream   the course server's side of a lab's session (run over ssh)\n"
    "  class status          the grader account's record of server-graded Checks\n"
    "  bundle PACK --lesson ID -o FILE   run a lesson and archive the run for citation;\n"
    "  bundle verify|rerun FILE   re-check an archive; run it again and compare metrics\n"
    "\n"
    "  torchlab-cli <command> --help   options of one command\n"
    "  torchlab-cli --version\n";

} // namespace

int main(int argc, char *argv[])
{
    // `bundle` draws its plots with QtGui, which needs a QGuiApplication; on
    // the offscreen platform unless told otherwise, so that no display is needed.
    std::unique_ptr<QCoreApplication> app;
    if (argc > 1 && std::strcmp(argv[1], "bundle") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("torchlab-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("TorchLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TORCHLAB_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        (args.isEmpty() ? err : out) << kUsage;
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version") || args.first() == QLatin1String("-v")) {
        out << "torchlab-cli " << TORCHLAB_VERSION << "\n";
        return 0;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("run"))
        return torchlab::cli::runRunCommand(args);
    if (command == QLatin1String("doctor"))
        return torchlab::cli::runDoctorCommand(args);
    if (command == QLatin1String("warmup"))
        return torchlab::cli::runWarmupCommand(args);
    if (command == QLatin1String("pack"))
        return torchlab::cli::runPackCommand(args);
    if (command == QLatin1String("feed"))
        return torchlab::cli::runFeedCommand(args);
    if (command == QLatin1String("serve"))
        return torchlab::cli::runServeCommand(args);
    if (command == QLatin1String("class"))
        return torchlab::cli::runClassCommand(args);
    if (command == QLatin1String("target"))
        return torchlab::cli::runTargetCommand(args);
    if (command == QLatin1String("check"))
        return torchlab::cli::runCheckCommand(args);
    if (command == QLatin1String("bundle"))
        return torchlab::cli::runBundleCommand(args);
    err << "torchlab-cli: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}
