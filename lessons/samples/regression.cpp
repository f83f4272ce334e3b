// A standalone LibTorch program of the kind LibTorch tutorials start with:
// fit a small network to a noisy line and print the loss. It has its own
// main() and its own prints; `torchlab-cli run regression.cpp` compiles and
// runs it as it is.
#include <torch/torch.h>

#include <iomanip>
#include <iostream>

struct Regressor : torch::nn::Module
{
    Regressor()
    {
        hidden = register_module("hidden", torch::nn::Linear(1, 16));
        out = register_module("out", torch::nn::Linear(16, 1));
    }
    torch::Tensor forward(const torch::Tensor &x) { return out(torch::tanh(hidden(x))); }

    torch::nn::Linear hidden{nullptr}, out{nullptr};
};

int main()
{
    torch::manual_seed(42);
    const torch::Device device =
        torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    std::cout << "LibTorch " << TORCH_VERSION << " on " << device << "\n";

    // y = 3x - 1 plus noise
    const auto x = torch::linspace(-1, 1, 256, torch::kFloat).unsqueeze(1).to(device);
    const auto y = 3 * x - 1 + 0.1 * torch::randn_like(x);

    Regressor model;
    model.to(device);
    torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(0.05));

    for (int step = 1; step <= 200; ++step) {
        optimizer.zero_grad();
        auto loss = torch::mse_loss(model.forward(x), y);
        loss.backward();
        optimizer.step();
        if (step % 20 == 0)
            std::cout << "step " << std::setw(3) << step << "  loss " << std::fixed
                      << std::setprecision(5) << loss.item<double>() << std::endl;
    }
    torch::NoGradGuard noGrad;
    const auto pred = model.forward(torch::tensor({{0.5f}}).to(device)).item<float>();
    std::cout << "f(0.5) = " << pred << " (expected about 0.5)\n";
    return 0;
}
