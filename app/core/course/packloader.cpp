#include "core/course/packloader.h"

#include "core/course/codeskeleton.h"
#include "core/course/manifestparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace torchlab {

namespace {

struct Context
{
    QString shownRoot; // the directory as given, for messages
    QString root;      // absolute, canonical
    QList<Problem> problems;

    QString shown(const QString &relative) const
    {
        return QDir::cleanPath(shownRoot + QLatin1Char('/') + relative);
    }
    void add(Problem::Severity s, const QString &relative, ManifestLocation at,
             const QString &message)
    {
        problems.append(Problem{s, shown(relative), at.line, at.column, message});
    }
    void error(const QString &relative, ManifestLocation at, const QString &message)
    {
        add(Problem::Severity::Error, relative, at, message);
    }
    void warning(const QString &relative, ManifestLocation at, const QString &message)
    {
        add(Problem::Severity::Warning, relative, at, message);
    }
};

// Reads a manifest; nullopt (with the problem added) when it is missing,
// not a file, too large or unreadable.
std::optional<QByteArray> readManifest(Context &c, const QString &relative, const QString &absolute,
                                       const QString &relativeShownInPack,
                                       ManifestLocation referencedAt)
{
    const QFileInfo info(absolute);
    if (!info.exists()) {
        c.error(relativeShownInPack, referencedAt, QStringLiteral("%1 is missing.").arg(relative));
        return std::nullopt;
    }
    if (!info.isFile()) {
        c.error(relative, {}, QStringLiteral("This is not a regular file."));
        return std::nullopt;
    }
    if (info.size() > PackLoader::MaxManifestBytes) {
        c.error(relative, {},
                QStringLiteral("The manifest is %1 KiB; manifests may be at most %2 KiB.")
                    .arg(info.size() >> 10)
                    .arg(PackLoader::MaxManifestBytes >> 10));
        return std::nullopt;
    }
    QFile f(absolute);
    if (!f.open(QIODevice::ReadOnly)) {
        c.error(relative, {}, QStringLiteral("The file cannot be read: %1.").arg(f.errorString()));
        return std::nullopt;
    }
    return f.read(PackLoader::MaxManifestBytes + 1);
}

// Levenshtein distance, for "did you mean" (folder names are short).
int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1), current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

// True when `path` (after following links) stays inside `root`.
bool staysInside(const QString &root, const QString &path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return !canonical.isEmpty() &&
           (canonical + QLatin1Char('/')).startsWith(root + QLatin1Char('/'));
}

bool hiddenRole(const QString &role)
{
    return role == QLatin1String("solution") || role == QLatin1String("check source");
}

void checkLessonFiles(Context &c, const QString &folder, const LessonManifest &m, Lesson &lesson)
{
    const QString lessonToml = folder + QStringLiteral("/lesson.toml");
    const QString lessonDir = c.root + QLatin1Char('/') + folder;
    // A server-graded lesson in a student's archive has neither its check
    // sources nor its solution: all of them absent is that copy; some absent
    // is a broken pack.
    if (lesson.gradedOnServer()) {
        bool anyHidden = false;
        bool allAbsent = true;
        for (const LessonManifest::FileRef &ref : m.files) {
            if (!hiddenRole(ref.role))
                continue;
            anyHidden = true;
            allAbsent = allAbsent && !QFileInfo::exists(lessonDir + QLatin1Char('/') + ref.path);
        }
        lesson.hiddenPartsAbsent = anyHidden && allAbsent;
    }
    for (const LessonManifest::FileRef &ref : m.files) {
        const QString absolute = lessonDir + QLatin1Char('/') + ref.path;
        const QFileInfo info(absolute);
        if (lesson.hiddenPartsAbsent && hiddenRole(ref.role))
            continue;
        if (!info.exists()) {
            c.error(lessonToml, ref.at,
                    QStringLiteral("The %1 file \"%2\" does not exist in %3.")
                        .arg(ref.role, ref.path, folder));
        } else if (!info.isFile()) {
            c.error(lessonToml, ref.at,
                    QStringLiteral("The %1 file \"%2\" is not a regular file.")
                        .arg(ref.role, ref.path));
        } else if (!staysInside(c.root, absolute)) {
            c.error(lessonToml, ref.at,
                    QStringLiteral("The %1 file \"%2\" is a link to a place outside the pack.")
                        .arg(ref.role, ref.path));
        } else if (info.size() == 0) {
            c.warning(lessonToml, ref.at,
                      QStringLiteral("The %1 file \"%2\" is empty.").arg(ref.role, ref.path));
        }
    }
}

