// 进阶，第 19 课：内存不足，以及如何挺过去。
// 在训练步外面捕获内存不足错误，释放失败那次尝试占用的内存，把 micro-batch 减半，
// 再把这一步重做一遍，让这一步仍然覆盖整个 batch。
#include <torch/torch.h>
#include <torchlab/lab.h>

#ifdef TORCHLAB_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>
#endif

#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

// ---------------------------------------------------------------------------------------------
// 已经给出：模型、数据、内存预算，以及尝试过的 micro-batch 的记录。

// 每个样本是 16 个 token 组成的序列，每个 token 有 16 个特征。网络让每个 token 都经过一个很宽的
// 隐藏层（2,048 个单元），再把 16 个 token 的输出取平均，得到 10 个类别的分数：
// [b, 16, 16] -> [b, 16, 2048] -> [b, 16, 10] -> 对 token 取平均 -> [b, 10]。这个宽层让激活值很大：
// 每个这样的张量对每个样本占 16 x 2,048 个 float = 128 KiB。前向传播同时持有其中两个（隐藏层的输出
// 和 ReLU 的输出），反向传播三个（ReLU 的输出、它的梯度和隐藏层的梯度）：大小为 256 的 batch
// 前向需要 64 MiB，反向需要 96 MiB。
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Linear(16, 2048), torch::nn::ReLU(),
                                 torch::nn::Linear(2048, 10));
}

// 在 `device` 上生成 `n` 个样本及其标签（0..9）：每个 token 都是围绕其类别模式的噪声，
// 所以可以从 token 的平均值学出类别。
void make_data(int64_t n, const torch::Device &device, torch::Tensor &x, torch::Tensor &y)
{
    const auto patterns = torch::randn({10, 16}, device) * 0.5;
    y = torch::randint(0, 10, {n}, torch::TensorOptions().dtype(torch::kLong).device(device));
    x = torch::randn({n, 16, 16}, device) + patterns.index_select(0, y).unsqueeze(1);
}

int64_t memory_in_use();
void lift_memory_budget();

namespace {

struct ForwardCall
{
    int64_t size;   // 这个 micro-batch 中的样本数
    int64_t memory; // 调用 forward_loss() 时的 memory_in_use()
};

std::vector<ForwardCall> forward_calls;
int64_t forward_guard = 0;
int64_t budget_base = -1; // 设置预算时的 memory_in_use()；-1：没有预算
int64_t budget_extra = 0;
double budget_peak = 0; // 自上次 take_budget_peak() 以来观察到的预算占用比例的最大值
int64_t memory_sample = 0;
struct rlimit saved_data_limit;

bool on_cuda()
{
    return lab::device().is_cuda();
}

// 进程的私有可写内存（VmData），即 RLIMIT_DATA 所限制的量；读不到 /proc/self/status 时为 -1。
int64_t cpu_data_bytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmData:", 0) == 0)
            return std::stoll(line.substr(7)) * 1024;
    return -1;
}

void sample_memory()
{
    if (on_cuda())
        lab::memory(memory_sample++);
    if (budget_base >= 0 && budget_extra > 0)
        budget_peak =
            std::max(budget_peak, double(memory_in_use() - budget_base) / double(budget_extra));
}

} // namespace

// 按预算的算法，程序当前使用的内存，单位为字节。在 GPU 上：存活的 CUDA 张量占用的字节数（缓存
// 分配器的 "allocated"）。在 CPU 上：进程的私有可写内存（/proc/self/status 中的 VmData），
// 即 RLIMIT_DATA 所限制的量。
int64_t memory_in_use()
{
#ifdef TORCHLAB_WITH_CUDA
    if (on_cuda())
        return c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device())
            .allocated_bytes[0] // 第 0 项：所有内存池合计
            .current;
#endif
    return cpu_data_bytes();
}

// 从现在起，一旦程序比现在多用了超过 `extra_bytes` 的内存，分配就会失败，就像 GPU 满了时拒绝
// 分配一样。在 GPU 上，它给 LibTorch 的缓存分配器设上限（setMemoryFraction）：需要更多显存的一步
// 会抛出 c10::OutOfMemoryError，"CUDA out of memory"。在 CPU 上，它调低进程的数据段限制
// （setrlimit(RLIMIT_DATA)，TorchLab 为每次运行设置内存限制用的就是这个机制，这里设得紧得多）：
// 于是 malloc 失败，LibTorch 的 CPU 分配器抛出 c10::Error，"DefaultCPUAllocator: can't allocate
// memory"（LibTorch 2.x 中是 "not enough memory"）。两者都不可用时返回 false，并附上一条说明。
bool set_memory_budget(int64_t extra_bytes)
{
    lift_memory_budget();
#ifdef TORCHLAB_WITH_CUDA
    if (on_cuda()) {
        c10::cuda::CUDACachingAllocator::emptyCache();
        const int device = c10::cuda::current_device();
        size_t free_bytes = 0, total_bytes = 0;
        if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess || total_bytes == 0) {
            lab::note("读不到 GPU 的总显存，因此没有设置预算。");
            return false;
        }
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
        const int64_t reserved = stats.reserved_bytes[0].current;
        c10::cuda::CUDACachingAllocator::setMemoryFraction(
            double(reserved + extra_bytes) / double(total_bytes), device);
        budget_base = memory_in_use();
        budget_extra = extra_bytes;
        budget_peak = 0;
        return true;
    }
