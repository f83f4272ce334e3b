#pragma once

class QWidget;

namespace torchlab {

// Keeps a top-level window at least as tall as its layout needs at its
// current width. Qt sizes windows from their layout's minimum size, which
// ignores height-for-width, so a form with word-wrapped sentences (a problem
// line that grows to two lines, a note that appears) would otherwise squeeze
// fixed-height fields over its labels. Installs an event filter owned by
// `window`; call once after the layout is set.
void keepHeightForWidth(QWidget *window);

} // namespace torchlab
