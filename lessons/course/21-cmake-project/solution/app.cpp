// Lesson 21: the program your CMakeLists.txt builds.
//
// It counts the elements of a million-element tensor that lie between -0.25 and 0.5 twice: once
// with tensor operations, which run inside LibTorch (compiled with optimizations long before you
// installed it), and once with a plain C++ loop that you write here. Your loop is compiled by your
// build, so its speed depends on the build type: build it as Debug and as Release and compare the
// "loop:" lines.
#include <torch/types.h>   // tensors and their operations; <torch/torch.h> adds nn, optim, data
#include <torch/version.h> // TORCH_VERSION

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>

// The number of elements x[i] of the 1-D float tensor x with -0.25 < x[i] < 0.5, counted by a
// plain C++ loop over x.accessor<float, 1>() (no tensor operations).
int64_t count_between_loop(const torch::Tensor &x)
{
    const auto values = x.accessor<float, 1>();
    int64_t count = 0;
    for (int64_t i = 0; i < values.size(0); ++i) {
        if (values[i] > -0.25f && values[i] < 0.5f)
            ++count;
    }
    return count;
}

int main()
{
    const torch::Tensor x = torch::linspace(-1.0, 1.0, 1'000'000); // float

    // The fastest of several passes: the others were slowed down by whatever else ran.
    constexpr int passes = 20;
    int64_t loop = 0;
    double fastest_ms = 1e9;
    for (int pass = 0; pass < passes; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        loop = count_between_loop(x);
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        fastest_ms = std::min(fastest_ms, took.count());
    }
    const int64_t tensor = ((x > -0.25) & (x < 0.5)).sum().item<int64_t>();

    std::cout << "LibTorch " << TORCH_VERSION << ", C++ " << __cplusplus << '\n';
#if defined(__OPTIMIZE__)
    std::cout << "build: optimized";
#else
    std::cout << "build: not optimized";
#endif
#if defined(NDEBUG)
    std::cout << ", NDEBUG defined\n";
#else
    std::cout << ", NDEBUG not defined\n";
#endif
    std::cout << "count (loop): " << loop << '\n'
              << "count (tensor): " << tensor << '\n'
              << std::setprecision(3) << "loop: " << fastest_ms << " ms (the fastest of " << passes
              << " passes)\n";
    return 0;
}