#endif
#ifdef __GLIBC__
    // glibc 会把最多 32 MiB 的已释放块留着复用，相当于它自己的缓存；这样设置之后，128 KiB 以上的块
    // 逐个映射、逐个解除映射，释放的张量会立即从 VmData 中消失。
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    const int64_t now = cpu_data_bytes();
    if (now < 0 || ::getrlimit(RLIMIT_DATA, &saved_data_limit) != 0) {
        lab::note("这个系统没有 /proc/self/status 或 RLIMIT_DATA，因此没有设置预算。");
        return false;
    }
    struct rlimit tight = saved_data_limit;
    tight.rlim_cur = rlim_t(now + extra_bytes);
    if (saved_data_limit.rlim_max != RLIM_INFINITY && tight.rlim_cur > saved_data_limit.rlim_max)
        tight.rlim_cur = saved_data_limit.rlim_max;
    if (::setrlimit(RLIMIT_DATA, &tight) != 0) {
        lab::note("setrlimit(RLIMIT_DATA) 失败，因此没有设置预算。");
        return false;
    }
    budget_base = now;
    budget_extra = extra_bytes;
    budget_peak = 0;
    return true;
}

// 撤销 set_memory_budget() 设置的预算；没有预算时什么也不做。
void lift_memory_budget()
{
    if (budget_base < 0)
        return;
#ifdef TORCHLAB_WITH_CUDA
    if (on_cuda()) {
        c10::cuda::CUDACachingAllocator::setMemoryFraction(1.0, c10::cuda::current_device());
        budget_base = -1;
        return;
    }
#endif
    ::setrlimit(RLIMIT_DATA, &saved_data_limit);
    budget_base = -1;
}

// 存活期间保持 set_memory_budget() 设置的预算，销毁时调用 lift_memory_budget()，
// 即使是异常离开作用域也一样。
class MemoryBudget
{
public:
    explicit MemoryBudget(int64_t extra_bytes) { set_memory_budget(extra_bytes); }
    ~MemoryBudget() { lift_memory_budget(); }
    MemoryBudget(const MemoryBudget &) = delete;
    MemoryBudget &operator=(const MemoryBudget &) = delete;
};

// 自上次调用以来，在 forward_loss() 的采样点（开始时和前向传播之后）观察到的预算占用比例
// （0..1）的最大值；没有预算时为 0。
double take_budget_peak()
{
    const double peak = budget_peak;
    budget_peak = 0;
    return peak;
}

// micro-batch (x, y) 的平均交叉熵。每次调用都会被记录下来（大小、当时使用的内存）；
// 检查会读取这份记录，看你尝试了哪些 micro-batch。
// 在 GPU 上，它还会把缓存分配器的各项数字发送到内存图。
torch::Tensor forward_loss(torch::nn::Sequential &model, const torch::Tensor &x,
                           const torch::Tensor &y)
{
    // 永远重试的一步永远不会结束：用一个它不会捕获的错误让它停下来。
    // （大小为 256 的 batch 在 8 次失败的尝试之后以大小为 1 的 micro-batch 运行，
    // 需要调用 264 次。）
    if (++forward_guard > 300)
        throw std::runtime_error("forward_loss() was called more than 300 times for one step: "
                                 "does the retry loop ever stop?");
    forward_calls.push_back({x.size(0), memory_in_use()});
    sample_memory();
    torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x).mean(1), y);
    sample_memory();
    return loss;
}

// 自上次 clear_forward_calls() 以来 forward_loss() 见到的各个 micro-batch 的大小，
// 以及每个 micro-batch 开始时使用的内存。
std::vector<int64_t> forward_sizes()
{
    std::vector<int64_t> out;
    for (const ForwardCall &c : forward_calls)
        out.push_back(c.size);
    return out;
}

std::vector<int64_t> forward_memory()
{
    std::vector<int64_t> out;
    for (const ForwardCall &c : forward_calls)
        out.push_back(c.memory);
    return out;
}

