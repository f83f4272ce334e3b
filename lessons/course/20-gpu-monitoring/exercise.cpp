// Going further, lesson 20: watching the GPU.
// Export a training run's metrics in Prometheus' text format, write the alert rules that watch
// them, and (optional, on a machine with an NVIDIA driver) read the GPU's memory, utilisation and
// temperature through NVML, loaded at run time.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

using Labels = std::vector<std::pair<std::string, std::string>>;

// What one training run exports. The checks use this struct as it is: keep it.
struct TrainingMetrics
{
    Labels labels;                                  // put on every sample, in this order
    int64_t steps = 0;                              // optimizer steps taken so far
    double loss = 0;                                // the latest loss; may be NaN or infinite
    double samples_per_second = 0;                  // training examples per second over the run
    std::vector<double> step_bucket_bounds_seconds; // histogram upper bounds: ascending, finite
    std::vector<double> step_seconds;               // the duration of every step, in seconds
    uint64_t gpu_memory_used_bytes = 0;             // from NVML; both 0: no GPU reading
    uint64_t gpu_memory_total_bytes = 0;
};

// One look at a GPU through NVML. The checks use this struct as it is: keep it.
struct GpuReading
{
    bool ok = false;   // false: NVML could not be used; `error` says why
    std::string error; // a sentence for the learner
    std::string name;  // "NVIDIA H100 80GB HBM3"
    uint64_t memory_used_bytes = 0;
    uint64_t memory_total_bytes = 0;
    int utilization_gpu_percent = -1;    // -1: NVML could not say (MIG, permissions, ...)
    int utilization_memory_percent = -1; // -1: likewise
    int temperature_c = -1;              // -1: likewise
};

// A label value inside double quotes: backslash, double quote and line feed are escaped as \\, \"
// and \n. Everything else, UTF-8 included, is written as it is.
std::string escape_label_value(const std::string &value)
{
    // TODO: escape the three characters the format names: \ as \\, " as \" and a line feed as
    //       \n. Everything else, UTF-8 and tabs included, stays as it is.
    return value;
}

// A sample value: NaN, +Inf and -Inf spelled as Prometheus spells them; any other value with the
// fewest digits that read back as exactly the same double.
std::string format_value(double value)
{
    // TODO: 1. NaN (whatever its sign bit) as NaN, infinities as +Inf and -Inf: test std::isnan and
    //          std::isinf first; printf would write "nan", "-nan" or "inf".
    //       2. Any other value with enough significant digits to read back as the same double:
    //          std::to_string keeps six digits after the point (0.30000000000000004 becomes
    //          "0.300000", 1e-7 becomes "0.000000"). snprintf with "%.17g" always round-trips;
    //          try 15 and 16 digits first, checked with std::strtod, for shorter text.
    return std::to_string(value);
}

namespace {

// `{lesson="...",device="..."}`, with `le` last when given; "" for no labels at all.
std::string label_set(const Labels &labels, const std::string &le = std::string())
{
    std::string out;
    for (const auto &[name, value] : labels)
        out += (out.empty() ? "{" : ",") + name + "=\"" + escape_label_value(value) + "\"";
    if (!le.empty())
        out += (out.empty() ? "{" : ",") + std::string("le=\"") + le + "\"";
    return out.empty() ? out : out + "}";
}

// HELP text escapes only backslash and line feed.
std::string escape_help(const std::string &text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void header(std::string &out, const std::string &name, const char *type, const std::string &help)
{
    out += "# HELP " + name + " " + escape_help(help) + "\n";
    out += "# TYPE " + name + " " + type + "\n";
}

void sample(std::string &out, const std::string &name, const std::string &labels, double value)
{
    out += name + labels + " " + format_value(value) + "\n";
}

} // namespace

// The run's metrics in the Prometheus text exposition format (version 0.0.4).
std::string render_prometheus(const TrainingMetrics &m)
{
    // TODO: this first try is what Prometheus would refuse to scrape. Make it:
    //   1. give every family a "# HELP name text" and a "# TYPE name type" line before its
    //      samples, as the two gauges have: header(out, name, "counter" | "histogram", help)
    //   2. name the step counter as Prometheus names counters: torchlab_training_steps_total
    //   3. write values with format_value() and label values with escape_label_value() (label_set
    //      and sample() below already call them: finish those two functions)
    //   4. add the histogram torchlab_training_step_duration_seconds: one _bucket per bound in
    //      m.step_bucket_bounds_seconds, labelled le="<bound>" and counting every step that took
    //      at most that long (cumulative), then le="+Inf" with all steps, then _sum (seconds)
    //      and _count
    //   5. when m.gpu_memory_total_bytes > 0, two gauges: torchlab_gpu_memory_used_bytes and
    //      torchlab_gpu_memory_total_bytes; without a reading, leave them out
    const std::string labels = label_set(m.labels);
    std::string out;
    out += "torchlab_training_steps" + labels + " " + std::to_string(m.steps) + "\n";

    header(out, "torchlab_training_loss", "gauge", "Loss of the latest training step.");
    sample(out, "torchlab_training_loss", labels, m.loss);

    header(out, "torchlab_training_samples_per_second", "gauge",
           "Training examples processed per second over the run.");
    sample(out, "torchlab_training_samples_per_second", labels, m.samples_per_second);
    return out;
}

// Prometheus alerting rules: GPU memory above 90% for 2 minutes, and a NaN loss.
std::string alert_rules_yaml()
{
    // TODO: two rules in the group below, each with alert (a name), expr (PromQL) and
    //       labels: severity:
    //   - GPU memory above 90%: used / total > 0.9, which must hold for 2 minutes (for: 2m)
    //   - the loss is NaN: PromQL has no isnan(), and NaN == NaN is false. Which comparison is
    //     true only for NaN?
    return R"yaml(groups:
  - name: torchlab-training
    rules: []
)yaml";
}

