#pragma once

#include <QString>

namespace torchlab {

// Where TorchLab keeps its files. All honour the XDG base-directory variables
// (XDG_CACHE_HOME, XDG_CONFIG_HOME, XDG_DATA_HOME) so tests can point them at
// a temporary home. Directories are created on first use.
namespace LabPaths {
QString cacheDir();      // $XDG_CACHE_HOME/torchlab
QString configDir();     // $XDG_CONFIG_HOME/torchlab
QString dataDir();       // $XDG_DATA_HOME/torchlab
QString sdkIncludeDir(); // directory holding torchlab/lab.h ($TORCHLAB_SDK_INCLUDE overrides)
} // namespace LabPaths

} // namespace torchlab