// A starter's translations ("exercise.zh_CN.cpp", "CMakeLists.zh_CN.txt") must
// be the same program: only comments and the text of string literals may differ.
void checkStarterTranslations(Context &c, const QString &folder, const Lesson &lesson)
{
    const QString lessonDir = c.root + QLatin1Char('/') + folder;
    for (const QString &starter : lesson.starter) {
        QFile original(lessonDir + QLatin1Char('/') + starter);
        if (!original.open(QIODevice::ReadOnly))
            continue; // checkLessonFiles() says why
        const QString code = QString::fromUtf8(original.read(8 << 20));
        for (const QString &language : starterVariantLanguages(lessonDir, starter)) {
            const QString variant = starterVariantName(starter, language);
            QFile translated(lessonDir + QLatin1Char('/') + variant);
            if (!translated.open(QIODevice::ReadOnly)) {
                c.error(
                    folder + QLatin1Char('/') + variant, {},
                    QStringLiteral("The file cannot be read: %1.").arg(translated.errorString()));
                continue;
            }
            const QString text = QString::fromUtf8(translated.read(8 << 20));
            if (const int line = firstCodeDifference(code, text, codeSyntaxFor(starter)); line > 0)
                c.error(folder + QLatin1Char('/') + variant, {line, 1},
                        QStringLiteral("This translation of %1 differs from it in its code, not "
                                       "only in comments and string literals: learners reading "
                                       "%2 would start from another program.")
                            .arg(starter, language));
        }
    }
}

// Warns about check names that no check source mentions as a string literal:
// most likely a typo on one side.
void checkCheckNames(Context &c, const QString &folder, const Lesson &lesson,
                     const LessonManifest &m)
{
    if (m.checkNames.isEmpty() || lesson.checkSources.isEmpty())
        return;
    QByteArray sources;
    for (const QString &s : lesson.checkSources) {
        QFile f(lesson.filePath(s));
        if (f.open(QIODevice::ReadOnly))
            sources += f.read(8 << 20);
    }
    if (sources.isEmpty())
        return;
    for (const LessonManifest::NameRef &ref : m.checkNames) {
        const QByteArray quoted = '"' + ref.name.toUtf8() + '"';
        if (!sources.contains(quoted))
            c.warning(
                folder + QStringLiteral("/lesson.toml"), ref.at,
                QStringLiteral("No check source mentions \"%1\": is it spelled as in lab::check()?")
                    .arg(ref.name));
    }
}

} // namespace

