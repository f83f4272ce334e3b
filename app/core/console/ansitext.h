#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace torchlab {

// A terminal colour as a program asked for it. The 16 basic colours stay
// indices so that the console can pick shades that suit its light or dark
// theme; 256-colour cube/grey values and 24-bit colours are resolved to RGB.
struct AnsiColor
{
    enum class Kind : quint8
    {
        Default,
        Palette,
        Rgb
    };

    Kind kind = Kind::Default;
    int index = 0; // Palette: 0..7 normal, 8..15 bright (black, red, green, yellow, blue, magenta,
                   // cyan, white)
    quint32 rgb = 0; // Rgb: 0xffRRGGBB, the layout of QRgb

    static AnsiColor palette(int index) { return {Kind::Palette, index, 0}; }
    static AnsiColor fromRgb(int r, int g, int b);
    // xterm's 256-colour table: 0..15 stay Palette, 16..231 the 6x6x6 cube, 232..255 the grey ramp.
    static AnsiColor xterm256(int index);

    bool isDefault() const { return kind == Kind::Default; }
    friend bool operator==(const AnsiColor &, const AnsiColor &) = default;
};

struct AnsiStyle
{
    AnsiColor fg;
    AnsiColor bg;
    bool bold = false;
    bool faint = false;
    bool italic = false;
    bool underline = false;
    bool inverse = false;

    bool isPlain() const { return *this == AnsiStyle(); }
    friend bool operator==(const AnsiStyle &, const AnsiStyle &) = default;
};

// A run of text in one style. `reset` is true when a full SGR reset
// (ESC[m / ESC[0m) came right before the text.
struct AnsiSpan
{
    QString text;
    AnsiStyle style;
    bool reset = false;

    friend bool operator==(const AnsiSpan &, const AnsiSpan &) = default;
};

// Incremental ANSI/VT escape parser for program output. Feed decoded text in
// chunks of any size: an escape sequence split across chunks is recognised all
// the same (the state survives between feed() calls). SGR sequences (colours,
// bold, faint, italic, underline, inverse) change the style; every other CSI
// sequence (cursor moves, erase), OSC/DCS/APC/PM/SOS strings (window titles,
// hyperlinks), two-character escapes, lone ESC characters and C0 controls other
// than \t, \n and \r are dropped. Memory stays bounded on garbage: parameters
// beyond a small cap are ignored and string contents are never kept.
//
// Not thread-safe; one parser per stream.
class AnsiParser
{
public:
    // Spans of the text in `chunk`, adjacent runs of one style merged. Text
    // before a sequence that is still incomplete at the end of the chunk is
    // returned now; the sequence completes on a later feed().
    QList<AnsiSpan> feed(QStringView chunk);

    // The style the next text will have.
    const AnsiStyle &style() const { return m_style; }
    // True while in the middle of an escape sequence.
    bool inSequence() const { return m_state != State::Text; }
    // Back to plain text and the default style (a new run).
    void reset();

    // The text of `text` without any escape sequence (one-shot convenience).
    static QString strip(QStringView text);

    static constexpr int MaxParams = 32;

private:
    enum class State : quint8
    {
        Text,
        Escape,
        EscapeIntermediate,
        Csi,
        String,
        StringEscape
    };

    void applySgr();
    void appendText(QList<AnsiSpan> &spans, QStringView text);

    State m_state = State::Text;
    AnsiStyle m_style;
    bool m_pendingReset = false;
    bool m_csiPrivate = false;      // '<', '=', '>', '?' prefix: never SGR
    bool m_csiIntermediate = false; // 0x20..0x2f seen: never SGR
    bool m_stringIsOsc = false;     // OSC ends with BEL too; DCS/APC/PM/SOS only with ST
    QList<int> m_params;            // -1: empty parameter
    QList<bool> m_subParam;         // true when the parameter followed a ':'
    int m_current = -1;
    bool m_currentIsSub = false;
};

} // namespace torchlab
