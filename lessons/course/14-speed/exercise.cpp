// Day 3, lesson 14: measuring speed.
// Write a benchmark function that reports median, min and max, and use it to compare a matrix
// product on one and on two CPU threads. On a GPU, main() also times the product with autocast.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iomanip>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

// Timings of one benchmark, in milliseconds. The checks use this struct as it is: keep it.
struct BenchResult
{
    double median_ms = 0;
    double min_ms = 0;
    double max_ms = 0;
    int samples = 0; // how many calls were timed
};

// Calls fn `warmup` times without timing it, then `repeats` times, timing each call on its own.
// When the work runs on a CUDA device, waits for the GPU before every clock reading; on the CPU it
// never touches CUDA.
BenchResult bench(const std::function<void()> &fn, int warmup, int repeats,
                  torch::Device device = torch::kCPU)
{
    // TODO: this is the naive timer of lesson 3: one call, no warm-up, and on a GPU it would
    //       only time the launch. Make it:
    //   1. call fn() `warmup` times without timing it
    //   2. on a CUDA device (device.is_cuda()), torch::cuda::synchronize() once after the warm-up
    //   3. time each of `repeats` calls on its own with std::chrono::steady_clock, waiting for the
    //      GPU (synchronize) before reading the clock when device.is_cuda(); never on the CPU
    //   4. sort the samples: median (the middle one, or the mean of the two middle ones for an
    //      even count), min (the first), max (the last), samples = how many were timed
    (void)warmup, (void)repeats, (void)device;
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto stop = std::chrono::steady_clock::now();
    BenchResult result;
    result.median_ms = result.min_ms = result.max_ms =
        std::chrono::duration<double, std::milli>(stop - start).count();
    result.samples = 1;
    return result;
}

// Times `work` once for each intra-op thread count in `counts`, reporting each median as the metric
// `name + "_ms"` at step = thread count. Restores the thread count that was set before. Returns one
// result per count, in order.
std::vector<BenchResult> compare_threads(const std::string &name, const std::function<void()> &work,
                                         const std::vector<int> &counts, int warmup, int repeats)
{
    // TODO: remember torch::get_num_threads() first; for each count, torch::set_num_threads(count)
    //       before calling bench(work, warmup, repeats), and report the median with
    //       lab::metric(name + "_ms", count, median). Set the remembered count back at the end.
    std::vector<BenchResult> results;
    for (const int threads : counts) {
        (void)threads, (void)name;
        results.push_back(bench(work, warmup, repeats));
    }
    return results;
}

// Turns CUDA autocast on for its lifetime, as Python's `with torch.autocast("cuda"):` does, and
// restores the previous state at the end. The C++ entry points changed in LibTorch 2.4; create one
// only when CUDA is in use.
class CudaAutocast
{
public:
    explicit CudaAutocast(at::ScalarType dtype = at::kHalf)
    {
#if TORCHLAB_TORCH_AT_LEAST(2, 4)
        was_enabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
        old_dtype_ = at::autocast::get_autocast_dtype(at::kCUDA);
        at::autocast::set_autocast_dtype(at::kCUDA, dtype);
        at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
        was_enabled_ = at::autocast::is_enabled();
        old_dtype_ = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
#endif
        at::autocast::increment_nesting();
    }

    ~CudaAutocast()
    {
        // Leaving the outermost region drops the cached half-precision copies of the weights.
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache();
#if TORCHLAB_TORCH_AT_LEAST(2, 4)
        at::autocast::set_autocast_enabled(at::kCUDA, was_enabled_);
        at::autocast::set_autocast_dtype(at::kCUDA, old_dtype_);
#else
        at::autocast::set_enabled(was_enabled_);
        at::autocast::set_autocast_gpu_dtype(old_dtype_);
#endif
    }

    CudaAutocast(const CudaAutocast &) = delete;
    CudaAutocast &operator=(const CudaAutocast &) = delete;

private:
    bool was_enabled_ = false;
    at::ScalarType old_dtype_ = at::kHalf;
};

namespace {

void print(const std::string &what, const BenchResult &r)
{
    std::cout << std::left << std::setw(28) << what << std::right << std::fixed
              << std::setprecision(3) << "median " << std::setw(8) << r.median_ms << " ms   min "
              << std::setw(8) << r.min_ms << "   max " << std::setw(8) << r.max_ms << "   ("
              << r.samples << " runs)\n";
}

} // namespace

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        std::cout << "hardware threads: " << std::thread::hardware_concurrency()
                  << ", LibTorch intra-op threads: " << at::get_num_threads()
                  << ", inter-op threads: " << at::get_num_interop_threads() << "\n";

        // 1. One benchmark, and what the warm-up hides.
        const int64_t n = 256;
        const torch::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
        torch::Tensor c;
        const auto matmul = [&] { c = torch::matmul(a, b); };
        const int repeats = lab::quick() ? 7 : 21;
        print("first call (no warm-up)", bench(matmul, 0, 1));
        const BenchResult r = bench(matmul, 3, repeats);
        print("256x256 matmul", r);
        lab::metric("matmul_median_ms", n, r.median_ms);
        lab::metric("matmul_gflops", n, 2.0 * n * n * n / (r.median_ms * 1e-3) / 1e9);

        // 2. One thread against two: a matrix product, which LibTorch hands to its BLAS library,
        //    and an element-wise exp, which LibTorch splits across its own threads.
        const torch::Tensor x = torch::randn({1 << 22});
        const auto exp = [&] { c = torch::exp(x); };
        for (const auto &[name, work] : std::vector<std::pair<std::string, std::function<void()>>>{
                 {"matmul", matmul}, {"exp", exp}}) {
            const std::vector<BenchResult> t = compare_threads(name, work, {1, 2}, 2, repeats);
            if (t.size() != 2 || t[1].median_ms <= 0)
                continue;
            print(name + ", 1 thread", t[0]);
            print(name + ", 2 threads", t[1]);
            lab::metric(name + "_speedup", 2, t[0].median_ms / t[1].median_ms);
            std::cout << std::setprecision(2) << name << ": 2 threads are "
                      << t[0].median_ms / t[1].median_ms << "x as fast as 1\n";
        }
        std::cout << "intra-op threads after the comparison: " << at::get_num_threads() << "\n";

        // 3. Mixed precision: only on a GPU.
        const torch::Device device = lab::device();
        if (!device.is_cuda()) {
            std::cout << "No GPU: autocast is skipped. On a GPU, matmuls under autocast run in "
                         "float16 on the tensor cores.\n";
            return;
        }
        const int64_t m = 4096;
        const torch::Tensor ga = torch::randn({m, m}, device), gb = torch::randn({m, m}, device);
        torch::Tensor gc;
        const BenchResult fp32 = bench([&] { gc = torch::matmul(ga, gb); }, 3, repeats, device);
        BenchResult mixed;
        {
            CudaAutocast autocast;
            mixed = bench([&] { gc = torch::matmul(ga, gb); }, 3, repeats, device);
            std::cout << "under autocast the product's dtype is " << gc.scalar_type() << "\n";
        }
        print("4096x4096 matmul, float32", fp32);
        print("4096x4096 matmul, autocast", mixed);
        lab::metric("gpu_fp32_ms", m, fp32.median_ms);
        lab::metric("gpu_autocast_ms", m, mixed.median_ms);
    });
}
