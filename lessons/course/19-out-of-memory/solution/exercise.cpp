// Going further, lesson 19: out of memory, and surviving it.
// Catch an out-of-memory error around a training step, free what the failed attempt held, halve the
// micro-batch and start the step again, so that the step still covers the whole batch.
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
// Given: the model, the data, a memory budget and a record of the micro-batches that were tried.

// Every example is a sequence of 16 tokens with 16 features each. The network runs every token
// through a wide hidden layer (2,048 units) and averages the 16 token outputs into 10 class scores:
// [b, 16, 16] -> [b, 16, 2048] -> [b, 16, 10] -> mean over the tokens -> [b, 10]. The wide layer
// makes the activations large: 16 x 2,048 floats = 128 KiB per example for each such tensor. The
// forward pass holds two of them at once (the hidden layer's output and the ReLU's), backward
// three (the ReLU's output, its gradient and the hidden layer's gradient): a batch of 256 needs
// 64 MiB for forward and 96 MiB for backward.
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Linear(16, 2048), torch::nn::ReLU(),
                                 torch::nn::Linear(2048, 10));
}

// `n` examples and their labels (0..9), on `device`: every token is noise around its class's
// pattern, so the class can be learnt from the average token.
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
    int64_t size;   // examples in the micro-batch
    int64_t memory; // memory_in_use() when forward_loss() was called
};

std::vector<ForwardCall> forward_calls;
int64_t forward_guard = 0;
int64_t budget_base = -1; // memory_in_use() when the budget was set; -1: no budget
int64_t budget_extra = 0;
double budget_peak = 0; // highest fraction of the budget seen since the last take_budget_peak()
int64_t memory_sample = 0;
struct rlimit saved_data_limit;

bool on_cuda()
{
    return lab::device().is_cuda();
}

// The process's private writable memory (VmData), which RLIMIT_DATA limits; -1 where
// /proc/self/status cannot be read.
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

// The memory the program uses now, in bytes, as the budget counts it. On a GPU: the bytes in live
// CUDA tensors (the caching allocator's "allocated"). On the CPU: the process's private writable
// memory (VmData in /proc/self/status), the quantity RLIMIT_DATA limits.
int64_t memory_in_use()
{
#ifdef TORCHLAB_WITH_CUDA
    if (on_cuda())
        return c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device())
            .allocated_bytes[0] // entry 0: all memory pools together
            .current;
#endif
    return cpu_data_bytes();
}

// From now on, allocations fail once the program uses more than `extra_bytes` beyond what it uses
// now, the way a full GPU refuses them. On a GPU this caps LibTorch's caching allocator
// (setMemoryFraction): a step that needs more throws c10::OutOfMemoryError, "CUDA out of memory".
// On the CPU it lowers the process's data limit (setrlimit(RLIMIT_DATA), the mechanism TorchLab
// uses for every run's memory limit, here set much tighter): malloc then fails and LibTorch's CPU
// allocator throws a c10::Error, "DefaultCPUAllocator: can't allocate memory" (LibTorch 2.x: "not
// enough memory"). Returns false, with a note, where neither works.
bool set_memory_budget(int64_t extra_bytes)
{
    lift_memory_budget();
#ifdef TORCHLAB_WITH_CUDA
    if (on_cuda()) {
        c10::cuda::CUDACachingAllocator::emptyCache();
        const int device = c10::cuda::current_device();
        size_t free_bytes = 0, total_bytes = 0;
        if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess || total_bytes == 0) {
            lab::note("the GPU's total memory could not be read, so no budget is set.");
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
    // glibc keeps freed blocks of up to 32 MiB for reuse, a cache of its own; from 128 KiB up,
    // blocks are then mapped and unmapped one by one, so that freed tensors leave VmData at once.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    const int64_t now = cpu_data_bytes();
    if (now < 0 || ::getrlimit(RLIMIT_DATA, &saved_data_limit) != 0) {
        lab::note("this system has no /proc/self/status or RLIMIT_DATA, so no budget is set.");
        return false;
    }
    struct rlimit tight = saved_data_limit;
    tight.rlim_cur = rlim_t(now + extra_bytes);
    if (saved_data_limit.rlim_max != RLIM_INFINITY && tight.rlim_cur > saved_data_limit.rlim_max)
        tight.rlim_cur = saved_data_limit.rlim_max;
    if (::setrlimit(RLIMIT_DATA, &tight) != 0) {
        lab::note("setrlimit(RLIMIT_DATA) failed, so no budget is set.");
        return false;
    }
    budget_base = now;
    budget_extra = extra_bytes;
    budget_peak = 0;
    return true;
}

// Removes the budget set by set_memory_budget(); does nothing when none is set.
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

// set_memory_budget() for as long as it lives, lift_memory_budget() when it goes, even when an
// exception leaves the scope.
class MemoryBudget
{
public:
    explicit MemoryBudget(int64_t extra_bytes) { set_memory_budget(extra_bytes); }
    ~MemoryBudget() { lift_memory_budget(); }
    MemoryBudget(const MemoryBudget &) = delete;
    MemoryBudget &operator=(const MemoryBudget &) = delete;
};

// The highest share of the budget (0..1) in use at the samples forward_loss() took (when it
// starts, and after the forward pass) since the last call; 0 without a budget.
double take_budget_peak()
{
    const double peak = budget_peak;
    budget_peak = 0;
    return peak;
}

// The mean cross-entropy of the micro-batch (x, y). Every call is recorded (size, memory in use);
// the checks read the record to see which micro-batches you tried. On a GPU it also sends the
// caching allocator's figures to the memory plot.
torch::Tensor forward_loss(torch::nn::Sequential &model, const torch::Tensor &x,
                           const torch::Tensor &y)
{
    // A step that retries for ever would never end: stop it with an error it does not catch.
    // (A batch of 256 in micro-batches of 1, after 8 failed attempts, needs 264 calls.)
    if (++forward_guard > 300)
        throw std::runtime_error("forward_loss() was called more than 300 times for one step: "
                                 "does the retry loop ever stop?");
    forward_calls.push_back({x.size(0), memory_in_use()});
    sample_memory();
    torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x).mean(1), y);
    sample_memory();
    return loss;
}

