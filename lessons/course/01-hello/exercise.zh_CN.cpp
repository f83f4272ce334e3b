// 第 1 课：你好，LibTorch
//
// 先点“运行”：程序会打印出 LibTorch 在这台机器上看到的情况。
// 然后完成下面的三个 TODO。“检查”会用多种输入对 libtorch_version()、
// pick_device() 和 describe() 运行隐藏测试。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <sstream>
#include <string>

// 本程序编译时所用的 LibTorch 版本，例如 "1.13.0"。
std::string libtorch_version()
{
    // TODO: 返回 TORCH_VERSION 宏（它定义在 <torch/version.h> 中，
    //       而 <torch/torch.h> 已经包含了这个头文件）。
    return "unknown";
}

// 当 prefer_cuda 为 true 且 LibTorch 在这里能使用 GPU 时，返回 0 号 CUDA 设备；
// 其他任何情况都返回 CPU。
torch::Device pick_device(bool prefer_cuda)
{
    // TODO: 当 prefer_cuda 为 true 时，询问 torch::cuda::is_available()，
    //       如果它回答可以，就返回 torch::Device(torch::kCUDA, 0)。
    (void)prefer_cuda;
    return torch::Device(torch::kCPU);
}

// 用一行文字描述一个张量："<scalar type> [<sizes>] on <device>"，例如
// "Float [2, 3] on cpu"、"Long [5] on cpu"、"Double [] on cpu"（0 维张量）
// 或 "Float [4] on cuda:0"。未定义的张量返回 "undefined"。
std::string describe(const torch::Tensor &t)
{
    // TODO: 先检查 t.defined()，再把 t.scalar_type()、t.sizes()
    //       和 t.device() 写进一个 std::ostringstream。
    (void)t;
    return "";
}

int main()
{
    std::cout << "LibTorch " << libtorch_version() << "\n";
    std::cout << "CPU threads: " << torch::get_num_threads() << "\n";

    const bool cuda = torch::cuda::is_available();
    std::cout << "CUDA available: " << (cuda ? "yes" : "no")
              << ", CUDA devices: " << torch::cuda::device_count() << "\n";
    if (!cuda) {
        std::cout << "No GPU for LibTorch here; everything below runs on the CPU.\n"
                  << "If this machine has an NVIDIA GPU, `torchlab-cli doctor` says why.\n";
    }

    const torch::Device device = pick_device(/*prefer_cuda=*/true);
    std::cout << "Using device: " << device << "\n";

    // 除非另行指定，张量都创建在 CPU 上。
    const torch::Tensor x = torch::rand({2, 3}, device);
    const torch::Tensor gram = torch::matmul(x, x.t());
    std::cout << "x         : " << describe(x) << "\n";
    std::cout << "x x^T     : " << describe(gram) << "\n" << gram << "\n";
    std::cout << "arange(5) : " << describe(torch::arange(5)) << "\n";
    std::cout << "sum       : " << describe(gram.sum()) << "\n";
    std::cout << "undefined : " << describe(torch::Tensor()) << "\n";
    return 0;
}
