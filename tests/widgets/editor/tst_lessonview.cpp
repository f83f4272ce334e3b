#include "widgets/editor/lessonview.h"

#include "shots.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QMainWindow>
#include <QPixmap>
#include <QScreen>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

#include <atomic>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace torchlab;

namespace {

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// The fenced blocks of a markdown text, as the author wrote them: an
// independent reading to compare the view's codeBlocks() against.
QStringList fencedBlocks(const QString &markdown)
{
    QStringList blocks;
    QStringList current;
    bool inside = false;
    const QStringList lines = markdown.split('\n');
    for (const QString &line : lines) {
        if (line.trimmed().startsWith("```")) {
            if (inside)
                blocks << current.join('\n');
            current.clear();
            inside = !inside;
        } else if (inside) {
            current << line;
        }
    }
    return blocks;
}

QStringList headings(const LessonView &view)
{
    QStringList out;
    for (QTextBlock b = view.document()->begin(); b.isValid(); b = b.next()) {
        if (b.blockFormat().headingLevel() > 0)
            out << QStringLiteral("%1 %2").arg(b.blockFormat().headingLevel()).arg(b.text());
    }
    return out;
}

const QString kLessonDir = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course/01-hello");

// A figure of the given size: a frame and a label, as a lesson's would have.
bool writeSvg(const QString &path, int width, int height, const QByteArray &extra = {})
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QByteArray w = QByteArray::number(width), h = QByteArray::number(height);
    file.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
               "\" viewBox=\"0 0 " + w + " " + h + "\" font-family=\"sans-serif\">\n" +
               "  <rect x=\"1\" y=\"1\" width=\"" + QByteArray::number(width - 2) + "\" height=\"" +
               QByteArray::number(height - 2) +
               "\" fill=\"#ddf4ff\" stroke=\"#0969da\"/>\n"
               "  <text x=\"20\" y=\"40\" font-size=\"24\">figure</text>\n" +
               extra + "</svg>\n");
    return true;
}

// The images left in the view's document, by the name the markdown gave them.
QStringList imageNames(const LessonView &view)
{
    QStringList names;
    for (QTextBlock block = view.document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (format.isImageFormat())
                names << format.toImageFormat().name();
        }
    }
    return names;
}

QPixmap shownImage(const LessonView &view, const QString &name)
{
    return view.document()->resource(QTextDocument::ImageResource, QUrl(name)).value<QPixmap>();
}

// The size a figure takes in the text, in logical pixels (a screen with a
// fractional pixel ratio makes it a fraction of a pixel larger or smaller).
QSize shownSize(const LessonView &view, const QString &name)
{
    return shownImage(view, name).deviceIndependentSize().toSize();
}

// A FIFO that tells whether anything opened it for reading. A thread keeps
// trying to open it for writing without blocking (that succeeds only while a
// reader has it open), then writes a byte and closes it, so a reader that
// does open it gets an end of file instead of hanging the test.
class FifoWatch
{
public:
    explicit FifoWatch(const QString &path) : m_path(QFile::encodeName(path))
    {
        m_made = ::mkfifo(m_path.constData(), 0600) == 0;
        m_thread = std::thread([this] {
            while (!m_stop) {
                const int fd = ::open(m_path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                if (fd < 0) {
                    ::usleep(500);
                    continue;
                }
                m_opened = true;
                (void)!::write(fd, "x", 1);
                ::close(fd);
            }
        });
    }
    ~FifoWatch()
    {
        m_stop = true;
        m_thread.join();
    }
    bool made() const { return m_made; }
    bool opened() const { return m_opened; }

private:
    QByteArray m_path;
    bool m_made = false;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_opened{false};
    std::thread m_thread;
};

} // namespace

