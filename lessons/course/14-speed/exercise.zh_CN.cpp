// 第三天，第 14 课：测量速度。
// 写一个报告中位数、最小值和最大值的基准测试函数，并用它比较矩阵乘法在一个和两个
// CPU 线程上的速度。在 GPU 上，main() 还会给 autocast 下的矩阵乘法计时。
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

// 一次基准测试的计时结果，单位为毫秒。检查会原样使用这个结构体：请保留它。
struct BenchResult
{
    double median_ms = 0;
    double min_ms = 0;
    double max_ms = 0;
    int samples = 0; // 计时的调用次数
};

// 先调用 fn `warmup` 次且不计时，再调用 `repeats` 次，每次调用单独计时。
// 当工作在 CUDA 设备上运行时，每次读取时钟之前都要等待 GPU；在 CPU 上则
// 完全不碰 CUDA。
BenchResult bench(const std::function<void()> &fn, int warmup, int repeats,
                  torch::Device device = torch::kCPU)
{
    // TODO: 这是第 3 课那个朴素的计时器：只调用一次，没有预热，而且在 GPU 上它只会
    //       量到启动的时间。请改成：
    //   1. 调用 fn() `warmup` 次，不计时
    //   2. 在 CUDA 设备上（device.is_cuda()），预热之后调用一次 torch::cuda::synchronize()
    //   3. 用 std::chrono::steady_clock 对 `repeats` 次调用逐次单独计时；当 device.is_cuda() 时，
    //      在读取时钟之前等待 GPU（synchronize）；在 CPU 上则绝不这样做
    //   4. 对样本排序：median（中间那个；样本数为偶数时取中间两个的平均值）、
    //      min（第一个）、max（最后一个），samples = 计时的次数
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

// 对 `counts` 中的每个算子内（intra-op）线程数各给 `work` 计时一次，把每个中位数作为指标
// `name + "_ms"` 报告，step = 线程数。结束时恢复之前设置的线程数。按顺序为每个线程数
// 返回一个结果。
std::vector<BenchResult> compare_threads(const std::string &name, const std::function<void()> &work,
                                         const std::vector<int> &counts, int warmup, int repeats)
{
    // TODO: 先记下 torch::get_num_threads()；对每个线程数，在调用 bench(work, warmup, repeats)
    //       之前先 torch::set_num_threads(count)，并用 lab::metric(name + "_ms", count, median)
    //       报告中位数。最后把记下的线程数设回去。
    std::vector<BenchResult> results;
    for (const int threads : counts) {
        (void)threads, (void)name;
        results.push_back(bench(work, warmup, repeats));
    }
    return results;
}

// 在对象存活期间开启 CUDA autocast，就像 Python 的 `with torch.autocast("cuda"):` 那样，
// 并在结束时恢复之前的状态。C++ 的入口函数在 LibTorch 2.4 中改变了；只有在使用 CUDA 时
// 才创建它。
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
        // 离开最外层区域时，丢掉缓存的权重半精度副本。
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

        // 1. 一次基准测试，以及预热所隐藏的东西。
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

        // 2. 单线程对比双线程：矩阵乘法（LibTorch 把它交给 BLAS 库），
        //    以及逐元素的 exp（LibTorch 把它分到自己的各个线程上）。
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

        // 3. 混合精度：仅在 GPU 上。
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
