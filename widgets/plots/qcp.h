#pragma once

// Include <qcustomplot.h> through this header. torchlab_core builds everything
// with QT_NO_KEYWORDS, and QCustomPlot's header still says `signals:` and uses
// `foreach`; the keywords are mapped to their Q_ macros for that one header.
#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef foreach
#else
#include <qcustomplot.h>
#endif
