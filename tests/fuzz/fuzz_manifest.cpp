// libFuzzer target for the lesson-pack manifest parser (docs/reliability.md row 22).
// The same bytes are read as a pack.toml and as a lesson.toml. Beyond "no
// crash, no sanitizer report" it checks what `pack validate` relies on:
// every problem names its file and says something; input that does not
// parse gives exactly one error; values that were read are sane.
#include "core/course/manifestparser.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace torchlab;

namespace {

void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

void checkProblems(const QList<Problem> &problems, const QString &file, bool parsed)
{
    for (const Problem &p : problems) {
        require(p.file == file, "problem without its file");
        require(!p.message.isEmpty(), "problem without a message");
        require(p.line >= 0 && p.column >= 0, "negative position");
        require(!p.toString().isEmpty(), "empty problem text");
    }
    if (!parsed)
        require(problems.size() == 1 && problems.first().isError(),
                "a syntax error must be one error");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (256 << 10))
        return 0;
    const QByteArrayView text(reinterpret_cast<const char *>(data), qsizetype(size));

    QList<Problem> packProblems;
    const QString packFile = QStringLiteral("pack.toml");
    const PackManifest pack = parsePackManifest(text, packFile, &packProblems);
    checkProblems(packProblems, packFile, pack.parsed);
    qsizetype listed = 0;
    for (const PackDay &day : pack.pack.days)
        listed += day.lessons.size();
    require(listed == pack.lessonRefs.size(), "lesson references and days disagree");
    for (const auto &ref : pack.lessonRefs)
        require(ref.day >= 1 && ref.day <= pack.pack.days.size() &&
                    !ref.folder.contains(QLatin1Char('/')),
                "bad lesson reference");

    QList<Problem> lessonProblems;
    const QString lessonFile = QStringLiteral("01-x/lesson.toml");
    const LessonManifest lesson = parseLessonManifest(text, lessonFile, &lessonProblems);
    checkProblems(lessonProblems, lessonFile, lesson.parsed);
    const Lesson &l = lesson.lesson;
    require(l.requirements.ranks >= 1 && l.limits.timeSeconds > 0 && l.limits.memoryMb > 0,
            "bad defaults");
    for (const auto &ref : lesson.files)
        require(!ref.path.isEmpty() && !ref.path.startsWith(QLatin1Char('/')) &&
                    !ref.path.split(QLatin1Char('/')).contains(QStringLiteral("..")),
                "a file reference leaves the lesson folder");
    for (const Check &c : l.checks) {
        require(!c.id().isEmpty(), "check without a title");
        require(!c.min || !c.max || std::isfinite(*c.min), "non-finite bound");
    }
    return 0;
}
