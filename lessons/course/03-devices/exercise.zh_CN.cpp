// 第 3 课：设备与计时
//
// 完成 median_ms() 和 square_on()。随后 main() 会给 CPU 上（有 GPU 时
// 也包括 GPU 上）的矩阵乘法计时，并用 lab::metric 报告结果，
// TorchLab 会把这些结果画成图。
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

// 先不计时地运行 fn() `warmup` 次，然后再运行 `repeats` 次，
// 对每次调用单独计时，返回这些时间的中位数，单位为毫秒
// （次数为偶数时，取中间两个值的平均值）。cuda = true 时，
// 在开始计时之前和停止计时之前，都要先等待 GPU
// （torch::cuda::synchronize）。
double median_ms(const std::function<void()> &fn, int warmup, int repeats, bool cuda)
{
    // TODO: 现在它只给一次调用计时，没有预热，也不理会 GPU。把它改成：
    //   1. 不计时地调用 fn() `warmup` 次；
    //   2. 逐次给 `repeats` 次调用计时（cuda 为 true 时，每次前后都要 synchronize）；
    //   3. 返回这些时间的中位数，单位为毫秒。
    (void)warmup;
    (void)repeats;
    (void)cuda;
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(stop - start).count();
}

// 把 host（一个 CPU 张量）拷贝到 device，在那里求平方，再把结果
// 以 CPU 张量的形式返回。host 本身保持不变。
torch::Tensor square_on(const torch::Tensor &host, torch::Device device)
{
    // TODO: 用 .to(device) 把 host 拷贝到 device，在那里求平方，
    //       再用 .to(torch::kCPU) 把结果拷回来。
    (void)device;
    return host;
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

// 把一个小的一维 CPU 张量写成 "[1, -2, 3]" 这样的字符串。
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
        std::cout << "median_ms() 返回了 " << cpuMs << "，调用了 fn " << calls
                  << " 次（应为 1 次预热加 " << repeats << " 次计时）；请先完成它。\n";
        return 0;
    }
    report("cpu", n, cpuMs);

    if (device.is_cuda()) {
        // 主机到设备：先测可分页内存，再测锁页内存加 non_blocking。
        const torch::Tensor big = torch::randn({16 << 20}); // 64 MiB 的 float 数据
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
