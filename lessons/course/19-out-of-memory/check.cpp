// Hidden checks for lesson 19: a training step that runs out of memory halves its micro-batch and
// tries again, and still gives the gradients of the whole batch. The out-of-memory errors are real:
// the exercise's set_memory_budget() caps the CUDA caching allocator on a GPU and the process's
// data limit (RLIMIT_DATA) on the CPU.
// The learner's file is compiled with -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#ifdef TORCHLAB_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// Given in the exercise.
torch::nn::Sequential make_model();
void make_data(int64_t n, const torch::Device &device, torch::Tensor &x, torch::Tensor &y);
int64_t memory_in_use();
bool set_memory_budget(int64_t extra_bytes);
void lift_memory_budget();
torch::Tensor forward_loss(torch::nn::Sequential &model, const torch::Tensor &x,
                           const torch::Tensor &y);
std::vector<int64_t> forward_sizes();
std::vector<int64_t> forward_memory();
void clear_forward_calls();
// The learner's.
bool is_out_of_memory(const c10::Error &e);
void release_after_oom(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer);
double train_step_with_fallback(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                                const torch::Tensor &x, const torch::Tensor &y,
                                int64_t &micro_batch);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::copy_of;
using lab::checks::first_line;
using lab::checks::guarded;
using lab::checks::num;
using lab::checks::sentence;

constexpr int64_t kBatch = 256;                // examples per step in the main scenario
constexpr int64_t kBudget = int64_t(40) << 20; // what set_memory_budget() allows on top
constexpr int64_t kSlack = int64_t(4) << 20;   // memory a released attempt may leave behind

// The budget for as long as it lives, lifted on every way out.
struct Budget
{
    bool on;
    explicit Budget(int64_t extra) : on(set_memory_budget(extra)) {}
    ~Budget() { lift_memory_budget(); }
    Budget(const Budget &) = delete;
    Budget &operator=(const Budget &) = delete;
};

std::string list(const std::vector<int64_t> &v)
{
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i == 20) {
            out += ", ... (" + std::to_string(v.size()) + " in all)";
            break;
        }
        out += (i ? ", " : "") + std::to_string(v[i]);
    }
    return "[" + out + "]";
}

std::string mib(int64_t bytes)
{
    return lab::checks::num_fixed(double(bytes) / double(1 << 20), 1) + " MiB";
}

// The micro-batch sizes forward_loss() saw, split into attempts: an attempt starts with the first
// call, and again whenever a call's size differs from the attempt's (other than an uneven last
// piece) or comes after the attempt's pieces covered the whole batch.
struct Attempt
{
    int64_t size = 0;    // the size of its first piece (its micro-batch)
    int64_t covered = 0; // examples its pieces covered
    size_t first = 0;    // index of its first call in forward_sizes()
};

std::vector<Attempt> attempts_of(const std::vector<int64_t> &sizes, int64_t batch)
{
    std::vector<Attempt> out;
    for (size_t i = 0; i < sizes.size(); ++i) {
        const bool fresh =
            out.empty() || sizes[i] != out.back().size || out.back().covered >= batch;
        // An uneven last piece (smaller than the micro-batch) belongs to its attempt.
        const bool last_piece =
            !out.empty() && sizes[i] < out.back().size && out.back().covered + sizes[i] == batch;
        if (fresh && !last_piece)
            out.push_back({sizes[i], 0, i});
        out.back().covered += sizes[i];
    }
    return out;
}

std::vector<torch::Tensor> gradients_of(torch::nn::Sequential &model)
{
    std::vector<torch::Tensor> out;
    for (const auto &p : model->parameters())
        out.push_back(p.grad().defined() ? p.grad().detach().clone() : torch::Tensor());
    return out;
}

bool is_oom_text(const std::string &text)
{
    return text.find("out of memory") != std::string::npos ||
           text.find("can't allocate memory") != std::string::npos ||
           text.find("not enough memory") != std::string::npos ||
           text.find("bad_alloc") != std::string::npos;
}

// ---------------------------------------------------------------------------------------------

