// Day 2, lesson 6: your first torch::nn::Module.
// Build the 784-128-10 network of the lesson, then count its parameters.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <memory>

// A two-layer perceptron for 28x28 images: flatten, Linear(in, hidden), ReLU, Linear(hidden, out).
struct SimpleNetImpl : torch::nn::Module
{
    SimpleNetImpl(int64_t in, int64_t hidden, int64_t out)
    {
        // register_module makes the layers (and so their weights and biases) part of this module:
        // parameters(), named_parameters(), to(device) and save() all walk registered children
        // only.
        fc1 = register_module("fc1", torch::nn::Linear(in, hidden));
        fc2 = register_module("fc2", torch::nn::Linear(hidden, out));
    }

    torch::Tensor forward(torch::Tensor x)
    {
        x = x.flatten(1); // [N, 1, 28, 28] -> [N, 784]; [N, 784] stays as it is
        x = torch::relu(fc1(x));
        return fc2(x);
    }

    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
// Defines SimpleNet, a holder (a shared_ptr with ->) around SimpleNetImpl.
TORCH_MODULE(SimpleNet);

// The number of scalar values in all parameters of the module (weights and biases of every layer).
int64_t count_parameters(torch::nn::Module &module)
{
    int64_t total = 0;
    for (const auto &p : module.parameters())
        total += p.numel();
    return total;
}

// The hidden checks cannot see your class, only these two functions. Keep them as they are.
std::shared_ptr<torch::nn::Module> make_simple_net(int64_t in, int64_t hidden, int64_t out)
{
    return SimpleNet(in, hidden, out).ptr();
}

torch::Tensor simple_net_forward(const std::shared_ptr<torch::nn::Module> &net,
                                 const torch::Tensor &x)
{
    return std::dynamic_pointer_cast<SimpleNetImpl>(net)->forward(x);
}

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        SimpleNet net(784, 128, 10);
        net->to(lab::device());

        for (const auto &item : net->named_parameters())
            std::cout << item.key() << "  " << item.value().sizes() << "\n";
        std::cout << "parameters: " << count_parameters(*net) << " (expected 101770)\n";

        const auto images = torch::rand({32, 1, 28, 28}, lab::device());
        const auto logits = net->forward(images);
        if (!logits.defined()) {
            std::cout << "forward() returned no tensor yet: fill in the TODOs\n";
            return;
        }
        std::cout << "output shape: " << logits.sizes() << " on " << logits.device() << "\n";
    });
}
