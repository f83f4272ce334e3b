#include "cli/packcommand.h"

#include "cli/feedcommand.h"

#include "core/course/packloader.h"
#include "core/packs/packarchive.h"
#include "core/packs/packskeleton.h"

#include <QCommandLineParser>
#include <QDir>
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
    "  build DIR [-o FILE.tar.gz]      validate, then write the pack as a deterministic .tar.gz "
    "(same\n"
    "                                  files, same bytes); prints its size and SHA-256\n";

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

// `pack build DIR -o FILE.tar.gz`: validate first, so that no broken pack is published.
int buildPack(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Validate a lesson pack, then write it as a .tar.gz whose bytes depend only "
                       "on the files: entries "
                       "sorted, times 0 (or SOURCE_DATE_EPOCH), owners 0, modes 0644/0755, gzip "
                       "without a time stamp. Hidden "
                       "files and editor backups (*~) are left out; symbolic links are refused.\n"
                       "Exit code: 0 written, 1 invalid pack or failed, 2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"),
                                 QStringLiteral("the pack folder (holds pack.toml)"));
    const QCommandLineOption output(
        QStringList{QStringLiteral("o"), QStringLiteral("output")},
        QStringLiteral("The archive to write (default: <id>-<version>.tar.gz)."),
        QStringLiteral("FILE"));
    parser.addOption(output);
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
    const QString dir = parser.positionalArguments().first();
    const PackLoadResult loaded = PackLoader::load(dir);
    for (const Problem &p : loaded.problems)
        err << p.toString() << "\n";
    if (!loaded.valid()) {
        err << "torchlab-cli pack build: " << dir << " is not a valid pack; nothing written\n";
        return 1;
    }
    const QString file =
        parser.isSet(output)
            ? parser.value(output)
            : QStringLiteral("%1-%2.tar.gz").arg(loaded.pack.id, loaded.pack.version);
    const BuildResult built = buildPackArchive(dir, file);
    if (!built.ok) {
        err << "torchlab-cli pack build: " << built.error << "\n";
        return 1;
    }
    out << file << ": " << loaded.pack.id << " " << loaded.pack.version << ", "
        << built.files.size() << (built.files.size() == 1 ? " file, " : " files, ") << built.bytes
        << " bytes, sha256 " << built.sha256 << "\n";
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
    // Signing and installing live in feedcommand.cpp.
    if (isPackTrustSubcommand(sub))
        return runPackTrustCommand(sub, arguments.mid(1));
    err << "torchlab-cli pack: unknown subcommand '" << sub << "'\n\n"
        << kPackUsage << kPackTrustUsage;
    return 2;
}

} // namespace torchlab::cli
