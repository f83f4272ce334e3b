// The benchmarks' step-time program: a small MLP trained on random data,
// reporting its loss every step through lab.h (as lessons do), timed by
// itself after a warm-up so that start-up and exit are not in the figure.
// Prints "step_ms <ms>".
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <chrono>
#include <iostream>

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        torch::nn::Sequential model(torch::nn::Linear(784, 256), torch::nn::ReLU(),
                                    torch::nn::Linear(256, 256), torch::nn::ReLU(),
                                    torch::nn::Linear(256, 10));
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
        const torch::Tensor x = torch::randn({128, 784});
        const torch::Tensor y = torch::randint(0, 10, {128}, torch::kLong);
        int64_t n = 0;
        const auto step = [&] {
            optimizer.zero_grad();
            const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
            loss.backward();
            optimizer.step();
            lab::loss(++n, loss.item<double>());
        };
        for (int i = 0; i < 10; ++i)
            step();
        constexpr int steps = 100;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < steps; ++i)
            step();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count() /
            steps;
        std::cout << "step_ms " << ms << "\n";
    });
}
