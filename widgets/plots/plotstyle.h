#pragma once

#include <QColor>
#include <QFont>

class QCustomPlot;

namespace torchlab::plotstyle {

// Colours shared by the loss and memory plots, matching the light and dark
// palettes of style/theme.cpp.
struct Colors
{
    QColor background;
    QColor foreground; // axes, tick labels, legend text
    QColor grid;
    QColor subGrid;
    QColor muted; // empty-state text
    QColor alarm; // NaN markers
};

Colors colors(bool dark);
// The i-th curve colour (cycles), readable on the theme's background.
QColor seriesColor(int index, bool dark);
// Background, axes, grid and legend of `plot` in the theme's colours.
void apply(QCustomPlot *plot, bool dark);
// Fonts of the axes, tick labels and legend at `scale` times `base` (presenter
// mode: readable from the back of a room).
void applyScale(QCustomPlot *plot, const QFont &base, double scale);
// Line widths in presenter mode are this many times the normal ones.
inline double penScale(bool presenting)
{
    return presenting ? 2.0 : 1.0;
}

} // namespace torchlab::plotstyle
