// Hidden checks for lesson 18: the learner's functions load the files Python made (embedded in
// fixtures/fixtures.h by fixtures/make_fixtures.py and written out here), and what they save is
// read back the way Python reads it. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/script.h>
#include <torch/torch.h>
#include <torch/version.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include "fixtures/fixtures.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

torch::nn::Sequential make_mlp();
torch::jit::Module load_torchscript(const std::string &path);
torch::Tensor run_torchscript(torch::jit::Module &module, const torch::Tensor &x);
void load_state_dict(torch::nn::Module &module, const std::string &path);
void save_state_dict(const torch::nn::Module &module, const std::string &path);
torch::Tensor run_aoti(const std::string &package_path, const torch::Tensor &x);

namespace {

using lab::checks::attempt;
using lab::checks::flat;
using lab::checks::guarded;
using lab::checks::in_quotes;
using lab::checks::kind;
using lab::checks::sentence;
using lab::checks::shape;
using lab::checks::values;

// A private folder holding the Python-made files, removed at the end.
struct Fixtures
{
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("torchlab-check18-" + std::to_string(::getpid()));
    Fixtures()
    {
        std::filesystem::create_directories(dir);
        for (const fixtures::File &f : fixtures::files) {
            std::ofstream out(dir / f.name, std::ios::binary);
            out.write(f.bytes, std::streamsize(f.size));
            if (!out.flush())
                throw std::runtime_error("cannot write the lesson's file " + path(f.name));
        }
    }
    ~Fixtures()
    {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    std::string path(const std::string &name) const { return (dir / name).string(); }
};

torch::Tensor inputs()
{
    return torch::tensor(
               std::vector<float>(std::begin(fixtures::inputs), std::end(fixtures::inputs)))
        .reshape({fixtures::input_rows, fixtures::input_cols});
}

torch::Tensor expected()
{
    return torch::tensor(
               std::vector<float>(std::begin(fixtures::expected), std::end(fixtures::expected)))
        .reshape({fixtures::input_rows, fixtures::output_cols});
}

bool matches(const torch::Tensor &got, const torch::Tensor &want, double atol = 1e-5)
{
    if (!got.defined() || got.sizes() != want.sizes() || !got.is_floating_point())
        return false;
    return torch::allclose(got.detach().to(torch::kCPU, torch::kFloat), want, 1e-4, atol);
}

std::string outputs_differ(const torch::Tensor &got)
{
    if (!got.defined() || got.sizes() != expected().sizes())
        return "gave " + kind(got) + "; Python's model gives Float " + shape(expected()) +
               " for these inputs.";
    return "gave " + values(got.flatten(), 6) + "; Python's model gives " +
           values(expected().flatten(), 6) + ".";
}

std::map<std::string, torch::Tensor> read_dict(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    const torch::IValue value = torch::pickle_load(bytes);
    if (!value.isGenericDict())
        throw std::runtime_error("it holds a " + std::string(value.tagKind()) + ", not a dict");
    std::map<std::string, torch::Tensor> out;
    for (const auto &item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            throw std::runtime_error("it holds an entry that is not a name and a tensor");
        out[item.key().toStringRef()] = item.value().toTensor();
    }
    return out;
}

std::map<std::string, torch::Tensor> tensors_of(const torch::nn::Module &module)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &p : module.named_parameters())
        out[p.key()] = p.value().detach().clone();
    for (const auto &b : module.named_buffers())
        out[b.key()] = b.value().detach().clone();
    return out;
}

void check_torchscript(const Fixtures &files)
{
    torch::jit::Module module;
    std::string error;
    if (!attempt([&] { module = load_torchscript(files.path("mlp_scripted.pt")); }, error)) {
        const std::string why = "load_torchscript threw: " + sentence(error) +
                                " Load the file with torch::jit::load(path).";
        lab::check("torchscript_loaded", false, why);
        lab::check("torchscript_eval", false, why);
        return;
    }
    torch::Tensor out;
    if (!attempt([&] { out = run_torchscript(module, inputs()); }, error)) {
        const std::string why =
            "run_torchscript threw: " + sentence(error) +
            (error.find("forward") != std::string::npos
                 ? " Is the module load_torchscript returned the one torch::jit::load gave?"
                 : " Pass the input as std::vector<torch::jit::IValue>{x} to module.forward() "
                   "and take .toTensor() of the result.");
        lab::check("torchscript_loaded", false, why);
        lab::check("torchscript_eval", false, why);
        return;
    }

    bool training = false;
    for (const auto &m : module.modules())
        training = training || m.is_training();
    const bool same = matches(out, expected());
    lab::check("torchscript_loaded", same,
               same ? "the TorchScript model gives Python's outputs for the 5 fixed inputs."
                    : "for the 5 fixed inputs the model " + outputs_differ(out) +
                          (training ? " The module is still in training mode, so its BatchNorm "
                                      "normalises with this batch's statistics instead of the "
                                      "running ones: call module.eval() after loading."
                                    : " Return what module.forward(inputs).toTensor() gives."));

    std::string why;
    if (training)
        why = "load_torchscript returns a module in training mode (the file was saved that way, "
              "right after Python's training loop): call module.eval() before returning it.";
    else if (out.requires_grad())
        why = "run_torchscript's output requires grad: forward() recorded an autograd graph that "
              "inference never uses. Put a torch::NoGradGuard (or c10::InferenceMode) in scope "
              "before calling forward().";
    lab::check("torchscript_eval", why.empty(),
               why.empty() ? "the module is in eval mode and forward() records no autograd graph."
                           : why);
}

