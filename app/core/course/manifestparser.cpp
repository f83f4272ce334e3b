#include "core/course/manifestparser.h"

#include "core/course/semver.h"
#include "core/course/tomlreader.h"
#include "core/labconfig.h"
#include "core/remote/target.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace torchlab {

using namespace manifest;

namespace {

ManifestLocation at(Pos p)
{
    return ManifestLocation{p.line, p.column};
}

bool validId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,99}$"));
    return re.match(id).hasMatch();
}

// A file a manifest names must stay inside its folder: relative, no "..",
// no backslashes (a Windows-made pack would otherwise work here and not there).
QString badPathReason(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("is empty");
    if (path.startsWith(QLatin1Char('/')) || (path.size() > 1 && path.at(1) == QLatin1Char(':')))
        return QStringLiteral("is absolute; name it relative to the lesson folder");
    if (path.contains(QLatin1Char('\\')))
        return QStringLiteral("contains a backslash; use / between folders");
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString &part : parts) {
        if (part == QLatin1String(".."))
            return QStringLiteral("leaves the lesson folder (\"..\")");
        if (part.isEmpty() || part == QLatin1String("."))
            return QStringLiteral("has an empty or \".\" part");
    }
    for (const QChar c : path)
        if (c.unicode() < 0x20)
            return QStringLiteral("contains a control character");
    return QString();
}

bool isCompiledSource(const QString &path)
{
    static const QStringList suffixes{QStringLiteral("cpp"), QStringLiteral("cc"),
                                      QStringLiteral("cxx"), QStringLiteral("cu")};
    return suffixes.contains(QFileInfo(path).suffix());
}

} // namespace

QStringList knownDatasets()
{
    return {QStringLiteral("fashion-mnist")};
}