// The sizes of the micro-batches forward_loss() saw since the last clear_forward_calls(), and the
// memory in use when each started.
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
// Your part.

// True when `e` reports that an allocation failed: c10::OutOfMemoryError (what LibTorch throws for
// "CUDA out of memory") or a c10::Error from the CPU allocator ("can't allocate memory" in
// LibTorch 1.13, "not enough memory" in 2.x). False for every other error.
bool is_out_of_memory(const c10::Error &e)
{
    if (dynamic_cast<const c10::OutOfMemoryError *>(&e) != nullptr)
        return true;
    const std::string text = e.what_without_backtrace();
    for (const char *words : {"out of memory", "can't allocate memory", "not enough memory"})
        if (text.find(words) != std::string::npos)
            return true;
    return false;
}

// Frees what a failed attempt left behind, before the next try: the gradients it may have half
// written, and on a GPU the caching allocator's free blocks.
void release_after_oom(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer)
{
    (void)model; // the optimizer holds every parameter of the model
    optimizer.zero_grad();
#ifdef TORCHLAB_WITH_CUDA
    if (on_cuda())
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

// One optimizer step on the whole batch (x, y), in micro-batches of `micro_batch` examples: every
// micro-batch's loss (forward_loss) scaled by its share of the batch, backward() on each, one
// optimizer.step() at the end. When an attempt runs out of memory: release_after_oom(), halve
// micro_batch and start the step again from the first example; when even one example does not fit,
// or the error is not an out-of-memory error, let it reach the caller. On return, micro_batch holds
// the size that worked. Returns the mean loss over the whole batch.
double train_step_with_fallback(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                                const torch::Tensor &x, const torch::Tensor &y,
                                int64_t &micro_batch)
{
    const int64_t n = x.size(0);
    micro_batch = std::max<int64_t>(1, std::min(micro_batch, n));
    for (;;) {
        try {
            optimizer.zero_grad();
            double total = 0;
            for (int64_t start = 0; start < n; start += micro_batch) {
                const int64_t end = std::min(n, start + micro_batch);
                const double share = double(end - start) / double(n);
                torch::Tensor loss =
                    forward_loss(model, x.slice(0, start, end), y.slice(0, start, end)) * share;
                loss.backward();
                total += loss.item<double>();
            }
            optimizer.step();
            return total;
        } catch (const c10::Error &e) {
            // The tensors of the failed attempt died with the try block's scope.
            if (!is_out_of_memory(e) || micro_batch == 1)
                throw;
            const std::string what = e.what_without_backtrace();
            std::cout << "out of memory with micro-batches of " << micro_batch << ": "
                      << what.substr(0, what.find('\n')) << "\n";
        } catch (const std::bad_alloc &) {
            if (micro_batch == 1)
                throw;
            std::cout << "out of memory (std::bad_alloc) with micro-batches of " << micro_batch
                      << "\n";
        }
        release_after_oom(model, optimizer);
        micro_batch /= 2;
    }
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

        // One small step first: it creates the gradients, Adam's state and LibTorch's threads,
        // so that the budget below counts only what the steps themselves need.
        int64_t micro_batch = 8;
        train_step_with_fallback(model, optimizer, x.slice(0, 0, 8), y.slice(0, 0, 8), micro_batch);

        // A batch of 256 needs 96 MiB at its peak; the budget allows 40 MiB more than the
        // program holds now.
        const int64_t batch = 256;
        MemoryBudget budget(int64_t(40) << 20);
        micro_batch = batch; // start optimistic: the whole batch at once
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
                std::cout << "step 0 ran forward_loss on micro-batches of";
                for (const int64_t size : forward_sizes())
                    std::cout << " " << size;
                std::cout << "; the next steps start at " << micro_batch << "\n";
            }
        }
        std::cout << "trained " << steps << " steps of " << batch
                  << " examples in micro-batches of " << micro_batch << "\n";
    });
}
