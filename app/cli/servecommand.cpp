#include "cli/servecommand.h"

#include "cli/jobrelay.h"
#include "cli/stdinchannel.h"

#include "core/remote/jobbundle.h"
#include "core/runner/runstream.h"
#include "core/util/uilanguage.h"

#include <QCoreApplication>
#include <QSysInfo>
#include <QTextStream>

#include <csignal>
#include <cstdio>

namespace torchlab::cli {

int runServeCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        out << "usage: torchlab-cli serve --json-stream\n\n"
               "The course server's side of a lab's session over ssh: reads jobs on stdin, one\n"
               "per line, runs each with `torchlab-cli run --job FILE --json-stream` (through\n"
               "srun when the job asks for Slurm) and answers with its events, until stdin\n"
               "ends. A {\"t\":\"stop\"} line stops the job that runs. See docs/json-stream.md.\n";
        return 0;
    }
    if (arguments != QStringList{QStringLiteral("--json-stream")}) {
        err << "torchlab-cli serve: the only form is serve --json-stream\n";
        return 2;
    }
    // A lab that went away must not kill the server before its job stops.
    std::signal(SIGPIPE, SIG_IGN);
    RunStreamWriter stream([](const QByteArray &lines) {
        std::fwrite(lines.constData(), 1, size_t(lines.size()), stdout);
        std::fflush(stdout);
    });
    stream.hello(QSysInfo::machineHostName());
    StdinChannel control;
    QString language;
    for (;;) {
        Result<QByteArray> line = control.readJobLine(runstream::MaxLineBytes);
        if (!line)
            return 0; // the lab closed the session
        Result<JobBundle> bundle = decodeJobBundle(*line);
        if (!bundle) {
            stream.done(RunnerResult::notStarted(bundle.error()), 1);
            continue;
        }
        if (language.isEmpty()) {
            // One session speaks one language (the lab opens a session per language).
            language = UiLanguage::normalized(bundle->language);
            UiLanguage::install(*QCoreApplication::instance(), language);
        }
        Result<QString> folder = unpackJobBundle(*bundle, defaultJobsRoot());
        if (!folder) {
            stream.done(RunnerResult::notStarted(folder.error()), 1);
            continue;
        }
        JobRelay relay(*bundle, *folder, stream);
        relay.exec(control);
        if (control.ended())
            return 0;
    }
}

} // namespace torchlab::cli
