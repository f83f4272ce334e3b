// Hidden checks for lesson 6. They build your network through make_simple_net() and inspect it.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

int64_t count_parameters(torch::nn::Module &module);
std::shared_ptr<torch::nn::Module> make_simple_net(int64_t in, int64_t hidden, int64_t out);
torch::Tensor simple_net_forward(const std::shared_ptr<torch::nn::Module> &net,
                                 const torch::Tensor &x);
int torchlab_learner_main();

namespace {

using lab::checks::guarded;
using lab::checks::shape;

std::string names(const std::shared_ptr<torch::nn::Module> &net)
{
    std::string out;
    for (const auto &item : net->named_parameters())
        out += (out.empty() ? "" : ", ") + item.key();
    return out.empty() ? "none" : out;
}

// Checks that the net has exactly fc1/fc2 weights and biases of the sizes Linear(in, hidden),
// Linear(hidden, out) give.
bool has_layout(const std::shared_ptr<torch::nn::Module> &net, int64_t in, int64_t hidden,
                int64_t out, std::string &why)
{
    const auto params = net->named_parameters();
    const std::vector<std::pair<std::string, std::vector<int64_t>>> expected = {
        {"fc1.weight", {hidden, in}},
        {"fc1.bias", {hidden}},
        {"fc2.weight", {out, hidden}},
        {"fc2.bias", {out}}};
    if (params.size() != expected.size()) {
        why = "expected 4 parameters (fc1.weight, fc1.bias, fc2.weight, fc2.bias), found " +
              names(net) + ".";
        return false;
    }
    for (const auto &[name, sizes] : expected) {
        const auto *p = params.find(name);
        if (!p) {
            why = "no parameter named " + name + " (found " + names(net) +
                  "): register the layers as \"fc1\" and \"fc2\".";
            return false;
        }
        if (p->sizes().vec() != sizes) {
            std::ostringstream s;
            s << name << " has shape " << p->sizes() << ", expected " << c10::IntArrayRef(sizes)
              << " for Linear(" << in << ", " << hidden << ") then Linear(" << hidden << ", " << out
              << "). torch::nn::Linear(a, b) has a weight of shape [b, a].";
            why = s.str();
            return false;
        }
    }
    return true;
}

} // namespace

