// Hidden checks for lesson 7: train_step() against a reference step, then train() on Fashion-MNIST.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

torch::nn::Sequential make_model();
double train_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                  const torch::Tensor &images, const torch::Tensor &labels);
std::vector<double> train(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                          const torch::Tensor &images, const torch::Tensor &labels, int64_t steps,
                          int64_t batch_size);
double accuracy(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels);

namespace {

using lab::checks::copy_of;
using lab::checks::guarded;
using lab::checks::num;

// A correct step, to compare the learner's with.
void reference_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                    const torch::Tensor &x, const torch::Tensor &y)
{
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(model->forward(x), y).backward();
    optimizer.step();
}

bool same_parameters(torch::nn::Sequential &a, torch::nn::Sequential &b)
{
    const auto pa = a->parameters(), pb = b->parameters();
    if (pa.size() != pb.size())
        return false;
    for (size_t i = 0; i < pa.size(); ++i)
        if (!torch::allclose(pa[i], pb[i], 1e-5, 1e-6))
            return false;
    return true;
}

double mean(const std::vector<double> &v, size_t from, size_t to)
{
    return std::accumulate(v.begin() + long(from), v.begin() + long(to), 0.0) / double(to - from);
}

void check_train_step(const torch::Device &device)
{
    torch::manual_seed(7);
    torch::nn::Sequential model = make_model();
    model->to(device);
    torch::nn::Sequential reference = copy_of(model);
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
    torch::optim::SGD reference_optimizer(reference->parameters(), torch::optim::SGDOptions(0.1));

    std::vector<torch::Tensor> xs, ys;
    for (int i = 0; i < 3; ++i) {
        xs.push_back(torch::randn({16, 1, 28, 28}, device));
        ys.push_back(
            torch::randint(0, 10, {16}, torch::TensorOptions().dtype(torch::kLong).device(device)));
    }

    // 1. The returned loss is the batch's cross-entropy before the update.
    double expected = 0;
    {
        torch::NoGradGuard no_grad;
        expected =
            torch::nn::functional::cross_entropy(model->forward(xs[0]), ys[0]).item<double>();
    }
    const double got = train_step(model, optimizer, xs[0], ys[0]);
    const bool loss_ok = std::abs(got - expected) < 1e-4 * std::max(1.0, std::abs(expected));
    lab::check(
        "step_loss", loss_ok,
        loss_ok ? "train_step returns the batch loss"
                : "train_step returned " + num(got) +
                      ", expected the cross-entropy of the batch, " + num(expected) +
                      ". Compute torch::nn::functional::cross_entropy(logits, labels) and return "
                      "loss.item<double>().");

    // 2. One step changes the parameters exactly as a correct step does.
    reference_step(reference, reference_optimizer, xs[0], ys[0]);
    const bool first_ok = same_parameters(model, reference);
    {
        // Was anything updated at all? Rebuild the initial weights from the same seed to compare.
        torch::NoGradGuard no_grad;
        bool moved = false;
        const auto now = model->parameters();
        torch::manual_seed(7);
        torch::nn::Sequential fresh = make_model();
        const auto initial = fresh->parameters();
        for (size_t i = 0; i < now.size() && i < initial.size(); ++i)
            moved = moved || !torch::equal(now[i].cpu(), initial[i]);
        lab::check(
            "step_update", first_ok,
            first_ok ? "one step updates the parameters like optimizer.step() should"
            : !moved
                ? "the parameters did not change: call loss.backward() and then optimizer.step()."
                : "the parameters changed, but not as one SGD step on this batch would change "
                  "them: "
                  "use the optimizer you are given, on the loss of this batch.");
    }

    // 3. Two more steps: gradients must not pile up from step to step.
    for (int i = 1; i < 3; ++i) {
        train_step(model, optimizer, xs[size_t(i)], ys[size_t(i)]);
        reference_step(reference, reference_optimizer, xs[size_t(i)], ys[size_t(i)]);
    }
    const bool three_ok = same_parameters(model, reference);
    lab::check(
        "zero_grad", first_ok && three_ok,
        !first_ok ? "fix step_update first."
        : three_ok
            ? "gradients are cleared between steps"
            : "the first step matched but after three steps the parameters differ: gradients are "
              "adding up across steps. Call optimizer.zero_grad() before loss.backward().");
}