c10::SourceLocation here()
{
    return c10::SourceLocation{"check", "check.cpp", 1};
}

void check_recognises()
{
    guarded("recognises_oom", [] {
        struct Case
        {
            std::string what;
            bool oom;
            std::function<void()> raise;
        };
        const std::vector<Case> cases = {
            {"LibTorch's CPU allocator refusing 1 PiB (thrown by LibTorch here)", true,
             [] { (void)torch::empty({int64_t(1) << 48}, torch::kFloat); }},
            {"c10::OutOfMemoryError \"CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a "
             "total capacity of 79.19 GiB ...\" (LibTorch 2.x)",
             true,
             [] {
                 throw c10::OutOfMemoryError(
                     here(),
                     "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total "
                     "capacity of 79.19 GiB of which 1.05 GiB is free. Including non-PyTorch "
                     "memory, this process has 78.13 GiB memory in use. Of the allocated "
                     "memory 76.50 GiB is allocated by PyTorch, and 1.10 GiB is reserved by "
                     "PyTorch but unallocated.");
             }},
            {"c10::OutOfMemoryError \"CUDA out of memory. Tried to allocate 512.00 MiB (GPU 0; "
             "79.15 GiB total capacity; ...)\" (LibTorch 1.13)",
             true,
             [] {
                 throw c10::OutOfMemoryError(
                     here(),
                     "CUDA out of memory. Tried to allocate 512.00 MiB (GPU 0; 79.15 GiB "
                     "total capacity; 76.12 GiB already allocated; 1.23 GiB free; 77.50 GiB "
                     "reserved in total by PyTorch)");
             }},
            {"a c10::Error \"DefaultCPUAllocator: not enough memory: you tried to allocate "
             "1073741824 bytes.\" (LibTorch 2.x)",
             true,
             [] {
                 throw c10::Error(here(), "DefaultCPUAllocator: not enough memory: you tried to "
                                          "allocate 1073741824 bytes.");
             }},
            {"a shape mismatch (mat1 and mat2 shapes cannot be multiplied, thrown by LibTorch "
             "here)",
             false,
             [] {
                 (void)torch::ones({2, 3}).mm(torch::ones({4, 5}));
             }},
            {"an index out of range (thrown by LibTorch here)", false,
             [] { (void)torch::ones({3}).index_select(0, torch::tensor({int64_t(7)})); }},
        };
        std::string wrong;
        for (const Case &c : cases) {
            bool answer = false;
            bool raised = false;
            try {
                c.raise();
            } catch (const c10::Error &e) {
                raised = true;
                std::string error;
                if (!attempt([&] { answer = is_out_of_memory(e); }, error)) {
                    lab::check("recognises_oom", false,
                               "is_out_of_memory() threw: " + sentence(error) +
                                   " Only look at the error it is given.");
                    return;
                }
            }
            if (!raised)
                continue; // this system allocated 1 PiB after all: nothing to ask
            if (answer != c.oom && wrong.empty())
                wrong = "is_out_of_memory() returned " + std::string(answer ? "true" : "false") +
                        " for " + c.what +
                        (c.oom ? ": a failed allocation says \"out of memory\", \"can't allocate "
                                 "memory\" or \"not enough memory\", or is a "
                                 "c10::OutOfMemoryError."
                               : ": only failed allocations are out of memory; a bug must reach "
                                 "the caller, not be retried.");
        }
        lab::check("recognises_oom", wrong.empty(),
                   wrong.empty() ? "out-of-memory errors of the CPU and the GPU, of LibTorch 1.13 "
                                   "and 2.x, are told apart from other errors."
                                 : wrong);
    });
}

