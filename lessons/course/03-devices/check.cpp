// Hidden checks for lesson 3. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

double median_ms(const std::function<void()> &fn, int warmup, int repeats, bool cuda);
torch::Tensor square_on(const torch::Tensor &host, torch::Device device);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::close_to_ms;
using lab::checks::median_of;
using lab::checks::num;
using lab::checks::sentence;
using lab::checks::SleepScript;

std::string args(int warmup, int repeats, bool cuda)
{
    return "median_ms(fn, " + std::to_string(warmup) + ", " + std::to_string(repeats) + ", " +
           (cuda ? "true" : "false") + ")";
}

void check_calls()
{
    struct Case
    {
        int warmup, repeats;
    };
    for (const Case c : {Case{2, 5}, Case{0, 3}, Case{3, 1}}) {
        int calls = 0;
        std::string error;
        if (!attempt([&] { median_ms([&] { ++calls; }, c.warmup, c.repeats, false); }, error)) {
            lab::check("calls_counted", false,
                       args(c.warmup, c.repeats, false) + " threw: " + sentence(error) +
                           (error.find("CUDA") != std::string::npos
                                ? " Call torch::cuda::synchronize() only when cuda is true."
                                : ""));
            return;
        }
        if (calls != c.warmup + c.repeats) {
            lab::check("calls_counted", false,
                       args(c.warmup, c.repeats, false) + " called fn " + std::to_string(calls) +
                           " times; expected " + std::to_string(c.warmup + c.repeats) + " (" +
                           std::to_string(c.warmup) + " warm-up calls, then " +
                           std::to_string(c.repeats) + " timed ones).");
            return;
        }
    }
    lab::check("calls_counted", true, "median_ms() calls fn warmup + repeats times.");
}

// The two warm-up calls are slow, the timed ones take 2, 40, 6, 60 and 4 ms:
// median 6, mean 22.4, median with the warm-ups 40.
void check_median_odd()
{
    SleepScript script{{80, 80, 2, 40, 6, 60, 4}, {}};
    double got = 0;
    std::string error;
    if (!attempt([&] { got = median_ms(std::ref(script), 2, 5, false); }, error)) {
        lab::check("median_of_repeats", false, args(2, 5, false) + " threw: " + error);
        return;
    }
    if (script.took.size() != 7) {
        lab::check("median_of_repeats", false,
                   args(2, 5, false) + " called fn " + std::to_string(script.took.size()) +
                       " times instead of 7; see calls_counted.");
        return;
    }
    const std::vector<double> timed(script.took.begin() + 2, script.took.end());
    const double want = median_of(timed);
    const std::string head =
        "With warm-up calls of 80 ms and timed calls of 2, 40, 6, 60 and 4 ms, " +
        args(2, 5, false) + " returned " + num(got) + "; expected about " + num(want) + ". ";
    if (close_to_ms(got, want)) {
        lab::check("median_of_repeats", true,
                   "median_ms() returns the median of the timed calls, in milliseconds.");
        return;
    }
    double sum = 0;
    for (double t : timed)
        sum += t;
    std::string why = "Sort the timed durations and take the middle one.";
    if (close_to_ms(got, median_of(script.took)))
        why = "It looks as if the warm-up calls were timed too: leave them out of the samples.";
    else if (close_to_ms(got, sum / timed.size()))
        why = "That is close to the mean: outliers (the 40 and 60 ms calls) pull a mean up; "
              "the median ignores them.";
    else if (close_to_ms(got, sum))
        why = "That is close to the total of the timed calls; return the median of the "
              "individual times.";
    else if (got > 0 && got < want / 200)
        why = "That looks like seconds; use std::chrono::duration<double, std::milli>.";
    else if (got > want * 200)
        why =
            "That looks like micro- or nanoseconds; use std::chrono::duration<double, std::milli>.";
    lab::check("median_of_repeats", false, head + why);
}

