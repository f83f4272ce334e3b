#include "cli/classcommand.h"

#include "core/grading/graderecords.h"
#include "core/remote/sshtransport.h"
#include "core/remote/target.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>

namespace torchlab::cli {

namespace {

QString ago(const QJsonValue &seconds)
{
    if (seconds.isNull() || seconds.isUndefined())
        return QStringLiteral("-");
    const qint64 s = qint64(seconds.toDouble());
    if (s < 60)
        return QStringLiteral("%1 s ago").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    return QStringLiteral("%1 d ago").arg(s / 86400);
}

void printStatus(QTextStream &out, const QJsonObject &status)
{
    const QJsonArray students = status.value(QStringLiteral("students")).toArray();
    if (students.isEmpty()) {
        out << "No server-graded Check recorded yet.\n";
        return;
    }
    for (const QJsonValue &s : students) {
        const QJsonObject student = s.toObject();
        out << student.value(QStringLiteral("student")).toString() << "\n";
        for (const QJsonValue &l : student.value(QStringLiteral("lessons")).toArray()) {
            const QJsonObject lesson = l.toObject();
            const int tries = lesson.value(QStringLiteral("tries")).toInt();
            out << "  " << lesson.value(QStringLiteral("lesson")).toString() << ": "
                << (lesson.value(QStringLiteral("passed")).toBool() ? "passed" : "not passed")
                << ", " << tries << (tries == 1 ? " try" : " tries") << ", last try "
                << ago(lesson.value(QStringLiteral("seconds_since_last_try"))) << ", last pass "
                << ago(lesson.value(QStringLiteral("seconds_since_last_pass"))) << "\n";
            const QString error = lesson.value(QStringLiteral("last_error")).toString();
            if (!error.isEmpty())
                out << "      last error: " << error << "\n";
        }
    }
    const QJsonArray errors = status.value(QStringLiteral("common_compile_errors")).toArray();
    if (!errors.isEmpty()) {
        out << "Most common compile errors:\n";
        for (const QJsonValue &e : errors)
            out << "  " << e.toObject().value(QStringLiteral("students")).toInt() << "  "
                << e.toObject().value(QStringLiteral("error")).toString() << "\n";
    }
    const QJsonArray checks = status.value(QStringLiteral("common_failing_checks")).toArray();
    if (!checks.isEmpty()) {
        out << "Most often failing checks:\n";
        for (const QJsonValue &c : checks)
            out << "  " << c.toObject().value(QStringLiteral("students")).toInt() << "  "
                << c.toObject().value(QStringLiteral("check")).toString() << "\n";
    }
}

} // namespace

int runClassCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The class at a glance, from the grader account's records of server-graded Checks: per "
        "student and lesson, passed or not, tries, time since the last try and the last pass, the "
        "last compile error; then the most common compile errors and failing checks.\n"
        "Exit code: 0 shown, 1 failed, 2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("status"), QStringLiteral("the only subcommand"));
    const QCommandLineOption lessonOpt(QStringLiteral("lesson"),
                                       QStringLiteral("Only this lesson (its id)."),
                                       QStringLiteral("id"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"),
                                     QStringLiteral("Print the JSON of docs/instructors.md."));
    const QCommandLineOption targetOpt(
        QStringLiteral("target"),
        QStringLiteral("Ask the grader account of this target (over ssh) instead of this one."),
        QStringLiteral("name"));
    parser.addOptions({lessonOpt, jsonOpt, targetOpt});
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli class"));
    if (!parser.parse(args)) {
        err << "torchlab-cli class: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments() != QStringList{QStringLiteral("status")}) {
        err << "torchlab-cli class: the only subcommand is status\n";
        return 2;
    }
    const QString lesson = parser.value(lessonOpt);

    QJsonObject status;
    if (parser.isSet(targetOpt)) {
        Result<Target> target = TargetStore().find(parser.value(targetOpt));
        if (!target) {
            err << "torchlab-cli class: " << target.error() << "\n";
            return 2;
        }
        if (target->isLocal()) {
            err << "torchlab-cli class: --target names the grader account's server, not local\n";
            return 2;
        }
        const SshTransport ssh(*target);
        QStringList remote{QStringLiteral("class"), QStringLiteral("status"),
                           QStringLiteral("--json")};
        if (!lesson.isEmpty())
            remote << QStringLiteral("--lesson") << lesson;
        QProcess p;
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(SshTransport::program(), ssh.arguments(ssh.cliCommand(remote)));
        if (!p.waitForFinished(120'000)) {
            p.kill();
            p.waitForFinished(2000);
        }
        const QByteArray said = p.readAllStandardError();
        const int code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput());
        if (code != 0 || !doc.isObject()) {
            const SshTransport::Diagnosis d = ssh.diagnose(code, said, code == 1);
            err << "torchlab-cli class: " << d.summary << ": " << d.explanation << "\n";
            if (!said.trimmed().isEmpty())
                err << QString::fromUtf8(said.trimmed()) << "\n";
            return 1;
        }
        status = doc.object();
    } else {
        status = classStatus(GradeRecords().load(), lesson, QDateTime::currentDateTimeUtc());
    }
    if (parser.isSet(jsonOpt))
        out << QJsonDocument(status).toJson(QJsonDocument::Indented);
    else
        printStatus(out, status);
    return 0;
}

} // namespace torchlab::cli
