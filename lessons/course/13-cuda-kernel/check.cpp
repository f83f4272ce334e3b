// Hidden checks for lesson 13: scaled_silu_cpu against LibTorch's own operations on several
// shapes and layouts, then the dispatch. With a GPU and kernel.cu compiled
// (TORCHLAB_WITH_CUDA_KERNELS), the kernel is checked and timed too; without, a note says so.
// The learner's file is compiled with -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

torch::Tensor scaled_silu_cpu(const torch::Tensor &x, float alpha);
torch::Tensor scaled_silu(const torch::Tensor &x, float alpha);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::num;
using lab::checks::text;

torch::Tensor reference(const torch::Tensor &x, float alpha)
{
    return alpha * x * torch::sigmoid(x);
}

struct Case
{
    std::string name;
    torch::Tensor x;
    float alpha;
};

// Compares fn(c.x) with the reference. Returns "" when it matches, else what is wrong.
std::string compare(const std::function<torch::Tensor(const torch::Tensor &, float)> &fn,
                    const std::string &fn_name, const Case &c)
{
    const std::string call = fn_name + "(" + c.name + ", " + num(c.alpha) + ")";
    torch::Tensor got;
    std::string error;
    if (!attempt([&] { got = fn(c.x, c.alpha); }, error))
        return call + " threw: " + error;
    if (!got.defined())
        return call + " returned an undefined tensor.";
    if (got.sizes() != c.x.sizes())
        return call + " has shape " + text(got.sizes()) + "; expected x's shape " +
               text(c.x.sizes()) + ". Create the result with torch::empty_like(in), not a flat " +
               "tensor.";
    if (got.scalar_type() != torch::kFloat)
        return call + " has dtype " + text(got.scalar_type()) + "; expected Float.";
    if (got.device() != c.x.device())
        return call + " is on " + text(got.device()) + "; expected it on x's device, " +
               text(c.x.device()) + ".";
    const torch::Tensor want = reference(c.x, c.alpha);
    if (want.numel() == 0 || torch::allclose(got.cpu(), want.cpu(), 1e-5, 1e-6))
        return "";
    const torch::Tensor diff = (got.cpu() - want.cpu()).abs().flatten();
    const int64_t at = diff.argmax().item<int64_t>();
    return call + " differs from alpha * x * sigmoid(x) by up to " + num(diff[at].item<double>()) +
           " (element " + std::to_string(at) +
           " in order: " + num(got.cpu().flatten()[at].item<double>()) + " instead of " +
           num(want.cpu().flatten()[at].item<double>()) + ").";
}

std::vector<Case> contiguous_cases()
{
    torch::manual_seed(13);
    return {{"x of shape [1]", torch::tensor({0.5f}), 1.0f},
            {"x of shape [1000]", torch::randn({1000}) * 4, 1.0f},
            {"x of shape [3, 5, 7]", torch::randn({3, 5, 7}), 0.5f},
            {"x of shape [257]", torch::randn({257}), -2.0f},
            {"x with values from -100 to 100", torch::linspace(-100, 100, 101), 1.0f}};
}

// Views whose elements are not laid out one after the other in memory.
std::vector<Case> strided_cases()
{
    torch::manual_seed(14);
    const torch::Tensor m = torch::randn({7, 5});
    const torch::Tensor wide = torch::randn({6, 10});
    // The expanded view reads one row of a larger tensor, so that a loop that ignores strides
    // reads garbage but never past the end of the storage.
    const torch::Tensor storage = torch::randn({4096});
    return {{"x.t() of a [7, 5] tensor", m.t(), 1.0f},
            {"every other column of a [6, 10] tensor", wide.slice(1, 0, 10, 2), 2.0f},
            {"a [5] row expanded to [3, 5]", storage.slice(0, 0, 5).expand({3, 5}), 1.0f},
            {"rows 2 to 4 of a [6, 10] tensor", wide.slice(0, 2, 5), 1.0f},
            {"a channels_last [2, 3, 4, 4] tensor",
             torch::randn({2, 3, 4, 4}).contiguous(torch::MemoryFormat::ChannelsLast), 1.0f}};
}

bool check_matches()
{
    for (const Case &c : contiguous_cases()) {
        const std::string why = compare(scaled_silu_cpu, "scaled_silu_cpu", c);
        if (!why.empty()) {
            lab::check("matches_torch", false,
                       why + " Compute alpha * v / (1 + exp(-v)) for every element v.");
            return false;
        }
    }
    lab::check("matches_torch", true,
               "scaled_silu_cpu matches alpha * x * sigmoid(x) on contiguous tensors");
    return true;
}