void check_releases(const torch::Device &device)
{
    guarded("releases_gradients", [&] {
        torch::manual_seed(3);
        auto model = make_model();
        model->to(device);
        torch::Tensor x, y;
        make_data(16, device, x, y);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
        forward_loss(model, x, y).backward(); // gradients a failed attempt might leave behind
        release_after_oom(model, optimizer);
        bool clean = true;
        for (const auto &p : model->parameters())
            clean = clean && (!p.grad().defined() || p.grad().abs().max().item<double>() == 0.0);
        lab::check("releases_gradients", clean,
                   clean ? "release_after_oom() leaves no gradient of the failed attempt."
                         : "after release_after_oom() the parameters still hold gradients from "
                           "before: call optimizer.zero_grad(), or the next attempt adds to what "
                           "the failed one wrote.");
    });

    if (!device.is_cuda()) {
        lab::skip(
            "cache_emptied",
            "needs a GPU: on the CPU LibTorch keeps no cache of freed blocks, so there is "
            "nothing for emptyCache() to give back. This check runs where CUDA is available.");
        return;
    }
#ifdef TORCHLAB_WITH_CUDA
    guarded("cache_emptied", [&] {
        const int dev = c10::cuda::current_device();
        auto reserved = [dev] {
            return c10::cuda::CUDACachingAllocator::getDeviceStats(dev).reserved_bytes[0].current;
        };
        {
            auto block = torch::empty({int64_t(16) << 20}, torch::TensorOptions(device)); // 64 MiB
            block.fill_(1);
        } // freed: the block stays in the cache, still reserved
        const int64_t before = reserved();
        auto model = make_model();
        model->to(device);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
        release_after_oom(model, optimizer);
        const int64_t after = reserved();
        const bool ok = before - after >= (int64_t(64) << 20);
        lab::check(
            "cache_emptied", ok,
            ok ? "release_after_oom() hands the cached blocks back (reserved fell from " +
                     mib(before) + " to " + mib(after) + ")."
               : "reserved memory stayed at " + mib(after) + " (it was " + mib(before) +
                     " with a free 64 MiB block cached): on a GPU, call "
                     "c10::cuda::CUDACachingAllocator::emptyCache() in release_after_oom().");
    });
#else
    lab::skip("cache_emptied", "this LibTorch has no CUDA support, so there is no cache to empty.");
#endif
}

