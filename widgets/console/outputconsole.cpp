#include "widgets/console/outputconsole.h"

#include "core/console/ansitext.h"
#include "core/console/outputlinks.h"

#include <QFontDatabase>
#include <QLocale>
#include <QMouseEvent>
#include <QScrollBar>
#include <QStringDecoder>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>

#include <algorithm>

namespace torchlab {

namespace {

constexpr int FlushIntervalMs = 30;
// A flood is applied at once when this much is waiting, so memory stays bounded
// even if the event loop is slow to run the timer.
constexpr qsizetype FlushNowBytes = 256 * 1024;
// Head and tail cuts move to a line boundary when one is this close.
constexpr qsizetype LineAlignWindow = 2000;

const QString LinkScheme = QStringLiteral("torchlab-location:");

// Colour roles kept in each character format, so that a theme change can
// re-colour text that is already shown.
enum ColorRole
{
    RoleNone = -1,
    RoleStdout = 16,
    RoleStderr,
    RoleInfo,
    RoleLink,
    RoleNotice
};
constexpr int FgRoleProperty = QTextFormat::UserProperty + 1;
constexpr int BgRoleProperty = QTextFormat::UserProperty + 2;
constexpr int FaintProperty = QTextFormat::UserProperty + 3;

// Terminal colours tuned for each theme (VS Code's terminal palettes).
constexpr QRgb DarkAnsi[16] = {
    0xff000000, 0xffcd3131, 0xff0dbc79, 0xffe5e510, 0xff2472c8, 0xffbc3fbc, 0xff11a8cd, 0xffe5e5e5,
    0xff666666, 0xfff14c4c, 0xff23d18b, 0xfff5f543, 0xff3b8eea, 0xffd670d6, 0xff29b8db, 0xffffffff};
constexpr QRgb LightAnsi[16] = {
    0xff000000, 0xffcd3131, 0xff00bc00, 0xff949800, 0xff0451a5, 0xffbc05bc, 0xff0598bc, 0xff555555,
    0xff666666, 0xffcd3131, 0xff14ce14, 0xffb5ba00, 0xff0451a5, 0xffbc05bc, 0xff0598bc, 0xffa5a5a5};

QString locationHref(const QString &file, int line, int column)
{
    // The file goes last: it is the only part that could contain ':'.
    return LinkScheme + QString::number(line) + QLatin1Char(':') + QString::number(column) +
           QLatin1Char(':') + file;
}

bool parseLocationHref(const QString &href, QString *file, int *line, int *column)
{
    if (!href.startsWith(LinkScheme))
        return false;
    const QStringView rest = QStringView(href).mid(LinkScheme.size());
    const qsizetype a = rest.indexOf(u':');
    const qsizetype b = a < 0 ? -1 : rest.indexOf(u':', a + 1);
    if (b < 0)
        return false;
    *line = rest.left(a).toInt();
    *column = rest.mid(a + 1, b - a - 1).toInt();
    *file = rest.mid(b + 1).toString();
    return *line > 0 && !file->isEmpty();
}

} // namespace

struct OutputConsole::Private
{
    QString lastInfo; // the last lab line, while no program output followed it
    enum class Kind
    {
        Stdout,
        Stderr,
        Info
    };

    struct Pending
    {
        Kind kind;
        QByteArray bytes; // Stdout, Stderr
        QString text;     // Info
    };

    // Text ready to insert: one style, and whether a lone '\r' before it
    // returns to the start of the line (progress bars redraw that way).
    struct Piece
    {
        QString text;
        QTextCharFormat format;
        bool carriageReturn = false;
    };

    OutputConsole *q = nullptr;
    QTimer timer;
    QList<Pending> pending;
    qsizetype pendingBytes = 0;

    QStringDecoder decoders[2] = {QStringDecoder(QStringDecoder::Utf8),
                                  QStringDecoder(QStringDecoder::Utf8)};
    AnsiParser parsers[2];
    bool heldCarriageReturn[2] = {false, false};
    bool atLineStart = true; // where the next piece starts, as of the pieces built so far