bool check_strided(bool basics_ok)
{
    for (const Case &c : strided_cases()) {
        const std::string why = compare(scaled_silu_cpu, "scaled_silu_cpu", c);
        if (!why.empty()) {
            lab::check(
                "non_contiguous", false,
                !basics_ok
                    ? "Make matches_torch pass first; then come back to views. " + why
                    : why + " data_ptr() walks memory in storage order, which is not the order "
                            "of the elements for views like this one: call x.contiguous() "
                            "first, and create the result with empty_like of that contiguous "
                            "tensor.");
            return false;
        }
    }
    lab::check("non_contiguous", true,
               "transposed, sliced, expanded and channels_last inputs give the right values");
    return true;
}

void check_empty(const bool computes)
{
    if (!computes) {
        lab::check("empty", false,
                   "scaled_silu_cpu does not compute the right values yet (see matches_torch), "
                   "so what it does with empty tensors cannot be judged.");
        return;
    }
    for (const Case &c : {Case{"an empty [0] tensor", torch::randn({0}), 1.0f},
                          Case{"an empty [3, 0] tensor", torch::randn({3, 0}), 1.0f},
                          Case{"an empty [0, 4].t() view", torch::randn({0, 4}).t(), 1.0f}}) {
        const std::string why = compare(scaled_silu_cpu, "scaled_silu_cpu", c);
        if (!why.empty()) {
            lab::check("empty", false,
                       why + " An empty tensor must give an empty result of "
                             "the same shape.");
            return;
        }
    }
    lab::check("empty", true, "empty tensors give empty results of the same shape");
}

void check_untouched(const bool computes)
{
    if (!computes) {
        lab::check("input_untouched", false,
                   "scaled_silu_cpu does not compute the right values yet (see matches_torch), "
                   "so whether it leaves its input alone cannot be judged.");
        return;
    }
    torch::manual_seed(15);
    const torch::Tensor x = torch::randn({4, 6});
    const torch::Tensor before = x.clone();
    std::string error;
    torch::Tensor got;
    if (!attempt([&] { got = scaled_silu_cpu(x, 2.0f); }, error)) {
        lab::check("input_untouched", false,
                   "scaled_silu_cpu(x of shape [4, 6], 2) threw: " + error);
        return;
    }
    const bool same = torch::equal(x, before);
    const bool shares = got.defined() && got.numel() > 0 && got.data_ptr() == x.data_ptr();
    lab::check("input_untouched", same && !shares,
               same && !shares
                   ? "x keeps its values and the result has memory of its own"
                   : "scaled_silu_cpu changed its input or returned it: for a tensor that is "
                     "already contiguous, x.contiguous() returns x itself, so writing through "
                     "its data_ptr() overwrites x. Write into torch::empty_like(in) instead.");
}

void check_dtype()
{
    for (const auto dtype : {torch::kDouble, torch::kInt}) {
        const torch::Tensor x = torch::arange(6, torch::TensorOptions().dtype(dtype));
        std::string error;
        torch::Tensor got;
        const bool returned = attempt([&] { got = scaled_silu_cpu(x, 1.0f); }, error);
        if (returned) {
            lab::check("dtype_checked", false,
                       "scaled_silu_cpu accepted a " + text(dtype) +
                           " tensor. Reading its memory as floats gives garbage: check "
                           "x.scalar_type() == torch::kFloat with TORCH_CHECK, or read it with "
                           "data_ptr<float>(), which checks the dtype for you (a cast such as "
                           "(float *)x.data_ptr() does not).");
            return;
        }
    }
    lab::check("dtype_checked", true, "non-float tensors are refused with an error");
}