PackManifest parsePackManifest(QByteArrayView text, const QString &file, QList<Problem> *problems)
{
    PackManifest out;
    TomlReader r(file, problems);
    const std::optional<toml::table> doc = r.parse(text);
    if (!doc)
        return out;
    out.parsed = true;
    const toml::table &root = *doc;
    r.checkKeys(root,
                {"id", "version", "min_torchlab", "license", "authors", "title", "description",
                 "days", "server"},
                QStringLiteral("pack.toml"));
    Pack &pack = out.pack;

    if (const auto id = r.string(root, "id", Need::Required)) {
        pack.id = id->value;
        if (!validId(pack.id))
            r.error(id->pos,
                    QStringLiteral(
                        "The pack id \"%1\" may use only a-z, 0-9, '.', '_' and '-', starting "
                        "with a letter or digit, such as \"org.example.course\".")
                        .arg(pack.id));
    }
    if (const auto version = r.string(root, "version", Need::Required)) {
        pack.version = version->value;
        if (!SemVer::parse(pack.version))
            r.error(version->pos,
                    QStringLiteral("\"%1\" is not a semantic version: write MAJOR.MINOR.PATCH, "
                                   "such as \"1.0.0\".")
                        .arg(pack.version));
    }
    if (const auto min = r.string(root, "min_torchlab", Need::Optional)) {
        pack.minTorchLab = min->value;
        const auto needed = SemVer::parse(min->value);
        const auto running = SemVer::parse(QStringLiteral(TORCHLAB_VERSION));
        if (!needed)
            r.error(
                min->pos,
                QStringLiteral("\"%1\" is not a semantic version: write MAJOR.MINOR.PATCH, such as "
                               "\"0.1.0\".")
                    .arg(min->value));
        else if (running && SemVer::compare(*needed, *running) > 0)
            r.warning(
                min->pos,
                QStringLiteral("The pack needs TorchLab %1 or newer; this is %2. Update TorchLab "
                               "before using it.")
                    .arg(min->value, QStringLiteral(TORCHLAB_VERSION)));
    }
    if (const auto license = r.string(root, "license", Need::Optional))
        pack.license = license->value;
    if (const auto authors = r.stringArray(root, "authors", Need::Optional))
        for (const auto &a : authors->value)
            pack.authors << a.value;
    if (const auto title =
            r.localized(root, "title", Need::Required, QStringLiteral("the pack title")))
        pack.title = *title;
    if (const auto description = r.localized(root, "description", Need::Required,
                                             QStringLiteral("the pack description")))
        pack.description = *description;

    if (const toml::table *server = r.table(root, "server", Need::Optional)) {
        r.checkKeys(*server,
                    {"host", "port", "slurm_partition", "gres", "time_minutes", "remote_cli"},
                    QStringLiteral("[server]"));
        SuggestedServer s;
        if (const auto host = r.string(*server, "host", Need::Required))
            s.host = host->value;
        if (const auto port = r.integer(*server, "port", Need::Optional))
            s.port = int(port->value);
        if (const auto partition = r.string(*server, "slurm_partition", Need::Optional))
            s.partition = partition->value;
        if (const auto gres = r.string(*server, "gres", Need::Optional))
            s.gres = gres->value;
        if (const auto minutes = r.integer(*server, "time_minutes", Need::Optional))
            s.timeMinutes = int(minutes->value);
        if (const auto cli = r.string(*server, "remote_cli", Need::Optional))
            s.remoteCli = cli->value;
        const QString url =
            QStringLiteral("ssh://%1%2")
                .arg(s.host, s.port > 0 ? QStringLiteral(":%1").arg(s.port) : QString());
        if (!s.host.isEmpty() &&
            (!Target::fromUrl(QStringLiteral("server"), url) || s.port < 0 || s.port > 65535 ||
             s.timeMinutes < 0 || (!s.partition.isEmpty() && !Target::checkName(s.partition))))
            r.error(TomlReader::position(*server),
                    QStringLiteral("[server] must name a host (and optionally a port from 1 to "
                                   "65535, a Slurm partition, gres and time_minutes), not %1.")
                        .arg(url));
        else
            pack.server = s;
    }

    const auto days = r.tableArray(root, "days", Need::Required);
    if (days && days->isEmpty())
        r.error(TomlReader::position(root),
                QStringLiteral("The pack lists no days: add a [[days]] table."));
    QHash<QString, ManifestLocation> seen;
    for (qsizetype i = 0; days && i < days->size(); ++i) {
        const toml::table &t = *days->at(i);
        const int dayNumber = int(i + 1);
        const QString where = QStringLiteral("day %1").arg(dayNumber);
        r.checkKeys(t, {"title", "lessons"}, where);
        PackDay day;
        if (const auto title =
                r.localized(t, "title", Need::Required, QStringLiteral("the title of ") + where))
            day.title = *title;
        if (const auto lessons = r.stringArray(t, "lessons", Need::Required)) {
            if (lessons->value.isEmpty())
                r.warning(lessons->pos, QStringLiteral("Day %1 lists no lessons.").arg(dayNumber));
            for (const auto &l : lessons->value) {
                const QString folder = l.value;
                if (const QString why = badPathReason(folder);
                    !why.isEmpty() || folder.contains(QLatin1Char('/')) ||
                    folder.startsWith(QLatin1Char('.'))) {
                    r.error(l.pos,
                            QStringLiteral(
                                "\"%1\" is not a lesson folder name: name a folder directly inside "
                                "the pack, such as \"01-hello\".")
                                .arg(folder));
                    continue;
                }
                if (seen.contains(folder)) {
                    const ManifestLocation first = seen.value(folder);
                    r.error(l.pos,
                            QStringLiteral("Lesson \"%1\" is listed twice (first on line %2).")
                                .arg(folder)
                                .arg(first.line));
                    continue;
                }
                seen.insert(folder, at(l.pos));
                day.lessons << folder;
                out.lessonRefs.append({folder, dayNumber, at(l.pos)});
            }
        }
        pack.days.append(day);
    }
    return out;
}