    QStringList linkFiles;
    bool dark = false;
    int noticeBlock = -1; // block number of the truncation notice; -1 until truncated

    QColor colorFor(int role) const;
    QTextCharFormat baseFormat(int role) const;
    QTextCharFormat formatFor(Kind kind, const AnsiStyle &style) const;
    void recolor(QTextCharFormat &format) const;

    void buildPieces(QList<Piece> &out);
    void appendStreamText(QList<Piece> &out, int stream, const QString &decoded);
    void insertPieces(QTextCursor &cursor, QList<Piece> pieces);
    void scanLinks(int fromBlock);
    void insertNotice(qsizetype headEnd);
    void updateNotice();
    qsizetype tailStart() const;
    void trimTail(qsizetype budget);
    static qsizetype dropLeading(QList<Piece> &pieces, qsizetype count);
};

QColor OutputConsole::Private::colorFor(int role) const
{
    const QPalette pal = q->palette();
    if (role >= 0 && role < 16)
        return QColor::fromRgb(dark ? DarkAnsi[role] : LightAnsi[role]);
    switch (role) {
    case RoleStderr:
        // Warm, but not the ANSI red that compilers use for "error:".
        return dark ? QColor(0xf2, 0x9a, 0x6b) : QColor(0xb3, 0x4a, 0x0f);
    case RoleInfo:
    case RoleNotice:
        return dark ? QColor(0x9a, 0xa0, 0xa6) : QColor(0x5f, 0x63, 0x68);
    case RoleLink:
        return dark ? QColor(0x6c, 0xa8, 0xff) : QColor(0x1a, 0x5f, 0xb4);
    case RoleStdout:
    default:
        return pal.color(QPalette::Text);
    }
}

QTextCharFormat OutputConsole::Private::baseFormat(int role) const
{
    QTextCharFormat f;
    f.setProperty(FgRoleProperty, role);
    f.setForeground(colorFor(role));
    return f;
}

QTextCharFormat OutputConsole::Private::formatFor(Kind kind, const AnsiStyle &style) const
{
    const int streamRole = kind == Kind::Stderr ? RoleStderr : RoleStdout;
    QTextCharFormat f = baseFormat(streamRole);
    if (style.isPlain())
        return f;

    auto apply = [&](const AnsiColor &c, int defaultRole, int roleProperty, bool foreground) {
        QBrush brush;
        int role = defaultRole;
        if (c.kind == AnsiColor::Kind::Palette) {
            role = c.index;
            brush = colorFor(role);
        } else if (c.kind == AnsiColor::Kind::Rgb) {
            role = RoleNone;
            brush = QColor::fromRgb(c.rgb);
        } else if (defaultRole != RoleNone) {
            brush = colorFor(defaultRole);
        }
        f.setProperty(roleProperty, role);
        if (brush.style() == Qt::NoBrush) {
            f.clearProperty(foreground ? int(QTextFormat::ForegroundBrush)
                                       : int(QTextFormat::BackgroundBrush));
            return;
        }
        if (foreground)
            f.setForeground(brush);
        else
            f.setBackground(brush);
    };
    AnsiColor fg = style.fg;
    AnsiColor bg = style.bg;
    int fgDefault = streamRole;
    int bgDefault = RoleNone;
    if (style.inverse) {
        std::swap(fg, bg);
        // Inverse of default colours: text in the base colour, on the stream colour.
        fgDefault = RoleNone;
        bgDefault = streamRole;
    }
    apply(fg, fgDefault, FgRoleProperty, true);
    apply(bg, bgDefault, BgRoleProperty, false);
    if (style.inverse && fg.isDefault())
        f.setForeground(q->palette().color(QPalette::Base));
    if (style.bold)
        f.setFontWeight(QFont::Bold);
    if (style.italic)
        f.setFontItalic(true);
    if (style.underline)
        f.setFontUnderline(true);
    if (style.faint) {
        f.setProperty(FaintProperty, true);
        QColor c = f.foreground().color();
        c.setAlphaF(0.6);
        f.setForeground(c);
    }
    return f;
}

// Re-derives the colours of an existing format from its stored roles (theme change).
void OutputConsole::Private::recolor(QTextCharFormat &format) const
{
    if (format.hasProperty(FgRoleProperty)) {
        const int role = format.intProperty(FgRoleProperty);
        if (role != RoleNone) {
            QColor c = colorFor(role);
            if (format.boolProperty(FaintProperty))
                c.setAlphaF(0.6);
            format.setForeground(c);
        }
    }
    if (format.hasProperty(BgRoleProperty)) {
        const int role = format.intProperty(BgRoleProperty);
        if (role != RoleNone)
            format.setBackground(colorFor(role));
    }
}

void OutputConsole::Private::appendStreamText(QList<Piece> &out, int stream, const QString &decoded)
{
    QString text = decoded;
    if (heldCarriageReturn[stream]) {
        text.prepend(QLatin1Char('\r'));
        heldCarriageReturn[stream] = false;
    }
    if (text.endsWith(QLatin1Char('\r'))) {
        // Whether this is "\r\n" or a progress-bar "\r" shows only with the next chunk.
        text.chop(1);
        heldCarriageReturn[stream] = true;
    }
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));

    const Kind kind = stream == 0 ? Kind::Stdout : Kind::Stderr;
    for (const AnsiSpan &span : parsers[stream].feed(text)) {
        const QTextCharFormat format = formatFor(kind, span.style);
        const QStringList parts = span.text.split(QLatin1Char('\r'));
        for (qsizetype i = 0; i < parts.size(); ++i) {
            if (parts[i].isEmpty() && i == 0)
                continue;
            if (!parts[i].isEmpty() || i > 0)
                out.append(Piece{parts[i], format, i > 0});
            if (!parts[i].isEmpty())
                atLineStart = parts[i].endsWith(QLatin1Char('\n'));
        }
    }
}

