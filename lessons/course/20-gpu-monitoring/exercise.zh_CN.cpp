// 进阶，第 20 课：监控 GPU。
// 把一次训练的指标导出为 Prometheus 的文本格式，写出监视这些指标的告警规则，并且（可选，
// 在装有 NVIDIA 驱动的机器上）通过运行时加载的 NVML 读取 GPU 的显存、利用率和温度。
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

// 一次训练要导出的内容。检查代码按原样使用这个结构体：请保留它。
struct TrainingMetrics
{
    Labels labels;                 // 按此顺序加在每条样本上
    int64_t steps = 0;             // 到目前为止优化器走过的步数
    double loss = 0;               // 最近一步的损失；可能是 NaN 或无穷大
    double samples_per_second = 0; // 整次运行平均每秒处理的训练样本数
    std::vector<double> step_bucket_bounds_seconds; // 直方图各桶的上界：升序、有限
    std::vector<double> step_seconds;               // 每一步的耗时，单位为秒
    uint64_t gpu_memory_used_bytes = 0; // 来自 NVML；两者都为 0：没有 GPU 读数
    uint64_t gpu_memory_total_bytes = 0;
};

// 通过 NVML 对一块 GPU 的一次读数。检查代码按原样使用这个结构体：请保留它。
struct GpuReading
{
    bool ok = false;   // false：无法使用 NVML；`error` 说明原因
    std::string error; // 给学习者看的一句话
    std::string name;  // "NVIDIA H100 80GB HBM3"
    uint64_t memory_used_bytes = 0;
    uint64_t memory_total_bytes = 0;
    int utilization_gpu_percent = -1;    // -1：NVML 给不出（MIG、权限等）
    int utilization_memory_percent = -1; // -1：同上
    int temperature_c = -1;              // -1：同上
};

// 双引号内的标签值：反斜杠、双引号和换行分别转义为 \\、\" 和 \n。其他字符（包括 UTF-8）
// 原样写出。
std::string escape_label_value(const std::string &value)
{
    // TODO: 转义格式规定的三个字符：\ 写成 \\，" 写成 \"，换行写成 \n。
    //       其他字符（包括 UTF-8 和制表符）保持原样。
    return value;
}

// 样本值：NaN、+Inf 和 -Inf 按 Prometheus 的拼写写出；其他值用能读回完全相同的 double 的
// 最少位数写出。
std::string format_value(double value)
{
    // TODO: 1. NaN（不论符号位如何）写成 NaN，无穷大写成 +Inf 和 -Inf：先用 std::isnan 和
    //          std::isinf 判断；printf 会写出 "nan"、"-nan" 或 "inf"。
    //       2. 其他值要有足够的有效数字，才能读回相同的 double：std::to_string 只保留小数点后
    //          六位（0.30000000000000004 变成 "0.300000"，1e-7 变成 "0.000000"）。snprintf 配合
    //          "%.17g" 总能原样往返；为了得到更短的文本，先试 15 位和 16 位，用 std::strtod 验证。
    return std::to_string(value);
}

