// Lesson 3: Devices and timing (reference solution)
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

// Runs fn() `warmup` times without timing it, then `repeats` times, timing
// each call on its own, and returns the median of those times in
// milliseconds (for an even count, the mean of the two middle values). With
// cuda = true, waits for the GPU (torch::cuda::synchronize) before starting
// the clock and before stopping it.
double median_ms(const std::function<void()> &fn, int warmup, int repeats, bool cuda)
{
    for (int i = 0; i < warmup; ++i)
        fn();
    if (cuda)
        torch::cuda::synchronize();

    std::vector<double> times;
    times.reserve(static_cast<size_t>(std::max(repeats, 0)));
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        if (cuda)
            torch::cuda::synchronize();
        const auto stop = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    if (times.empty())
        return 0.0;
    std::sort(times.begin(), times.end());
    const size_t mid = times.size() / 2;
    return times.size() % 2 == 1 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
}

// Copies host (a CPU tensor) to device, squares it there, and returns the
// result as a CPU tensor. host itself is left as it is.
torch::Tensor square_on(const torch::Tensor &host, torch::Device device)
{
    const torch::Tensor there = host.to(device);
    return (there * there).to(torch::kCPU);
}

namespace {

void report(const std::string &where, int64_t n, double ms)
{
    const double gflops = 2.0 * n * n * n / (ms * 1e-3) / 1e9;
    std::cout << std::fixed << std::setprecision(3) << "matmul " << n << "x" << n << " on " << where
              << ": " << ms << " ms  (" << std::setprecision(1) << gflops << " GFLOP/s)\n";
    lab::metric("matmul_" + where + "_ms", n, ms);
    lab::metric("matmul_" + where + "_gflops", n, gflops);
}

// "[1, -2, 3]" for a small 1-D CPU tensor.
std::string row(const torch::Tensor &t)
{
    if (!t.defined())
        return "undefined";
    std::ostringstream out;
    const torch::Tensor flat = t.to(torch::kCPU).to(torch::kDouble).reshape({-1});
    out << "[";
    for (int64_t i = 0; i < flat.numel(); ++i)
        out << (i ? ", " : "") << flat[i].item<double>();
    out << "]";
    return out.str();
}

} // namespace

int main()
{
    torch::manual_seed(0);
    const bool quick = lab::quick();
    const int64_t n = quick ? 512 : 1024;
    const torch::Device device = lab::device();

    const torch::Tensor a = torch::randn({n, n});
    const torch::Tensor b = torch::randn({n, n});
    torch::Tensor c;
    const int repeats = quick ? 3 : 5;
    int calls = 0;
    const double cpuMs = median_ms(
        [&] {
            ++calls;
            c = torch::matmul(a, b);
        },
        1, repeats, false);
    if (cpuMs <= 0 || calls != 1 + repeats) {
        std::cout << "median_ms() returned " << cpuMs << " after " << calls
                  << " calls (expected 1 warm-up and " << repeats
                  << " timed ones); finish it first.\n";
        return 0;
    }
    report("cpu", n, cpuMs);

    if (device.is_cuda()) {
        // Host to device: pageable memory first, then pinned memory with non_blocking.
        const torch::Tensor big = torch::randn({16 << 20}); // 64 MiB of floats
        const double mib = big.numel() * 4.0 / (1 << 20);
        torch::Tensor onGpu;
        const double pageable = median_ms([&] { onGpu = big.to(device); }, 1, 5, true);
        const torch::Tensor pinned = big.pin_memory();
        const double pinnedMs =
            median_ms([&] { onGpu = pinned.to(device, /*non_blocking=*/true); }, 1, 5, true);
        std::cout << std::fixed << std::setprecision(2) << "copy 64 MiB to the GPU: pageable "
                  << pageable << " ms (" << mib / pageable << " MiB/ms), pinned " << pinnedMs
                  << " ms (" << mib / pinnedMs << " MiB/ms)\n";
        lab::metric("copy_h2d_pageable_ms", 0, pageable);
        lab::metric("copy_h2d_pinned_ms", 0, pinnedMs);

        const torch::Tensor ga = a.to(device), gb = b.to(device);
        const double gpuMs = median_ms([&] { c = torch::matmul(ga, gb); }, 2, 10, true);
        report("cuda", n, gpuMs);
        const double unsynced = median_ms([&] { c = torch::matmul(ga, gb); }, 2, 10, false);
        std::cout << "the same without synchronize: " << unsynced
                  << " ms -- that only measures launching the kernel.\n";
        std::cout << "GPU / CPU speed-up: " << cpuMs / gpuMs << "x\n";
    } else {
        std::cout << "No GPU here, so only the CPU was timed. On a GPU this program also times\n"
                     "host-to-device copies (pageable and pinned) and the same matmul on CUDA,\n"
                     "with torch::cuda::synchronize() around each timed call.\n";
    }

    const torch::Tensor x = torch::tensor({1.0f, -2.0f, 3.0f});
    const torch::Tensor sq = square_on(x, device);
    std::cout << std::defaultfloat << "square_on(" << row(x) << ", " << device << ") = " << row(sq)
              << " on " << (sq.defined() ? sq.device() : device) << "\n";
    return 0;
}