// Four timed calls of 2, 14, 50 and 6 ms: median (6 + 14) / 2 = 10.
void check_median_even()
{
    SleepScript script{{2, 14, 50, 6}, {}};
    double got = 0;
    std::string error;
    if (!attempt([&] { got = median_ms(std::ref(script), 0, 4, false); }, error)) {
        lab::check("median_even", false, args(0, 4, false) + " threw: " + error);
        return;
    }
    if (script.took.size() != 4) {
        lab::check("median_even", false,
                   args(0, 4, false) + " called fn " + std::to_string(script.took.size()) +
                       " times instead of 4; see calls_counted.");
        return;
    }
    const double want = median_of(script.took);
    const bool ok = close_to_ms(got, want);
    lab::check("median_even", ok,
               ok ? "With an even number of samples, median_ms() averages the two middle ones."
                  : "With timed calls of 2, 14, 50 and 6 ms, " + args(0, 4, false) + " returned " +
                        num(got) + "; expected about " + num(want) +
                        ", the mean of the two middle values (about 6 and 14).");
}

void check_real_work(const torch::Device device)
{
    const torch::Tensor a = torch::randn({128, 128});
    torch::Tensor c;
    double got = 0;
    std::string error;
    if (!attempt([&] { got = median_ms([&] { c = torch::matmul(a, a); }, 1, 3, false); }, error)) {
        lab::check("sane_result", false, args(1, 3, false) + " on a CPU matmul threw: " + error);
    } else {
        const bool ok = std::isfinite(got) && got > 0 && got < 10000;
        lab::check("sane_result", ok,
                   ok ? "median_ms() of a small CPU matmul is " + num(got) + " ms."
                      : "median_ms() of a small CPU matmul returned " + num(got) +
                            "; expected a positive number of milliseconds.");
    }

    if (!device.is_cuda()) {
        lab::skip("cuda_sync", "No GPU here: on a GPU this check compares median_ms(..., true) "
                               "with a properly synchronized measurement.");
        return;
    }
    // A matmul large enough that the GPU work takes far longer than its launch.
    const torch::Tensor g = torch::randn({4096, 4096}, device);
    torch::Tensor r;
    for (int i = 0; i < 3; ++i)
        r = torch::matmul(g, g);
    torch::cuda::synchronize();
    std::vector<double> ref;
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        r = torch::matmul(g, g);
        torch::cuda::synchronize();
        ref.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(ref.begin(), ref.end());
    const double want = ref[2];
    if (!attempt([&] { got = median_ms([&] { r = torch::matmul(g, g); }, 2, 5, true); }, error)) {
        lab::check("cuda_sync", false, args(2, 5, true) + " on the GPU threw: " + error);
        return;
    }
    torch::cuda::synchronize();
    const bool ok = got >= 0.5 * want;
    lab::check("cuda_sync", ok,
               ok ? "median_ms(..., true) waits for the GPU: " + num(got) + " ms against " +
                        num(want) + " ms measured here."
                  : "median_ms(..., true) of a 4096 x 4096 matmul returned " + num(got) +
                        " ms, but the GPU needs about " + num(want) +
                        " ms: call torch::cuda::synchronize() before starting and before "
                        "stopping the clock, or you time only the kernel launch.");
}

void check_square_on(const torch::Device device)
{
    const torch::Tensor x = torch::tensor({1.5f, -2.0f, 3.0f, 0.0f});
    const torch::Tensor keep = x.clone();
    torch::Tensor got;
    std::string error;
    if (!attempt([&] { got = square_on(x, device); }, error)) {
        lab::check("square_on", false, "square_on() threw: " + error);
        return;
    }
    std::ostringstream where;
    where << device;
    if (!got.defined()) {
        lab::check("square_on", false, "square_on() returned an undefined tensor.");
    } else if (!got.device().is_cpu()) {
        lab::check(
            "square_on", false,
            "square_on() returned a tensor on the GPU; bring it back with .to(torch::kCPU).");
    } else if (!torch::equal(x, keep) || !x.device().is_cpu()) {
        lab::check("square_on", false, "square_on() changed its input; work on the copy.");
    } else if (got.sizes() != x.sizes() || !torch::allclose(got, x * x)) {
        lab::check("square_on", false,
                   "square_on([1.5, -2, 3, 0]) must return [2.25, 4, 9, 0] on the CPU.");
    } else {
        lab::check("square_on", true,
                   "square_on() squares on " + where.str() + " and returns a CPU tensor.");
    }
}

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        if (!attempt([] { torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);

        const torch::Device device = lab::device();
        check_calls();
        check_median_odd();
        check_median_even();
        check_real_work(device);
        check_square_on(device);
    });
}
