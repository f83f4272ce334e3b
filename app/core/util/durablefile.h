#pragma once

#include <QByteArray>
#include <QString>

namespace torchlab::durable {

// Writing small state files so that a power cut leaves the old or the new
// content, never a torn or empty file (docs/reliability.md rows 24-25).
// QSaveFile is not enough: it ignores the result of fsync() and never fsyncs
// the folder after its rename. All functions take native (encoded) paths,
// report failures as an errno value in *error and retry EINTR.

// Writes all of `data` to `fd`. A write that makes no progress counts as ENOSPC.
bool writeFully(int fd, const QByteArray &data, int *error);

// Writes `data` to a new file at `path` (mode 0600, replacing one left by a
// crash) and fsyncs it; close() errors count. On failure the file is removed.
bool writeNewFile(const QByteArray &path, const QByteArray &data, int *error);

// fsync of a folder makes the renames and links inside it durable. Some file
// systems cannot fsync a folder at all (EINVAL); they give no stronger promise.
bool syncFolder(const QByteArray &folder, int *error);

// Replaces `path` with `data`: <path>.tmp written and fsynced, renamed over
// `path`, then the folder fsynced. On failure the temporary is removed and
// `path` is left as it was (when the rename did not happen).
bool replaceFile(const QString &path, const QByteArray &data, int *error);

// strerror() as a QString.
QString errorText(int error);

} // namespace torchlab::durable
