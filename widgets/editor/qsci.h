#pragma once

// QScintilla's headers use the `signals` and `slots` keywords, which
// torchlab_core switches off for everything that links it (QT_NO_KEYWORDS).
// Include QScintilla only through this header.
#if defined(QT_NO_KEYWORDS) && !defined(signals)
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define TORCHLAB_QSCI_KEYWORDS
#endif

#include <Qsci/qsciapis.h>
#include <Qsci/qscilexercmake.h>
#include <Qsci/qscilexercpp.h>
#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>

#if defined(TORCHLAB_QSCI_KEYWORDS)
#undef signals
#undef slots
#undef TORCHLAB_QSCI_KEYWORDS
#endif
