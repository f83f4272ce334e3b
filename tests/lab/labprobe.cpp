// A small exercise-like program that drives lab.h for tst_labh. The first
// argument picks a scenario; the lab's test reads what arrives on the channel.
#include <torch/torch.h>

#include <torchlab/lab.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

int second_unit_metric(int64_t step); // labprobe_second.cpp (a second unit that includes lab.h)
int check_helpers();                  // labprobe_checks.cpp (every helper of check.h)

namespace {

int channel()
{
    std::cout << "plain stdout line" << std::endl;
    // Printing that looks like an event must never reach the channel.
    std::cout << R"({"ev":"metric","name":"fake","step":0,"value":1})" << std::endl;
    std::cerr << "stderr line" << std::endl;
    for (int64_t step = 0; step < 5; ++step)
        lab::loss(step, 1.0 / double(step + 1));
    lab::metric("accuracy", 4, 0.1);
    lab::metric("odd \"name\"\\\n\t\x01 \xc3\xa9", 0, -2.5e-300);
    lab::metric("nonfinite", 0, std::numeric_limits<double>::quiet_NaN());
    lab::metric("nonfinite", 1, std::numeric_limits<double>::infinity());
    lab::metric("nonfinite", 2, -std::numeric_limits<double>::infinity());
    second_unit_metric(7);
    lab::memory(5); // CPU build: sends nothing
    const torch::Device device = lab::device();
    lab::check("runs on the lab's device", device.is_cpu(), "device " + device.str());
    lab::check("answer", false, "expected 3, got 4");
    lab::note("quick=" + std::string(lab::quick() ? "1" : "0"));
    return lab::run([] {
        const torch::Tensor a = torch::ones({2, 3});
        const torch::Tensor b = torch::ones({4, 5});
        std::cout << torch::matmul(a, b) << std::endl; // shapes do not match: c10::Error
    });
}

int threads()
{
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t) {
        workers.emplace_back([t] {
            const std::string name = "thread" + std::to_string(t);
            for (int64_t step = 0; step < 2000; ++step)
                lab::metric(name, step, double(step) * 0.5);
        });
    }
    for (std::thread &w : workers)
        w.join();
    return 0;
}

int environment()
{
    lab::note("device=" + lab::device().str());
    lab::note("data_dir=" + lab::data_dir());
    lab::note(std::string("quick=") + (lab::quick() ? "1" : "0"));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string scenario = argc > 1 ? argv[1] : "channel";
    if (scenario == "channel")
        return channel();
    if (scenario == "threads")
        return threads();
    if (scenario == "environment")
        return environment();
    if (scenario == "silent")
        return 0; // never calls lab::, must still say hello
    if (scenario == "oom")
        return lab::run([] {
            TORCH_CHECK_WITH(OutOfMemoryError, false,
                             "CUDA out of memory. Tried to allocate 1024.00 GiB (GPU 0; 79.11 GiB "
                             "total capacity)");
        });
    if (scenario == "oom_text")
        return lab::run(
            [] { TORCH_CHECK(false, "CUDA out of memory. Tried to allocate 2.00 GiB"); });
    if (scenario == "bad_alloc")
        return lab::run([] { throw std::bad_alloc(); });
    if (scenario == "std_exception")
        return lab::run([]() -> int { throw std::runtime_error("first line\nsecond line"); });
    if (scenario == "exit_code")
        return lab::run([] { return 7; });
    if (scenario == "checks")
        return check_helpers();
    if (scenario == "seeded") // the first number of LibTorch's generator inside lab::run
        return lab::run([] {
            char text[40];
            std::snprintf(text, sizeof text, "rand=%.17g", torch::rand({1}).item<double>());
            lab::note(text);
        });
    std::cerr << "unknown scenario " << scenario << std::endl;
    return 2;
}