namespace {

// `{lesson="...",device="..."}`，给出 `le` 时它排在最后；完全没有标签时为 ""。
std::string label_set(const Labels &labels, const std::string &le = std::string())
{
    std::string out;
    for (const auto &[name, value] : labels)
        out += (out.empty() ? "{" : ",") + name + "=\"" + escape_label_value(value) + "\"";
    if (!le.empty())
        out += (out.empty() ? "{" : ",") + std::string("le=\"") + le + "\"";
    return out.empty() ? out : out + "}";
}

// HELP 文本只转义反斜杠和换行。
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

// 以 Prometheus 文本暴露格式（0.0.4 版）写出这次运行的指标。
std::string render_prometheus(const TrainingMetrics &m)
{
    // TODO: 这第一版是 Prometheus 会拒绝抓取的。请把它改成：
    //   1. 每个指标族在样本之前都有一行 "# HELP name text" 和一行 "# TYPE name type"，
    //      像那两个仪表一样：header(out, name, "counter" | "histogram", help)
    //   2. 按 Prometheus 对计数器的命名方式给步数计数器命名：torchlab_training_steps_total
    //   3. 值用 format_value() 写出，标签值用 escape_label_value() 写出（下面的 label_set 和
    //      sample() 已经调用了它们：把这两个函数写完）
    //   4. 加上直方图 torchlab_training_step_duration_seconds：m.step_bucket_bounds_seconds 中
    //      每个上界一个 _bucket，标签为 le="<上界>"，统计耗时不超过该上界的所有步（累积），
    //      然后是包含全部步数的 le="+Inf"，再然后是 _sum（秒）和 _count
    //   5. 当 m.gpu_memory_total_bytes > 0 时，加上两个仪表：torchlab_gpu_memory_used_bytes 和
    //      torchlab_gpu_memory_total_bytes；没有读数时不要导出它们
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

// Prometheus 告警规则：GPU 显存超过 90% 持续 2 分钟，以及损失为 NaN。
std::string alert_rules_yaml()
{
    // TODO: 在下面的组里写两条规则，每条都有 alert（名字）、expr（PromQL）和
    //       labels: severity:
    //   - GPU 显存超过 90%：used / total > 0.9，且必须持续 2 分钟（for: 2m）
    //   - 损失为 NaN：PromQL 没有 isnan()，而 NaN == NaN 为假。哪种比较只对 NaN 成立？
    return R"yaml(groups:
  - name: torchlab-training
    rules: []
)yaml";
}

namespace nvml {
// 从 nvml.h 中需要的几个声明；nvml.h 随 CUDA toolkit 提供，而不是随驱动提供。
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

// 通过 libnvidia-ml.so.1 读取第 `index` 块 GPU 的显存、利用率和温度；该库用 dlopen 打开：
// 这样在没有驱动的机器上程序也能启动，并说明原因。
GpuReading read_gpu(unsigned index)
{
    // TODO（可选；只在装有 NVIDIA 驱动的机器上检查）：
    //   1. ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL)；失败时在 r.error 中说明原因
    //      （::dlerror()），并返回 ok = false 的 r
    //   2. 用 ::dlsym 查找这些函数：nvmlInit_v2、nvmlShutdown、nvmlDeviceGetHandleByIndex_v2、
    //      nvmlDeviceGetMemoryInfo，以及（可选的）nvmlDeviceGetUtilizationRates、
    //      nvmlDeviceGetTemperature、nvmlDeviceGetName、nvmlErrorString；把每个转换成它的类型
    //   3. nvmlInit_v2()；取得第 `index` 块设备的句柄；读取 nvml::Memory（total、free、used），
    //      以及在有回应时读取 nvml::Utilization 和温度（传感器 nvml::temperature_gpu）；
    //      设置 ok = true
    //   4. nvmlInit_v2 成功之后，在每条返回路径上都调用 nvmlShutdown()，并 ::dlclose 这个库
    (void)index;
    GpuReading r;
    r.error = "read_gpu() 还没有写";
    return r;
}

namespace {

constexpr double mib = 1024.0 * 1024.0;

// 缓存分配器眼中的同一块 GPU（仅限 CUDA 版本）。
void print_allocator_view()
{
#ifdef TORCHLAB_WITH_CUDA
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device());
    std::cout << "缓存分配器：已分配 " << stats.allocated_bytes[0].current / mib << " MiB，已保留 "
              << stats.reserved_bytes[0].current / mib << " MiB\n";
#endif
}

} // namespace

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        const torch::Device device = lab::device();
        std::cout << std::fixed << std::setprecision(1) << "设备：" << device << "\n";

        // 在合成数据上训练的小型回归网络：y = x·w + 噪声。
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
            const double value = loss.item<double>(); // 等待 GPU：这一步已经完成
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
            std::cout << "NVML：" << g.name << "，已用 " << double(g.memory_used_bytes) / mib
                      << " / " << double(g.memory_total_bytes) / mib << " MiB，利用率 "
                      << g.utilization_gpu_percent << "%（显存 " << g.utilization_memory_percent
                      << "%），" << g.temperature_c << " °C\n";
            if (device.is_cuda())
                print_allocator_view();
        } else {
            std::cout << "NVML：" << g.error << "\n";
        }

        std::cout << "\n--- /metrics（Prometheus 文本格式）---\n" << render_prometheus(m);
        std::cout << "\n--- 告警规则 ---\n" << alert_rules_yaml();
    });
}
