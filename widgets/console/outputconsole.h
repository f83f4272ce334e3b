#pragma once

#include <QPlainTextEdit>

namespace torchlab {

// The program's output. stdout in the normal text colour, stderr in a warning
// colour; ANSI SGR colour/bold codes are rendered (console/ansitext.h in core),
// other escape sequences dropped. `file:line[:col]` locations that name one of
// the learner's files are underlined links: clicking one emits
// locationActivated(). Bytes are decoded as UTF-8 across chunk boundaries.
// At most maxChars() characters are kept: beyond that the middle is dropped
// and a visible "[… output truncated: N characters not shown …]" line says so
// (the engine keeps its own head+tail for checks). Appends are batched on a
// short timer so a flood of tiny chunks does not block the event loop.
class OutputConsole : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit OutputConsole(QWidget *parent = nullptr);
    ~OutputConsole() override;

    void appendStdout(const QByteArray &chunk);
    void appendStderr(const QByteArray &chunk);
    // A line from the lab itself ("Compiling…", "Exited with status 1"), in a muted colour.
    // A line of the lab's own (italic); the same line twice in a row, with no
    // program output between, is shown once.
    void appendInfo(const QString &line);
    void clearOutput();
    void flush(); // applies pending appends now (tests)

    // Learner files whose locations become links ("exercise.cpp").
    void setLinkFiles(const QStringList &files);
    void setMaxChars(qsizetype chars);
    qsizetype maxChars() const { return m_maxChars; }
    bool isTruncated() const { return m_truncatedChars > 0; }
    qint64 truncatedChars() const { return m_truncatedChars; }
    // The plain text shown (tests).
    QString plainText() const { return toPlainText(); }
    void setDarkTheme(bool dark);
    // The monospace font at `scale` times the system's fixed font (presenter mode).
    void setFontScale(double scale);

Q_SIGNALS:
    void locationActivated(const QString &file, int line, int column);
    // Program output (stdout) was just put on screen (flushes are batched).
    void stdoutShown();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    struct Private;
    Private *d = nullptr;
    qsizetype m_maxChars = 2'000'000;
    qint64 m_truncatedChars = 0;
};

} // namespace torchlab
