// libFuzzer target for lesson markdown (docs/reliability.md rows 22 and 33).
// The bytes are a lesson's text: Qt reads them with QTextDocument::setMarkdown
// (GitHub dialect, as the lesson view does) and every link and image of the
// result goes through LessonLinks. Beyond "no crash, no sanitizer report" it
// checks that nothing outside the lesson is ever accepted: the only files a
// link or figure may reach are the two regular files of a fixture lesson,
// never its symbolic links out, its FIFO or anything beside it; web links are
// http(s) with a host. Resources Qt asks for while reading (raw HTML's <img>,
// <link rel=stylesheet>) go through the same policy and are never read.
#include "core/course/lessonlinks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSet>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QUrl>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>

using namespace torchlab;

namespace {

void require(bool ok, const char *what, const QString &detail = QString())
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s %s\n", what, qPrintable(detail));
        std::abort();
    }
}

struct Fixture
{
    QTemporaryDir root;
    QString lesson;
    QSet<QString> allowed; // canonical paths a lesson may reach
};

Fixture *fixture = nullptr;

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Every path the fuzzer might guess: the seeds name them.
void makeFixture()
{
    fixture = new Fixture;
    require(fixture->root.isValid(), "no temporary folder");
    // Short, fixed names inside the temporary folder, so that seeds can name
    // them relatively: lesson/notes.md, lesson/figures/a.svg, secret.txt...
    const QString root = fixture->root.path();
    fixture->lesson = root + QStringLiteral("/pack/lesson");
    const QString lesson = fixture->lesson;
    require(writeFile(lesson + QStringLiteral("/notes.md"), "# notes\n"), "fixture");
    require(writeFile(lesson + QStringLiteral("/figures/a.svg"), "<svg/>"), "fixture");
    require(writeFile(root + QStringLiteral("/pack/secret.txt"), "secret"), "fixture");
    require(writeFile(root + QStringLiteral("/pack/lesson-evil/x.md"), "x"), "fixture");
    QFile::link(root + QStringLiteral("/pack/secret.txt"), lesson + QStringLiteral("/escape.md"));
    QFile::link(root + QStringLiteral("/pack"), lesson + QStringLiteral("/up"));
    QFile::link(QStringLiteral("/dev/zero"), lesson + QStringLiteral("/zero.png"));
    ::mkfifo(QFile::encodeName(lesson + QStringLiteral("/fifo.png")).constData(), 0600);
    QDir().mkpath(lesson + QStringLiteral("/folder.md"));
    for (const char *name : {"/notes.md", "/figures/a.svg"})
        fixture->allowed.insert(QFileInfo(lesson + QLatin1String(name)).canonicalFilePath());
}

void checkDecision(const LessonLinks &links, const QUrl &url)
{
    const LessonLinks::Decision decision = links.link(url);
    const QString detail = url.toString();
    switch (decision.kind) {
    case LessonLinks::Kind::Refused:
        require(decision.path.isEmpty() && decision.url.isEmpty(), "refused with a target", detail);
        break;
    case LessonLinks::Kind::Anchor:
        require(url.scheme().isEmpty() && url.path().isEmpty() && !decision.fragment.isEmpty(),
                "not an anchor", detail);
        break;
    case LessonLinks::Kind::Web: {
        const QString scheme = decision.url.scheme().toLower();
        require((scheme == QLatin1String("http") || scheme == QLatin1String("https")) &&
                    !decision.url.host().isEmpty() && decision.path.isEmpty(),
                "a web link that is not http(s)", detail);
        break;
    }
    case LessonLinks::Kind::LessonFile:
        require(fixture->allowed.contains(decision.path), "a file outside the lesson",
                detail + QStringLiteral(" -> ") + decision.path);
        break;
    }
    const QString file = links.filePath(url);
    require(file.isEmpty() || fixture->allowed.contains(file), "a figure outside the lesson",
            detail + QStringLiteral(" -> ") + file);
    if (!file.isEmpty()) {
        struct stat st;
        require(::stat(QFile::encodeName(file).constData(), &st) == 0 && S_ISREG(st.st_mode),
                "not a regular file", file);
    }
}

// A document that reads nothing itself: each resource Qt asks for (raw
// HTML's images and style sheets) is only checked against the policy.
class LessonDocument : public QTextDocument
{
public:
    explicit LessonDocument(const LessonLinks &links) : m_links(links) {}

protected:
    QVariant loadResource(int, const QUrl &name) override
    {
        checkDecision(m_links, name);
        checkDecision(m_links, baseUrl().resolved(name));
        return QByteArray(""); // never null: Qt would read the file
    }

private:
    const LessonLinks &m_links;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static QGuiApplication app(*argc, *argv);
    makeFixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (64 << 10))
        return 0;
    const QString markdown =
        QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const LessonLinks links(fixture->lesson);
    LessonDocument document(links);
    document.setBaseUrl(QUrl::fromLocalFile(fixture->lesson + QLatin1Char('/')));
    document.setMarkdown(markdown, QTextDocument::MarkdownDialectGitHub);

    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            QStringList names;
            if (format.isAnchor())
                names << format.anchorHref() << format.anchorNames();
            if (format.isImageFormat())
                names << format.toImageFormat().name();
            for (const QString &name : std::as_const(names)) {
                const QUrl url(name);
                checkDecision(links, url);
                // As QTextBrowser hands a link on: resolved against the lesson folder.
                checkDecision(links, document.baseUrl().resolved(url));
                checkDecision(links, QUrl::fromUserInput(name, fixture->lesson));
            }
        }
    }
    return 0;
}
