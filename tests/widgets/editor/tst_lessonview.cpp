#include "widgets/editor/lessonview.h"

#include "shots.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

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
        QVERIFY(!view.loadResource(QTextDocument::ImageResource, QUrl("figure.png")).isValid());
    }
};

QTEST_MAIN(TestLessonView)
#include "tst_lessonview.moc"
