#pragma once

// QScintilla's headers say `signals:` and `slots:`, which torchlab_core's
// QT_NO_KEYWORDS turns off. Include this before any header that pulls in
// <Qsci/...>: the keywords are mapped to their Q_ macros for those headers
// only, and their include guards make later includes no-ops.
#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>
#undef signals
#undef slots
#else
#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>
#endif
