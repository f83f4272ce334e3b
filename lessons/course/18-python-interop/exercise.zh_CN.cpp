// 进阶，第 18 课：在 Python 与 C++ 之间传递模型。
// 运行 Python 训练好的 TorchScript 模型，把 Python 的 state_dict 加载进 C++ 模块，保存 Python 的
// torch.load 能读取的权重，并（在 LibTorch 2.6 及更新版本上）运行 AOTInductor 包。
#include <torch/script.h>
#include <torch/torch.h>
#include <torch/version.h>
#include <torchlab/lab.h>

// AOTInductor 的加载器从 LibTorch 2.6 起才有；LibTorch 1.13（Debian 12）没有这个头文件。
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 6)
#define LESSON_HAS_AOTI 1
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>
#else
#define LESSON_HAS_AOTI 0
#endif

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// fixtures/make_fixtures.py 中 Python 模型在 C++ 中的孪生版本（已给出）：相同的层、相同的顺序，
// 因此名字与 Python 的 state_dict 键一致（"0.weight"、"1.running_mean"、"3.bias"）。
torch::nn::Sequential make_mlp()
{
    return torch::nn::Sequential(torch::nn::Linear(4, 16), torch::nn::BatchNorm1d(16),
                                 torch::nn::ReLU(), torch::nn::Linear(16, 3));
}

// 加载一个 TorchScript 文件（Python 中的 torch.jit.script(model).save(path)），并为推理做好准备。
torch::jit::Module load_torchscript(const std::string &path)
{
    torch::jit::Module module = torch::jit::load(path);
    // TODO: training 标志随模块一起保存，而这个文件是在 Python 的训练循环刚结束时保存的。
    //       返回之前，把模块切换到推理行为。
    return module;
}

// 在一个 batch上运行模型的 forward()。不要自动求导的计算图：这是推理。
torch::Tensor run_torchscript(torch::jit::Module &module, const torch::Tensor &x)
{
    // TODO: forward() 以 std::vector<torch::jit::IValue> 接收参数，返回一个 IValue（.toTensor()）。
    //       运行时不要记录自动求导的计算图。
    (void)module;
    return torch::zeros({x.size(0), 3});
}

// 辅助函数（已给出）。
std::vector<char> read_file(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("无法打开 " + path);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string sizes_of(const torch::Tensor &t)
{
    std::ostringstream out;
    out << t.sizes();
    return out.str();
}

// 模块的参数和缓冲区，带完整名字，与 Python 的 state_dict() 中的名字相同。
std::vector<std::pair<std::string, torch::Tensor>> named_tensors(const torch::nn::Module &module)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto &p : module.named_parameters())
        out.emplace_back(p.key(), p.value());
    for (const auto &b : module.named_buffers())
        out.emplace_back(b.key(), b.value());
    return out;
}

// 把 Python 保存的 state_dict（torch.save(dict(model.state_dict()), path)）复制进 `module`，
// 按名字匹配张量。遇到缺少的键、多余的键和形状不一致时，抛出说明每一个问题键名的
// std::runtime_error，并且不改动模块。
void load_state_dict(torch::nn::Module &module, const std::string &path)
{
    // TODO: torch::pickle_load(read_file(path)) 给出一个 IValue；.toGenericDict() 给出它的条目。
    //       先对照 named_tensors(module) 检查每个名字和形状（缺少、多余、形状不对：抛出说明键名的
    //       std::runtime_error），然后在 torch::NoGradGuard 下用 copy_() 把值复制进模块的张量。
    (void)module, (void)path;
}

// 把模块的参数和缓冲区 保存为一个由 CPU 张量组成的字典，Python 的 torch.load 能读取它
// （model.load_state_dict 也能接受它）。
void save_state_dict(const torch::nn::Module &module, const std::string &path)
{
    // TODO: 把每个带名字的张量（detach 后放到 CPU 上）放进一个
    //       c10::Dict<std::string, torch::Tensor>，再把 torch::pickle_save(dict) 的字节写入
    //       `path`（以二进制模式打开的 std::ofstream）。
    (void)module, (void)path;
}

// 在一个 batch上运行 AOTInductor 包（Python 中由 torch._inductor.aoti_compile_and_package 生成）。
torch::Tensor run_aoti(const std::string &package_path, const torch::Tensor &x)
{
#if LESSON_HAS_AOTI
    // TODO（LibTorch 2.6 及更新版本）：用这个路径创建一个 torch::inductor::AOTIModelPackageLoader；
    //      它的 run({x}) 返回由输出张量组成的 std::vector。
    (void)package_path, (void)x;
    throw std::runtime_error("run_aoti 还没有写");
#else
    (void)package_path, (void)x;
    throw std::runtime_error("AOTInductor 包需要 LibTorch 2.6 或更新版本；当前是 LibTorch " +
                             std::string(TORCH_VERSION));
#endif
}

int main()
{
    return lab::run([] {
        namespace fs = std::filesystem;
        const torch::Tensor x = torch::linspace(-1, 1, 20).reshape({5, 4});
        std::cout << "读写文件的文件夹：" << fs::current_path().string() << "\n";

        if (fs::exists("mlp_scripted.pt")) {
            torch::jit::Module module = load_torchscript("mlp_scripted.pt");
            std::cout << "来自 Python 的 TorchScript 模型，对 linspace(-1, 1, 20) 的输出：\n"
                      << run_torchscript(module, x) << "\n";
        } else {
            std::cout << "这里没有 mlp_scripted.pt。把本课 fixtures/*.pt 文件复制到"
                         "这个文件夹（或生成它们：python3 make_fixtures.py .）；检查时会自带"
                         "一份副本。\n";
        }

        torch::nn::Sequential model = make_mlp();
        if (fs::exists("mlp_state_dict.pt")) {
            load_state_dict(*model, "mlp_state_dict.pt");
            std::cout << "已把 Python 的 state_dict 加载进 C++ 模块。\n";
            try {
                load_state_dict(*model, "mlp_missing_key.pt");
            } catch (const std::exception &e) {
                std::cout << "坏文件被拒绝：" << e.what() << "\n";
            }
        }
        model->eval();
        {
            torch::NoGradGuard no_grad;
            std::cout << "C++ 模块，相同的输入：\n" << model->forward(x) << "\n";
        }

        save_state_dict(*model, "mlp_from_cpp.pt");
        std::cout << "已写出 mlp_from_cpp.pt。在 Python 中："
                     "model.load_state_dict(torch.load(\"mlp_from_cpp.pt\"))\n";

        if (!LESSON_HAS_AOTI) {
            std::cout << "LibTorch " << TORCH_VERSION
                      << " 没有 AOTInductor 加载器（2.6 及更新版本才有）。\n";
        } else if (fs::exists("mlp.pt2")) {
            std::cout << "AOTInductor 包，相同的输入：\n" << run_aoti("mlp.pt2", x) << "\n";
        } else {
            std::cout << "这里没有 mlp.pt2：python3 make_fixtures.py . --aoti 可以生成它。\n";
        }
    });
}
