#include "cli/packcommand.h"

#include "cli/feedcommand.h"
#include "cli/profileoptions.h"
#include "cli/releasegate.h"

#include "core/course/packloader.h"
#include "core/packs/packarchive.h"
#include "core/packs/packskeleton.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

#include <numeric>

namespace torchlab::cli {

namespace {

const char kPackUsage[] =
    "usage: torchlab-cli pack <subcommand> [options]\n"
    "\n"
    "  new DIR [--id ID] [--title TEXT]\n"
    "                                  write a small valid pack (one lesson, English and Chinese)\n"
    "                                  into a new or empty folder\n"
    "  validate DIR [--json] [--strict]\n"
    "                                  check a lesson pack folder (pack.toml and its lessons) and "
    "list\n"
    "                                  every problem with file:line; exit 0 when valid, 1 when "
    "not\n"
    "  build DIR [-o FILE|DIR] [--allow-warnings] [--quick] [--no-grade]\n"
    "                                  the release gate (no warnings, every solution passes, no "
    "starter\n"
    "                                  does), then <id>-<version>.tar.gz, deterministic; prints "
    "its\n"
    "                                  size and SHA-256\n"
    "  add-lesson DIR ID [--day N] [--title TEXT]\n"
    "                                  add a lesson (folder, files, day listing) to a pack\n";

int validate(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Check a lesson pack: manifest syntax, missing files and texts, duplicate "
                       "ids, unknown check kinds, "
                       "bad bounds and patterns, unknown keys. Each problem is printed as "
                       "path:line:col: error|warning: "
                       "message.\nExit code: 0 valid, 1 invalid, 2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"),
                                 QStringLiteral("the pack folder (holds pack.toml)"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the problems as JSON."));
    const QCommandLineOption strict(QStringLiteral("strict"),
                                    QStringLiteral("Count warnings as errors."));
    parser.addOptions({json, strict});
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli pack validate"));
    if (!parser.parse(args)) {
        err << "torchlab-cli pack validate: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "torchlab-cli pack validate: name exactly one pack folder\n";
        return 2;
    }
    const QString dir = parser.positionalArguments().first();
    const PackLoadResult result = PackLoader::load(dir);
    int errors = 0, warnings = 0;
    for (const Problem &p : result.problems)
        (p.isError() ? errors : warnings)++;
    const bool valid = errors == 0 && (!parser.isSet(strict) || warnings == 0);

    if (parser.isSet(json)) {
        QJsonArray problems;
        for (const Problem &p : result.problems)
            problems.append(p.toJson());
        QJsonArray lessons;
        for (const Lesson &l : result.pack.lessons)
            lessons.append(QJsonObject{{QStringLiteral("id"), l.id},
                                       {QStringLiteral("folder"), l.folder},
                                       {QStringLiteral("day"), l.day},
                                       {QStringLiteral("checks"), int(l.checks.size())}});
        const QJsonObject doc{{QStringLiteral("pack"), dir},
                              {QStringLiteral("id"), result.pack.id},
                              {QStringLiteral("version"), result.pack.version},
                              {QStringLiteral("valid"), valid},
                              {QStringLiteral("errors"), errors},
                              {QStringLiteral("warnings"), warnings},
                              {QStringLiteral("lessons"), lessons},
                              {QStringLiteral("problems"), problems}};
        out << QJsonDocument(doc).toJson(QJsonDocument::Indented);
        return valid ? 0 : 1;
    }

    for (const Problem &p : result.problems)
        out << p.toString() << "\n";
    const qsizetype checks =
        std::accumulate(result.pack.lessons.cbegin(), result.pack.lessons.cend(), qsizetype(0),
                        [](qsizetype n, const Lesson &l) { return n + l.checks.size(); });
    out << dir << ": " << (result.pack.id.isEmpty() ? QStringLiteral("(no id)") : result.pack.id)
        << " " << result.pack.version << ", " << result.pack.lessons.size() << " lessons, "
        << checks << " checks; " << errors << (errors == 1 ? " error, " : " errors, ") << warnings
        << (warnings == 1 ? " warning" : " warnings") << " — " << (valid ? "valid" : "not valid")
        << "\n";
    return valid ? 0 : 1;
}

// For the hint lines: a folder the user may paste back into a shell.
QString shellWord(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=+-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// `pack new DIR`: the instructor's starting point.
int newPack(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write a small lesson pack that passes `pack validate --strict` into DIR "
                       "(new or empty): pack.toml and "
                       "one lesson with English and Simplified Chinese texts, a starter, a "
                       "reference solution and hidden "
                       "check code. Nothing is ever overwritten.\nExit code: 0 written, 1 failed, "
                       "2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("the new pack folder"));
    const QCommandLineOption id(QStringLiteral("id"),
                                QStringLiteral("The pack id (default: org.example.<folder name>)."),
                                QStringLiteral("ID"));
    const QCommandLineOption title(QStringLiteral("title"),
                                   QStringLiteral("The English title (default: the folder name)."),
                                   QStringLiteral("TEXT"));
    parser.addOptions({id, title});
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli pack new"));
    if (!parser.parse(args)) {
        err << "torchlab-cli pack new: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "torchlab-cli pack new: name exactly one folder\n";
        return 2;
    }
    const QString dir = parser.positionalArguments().first();
    const SkeletonResult made = writePackSkeleton(dir, {parser.value(id), parser.value(title)});
    if (!made.ok) {
        err << "torchlab-cli pack new: " << made.error << "\n";
        return 1;
    }
    for (const QString &file : made.files)
        out << QDir(dir).filePath(file) << "\n";
    const QString word = shellWord(dir);
    out << "Wrote pack " << made.id << " to " << dir << ". Next:\n"
        << "  torchlab-cli pack validate " << word << "\n"
        << "  torchlab-cli check " << word << " --use solution\n"
        << "  torchlab-cli pack build " << word << " -o " << made.id << "-0.1.0.tar.gz\n";
    return 0;
}

// `pack add-lesson DIR ID`: a new lesson in an existing pack.
int addLesson(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Add a lesson to a pack: the folder NN-ID with the same files as `pack new` writes "
        "(English "
        "and Chinese texts, starter, solution, check.cpp) and the folder listed in pack.toml under "
        "its day; the rest of pack.toml is kept as it is. Nothing is ever overwritten.\n"
        "Exit code: 0 added, 1 failed, 2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("the pack folder"));
    parser.addPositionalArgument(QStringLiteral("id"),
                                 QStringLiteral("the new lesson's id (a-z, 0-9, '-')"));
    const QCommandLineOption day(QStringLiteral("day"),
                                 QStringLiteral("The day to list it under (default: the last; one "
                                                "past the last adds a day)."),
                                 QStringLiteral("N"));
    const QCommandLineOption title(QStringLiteral("title"),
                                   QStringLiteral("The lesson's title (default: its id)."),
                                   QStringLiteral("TEXT"));
    parser.addOptions({day, title});
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli pack add-lesson"));
    if (!parser.parse(args)) {
        err << "torchlab-cli pack add-lesson: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 2) {
        err << "torchlab-cli pack add-lesson: name the pack folder and the new lesson's id\n";
        return 2;
    }
    LessonSkeletonOptions options;
    options.title = parser.value(title);
    if (parser.isSet(day)) {
        bool ok = false;
        options.day = parser.value(day).toInt(&ok);
        if (!ok || options.day < 1) {
            err << "torchlab-cli pack add-lesson: --day takes a day number (1, 2, ...)\n";
            return 2;
        }
    }
    const QString dir = parser.positionalArguments().at(0);
    const SkeletonResult added =
        addLessonSkeleton(dir, parser.positionalArguments().at(1), options);
    if (!added.ok) {
        err << "torchlab-cli pack add-lesson: " << added.error << "\n";
        return 1;
    }
    for (const QString &file : added.files)
        out << "  " << QDir::cleanPath(dir + QLatin1Char('/') + file) << "\n";
    const QString word = shellWord(dir);
    out << "Added the lesson \"" << added.id << "\". Write its texts, starter, solution and "
        << "checks, then:\n"
        << "  torchlab-cli check " << word << " --lesson " << added.id << " --use solution\n"
        << "  torchlab-cli pack build " << word << "\n";
    return 0;
}

// The version a file name carries ("basics-1.2.0.tar.gz" -> "1.2.0"); empty when none.
QString versionInName(const QString &fileName)
{
    static const QRegularExpression version(
        QStringLiteral(R"((?:^|[-_v])(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.(?:tar\.gz|tgz)$)"));
    const QRegularExpressionMatch m = version.match(fileName);
    return m.hasMatch() ? m.captured(1) : QString();
}

// `pack build DIR [-o FILE.tar.gz]`: the release gate, then the archive.
int buildPack(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The release gate, then the archive. The pack must validate with no problem at all "
        "(warnings too: a check name no check source mentions can never pass), every reference "
        "solution must pass all of its lesson's checks and no untouched starter may pass them; "
        "each problem is printed with its pack file and line. Then the pack is written as "
        "<id>-<version>.tar.gz (from pack.toml) whose bytes depend only on the files: entries "
        "sorted, times 0 (or SOURCE_DATE_EPOCH), owners 0, modes 0644/0755, gzip without a time "
        "stamp. Hidden files and editor backups (*~) are left out; symbolic links are refused. "
        "A pack with server-graded lessons (grading = \"server\") gets two archives: the "
        "learners' without those lessons' check sources and solutions, and "
        "<id>-<version>-instructor.tar.gz with everything, for the grader account.\n"
        "Exit code: 0 written, 1 not ready or failed, 2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"),
                                 QStringLiteral("the pack folder (holds pack.toml)"));
    const QCommandLineOption output(
        QStringList{QStringLiteral("o"), QStringLiteral("output")},
        QStringLiteral("Where to write: a folder, or a file whose name, when it carries a version, "
                       "must carry pack.toml's (default: <id>-<version>.tar.gz here)."),
        QStringLiteral("FILE|DIR"));
    const QCommandLineOption strict(QStringLiteral("strict"),
                                    QStringLiteral("Count warnings as errors (the default)."));
    const QCommandLineOption allowWarnings(
        QStringLiteral("allow-warnings"),
        QStringLiteral("Build even when pack validate has warnings (errors still stop it)."));
    const QCommandLineOption noGrade(
        QStringLiteral("no-grade"),
        QStringLiteral("Do not grade solutions and starters (for a machine without LibTorch); "
                       "the build says the pack was not graded."));
    const QCommandLineOption quick(
        QStringLiteral("quick"),
        QStringLiteral("Grade with TORCHLAB_QUICK=1 (fewer training steps), as quick runs do."));
    parser.addOptions({output, strict, allowWarnings, noGrade, quick});
    addProfileOptions(parser);
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli pack build"));
    if (!parser.parse(args)) {
        err << "torchlab-cli pack build: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "torchlab-cli pack build: name exactly one pack folder\n";
        return 2;
    }
    if (parser.isSet(strict) && parser.isSet(allowWarnings)) {
        err << "torchlab-cli pack build: --strict and --allow-warnings exclude each other\n";
        return 2;
    }
    const QString dir = parser.positionalArguments().first();
    const PackLoadResult loaded = PackLoader::load(dir);
    int errors = 0, warnings = 0;
    for (const Problem &p : loaded.problems) {
        (p.isError() ? errors : warnings)++;
        err << p.toString() << "\n";
    }
    if (!loaded.valid()) {
        err << "torchlab-cli pack build: " << dir << " is not a valid pack; nothing written\n";
        return 1;
    }
    if (warnings > 0 && !parser.isSet(allowWarnings)) {
        err << "torchlab-cli pack build: " << warnings << (warnings == 1 ? " warning" : " warnings")
            << " above; a release has none (they break grading or what learners see). Fix "
               "them, or build with --allow-warnings. Nothing written.\n";
        return 1;
    }

