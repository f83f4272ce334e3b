// 第三天，第 13 课：在 LibTorch 张量上调用的自定义 CUDA kernel。
// 这个运算是 “scaled SiLU”：out = alpha * x * sigmoid(x)，逐元素计算。本文件包含
// 所有涉及 torch::Tensor 的代码：一个 CPU 实现、把 CUDA 张量的内存交给 kernel.cu 中
// 启动函数的包装函数，以及两者之间的分派。kernel.cu 包含 kernel 本身，由 nvcc 编译，
// 而且只在 TorchLab 有 GPU、CUDA 版的 LibTorch 和 nvcc 时才会编译。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#ifdef TORCHLAB_WITH_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>

// 定义在 kernel.cu 中。x 和 out 是设备指针，指向 n 个连续的 float。
extern "C" cudaError_t scaled_silu_launch(const float *x, float *out, int64_t n, float alpha,
                                          cudaStream_t stream);
#endif

// LibTorch 自己的运算算出的结果：每个实现都要与这个答案作比较。
torch::Tensor scaled_silu_reference(const torch::Tensor &x, float alpha)
{
    return alpha * x * torch::sigmoid(x);
}

// CPU 实现：对各个 float 的一个普通循环，是 kernel 在 CPU 上的孪生版本。返回一个新的、
// 形状与 x 相同的连续 float 张量；x 不会被改动。
torch::Tensor scaled_silu_cpu(const torch::Tensor &x, float alpha)
{
    // CUDA 张量的 data_ptr() 是 GPU 显存中的地址：在这里读取它会导致崩溃。
    TORCH_CHECK(x.is_cpu(), "scaled_silu_cpu: expected a CPU tensor, got one on ", x.device());
    // TODO: 1. 用 TORCH_CHECK(condition, message...) 拒绝一切不是 Float 的张量
    //       2. const torch::Tensor in = x.contiguous(); torch::Tensor out = torch::empty_like(in);
    //       3. 取得指针 in.data_ptr<float>() 和 out.data_ptr<float>()，对 in.numel() 个元素中的
    //          每一个 v，写入 alpha * v / (1 + std::exp(-v))
    (void)alpha;
    return torch::zeros_like(x);
}

#ifdef TORCHLAB_WITH_CUDA_KERNELS
// CUDA 路径：与 CPU 上同样的准备工作，然后在 x 所在 GPU 的当前流上调用
// kernel.cu 中的启动函数。
torch::Tensor scaled_silu_cuda(const torch::Tensor &x, float alpha)
{
    // TODO: 与 scaled_silu_cpu 中同样的准备工作（检查 dtype，in = x.contiguous()，
    //       out = torch::empty_like(in)），然后在一个针对 x.device() 的 c10::cuda::CUDAGuard
    //       存活期间， 调用 scaled_silu_launch(in.data_ptr<float>(), out.data_ptr<float>(),
    //       in.numel(), alpha, c10::cuda::getCurrentCUDAStream().stream())，并把它返回的错误转换为
    //       异常：TORCH_CHECK(error == cudaSuccess, "...", cudaGetErrorString(error))。
    (void)x, (void)alpha;
    TORCH_CHECK(false, "scaled_silu_cuda is not written yet");
    return {};
}
#endif

// 根据 x 所在的设备选择实现。
torch::Tensor scaled_silu(const torch::Tensor &x, float alpha)
{
    // TODO: 在定义了 TORCHLAB_WITH_CUDA_KERNELS 的地方，把 CUDA 张量（x.is_cuda()）交给
    //       scaled_silu_cuda；否则交给 CPU 后备路径 scaled_silu_cpu(x.cpu(), alpha)，再用
    //       .to(x.device()) 拷贝回去。请使用 #ifdef：只有定义了这个宏，scaled_silu_cuda 才存在。
    return scaled_silu_cpu(x, alpha);
}

