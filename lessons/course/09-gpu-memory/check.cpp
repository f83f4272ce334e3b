// Hidden checks for lesson 9: memory arithmetic, the largest batch in a budget, and evaluation
// without a graph.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <sstream>
#include <string>
#include <vector>

int64_t activation_bytes(int64_t batch, const std::vector<int64_t> &widths,
                         torch::ScalarType dtype);
int64_t training_state_bytes(int64_t parameters, torch::ScalarType dtype, bool adam);
int64_t largest_batch(int64_t budget_bytes, int64_t fixed_bytes, const std::vector<int64_t> &widths,
                      torch::ScalarType dtype);
torch::Tensor evaluate(torch::nn::Sequential &model, const torch::Tensor &x);

namespace {

using lab::checks::guarded;

std::string widths_str(const std::vector<int64_t> &w)
{
    std::string out;
    for (size_t i = 0; i < w.size(); ++i)
        out += (i ? ", " : "") + std::to_string(w[i]);
    return "{" + out + "}";
}

std::string dtype_str(torch::ScalarType t)
{
    return std::string("torch::k") + c10::toString(t);
}

// What a forward pass of the 784-128-10 network leaves alive: the input x (fc1's addmm saves it
// for the weight gradient), the ReLU's result (saved by ReLU and by fc2's addmm, one tensor) and
// the logits (alive because the caller holds them; Linear does not save its own output). fc1's
// output is freed as soon as the ReLU has run.
const std::vector<int64_t> kKept = {784, 128, 10};
constexpr int64_t kKeptSum = 784 + 128 + 10;

torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// Bytes the CUDA caching allocator holds in live tensors on the current device; -1 where there
// is no CUDA build or no usable GPU.
int64_t cuda_allocated_bytes()
{
#ifdef TORCHLAB_WITH_CUDA
    if (torch::cuda::is_available()) {
        // Entry 0 is the aggregate over all pools in 1.13 and 2.x alike (see lab::memory).
        const auto stats =
            c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device());
        return stats.allocated_bytes[0].current;
    }
#endif
    return -1;
}

// The growth of allocated CUDA memory while a batch is created and run forward with a graph, on
// cuda:0; -1 without a GPU. A first forward pass beforehand creates cuBLAS's handle and
// workspace, which would otherwise be counted. 4096 rows keep every tensor a multiple of the
// allocator's 512-byte granule, so rounding adds nothing.
int64_t measure_on_gpu(int64_t batch)
{
    if (cuda_allocated_bytes() < 0)
        return -1;
    const torch::Device cuda(torch::kCUDA, 0);
    torch::manual_seed(0);
    auto model = make_model();
    model->to(cuda);
    model->forward(torch::randn({batch, 784}, cuda));
    torch::cuda::synchronize();
    const int64_t before = cuda_allocated_bytes();
    int64_t after = before;
    {
        const auto x = torch::randn({batch, 784}, cuda);
        const auto y = model->forward(x);
        torch::cuda::synchronize();
        after = cuda_allocated_bytes();
    }
    return after - before;
}

