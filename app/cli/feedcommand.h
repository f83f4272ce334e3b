#pragma once

#include <QString>
#include <QStringList>

namespace torchlab::cli {

// `torchlab-cli feed publish|sign|subscribe|update|list` (instructors publish a
// signed feed; students subscribe to it). Exit code: 0 ok, 1 failed, 2 usage.
int runFeedCommand(const QStringList &arguments);

// The signing and installing part of `torchlab-cli pack`: sign, install, list,
// remove. runPackCommand() hands these subcommands over.
bool isPackTrustSubcommand(const QString &subcommand);
int runPackTrustCommand(const QString &subcommand, const QStringList &arguments);

extern const char kPackTrustUsage[];
extern const char kFeedUsage[];

} // namespace torchlab::cli
