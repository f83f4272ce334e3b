// Hidden checks for lesson 14. They test the benchmarking method, never this machine's speed:
// bench() gets functions whose calls take known times, and compare_threads() gets a function that
// records how many threads LibTorch was set to use at each call.
// The learner's file is compiled with -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

struct BenchResult
{
    double median_ms = 0;
    double min_ms = 0;
    double max_ms = 0;
    int samples = 0;
};
BenchResult bench(const std::function<void()> &fn, int warmup, int repeats, torch::Device device);
std::vector<BenchResult> compare_threads(const std::string &name, const std::function<void()> &work,
                                         const std::vector<int> &counts, int warmup, int repeats);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::close_to_ms;
using lab::checks::median_of;
using lab::checks::num;
using lab::checks::sentence;
using lab::checks::SleepScript;

std::string call(int warmup, int repeats)
{
    return "bench(fn, " + std::to_string(warmup) + ", " + std::to_string(repeats) + ", cpu)";
}

// A hint for an exception thrown by bench() on the CPU.
std::string cpu_hint(const std::string &error)
{
    return error.find("CUDA") != std::string::npos
               ? " Call torch::cuda::synchronize() only when device.is_cuda()."
               : "";
}

void check_calls()
{
    struct Case
    {
        int warmup, repeats;
    };
    for (const Case c : {Case{2, 5}, Case{0, 3}, Case{3, 1}}) {
        int calls = 0;
        BenchResult r;
        std::string error;
        if (!attempt([&] { r = bench([&] { ++calls; }, c.warmup, c.repeats, torch::kCPU); },
                     error)) {
            lab::check("calls_counted", false,
                       call(c.warmup, c.repeats) + " threw: " + sentence(error) + cpu_hint(error));
            return;
        }
        if (calls != c.warmup + c.repeats || r.samples != c.repeats) {
            lab::check("calls_counted", false,
                       call(c.warmup, c.repeats) + " called fn " + std::to_string(calls) +
                           " times and reported " + std::to_string(r.samples) +
                           " samples; expected " + std::to_string(c.warmup + c.repeats) +
                           " calls (" + std::to_string(c.warmup) + " warm-up, " +
                           std::to_string(c.repeats) +
                           " timed) and samples = " + std::to_string(c.repeats) + ".");
            return;
        }
    }
    lab::check("calls_counted", true, "bench() calls fn warmup + repeats times");
}

// Two slow warm-up calls, then timed calls of 3, 30, 6, 45 and 9 ms:
// median 9, mean 18.6, min 3, max 45; with the warm-ups the median would be 30 and the max 70.
void check_odd(const std::string &calls_note)
{
    SleepScript script{{70, 70, 3, 30, 6, 45, 9}, {}};
    BenchResult r;
    std::string error;
    const char *names[] = {"warmup_untimed", "median", "min_max"};
    if (!attempt([&] { r = bench(std::ref(script), 2, 5, torch::kCPU); }, error)) {
        for (const char *name : names)
            lab::check(name, false, call(2, 5) + " threw: " + sentence(error) + cpu_hint(error));
        return;
    }
    if (script.took.size() != 7) {
        for (const char *name : names)
            lab::check(name, false,
                       call(2, 5) + " called fn " + std::to_string(script.took.size()) +
                           " times instead of 7" + calls_note);
        return;
    }
    const std::vector<double> timed(script.took.begin() + 2, script.took.end());
    const double want_min = *std::min_element(timed.begin(), timed.end());
    const double want_max = *std::max_element(timed.begin(), timed.end());
    const double want_median = median_of(timed);
    const std::string head =
        "With two 70 ms warm-up calls and timed calls of 3, 30, 6, 45 and 9 ms, " + call(2, 5) +
        " returned median " + num(r.median_ms) + ", min " + num(r.min_ms) + ", max " +
        num(r.max_ms) + ". ";

    const bool warm_timed =
        r.max_ms > want_max + 10 || close_to_ms(r.median_ms, median_of(script.took));
    lab::check("warmup_untimed", !warm_timed,
               !warm_timed ? "warm-up calls are left out of the timings"
                           : head + "The 70 ms warm-up calls were timed too: start taking samples "
                                    "only after the warm-up loop.");

    std::string why;
    if (!close_to_ms(r.median_ms, want_median)) {
        const double mean = std::accumulate(timed.begin(), timed.end(), 0.0) / double(timed.size());
        why = head + "Expected a median of about " + num(want_median) + " ms. ";
        if (close_to_ms(r.median_ms, mean))
            why += "That is close to the mean: the 30 and 45 ms outliers pull a mean up; sort the "
                   "samples and take the middle one.";
        else if (close_to_ms(r.median_ms, mean * double(timed.size())))
            why += "That is the total of the timed calls: time each call on its own.";
        else if (r.median_ms > 0 && r.median_ms < want_median / 200)
            why += "That looks like seconds: use std::chrono::duration<double, std::milli>.";
        else if (r.median_ms > want_median * 200)
            why += "That looks like micro- or nanoseconds: use "
                   "std::chrono::duration<double, std::milli>.";
        else
            why += "Sort the timed samples and take the middle one.";
    }
    lab::check("median", why.empty(), why.empty() ? "the median of an odd number of samples" : why);

    const bool min_ok = close_to_ms(r.min_ms, want_min), max_ok = close_to_ms(r.max_ms, want_max);
    lab::check("min_max", min_ok && max_ok,
               min_ok && max_ok
                   ? "min and max are the fastest and the slowest timed call"
                   : head + "Expected min about " + num(want_min) + " ms and max about " +
                         num(want_max) + " ms: the first and last of the sorted samples.");
}

