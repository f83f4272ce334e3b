#include "core/console/ansitext.h"

namespace torchlab {

namespace {

constexpr char16_t Esc = 0x1b;
constexpr char16_t Bel = 0x07;

// Parameters larger than this are clamped: nothing meaningful is bigger, and
// clamping keeps garbage like ESC[99999999999m from overflowing.
constexpr int MaxParamValue = 65535;

bool isKeptControl(char16_t c)
{
    return c == u'\t' || c == u'\n' || c == u'\r';
}

bool isDroppedControl(char16_t c)
{
    return (c < 0x20 && !isKeptControl(c)) || c == 0x7f;
}

int clampByte(int v)
{
    return v < 0 ? 0 : (v > 255 ? 255 : v);
}

} // namespace

AnsiColor AnsiColor::fromRgb(int r, int g, int b)
{
    const quint32 rgb = 0xff000000u | (quint32(clampByte(r)) << 16) | (quint32(clampByte(g)) << 8) |
                        quint32(clampByte(b));
    return {Kind::Rgb, 0, rgb};
}

AnsiColor AnsiColor::xterm256(int index)
{
    if (index < 0 || index > 255)
        return {};
    if (index < 16)
        return palette(index);
    if (index < 232) {
        // xterm's cube levels are 0, 95, 135, 175, 215, 255, not an even ramp.
        static constexpr int levels[6] = {0, 95, 135, 175, 215, 255};
        const int i = index - 16;
        return fromRgb(levels[i / 36], levels[(i / 6) % 6], levels[i % 6]);
    }
    const int grey = 8 + (index - 232) * 10;
    return fromRgb(grey, grey, grey);
}

void AnsiParser::reset()
{
    m_state = State::Text;
    m_style = AnsiStyle();
    m_pendingReset = false;
    m_params.clear();
    m_subParam.clear();
    m_current = -1;
}

void AnsiParser::appendText(QList<AnsiSpan> &spans, QStringView text)
{
    if (text.isEmpty())
        return;
    if (!spans.isEmpty() && spans.last().style == m_style && !m_pendingReset) {
        spans.last().text += text;
        return;
    }
    spans.append(AnsiSpan{text.toString(), m_style, m_pendingReset});
    m_pendingReset = false;
}

QList<AnsiSpan> AnsiParser::feed(QStringView chunk)
{
    QList<AnsiSpan> spans;
    qsizetype runStart = -1; // start of the plain text run being collected

    auto closeRun = [&](qsizetype end) {
        if (runStart >= 0)
            appendText(spans, chunk.mid(runStart, end - runStart));
        runStart = -1;
    };

    for (qsizetype i = 0; i < chunk.size(); ++i) {
        const char16_t c = chunk[i].unicode();
        switch (m_state) {
        case State::Text:
            if (c == Esc) {
                closeRun(i);
                m_state = State::Escape;
            } else if (isDroppedControl(c)) {
                closeRun(i);
            } else if (runStart < 0) {
                runStart = i;
            }
            break;

        case State::Escape:
            if (c == u'[') {
                m_state = State::Csi;
                m_params.clear();
                m_subParam.clear();
                m_current = -1;
                m_currentIsSub = false;
                m_csiPrivate = false;
                m_csiIntermediate = false;
            } else if (c == u']' || c == u'P' || c == u'_' || c == u'^' || c == u'X') {
                m_state = State::String;
                m_stringIsOsc = c == u']';
            } else if (c == Esc) {
                // ESC ESC: the first one was lone; the second may start a sequence.
            } else if (c >= 0x20 && c <= 0x2f) {
                m_state = State::EscapeIntermediate; // ESC ( B and friends: charset selection
            } else if (c >= 0x30 && c <= 0x7e) {
                if (c == u'c') { // RIS: full reset
                    m_style = AnsiStyle();
                    m_pendingReset = true;
                }
                m_state = State::Text; // two-character escape (ESC 7, ESC =, ...): dropped
            } else {
                // A lone ESC before ordinary text or a control: drop the ESC only.
                m_state = State::Text;
                --i;
            }
            break;

        case State::EscapeIntermediate:
            if (c >= 0x30 && c <= 0x7e)
                m_state = State::Text;
            else if (!(c >= 0x20 && c <= 0x2f)) {
                m_state = State::Text;
                --i;
            }
            break;

        case State::Csi:
            if (c >= u'0' && c <= u'9') {
                const int digit = c - u'0';
                m_current = m_current < 0 ? digit : qMin(MaxParamValue, m_current * 10 + digit);
            } else if (c == u';' || c == u':') {
                if (m_params.size() < MaxParams) {
                    m_params.append(m_current);
                    m_subParam.append(m_currentIsSub);
                }
                m_current = -1;
                m_currentIsSub = c == u':';
            } else if (c >= 0x3c && c <= 0x3f) {
                m_csiPrivate = true;
            } else if (c >= 0x20 && c <= 0x2f) {
                m_csiIntermediate = true;
            } else if (c >= 0x40 && c <= 0x7e) {
                if (m_params.size() < MaxParams) {
                    m_params.append(m_current);
                    m_subParam.append(m_currentIsSub);
                }
                if (c == u'm' && !m_csiPrivate && !m_csiIntermediate)
                    applySgr();
                m_state = State::Text;
            } else if (c == Esc) {
                m_state = State::Escape; // an aborted sequence; the new one starts here
            } else if (isDroppedControl(c) || isKeptControl(c)) {
                // Terminals execute controls inside a CSI; newlines must survive.
                if (isKeptControl(c))
                    appendText(spans, chunk.mid(i, 1));
            } else {
                // Not a CSI byte at all (e.g. text after a truncated sequence): abort
                // and treat the character as text again.
                m_state = State::Text;
                --i;
            }
            break;

        case State::String:
            if (c == Bel && m_stringIsOsc)
                m_state = State::Text;
            else if (c == Esc)
                m_state = State::StringEscape;
            break;

        case State::StringEscape:
            if (c == u'\\')
                m_state = State::Text; // ST
            else if (c != Esc)
                m_state = State::String;
            break;
        }
    }
    closeRun(chunk.size());
    return spans;
}

void AnsiParser::applySgr()
{
    const qsizetype n = m_params.size();
    auto param = [&](qsizetype i) { return i < n && m_params[i] >= 0 ? m_params[i] : 0; };
    auto isSub = [&](qsizetype i) { return i < n && m_subParam[i]; };

    for (qsizetype i = 0; i < n; ++i) {
        if (isSub(i))
            continue; // a sub-parameter of something not understood
        const int p = param(i);
        if (p == 38 || p == 48) {
            AnsiColor colour;
            bool valid = false;
            if (isSub(i + 1)) {
                // ITU form: 38:5:n or 38:2:[colourspace]:r:g:b
                qsizetype end = i + 1;
                while (end < n && isSub(end))
                    ++end;
                const qsizetype count = end - (i + 1);
                if (param(i + 1) == 5 && count >= 2) {
                    colour = AnsiColor::xterm256(param(i + 2));
                    valid = true;
                } else if (param(i + 1) == 2 && count >= 5) {
                    colour = AnsiColor::fromRgb(param(i + 3), param(i + 4), param(i + 5));
                    valid = true;
                } else if (param(i + 1) == 2 && count == 4) {
                    colour = AnsiColor::fromRgb(param(i + 2), param(i + 3), param(i + 4));
                    valid = true;
                }
                i = end - 1;
            } else if (param(i + 1) == 5 && i + 2 < n) {
                colour = AnsiColor::xterm256(param(i + 2));
                valid = true;
                i += 2;
            } else if (param(i + 1) == 2 && i + 4 < n) {
                colour = AnsiColor::fromRgb(param(i + 2), param(i + 3), param(i + 4));
                valid = true;
                i += 4;
            } else {
                i = n; // malformed extended colour: the rest cannot be trusted
            }
            if (valid)
                (p == 38 ? m_style.fg : m_style.bg) = colour;
            continue;
        }
        switch (p) {
        case 0:
            m_style = AnsiStyle();
            m_pendingReset = true;
            break;
        case 1:
            m_style.bold = true;
            break;
        case 2:
            m_style.faint = true;
            break;
        case 3:
            m_style.italic = true;
            break;
        case 4:
            // 4:0 is "no underline" in the ITU form; 4:1..4:5 are underline styles.
            m_style.underline = !(isSub(i + 1) && param(i + 1) == 0);
            break;
        case 7:
            m_style.inverse = true;
            break;
        case 21:
            m_style.underline = true; // double underline
            break;
        case 22:
            m_style.bold = false;
            m_style.faint = false;
            break;
        case 23:
            m_style.italic = false;
            break;
        case 24:
            m_style.underline = false;
            break;
        case 27:
            m_style.inverse = false;
            break;
        case 39:
            m_style.fg = AnsiColor();
            break;
        case 49:
            m_style.bg = AnsiColor();
            break;
        default:
            if (p >= 30 && p <= 37)
                m_style.fg = AnsiColor::palette(p - 30);
            else if (p >= 40 && p <= 47)
                m_style.bg = AnsiColor::palette(p - 40);
            else if (p >= 90 && p <= 97)
                m_style.fg = AnsiColor::palette(p - 90 + 8);
            else if (p >= 100 && p <= 107)
                m_style.bg = AnsiColor::palette(p - 100 + 8);
            break;
        }
    }
}

QString AnsiParser::strip(QStringView text)
{
    AnsiParser parser;
    QString out;
    for (const AnsiSpan &span : parser.feed(text))
        out += span.text;
    return out;
}

} // namespace torchlab