// The main scenario: a batch of 256 whose step does not fit in the budget. Returns the
// micro-batch that worked, 0 when none did.
int64_t check_fallback(const torch::Device &device)
{
    torch::manual_seed(7);
    auto model = make_model();
    model->to(device);
    torch::Tensor x, y;
    make_data(kBatch, device, x, y);

    // The whole batch in one piece, without a budget: the gradients and the step to compare with.
    auto reference = copy_of(model);
    torch::optim::SGD reference_optimizer(reference->parameters(), torch::optim::SGDOptions(0.1));
    reference_optimizer.zero_grad();
    const torch::Tensor full =
        torch::nn::functional::cross_entropy(reference->forward(x).mean(1), y);
    full.backward();
    const double full_loss = full.item<double>();
    const auto want = gradients_of(reference);
    reference_optimizer.step();

    // The same warm-up the exercise does: gradients and threads exist before the budget.
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
    {
        auto warm = copy_of(model);
        forward_loss(warm, x.slice(0, 0, 8), y.slice(0, 0, 8)).backward();
    }
    for (auto &p : model->parameters())
        p.mutable_grad() = torch::zeros_like(p);

    int64_t micro = kBatch;
    double loss = 0;
    std::string error;
    bool returned = false;
    int64_t before = 0, after = 0;
    bool budget_on = false;
    {
        Budget budget(kBudget);
        budget_on = budget.on;
        clear_forward_calls();
        before = memory_in_use();
        returned =
            attempt([&] { loss = train_step_with_fallback(model, optimizer, x, y, micro); }, error);
        after = memory_in_use();
    }
    const std::vector<int64_t> sizes = forward_sizes();
    const std::vector<int64_t> memory = forward_memory();
    const std::vector<Attempt> tries = attempts_of(sizes, kBatch);
    if (!budget_on)
        lab::note("No memory budget could be set here, so the batch may have fitted at once.");

    // survives_oom
    if (returned)
        lab::check("survives_oom", true,
                   "a batch of 256 that does not fit finished in micro-batches of " +
                       std::to_string(micro) + ".");
    else
        lab::check("survives_oom", false,
                   "train_step_with_fallback() let this error out: " + first_line(error) +
                       (is_oom_text(error)
                            ? " Catch the out-of-memory error around the attempt (c10::Error with "
                              "is_out_of_memory()), halve micro_batch and try again."
                            : ""));

    // halves
    guarded("halves", [&] {
        std::string why;
        if (tries.empty())
            why = "forward_loss() was never called: compute every micro-batch's loss with it.";
        else if (tries.front().size != kBatch)
            why = "the first attempt used micro-batches of " + std::to_string(tries.front().size) +
                  ", but micro_batch was 256: start with the size you are given.";
        else if (tries.size() < 2)
            why = "only one attempt was made (forward_loss saw " + list(sizes) +
                  "); when it runs out of memory, halve micro_batch and start the step again.";
        for (size_t i = 1; why.empty() && i < tries.size(); ++i)
            if (tries[i].size != tries[i - 1].size / 2)
                why = "after micro-batches of " + std::to_string(tries[i - 1].size) +
                      " the next attempt used " + std::to_string(tries[i].size) +
                      " (forward_loss saw " + list(sizes) + "): halve it, micro_batch /= 2.";
        if (why.empty() && returned && micro != tries.back().size)
            why = "the step worked with micro-batches of " + std::to_string(tries.back().size) +
                  " but micro_batch came back as " + std::to_string(micro) +
                  ": leave the size that worked in it, so the next step starts there.";
        if (why.empty() && !returned)
            why = "the sizes were halved (" + list(sizes) + "), but the step still failed.";
        lab::check("halves", why.empty(),
                   why.empty() ? "forward_loss saw " + list(sizes) +
                                     ": the micro-batch was halved until it fitted."
                               : why);
    });

    // whole_batch
    guarded("whole_batch", [&] {
        std::string why;
        if (!returned)
            why = "the step did not finish (see survives_oom).";
        else if (tries.empty() || tries.back().covered != kBatch)
            why = "the last attempt's micro-batches covered " +
                  std::to_string(tries.empty() ? 0 : tries.back().covered) +
                  " examples, not the batch's 256 (forward_loss saw " + list(sizes) +
                  "): after halving, run every micro-batch of the whole batch.";
        lab::check("whole_batch", why.empty(),
                   why.empty() ? "the last attempt covered all 256 examples in " +
                                     std::to_string(kBatch / std::max<int64_t>(1, micro)) +
                                     " micro-batches."
                               : why);
    });

    // same_gradients
    guarded("same_gradients", [&] {
        std::string why;
        if (!returned) {
            why = "the step did not finish (see survives_oom).";
        } else {
            const auto got = gradients_of(model);
            bool close = true;
            double dot = 0, ref_sq = 0;
            for (size_t i = 0; i < got.size(); ++i) {
                if (!got[i].defined()) {
                    close = false;
                    why = "parameter " + std::to_string(i) + " has no gradient after the step.";
                    break;
                }
                close = close && torch::allclose(got[i], want[i], 1e-3, 1e-6);
                dot += (got[i] * want[i]).sum().item<double>();
                ref_sq += (want[i] * want[i]).sum().item<double>();
            }
            const double ratio = ref_sq > 0 ? dot / ref_sq : 0;
            const double k = double(kBatch) / double(std::max<int64_t>(1, micro));
            if (why.empty() && !close) {
                if (std::abs(ratio - k) < 0.05 * k && k > 1)
                    why = "the gradients are " + num(ratio) +
                          " times the whole batch's: scale every micro-batch's loss by its "
                          "share of the batch (size / 256) before backward().";
                else if (std::abs(ratio - 1 / k) < 0.05 / k && k > 1)
                    why = "the gradients are 1/" + num(k) +
                          " of the whole batch's: only one micro-batch counted; run them all and "
                          "zero the gradients once per attempt, not per micro-batch.";
                else
                    why = "the gradients differ from the whole batch's (their projection on them "
                          "is " +
                          num(ratio) +
                          " times them). Zero the gradients before every attempt, so that a "
                          "failed one leaves nothing behind; run every micro-batch with the same "
                          "parameters, and call optimizer.step() only after the last one.";
            }
            if (why.empty() && std::abs(loss - full_loss) > 1e-4 * std::max(1.0, full_loss))
                why = "the gradients are right, but the step returned the loss " + num(loss) +
                      " instead of the batch's mean loss " + num(full_loss) +
                      ": add up the scaled micro-batch losses.";
            if (why.empty()) {
                const auto a = model->parameters(), r = reference->parameters();
                for (size_t i = 0; why.empty() && i < a.size(); ++i)
                    if (!torch::allclose(a[i], r[i], 1e-3, 1e-6))
                        why = "the gradients are right, but the parameters are not where one SGD "
                              "step puts them: call optimizer.step() once, after the last "
                              "micro-batch.";
            }
        }
        lab::check("same_gradients", why.empty(),
                   why.empty() ? "the gradients, the loss and the step equal those of the whole "
                                 "batch in one piece."
                               : why);
    });

    // memory_released
    guarded("memory_released", [&] {
        std::string why;
        if (!returned)
            why = "the step did not finish (see survives_oom).";
        for (size_t i = 1; why.empty() && i < tries.size(); ++i) {
            const int64_t at = memory[tries[i].first];
            if (at - before > kSlack)
                why = "the attempt with micro-batches of " + std::to_string(tries[i].size) +
                      " started with " + mib(at - before) +
                      " more in use than before the step: the failed attempt's tensors were "
                      "still alive. Keep them inside the try block, so that they die before the "
                      "catch block runs.";
        }
        if (why.empty() && after - before > kSlack)
            why = "after the step " + mib(after - before) +
                  " more memory is in use than before it: keep numbers (loss.item<double>()), "
                  "not tensors, from the micro-batches.";
        lab::check("memory_released", why.empty(),
                   why.empty() ? "every retry started from the memory in use before the step ("
                                 "within " +
                                     mib(kSlack) + "), and the step left nothing behind."
                               : why);
    });
    return returned && !tries.empty() && tries.back().covered == kBatch ? micro : 0;
}