// Loads the good file into a fresh model; empty on success, else what went wrong.
std::string load_good_file(const Fixtures &files, torch::nn::Sequential &model)
{
    std::string error;
    if (!attempt([&] { load_state_dict(*model, files.path("mlp_state_dict.pt")); }, error))
        return "load_state_dict threw on Python's good state_dict: " + sentence(error) +
               (error.find("leaf Variable") != std::string::npos
                    ? " Parameters require grad, and autograd forbids writing into them in "
                      "place: copy under a torch::NoGradGuard."
                    : "");
    const auto want = read_dict(files.path("mlp_state_dict.pt"));
    const auto got = tensors_of(*model);
    for (const auto &[name, tensor] : want) {
        const auto found = got.find(name);
        if (found == got.end())
            return "the C++ module has no tensor named " + in_quotes(name) +
                   "; make_mlp() must build the same layers as Python's model.";
        if (found->second.sizes() != tensor.sizes() || !torch::equal(found->second, tensor))
            return "after load_state_dict, " + in_quotes(name) + " is " + values(found->second, 4) +
                   ", not Python's " + values(tensor, 4) +
                   ". Copy every entry into the module's tensor of the same name: "
                   "named_parameters() and named_buffers() (BatchNorm's running_mean, "
                   "running_var and num_batches_tracked are buffers).";
    }
    return {};
}

void check_state_dict(const Fixtures &files)
{
    torch::manual_seed(5);
    torch::nn::Sequential model = make_mlp();
    const std::string why = load_good_file(files, model);
    if (!why.empty()) {
        lab::check("state_dict_loaded", false, why);
        return;
    }
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor out = model->forward(inputs());
    const bool same = matches(out, expected());
    lab::check("state_dict_loaded", same,
               same ? "Python's state_dict loaded by name; the C++ module gives Python's outputs."
                    : "every tensor was copied, yet the C++ module " + outputs_differ(out));
}

void check_errors(const Fixtures &files)
{
    struct Bad
    {
        const char *file, *key, *what;
    };
    const Bad bad[] = {
        {"mlp_missing_key.pt", "3.bias", "has no \"3.bias\""},
        {"mlp_wrong_shape.pt", "0.weight", "has \"0.weight\" of shape [16, 5] instead of [16, 4]"},
        {"mlp_unexpected_key.pt", "4.weight", "has an extra key \"4.weight\""},
    };
    for (const Bad &b : bad) {
        torch::manual_seed(6);
        torch::nn::Sequential model = make_mlp();
        const torch::Tensor before = flat(model->parameters());
        const torch::Tensor buffers_before = flat(model->buffers());
        std::string error;
        const bool returned = attempt([&] { load_state_dict(*model, files.path(b.file)); }, error);
        std::string why;
        if (returned)
            why = "load_state_dict accepted " + std::string(b.file) + ", which " + b.what +
                  ". Compare the file's keys and shapes with the module's named_parameters() "
                  "and named_buffers(), and throw (std::runtime_error) when they differ.";
        else if (error.find(b.key) == std::string::npos)
            why = "load_state_dict refused " + std::string(b.file) + " (which " + b.what +
                  ") with " + in_quotes(lab::checks::first_line(error)) + ", which does not name " +
                  in_quotes(b.key) +
                  ". Say which key is missing, unexpected or of the wrong shape.";
        else if (!torch::equal(before, flat(model->parameters())) ||
                 !torch::equal(buffers_before, flat(model->buffers())))
            why = "load_state_dict refused " + std::string(b.file) +
                  " but had already changed the module. Check every key and shape first and "
                  "copy only when all of them fit, so that a bad file changes nothing.";
        if (!why.empty()) {
            lab::check("state_dict_errors", false, why);
            return;
        }
    }
    torch::nn::Sequential model = make_mlp();
    const std::string why = load_good_file(files, model);
    lab::check("state_dict_errors", why.empty(),
               why.empty() ? "a missing key, a wrong shape and an unexpected key are each refused "
                             "with the key's name, and the module is left as it was."
                           : "bad files are refused, but the good one is not loaded: " + why);
}