void OutputConsole::Private::buildPieces(QList<Piece> &out)
{
    for (const Pending &p : std::as_const(pending)) {
        if (p.kind == Kind::Info) {
            QString line = p.text;
            if (!atLineStart)
                line.prepend(QLatin1Char('\n'));
            if (!line.endsWith(QLatin1Char('\n')))
                line.append(QLatin1Char('\n'));
            QTextCharFormat f = baseFormat(RoleInfo);
            f.setFontItalic(true);
            out.append(Piece{line, f});
            atLineStart = true;
            continue;
        }
        const int stream = p.kind == Kind::Stdout ? 0 : 1;
        appendStreamText(out, stream, decoders[stream].decode(p.bytes));
    }
    pending.clear();
    pendingBytes = 0;
}

void OutputConsole::Private::insertPieces(QTextCursor &cursor, QList<Piece> pieces)
{
    QTextDocument *doc = q->document();
    const int scanFrom = doc->lastBlock().blockNumber();
    cursor.movePosition(QTextCursor::End);
    for (const Piece &piece : std::as_const(pieces)) {
        if (piece.carriageReturn) {
            // Return to the start of the current line: its old content goes.
            const QTextBlock last = doc->lastBlock();
            if (last.blockNumber() > noticeBlock && last.length() > 1) {
                cursor.setPosition(last.position());
                cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
                cursor.removeSelectedText();
            }
        }
        if (!piece.text.isEmpty())
            cursor.insertText(piece.text, piece.format);
    }
    scanLinks(scanFrom);
}

