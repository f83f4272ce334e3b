#pragma once

#include <QStringList>

namespace torchlab {

// The names the editor offers for autocompletion: LibTorch classes and
// functions found in the installed headers, merged with a curated list kept
// in resources/completions/libtorch.txt (embedded as
// ":/torchlab/completions/libtorch.txt"). Names are fully qualified with "::"
// ("torch::nn::Linear", "torch::relu", "torch::Tensor::backward"), which is
// how QsciAPIs splits them into context and word.
//
// Works for the LibTorch 1.13 layout (Debian: /usr/include and
// /usr/include/torch/csrc/api/include) and the 2.x one (libtorch/include and
// libtorch/include/torch/csrc/api/include); either include directory of a
// pair is enough.
class CompletionIndex
{
public:
    // Sorted, without duplicates. Scans the headers once and caches the result
    // in LabPaths::cacheDir() + "/completions/<key>.txt", where the key hashes
    // the include directories and the paths, sizes and modification times of
    // the scanned headers; a later call with the same headers reads that file.
    // With no LibTorch headers found, returns the curated list alone.
    // Blocking file I/O: a cold scan of LibTorch 1.13 reads ~100 headers;
    // call it from a worker thread if that matters. Thread-safe.
    static QStringList load(const QStringList &libtorchIncludeDirs);

    // The curated list alone (comments and blank lines dropped).
    static QStringList curated();

    // The header scan alone, without cache or curated list (for tests).
    static QStringList scanHeaders(const QStringList &libtorchIncludeDirs);

    // The cache file load() would use for these directories (may not exist).
    static QString cacheFilePath(const QStringList &libtorchIncludeDirs);
};

} // namespace torchlab