namespace nvml {
// The few declarations needed from nvml.h, which ships with the CUDA toolkit, not the driver.
using Return = int;
struct DeviceOpaque;
using Device = DeviceOpaque *;
struct Memory // nvmlMemory_t
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
struct Utilization // nvmlUtilization_t
{
    unsigned int gpu;
    unsigned int memory;
};
constexpr Return success = 0;
constexpr int temperature_gpu = 0; // NVML_TEMPERATURE_GPU
} // namespace nvml

// Memory, utilisation and temperature of GPU `index`, read through libnvidia-ml.so.1, which is
// opened with dlopen: the program also starts, and says why, where the driver is missing.
GpuReading read_gpu(unsigned index)
{
    // TODO (optional; checked only where an NVIDIA driver is installed):
    //   1. ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL); when it fails, say why in
    //      r.error (::dlerror()) and return r with ok = false
    //   2. ::dlsym the functions: nvmlInit_v2, nvmlShutdown, nvmlDeviceGetHandleByIndex_v2,
    //      nvmlDeviceGetMemoryInfo, and (optional) nvmlDeviceGetUtilizationRates,
    //      nvmlDeviceGetTemperature, nvmlDeviceGetName, nvmlErrorString; cast each to its type
    //   3. nvmlInit_v2(); get the device handle of `index`; read nvml::Memory (total, free, used)
    //      and, where they answer, nvml::Utilization and the temperature (sensor
    //      nvml::temperature_gpu); set ok = true
    //   4. nvmlShutdown() after a successful nvmlInit_v2, and ::dlclose the library, on every path
    (void)index;
    GpuReading r;
    r.error = "read_gpu() is not written yet";
    return r;
}

namespace {

constexpr double mib = 1024.0 * 1024.0;

// The caching allocator's view of the same GPU (CUDA builds only).
void print_allocator_view()
{
#ifdef TORCHLAB_WITH_CUDA
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device());
    std::cout << "caching allocator: allocated " << stats.allocated_bytes[0].current / mib
              << " MiB, reserved " << stats.reserved_bytes[0].current / mib << " MiB\n";
#endif
}

} // namespace

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        const torch::Device device = lab::device();
        std::cout << std::fixed << std::setprecision(1) << "device: " << device << "\n";

        // A small regression network on synthetic data: y = x·w + noise.
        const int64_t batch = 256, features = 32;
        const int64_t steps = lab::quick() ? 60 : 300;
        torch::nn::Sequential model(torch::nn::Linear(features, 128), torch::nn::ReLU(),
                                    torch::nn::Linear(128, 1));
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
        const torch::Tensor w = torch::randn({features, 1}, device);

        TrainingMetrics m;
        m.labels = {{"lesson", "gpu-monitoring"}, {"device", device.str()}};
        m.step_bucket_bounds_seconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};
        double total_seconds = 0;
        for (int64_t step = 0; step < steps; ++step) {
            const auto start = std::chrono::steady_clock::now();
            const torch::Tensor x = torch::randn({batch, features}, device);
            const torch::Tensor y = x.mm(w) + 0.1 * torch::randn({batch, 1}, device);
            const torch::Tensor loss = torch::mse_loss(model->forward(x), y);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            const double value = loss.item<double>(); // waits for the GPU: the step is complete
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

            total_seconds += seconds;
            m.steps = step + 1;
            m.loss = value;
            m.step_seconds.push_back(seconds);
            lab::loss(step, value);
            if (step % 10 == 0) {
                lab::metric("step_ms", step, seconds * 1e3);
                lab::metric("samples_per_second", step, double(batch) / seconds);
                lab::memory(step);
            }
            if (device.is_cuda() && step % 30 == 0) {
                const GpuReading g = read_gpu(0);
                if (g.ok) {
                    lab::metric("gpu_memory_used_mib", step, double(g.memory_used_bytes) / mib);
                    if (g.utilization_gpu_percent >= 0)
                        lab::metric("gpu_utilization_percent", step, g.utilization_gpu_percent);
                }
            }
        }
        m.samples_per_second = total_seconds > 0 ? double(batch * steps) / total_seconds : 0.0;

        const GpuReading g = read_gpu(0);
        if (g.ok) {
            m.gpu_memory_used_bytes = g.memory_used_bytes;
            m.gpu_memory_total_bytes = g.memory_total_bytes;
            std::cout << "NVML: " << g.name << ", used " << double(g.memory_used_bytes) / mib
                      << " of " << double(g.memory_total_bytes) / mib << " MiB, utilisation "
                      << g.utilization_gpu_percent << "% (memory " << g.utilization_memory_percent
                      << "%), " << g.temperature_c << " °C\n";
            if (device.is_cuda())
                print_allocator_view();
        } else {
            std::cout << "NVML: " << g.error << "\n";
        }

        std::cout << "\n--- /metrics (Prometheus text format) ---\n" << render_prometheus(m);
        std::cout << "\n--- alert rules ---\n" << alert_rules_yaml();
    });
}
