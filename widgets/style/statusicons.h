#pragma once

#include <QColor>
#include <QIcon>
#include <QPixmap>

class QPalette;

namespace torchlab {

// Small status glyphs drawn with QPainter, so the lab ships no icon files for
// them and they stay sharp at any scale: lessons (not started, in progress,
// passed), checks (pass, fail, error) and doctor verdicts (ok, info, warning,
// error). Colours come from statusColor() and suit light and dark palettes.
enum class StatusGlyph
{
    Empty,
    Half,
    Passed,
    Failed,
    Warning,
    Info,
    Error,
    Running
};

QColor statusColor(StatusGlyph glyph, const QPalette &palette);
// A square pixmap `size` logical pixels wide at `devicePixelRatio`.
QPixmap statusPixmap(StatusGlyph glyph, int size, qreal devicePixelRatio, const QPalette &palette);
// The glyph at sizes from 16 to 64 px, for item views and buttons.
QIcon statusIcon(StatusGlyph glyph, const QPalette &palette);

} // namespace torchlab
