// Day 2, lesson 7: the training loop.
// Train the 784-128-10 network on Fashion-MNIST and watch the loss fall in the plot.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

// The network of lesson 6, written as a Sequential so that the checks can build it too.
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// One optimisation step on one batch. Returns the batch's loss (before the update).
double train_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                  const torch::Tensor &images, const torch::Tensor &labels)
{
    // TODO: the five lines of every training step:
    //   1. clear the gradients of the previous step (optimizer.zero_grad())
    //   2. forward pass: logits = model->forward(images)
    //   3. loss = torch::nn::functional::cross_entropy(logits, labels)
    //   4. loss.backward()
    //   5. optimizer.step()
    // and return the loss as a double (loss.item<double>()).
    (void)model, (void)optimizer, (void)images, (void)labels;
    return 0.0;
}

// Trains for `steps` mini-batches of `batch_size` examples drawn in a random order (a new order for
// every pass over the data). Reports every step's loss with lab::loss(step, value) and returns them
// all.
std::vector<double> train(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                          const torch::Tensor &images, const torch::Tensor &labels, int64_t steps,
                          int64_t batch_size)
{
    model->train();
    std::vector<double> losses;
    const int64_t n = images.size(0);
    torch::Tensor order =
        torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(images.device()));
    int64_t position = 0;
    // TODO: for step = 0 .. steps-1:
    //   - when position + batch_size > n, draw a new order (torch::randperm) and start again at
    //   position 0
    //   - index = order.slice(0, position, position + batch_size); advance position
    //   - run train_step on images.index_select(0, index) and labels.index_select(0, index)
    //   - report the loss with lab::loss(step, loss) and push_back it into losses
    (void)model, (void)optimizer, (void)labels, (void)steps, (void)batch_size, (void)position;
    return losses;
}

// The fraction (0..1) of images whose highest-scoring class is the label.
double accuracy(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels)
{
    torch::NoGradGuard no_grad; // no graph for evaluation: less memory, less time
    model->eval();
    // TODO: predicted class = index of the largest logit (argmax over dim 1); compare with the
    // labels
    //       (eq), turn the booleans into floats and take the mean.
    (void)images, (void)labels;
    model->train();
    return 0.0;
}

int main()
{
    return lab::run([]() -> int {
        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte")) {
            std::cout << "Fashion-MNIST was not found in " << root
                      << ". The lab unpacks it there on first use; run `torchlab-cli doctor` to "
                         "see why it is missing.\n";
            return 1;
        }
        const torch::Device device = lab::device();
        auto train_set =
            torch::data::datasets::MNIST(root, torch::data::datasets::MNIST::Mode::kTrain);
        auto test_set =
            torch::data::datasets::MNIST(root, torch::data::datasets::MNIST::Mode::kTest);
        // Quick mode trains on a subset, for fewer steps.
        const int64_t n = lab::quick() ? 10000 : 60000;
        const torch::Tensor images = train_set.images().slice(0, 0, n).to(device);
        const torch::Tensor labels = train_set.targets().slice(0, 0, n).to(device);

        torch::manual_seed(0);
        torch::nn::Sequential model = make_model();
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));

        const int64_t steps = lab::quick() ? 300 : 1800;
        const std::vector<double> losses = train(model, optimizer, images, labels, steps, 64);
        if (losses.empty()) {
            std::cout << "train() returned no losses yet: fill in the TODOs\n";
            return 0;
        }
        const double acc =
            accuracy(model, test_set.images().to(device), test_set.targets().to(device));
        lab::metric("test_accuracy", steps, acc);
        std::cout << std::fixed << std::setprecision(3) << "first loss " << losses.front()
                  << ", last loss " << losses.back() << ", test accuracy " << acc << " after "
                  << steps << " steps\n";
        return 0;
    });
}