// Starting at a micro-batch that fits (the one the main scenario found; 64 on a CPU), the step
// must run once, without a failed attempt.
void check_fits_first_time(const torch::Device &device, int64_t fits)
{
    guarded("fits_first_time", [&] {
        torch::manual_seed(8);
        auto model = make_model();
        model->to(device);
        torch::Tensor x, y;
        make_data(kBatch, device, x, y);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
        forward_loss(model, x.slice(0, 0, 8), y.slice(0, 0, 8)).backward();
        int64_t micro = fits;
        std::string error;
        bool returned = false;
        {
            Budget budget(kBudget);
            clear_forward_calls();
            returned =
                attempt([&] { train_step_with_fallback(model, optimizer, x, y, micro); }, error);
        }
        const auto sizes = forward_sizes();
        std::vector<int64_t> want; // pieces of `fits`, the last one possibly smaller
        for (int64_t at = 0; at < kBatch; at += fits)
            want.push_back(std::min(fits, kBatch - at));
        const std::string start =
            "starting at micro_batch = " + std::to_string(fits) + ", which fits, ";
        const bool ok = returned && micro == fits && sizes == want;
        lab::check("fits_first_time", ok,
                   ok ? start + "the step ran " + std::to_string(want.size()) +
                            " micro-batches of " + std::to_string(fits) + " and nothing else."
                   : !returned
                       ? start + "the step failed: " + first_line(error) + " (forward_loss saw " +
                             list(sizes) +
                             "). Split the batch into micro-batches of micro_batch "
                             "examples."
                       : start + "forward_loss saw " + list(sizes) +
                             " and micro_batch came back as " + std::to_string(micro) +
                             "; expected " + list(want) + " and " + std::to_string(fits) + ".");
    });
}