void check_dispatch(const torch::Device device, bool cpu_ok)
{
    torch::manual_seed(16);
    const torch::Tensor m = torch::randn({33, 17});
    for (const Case &c :
         {Case{"a CPU tensor", m, 1.5f}, Case{"a transposed CPU tensor", m.t(), 1.5f},
          Case{"a CUDA tensor", m.to(device), 1.5f},
          Case{"a transposed CUDA tensor", m.to(device).t(), 1.5f}}) {
        if (!device.is_cuda() && c.name.find("CUDA") != std::string::npos)
            continue;
        const std::string why = compare(scaled_silu, "scaled_silu", c);
        if (!why.empty()) {
            lab::check(
                "dispatch", false,
                why + (!cpu_ok ? " scaled_silu_cpu itself is not right yet: see matches_torch and "
                                 "non_contiguous."
                       : c.x.is_cuda() ? " CUDA tensors must go to scaled_silu_cuda when "
                                         "TORCHLAB_WITH_CUDA_KERNELS is defined, else to "
                                         "the CPU fallback."
                                       : " CPU tensors must go to scaled_silu_cpu."));
            return;
        }
    }
    lab::check("dispatch", true,
               device.is_cuda() ? "scaled_silu() gives the right result on CPU and CUDA tensors"
                                : "scaled_silu() takes the CPU path for CPU tensors");
}

#ifdef TORCHLAB_WITH_CUDA_KERNELS
double gpu_median_ms(const std::function<void()> &fn)
{
    for (int i = 0; i < 3; ++i)
        fn();
    torch::cuda::synchronize();
    std::vector<double> samples;
    for (int i = 0; i < 21; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        torch::cuda::synchronize();
        samples.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

// Only where kernel.cu was compiled and a GPU is present; elsewhere "cuda_kernel" is reported
// as skipped, with the reason.
void check_kernel(const torch::Device device)
{
    torch::manual_seed(17);
    std::vector<Case> cases;
    for (const int64_t n :
         {int64_t(1), int64_t(255), int64_t(256), int64_t(257), int64_t(10'000'019)})
        cases.push_back({"a CUDA tensor of " + std::to_string(n) + " floats",
                         torch::randn({n}, device) * 4, 1.5f});
    for (const Case &c : strided_cases())
        cases.push_back({c.name + " on the GPU", c.x.to(device), c.alpha});
    cases.push_back({"an empty CUDA tensor", torch::randn({0}, device), 1.0f});
    for (const Case &c : cases) {
        std::string why = compare(scaled_silu, "scaled_silu", c);
        if (why.empty()) {
            std::string error;
            if (!attempt([] { torch::cuda::synchronize(); }, error))
                why = "after scaled_silu(" + c.name + "), the GPU reported: " + error;
        }
        if (!why.empty()) {
            lab::check("cuda_kernel", false,
                       why + " Check the index (blockIdx.x * blockDim.x + threadIdx.x), the bounds "
                             "check i < n, and that the number of blocks rounds up.");
            return;
        }
    }
    lab::check("cuda_kernel", true, "the kernel matches LibTorch on the GPU");

    const torch::Tensor g = torch::randn({1 << 24}, device);
    const double kernel_ms = gpu_median_ms([&] { scaled_silu(g, 1.5f); });
    const double torch_ms = gpu_median_ms([&] { reference(g, 1.5f); });
    lab::metric("check_kernel_ms", g.numel(), kernel_ms);
    lab::metric("check_torch_ms", g.numel(), torch_ms);
    lab::note("On 2^24 floats your fused kernel took " + num(kernel_ms) +
              " ms and LibTorch's three separate operations " + num(torch_ms) + " ms.");
}
#endif

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        int status = 0;
        if (!attempt([&] { status = torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);
        else if (status != 0)
            lab::note("Your main() ended with status " + std::to_string(status) +
                      "; the error is in the output above.");

        const torch::Device device = lab::device();
        const bool basics_ok = check_matches();
        const bool cpu_ok = check_strided(basics_ok) && basics_ok;
        check_empty(basics_ok);
        check_untouched(basics_ok);
        check_dtype();
        check_dispatch(device, cpu_ok);
#ifdef TORCHLAB_WITH_CUDA_KERNELS
        if (device.is_cuda())
            check_kernel(device);
        else
            lab::skip("cuda_kernel",
                      "kernel.cu was compiled, but no GPU is in use, so the kernel was not run.");
#else
        lab::skip("cuda_kernel",
                  std::string(device.is_cuda()
                                  ? "kernel.cu was not compiled here (it needs nvcc and a CUDA "
                                    "build of LibTorch): CUDA tensors took the CPU fallback."
                                  : "The GPU part was not run: there is no GPU here, so "
                                    "kernel.cu was not compiled.") +
                      " On a GPU the checks also compare your kernel with LibTorch on 1 to 10 "
                      "million floats, on transposed, sliced and empty tensors, and time both.");
#endif
    });
}
