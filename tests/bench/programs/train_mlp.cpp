// The benchmark's "~100-line LibTorch training program": a small MLP trained
// on a synthetic two-spiral classification problem, reporting loss and
// accuracy through lab.h. No data set needed, deterministic for a seed.
// BENCH_EDIT_MARKER is the line the benchmark edits between warm runs.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

namespace {

constexpr double kPi = 3.14159265358979323846;

// Two interleaved spirals, one per class, with a little noise.
std::pair<torch::Tensor, torch::Tensor> makeSpirals(int64_t perClass, double noise)
{
    auto t = torch::linspace(0.25, 3.0 * kPi, perClass, torch::kFloat);
    auto r = t / (3.0 * kPi);
    auto a = torch::stack({r * torch::cos(t), r * torch::sin(t)}, 1);
    auto b = -a;
    auto x = torch::cat({a, b}, 0);
    x = x + noise * torch::randn_like(x);
    auto y =
        torch::cat({torch::zeros({perClass}, torch::kLong), torch::ones({perClass}, torch::kLong)});
    return {x, y};
}

struct MlpImpl : torch::nn::Module
{
    MlpImpl(int64_t hidden)
        : fc1(register_module("fc1", torch::nn::Linear(2, hidden))),
          fc2(register_module("fc2", torch::nn::Linear(hidden, hidden))),
          fc3(register_module("fc3", torch::nn::Linear(hidden, 2)))
    {
    }

    torch::Tensor forward(torch::Tensor x)
    {
        x = torch::relu(fc1(x));
        x = torch::relu(fc2(x));
        return fc3(x);
    }

    torch::nn::Linear fc1, fc2, fc3;
};
TORCH_MODULE(Mlp);

double accuracy(Mlp &model, const torch::Tensor &x, const torch::Tensor &y)
{
    torch::NoGradGuard noGrad;
    model->eval();
    const auto predicted = model->forward(x).argmax(1);
    model->train();
    return predicted.eq(y).to(torch::kFloat).mean().item<double>();
}

} // namespace

int main(int argc, char **argv)
{
    return lab::run([&] {
        const int epochs = argc > 1 ? std::atoi(argv[1]) : (lab::quick() ? 20 : 200);
        const int64_t batch = 64;
        torch::manual_seed(1); // BENCH_EDIT_MARKER
        torch::set_num_threads(1);

        const auto device = lab::device();
        std::cout << "training on " << device << " for " << epochs << " epochs" << std::endl;
        auto [x, y] = makeSpirals(512, 0.02);
        x = x.to(device);
        y = y.to(device);

        Mlp model(64);
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));

        const int64_t n = x.size(0);
        int64_t step = 0;
        for (int epoch = 1; epoch <= epochs; ++epoch) {
            const auto order =
                torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(device));
            double epochLoss = 0;
            int batches = 0;
            for (int64_t start = 0; start < n; start += batch) {
                const auto idx = order.slice(0, start, std::min(start + batch, n));
                optimizer.zero_grad();
                auto loss = torch::nn::functional::cross_entropy(
                    model->forward(x.index_select(0, idx)), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
                const double value = loss.item<double>();
                lab::loss(++step, value);
                epochLoss += value;
                ++batches;
            }
            if (epoch % 10 == 0 || epoch == epochs) {
                const double acc = accuracy(model, x, y);
                lab::metric("accuracy", step, acc);
                std::cout << "epoch " << epoch << " loss " << epochLoss / batches << " accuracy "
                          << acc << std::endl;
            }
        }
        const double finalAccuracy = accuracy(model, x, y);
        lab::check("learned the spirals", finalAccuracy > 0.9,
                   "accuracy " + std::to_string(finalAccuracy));
        return 0;
    });
}