int main()
{
    return lab::run([] {
        guarded("main", [] { torchlab_learner_main(); });
        torch::manual_seed(1);

        guarded("registered", [] {
            const auto net = make_simple_net(784, 128, 10);
            const auto params = net->named_parameters();
            std::string missing;
            for (const char *layer : {"fc1", "fc2"})
                if (!params.find(std::string(layer) + ".weight"))
                    missing += std::string(missing.empty() ? "" : " and ") + layer;
            lab::check("registered", missing.empty(),
                       missing.empty() ? "the layers are registered"
                                       : "named_parameters() has nothing from " + missing +
                                             " (it lists: " + names(net) +
                                             "). Create each layer with fc1 = "
                                             "register_module(\"fc1\", torch::nn::Linear(in, "
                                             "hidden)); a layer kept only in a member variable is "
                                             "invisible to parameters(), "
                                             "to the optimizer and to to(device).");
        });

        guarded("shapes", [] {
            std::string why;
            bool ok = has_layout(make_simple_net(784, 128, 10), 784, 128, 10, why);
            if (ok)
                ok = has_layout(make_simple_net(20, 7, 3), 20, 7, 3, why);
            lab::check("shapes", ok, ok ? "fc1 and fc2 have the right shapes" : why);
        });

        guarded("count_parameters", [] {
            torch::nn::Linear a(5, 2);
            torch::nn::Linear b(torch::nn::LinearOptions(5, 2).bias(false));
            torch::nn::Sequential c(torch::nn::Linear(3, 4), torch::nn::ReLU(),
                                    torch::nn::Linear(4, 2));
            const int64_t na = count_parameters(*a), nb = count_parameters(*b),
                          nc = count_parameters(*c);
            std::string why;
            if (na != 12)
                why = "count_parameters(Linear(5, 2)) returned " + std::to_string(na) +
                      ", expected 12 (a 2x5 weight plus 2 biases): add up p.numel() over "
                      "module.parameters().";
            else if (nb != 10)
                why = "count_parameters(Linear(5, 2) without bias) returned " + std::to_string(nb) +
                      ", expected 10.";
            else if (nc != 26)
                why = "count_parameters(Sequential(Linear(3, 4), ReLU, Linear(4, 2))) returned " +
                      std::to_string(nc) +
                      ", expected 26: parameters() already walks all submodules (recurse = true), "
                      "so count each "
                      "tensor once.";
            lab::check("count_parameters", why.empty(), why.empty() ? "counts match" : why);
        });

        guarded("net_parameters", [] {
            const int64_t big = count_parameters(*make_simple_net(784, 128, 10));
            const int64_t small = count_parameters(*make_simple_net(20, 7, 3));
            std::string why;
            if (big != 101770)
                why = "your 784-128-10 net has " + std::to_string(big) +
                      " parameters, expected 101770 = 784*128 + 128 + 128*10 + 10." +
                      (big == 0 ? " Zero usually means the layers are not registered." : "");
            else if (small != 171)
                why = "your 20-7-3 net has " + std::to_string(small) +
                      " parameters, expected 171: use the in, hidden and out arguments, not fixed "
                      "sizes.";
            lab::check("net_parameters", why.empty(), why.empty() ? "101770 parameters" : why);
        });

        guarded("forward_shape", [] {
            const auto net = make_simple_net(784, 128, 10);
            const auto images = simple_net_forward(net, torch::rand({32, 1, 28, 28}));
            std::string why;
            if (!images.defined() || images.sizes() != torch::IntArrayRef({32, 10}))
                why = "forward() on a [32, 1, 28, 28] batch returned " + shape(images) +
                      ", expected [32, 10]. Flatten the images with x.flatten(1) before fc1.";
            else {
                const auto flat = simple_net_forward(net, torch::rand({5, 784}));
                if (!flat.defined() || flat.sizes() != torch::IntArrayRef({5, 10}))
                    why = "forward() on a [5, 784] batch returned " + shape(flat) +
                          ", expected [5, 10]. flatten(1) keeps the batch dimension; do not "
                          "hard-code 32.";
            }
            lab::check("forward_shape", why.empty(), why.empty() ? "output is [N, 10]" : why);
        });

        guarded("forward_values", [] {
            const auto net = make_simple_net(784, 128, 10);
            const auto x = torch::randn({4, 784});
            const auto y = simple_net_forward(net, x);
            const auto p = net->named_parameters();
            bool ok = false;
            std::string why = "forward() does not return a [4, 10] tensor yet.";
            if (y.defined() && y.sizes() == torch::IntArrayRef({4, 10}) &&
                (!p.find("fc1.weight") || !p.find("fc2.weight")))
                why = "cannot compare forward() with fc2(relu(fc1(x))): fc1.weight and fc2.weight "
                      "are not registered.";
            else if (y.defined() && y.sizes() == torch::IntArrayRef({4, 10})) {
                torch::NoGradGuard no_grad;
                const auto h = torch::relu(torch::addmm(p["fc1.bias"], x, p["fc1.weight"].t()));
                const auto expected = torch::addmm(p["fc2.bias"], h, p["fc2.weight"].t());
                ok = torch::allclose(y.detach().cpu(), expected, 1e-4, 1e-5);
                why = "forward() does not compute fc2(relu(fc1(x))): check the order of the layers "
                      "and that "
                      "the ReLU sits between them (torch::relu(fc1(x))).";
            }
            lab::check("forward_values", ok, ok ? "forward computes fc2(relu(fc1(x)))" : why);
        });
    });
}
