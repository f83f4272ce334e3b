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
    // The training flag is saved with the module: a model scripted right after its training loop
    // comes back in training mode, where BatchNorm uses the batch's statistics and Dropout drops.
    module.eval();
    return module;
}

// Runs the model's forward() on one batch. No autograd graph: this is inference.
torch::Tensor run_torchscript(torch::jit::Module &module, const torch::Tensor &x)
{
    torch::NoGradGuard no_grad;
    std::vector<torch::jit::IValue> inputs{x};
    return module.forward(inputs).toTensor();
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
    const torch::IValue value = torch::pickle_load(read_file(path));
    if (!value.isGenericDict())
        throw std::runtime_error(path + " holds a " + value.tagKind() +
                                 ", not a dict: save dict(model.state_dict()) in Python");
    std::map<std::string, torch::Tensor> saved;
    for (const auto &item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            throw std::runtime_error(path + ": every entry must map a name to a tensor");
        saved[item.key().toStringRef()] = item.value().toTensor();
    }

    // Check everything before copying anything, so that a bad file changes nothing.
    const auto targets = named_tensors(module);
    std::vector<std::string> problems;
    for (const auto &[name, tensor] : targets) {
        const auto found = saved.find(name);
        if (found == saved.end())
            problems.push_back("missing key \"" + name + "\"");
        else if (found->second.sizes() != tensor.sizes())
            problems.push_back("\"" + name + "\" is " + sizes_of(found->second) +
                               " in the file but " + sizes_of(tensor) + " in the module");
    }
    for (const auto &[name, tensor] : saved) {
        const bool known = std::any_of(targets.begin(), targets.end(),
                                       [&name = name](const auto &t) { return t.first == name; });
        if (!known)
            problems.push_back("unexpected key \"" + name + "\"");
    }
    if (!problems.empty()) {
        std::string message = path + " does not fit the module: ";
        for (size_t i = 0; i < problems.size(); ++i)
            message += (i ? "; " : "") + problems[i];
        throw std::runtime_error(message);
    }

    // Parameters require grad: an in-place copy into them is allowed only outside autograd.
    torch::NoGradGuard no_grad;
    for (const auto &[name, tensor] : targets) {
        torch::Tensor target = tensor;
        target.copy_(saved.at(name));
    }
}

// Saves the module's parameters and buffers as a dict of CPU tensors that Python's torch.load
// reads (and model.load_state_dict accepts).
void save_state_dict(const torch::nn::Module &module, const std::string &path)
{
    c10::Dict<std::string, torch::Tensor> dict;
    for (const auto &[name, tensor] : named_tensors(module))
        dict.insert(name, tensor.detach().to(torch::kCPU));
    const std::vector<char> bytes = torch::pickle_save(dict);
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out.flush())
        throw std::runtime_error("cannot write " + path);
}

// Runs an AOTInductor package (torch._inductor.aoti_compile_and_package in Python) on one batch.
torch::Tensor run_aoti(const std::string &package_path, const torch::Tensor &x)
{
#if LESSON_HAS_AOTI
    torch::inductor::AOTIModelPackageLoader loader(package_path);
    torch::NoGradGuard no_grad;
    const std::vector<torch::Tensor> outputs = loader.run({x});
    return outputs.at(0);
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
