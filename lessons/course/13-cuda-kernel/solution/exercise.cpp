// Day 3, lesson 13: a custom CUDA kernel called on LibTorch tensors.
// The operation is "scaled SiLU": out = alpha * x * sigmoid(x), element by element. This file holds
// everything that touches torch::Tensor: a CPU implementation, the wrapper that hands a CUDA
// tensor's memory to the launcher in kernel.cu, and the dispatch between them. kernel.cu holds the
// kernel itself and is compiled by nvcc, only where the lab has a GPU, CUDA LibTorch and nvcc.
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

// Defined in kernel.cu. x and out are device pointers to n contiguous floats.
extern "C" cudaError_t scaled_silu_launch(const float *x, float *out, int64_t n, float alpha,
                                          cudaStream_t stream);
#endif

// What LibTorch's own operations compute: the answer every implementation is compared with.
torch::Tensor scaled_silu_reference(const torch::Tensor &x, float alpha)
{
    return alpha * x * torch::sigmoid(x);
}

// The CPU implementation: a plain loop over the floats, the CPU twin of the kernel. Returns a new
// contiguous float tensor of x's shape; x is not changed.
torch::Tensor scaled_silu_cpu(const torch::Tensor &x, float alpha)
{
    // A CUDA tensor's data_ptr() is an address in GPU memory: reading it here would crash.
    TORCH_CHECK(x.is_cpu(), "scaled_silu_cpu: expected a CPU tensor, got one on ", x.device());
    TORCH_CHECK(x.scalar_type() == torch::kFloat, "scaled_silu_cpu: expected a Float tensor, got ",
                x.scalar_type());
    const torch::Tensor in = x.contiguous();   // the elements in order, one after the other
    torch::Tensor out = torch::empty_like(in); // new memory, contiguous like `in`
    const float *src = in.data_ptr<float>();
    float *dst = out.data_ptr<float>();
    const int64_t n = in.numel();
    for (int64_t i = 0; i < n; ++i)
        dst[i] = alpha * src[i] / (1.0f + std::exp(-src[i]));
    return out;
}

#ifdef TORCHLAB_WITH_CUDA_KERNELS
// The CUDA path: the same preparation as on the CPU, then the launcher from kernel.cu on the
// current stream of x's GPU.
torch::Tensor scaled_silu_cuda(const torch::Tensor &x, float alpha)
{
    TORCH_CHECK(x.is_cuda(), "scaled_silu_cuda: expected a CUDA tensor, got one on ", x.device());
    TORCH_CHECK(x.scalar_type() == torch::kFloat, "scaled_silu_cuda: expected a Float tensor, got ",
                x.scalar_type());
    const c10::cuda::CUDAGuard device_guard(x.device()); // launch on the GPU that holds x
    const torch::Tensor in = x.contiguous();
    torch::Tensor out = torch::empty_like(in);
    const cudaError_t error =
        scaled_silu_launch(in.data_ptr<float>(), out.data_ptr<float>(), in.numel(), alpha,
                           c10::cuda::getCurrentCUDAStream().stream());
    TORCH_CHECK(error == cudaSuccess,
                "scaled_silu kernel launch failed: ", cudaGetErrorString(error));
    return out;
}
#endif

// Picks the implementation for x's device.
torch::Tensor scaled_silu(const torch::Tensor &x, float alpha)
{
    if (x.is_cuda()) {
#ifdef TORCHLAB_WITH_CUDA_KERNELS
        return scaled_silu_cuda(x, alpha);
#else
        // No kernel was compiled here: compute on the CPU and copy back. Correct, but slow.
        return scaled_silu_cpu(x.cpu(), alpha).to(x.device());
#endif
    }
    return scaled_silu_cpu(x, alpha);
}

namespace {

// Median time of `repeats` calls of fn in milliseconds, after two untimed warm-up calls. On a GPU,
// waits for the queued work before reading the clock (lesson 3).
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

// "[-0.108, -0.358, 0, 2.64]" for a small tensor.
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

        // 1. A few values, next to LibTorch's.
        const torch::Tensor x = torch::linspace(-4, 4, 5);
        std::cout << "x                    " << row(x) << "\nscaled_silu(x, 1.5)  "
                  << row(scaled_silu(x, alpha)) << "\nLibTorch             "
                  << row(scaled_silu_reference(x, alpha)) << "\n";

        // 2. Shapes and layouts: contiguous, transposed, every other column, empty.
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

        // 3. Speed on one million floats: your loop against LibTorch's vectorised operations.
        const int repeats = lab::quick() ? 5 : 21;
        const torch::Tensor big = torch::randn({1 << 20});
        // Timing a loop that computes the wrong values would measure nothing useful.
        if (const double difference =
                max_difference(scaled_silu_cpu(big, alpha), scaled_silu_reference(big, alpha));
            !(difference <= 1e-5)) {
            std::cout
                << "scaled_silu_cpu does not match LibTorch on 2^20 floats yet (max |difference| "
                << difference << "): timing it waits until it computes the right values.\n";
            return;
        }
        const double loop_ms = median_ms([&] { scaled_silu_cpu(big, alpha); }, repeats, false);
        const double torch_ms =
            median_ms([&] { scaled_silu_reference(big, alpha); }, repeats, false);
        lab::metric("cpu_loop_ms", big.numel(), loop_ms);
        lab::metric("cpu_torch_ms", big.numel(), torch_ms);
        std::cout << std::fixed << std::setprecision(3) << "CPU, 2^20 floats: your loop " << loop_ms
                  << " ms, LibTorch " << torch_ms << " ms\n";

        // 4. The GPU, when there is one.
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
