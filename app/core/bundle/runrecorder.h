#pragma once

#include "core/bundle/runbundle.h"

#include <QDateTime>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace torchlab {

class LabSession;
struct Lesson;
struct Pack;
struct SessionResult;
struct StagedSources;

// What the caller knows of a finished lesson run that the session does not.
struct RunRecordSource
{
    const Pack *pack = nullptr;
    const Lesson *lesson = nullptr;
    QString language = QStringLiteral("en"); // of the lesson's title
    QString stagedDirectory;                 // where the learner's files were as they were compiled
    QStringList learnerFiles;                // their names in that folder
    std::optional<qint64> seed;
    bool quick = false;
    QJsonObject environment; // EnvironmentReport::toJson()
    QStringList commands;
    QDateTime finishedAt; // UTC; now when invalid
};

// The seed the lab passes in `environment` (TORCHLAB_SEED, a whole number),
// or none.
std::optional<qint64> seedFrom(const QProcessEnvironment &environment);

// A RunRecord of the session's last run (its output, metrics and memory as
// the session keeps them) with default metadata (defaultBundleMetadata).
// Plots are left to the caller (renderBundlePlots needs QtGui). Fails when a
// learner file cannot be read.
Result<RunRecord> recordRun(const RunRecordSource &source, const SessionResult &result,
                            const LabSession &session);

// The title, version, date and keywords a bundle gets unless told otherwise.
BundleMetadata defaultBundleMetadata(const RunRecord &record);

} // namespace torchlab
