#include "cli/servecommand.h"

#include "cli/gradeserve.h"
#include "cli/jobrelay.h"
#include "cli/stdinchannel.h"

#include "core/grading/graderecords.h"
#include "core/remote/jobbundle.h"
#include "core/runner/runstream.h"
#include "core/util/uilanguage.h"

#include <QCoreApplication>
#include <QProcess>
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
        out << "usage: torchlab-cli serve --json-stream [--grade-as STUDENT]\n\n"
               "The course server's side of a lab's session over ssh: reads jobs on stdin, one\n"
               "per line, runs each with `torchlab-cli run --job FILE --json-stream` (through\n"
               "srun when the job asks for Slurm) and answers with its events, until stdin\n"
               "ends. A {\"t\":\"stop\"} line stops the job that runs. See docs/json-stream.md.\n\n"
               "--grade-as STUDENT: the grader account's forced command for one student's\n"
               "key (docs/instructors.md). Only server-graded Checks are accepted: each is\n"
               "graded with the hidden checks of the packs installed in this account and\n"
               "recorded for `torchlab-cli class status`. The lab's doctor request is\n"
               "answered too.\n";
        return 0;
    }
    QString student;
    if (arguments.size() == 3 && arguments[0] == QLatin1String("--json-stream") &&
        arguments[1] == QLatin1String("--grade-as")) {
        student = arguments[2];
        if (!GradeRecords::validStudent(student)) {
            err << "torchlab-cli serve: --grade-as takes a name of letters, digits, '.', '_' "
                   "and '-', not '"
                << student << "'\n";
            return 2;
        }
        // Under a forced command ssh runs this whatever the lab asked for; the
        // lab's doctor request (`target test`) gets the doctor.
        QStringList asked = qEnvironmentVariable("SSH_ORIGINAL_COMMAND")
                                .split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (QString &word : asked)
            word.remove(QLatin1Char('\''));
        if (asked.size() >= 2 && asked[1] == QLatin1String("doctor")) {
            QProcess doctor;
            doctor.setProcessChannelMode(QProcess::ForwardedChannels);
            doctor.setStandardInputFile(QProcess::nullDevice());
            QStringList args{QStringLiteral("doctor"), QStringLiteral("--json")};
            const qsizetype at = asked.indexOf(QStringLiteral("--lang"));
            if (at >= 0 && at + 1 < asked.size() &&
                (asked[at + 1] == QLatin1String("zh_CN") || asked[at + 1] == QLatin1String("en")))
                args << QStringLiteral("--lang") << asked[at + 1];
            doctor.start(QCoreApplication::applicationFilePath(), args);
            doctor.waitForFinished(-1);
            return doctor.exitStatus() == QProcess::NormalExit ? doctor.exitCode() : 1;
        }
    } else if (arguments != QStringList{QStringLiteral("--json-stream")}) {
        err << "torchlab-cli serve: the only forms are serve --json-stream and serve "
               "--json-stream --grade-as STUDENT\n";
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
        if (!student.isEmpty()) {
            // The grader account grades; it runs nothing else for a student.
            if (!bundle->grade) {
                stream.done(
                    RunnerResult::notStarted(
                        QCoreApplication::translate("torchlab::cli::GradeServe",
                                                    "This account only grades Checks"),
                        QCoreApplication::translate(
                            "torchlab::cli::GradeServe",
                            "The course's grading target checks server-graded lessons only. "
                            "Run your programs, and check other lessons, on your own target.")),
                    1);
                continue;
            }
            bundle->learner = jobFolderName(student); // never the name the lab sent
        } else if (bundle->grade) {
            stream.done(
                RunnerResult::notStarted(
                    QCoreApplication::translate("torchlab::cli::GradeServe",
                                                "This account does not grade lessons"),
                    QCoreApplication::translate(
                        "torchlab::cli::GradeServe",
                        "This lesson is graded on the course server through the grader account. "
                        "Choose your course's grading target (docs/instructors.md) and check "
                        "again.")),
                1);
            continue;
        }
        Result<QString> folder = unpackJobBundle(*bundle, defaultJobsRoot());
        if (!folder) {
            stream.done(RunnerResult::notStarted(folder.error()), 1);
            continue;
        }
        if (bundle->grade) {
            gradeJob(*bundle, *folder, student, stream, control);
            if (control.ended())
                return 0;
            continue;
        }
        JobRelay relay(*bundle, *folder, stream);
        relay.exec(control);
        if (control.ended())
            return 0;
    }
}

} // namespace torchlab::cli
