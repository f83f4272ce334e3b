#pragma once
// A program of tests/fixtures/cli copied into a job folder of its own, as the
// remote-target tests run it: the RunSpec a learner's Run would make.

#include "core/runner/runner.h"

#include <QDir>
#include <QFile>
#include <QString>

namespace torchlab::testing {

inline RunSpec fixtureProgram(const char *name, const QString &jobFolder, const QString &jobName)
{
    RunSpec spec;
    QDir().mkpath(jobFolder);
    const QString path = jobFolder + QLatin1Char('/') + QLatin1String(name);
    QFile::remove(path);
    QFile::copy(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/cli/") + QLatin1String(name),
                path);
    spec.sources << SourceFile{path, QLatin1String(name), true, {}};
    spec.workingDirectory = jobFolder;
    spec.jobName = jobName;
    return spec;
}

} // namespace torchlab::testing
