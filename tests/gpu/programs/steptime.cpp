// GPU check, item 7 (step time): one small MLP training step, timed after a
// warm-up, with a device synchronise before reading the clock. The same work
// as steptime.py. Prints "step_ms <ms>" and reports it as a metric.
#include <torch/torch.h>

#include <torchlab/lab.h>

#include <chrono>
#include <iostream>

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        torch::nn::Sequential model(torch::nn::Linear(784, 1024), torch::nn::ReLU(),
                                    torch::nn::Linear(1024, 1024), torch::nn::ReLU(),
                                    torch::nn::Linear(1024, 10));
        model->to(device);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
        const torch::Tensor x = torch::randn({512, 784}, device);
        const torch::Tensor y =
            torch::randint(0, 10, {512}, torch::TensorOptions().dtype(torch::kLong).device(device));
        const auto step = [&] {
            optimizer.zero_grad();
            const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
            loss.backward();
            optimizer.step();
        };
        const auto sync = [&] {
            if (device.is_cuda())
                torch::cuda::synchronize();
        };
        const int steps = device.is_cuda() ? 500 : 20;
        for (int i = 0; i < 20; ++i)
            step();
        sync();
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < steps; ++i)
            step();
        sync();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count() /
            steps;
        lab::metric("step_ms", steps, ms);
        std::cout << "step_ms " << ms << " on " << device << "\n";
    });
}