void OutputConsole::Private::scanLinks(int fromBlock)
{
    if (linkFiles.isEmpty())
        return;
    QTextDocument *doc = q->document();
    QTextCursor cursor(doc);
    for (QTextBlock block = doc->findBlockByNumber(qMax(0, fromBlock)); block.isValid();
         block = block.next()) {
        const QList<OutputLink> links = findOutputLinks(block.text(), linkFiles);
        for (const OutputLink &link : links) {
            QTextCharFormat f;
            f.setAnchor(true);
            f.setAnchorHref(locationHref(link.file, link.line, link.column));
            f.setFontUnderline(true);
            f.setForeground(colorFor(RoleLink));
            f.setProperty(FgRoleProperty, int(RoleLink));
            cursor.setPosition(block.position() + int(link.start));
            cursor.setPosition(block.position() + int(link.start + link.length),
                               QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(f);
        }
    }
}

qsizetype OutputConsole::Private::tailStart() const
{
    const QTextBlock block = q->document()->findBlockByNumber(noticeBlock);
    return block.isValid() ? block.position() + block.length() : 0;
}

// Puts the notice on its own line after the line that contains `headEnd`;
// what follows it is the tail.
void OutputConsole::Private::insertNotice(qsizetype headEnd)
{
    QTextDocument *doc = q->document();
    QTextCursor cursor(doc);
    QTextBlock block = doc->findBlock(int(headEnd));
    if (!block.isValid())
        block = doc->lastBlock();
    if (block.position() + block.length() - headEnd > LineAlignWindow) {
        // A head line far longer than the window is cut where the head ends.
        cursor.setPosition(int(headEnd));
        cursor.insertBlock();
        block = cursor.block().previous();
    }
    const bool last = !block.next().isValid();
    if (last && block.length() <= 1 && block.blockNumber() > 0) {
        // The head ends with a newline: the empty last line becomes the notice.
        noticeBlock = block.blockNumber();
        cursor.setPosition(block.position());
        cursor.insertBlock();
        return;
    }
    cursor.setPosition(block.position() + block.length() - 1);
    cursor.insertBlock();
    noticeBlock = block.blockNumber() + 1;
    if (last)
        cursor.insertBlock(); // the tail starts on a line of its own
}

void OutputConsole::Private::updateNotice()
{
    QTextBlock block = q->document()->findBlockByNumber(noticeBlock);
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    QTextCharFormat f = baseFormat(RoleNotice);
    f.setFontItalic(true);
    f.setBackground(dark ? QColor(0x3a, 0x33, 0x20) : QColor(0xff, 0xf4, 0xd6));
    f.setProperty(BgRoleProperty, int(RoleNone));
    cursor.insertText(OutputConsole::tr("[… output truncated: %1 characters not shown …]")
                          .arg(QLocale().toString(q->m_truncatedChars)),
                      f);
}

// Drops the first `count` characters of `pieces`, and then the rest of a
// line cut in the middle when its end is near, so the kept text starts with a
// whole line. Returns how many characters were dropped.
qsizetype OutputConsole::Private::dropLeading(QList<Piece> &pieces, qsizetype count)
{
    qsizetype dropped = 0;
    QChar last = QLatin1Char('\n');
    auto drop = [&](qsizetype n) {
        while (n > 0 && !pieces.isEmpty()) {
            Piece &p = pieces.first();
            const qsizetype take = qMin(n, p.text.size());
            last = p.text.at(take - 1);
            p.text.remove(0, take);
            p.carriageReturn = false;
            if (p.text.isEmpty())
                pieces.removeFirst();
            n -= take;
            dropped += take;
        }
    };
    drop(count);
    if (last == QLatin1Char('\n'))
        return dropped;
    // Never drop the very last line: what arrived last must stay visible.
    qsizetype left = 0;
    for (const Piece &p : std::as_const(pieces))
        left += p.text.size();
    qsizetype distance = 0;
    for (const Piece &p : std::as_const(pieces)) {
        const qsizetype nl = p.text.indexOf(QLatin1Char('\n'));
        if (nl >= 0) {
            const qsizetype lineEnd = distance + nl + 1;
            if (lineEnd <= LineAlignWindow && lineEnd < left)
                drop(lineEnd);
            break;
        }
        distance += p.text.size();
        if (distance >= LineAlignWindow)
            break;
    }
    return dropped;
}

// Drops the oldest tail text until the tail fits `budget`, cutting at a line
// start when one is near so the first kept line is whole.
void OutputConsole::Private::trimTail(qsizetype budget)
{
    QTextDocument *doc = q->document();
    const qsizetype start = tailStart();
    const qsizetype end = doc->characterCount() - 1;
    const qsizetype excess = (end - start) - budget;
    if (excess <= 0)
        return;
    qsizetype cut = start + excess;
    const QTextBlock block = doc->findBlock(int(cut));
    if (block.isValid() && block.position() < cut) {
        const qsizetype nextLine = block.position() + block.length();
        if (nextLine - cut <= LineAlignWindow && nextLine <= end)
            cut = nextLine;
    }
    QTextCursor cursor(doc);
    cursor.setPosition(int(start));
    cursor.setPosition(int(cut), QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    q->m_truncatedChars += cut - start;
}

OutputConsole::OutputConsole(QWidget *parent) : QPlainTextEdit(parent), d(new Private)
{
    d->q = this;
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // No keyboard caret: a blinking cursor in program output reads as "waiting for input".
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    viewport()->setMouseTracking(true);
    document()->setDocumentMargin(6);
    setPlaceholderText(tr("Program output appears here when you run your code."));

    d->timer.setSingleShot(true);
    d->timer.setInterval(FlushIntervalMs);
    connect(&d->timer, &QTimer::timeout, this, &OutputConsole::flush);
}

void OutputConsole::setFontScale(double scale)
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(mono.pointSizeF() * scale);
    setFont(mono);
}

OutputConsole::~OutputConsole()
{
    delete d;
}

void OutputConsole::appendStdout(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    d->lastInfo.clear();
    if (!d->pending.isEmpty() && d->pending.last().kind == Private::Kind::Stdout)
        d->pending.last().bytes += chunk;
    else
        d->pending.append({Private::Kind::Stdout, chunk, {}});
    d->pendingBytes += chunk.size();
    if (d->pendingBytes >= FlushNowBytes)
        flush();
    else if (!d->timer.isActive())
        d->timer.start();
}

void OutputConsole::appendStderr(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    d->lastInfo.clear();
    if (!d->pending.isEmpty() && d->pending.last().kind == Private::Kind::Stderr)
        d->pending.last().bytes += chunk;
    else
        d->pending.append({Private::Kind::Stderr, chunk, {}});
    d->pendingBytes += chunk.size();
    if (d->pendingBytes >= FlushNowBytes)
        flush();
    else if (!d->timer.isActive())
        d->timer.start();
}

void OutputConsole::appendInfo(const QString &line)
{
    // The lab says a thing once: the compile's summary and the run's are
    // often the same sentence ("1 error in exercise.cpp", "Compile cancelled.").
    if (line == d->lastInfo)
        return;
    d->lastInfo = line;
    d->pending.append({Private::Kind::Info, {}, line});
    d->pendingBytes += line.size();
    if (!d->timer.isActive())
        d->timer.start();
}

void OutputConsole::clearOutput()
{
    d->timer.stop();
    d->pending.clear();
    d->pendingBytes = 0;
    for (int i = 0; i < 2; ++i) {
        d->decoders[i].resetState();
        d->parsers[i].reset();
        d->heldCarriageReturn[i] = false;
    }
    d->atLineStart = true;
    d->noticeBlock = -1;
    d->lastInfo.clear();
    m_truncatedChars = 0;
    clear();
}

void OutputConsole::flush()
{
    d->timer.stop();
    if (d->pending.isEmpty())
        return;

    const bool anyStdout =
        std::any_of(d->pending.cbegin(), d->pending.cend(),
                    [](const Private::Pending &p) { return p.kind == Private::Kind::Stdout; });
    QTextDocument *doc = document();
    d->atLineStart = doc->isEmpty() || doc->lastBlock().length() <= 1;
    QList<Private::Piece> pieces;
    d->buildPieces(pieces);
    if (pieces.isEmpty())
        return;

    QScrollBar *bar = verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 2;

    QTextCursor cursor(doc);
    cursor.beginEditBlock();

    qsizetype incoming = 0;
    for (const auto &p : std::as_const(pieces))
        incoming += p.text.size();
    const qsizetype shown = doc->characterCount() - 1;
    const qsizetype cap = qMax<qsizetype>(m_maxChars, 1000);
    const qsizetype headLimit = cap * 2 / 5;
    constexpr qsizetype NoticeReserve = 100;

    if (d->noticeBlock < 0 && shown + incoming <= cap) {
        d->insertPieces(cursor, std::move(pieces));
    } else {
        if (d->noticeBlock < 0) {
            // First overflow: fill the head up to its limit, then seal it with the notice.
            qsizetype room = headLimit - shown;
            QList<Private::Piece> head;
            while (room > 0 && !pieces.isEmpty()) {
                Private::Piece &p = pieces.first();
                if (p.text.size() <= room) {
                    room -= p.text.size();
                    head.append(std::move(p));
                    pieces.removeFirst();
                    continue;
                }
                qsizetype take = room;
                const qsizetype nl = p.text.indexOf(QLatin1Char('\n'), room);
                if (nl >= 0 && nl - room < LineAlignWindow)
                    take = nl + 1;
                head.append(Private::Piece{p.text.left(take), p.format, p.carriageReturn});
                p.text.remove(0, take);
                p.carriageReturn = false;
                room = 0;
            }
            d->insertPieces(cursor, std::move(head));
            d->insertNotice(qMin(headLimit, doc->characterCount() - 1));
        }
        const qsizetype budget = qMax<qsizetype>(cap - d->tailStart() - NoticeReserve, cap / 10);
        // Of what arrives, only the last `budget` characters can stay: skip
        // the rest before it ever reaches the document.
        qsizetype remaining = 0;
        for (const auto &p : std::as_const(pieces))
            remaining += p.text.size();
        qsizetype skip = remaining - budget;
        if (skip > 0) {
            m_truncatedChars += d->dropLeading(pieces, skip);
            // All text already in the tail is older than what is kept.
            QTextCursor tail(doc);
            tail.setPosition(int(d->tailStart()));
            tail.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
            m_truncatedChars += tail.selectionEnd() - tail.selectionStart();
            tail.removeSelectedText();
        }
        d->insertPieces(cursor, std::move(pieces));
        d->trimTail(budget);
        d->updateNotice();
    }
    cursor.endEditBlock();

    if (follow)
        bar->setValue(bar->maximum());
    if (anyStdout)
        Q_EMIT stdoutShown();
}

void OutputConsole::setLinkFiles(const QStringList &files)
{
    d->linkFiles = files;
}

void OutputConsole::setMaxChars(qsizetype chars)
{
    m_maxChars = chars;
}

void OutputConsole::setDarkTheme(bool dark)
{
    if (d->dark == dark)
        return;
    d->dark = dark;
    // Re-colour what is shown from the roles stored in its formats.
    QTextDocument *doc = document();
    QTextCursor cursor(doc);
    cursor.beginEditBlock();
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            QTextCharFormat f = fragment.charFormat();
            d->recolor(f);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(f);
        }
    }
    cursor.endEditBlock();
}

void OutputConsole::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        QString file;
        int line = 0;
        int column = 0;
        if (parseLocationHref(anchorAt(event->position().toPoint()), &file, &line, &column)) {
            Q_EMIT locationActivated(file, line, column);
            event->accept();
            return;
        }
    }
    QPlainTextEdit::mousePressEvent(event);
}

void OutputConsole::mouseMoveEvent(QMouseEvent *event)
{
    const bool overLink = !anchorAt(event->position().toPoint()).isEmpty();
    viewport()->setCursor(overLink ? Qt::PointingHandCursor : Qt::IBeamCursor);
    QPlainTextEdit::mouseMoveEvent(event);
}

} // namespace torchlab
