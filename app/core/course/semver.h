#pragma once

#include <QString>

#include <optional>

namespace torchlab {

// A semantic version (https://semver.org 2.0.0): MAJOR.MINOR.PATCH, an
// optional -prerelease and an ignored +build suffix.
struct SemVer
{
    int major = 0;
    int minor = 0;
    int patch = 0;
    QString prerelease; // "rc.1"; empty for a release

    // nullopt unless `text` is a complete, valid semantic version (no leading
    // zeros, no "v" prefix, numbers that fit an int).
    static std::optional<SemVer> parse(const QString &text);
    // <0, 0, >0 by semver precedence (prerelease < release; build ignored).
    static int compare(const SemVer &a, const SemVer &b);
    QString toString() const;
};

} // namespace torchlab
