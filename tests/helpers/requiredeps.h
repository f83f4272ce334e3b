#pragma once

// A test that cannot run because something the project depends on is missing
// (LibTorch and a compiler, nginx, minisign, python3, lld, zip, Xvfb, …).
// On a developer's machine it is skipped with the reason; where every
// dependency must be present (TORCHLAB_REQUIRE_DEPS=1, which .ci/run sets)
// it fails instead, so a missing package can never pass as a green run.
// Skips for other reasons (running as root, no GPU, no nvcc) stay QSKIP.

#include <QByteArray>
#include <QString>
#include <QTest>

namespace torchlab::testing {

inline bool dependenciesRequired()
{
    return qEnvironmentVariableIntValue("TORCHLAB_REQUIRE_DEPS") != 0;
}

} // namespace torchlab::testing

#define LAB_SKIP_MISSING(reason)                                                                   \
    do {                                                                                           \
        const QByteArray labSkipReason = QString(reason).toUtf8();                                 \
        if (torchlab::testing::dependenciesRequired())                                             \
            QFAIL(("a dependency is missing (TORCHLAB_REQUIRE_DEPS=1): " + labSkipReason)          \
                      .constData());                                                               \
        QSKIP(labSkipReason.constData());                                                          \
    } while (false)
