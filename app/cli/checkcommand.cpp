#include "cli/checkcommand.h"

#include "cli/monitoroptions.h"
#include "cli/profileoptions.h"
#include "cli/progressline.h"
#include "cli/signalstop.h"
#include "cli/targetoptions.h"

#include "core/course/packloader.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/util/uilanguage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace torchlab::cli {

namespace {

QString indent(const QString &text, int spaces)
{
    const QString pad(spaces, QLatin1Char(' '));
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &l : lines)
        l.prepend(pad);
    return lines.join(QLatin1Char('\n'));
}

QString statusWord(CheckResult::Status s)
{
    switch (s) {
    case CheckResult::Status::Pass:
        return QStringLiteral("pass ");
    case CheckResult::Status::Fail:
        return QStringLiteral("FAIL ");
    case CheckResult::Status::Error:
        return QStringLiteral("ERROR");
    case CheckResult::Status::Skipped:
        return QStringLiteral("SKIP ");
    }
    return QString();
}

void printReport(QTextStream &out, const CheckReport &r)
{
    for (const CheckResult &t : r.tests) {
        // The title reads as a sentence; a lab::check's name is what the
        // pack's check code calls it, worth seeing for whoever wrote it.
        out << "  " << statusWord(t.status) << " " << (t.title.isEmpty() ? t.name : t.title);
        if (t.kind == Check::Kind::Check && !t.title.isEmpty() && t.title != t.name)
            out << "  [" << t.name << "]";
        out << "\n";
        if (!t.message.isEmpty())
            out << indent(t.message, 10) << "\n";
        // The output of a passing check is only its evidence; show it for the others.
        if (t.status != CheckResult::Status::Pass && !t.output.isEmpty())
            out << indent(t.output, 10) << "\n";
    }
    for (const QString &note : r.notes)
        out << "  note: " << note << "\n";
    out << "  => " << CheckResult::statusName(r.status) << ": "
        << r.count(CheckResult::Status::Pass) << "/" << r.tests.size() << " checks passed";
    if (const int skipped = r.count(CheckResult::Status::Skipped); skipped > 0)
        out << ", " << skipped << " skipped";
    if (r.compileMs > 0 || r.runMs > 0)
        out << " (compile " << QString::number(r.compileMs / 1000.0, 'f', 1) << " s, run "
            << QString::number(r.runMs / 1000.0, 'f', 1) << " s)";
    out << "\n";
    // The message adds to the lines above only when something could not be
    // checked (no compile, a crash); "3 of 7 checks passed" would repeat them.
    if (!r.message.isEmpty() &&
        (r.status == CheckResult::Status::Error || r.count(CheckResult::Status::Error) > 0))
        out << indent(r.message, 5) << "\n";
    out << Qt::flush;
}

} // namespace

int runCheckCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Grade lessons of a pack: compile the chosen code with the lesson's hidden checks, run it "
        "under the "
        "lesson's limits, and print every check as pass, FAIL or ERROR with what to look at.\n"
        "Exit code: 0 when every check of every lesson passed, 1 otherwise, 2 for usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("pack"),
                                 QStringLiteral("the pack folder (holds pack.toml)"));
    addProfileOptions(parser);
    const QCommandLineOption lessonOpt(
        QStringLiteral("lesson"),
        QStringLiteral("Check only this lesson (id or folder; may be repeated)."),
        QStringLiteral("id"));
    const QCommandLineOption useOpt(
        QStringLiteral("use"),
        QStringLiteral("What to check: starter, solution (default), or a FILE/folder "
                       "that replaces the starter file of the same name."),
        QStringLiteral("starter|solution|FILE"), QStringLiteral("solution"));
    const QCommandLineOption jsonOpt(
        QStringLiteral("json"),
        QStringLiteral("Print results.json objects (an array for several lessons)."));
    const QCommandLineOption quickOpt(
        QStringLiteral("quick"),
        QStringLiteral("Quick mode: TORCHLAB_QUICK=1, lessons train for fewer steps."));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     QStringLiteral("Language of the messages: en or zh_CN."),
                                     QStringLiteral("lang"), QStringLiteral("en"));
    const QCommandLineOption noPch(QStringLiteral("no-pch"),
                                   QStringLiteral("Compile without the precompiled header."));
    const QCommandLineOption targetOpt = targetOption();
    const QCommandLineOption sandboxOpt = sandboxOption();
    const QCommandLineOption prometheusOpt = prometheusOption();
    parser.addOptions({lessonOpt, useOpt, jsonOpt, quickOpt, langOpt, noPch, targetOpt, sandboxOpt,
                       prometheusOpt});
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli check"));
    if (!parser.parse(args)) {
        err << "torchlab-cli check: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "torchlab-cli check: name exactly one pack folder\n";
        return 2;
    }
    const QString language = parser.value(langOpt);
    if (language != QLatin1String("en") && language != QLatin1String("zh_CN")) {
        err << "torchlab-cli check: --lang takes en or zh_CN, not '" << language << "'\n";
        return 2;
    }
    const bool asJson = parser.isSet(jsonOpt);
    UiLanguage::install(*QCoreApplication::instance(), language);
    std::optional<Target> target;
    if (parser.isSet(targetOpt)) {
        Result<Target> found = TargetStore().find(parser.value(targetOpt));
        if (!found) {
            err << "torchlab-cli check: " << found.error() << "\n";
            return 2;
        }
        if (!found->isLocal())
            target = *found;
    }

    const QString packDir = parser.positionalArguments().first();
    const PackLoadResult loaded = PackLoader::load(packDir);
    if (!loaded.valid()) {
        for (const Problem &p : loaded.problems)
            if (p.isError())
                err << p.toString() << "\n";
        err << "torchlab-cli check: " << packDir << " has errors; `torchlab-cli pack validate "
            << packDir << "` lists them all.\n";
        return 1;
    }

    QList<const Lesson *> lessons;
    const QStringList wanted = parser.values(lessonOpt);
    if (wanted.isEmpty()) {
        for (const Lesson &l : loaded.pack.lessons)
            lessons << &l;
    }
    for (const QString &w : wanted) {
        const Lesson *l = loaded.pack.lesson(w);
        if (!l) {
            QStringList ids;
            for (const Lesson &x : loaded.pack.lessons)
                ids << x.id;
            err << "torchlab-cli check: the pack has no lesson '" << w
                << "' (lessons: " << ids.join(QStringLiteral(", ")) << ")\n";
            return 2;
        }
        lessons << l;
    }
    if (lessons.isEmpty()) {
        err << "torchlab-cli check: the pack has no lessons\n";
        return 1;
    }

    CheckRequest request;
    const QString use = parser.value(useOpt);
    if (use == QLatin1String("starter")) {
        request.use = CheckRequest::Use::Starter;
    } else if (use == QLatin1String("solution")) {
        request.use = CheckRequest::Use::Solution;
    } else {
        if (!QFileInfo::exists(use)) {
            err << "torchlab-cli check: --use " << use
                << ": no such file or folder (or say starter or solution)\n";
            return 2;
        }
        if (lessons.size() != 1) {
            err << "torchlab-cli check: --use FILE needs exactly one --lesson\n";
            return 2;
        }
        request.use = CheckRequest::Use::Files;
        request.files = QStringList{use};
    }
    request.quick = parser.isSet(quickOpt);
    request.language = language;
    const std::optional<SandboxMode> sandboxMode = sandboxModeOption(parser, sandboxOpt);
    if (!sandboxMode) {
        err << "torchlab-cli check: --sandbox takes auto, require or off\n";
        return 2;
    }
    request.sandbox = *sandboxMode;
    request.usePch = !parser.isSet(noPch);

    // One session for the whole invocation: one precompiled header, built
    // (or waited for) once, and every lesson through the lab's own flow.
    LabSession session;
    RunMonitoring monitoring(session, err, asJson);
    if (Status serving = monitoring.start(parser, prometheusOpt); !serving) {
        err << "torchlab-cli check: " << serving.error() << "\n";
        return 2;
    }
    if (target) {
        Result<std::shared_ptr<RunnerFactory>> factory =
            targetFactory(*target, asJson ? nullptr : &err);
        if (!factory) {
            err << "torchlab-cli check: " << factory.error() << "\n";
            return 1;
        }
        session.setRunnerFactory(*factory);
        if (!asJson)
            err << "Checking on " << target->describe() << " (target " << target->name << ")\n"
                << Qt::flush;
    } else {
        const ResolvedProfile resolved = resolveProfile(parser);
        if (!resolved.error.isEmpty()) {
            err << "torchlab-cli check: " << resolved.error << "\n";
            return 1;
        }
        request.profile = resolved.profile;
        if (!asJson) {
            for (const QString &warning : resolved.warnings)
                err << "warning: " << warning << "\n";
            err << "Using " << request.profile.compiler.displayName() << " with "
                << request.profile.libtorch.displayName() << "\n"
                << Qt::flush;
        }
        session.environment()->useProfile(request.profile, false);
    }
    QueuePrinter queuePrinter(err);
    QObject::connect(&session, &LabSession::queued, &session, [&](const QueueState &state) {
        if (!asJson)
            queuePrinter.show(state);
    });
    QObject::connect(&session, &LabSession::notice, &session, [&](const QString &text) {
        if (!asJson)
            err << "note: " << text << "\n" << Qt::flush;
    });
    ProgressLine progress;
    bool progressShown = false;
    QObject::connect(&session, &LabSession::pchProgress, &session,
                     [&](int percent, const QString &message) {
                         if (!asJson) {
                             progressShown = true;
                             progress.update(percent, message);
                         }
                     });
    QObject::connect(&session, &LabSession::phaseChanged, &session, [&](RunPhase phase) {
        if (progressShown && phase == RunPhase::Compiling) {
            progress.done(
                QStringLiteral("LibTorch precompiled header ready; later compiles reuse it."));
            progressShown = false;
        }
    });

    QEventLoop loop;
    SessionResult current;
    QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
        current = r;
        loop.quit();
    });
    bool interrupted = false;
    SignalStop signalStop([&] {
        interrupted = true;
        session.stop();
    });

    QJsonArray reports;
    int passed = 0, failed = 0, errors = 0;
    QElapsedTimer total;
    total.start();
    for (const Lesson *lesson : std::as_const(lessons)) {
        if (interrupted)
            break;
        if (!asJson)
            out << "── " << lesson->folder << " (" << lesson->id
                << "): " << localized(lesson->title, language) << " ["
                << (request.use == CheckRequest::Use::Files ? use : parser.value(useOpt))
                << (request.quick ? ", quick" : "") << "]\n"
                << Qt::flush;
        session.start(RunMode::Check, *lesson, request);
        if (session.isBusy())
            loop.exec();
        CheckReport report = current.report;
        if (!current.started) {
            // The session could not start it (a stop before the start): say so as an error.
            report.lessonId = lesson->id;
            report.lessonFolder = lesson->folder;
            report.status = CheckResult::Status::Error;
            report.message = current.notStartedReason;
        }
        reports.append(report.toJson());
        if (report.status == CheckResult::Status::Pass)
            ++passed;
        else if (report.status == CheckResult::Status::Fail)
            ++failed;
        else
            ++errors;
        if (!asJson)
            printReport(out, report);
    }

    const bool allPassed = !interrupted && passed == int(lessons.size());
    if (asJson) {
        if (lessons.size() == 1 && reports.size() == 1)
            out << QJsonDocument(reports.first().toObject()).toJson(QJsonDocument::Indented);
        else
            out << QJsonDocument(reports).toJson(QJsonDocument::Indented);
        return allPassed ? 0 : 1;
    }
    out << reports.size() << (reports.size() == 1 ? " lesson: " : " lessons: ") << passed
        << " passed, " << failed << " failed, " << errors << " with errors, in "
        << QString::number(total.elapsed() / 1000.0, 'f', 1) << " s"
        << (interrupted ? " (interrupted)" : "") << "\n";
    return allPassed ? 0 : 1;
}

} // namespace torchlab::cli