void check_activation_bytes()
{
    const int64_t batch = 4096;
    const int64_t predicted = batch * kKeptSum * 4;
    const int64_t measured = measure_on_gpu(batch);
    std::string evidence;
    if (measured >= 0) {
        evidence = "On cuda:0 the caching allocator's allocated bytes grew by " +
                   std::to_string(measured) + " during that forward pass (x, ReLU result, logits).";
        const int64_t gap = measured > predicted ? measured - predicted : predicted - measured;
        if (gap > predicted / 20)
            lab::note("Measured " + std::to_string(measured) + " bytes on cuda:0 where " +
                      std::to_string(predicted) +
                      " were predicted: this LibTorch build keeps something else alive during a "
                      "forward pass (a matmul workspace, allocator rounding). The sum of tensor "
                      "sizes is still the part the batch size controls.");
    } else {
        evidence = "No GPU here, so this figure is calculated (numel() * element_size() of those "
                   "tensors), not measured: LibTorch's CPU allocator keeps no statistics.";
        lab::note("activation_bytes on the CPU: the expected figure is a calculation, not a "
                  "measurement. On a GPU the check measures it with the CUDA caching allocator.");
    }

    struct Case
    {
        int64_t batch;
        std::vector<int64_t> widths;
        torch::ScalarType dtype;
        int64_t want;
    };
    const std::vector<Case> cases = {
        {batch, kKept, torch::kFloat, predicted},
        {64, kKept, torch::kHalf, 64 * kKeptSum * 2},
        {3, {5}, torch::kDouble, 120},
        {0, kKept, torch::kFloat, 0},
        {1000000, {1050}, torch::kFloat, int64_t(4200000000)},
    };
    for (const auto &c : cases) {
        const int64_t got = activation_bytes(c.batch, c.widths, c.dtype);
        if (got == c.want)
            continue;
        int64_t elements = 0;
        for (const int64_t w : c.widths)
            elements += w * c.batch;
        std::string why = "activation_bytes(" + std::to_string(c.batch) + ", " +
                          widths_str(c.widths) + ", " + dtype_str(c.dtype) + ") returned " +
                          std::to_string(got) + ", expected " + std::to_string(c.want) + ".";
        if (&c == &cases.front())
            why += " A forward pass of a batch of 4096 leaves x, the ReLU's result and the logits "
                   "alive: " +
                   std::to_string(predicted) + " bytes. " + evidence;
        if (got == elements)
            why += " That is the number of elements: multiply by the element size, "
                   "c10::elementSize(dtype).";
        else if (c.dtype != torch::kFloat && got == elements * 4)
            why += " Each " + dtype_str(c.dtype) + " value takes " +
                   std::to_string(c10::elementSize(c.dtype)) +
                   " bytes, not 4: use c10::elementSize(dtype).";
        else if (c.batch == 1000000)
            why += " 4.2 GB does not fit in a 32-bit int: keep the arithmetic in int64_t.";
        lab::check("activation_bytes", false, why);
        return;
    }
    lab::check("activation_bytes", true,
               "a batch of 4096 keeps " + std::to_string(predicted) + " bytes of activations. " +
                   evidence);
}

void check_training_state()
{
    struct Case
    {
        int64_t parameters;
        torch::ScalarType dtype;
        bool adam;
        int64_t want;
    };
    const std::vector<Case> cases = {
        {101770, torch::kFloat, true, 101770 * 4 * 4},
        {101770, torch::kFloat, false, 101770 * 2 * 4},
        {1000, torch::kHalf, true, 1000 * 4 * 2},
    };
    for (const auto &c : cases) {
        const int64_t got = training_state_bytes(c.parameters, c.dtype, c.adam);
        if (got == c.want)
            continue;
        std::string why = "training_state_bytes(" + std::to_string(c.parameters) + ", " +
                          dtype_str(c.dtype) + ", adam = " + (c.adam ? "true" : "false") +
                          ") returned " + std::to_string(got) + ", expected " +
                          std::to_string(c.want) + ".";
        const int64_t one = c.parameters * int64_t(c10::elementSize(c.dtype));
        if (got == one)
            why += " The weights are only one copy: backward() adds a gradient of the same size "
                   "for each.";
        else if (c.adam && got == 2 * one)
            why += " Adam also keeps two running averages per parameter (exp_avg, exp_avg_sq): 4 "
                   "copies in all.";
        else if (!c.adam && got == 4 * one)
            why += " Plain SGD keeps no extra state: weights + gradients are 2 copies.";
        lab::check("training_state_bytes", false, why);
        return;
    }
    lab::check("training_state_bytes", true, "weights + gradients (+ 2 Adam buffers) counted");
}

