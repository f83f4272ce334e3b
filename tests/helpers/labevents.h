#pragma once

// Lab events as a program reports them through lab.h, for tests that feed
// stores, logs and sessions without running a program.

#include "core/metrics/labevent.h"

namespace torchlab::testing {

inline LabEvent metric(const QString &name, qint64 step, double value)
{
    LabEvent e;
    e.type = LabEvent::Type::Metric;
    e.name = name;
    e.step = step;
    e.value = value;
    return e;
}

inline LabEvent checkReport(const QString &name, bool ok, const QString &message = QString())
{
    LabEvent e;
    e.type = LabEvent::Type::Check;
    e.name = name;
    e.ok = ok;
    e.message = message;
    return e;
}

inline LabEvent note(const QString &text)
{
    LabEvent e;
    e.type = LabEvent::Type::Note;
    e.message = text;
    return e;
}

} // namespace torchlab::testing
