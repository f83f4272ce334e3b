// Day 2, lesson 10: gradient accumulation.
// Get the gradients of a big batch by running it in small pieces, so that it fits in memory.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iomanip>
#include <iostream>
#include <vector>

torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// Leaves in every parameter's .grad() the gradient of the mean cross-entropy over the whole batch
// (x, y), computed in `micro_batches` pieces (x.chunk(micro_batches)), starting from zero
// gradients. Returns the mean loss over the whole batch.
double accumulate_gradients(torch::nn::Sequential &model, const torch::Tensor &x,
                            const torch::Tensor &y, int64_t micro_batches)
{
    model->zero_grad();
    const auto xs = x.chunk(micro_batches), ys = y.chunk(micro_batches);
    const double n = double(x.size(0));
    double total = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        // cross_entropy averages over the micro-batch; weighting by its share of the batch (1/K
        // when the pieces are equal) makes the sum of the pieces the average over the whole batch.
        const double share = double(xs[i].size(0)) / n;
        const torch::Tensor loss =
            torch::nn::functional::cross_entropy(model->forward(xs[i]), ys[i]) * share;
        loss.backward(); // adds to .grad(); the micro-batch's graph and activations are freed here
        total += loss.item<double>();
    }
    return total;
}

// One optimisation step on the whole batch with accumulated gradients. Returns the batch's mean
// loss.
double accumulated_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                        const torch::Tensor &x, const torch::Tensor &y, int64_t micro_batches)
{
    optimizer.zero_grad();
    const double loss = accumulate_gradients(model, x, y, micro_batches);
    optimizer.step();
    return loss;
}

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        // A learnable synthetic task: labels come from a fixed random "teacher" layer.
        const auto teacher = torch::randn({784, 10}, device);
        const auto x = torch::randn({2048, 784}, device);
        const auto y = x.matmul(teacher).argmax(1);

        auto model = make_model();
        model->to(device);

        // 1. The same gradients, in one piece and in 8.
        const auto batch_x = x.slice(0, 0, 256), batch_y = y.slice(0, 0, 256);
        model->zero_grad();
        torch::nn::functional::cross_entropy(model->forward(batch_x), batch_y).backward();
        std::vector<torch::Tensor> full;
        for (const auto &p : model->parameters())
            full.push_back(p.grad().defined() ? p.grad().clone() : torch::Tensor());
        accumulate_gradients(model, batch_x, batch_y, 8);
        double worst = 0;
        const auto params = model->parameters();
        for (size_t i = 0; i < params.size(); ++i) {
            if (!full[i].defined() || !params[i].grad().defined()) {
                std::cout << "no gradient for parameter " << i << " yet: fill in the TODOs\n";
                return;
            }
            worst = std::max(worst, (params[i].grad() - full[i]).abs().max().item<double>());
        }
        std::cout << "largest difference between 1 x 256 and 8 x 32 gradients: " << std::scientific
                  << worst << "\n";

        // 2. Training with an effective batch of 256 in micro-batches of 32.
        torch::optim::SGD optimizer(model->parameters(),
                                    torch::optim::SGDOptions(0.05).momentum(0.9));
        const int64_t steps = lab::quick() ? 30 : 100;
        for (int64_t step = 0; step < steps; ++step) {
            const int64_t start = (step * 256) % 2048;
            const double loss = accumulated_step(model, optimizer, x.slice(0, start, start + 256),
                                                 y.slice(0, start, start + 256), 8);
            lab::loss(step, loss);
            lab::memory(step);
        }
        std::cout << "trained " << steps << " steps of 8 micro-batches\n";
    });
}