    // The archive's name comes from pack.toml; -o may name a folder, or a
    // file whose version (when it has one) agrees.
    const QString defaultName =
        QStringLiteral("%1-%2.tar.gz").arg(loaded.pack.id, loaded.pack.version);
    QString file = defaultName;
    if (parser.isSet(output)) {
        const QString given = parser.value(output);
        if (QFileInfo(given).isDir() || given.endsWith(QLatin1Char('/'))) {
            file = QDir(given).filePath(defaultName);
        } else {
            const QString named = versionInName(QFileInfo(given).fileName());
            if (!named.isEmpty() && named != loaded.pack.version) {
                err << "torchlab-cli pack build: " << given << " says version " << named
                    << ", but pack.toml says " << loaded.pack.version
                    << ". Raise `version` in pack.toml for a new release (learners are only "
                       "offered a higher version), or leave -o out to write "
                    << defaultName << ". Nothing written.\n";
                return 1;
            }
            file = given;
        }
    }

    bool graded = false;
    if (!parser.isSet(noGrade)) {
        const ResolvedProfile resolved = resolveProfile(parser);
        if (!resolved.error.isEmpty()) {
            err << "torchlab-cli pack build: cannot grade the lessons: " << resolved.error
                << "\n(--no-grade builds without grading.)\n";
            return 1;
        }
        err << "Grading with " << resolved.profile.compiler.displayName() << " and "
            << resolved.profile.libtorch.displayName() << (parser.isSet(quick) ? " (quick)" : "")
            << "\n"
            << Qt::flush;
        const ReleaseGrade grade =
            gradeForRelease(loaded, dir, resolved.profile, parser.isSet(quick), err);
        if (grade.interrupted) {
            err << "torchlab-cli pack build: interrupted; nothing written\n";
            return 130;
        }
        for (const QString &problem : grade.problems)
            err << problem << "\n";
        if (!grade.problems.isEmpty()) {
            err << "torchlab-cli pack build: " << grade.problems.size()
                << (grade.problems.size() == 1 ? " problem" : " problems")
                << " in the solutions, starters or checks above; nothing written\n";
            return 1;
        }
        graded = true;
    }