PackLoadResult PackLoader::load(const QString &directory)
{
    PackLoadResult result;
    Context c;
    c.shownRoot = directory.isEmpty() ? QStringLiteral(".") : directory;
    const QFileInfo rootInfo(c.shownRoot);
    if (!rootInfo.isDir()) {
        result.problems.append(
            Problem{Problem::Severity::Error, c.shownRoot, 0, 0,
                    rootInfo.exists() ? QStringLiteral("This is not a folder; a pack is a folder "
                                                       "with a pack.toml.")
                                      : QStringLiteral("There is no such folder.")});
        return result;
    }
    c.root = rootInfo.canonicalFilePath();
    result.pack.directory = c.root;

    const QString packToml = QStringLiteral("pack.toml");
    const auto packText =
        readManifest(c, packToml, c.root + QStringLiteral("/pack.toml"), packToml, {});
    PackManifest pm;
    if (packText) {
        pm = parsePackManifest(QByteArrayView(*packText), c.shown(packToml), &c.problems);
        pm.pack.directory = c.root;
        result.pack = pm.pack;
    }

    // Folders with a lesson.toml: what a misspelt [[days]] entry most likely meant.
    const QStringList folders =
        QDir(c.root).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QStringList lessonFolders;
    for (const QString &folder : folders)
        if (QFileInfo(c.root + QLatin1Char('/') + folder + QStringLiteral("/lesson.toml")).isFile())
            lessonFolders << folder;
    QSet<QString> listedFolders;
    for (const PackManifest::LessonRef &ref : std::as_const(pm.lessonRefs))
        listedFolders.insert(ref.folder);

    QHash<QString, QString> idOwner; // lesson id -> folder that declared it first
    QSet<QString> listed;
    // Loads and checks one lesson folder; nullopt when it cannot be read.
    const auto loadLesson = [&](const QString &folder, int day) -> std::optional<Lesson> {
        const QString dir = c.root + QLatin1Char('/') + folder;
        const QString lessonToml = folder + QStringLiteral("/lesson.toml");
        const auto text =
            readManifest(c, lessonToml, dir + QStringLiteral("/lesson.toml"), lessonToml, {});
        if (!text)
            return std::nullopt;
        LessonManifest lm =
            parseLessonManifest(QByteArrayView(*text), c.shown(lessonToml), &c.problems);
        if (!lm.parsed)
            return std::nullopt;
        Lesson lesson = lm.lesson;
        lesson.folder = folder;
        lesson.directory = QFileInfo(dir).canonicalFilePath();
        lesson.packId = pm.pack.id;
        lesson.packVersion = pm.pack.version;
        checkLessonFiles(c, folder, lm, lesson);
        checkCheckNames(c, folder, lesson, lm);
        checkStarterTranslations(c, folder, lesson);
        if (lesson.day > 0 && lesson.day != day)
            c.warning(lessonToml, lm.dayAt,
                      QStringLiteral("The lesson says day %1, but pack.toml lists it under day %2.")
                          .arg(lesson.day)
                          .arg(day));
        if (!lesson.id.isEmpty()) {
            if (idOwner.contains(lesson.id)) {
                c.error(lessonToml, lm.idAt,
                        QStringLiteral("The lesson id \"%1\" is already used by %2; ids must be "
                                       "unique in a pack.")
                            .arg(lesson.id, c.shown(idOwner.value(lesson.id) +
                                                    QStringLiteral("/lesson.toml"))));
            } else {
                idOwner.insert(lesson.id, folder);
            }
        }
        return lesson;
    };
    for (const PackManifest::LessonRef &ref : std::as_const(pm.lessonRefs)) {
        listed.insert(ref.folder);
        const QString dir = c.root + QLatin1Char('/') + ref.folder;
        if (!QFileInfo(dir).isDir()) {
            // A typo: name the folder that was most likely meant, and check it
            // now, so that its own problems are not hidden behind this one.
            QString best;
            int bestDistance = std::max<int>(2, int(ref.folder.size()) / 3) + 1;
            for (const QString &candidate : std::as_const(lessonFolders)) {
                if (listedFolders.contains(candidate))
                    continue;
                const int d = editDistance(ref.folder.toLower(), candidate.toLower());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate;
                }
            }
            if (best.isEmpty()) {
                c.error(packToml, ref.at,
                        QStringLiteral("Lesson folder \"%1\" (day %2) does not exist.")
                            .arg(ref.folder)
                            .arg(ref.day));
                continue;
            }
            c.error(packToml, ref.at,
                    QStringLiteral("Lesson folder \"%1\" (day %2) does not exist. Did you mean "
                                   "\"%3\"? Its own problems are listed too.")
                        .arg(ref.folder)
                        .arg(ref.day)
                        .arg(best));
            if (!listed.contains(best)) {
                listed.insert(best);
                loadLesson(best, ref.day); // checked, not added: the pack still lacks it
            }
            continue;
        }
        if (!staysInside(c.root, dir)) {
            c.error(packToml, ref.at,
                    QStringLiteral("Lesson folder \"%1\" is a link to a place outside the pack.")
                        .arg(ref.folder));
            continue;
        }
        if (!QFileInfo(dir + QStringLiteral("/lesson.toml")).exists()) {
            c.error(
                packToml, ref.at,
                QStringLiteral("%1 is missing.").arg(ref.folder + QStringLiteral("/lesson.toml")));
            continue;
        }
        if (std::optional<Lesson> lesson = loadLesson(ref.folder, ref.day))
            result.pack.lessons.append(*lesson);
    }

    // Folders that look like lessons but that no day lists: learners would never see them.
    if (pm.parsed) {
        for (const QString &folder : std::as_const(lessonFolders)) {
            if (!listed.contains(folder))
                c.warning(folder + QStringLiteral("/lesson.toml"), {},
                          QStringLiteral("This lesson is not listed in any day of pack.toml, so "
                                         "learners never see it."));
        }
    }

    result.problems = c.problems;
    sortProblems(result.problems);
    return result;
}

} // namespace torchlab
