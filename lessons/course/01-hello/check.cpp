// Hidden checks for lesson 1. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <functional>
#include <iostream>
#include <sstream>
#include <string>

std::string libtorch_version();
torch::Device pick_device(bool prefer_cuda);
std::string describe(const torch::Tensor &t);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::in_quotes;

void check_version()
{
    std::string got, error;
    if (!attempt([&] { got = libtorch_version(); }, error)) {
        lab::check("version", false, "libtorch_version() threw: " + error);
        return;
    }
    const std::string want = TORCH_VERSION;
    lab::check("version", got == want,
               got == want ? "libtorch_version() returns " + in_quotes(want) + "."
                           : "libtorch_version() returned " + in_quotes(got) + ", expected " +
                                 in_quotes(want) + ": return the TORCH_VERSION macro.");
}

void check_pick_device()
{
    std::string error;
    torch::Device cpu(torch::kCPU), preferred(torch::kCPU);
    if (!attempt([&] { cpu = pick_device(false); }, error)) {
        lab::check("pick_cpu", false, "pick_device(false) threw: " + error);
    } else {
        std::ostringstream got;
        got << cpu;
        lab::check("pick_cpu", cpu.is_cpu(),
                   cpu.is_cpu() ? "pick_device(false) returns the CPU."
                                : "pick_device(false) returned " + got.str() +
                                      "; without prefer_cuda it must return the CPU.");
    }

    const bool cuda = torch::cuda::is_available();
    if (!attempt([&] { preferred = pick_device(true); }, error)) {
        lab::check("pick_cuda", false, "pick_device(true) threw: " + error);
        return;
    }
    std::ostringstream got;
    got << preferred;
    if (cuda) {
        lab::check("pick_cuda", preferred.is_cuda(),
                   preferred.is_cuda()
                       ? "pick_device(true) returns " + got.str() + " on this GPU machine."
                       : "pick_device(true) returned " + got.str() +
                             " although torch::cuda::is_available() is true here; return "
                             "torch::Device(torch::kCUDA, 0) in that case.");
    } else {
        // The fallback is all a CPU machine can show, and returning the CPU
        // unconditionally shows it too: choosing cuda:0 needs a GPU to check.
        if (preferred.is_cpu())
            lab::skip("pick_cuda",
                      "No GPU here: pick_device(true) returned the CPU, the right fallback; "
                      "whether it picks cuda:0 when torch::cuda::is_available() is true can "
                      "only be checked on a GPU machine.");
        else
            lab::check("pick_cuda", false,
                       "pick_device(true) returned " + got.str() +
                           " but torch::cuda::is_available() is false here: any tensor "
                           "created there would throw. Ask is_available() first.");
    }
}

struct DescribeCase
{
    std::string what;
    std::function<torch::Tensor()> make;
    std::string want;
};

// Compares describe() with the expected text for each case; reports the first mismatch.
void check_describe(const std::string &name, const std::vector<DescribeCase> &cases,
                    const std::string &hint)
{
    for (const auto &c : cases) {
        std::string got, error;
        const torch::Tensor t = c.make();
        if (!attempt([&] { got = describe(t); }, error)) {
            lab::check(name, false, "describe(" + c.what + ") threw: " + error + " " + hint);
            return;
        }
        if (got != c.want) {
            lab::check(name, false,
                       "describe(" + c.what + ") returned " + in_quotes(got) + ", expected " +
                           in_quotes(c.want) + ". " + hint);
            return;
        }
    }
    lab::check(name, true,
               "describe() gives the expected text for every tensor tried (" +
                   std::to_string(cases.size()) + ").");
}

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        if (!attempt([] { torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);

        check_version();
        check_pick_device();
        check_describe("describe_float",
                       {{"torch::zeros({2, 3})",
                         [] {
                             return torch::zeros({2, 3});
                         },
                         "Float [2, 3] on cpu"},
                        {"torch::rand({4})", [] { return torch::rand({4}); }, "Float [4] on cpu"}},
                       "Write t.scalar_type(), then t.sizes(), then \" on \" and t.device().");
        check_describe(
            "describe_dtypes",
            {{"torch::arange(5)", [] { return torch::arange(5); }, "Long [5] on cpu"},
             {"torch::ones({2, 1, 4}, torch::kBool)",
              [] {
                  return torch::ones({2, 1, 4}, torch::kBool);
              },
              "Bool [2, 1, 4] on cpu"},
             {"torch::zeros({3, 2}, torch::kInt)",
              [] {
                  return torch::zeros({3, 2}, torch::kInt);
              },
              "Int [3, 2] on cpu"},
             {"torch::tensor(2.5, torch::kDouble)",
              [] { return torch::tensor(2.5, torch::kDouble); }, "Double [] on cpu"}},
            "Print t.scalar_type() (Long, Bool, ...), not t.dtype() (which prints C++ type "
            "names such as \"long int\"); a 0-dim tensor has sizes [].");
        check_describe("describe_undefined",
                       {{"torch::Tensor()", [] { return torch::Tensor(); }, "undefined"}},
                       "Test t.defined() before asking an undefined tensor anything.");
    });
}