void check_saved(const Fixtures &files)
{
    torch::manual_seed(9);
    torch::nn::Sequential model = make_mlp();
    {
        // Buffers with values of their own, so that leaving them out shows.
        torch::NoGradGuard no_grad;
        for (auto &b : model->named_buffers())
            b.value().copy_(b.value().numel() > 1
                                ? torch::linspace(0.5, 2.0, b.value().numel()).view_as(b.value())
                                : torch::full_like(b.value(), 7));
    }
    const auto want = tensors_of(*model);
    const std::string path = files.path("saved_from_cpp.pt");
    std::string error;
    if (!attempt([&] { save_state_dict(*model, path); }, error)) {
        lab::check("saved_for_python", false, "save_state_dict threw: " + sentence(error));
        return;
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) {
        lab::check("saved_for_python", false,
                   "save_state_dict wrote nothing at the path it was given. Write the bytes of "
                   "torch::pickle_save(dict) to it with a std::ofstream opened in binary mode.");
        return;
    }
    std::map<std::string, torch::Tensor> got;
    if (!attempt([&] { got = read_dict(path); }, error)) {
        lab::check("saved_for_python", false,
                   "torch::pickle_load (which reads what Python's torch.load reads) cannot read "
                   "the file: " +
                       sentence(error) +
                       " Save a c10::Dict<std::string, torch::Tensor> with torch::pickle_save; "
                       "torch::save(tensor, path) writes a TorchScript archive instead.");
        return;
    }
    std::string why;
    for (const auto &[name, tensor] : want) {
        const auto found = got.find(name);
        if (found == got.end()) {
            why = "the saved dict has no " + in_quotes(name) +
                  (name.find("running") != std::string::npos ||
                           name.find("num_batches") != std::string::npos
                       ? ": save the buffers (named_buffers()) as well as the parameters."
                       : ": save every parameter under its full name (named_parameters()).");
            break;
        }
        if (found->second.sizes() != tensor.sizes() ||
            !torch::equal(found->second.to(torch::kCPU), tensor)) {
            why = "the saved " + in_quotes(name) + " is " + values(found->second, 4) +
                  ", but the module holds " + values(tensor, 4) + ".";
            break;
        }
    }
    if (why.empty())
        for (const auto &item : got)
            if (!want.count(item.first)) {
                why = "the saved dict has a key the module does not: " + in_quotes(item.first) +
                      ". Use the names named_parameters() and named_buffers() give.";
                break;
            }
    lab::check("saved_for_python", why.empty(),
               why.empty() ? "all " + std::to_string(want.size()) +
                                 " parameters and buffers read back by name with their values."
                           : why);
}

void check_aoti()
{
#if TORCHLAB_TORCH_AT_LEAST(2, 6)
    const char *package = std::getenv("TORCHLAB_AOTI_PACKAGE");
    std::error_code ec;
    if (!package || !*package || !std::filesystem::exists(package, ec)) {
        lab::skip("aoti",
                  "no AOTInductor package to run: a package holds machine code for one computer, "
                  "so the lesson cannot ship one. Make it with Python's PyTorch 2.6 or newer "
                  "(python3 fixtures/make_fixtures.py OUT --aoti) and set TORCHLAB_AOTI_PACKAGE "
                  "to OUT/mlp.pt2.");
        return;
    }
    torch::Tensor out;
    std::string error;
    if (!attempt([&] { out = run_aoti(package, inputs()); }, error)) {
        lab::check("aoti", false,
                   "run_aoti threw: " + sentence(error) +
                       " Create a torch::inductor::AOTIModelPackageLoader from the path and call "
                       "its run({x}).");
        return;
    }
    // The package was made by another PyTorch than the shipped outputs: allow for rounding.
    const bool same = matches(out, expected(), 1e-3);
    lab::check("aoti", same,
               same ? "the AOTInductor package gives Python's outputs."
                    : "the AOTInductor package " + outputs_differ(out) +
                          " run() returns a vector of outputs: return its first.");
#else
    lab::skip("aoti", "LibTorch " TORCH_VERSION " has no AOTInductor loader: "
                      "torch::inductor::AOTIModelPackageLoader came with LibTorch 2.6. The "
                      "README shows the code; it is compiled only where it exists.");
#endif
}

} // namespace

int main()
{
    return lab::run([] {
        const Fixtures files;
        guarded("torchscript_loaded", [&] { check_torchscript(files); });
        guarded("state_dict_loaded", [&] { check_state_dict(files); });
        guarded("state_dict_errors", [&] { check_errors(files); });
        guarded("saved_for_python", [&] { check_saved(files); });
        guarded("aoti", [] { check_aoti(); });
    });
}
