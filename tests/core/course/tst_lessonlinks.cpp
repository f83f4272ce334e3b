// LessonLinks: what a lesson's text may open or show (docs/reliability.md row 33).
#include "core/course/lessonlinks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace torchlab;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestLessonLinks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QString m_lesson;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_lesson = m_root.filePath("pack/01-lesson");
        QVERIFY(writeFile(m_lesson + "/notes.md", "# notes\n"));
        QVERIFY(writeFile(m_lesson + "/figures/a.svg", "<svg/>"));
        QVERIFY(writeFile(m_lesson + "/with space.txt", "x"));
        QVERIFY(writeFile(m_root.filePath("pack/secret.txt"), "secret"));
        QVERIFY(writeFile(m_root.filePath("outside.txt"), "outside"));
        // A sibling whose name starts like the lesson's.
        QVERIFY(writeFile(m_root.filePath("pack/01-lesson-evil/x.txt"), "evil"));
        QVERIFY(QFile::link(m_root.filePath("outside.txt"), m_lesson + "/escape.txt"));
        QVERIFY(QFile::link(m_root.filePath("pack"), m_lesson + "/up"));
        QVERIFY(QFile::link(m_lesson + "/notes.md", m_lesson + "/inner-link.md"));
        QVERIFY(QFile::link("/dev/zero", m_lesson + "/zero.png"));
        QVERIFY(QFile::link("/etc/passwd", m_lesson + "/passwd.txt"));
        QCOMPARE(::mkfifo(QFile::encodeName(m_lesson + "/fifo.png").constData(), 0600), 0);
        QVERIFY(QDir(m_lesson).mkpath("folder.md"));
        // A unix socket inside the lesson.
        const QByteArray socketPath = QFile::encodeName(m_lesson + "/sock");
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        QVERIFY(size_t(socketPath.size()) < sizeof(address.sun_path));
        std::memcpy(address.sun_path, socketPath.constData(), size_t(socketPath.size()));
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        ::close(fd);
    }

    void refusesEverythingOutsideTheLesson_data()
    {
        QTest::addColumn<QString>("link");
        const QString outside = m_root.filePath("outside.txt");
        const QStringList refused{
            "../secret.txt",
            "figures/../../secret.txt",
            "../01-lesson-evil/x.txt",
            "./../../outside.txt",
            "figures/%2e%2e/%2e%2e/secret.txt",
            outside,
            "/etc/passwd",
            "/dev/zero",
            "/proc/self/environ",
            "file:///dev/zero",
            "file:///etc/passwd",
            QUrl::fromLocalFile(outside).toString(),
            QUrl::fromLocalFile(m_lesson + "/../secret.txt").toString(),
            "file://otherhost" + m_lesson + "/notes.md",
            "escape.txt",
            "up/secret.txt",
            "zero.png",
            "passwd.txt",
            "fifo.png",
            "sock",
            "folder.md",
            "missing.md",
            ".",
            "",
            "qrc:/i18n/torchlab_zh_CN.qm",
            ":/i18n/torchlab_zh_CN.qm",
            "data:text/html;base64,PGgxPng8L2gxPg==",
            "javascript:alert(1)",
            "ftp://example.com/x",
            "mailto:someone@example.com",
            "torchlab://subscribe?feed=https://x/",
            "smb://host/share",
            "http:///no-host",
            "https:",
            "C:/Windows/win.ini",
            "C:\\Windows\\win.ini",
            "\\\\host\\share",
            "//host/share/x",
            QStringLiteral("notes.md") + QChar::Null + QStringLiteral("../../secret.txt"),
        };
        for (const QString &link : refused)
            QTest::newRow(qPrintable(link.isEmpty() ? QStringLiteral("(empty)")
                                                    : QString(link).replace(QChar::Null, u'@')))
                << link;
    }

    void refusesEverythingOutsideTheLesson()
    {
        QFETCH(QString, link);
        const LessonLinks links(m_lesson);
        const LessonLinks::Decision decision = links.link(QUrl(link));
        QCOMPARE(int(decision.kind), int(LessonLinks::Kind::Refused));
        QVERIFY(links.filePath(QUrl(link)).isEmpty());
        // A file URL of the same path is no better.
        if (!link.contains(':'))
            QVERIFY(links.filePath(QUrl::fromLocalFile(QDir(m_lesson).absoluteFilePath(link)))
                        .isEmpty() ||
                    link.isEmpty() || link == ".");
    }

    void opensWebLinksAndFilesInsideTheLesson()
    {
        const LessonLinks links(m_lesson);
        const QString notes = QFileInfo(m_lesson + "/notes.md").canonicalFilePath();

        auto web = links.link(QUrl("https://pytorch.org/docs/stable/index.html#x"));
        QCOMPARE(int(web.kind), int(LessonLinks::Kind::Web));
        QCOMPARE(web.url, QUrl("https://pytorch.org/docs/stable/index.html#x"));
        QCOMPARE(int(links.link(QUrl("HTTP://example.com")).kind), int(LessonLinks::Kind::Web));

        auto anchor = links.link(QUrl("#training-loop"));
        QCOMPARE(int(anchor.kind), int(LessonLinks::Kind::Anchor));
        QCOMPARE(anchor.fragment, QStringLiteral("training-loop"));

        for (const QString &name :
             {QStringLiteral("notes.md"), QStringLiteral("./notes.md"),
              QStringLiteral("figures/../notes.md"), QStringLiteral("notes.md#part"),
              QStringLiteral("inner-link.md")}) {
            const auto file = links.link(QUrl(name));
            QCOMPARE(int(file.kind), int(LessonLinks::Kind::LessonFile));
            QCOMPARE(file.path, notes);
        }
        // As QTextBrowser hands it on: resolved to a file URL of the folder.
        const auto resolved = links.link(QUrl::fromLocalFile(m_lesson + "/notes.md"));
        QCOMPARE(int(resolved.kind), int(LessonLinks::Kind::LessonFile));
        QCOMPARE(resolved.path, notes);
        QCOMPARE(links.filePath(QUrl("with%20space.txt")),
                 QFileInfo(m_lesson + "/with space.txt").canonicalFilePath());
        QCOMPARE(links.filePath(QUrl("figures/a.svg")),
                 QFileInfo(m_lesson + "/figures/a.svg").canonicalFilePath());
    }

    void noFolderOpensNoFile()
    {
        const LessonLinks none;
        QCOMPARE(int(none.link(QUrl("notes.md")).kind), int(LessonLinks::Kind::Refused));
        QCOMPARE(int(none.link(QUrl("https://example.com")).kind), int(LessonLinks::Kind::Web));
        const LessonLinks missing(m_root.filePath("no-such-folder"));
        QVERIFY(missing.filePath(QUrl("notes.md")).isEmpty());
        const LessonLinks fileAsFolder(m_lesson + "/notes.md");
        QVERIFY(fileAsFolder.filePath(QUrl("x")).isEmpty());
    }

    void readsRegularFilesOnly()
    {
        QCOMPARE(LessonLinks::readRegularFile(m_lesson + "/notes.md", 100).value_or("?"),
                 QByteArray("# notes\n"));
        QVERIFY(!LessonLinks::readRegularFile(m_lesson + "/notes.md", 3)); // over the cap
        // None of these blocks or runs away.
        QVERIFY(!LessonLinks::readRegularFile(m_lesson + "/fifo.png", 1 << 20));
        QVERIFY(!LessonLinks::readRegularFile("/dev/zero", 1 << 20));
        QVERIFY(!LessonLinks::readRegularFile(m_lesson + "/zero.png", 1 << 20));
        QVERIFY(!LessonLinks::readRegularFile(m_lesson + "/folder.md", 1 << 20));
        QVERIFY(!LessonLinks::readRegularFile(m_lesson + "/sock", 1 << 20));
        QVERIFY(!LessonLinks::readRegularFile(m_lesson + "/missing", 1 << 20));
    }
};

QTEST_GUILESS_MAIN(TestLessonLinks)
#include "tst_lessonlinks.moc"