// Four timed calls of 2, 12, 40 and 6 ms: median (6 + 12) / 2 = 9.
void check_even()
{
    SleepScript script{{2, 12, 40, 6}, {}};
    BenchResult r;
    std::string error;
    if (!attempt([&] { r = bench(std::ref(script), 0, 4, torch::kCPU); }, error)) {
        lab::check("median_even", false,
                   call(0, 4) + " threw: " + sentence(error) + cpu_hint(error));
        return;
    }
    if (script.took.size() != 4) {
        lab::check("median_even", false,
                   call(0, 4) + " called fn " + std::to_string(script.took.size()) +
                       " times instead of 4; see calls_counted.");
        return;
    }
    const double want = median_of(script.took);
    const bool ok = close_to_ms(r.median_ms, want);
    lab::check("median_even", ok,
               ok ? "with an even number of samples, the median is the mean of the two middle ones"
                  : "With timed calls of 2, 12, 40 and 6 ms, " + call(0, 4) + " returned median " +
                        num(r.median_ms) + "; expected about " + num(want) +
                        ", the mean of the two middle values (about 6 and 12).");
}

void check_threads()
{
    const int original = at::get_num_threads();
    // A count that none of the compared ones is, so that a missing restore shows.
    torch::set_num_threads(3);
    std::vector<int> seen;
    std::vector<BenchResult> results;
    std::string error;
    const bool returned = attempt(
        [&] {
            results = compare_threads(
                "probe", [&] { seen.push_back(at::get_num_threads()); }, {1, 2}, 1, 2);
        },
        error);
    const int after = at::get_num_threads();
    torch::set_num_threads(original);
    if (!returned) {
        const std::string why =
            "compare_threads(\"probe\", fn, {1, 2}, 1, 2) threw: " + sentence(error) +
            cpu_hint(error);
        lab::check("threads_set", false, why);
        lab::check("threads_restored", false, why);
        return;
    }

    const std::vector<int> want{1, 1, 1, 2, 2, 2};
    std::string why;
    if (seen.size() != want.size()) {
        why = "compare_threads(\"probe\", fn, {1, 2}, 1, 2) called fn " +
              std::to_string(seen.size()) +
              " times; expected 6: for each thread count, 1 warm-up call and 2 timed ones "
              "through bench().";
    } else if (seen != want) {
        std::string got;
        for (const int s : seen)
            got += (got.empty() ? "" : ", ") + std::to_string(s);
        why = "during the calls, LibTorch was set to " + got +
              " threads; expected 1, 1, 1, 2, 2, 2. Call torch::set_num_threads(count) before "
              "timing each count.";
    } else if (results.size() != 2) {
        why = "compare_threads returned " + std::to_string(results.size()) +
              " results; expected one BenchResult per thread count, from bench(work, warmup, "
              "repeats).";
    } else if (results[0].samples != 2 || results[1].samples != 2) {
        why = "the BenchResults of compare_threads(\"probe\", fn, {1, 2}, 1, 2) say " +
              std::to_string(results[0].samples) + " and " + std::to_string(results[1].samples) +
              " samples; expected 2 each (repeats): see calls_counted.";
    }
    lab::check("threads_set", why.empty(),
               why.empty() ? "each thread count is set before it is timed" : why);
    // Restoring means something only once compare_threads changes the count.
    const bool changes = std::find(seen.begin(), seen.end(), 1) != seen.end();
    if (!changes)
        lab::check("threads_restored", false,
                   "compare_threads never ran fn with 1 thread, so there is nothing to restore "
                   "yet: see threads_set first.");
    else
        lab::check("threads_restored", after == 3,
                   after == 3 ? "the thread count is restored afterwards"
                              : "LibTorch was set to 3 threads before compare_threads and to " +
                                    std::to_string(after) +
                                    " after it. Remember torch::get_num_threads() at the start and "
                                    "set it back at the end: the thread count is global, and the "
                                    "rest of the program should not inherit your experiment.");
}

// Only with a GPU: bench() must wait for the queued work. Not listed in lesson.toml, because a
// CPU-only lab can never report it.
void check_cuda_sync(const torch::Device device)
{
    const torch::Tensor a = torch::randn({4096, 4096}, device);
    torch::Tensor c;
    const auto work = [&] { c = torch::matmul(a, a); };
    for (int i = 0; i < 3; ++i)
        work();
    torch::cuda::synchronize();
    std::vector<double> samples;
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        torch::cuda::synchronize();
        samples.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    const double want = median_of(samples);
    BenchResult r;
    std::string error;
    if (!attempt([&] { r = bench(work, 2, 5, device); }, error)) {
        lab::check("cuda_sync", false,
                   "bench(matmul on the GPU, 2, 5, cuda) threw: " + sentence(error));
        return;
    }
    const bool ok = r.median_ms >= 0.5 * want;
    lab::check("cuda_sync", ok,
               ok ? "on the GPU, bench() waits for the work it times"
                  : "bench() timed a 4096x4096 matmul on the GPU at " + num(r.median_ms) +
                        " ms, but it takes about " + num(want) +
                        " ms: call torch::cuda::synchronize() after the warm-up and after each "
                        "timed call when device.is_cuda().");
}

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

        check_calls();
        check_odd("; see calls_counted.");
        check_even();
        check_threads();
        const torch::Device device = lab::device();
        if (device.is_cuda())
            check_cuda_sync(device);
        else
            lab::note("No GPU here, so the checks did not test that bench() waits for CUDA work "
                      "(torch::cuda::synchronize()).");
    });
}
