#pragma once

#include <QStringList>

namespace torchlab::cli {

// torchlab-cli serve --json-stream: the course server's side of a lab's
// session (docs/json-stream.md). Runs the jobs the lab writes on stdin one
// after another, each answered by its events and a done line, until stdin
// ends.
int runServeCommand(const QStringList &arguments);

} // namespace torchlab::cli