namespace {

// 先做两次不计时的预热调用，再返回 `repeats` 次调用 fn 的耗时中位数（毫秒）。在 GPU 上，
// 读取时钟之前会先等待排队中的工作完成（第 3 课）。
double median_ms(const std::function<void()> &fn, int repeats, bool cuda)
{
    for (int i = 0; i < 2; ++i)
        fn();
    if (cuda)
        torch::cuda::synchronize();
    std::vector<double> samples;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        if (cuda)
            torch::cuda::synchronize();
        samples.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

// 对一个小张量返回 "[-0.108, -0.358, 0, 2.64]" 这样的字符串。
std::string row(const torch::Tensor &t)
{
    if (!t.defined())
        return "undefined";
    const torch::Tensor flat = t.detach().to(torch::kCPU).to(torch::kDouble).reshape({-1});
    std::ostringstream out;
    out.precision(3);
    out << "[";
    for (int64_t i = 0; i < flat.numel(); ++i)
        out << (i ? ", " : "") << flat[i].item<double>();
    out << "]";
    return out.str();
}

double max_difference(const torch::Tensor &a, const torch::Tensor &b)
{
    return a.numel() == 0 ? 0.0 : (a.cpu() - b.cpu()).abs().max().item<double>();
}

} // namespace

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        const float alpha = 1.5f;

        // 1. 几个值，与 LibTorch 的结果并排打印。
        const torch::Tensor x = torch::linspace(-4, 4, 5);
        std::cout << "x                    " << row(x) << "\nscaled_silu(x, 1.5)  "
                  << row(scaled_silu(x, alpha)) << "\nLibTorch             "
                  << row(scaled_silu_reference(x, alpha)) << "\n";

        // 2. 各种形状和内存布局：连续、转置、隔列选取、空张量。
        const torch::Tensor m = torch::randn({64, 48});
        for (const auto &[name, t] : std::vector<std::pair<std::string, torch::Tensor>>{
                 {"[64, 48]", m},
                 {"[64, 48].t()", m.t()},
                 {"[64, 48] every other column", m.slice(1, 0, 48, 2)},
                 {"[0]", torch::randn({0})}}) {
            const torch::Tensor got = scaled_silu(t, alpha);
            std::cout << std::left << std::setw(30) << name << " max |difference| "
                      << max_difference(got, scaled_silu_reference(t, alpha)) << "\n";
        }

        // 3. 在一百万个 float 上比较速度：你的循环对比 LibTorch 的向量化运算。
        const int repeats = lab::quick() ? 5 : 21;
        const torch::Tensor big = torch::randn({1 << 20});
        // Timing a loop that computes the wrong values would measure nothing useful.
        if (const double difference =
                max_difference(scaled_silu_cpu(big, alpha), scaled_silu_reference(big, alpha));
            !(difference <= 1e-5)) {
            std::cout << "scaled_silu_cpu 在 2^20 个 float 上与 LibTorch 的结果还不一致（最大差值 "
                      << difference << "）：先让它算对，再给它计时。\n";
            return;
        }
        const double loop_ms = median_ms([&] { scaled_silu_cpu(big, alpha); }, repeats, false);
        const double torch_ms =
            median_ms([&] { scaled_silu_reference(big, alpha); }, repeats, false);
        lab::metric("cpu_loop_ms", big.numel(), loop_ms);
        lab::metric("cpu_torch_ms", big.numel(), torch_ms);
        std::cout << std::fixed << std::setprecision(3) << "CPU, 2^20 floats: your loop " << loop_ms
                  << " ms, LibTorch " << torch_ms << " ms\n";

        // 4. GPU（如果有的话）。
        const torch::Device device = lab::device();
        if (!device.is_cuda()) {
            std::cout << "No GPU here: kernel.cu was not compiled and only the CPU path ran.\n";
            return;
        }
#ifndef TORCHLAB_WITH_CUDA_KERNELS
        std::cout << "A GPU, but kernel.cu was not compiled (no nvcc, or a CPU build of "
                     "LibTorch): CUDA tensors take the slow CPU fallback.\n";
#endif
        const torch::Tensor g = torch::randn({1 << 24}, device);
        std::cout << "GPU, 2^24 floats: max |difference| "
                  << max_difference(scaled_silu(g, alpha), scaled_silu_reference(g, alpha)) << "\n";
        const double kernel_ms = median_ms([&] { scaled_silu(g, alpha); }, repeats, true);
        const double torch_gpu_ms =
            median_ms([&] { scaled_silu_reference(g, alpha); }, repeats, true);
        lab::metric("gpu_kernel_ms", g.numel(), kernel_ms);
        lab::metric("gpu_torch_ms", g.numel(), torch_gpu_ms);
        std::cout << "GPU: your kernel " << kernel_ms << " ms, LibTorch " << torch_gpu_ms
                  << " ms\n";
    });
}
