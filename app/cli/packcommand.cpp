#include "packcommand.h"

#include "feedcommand.h"

#include "course/packloader.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <numeric>

namespace torchlab::cli {

namespace {

const char kPackUsage[] =
    "usage: torchlab-cli pack validate DIR [--json] [--strict]\n"
    "\n"
    "  validate DIR   check a lesson pack folder (pack.toml and its lessons) and list every problem\n"
    "                 with file:line; exit 0 when valid, 1 when not\n";

int validate(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check a lesson pack: manifest syntax, missing files and texts, duplicate ids, unknown check kinds, "
        "bad bounds and patterns, unknown keys. Each problem is printed as path:line:col: error|warning: "
        "message.\nExit code: 0 valid, 1 invalid, 2 usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("the pack folder (holds pack.toml)"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the problems as JSON."));
    const QCommandLineOption strict(QStringLiteral("strict"), QStringLiteral("Count warnings as errors."));
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
    const qsizetype checks = std::accumulate(result.pack.lessons.cbegin(), result.pack.lessons.cend(), qsizetype(0),
                                             [](qsizetype n, const Lesson &l) { return n + l.checks.size(); });
    out << dir << ": " << (result.pack.id.isEmpty() ? QStringLiteral("(no id)") : result.pack.id) << " "
        << result.pack.version << ", " << result.pack.lessons.size() << " lessons, " << checks << " checks; "
        << errors << (errors == 1 ? " error, " : " errors, ") << warnings
        << (warnings == 1 ? " warning" : " warnings") << " — " << (valid ? "valid" : "not valid") << "\n";
    return valid ? 0 : 1;
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
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub == QLatin1String("help")) {
        out << kPackUsage << kPackTrustUsage;
        return 0;
    }
    if (sub == QLatin1String("validate"))
        return validate(arguments.mid(1));
    // Signing and installing live in feedcommand.cpp.
    if (isPackTrustSubcommand(sub))
        return runPackTrustCommand(sub, arguments.mid(1));
    err << "torchlab-cli pack: unknown subcommand '" << sub << "'\n\n" << kPackUsage << kPackTrustUsage;
    return 2;
}

} // namespace torchlab::cli