namespace {

void parseCheck(TomlReader &r, const toml::table &t, int index, const Lesson &lesson,
                LessonManifest &out)
{
    Check check;
    check.line = TomlReader::position(t).line;
    const QString where = QStringLiteral("check %1").arg(index);
    const auto kindValue = r.string(t, "kind", Need::Required);
    if (!kindValue) {
        r.checkKeys(t,
                    {"kind", "title", "message", "warning_free", "pattern", "stream", "name", "of",
                     "min", "max", "max_s"},
                    where);
        return;
    }
    QStringList kindNames;
    for (Check::Kind k : {Check::Kind::Compiles, Check::Kind::ExitsOk, Check::Kind::Output,
                          Check::Kind::Metric, Check::Kind::Check, Check::Kind::Time})
        kindNames << Check::kindName(k);
    const std::optional<Check::Kind> kind = Check::kindFromName(kindValue->value);
    if (!kind) {
        const QString suggestion = closestName(kindValue->value, kindNames);
        r.error(kindValue->pos,
                QStringLiteral("Unknown check kind \"%1\".%2 Use one of: %3.")
                    .arg(kindValue->value,
                         suggestion.isEmpty()
                             ? QString()
                             : QStringLiteral(" Did you mean \"%1\"?").arg(suggestion),
                         kindNames.join(QStringLiteral(", "))));
        return;
    }
    check.kind = *kind;
    const QString kindWhere = QStringLiteral("%1 (kind \"%2\")").arg(where, kindValue->value);
    if (const auto message =
            r.localized(t, "message", Need::Required, QStringLiteral("the message of ") + where))
        check.message = *message;
    // What learners read in the Checks panel and the CLI; generated from the
    // kind when absent (Check::displayTitle).
    if (const auto title =
            r.localized(t, "title", Need::Optional, QStringLiteral("the title of ") + where))
        check.titleText = *title;

    switch (check.kind) {
    case Check::Kind::Compiles:
        r.checkKeys(t, {"kind", "title", "message", "warning_free"}, kindWhere);
        if (const auto w = r.boolean(t, "warning_free", Need::Optional))
            check.warningFree = w->value;
        break;
    case Check::Kind::ExitsOk:
        r.checkKeys(t, {"kind", "title", "message"}, kindWhere);
        break;
    case Check::Kind::Output:
        r.checkKeys(t, {"kind", "title", "message", "pattern", "stream"}, kindWhere);
        if (const auto pattern = r.string(t, "pattern", Need::Required)) {
            check.pattern = pattern->value;
            const QRegularExpression re(check.pattern);
            if (check.pattern.isEmpty())
                r.error(pattern->pos,
                        QStringLiteral("The pattern is empty: it would match any output."));
            else if (!re.isValid())
                r.error(pattern->pos,
                        QStringLiteral("The pattern is not a valid regular expression: %1 (at "
                                       "character %2 of the pattern).")
                            .arg(re.errorString())
                            .arg(re.patternErrorOffset() + 1));
        }
        if (const auto stream = r.string(t, "stream", Need::Optional)) {
            if (stream->value == QLatin1String("stderr"))
                check.stream = Check::Stream::Stderr;
            else if (stream->value != QLatin1String("stdout"))
                r.error(stream->pos,
                        QStringLiteral("\"stream\" must be \"stdout\" or \"stderr\", not \"%1\".")
                            .arg(stream->value));
        }
        break;
    case Check::Kind::Metric: {
        r.checkKeys(t, {"kind", "title", "message", "name", "of", "min", "max"}, kindWhere);
        if (const auto name = r.string(t, "name", Need::Required)) {
            check.name = name->value;
            if (check.name.isEmpty())
                r.error(name->pos, QStringLiteral("The metric name is empty."));
        }
        if (const auto of = r.string(t, "of", Need::Optional)) {
            if (of->value == QLatin1String("min"))
                check.of = Check::Of::Min;
            else if (of->value == QLatin1String("max"))
                check.of = Check::Of::Max;
            else if (of->value != QLatin1String("final"))
                r.error(of->pos,
                        QStringLiteral("\"of\" must be \"final\", \"min\" or \"max\", not \"%1\".")
                            .arg(of->value));
        }
        const auto min = r.number(t, "min", Need::Optional);
        const auto max = r.number(t, "max", Need::Optional);
        if (min)
            check.min = min->value;
        if (max)
            check.max = max->value;
        if (!t.get("min") && !t.get("max"))
            r.error(TomlReader::position(t),
                    QStringLiteral("A metric check needs \"min\", \"max\" or both."));
        if (min && max && min->value > max->value)
            r.error(min->pos,
                    QStringLiteral("\"min\" (%1) is larger than \"max\" (%2): no value can pass.")
                        .arg(min->value)
                        .arg(max->value));
        break;
    }
    case Check::Kind::Check:
        r.checkKeys(t, {"kind", "title", "message", "name"}, kindWhere);
        if (const auto name = r.string(t, "name", Need::Required)) {
            check.name = name->value;
            if (check.name.isEmpty())
                r.error(name->pos, QStringLiteral("The check name is empty."));
            else
                out.checkNames.append({check.name, at(name->pos)});
            if (lesson.checkSources.isEmpty())
                r.error(name->pos,
                        QStringLiteral("Check \"%1\" can never be reported: the lesson has no "
                                       "\"checks_source\" file to call lab::check().")
                            .arg(check.name));
            for (const Check &other : std::as_const(lesson.checks))
                if (other.kind == Check::Kind::Check && other.name == check.name)
                    r.warning(name->pos,
                              QStringLiteral("Check \"%1\" is already declared on line %2.")
                                  .arg(check.name)
                                  .arg(other.line));
        }
        break;
    case Check::Kind::Time:
        r.checkKeys(t, {"kind", "title", "message", "max_s"}, kindWhere);
        if (const auto maxS = r.number(t, "max_s", Need::Required)) {
            check.maxSeconds = maxS->value;
            if (maxS->value <= 0)
                r.error(maxS->pos, QStringLiteral("\"max_s\" must be more than 0 seconds, not %1.")
                                       .arg(maxS->value));
            else if (maxS->value > lesson.limits.timeSeconds)
                r.warning(
                    maxS->pos,
                    QStringLiteral("\"max_s\" (%1 s) is above the lesson's time limit (%2 s): the "
                                   "limit stops the run first.")
                        .arg(maxS->value)
                        .arg(lesson.limits.timeSeconds));
        }
        break;
    }
    if ((check.kind == Check::Kind::Check || check.kind == Check::Kind::Metric) &&
        check.name.isEmpty())
        return; // already reported; a nameless check could never be evaluated
    out.lesson.checks.append(check);
}

void parseFiles(TomlReader &r, const toml::table &root, std::string_view key, const QString &role,
                Need need, QStringList &into, LessonManifest &out)
{
    const auto files = r.stringArray(root, key, need);
    if (!files)
        return;
    if (files->value.isEmpty() && need == Need::Required)
        r.error(files->pos, QStringLiteral("\"%1\" names no file.").arg(fromStd(key)));
    for (const auto &f : files->value) {
        if (const QString why = badPathReason(f.value); !why.isEmpty()) {
            r.error(f.pos, QStringLiteral("The %1 file \"%2\" %3.").arg(role, f.value, why));
            continue;
        }
        if (into.contains(f.value)) {
            r.warning(f.pos,
                      QStringLiteral("The %1 file \"%2\" is listed twice.").arg(role, f.value));
            continue;
        }
        into << f.value;
        out.files.append({f.value, role, at(f.pos)});
    }
    if (!into.isEmpty() && std::none_of(into.cbegin(), into.cend(), isCompiledSource))
        r.error(files->pos,
                QStringLiteral("No %1 file is a C++ source (.cpp, .cc, .cxx or .cu).").arg(role));
}

} // namespace

