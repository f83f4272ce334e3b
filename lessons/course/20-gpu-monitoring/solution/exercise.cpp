// Going further, lesson 20: watching the GPU (reference solution).
// Export a training run's metrics in Prometheus' text format, write the alert rules that watch
// them, and read the GPU's memory, utilisation and temperature through NVML, loaded at run time.
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
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// A sample value: NaN, +Inf and -Inf spelled as Prometheus spells them; any other value with the
// fewest digits that read back as exactly the same double.
std::string format_value(double value)
{
    if (std::isnan(value))
        return "NaN"; // also for a NaN with its sign bit set, which printf writes as "-nan"
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buffer[40];
    // 17 significant digits always read back exactly; fewer usually do and read better.
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
        if (std::strtod(buffer, nullptr) == value)
            break;
    }
    return buffer;
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
    const std::string labels = label_set(m.labels);
    std::string out;

    header(out, "torchlab_training_steps_total", "counter", "Optimizer steps taken in this run.");
    sample(out, "torchlab_training_steps_total", labels, double(m.steps));

    header(out, "torchlab_training_loss", "gauge", "Loss of the latest training step.");
    sample(out, "torchlab_training_loss", labels, m.loss);

    header(out, "torchlab_training_samples_per_second", "gauge",
           "Training examples processed per second over the run.");
    sample(out, "torchlab_training_samples_per_second", labels, m.samples_per_second);

    // A histogram: one cumulative _bucket per upper bound ("le" = less or equal), the +Inf bucket
    // holding every observation, then _sum and _count.
    const std::string h = "torchlab_training_step_duration_seconds";
    header(out, h, "histogram", "Wall-clock time of one training step.");
    double sum = 0;
    for (const double s : m.step_seconds)
        sum += s;
    for (const double bound : m.step_bucket_bounds_seconds) {
        int64_t at_most = 0;
        for (const double s : m.step_seconds)
            at_most += s <= bound ? 1 : 0;
        sample(out, h + "_bucket", label_set(m.labels, format_value(bound)), double(at_most));
    }
    const auto count = double(m.step_seconds.size());
    sample(out, h + "_bucket", label_set(m.labels, "+Inf"), count);
    sample(out, h + "_sum", labels, sum);
    sample(out, h + "_count", labels, count);

    // Without a GPU reading there is nothing to say: 0 bytes would make used/total a NaN.
    if (m.gpu_memory_total_bytes > 0) {
        header(out, "torchlab_gpu_memory_used_bytes", "gauge",
               "GPU memory in use on the device, as NVML reports it (all processes).");
        sample(out, "torchlab_gpu_memory_used_bytes", labels, double(m.gpu_memory_used_bytes));
        header(out, "torchlab_gpu_memory_total_bytes", "gauge",
               "GPU memory of the device, as NVML reports it.");
        sample(out, "torchlab_gpu_memory_total_bytes", labels, double(m.gpu_memory_total_bytes));
    }
    return out;
}

// Prometheus alerting rules: GPU memory above 90% for 2 minutes, and a NaN loss.
std::string alert_rules_yaml()
{
    return R"yaml(groups:
  - name: torchlab-training
    rules:
      - alert: GpuMemoryAlmostFull
        expr: torchlab_gpu_memory_used_bytes / torchlab_gpu_memory_total_bytes > 0.9
        for: 2m
        labels:
          severity: warning
        annotations:
          summary: "GPU memory above 90% for 2 minutes ({{ $labels.device }})"
      - alert: TrainingLossIsNaN
        # NaN is the only value that is not equal to itself; PromQL has no isnan().
        expr: torchlab_training_loss != torchlab_training_loss
        labels:
          severity: critical
        annotations:
          summary: "The training loss is NaN ({{ $labels.lesson }} on {{ $labels.device }})"
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
    GpuReading r;
    void *library = ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *why = ::dlerror();
        r.error = std::string("libnvidia-ml.so.1 could not be loaded (") +
                  (why ? why : "unknown reason") + "): there is no NVIDIA driver here";
        return r;
    }
    struct Closer
    {
        void *handle;
        ~Closer() { ::dlclose(handle); }
    } closer{library};

    using namespace nvml;
    const auto init = reinterpret_cast<Return (*)()>(::dlsym(library, "nvmlInit_v2"));
    const auto shutdown = reinterpret_cast<Return (*)()>(::dlsym(library, "nvmlShutdown"));
    const auto error_string =
        reinterpret_cast<const char *(*)(Return)>(::dlsym(library, "nvmlErrorString"));
    const auto handle_by_index = reinterpret_cast<Return (*)(unsigned int, Device *)>(
        ::dlsym(library, "nvmlDeviceGetHandleByIndex_v2"));
    const auto memory_info =
        reinterpret_cast<Return (*)(Device, Memory *)>(::dlsym(library, "nvmlDeviceGetMemoryInfo"));
    const auto utilization_rates = reinterpret_cast<Return (*)(Device, Utilization *)>(
        ::dlsym(library, "nvmlDeviceGetUtilizationRates"));
    const auto temperature = reinterpret_cast<Return (*)(Device, int, unsigned int *)>(
        ::dlsym(library, "nvmlDeviceGetTemperature"));
    const auto device_name = reinterpret_cast<Return (*)(Device, char *, unsigned int)>(
        ::dlsym(library, "nvmlDeviceGetName"));
    if (!init || !shutdown || !handle_by_index || !memory_info) {
        r.error = "libnvidia-ml.so.1 lacks nvmlInit_v2 or the device queries: it is too old";
        return r;
    }
    const auto text = [&](Return rc) {
        const char *s = error_string ? error_string(rc) : nullptr;
        return s ? std::string(s) : "NVML error " + std::to_string(rc);
    };

    const Return rc = init();
    if (rc != success) {
        r.error = "nvmlInit_v2 failed: " + text(rc);
        return r;
    }
    struct Shutdown
    {
        Return (*call)();
        ~Shutdown() { call(); } // every successful nvmlInit is paired with one nvmlShutdown
    } shutdown_at_end{shutdown};

    Device device = nullptr;
    if (const Return h = handle_by_index(index, &device); h != success) {
        r.error = "nvmlDeviceGetHandleByIndex_v2(" + std::to_string(index) + ") failed: " + text(h);
        return r;
    }
    Memory memory{};
    if (const Return m = memory_info(device, &memory); m != success) {
        r.error = "nvmlDeviceGetMemoryInfo failed: " + text(m);
        return r;
    }
    r.memory_used_bytes = memory.used;
    r.memory_total_bytes = memory.total;
    char name[96] = {};
    if (device_name && device_name(device, name, sizeof name - 1) == success)
        r.name = name;
    Utilization utilization{};
    if (utilization_rates && utilization_rates(device, &utilization) == success) {
        r.utilization_gpu_percent = int(utilization.gpu);
        r.utilization_memory_percent = int(utilization.memory);
    }
    unsigned int celsius = 0;
    if (temperature && temperature(device, temperature_gpu, &celsius) == success)
        r.temperature_c = int(celsius);
    r.ok = true;
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