void check_other_errors(const torch::Device &device)
{
    guarded("other_errors", [&] {
        torch::manual_seed(9);
        auto model = make_model();
        model->to(device);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
        // A bug, not a lack of memory: 15 features where the model takes 16.
        const auto x = torch::randn({32, 16, 15}, device);
        const auto y =
            torch::zeros({32}, torch::TensorOptions().dtype(torch::kLong).device(device));
        int64_t micro = 32;
        std::string error;
        clear_forward_calls();
        const bool returned =
            attempt([&] { train_step_with_fallback(model, optimizer, x, y, micro); }, error);
        const auto sizes = forward_sizes();
        std::string why;
        if (returned)
            why = "a step whose input has 15 features instead of 16 returned normally: a bug "
                  "must reach the caller.";
        else if (sizes.size() != 1)
            why = "the shape error was retried (forward_loss saw " + list(sizes) +
                  "): halving cannot fix a bug. Rethrow every error that is not out of memory.";
        else if (is_oom_text(error))
            why = "the shape error came out as an out-of-memory error: rethrow the original "
                  "error (throw;).";
        lab::check("other_errors", why.empty(),
                   why.empty()
                       ? "a shape error reached the caller after one attempt: " + first_line(error)
                       : why);
    });
}

void check_gives_up(const torch::Device &device)
{
    guarded("gives_up", [&] {
        torch::manual_seed(10);
        auto model = make_model();
        model->to(device);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
        forward_loss(model, torch::randn({2, 16, 16}, device),
                     torch::zeros({2}, torch::TensorOptions().dtype(torch::kLong).device(device)))
            .backward();
        // Sequences of 8,192 tokens: one example's hidden layer alone needs 64 MiB, more than a
        // budget of 40 MiB, so every attempt fails at its first large allocation.
        const auto x = torch::randn({8, 8192, 16}, device);
        const auto y = torch::zeros({8}, torch::TensorOptions().dtype(torch::kLong).device(device));
        int64_t micro = 8;
        std::string error;
        bool returned = false;
        bool budget_on = false;
        {
            Budget budget(int64_t(40) << 20);
            budget_on = budget.on;
            clear_forward_calls();
            returned =
                attempt([&] { train_step_with_fallback(model, optimizer, x, y, micro); }, error);
        }
        if (!budget_on) {
            lab::skip("gives_up", "no memory budget could be set here.");
            return;
        }
        const auto sizes = forward_sizes();
        std::string why;
        if (returned)
            why = "with room for not even one example, the step returned normally (forward_loss "
                  "saw " +
                  list(sizes) + ").";
        else if (error.find("more than 300 times") != std::string::npos)
            why = "the step kept retrying without end: when micro_batch is already 1, rethrow "
                  "the error instead of trying again.";
        else if (sizes != std::vector<int64_t>{8, 4, 2, 1})
            why = "with room for not even one example, forward_loss saw " + list(sizes) +
                  "; expected [8, 4, 2, 1]: halve down to 1, then let the error reach the "
                  "caller.";
        else if (!is_oom_text(error))
            why =
                "the step failed, but with another error than out of memory: " + first_line(error);
        lab::check("gives_up", why.empty(),
                   why.empty() ? "with room for not even one example (sequences of 8,192 "
                                 "tokens), the step tried 8, 4, 2 and 1, then let the "
                                 "out-of-memory error reach the caller."
                               : why);
    });
}

} // namespace

int main()
{
    return lab::run([] {
        // Sized for two cores: more threads than free cores make LibTorch's threads wait for
        // each other.
        torch::set_num_threads(std::min(2, torch::get_num_threads()));
        const torch::Device device = lab::device();

        // Your main() trains and reports the loss. lab::run inside it catches its errors and
        // returns 3; what it caught went to the lab as an error event and to stderr.
        std::string error;
        int status = 0;
        if (!attempt([&] { status = torchlab_learner_main(); }, error))
            lab::note("Your main() stopped with: " + first_line(error));
        else if (status != 0)
            lab::note("Your main() stopped early (status " + std::to_string(status) +
                      "); its error is printed above.");
        lift_memory_budget();
        check_recognises();
        check_releases(device);
        const int64_t fits = check_fallback(device);
        // 64 on a CPU; a GPU's caching allocator rounds blocks up and may need a smaller one.
        check_fits_first_time(device, fits > 0 && fits < kBatch ? fits : 64);
        check_other_errors(device);
        check_gives_up(device);
    });
}