class TestLessonView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersHeadingsAndCode()
    {
        LessonView view;
        view.setLessonMarkdown("# Tensors\n\nSome *text* and `inline`.\n\n## Shapes\n\n"
                               "```cpp\nauto x = torch::zeros({2, 3});\n\n"
                               "    indented();\n```\n\nAfter.\n\n```\nplain\n```\n",
                               QString());
        QCOMPARE(headings(view), (QStringList{"1 Tensors", "2 Shapes"}));
        QCOMPARE(view.codeBlocks(),
                 (QStringList{"auto x = torch::zeros({2, 3});\n\n    indented();", "plain"}));
        QVERIFY(view.toPlainText().contains("After."));
        QVERIFY(!view.toPlainText().contains("```"));
    }

    void longCodeLinesWrapInsideTheView()
    {
        // A narrow lesson pane (a projector, the compact layout): code wraps
        // instead of running out of sight, and copying still gives one line.
        LessonView view;
        const QString line = QStringLiteral(
            "auto loss = torch::nn::functional::cross_entropy(model->forward(batch.data), "
            "batch.target, "
            "torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kMean));");
        view.setLessonMarkdown(QStringLiteral("# Loss\n\n```cpp\n%1\n```\n").arg(line), QString());
        view.resize(320, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY2(view.document()->size().width() <= view.viewport()->width() + 1,
                 qPrintable(QStringLiteral("document %1 px in a %2 px view")
                                .arg(view.document()->size().width())
                                .arg(view.viewport()->width())));
        QCOMPARE(view.codeBlocks(), QStringList{line});
        // Code follows the view's font size (zoom, presenter mode).
        QFont larger = view.font();
        larger.setPointSizeF(larger.pointSizeF() * 1.5);
        QTextBlock code = view.document()->begin();
        while (code.isValid() && !code.text().contains(QStringLiteral("cross_entropy")))
            code = code.next();
        QVERIFY(code.isValid());
        const int before = code.layout()->lineCount();
        view.setFont(larger);
        QTRY_VERIFY(code.layout()->lineCount() > before);
    }

    void copiesTheCodeBlockUnderTheCursor()
    {
        LessonView view;
        view.setLessonMarkdown("Intro\n\n```cpp\nint a = 1;\nint b = 2;\n```\n\nOutro\n",
                               QString());
        const int inCode = int(view.toPlainText().indexOf("int b"));
        QVERIFY(inCode > 0);
        QCOMPARE(view.codeBlockAt(inCode), "int a = 1;\nint b = 2;");
        QVERIFY(view.codeBlockAt(0).isEmpty()); // "Intro"
        QApplication::clipboard()->clear();
        QVERIFY(view.copyCodeBlockAt(inCode));
        QCOMPARE(QApplication::clipboard()->text(), "int a = 1;\nint b = 2;\n");
        QVERIFY(!view.copyCodeBlockAt(0));
    }

    void realLessonText()
    {
        const QString markdown = readFile(kLessonDir + "/README.md");
        QVERIFY(!markdown.isEmpty());
        LessonView view;
        view.resize(720, 900);
        view.setLessonMarkdown(markdown, kLessonDir);
        QCOMPARE(headings(view).value(0), "1 Hello LibTorch");
        QVERIFY(headings(view).contains("2 Devices"));
        const QStringList expected = fencedBlocks(markdown);
        QVERIFY(expected.size() >= 5);
        QCOMPARE(view.codeBlocks(), expected);
        saveShot(&view, "lessonview");

        view.setDarkTheme(true);
        QCOMPARE(view.codeBlocks(), expected); // restyling keeps the text
        QPalette dark = view.palette();
        dark.setColor(QPalette::Base, QColor("#0d1117"));
        dark.setColor(QPalette::Text, QColor("#e6edf3"));
        view.setPalette(dark);
        saveShot(&view, "lessonview-dark");
    }

    void chineseLessonText()
    {
        const QString markdown = readFile(kLessonDir + "/README.zh_CN.md");
        QVERIFY(!markdown.isEmpty());
        LessonView view;
        view.resize(720, 700);
        view.setLessonMarkdown(markdown, kLessonDir);
        QCOMPARE(headings(view).value(0), QString::fromUtf8("1 你好，LibTorch"));
        QVERIFY(view.toPlainText().contains(QString::fromUtf8("张量")));
        QCOMPARE(view.codeBlocks(), fencedBlocks(markdown));
        saveShot(&view, "lessonview-zh_CN");
    }

    void imagesResolveAgainstTheLessonFolder()
    {
        QTemporaryDir dir;
        QImage image(8, 8, QImage::Format_RGB32);
        image.fill(Qt::red);
        QVERIFY(image.save(dir.filePath("figure.png")));
        LessonView view;
        view.setLessonMarkdown("![a figure](figure.png)\n", dir.path());
        const QVariant loaded =
            view.document()->resource(QTextDocument::ImageResource, QUrl("figure.png"));
        QVERIFY(loaded.isValid());
        view.setLessonMarkdown("![a figure](figure.png)\n", QString());
        // Without a lesson folder nothing loads: a transparent pixel stands in,
        // so that Qt does not go looking for the file itself.
        QVERIFY(view.loadResource(QTextDocument::ImageResource, QUrl("figure.png"))
                    .value<QPixmap>()
                    .width() <= 1);
        QVERIFY(imageNames(view).isEmpty());
    }

    void svgFiguresFitTheView()
    {
        QTemporaryDir dir;
        QVERIFY(writeSvg(dir.filePath("figures/wide.svg"), 1200, 400));
        QVERIFY(writeSvg(dir.filePath("figures/small.svg"), 200, 100));
        const QString markdown =
            QStringLiteral("# Figures\n\nBefore.\n\n![a wide figure](figures/wide.svg)\n\n"
                           "Between.\n\n![a small one](figures/small.svg)\n\nAfter.\n");
        LessonView view;
        view.resize(320, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setLessonMarkdown(markdown, dir.path());
        QCOMPARE(imageNames(view), (QStringList{"figures/wide.svg", "figures/small.svg"}));

        // Narrow: the wide figure shrinks to the view, keeps its shape, and is
        // drawn at the screen's pixel density (not scaled from another size).
        const QPixmap wide = shownImage(view, "figures/wide.svg");
        QVERIFY(!wide.isNull());
        const QSizeF shown = wide.deviceIndependentSize();
        QVERIFY2(shown.width() <= view.viewport()->width() && shown.width() > 200,
                 qPrintable(QStringLiteral("%1 px wide in a %2 px view")
                                .arg(shown.width())
                                .arg(view.viewport()->width())));
        QVERIFY(qAbs(shown.width() / shown.height() - 3.0) < 0.05);
        QCOMPARE(wide.devicePixelRatio(), view.devicePixelRatioF());
        QCOMPARE(wide.width(), qRound(shown.width() * view.devicePixelRatioF()));
        QVERIFY(view.document()->size().width() <= view.viewport()->width() + 1);
        QCOMPARE(shownSize(view, "figures/small.svg"), QSize(200, 100));
        QVERIFY(view.toPlainText().contains("After."));
        saveShot(&view, "lessonview-figure-narrow");

        // Wide: a figure is never drawn larger than itself at the normal font...
        view.resize(1400, 500);
        QTRY_COMPARE(shownSize(view, "figures/wide.svg"), QSize(1200, 400));
        // ...and grows with the font, as in presenter mode.
        QFont larger = view.font();
        larger.setPointSizeF(QApplication::font().pointSizeF() * 1.5);
        view.setFont(larger);
        QTRY_COMPARE(shownSize(view, "figures/small.svg"), QSize(300, 150));
        QVERIFY(shownImage(view, "figures/wide.svg").deviceIndependentSize().width() <=
                view.viewport()->width());
    }

    void aClickOpensTheFigureLarge()
    {
        QTemporaryDir dir;
        QVERIFY(writeSvg(dir.filePath("figures/wide.svg"), 1200, 400));
        LessonView view;
        view.resize(400, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setLessonMarkdown("# Figure\n\nSome text.\n\n![Strides of a view](figures/wide.svg)\n",
                               dir.path());
        // Find the figure on screen the way a pointer would.
        QPoint onFigure;
        for (int y = 0; y < view.viewport()->height() && onFigure.isNull(); y += 4) {
            const QPoint point(view.viewport()->width() / 2, y);
            if (view.figureAt(point) == "figures/wide.svg")
                onFigure = point;
        }
        QVERIFY(!onFigure.isNull());
        QVERIFY(view.figureAt(QPoint(20, 60)).isEmpty()); // the text above it
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, onFigure + QPoint(0, 10));
        QWidget *window = nullptr;
        QTRY_VERIFY((window = view.findChild<QDialog *>()) && window->isVisible());
        QCOMPARE(window->windowTitle(), "Strides of a view");
        // With the figure's shape, on the screen, and larger than in the view
        // where the screen has room for that.
        QVERIFY(qAbs(double(window->width() - 24) / (window->height() - 24) - 3.0) < 0.1);
        const QSize screen = view.screen()->availableGeometry().size();
        QVERIFY(window->width() <= screen.width() && window->height() <= screen.height());
        const qreal inView = shownImage(view, "figures/wide.svg").deviceIndependentSize().width();
        QVERIFY(window->width() - 24 >= qMin(1.5 * inView, screen.width() * 0.9 - 24) - 1);
        window->close();
        QVERIFY(!view.showFigure("figures/missing.svg"));
    }

    void figuresOnlyFromInsideTheLesson()
    {
        QTemporaryDir root;
        const QString lesson = root.filePath("lesson");
        QVERIFY(writeSvg(root.filePath("outside.svg"), 200, 100));
        QVERIFY(writeSvg(lesson + "/figures/ok.svg", 200, 100));
        QVERIFY(QFile::link(root.filePath("outside.svg"), lesson + "/figures/link.svg"));
        QVERIFY(writeSvg(lesson + "/figures/big.svg", 200, 100,
                         "<!-- " + QByteArray(2 * 1024 * 1024, 'x') + " -->\n"));
        QVERIFY(writeSvg(lesson + "/figures/reaches-out.svg", 200, 100,
                         "<image href=\"../../outside.png\" width=\"10\" height=\"10\"/>\n"));
        QVERIFY(QDir(lesson).mkpath("figures/folder.svg"));
        QFile broken(lesson + "/figures/broken.svg");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect");
        broken.close();

        const QString outside = root.filePath("outside.svg");
        const QStringList refused{"../outside.svg",
                                  "figures/../../outside.svg",
                                  outside,
                                  QUrl::fromLocalFile(outside).toString(),
                                  "figures/link.svg",
                                  "figures/big.svg",
                                  "figures/reaches-out.svg",
                                  "figures/folder.svg",
                                  "figures/broken.svg",
                                  "figures/missing.svg",
                                  "https://example.com/figure.svg",
                                  "data:image/svg+xml;base64,PHN2Zy8+"};
        QString markdown = QStringLiteral("# Figures\n\n![fine](figures/ok.svg)\n\n");
        for (const QString &name : refused)
            markdown += QStringLiteral("![refused](%1)\n\n").arg(name);
        markdown += QStringLiteral("After.\n");

        LessonView view;
        view.resize(600, 800);
        view.setLessonMarkdown(markdown, lesson);
        // Only the figure inside the folder is left; the rest shows nothing.
        QCOMPARE(imageNames(view), QStringList{"figures/ok.svg"});
        QCOMPARE(shownSize(view, "figures/ok.svg"), QSize(200, 100));
        QVERIFY(view.toPlainText().contains("After."));
        // Asked directly, the view still hands out nothing from those paths.
        for (const QString &name : refused) {
            const QVariant loaded = view.loadResource(QTextDocument::ImageResource, QUrl(name));
            QVERIFY2(loaded.value<QPixmap>().width() <= 1, qPrintable(name));
        }
    }

    // Lesson markdown may carry raw HTML: an <img> or a <link rel="stylesheet">
    // reaches Qt's resource loading too, and for anything the view did not
    // answer QTextDocument reads the file itself (a FIFO would block the
    // window, /dev/zero never ends). Nothing outside the lesson, and no FIFO,
    // is ever opened (docs/reliability.md row 33).
    void hostileResourcesAreNeverRead()
    {
        QTemporaryDir root;
        const QString lesson = root.filePath("lesson");
        QVERIFY(QDir().mkpath(lesson));
        FifoWatch styleFifo(lesson + "/style.css");
        FifoWatch imageFifo(lesson + "/pipe.png");
        FifoWatch outsideFifo(root.filePath("outside.png"));
        QVERIFY(styleFifo.made() && imageFifo.made() && outsideFifo.made());
        QVERIFY(QFile::link(root.filePath("outside.png"), lesson + "/link.png"));

        // Raw HTML last: Qt 6.4 drops the text after an HTML block.
        const QString markdown =
            QStringLiteral("# Hostile\n\n"
                           "![pipe](pipe.png) ![out](link.png) ![zero](/dev/zero) "
                           "![file](file:///dev/zero) ![qrc](qrc:/i18n/torchlab_zh_CN.qm)\n\n"
                           "Before the HTML.\n\n"
                           "<img src=\"pipe.png\"> <img src=\"%1\"> <img src=\"/dev/zero\">\n"
                           "<link rel=\"stylesheet\" href=\"style.css\">\n"
                           "<link rel=\"stylesheet\" href=\"%1\">\n"
                           "<p style=\"background-image: url(pipe.png)\">After.</p>\n")
                .arg(root.filePath("outside.png"));
        LessonView view;
        view.resize(600, 800);
        view.setLessonMarkdown(markdown, lesson);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.grab(); // lays out and paints every image
        QVERIFY(view.toPlainText().contains("Before the HTML."));

        const QStringList names{"style.css",
                                "pipe.png",
                                "link.png",
                                root.filePath("outside.png"),
                                QUrl::fromLocalFile(lesson + "/pipe.png").toString(),
                                QUrl::fromLocalFile(root.filePath("outside.png")).toString()};
        const QList<int> types{
            int(QTextDocument::ImageResource), int(QTextDocument::StyleSheetResource),
            int(QTextDocument::HtmlResource), int(QTextDocument::MarkdownResource),
            int(QTextDocument::UserResource)};
        for (const int type : types) {
            // Asked directly, the view hands out nothing, and never a null
            // answer: that makes QTextDocument read the file itself.
            for (const QString &name : names + QStringList{"/dev/zero", "file:///dev/zero"}) {
                const QVariant loaded = view.loadResource(type, QUrl(name));
                QVERIFY2(!loaded.isNull(), qPrintable(name));
                if (type == QTextDocument::ImageResource)
                    QVERIFY2(loaded.value<QPixmap>().width() <= 1, qPrintable(name));
                else
                    QVERIFY2(loaded.toByteArray().isEmpty(), qPrintable(name));
            }
            // Asked through the document, as the HTML importer asks for a
            // style sheet or an image.
            for (const QString &name : names)
                view.document()->resource(type, QUrl(name));
        }
        QVERIFY(!styleFifo.opened());
        QVERIFY(!imageFifo.opened());
        QVERIFY(!outsideFifo.opened());
    }

    // Links open only on the web (http, https) or as files inside the lesson;
    // the rest is refused and the window's status bar says so.
    void linksOpenOnlyWebAndLessonFiles()
    {
        QTemporaryDir root;
        const QString lesson = root.filePath("lesson");
        QVERIFY(QDir().mkpath(lesson + "/data"));
        QFile notes(lesson + "/data/notes.txt");
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("notes\n");
        notes.close();
        QFile secret(root.filePath("secret.txt"));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.close();
        QVERIFY(QFile::link(root.filePath("secret.txt"), lesson + "/escape.txt"));

        QMainWindow window;
        window.statusBar(); // made on first use
        auto *view = new LessonView;
        window.setCentralWidget(view);
        QList<QUrl> opened;
        view->setLinkOpener([&opened](const QUrl &url) { opened << url; });
        QSignalSpy refused(view, &LessonView::linkRefused);
        view->setLessonMarkdown(QStringLiteral("# Links\n\n[a](https://pytorch.org) "
                                               "[b](data/notes.txt) [c](../secret.txt)\n"),
                                lesson);

        Q_EMIT view->anchorClicked(QUrl("https://pytorch.org/docs"));
        Q_EMIT view->anchorClicked(QUrl("http://example.com/"));
        Q_EMIT view->anchorClicked(QUrl("data/notes.txt"));
        Q_EMIT view->anchorClicked(QUrl::fromLocalFile(lesson + "/data/notes.txt"));
        const QUrl notesUrl =
            QUrl::fromLocalFile(QFileInfo(lesson + "/data/notes.txt").canonicalFilePath());
        QCOMPARE(opened, (QList<QUrl>{QUrl("https://pytorch.org/docs"), QUrl("http://example.com/"),
                                      notesUrl, notesUrl}));
        QCOMPARE(refused.size(), 0);

        const QStringList hostile{"../secret.txt",
                                  root.filePath("secret.txt"),
                                  QUrl::fromLocalFile(root.filePath("secret.txt")).toString(),
                                  "escape.txt",
                                  "data",
                                  "/dev/zero",
                                  "file:///etc/passwd",
                                  "javascript:alert(1)",
                                  "ftp://example.com/x",
                                  "smb://host/share",
                                  "qrc:/i18n/torchlab_zh_CN.qm",
                                  "data:text/html,<h1>x</h1>",
                                  "torchlab://subscribe?feed=https://x/"};
        for (const QString &link : hostile) {
            Q_EMIT view->anchorClicked(QUrl(link));
            QVERIFY2(refused.size() == 1, qPrintable(link));
            const QString message = refused.takeFirst().at(0).toString();
            QVERIFY(!message.isEmpty());
            QCOMPARE(window.statusBar()->currentMessage(), message);
        }
        QCOMPARE(opened.size(), 4); // nothing more was opened
    }
};

QTEST_MAIN(TestLessonView)
#include "tst_lessonview.moc"
