#pragma once

#include "core/util/labsettings.h"

class QApplication;

namespace torchlab {

// Applies a light or dark Fusion palette (System: the platform's own palette
// and style) and returns whether the result is dark, so editors and plots can
// pick matching colours.
bool applyTheme(QApplication &app, LabSettings::Theme theme);

} // namespace torchlab
