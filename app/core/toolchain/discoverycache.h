#pragma once

#include "core/toolchain/toolchaindiscovery.h"

#include <QJsonObject>

#include <optional>

namespace torchlab::DiscoveryCache {

// JSON form of a discovery result, stamps included (the cache file's body).
QJsonObject toJson(const DiscoveryResult &result);
DiscoveryResult fromJson(const QJsonObject &object);

// The cached result at `path` when it was made for `inputsKey` and every
// stamped path still stats the same; nullopt otherwise. Only stat() calls
// besides reading the file itself.
std::optional<DiscoveryResult> load(const QString &path, const QString &inputsKey);

// Writes atomically; a failure only costs the next start-up a cold discovery.
bool save(const QString &path, const DiscoveryResult &result);

} // namespace torchlab::DiscoveryCache