void clear_forward_calls()
{
    forward_calls.clear();
    forward_guard = 0;
}

// ---------------------------------------------------------------------------------------------
// 你要完成的部分。

// 当 `e` 报告的是一次分配失败时返回 true：c10::OutOfMemoryError（LibTorch 遇到 "CUDA out of memory"
// 时抛出的类型），或者来自 CPU 分配器的 c10::Error（LibTorch 1.13 中是 "can't allocate memory"，
// 2.x 中是 "not enough memory"）。其他任何错误都返回 false。
bool is_out_of_memory(const c10::Error &e)
{
    // TODO: 对 c10::OutOfMemoryError（dynamic_cast<const c10::OutOfMemoryError *>(&e)）返回 true，
    //       对 e.what_without_backtrace() 中包含 "out of memory"、"can't allocate memory" 或
    //       "not enough memory" 的 c10::Error 也返回 true。其他一律返回 false。
    (void)e;
    return false;
}

// 在下一次尝试之前，释放失败的尝试留下的东西：
// 它可能写了一半的梯度，以及在 GPU 上缓存分配器里的空闲块。
void release_after_oom(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer)
{
    // TODO: 清零梯度（optimizer.zero_grad()）；在 GPU 上还要用
    //       c10::cuda::CUDACachingAllocator::emptyCache() 把缓存的块还回去，写在
    //       #ifdef TORCHLAB_WITH_CUDA 里，并且只在 on_cuda() 为真时调用。
    (void)model, (void)optimizer;
}

// 对整个 batch (x, y) 做一次优化器更新，按每块 `micro_batch` 个样本分成 micro-batch：每个
// micro-batch 的损失（forward_loss）乘以它在 batch 中的占比，各自 backward()，最后调用一次
// optimizer.step()。某次尝试内存不足时：调用 release_after_oom()，把 micro_batch 减半，从第一个样本
// 开始重做这一步；连一个样本都放不下，或者错误并非内存不足时，让错误传给调用者。返回时，micro_batch
// 中是最终可行的大小。返回整个 batch 的平均损失。
double train_step_with_fallback(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                                const torch::Tensor &x, const torch::Tensor &y,
                                int64_t &micro_batch)
{
    // TODO: 1. 把 batch 切成每块 micro_batch 个样本的 micro-batch（x.slice(0, start, end)），
    //          在 backward() 之前把每个损失乘以 (end - start) / n，并把缩放后的损失加起来；
    //       2. 把整次尝试（zero_grad、各个 micro-batch、step）放进 try 块，捕获
    //          const c10::Error &e：除非 is_out_of_memory(e) 且 micro_batch > 1，否则重新抛出
    //          （throw;）；满足条件时调用 release_after_oom()，
    //          把 micro_batch 减半，重新开始这次尝试。
    //       目前整个 batch 一次性通过，一旦内存不足，这一步就结束了。
    optimizer.zero_grad();
    torch::Tensor loss = forward_loss(model, x, y);
    loss.backward();
    optimizer.step();
    micro_batch = x.size(0);
    return loss.item<double>();
}

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        torch::Tensor x, y;
        make_data(2048, device, x, y);
        auto model = make_model();
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(3e-3));

        // 先走一小步：它会创建梯度、Adam 的状态和 LibTorch 的线程，
        // 这样下面的预算只计算训练步本身需要的内存。
        int64_t micro_batch = 8;
        train_step_with_fallback(model, optimizer, x.slice(0, 0, 8), y.slice(0, 0, 8), micro_batch);

        // 大小为 256 的 batch 峰值需要 96 MiB；预算只允许比程序现在多用 40 MiB。
        const int64_t batch = 256;
        MemoryBudget budget(int64_t(40) << 20);
        micro_batch = batch; // 乐观地开始：整个 batch 一次跑完
        const int64_t steps = lab::quick() ? 6 : 12;
        for (int64_t step = 0; step < steps; ++step) {
            const int64_t start = (step * batch) % x.size(0);
            clear_forward_calls();
            const double loss =
                train_step_with_fallback(model, optimizer, x.slice(0, start, start + batch),
                                         y.slice(0, start, start + batch), micro_batch);
            lab::loss(step, loss);
            lab::metric("budget_used", step, take_budget_peak());
            if (step == 0) {
                std::cout << "第 0 步调用 forward_loss 时各 micro-batch 的大小依次为";
                for (const int64_t size : forward_sizes())
                    std::cout << " " << size;
                std::cout << "；之后各步的起始大小为 " << micro_batch << "\n";
            }
        }
        std::cout << "训练了 " << steps << " 步，每步 " << batch << " 个样本，micro-batch 大小为 "
                  << micro_batch << "\n";
    });
}
