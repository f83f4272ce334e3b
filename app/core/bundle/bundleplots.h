#pragma once

#include "core/bundle/bundlearchive.h"

#include <QList>

namespace torchlab {

class MemorySeriesStore;
class MetricStore;

// The plots of a run bundle: every metric series (step on x) and, when there
// are samples, the memory curves (seconds on x, MiB on y), each as
// "<name>.png" (960×540) and "<name>.svg", drawn like the lab's plots (light
// theme, the same series colours). Labels are English: an archive is read by
// whoever cites it, whatever the language of the lab that wrote it.
//
// Needs a QGuiApplication for the fonts (QT_QPA_PLATFORM=offscreen is
// enough). The same samples give the same bytes on the same machine; fonts
// differ between machines, and so may the pixels.
QList<BundleFile> renderBundlePlots(const MetricStore &metrics, const MemorySeriesStore &memory);

} // namespace torchlab