void check_largest_batch()
{
    struct Case
    {
        int64_t budget, fixed;
        std::vector<int64_t> widths;
        torch::ScalarType dtype;
        int64_t want;
    };
    const int64_t gib = int64_t(1) << 30;
    const int64_t fixed = 101770 * 16;
    const int64_t per_float = kKeptSum * 4, per_half = kKeptSum * 2;
    const std::vector<Case> cases = {
        {gib, fixed, kKept, torch::kFloat, (gib - fixed) / per_float},
        {gib, fixed, kKept, torch::kHalf, (gib - fixed) / per_half},
        {fixed + 10 * per_float, fixed, kKept, torch::kFloat, 10},    // exactly fits: <= budget
        {fixed + 10 * per_float - 1, fixed, kKept, torch::kFloat, 9}, // one byte short
        {fixed / 2, fixed, kKept, torch::kFloat, 0}, // the model alone does not fit
        {80 * gib, fixed, kKept, torch::kFloat, (80 * gib - fixed) / per_float},
    };
    for (const auto &c : cases) {
        const int64_t got = largest_batch(c.budget, c.fixed, c.widths, c.dtype);
        if (got == c.want)
            continue;
        std::string why = "largest_batch(budget " + std::to_string(c.budget) + ", fixed " +
                          std::to_string(c.fixed) + ", " + widths_str(c.widths) + ", " +
                          dtype_str(c.dtype) + ") returned " + std::to_string(got) + ", expected " +
                          std::to_string(c.want) + ".";
        if (c.budget < c.fixed)
            why += " When the fixed memory alone exceeds the budget, no batch fits: return 0, not "
                   "a negative number.";
        else if (got == c.want + 1)
            why += " One too many: fixed + activation_bytes(batch) must stay <= the budget.";
        else if (got == c.want - 1 && c.want == 10)
            why += " A batch that uses the budget exactly still fits (<=, not <).";
        else if (c.budget == 80 * gib)
            why += " An 80 GiB budget overflows 32-bit arithmetic: use int64_t throughout.";
        else
            why += " Subtract the fixed bytes from the budget and divide by the bytes one example "
                   "needs "
                   "(activation_bytes(1, ...)).";
        lab::check("largest_batch", false, why);
        return;
    }
    lab::check("largest_batch", true, "largest_batch finds the biggest batch that fits");
}

void check_evaluate()
{
    torch::manual_seed(2);
    auto model = make_model();
    const auto x = torch::randn({8, 784});
    const auto got = evaluate(model, x);
    std::string why;
    if (!got.defined() || got.sizes() != torch::IntArrayRef({8, 10}))
        why = "evaluate() should return the model's [8, 10] output.";
    else if (got.requires_grad() || got.grad_fn())
        why = "evaluate()'s result still has a grad_fn: the forward pass recorded a graph and kept "
              "its activations "
              "alive. Put a named guard, torch::NoGradGuard no_grad;, before model->forward(x). "
              "(An unnamed "
              "torch::NoGradGuard{}; is destroyed at its own semicolon and does nothing.)";
    else if (!torch::GradMode::is_enabled())
        why = "gradient recording is still off after evaluate() returned: use a torch::NoGradGuard "
              "local to the "
              "function instead of torch::GradMode::set_enabled(false).";
    else {
        bool trainable = true;
        for (const auto &p : model->parameters())
            trainable = trainable && p.requires_grad();
        torch::Tensor want;
        {
            torch::NoGradGuard no_grad;
            want = model->forward(x);
        }
        if (!trainable)
            why = "evaluate() switched off requires_grad on the model's parameters; training would "
                  "stop working. "
                  "Use torch::NoGradGuard instead.";
        else if (!torch::allclose(got, want))
            why = "evaluate() does not return model->forward(x).";
    }
    lab::check("no_grad", why.empty(), why.empty() ? "evaluate() records no graph" : why);
}

} // namespace

int main()
{
    return lab::run([] {
        guarded("activation_bytes", [] { check_activation_bytes(); });
        guarded("training_state_bytes", [] { check_training_state(); });
        guarded("largest_batch", [] { check_largest_batch(); });
        guarded("no_grad", [] { check_evaluate(); });
    });
}