LessonManifest parseLessonManifest(QByteArrayView text, const QString &file,
                                   QList<Problem> *problems)
{
    LessonManifest out;
    TomlReader r(file, problems);
    const std::optional<toml::table> doc = r.parse(text);
    if (!doc)
        return out;
    out.parsed = true;
    const toml::table &root = *doc;
    Lesson &lesson = out.lesson;
    r.checkKeys(root,
                {"id", "day", "title", "text", "starter", "solution", "checks_source",
                 "show_solution", "show_solution_after", "requires", "limits", "hints", "checks",
                 "grading"},
                QStringLiteral("lesson.toml"));

    if (const auto id = r.string(root, "id", Need::Required)) {
        lesson.id = id->value;
        out.idAt = at(id->pos);
        if (!validId(lesson.id))
            r.error(id->pos,
                    QStringLiteral(
                        "The lesson id \"%1\" may use only a-z, 0-9, '.', '_' and '-', starting "
                        "with a letter or digit, such as \"hello\".")
                        .arg(lesson.id));
    }
    if (const auto day = r.integer(root, "day", Need::Required)) {
        out.dayAt = at(day->pos);
        if (day->value < 1 || day->value > 1000)
            r.error(day->pos, QStringLiteral("\"day\" must be 1 or more, not %1.").arg(day->value));
        else
            lesson.day = int(day->value);
    }
    if (const auto title =
            r.localized(root, "title", Need::Required, QStringLiteral("the lesson title")))
        lesson.title = *title;

    // The text files: README.md for English, README.<lang>.md for the others,
    // unless the manifest names them.
    for (const QString &language : Languages::required())
        lesson.textFiles.insert(language, language == Languages::fallback()
                                              ? QStringLiteral("README.md")
                                              : QStringLiteral("README.%1.md").arg(language));
    ManifestLocation textAt{1, 1};
    if (const toml::node *node = root.get("text")) {
        textAt = at(TomlReader::position(*node));
        if (const auto files =
                r.localized(root, "text", Need::Optional, QStringLiteral("\"text\""))) {
            for (auto it = files->cbegin(); it != files->cend(); ++it) {
                if (const QString why = badPathReason(it.value()); !why.isEmpty())
                    r.error(Pos{textAt.line, textAt.column},
                            QStringLiteral("The %1 text file \"%2\" %3.")
                                .arg(it.key(), it.value(), why));
                else
                    lesson.textFiles.insert(it.key(), it.value());
            }
        }
    }
    for (auto it = lesson.textFiles.cbegin(); it != lesson.textFiles.cend(); ++it)
        out.files.append({it.value(), QStringLiteral("text (%1)").arg(it.key()), textAt});

    parseFiles(r, root, "starter", QStringLiteral("starter"), Need::Required, lesson.starter, out);
    parseFiles(r, root, "solution", QStringLiteral("solution"), Need::Required, lesson.solution,
               out);
    parseFiles(r, root, "checks_source", QStringLiteral("check source"), Need::Optional,
               lesson.checkSources, out);
    {
        QStringList starterNames;
        for (const QString &s : std::as_const(lesson.starter))
            starterNames << QFileInfo(s).fileName();
        for (const auto &ref : std::as_const(out.files))
            if (ref.role == QLatin1String("solution") &&
                !starterNames.contains(QFileInfo(ref.path).fileName()))
                r.warning(Pos{ref.at.line, ref.at.column},
                          QStringLiteral(
                              "The solution file \"%1\" has no starter file of the same name; the "
                              "solution replaces the starter files by name.")
                              .arg(ref.path));
    }

    if (const auto grading = r.string(root, "grading", Need::Optional)) {
        if (grading->value == QLatin1String("server"))
            lesson.grading = Lesson::Grading::Server;
        else if (grading->value != QLatin1String("local"))
            r.error(grading->pos,
                    QStringLiteral("\"grading\" must be \"local\" or \"server\", not \"%1\".")
                        .arg(grading->value));
    }

    std::optional<Located<QString>> policy = r.string(root, "show_solution", Need::Optional);
    const auto after = r.integer(root, "show_solution_after", Need::Optional);
    if (policy) {
        if (policy->value == QLatin1String("after_failures"))
            lesson.showSolution.when = SolutionPolicy::When::AfterFailures;
        else if (policy->value == QLatin1String("never"))
            lesson.showSolution.when = SolutionPolicy::When::Never;
        else if (policy->value != QLatin1String("after_pass"))
            r.error(
                policy->pos,
                QStringLiteral("\"show_solution\" must be \"after_pass\", \"after_failures\" or "
                               "\"never\", not \"%1\".")
                    .arg(policy->value));
    }
    if (after) {
        if (after->value < 1 || after->value > 1000)
            r.error(
                after->pos,
                QStringLiteral("\"show_solution_after\" must be 1 or more failed checks, not %1.")
                    .arg(after->value));
        else
            lesson.showSolution.afterFailures = int(after->value);
        if (lesson.showSolution.when != SolutionPolicy::When::AfterFailures)
            r.warning(after->pos,
                      QStringLiteral("\"show_solution_after\" is only used with show_solution = "
                                     "\"after_failures\"."));
    }

    if (const toml::table *req = r.table(root, "requires", Need::Optional)) {
        r.checkKeys(*req, {"cuda", "nvcc", "ranks", "datasets", "network"},
                    QStringLiteral("the [requires] table"));
        if (const auto cuda = r.boolean(*req, "cuda", Need::Optional))
            lesson.requirements.cuda = cuda->value;
        if (const auto nvcc = r.boolean(*req, "nvcc", Need::Optional))
            lesson.requirements.nvcc = nvcc->value;
        if (const auto network = r.boolean(*req, "network", Need::Optional))
            lesson.requirements.network = network->value;
        if (const auto ranks = r.integer(*req, "ranks", Need::Optional)) {
            if (ranks->value < 1 || ranks->value > 64)
                r.error(ranks->pos, QStringLiteral("\"ranks\" must be between 1 and 64, not %1.")
                                        .arg(ranks->value));
            else
                lesson.requirements.ranks = int(ranks->value);
        }
        if (const auto datasets = r.stringArray(*req, "datasets", Need::Optional)) {
            for (const auto &d : datasets->value) {
                if (!knownDatasets().contains(d.value))
                    r.error(d.pos, QStringLiteral(
                                       "The lab cannot provide the data set \"%1\"; it knows: %2.")
                                       .arg(d.value, knownDatasets().join(QStringLiteral(", "))));
                else if (!lesson.requirements.datasets.contains(d.value))
                    lesson.requirements.datasets << d.value;
            }
        }
    }
    if (const toml::table *limits = r.table(root, "limits", Need::Optional)) {
        r.checkKeys(*limits, {"time_s", "memory_mb"}, QStringLiteral("the [limits] table"));
        if (const auto time = r.number(*limits, "time_s", Need::Optional)) {
            if (time->value <= 0 || time->value > 24 * 3600)
                r.error(time->pos,
                        QStringLiteral(
                            "\"time_s\" must be more than 0 and at most 86400 seconds, not %1.")
                            .arg(time->value));
            else
                lesson.limits.timeSeconds = time->value;
        }
        if (const auto memory = r.integer(*limits, "memory_mb", Need::Optional)) {
            if (memory->value < 64 || memory->value > (1 << 20))
                r.error(memory->pos,
                        QStringLiteral("\"memory_mb\" must be between 64 and 1048576 MiB, not %1.")
                            .arg(memory->value));
            else
                lesson.limits.memoryMb = int(memory->value);
        }
    }

    if (const auto hints = r.tableArray(root, "hints", Need::Optional)) {
        for (qsizetype i = 0; i < hints->size(); ++i)
            lesson.hints.append(
                r.localizedTable(*hints->at(i), QStringLiteral("hint %1").arg(i + 1)));
    }
    if (lesson.hints.isEmpty())
        r.warning(TomlReader::position(root),
                  QStringLiteral("The lesson has no [[hints]]; learners who are stuck "
                                 "get no help."));

    if (const auto checks = r.tableArray(root, "checks", Need::Required)) {
        if (checks->isEmpty())
            r.error(TomlReader::position(root),
                    QStringLiteral("The lesson has no [[checks]]; it cannot be graded."));
        for (qsizetype i = 0; i < checks->size(); ++i)
            parseCheck(r, *checks->at(i), int(i + 1), lesson, out);
    }
    return out;
}

} // namespace torchlab
