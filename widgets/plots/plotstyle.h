#pragma once

#include <QColor>

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

} // namespace torchlab::plotstyle
