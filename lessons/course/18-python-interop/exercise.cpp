// Going further, lesson 18: models between Python and C++.
// Run a TorchScript model that Python trained, load a Python state_dict into a C++ module, save
// weights that Python's torch.load reads, and (LibTorch 2.6 and newer) run an AOTInductor package.
#include <torch/script.h>
#include <torch/torch.h>
#include <torch/version.h>
#include <torchlab/lab.h>

// AOTInductor's loader exists from LibTorch 2.6 on; LibTorch 1.13 (Debian 12) has no such header.
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

// The C++ twin of the Python model in fixtures/make_fixtures.py (given): the same layers in the
// same order, so the names match Python's state_dict keys ("0.weight", "1.running_mean", "3.bias").
torch::nn::Sequential make_mlp()
{
    return torch::nn::Sequential(torch::nn::Linear(4, 16), torch::nn::BatchNorm1d(16),
                                 torch::nn::ReLU(), torch::nn::Linear(16, 3));
}

// Loads a TorchScript file (torch.jit.script(model).save(path) in Python) ready for inference.
torch::jit::Module load_torchscript(const std::string &path)
{
    torch::jit::Module module = torch::jit::load(path);
    // TODO: the training flag is saved with the module, and this file was saved right after
    //       Python's training loop. Switch the module to inference behaviour before returning it.
    return module;
}

// Runs the model's forward() on one batch. No autograd graph: this is inference.
torch::Tensor run_torchscript(torch::jit::Module &module, const torch::Tensor &x)
{
    // TODO: forward() takes its arguments as a std::vector<torch::jit::IValue> and returns one
    //       IValue (.toTensor()). Record no autograd graph while it runs.
    (void)module;
    return torch::zeros({x.size(0), 3});
}

// Helpers (given).
std::vector<char> read_file(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string sizes_of(const torch::Tensor &t)
{
    std::ostringstream out;
    out << t.sizes();
    return out.str();
}

// The module's parameters and buffers by their full names, as Python's state_dict() names them.
std::vector<std::pair<std::string, torch::Tensor>> named_tensors(const torch::nn::Module &module)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto &p : module.named_parameters())
        out.emplace_back(p.key(), p.value());
    for (const auto &b : module.named_buffers())
        out.emplace_back(b.key(), b.value());
    return out;
}

// Copies a state_dict that Python saved (torch.save(dict(model.state_dict()), path)) into
// `module`, matching tensors by name. Throws std::runtime_error naming every missing key,
// unexpected key and shape mismatch, and then leaves the module as it was.
void load_state_dict(torch::nn::Module &module, const std::string &path)
{
    // TODO: torch::pickle_load(read_file(path)) gives an IValue; .toGenericDict() its entries.
    //       Check every name and shape against named_tensors(module) first (missing, unexpected,
    //       wrong shape: throw std::runtime_error naming the key), then copy the values into the
    //       module's tensors with copy_(), under a torch::NoGradGuard.
    (void)module, (void)path;
}

// Saves the module's parameters and buffers as a dict of CPU tensors that Python's torch.load
// reads (and model.load_state_dict accepts).
void save_state_dict(const torch::nn::Module &module, const std::string &path)
{
    // TODO: put every named tensor (detached, on the CPU) into a c10::Dict<std::string,
    //       torch::Tensor>, and write the bytes of torch::pickle_save(dict) to `path`
    //       (std::ofstream in binary mode).
    (void)module, (void)path;
}

// Runs an AOTInductor package (torch._inductor.aoti_compile_and_package in Python) on one batch.
torch::Tensor run_aoti(const std::string &package_path, const torch::Tensor &x)
{
#if LESSON_HAS_AOTI
    // TODO (LibTorch 2.6 and newer): a torch::inductor::AOTIModelPackageLoader made from the path;
    //      its run({x}) returns a std::vector of output tensors.
    (void)package_path, (void)x;
    throw std::runtime_error("run_aoti is not written yet");
#else
    (void)package_path, (void)x;
    throw std::runtime_error("AOTInductor packages need LibTorch 2.6 or newer; this is LibTorch " +
                             std::string(TORCH_VERSION));
#endif
}

int main()
{
    return lab::run([] {
        namespace fs = std::filesystem;
        const torch::Tensor x = torch::linspace(-1, 1, 20).reshape({5, 4});
        std::cout << "Files are read from and written to " << fs::current_path().string() << "\n";

        if (fs::exists("mlp_scripted.pt")) {
            torch::jit::Module module = load_torchscript("mlp_scripted.pt");
            std::cout << "TorchScript model from Python, outputs for linspace(-1, 1, 20):\n"
                      << run_torchscript(module, x) << "\n";
        } else {
            std::cout << "mlp_scripted.pt is not here. Copy the lesson's fixtures/*.pt files into "
                         "this folder (or make them: python3 make_fixtures.py .); Check brings "
                         "its own copies.\n";
        }

        torch::nn::Sequential model = make_mlp();
        if (fs::exists("mlp_state_dict.pt")) {
            load_state_dict(*model, "mlp_state_dict.pt");
            std::cout << "Loaded Python's state_dict into the C++ module.\n";
            try {
                load_state_dict(*model, "mlp_missing_key.pt");
            } catch (const std::exception &e) {
                std::cout << "A bad file is refused: " << e.what() << "\n";
            }
        }
        model->eval();
        {
            torch::NoGradGuard no_grad;
            std::cout << "C++ module, same inputs:\n" << model->forward(x) << "\n";
        }

        save_state_dict(*model, "mlp_from_cpp.pt");
        std::cout << "Wrote mlp_from_cpp.pt. In Python: "
                     "model.load_state_dict(torch.load(\"mlp_from_cpp.pt\"))\n";

        if (!LESSON_HAS_AOTI) {
            std::cout << "LibTorch " << TORCH_VERSION
                      << " has no AOTInductor loader (2.6 and newer have one).\n";
        } else if (fs::exists("mlp.pt2")) {
            std::cout << "AOTInductor package, same inputs:\n" << run_aoti("mlp.pt2", x) << "\n";
        } else {
            std::cout << "mlp.pt2 is not here: python3 make_fixtures.py . --aoti makes it.\n";
        }
    });
}