    // Server-graded lessons: the student's archive leaves their check sources
    // and solutions out; the instructor's archive, beside it, has everything.
    QStringList hidden;
    for (const Lesson &lesson : loaded.pack.lessons) {
        if (!lesson.gradedOnServer())
            continue;
        for (const QString &f : lesson.checkSources + lesson.solution)
            hidden << lesson.folder + QLatin1Char('/') + QDir::cleanPath(f);
    }
    const BuildResult built = buildPackArchive(dir, file, hidden);
    if (!built.ok) {
        err << "torchlab-cli pack build: " << built.error << "\n";
        return 1;
    }
    if (!hidden.isEmpty()) {
        QString instructorFile = file;
        if (instructorFile.endsWith(QLatin1String(".tar.gz")))
            instructorFile.chop(7);
        instructorFile += QStringLiteral("-instructor.tar.gz");
        const BuildResult full = buildPackArchive(dir, instructorFile);
        if (!full.ok) {
            QFile::remove(file);
            err << "torchlab-cli pack build: " << full.error << "\n";
            return 1;
        }
        out << instructorFile << ": " << loaded.pack.id << " " << loaded.pack.version
            << " for the course server's grader account, " << full.files.size() << " files, "
            << full.bytes << " bytes, sha256 " << full.sha256 << "\n";
    }
    out << file << ": " << loaded.pack.id << " " << loaded.pack.version << ", "
        << built.files.size() << (built.files.size() == 1 ? " file, " : " files, ") << built.bytes
        << " bytes, sha256 " << built.sha256
        << (!graded ? QStringLiteral(", NOT graded (--no-grade)")
            : loaded.pack.lessons.size() == 1
                ? QStringLiteral(", 1 lesson graded")
                : QStringLiteral(", %1 lessons graded").arg(loaded.pack.lessons.size()))
        << "\n";
    return 0;
}

} // namespace

int runPackCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.isEmpty()) {
        err << kPackUsage << kPackTrustUsage;
        return 2;
    }
    const QString sub = arguments.first();
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") ||
        sub == QLatin1String("help")) {
        out << kPackUsage << kPackTrustUsage;
        return 0;
    }
    if (sub == QLatin1String("validate"))
        return validate(arguments.mid(1));
    if (sub == QLatin1String("new"))
        return newPack(arguments.mid(1));
    if (sub == QLatin1String("build"))
        return buildPack(arguments.mid(1));
    if (sub == QLatin1String("add-lesson"))
        return addLesson(arguments.mid(1));
    // Signing and installing live in feedcommand.cpp.
    if (isPackTrustSubcommand(sub))
        return runPackTrustCommand(sub, arguments.mid(1));
    err << "torchlab-cli pack: unknown subcommand '" << sub << "'\n\n"
        << kPackUsage << kPackTrustUsage;
    return 2;
}

} // namespace torchlab::cli
