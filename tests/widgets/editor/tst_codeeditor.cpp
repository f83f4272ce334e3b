#include "helpers/requiredeps.h"
#include "widgets/editor/codeeditor.h"

#include "core/editor/completionindex.h"
#include "shots.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using namespace torchlab;

namespace {

const char *kExercise = R"(#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
    NetImpl() : fc(register_module("fc", torch::nn::Linear(784, 10))) {}
    torch::Tensor forward(torch::Tensor x) { return fc(x.flatten(1)) }
    torch::nn::Linear fc;
};
TORCH_MODULE(Net);

int main()
{
    int unused = 0;
    Net net;
    auto y = net->forward(torch::rand({2, 1, 28, 28}));
}
)";

Diagnostic diag(Diagnostic::Severity severity, const QString &file, int line, int column,
                const QString &message)
{
    Diagnostic d;
    d.severity = severity;
    d.file = file;
    d.line = line;
    d.column = column;
    d.message = message;
    d.inLearnerFile = file.endsWith("exercise.cpp");
    if (d.inLearnerFile) {
        d.learnerFile = file;
        d.learnerLine = line;
        d.learnerColumn = column;
    }
    return d;
}

// A LibTorch template error: reported inside a header, but the parser found
// the learner line that instantiated it.
Diagnostic headerError()
{
    Diagnostic d =
        diag(Diagnostic::Severity::Error, "/usr/include/torch/csrc/api/include/torch/nn/pimpl.h",
             97, 22, "no matching function for call to 'NetImpl::NetImpl(int)'");
    d.learnerFile = "exercise.cpp";
    d.learnerLine = 13;
    d.learnerColumn = 9;
    return d;
}

QList<Diagnostic> sampleDiagnostics()
{
    return {
        diag(Diagnostic::Severity::Error, "/tmp/torchlab-stage-1234/exercise.cpp", 5, 66,
             "expected ';' after return statement"),
        diag(Diagnostic::Severity::Warning, "exercise.cpp", 12, 9, "unused variable 'unused'"),
        diag(Diagnostic::Severity::Error, "check.cpp", 3, 1, "not this editor's file"),
        headerError(),
    };
}

int indicatorsAt(CodeEditor &editor, int line, int column)
{
    const long pos = editor.positionFromLineIndex(line - 1, column - 1);
    return int(editor.SendScintilla(QsciScintillaBase::SCI_INDICATORALLONFOR, pos));
}

QPoint viewportPointOf(CodeEditor &editor, int line, int column)
{
    const long pos = editor.positionFromLineIndex(line - 1, column - 1);
    const int x = int(editor.SendScintilla(QsciScintillaBase::SCI_POINTXFROMPOSITION, 0, pos));
    const int y = int(editor.SendScintilla(QsciScintillaBase::SCI_POINTYFROMPOSITION, 0, pos));
    const int h = int(editor.SendScintilla(QsciScintillaBase::SCI_TEXTHEIGHT, line - 1));
    return {x + 2, y + h / 2};
}

QString currentCompletion(CodeEditor &editor)
{
    const long length = editor.SendScintilla(QsciScintillaBase::SCI_AUTOCGETCURRENTTEXT, 0UL,
                                             static_cast<char *>(nullptr));
    QByteArray buffer(int(length) + 1, '\0');
    editor.SendScintilla(QsciScintillaBase::SCI_AUTOCGETCURRENTTEXT, 0UL, buffer.data());
    return QString::fromUtf8(buffer.constData());
}

} // namespace

class TestCodeEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diagnosticsLandOnTheLearnersLines()
    {
        CodeEditor editor;
        editor.setFileName("exercise.cpp");
        editor.setText(kExercise);
        editor.resize(760, 420);
        editor.setDiagnostics(sampleDiagnostics());

        // Matched by file name (the staged path too); check.cpp's is not here;
        // the header error lands on the line that instantiated it.
        QCOMPARE(editor.diagnosticLines(), (QList<int>{5, 12, 13}));
        QCOMPARE(editor.diagnosticCount(), 3);
        QVERIFY(editor.diagnosticIsError(5));
        QVERIFY(!editor.diagnosticIsError(12));
        QVERIFY(editor.diagnosticIsError(13));
        QVERIFY(!editor.diagnosticIsError(1));

        QCOMPARE(editor.diagnosticMessage(5), "error: expected ';' after return statement");
        QCOMPARE(editor.diagnosticMessage(12), "warning: unused variable 'unused'");
        QVERIFY(editor.diagnosticMessage(13).startsWith(
            "error: no matching function for call to 'NetImpl::NetImpl(int)'"));
        QVERIFY2(editor.diagnosticMessage(13).contains("pimpl.h:97"),
                 qPrintable(editor.diagnosticMessage(13)));
        QVERIFY(editor.diagnosticMessage(1).isEmpty());

        // The squiggle covers the named word, not the whole file.
        QVERIFY(indicatorsAt(editor, 12, 9) != 0);  // "unused"
        QVERIFY(indicatorsAt(editor, 12, 14) != 0); // still "unused"
        QCOMPARE(indicatorsAt(editor, 12, 5), 0);   // "int"
        QVERIFY(indicatorsAt(editor, 5, 66) != 0);
        QCOMPARE(indicatorsAt(editor, 1, 1), 0);
        QVERIFY(indicatorsAt(editor, 13, 9) != 0);
        QVERIFY(indicatorsAt(editor, 5, 66) != indicatorsAt(editor, 12, 9)); // colours differ

        saveShot(&editor, "codeeditor-diagnostics");
    }

    void noColumnUnderlinesTheLine()
    {
        CodeEditor editor;
        editor.setFileName("exercise.cpp");
        editor.setText("int main()\n{\n    return x;\n}\n");
        editor.setDiagnostics(
            {diag(Diagnostic::Severity::Error, "exercise.cpp", 3, 0, "'x' was not declared")});
        QCOMPARE(indicatorsAt(editor, 3, 1), 0); // indentation stays clean
        QVERIFY(indicatorsAt(editor, 3, 5) != 0);
        QVERIFY(indicatorsAt(editor, 3, 13) != 0);
        // A line past the end (the file changed since the compile) clamps to the last.
        editor.setDiagnostics({diag(Diagnostic::Severity::Error, "exercise.cpp", 99, 1, "late")});
        QCOMPARE(editor.diagnosticLines(), QList<int>{editor.lines()});
    }

    void tooltipShowsTheMessage()
    {
        CodeEditor editor;
        editor.setFileName("exercise.cpp");
        editor.setText(kExercise);
        editor.resize(800, 500);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setDiagnostics(sampleDiagnostics());

        const QPoint onError = viewportPointOf(editor, 5, 10);
        QCOMPARE(editor.diagnosticToolTipAt(onError), editor.diagnosticMessage(5));
        QVERIFY(editor.diagnosticToolTipAt(viewportPointOf(editor, 2, 1)).isEmpty());
        // Over the marker in the margin, too.
        QCOMPARE(editor.diagnosticToolTipAt(QPoint(2, onError.y())), editor.diagnosticMessage(5));

        const QPoint local = editor.viewport()->mapTo(&editor, onError);
        QHelpEvent help(QEvent::ToolTip, local, editor.mapToGlobal(local));
        QApplication::sendEvent(&editor, &help);
        QTRY_COMPARE(QToolTip::text(), editor.diagnosticMessage(5));
        QToolTip::hideText();
    }

    void markersFollowEditsAndClear()
    {
        CodeEditor editor;
        editor.setFileName("exercise.cpp");
        editor.setText(kExercise);
        editor.setDiagnostics(sampleDiagnostics());
        editor.insertAt("// a comment added above\n", 0, 0);
        QCOMPARE(editor.diagnosticLines(), (QList<int>{6, 13, 14}));
        QVERIFY(editor.diagnosticMessage(6).contains("expected ';'"));

        editor.clearDiagnostics();
        QCOMPARE(editor.diagnosticCount(), 0);
        QVERIFY(editor.diagnosticMessage(6).isEmpty());
        QCOMPARE(indicatorsAt(editor, 6, 66), 0);

        // New diagnostics replace the old ones.
        editor.setDiagnostics(sampleDiagnostics());
        editor.setDiagnostics({diag(Diagnostic::Severity::Warning, "exercise.cpp", 2, 1, "w")});
        QCOMPARE(editor.diagnosticLines(), QList<int>{2});
    }

    void editingAnErrorLineDropsItsStaleMarks()
    {
        CodeEditor editor;
        editor.setFileName("exercise.cpp");
        editor.setText(kExercise);
        editor.setDiagnostics(sampleDiagnostics());
        QCOMPARE(editor.diagnosticLines(), (QList<int>{5, 12, 13}));
        QVERIFY(indicatorsAt(editor, 5, 66) != 0);
        // The learner fixes line 5: its marker, message and underline go at
        // once, before any compile; the other lines keep theirs.
        editor.insertAt(";", 4, editor.text(4).trimmed().size());
        QTRY_COMPARE(editor.diagnosticLines(), (QList<int>{12, 13}));
        QVERIFY(editor.diagnosticMessage(5).isEmpty());
        QCOMPARE(indicatorsAt(editor, 5, 66), 0);
        QVERIFY(!editor.diagnosticMessage(12).isEmpty());
        // Typing elsewhere leaves them alone.
        editor.insertAt("\n", 0, 0);
        QTest::qWait(10);
        QCOMPARE(editor.diagnosticLines(), (QList<int>{13, 14}));
    }

    void measuresWhatFits()
    {
        CodeEditor editor;
        editor.setFileName("exercise.cpp");
        editor.setText(kExercise);
        editor.resize(editor.widthForColumns(80), 400);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(editor.visibleColumns() >= 80);
        QVERIFY(editor.visibleColumns() <= 82);
        const int lines = editor.visibleLines();
        editor.resize(editor.width(), 800);
        QTRY_VERIFY(editor.visibleLines() > lines * 3 / 2);
    }

    void replaceAllIsOneUndoStep()
    {
        CodeEditor editor;
        editor.setText("learner's code\nline 2\n");
        editor.SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
        editor.setCursorPosition(1, 2);
        editor.replaceAllUndoable("starter code\n");
        QCOMPARE(editor.text(), "starter code\n");
        QVERIFY(editor.isUndoAvailable());
        editor.undo();
        QCOMPARE(editor.text(), "learner's code\nline 2\n");
        QVERIFY(!editor.isUndoAvailable()); // one step brought it all back
        editor.redo();
        QCOMPARE(editor.text(), "starter code\n");
    }

    void completionOffersLibTorchNames()
    {
        CodeEditor editor;
        editor.resize(700, 400);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QSignalSpy prepared(&editor, &CodeEditor::completionWordsPrepared);
        editor.setCompletionWords(CompletionIndex::curated());
        QTRY_VERIFY(editor.completionWordsReady());
        QCOMPARE(prepared.count(), 1);
        QCOMPARE(editor.autoCompletionThreshold(), 3);

        editor.setText("auto fc = torch::nn::Lin");
        editor.setCursorPosition(0, editor.text().size());
        editor.autoCompleteFromAPIs();
        QVERIFY(editor.SendScintilla(QsciScintillaBase::SCI_AUTOCACTIVE));
        QVERIFY2(currentCompletion(editor).startsWith("Linear"),
                 qPrintable(currentCompletion(editor)));
        saveShot(&editor, "codeeditor-completion");
        // The list is a popup window of its own.
        for (QWidget *top : QApplication::topLevelWidgets()) {
            if (top->isVisible() && top->inherits("QListWidget"))
                saveShot(top, "codeeditor-completion-list");
        }
        editor.SendScintilla(QsciScintillaBase::SCI_AUTOCCANCEL);

        // A tensor method after '.', found through its torch::Tensor entry.
        editor.setText("loss.backw");
        editor.setCursorPosition(0, 10);
        editor.autoCompleteFromAPIs();
        QVERIFY(editor.SendScintilla(QsciScintillaBase::SCI_AUTOCACTIVE));
        QVERIFY2(currentCompletion(editor).startsWith("backward"),
                 qPrintable(currentCompletion(editor)));
        editor.SendScintilla(QsciScintillaBase::SCI_AUTOCCANCEL);

        // Nothing matches: no list.
        editor.setText("zzqqx");
        editor.setCursorPosition(0, 5);
        editor.autoCompleteFromAPIs();
        QVERIFY(!editor.SendScintilla(QsciScintillaBase::SCI_AUTOCACTIVE));
    }

    // The whole index of the installed LibTorch, when there is one: the
    // words must reach the list, and the worker thread's time is printed.
    void completionWithTheInstalledLibTorch()
    {
        const QStringList words =
            CompletionIndex::load({QStringLiteral("/usr/include"),
                                   QStringLiteral("/usr/include/torch/csrc/api/include")});
        if (words.size() <= CompletionIndex::curated().size())
            LAB_SKIP_MISSING("no LibTorch headers under /usr/include");
        CodeEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QElapsedTimer timer;
        timer.start();
        editor.setCompletionWords(words);
        QTRY_VERIFY(editor.completionWordsReady());
        qDebug("%lld completion words prepared in %lld ms", qint64(words.size()),
               qint64(timer.elapsed()));
        editor.setText("torch::nn::TransformerEncoderL");
        editor.setCursorPosition(0, editor.text().size());
        editor.autoCompleteFromAPIs();
        QVERIFY(editor.SendScintilla(QsciScintillaBase::SCI_AUTOCACTIVE));
        QVERIFY2(currentCompletion(editor).startsWith("TransformerEncoderLayer"),
                 qPrintable(currentCompletion(editor)));
    }

    void goToLinePlacesTheCursor()
    {
        CodeEditor editor;
        editor.setText(kExercise);
        editor.goToLine(5, 12);
        int line = -1, index = -1;
        editor.getCursorPosition(&line, &index);
        QCOMPARE(line, 4);
        QCOMPARE(index, 11);
        editor.goToLine(1, 500); // past the end of a line: its end, not the next line
        editor.getCursorPosition(&line, &index);
        QCOMPARE(line, 0);
        QCOMPARE(index, int(qstrlen("#include <torch/torch.h>")));
        editor.goToLine(500, 500); // past the end: the last line, not a crash
        editor.getCursorPosition(&line, &index);
        QCOMPARE(line, editor.lines() - 1);
    }

    void zoomFromTheKeyboard()
    {
        CodeEditor editor;
        editor.setText(kExercise);
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        editor.setFocus();
        auto zoom = [&] { return editor.SendScintilla(QsciScintillaBase::SCI_GETZOOM); };
        QCOMPARE(zoom(), 0);
        QTest::keyClick(&editor, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(zoom(), 1);
        QTest::keyClick(&editor, Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(&editor, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(zoom(), -1);
        QTest::keyClick(&editor, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(zoom(), 0);
    }

    void themeAndFontSize()
    {
        CodeEditor editor;
        auto paper = [&] {
            return editor.SendScintilla(QsciScintillaBase::SCI_STYLEGETBACK,
                                        QsciScintillaBase::STYLE_DEFAULT);
        };
        auto size = [&] {
            return editor.SendScintilla(QsciScintillaBase::SCI_STYLEGETSIZE,
                                        QsciScintillaBase::STYLE_DEFAULT);
        };
        const long lightPaper = paper();
        editor.setDarkTheme(true);
        QVERIFY(paper() != lightPaper);
        editor.setFontPointSize(16);
        QCOMPARE(size(), 16);
        editor.setText(kExercise);
        editor.setFileName("exercise.cpp");
        editor.setDiagnostics(sampleDiagnostics());
        editor.resize(760, 420);
        saveShot(&editor, "codeeditor-dark");
    }

    // A CMakeLists.txt starter is highlighted as CMake, in the theme's colours:
    // its # lines are comments, not preprocessor lines.
    void cmakeFilesGetTheCMakeLexer()
    {
        CodeEditor editor;
        editor.setDarkTheme(true);
        editor.setFileName("CMakeLists.txt");
        QVERIFY(editor.lexer());
        QCOMPARE(QString::fromLatin1(editor.lexer()->language()), QStringLiteral("CMake"));
        editor.setText("# TODO: find LibTorch\nfind_package(Torch REQUIRED)\n"
                       "target_link_libraries(app \"${TORCH_LIBRARIES}\")\n");
        editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0, -1);
        auto styleAt = [&](const char *text) {
            const int at = int(editor.text().toUtf8().indexOf(text));
            return int(editor.SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, at));
        };
        QCOMPARE(styleAt("TODO"), int(QsciLexerCMake::Comment));
        QCOMPARE(styleAt("find_package"), int(QsciLexerCMake::Function));
        const QColor comment = editor.lexer()->color(QsciLexerCMake::Comment);
        const QColor paper = editor.lexer()->defaultPaper();
        editor.resize(760, 200);
        saveShot(&editor, "codeeditor-cmake");

        editor.setFileName("app.cpp");
        QCOMPARE(QString::fromLatin1(editor.lexer()->language()), QStringLiteral("C++"));
        QCOMPARE(comment, editor.lexer()->color(QsciLexerCPP::CommentLine));
        QCOMPARE(paper, editor.lexer()->defaultPaper());
    }
};

QTEST_MAIN(TestCodeEditor)
#include "tst_codeeditor.moc"
