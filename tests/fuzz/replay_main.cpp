// Replays fuzz corpora through a libFuzzer entry point without libFuzzer, so
// that ctest re-runs every saved input in every build (plain or sanitized).
// Usage: replay_<target> [corpus dir or file]...; with no arguments, the corpus
// compiled in as TORCHLAB_FUZZ_CORPUS. Fails when it finds no input at all.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

namespace fs = std::filesystem;

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    std::vector<std::string> roots(argv + 1, argv + argc);
#ifdef TORCHLAB_FUZZ_CORPUS
    if (roots.empty())
        roots.emplace_back(TORCHLAB_FUZZ_CORPUS);
#endif
    std::vector<fs::path> files;
    for (const std::string &root : roots) {
        std::error_code ec;
        if (fs::is_regular_file(root, ec)) {
            files.emplace_back(root);
            continue;
        }
        for (const auto &entry : fs::recursive_directory_iterator(root, ec)) {
            if (entry.is_regular_file())
                files.push_back(entry.path());
        }
        if (ec)
            std::fprintf(stderr, "cannot read %s: %s\n", root.c_str(), ec.message().c_str());
    }
    std::sort(files.begin(), files.end()); // a stable order makes a failure easy to repeat
    for (const fs::path &file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                      std::istreambuf_iterator<char>()};
        std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    }
    std::fprintf(stderr, "replayed %zu inputs\n", files.size());
    return files.empty() ? 1 : 0;
}