void check_accuracy_function(const torch::Device &device)
{
    torch::manual_seed(3);
    torch::nn::Sequential model = make_model();
    model->to(device);
    const torch::Tensor x = torch::randn({40, 784}, device);
    torch::Tensor predicted;
    {
        torch::NoGradGuard no_grad;
        predicted = model->forward(x).argmax(1);
    }
    // 30 of 40 labels agree with the model's prediction: accuracy 0.75.
    torch::Tensor labels = predicted.clone();
    labels.slice(0, 30, 40).add_(1).remainder_(10);
    const double got = accuracy(model, x, labels);
    const bool ok = std::abs(got - 0.75) < 1e-6;
    std::string why;
    if (!ok) {
        why = "accuracy() returned " + num(got) +
              " for a batch where 30 of 40 predictions are right, expected 0.75.";
        if (std::abs(got - 30) < 1e-6)
            why +=
                " Return the fraction, not the count: divide by the batch size (or take .mean()).";
        else if (std::abs(got - 75) < 1e-6)
            why += " Return a fraction between 0 and 1, not a percentage.";
        else
            why += " Take argmax(1) of the logits, compare with eq(labels), convert to float and "
                   "take the mean.";
    }
    lab::check("accuracy_fn", ok, ok ? "accuracy() counts correct predictions" : why);
}

void check_training(const torch::Device &device)
{
    const std::string root = lab::data_dir() + "/fashion-mnist";
    const bool have_data = std::filesystem::exists(root + "/train-images-idx3-ubyte") &&
                           std::filesystem::exists(root + "/t10k-images-idx3-ubyte");
    if (!have_data) {
        const std::string why =
            "Fashion-MNIST was not found in " + root +
            " (train-images-idx3-ubyte etc.). The lab unpacks it on first use; run "
            "`torchlab-cli doctor` to see why it is missing.";
        lab::check("loss_decreased", false, why);
        lab::check("test_accuracy", false, why);
        return;
    }
    using torch::data::datasets::MNIST;
    const int64_t n = lab::quick() ? 10000 : 60000;
    const int64_t steps = lab::quick() ? 300 : 1800;
    MNIST train_set(root, MNIST::Mode::kTrain);
    MNIST test_set(root, MNIST::Mode::kTest);
    const torch::Tensor images = train_set.images().slice(0, 0, n).to(device);
    const torch::Tensor labels = train_set.targets().slice(0, 0, n).to(device);

    torch::manual_seed(0);
    torch::nn::Sequential model = make_model();
    model->to(device);
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
    const std::vector<double> losses = train(model, optimizer, images, labels, steps, 64);

    guarded("loss_decreased", [&] {
        std::string why;
        if (losses.size() != size_t(steps))
            why =
                "train() returned " + std::to_string(losses.size()) + " losses for " +
                std::to_string(steps) +
                " steps: push_back one loss per step (and report it with lab::loss(step, value)).";
        else {
            const double first = mean(losses, 0, 20),
                         last = mean(losses, losses.size() - 20, losses.size());
            if (!(last < 0.5 * first))
                why = "the loss went from " + num(first) + " (mean of the first 20 steps) to " +
                      num(last) +
                      " (last 20): it should at least halve. Check that every step uses a new "
                      "batch and that "
                      "train() calls train_step().";
        }
        lab::check("loss_decreased", why.empty(),
                   why.empty() ? "the loss falls during training" : why);
    });

    guarded("test_accuracy", [&] {
        // 1000 images the model never trained on; evaluated here, not with the learner's
        // accuracy().
        const torch::Tensor x = test_set.images().slice(0, 0, 1000).to(device);
        const torch::Tensor y = test_set.targets().slice(0, 0, 1000).to(device);
        double acc = 0;
        {
            torch::NoGradGuard no_grad;
            model->eval();
            acc = model->forward(x).argmax(1).eq(y).to(torch::kFloat).mean().item<double>();
        }
        lab::metric("heldout_accuracy", steps, acc);
        const bool ok = acc > 0.75;
        lab::check(
            "test_accuracy", ok,
            ok ? "held-out accuracy " + num(acc)
               : "after training, the model gets " + num(acc) +
                     " of 1000 held-out images right; expected more than 0.75 (chance is 0.1).");
    });
}

} // namespace

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        guarded("step_loss", [&] { check_train_step(device); });
        guarded("accuracy_fn", [&] { check_accuracy_function(device); });
        guarded("loss_decreased", [&] { check_training(device); });
    });
}
