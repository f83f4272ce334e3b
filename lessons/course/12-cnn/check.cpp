// Hidden checks for lesson 12: the CNN's shape and size, train() versus eval() behaviour,
// evaluate() on instrumented models, and a short training run on Fashion-MNIST.
// The learner's file is compiled with -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

torch::nn::Sequential make_cnn();
double evaluate(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels, int64_t batch_size);
std::vector<double> train(torch::nn::Sequential &model, const torch::Tensor &images,
                          const torch::Tensor &labels, const torch::Tensor &val_images,
                          const torch::Tensor &val_labels, int64_t steps, int64_t batch_size,
                          int64_t eval_every);

namespace {

using lab::checks::guarded;
using lab::checks::num;
using lab::checks::shape;
using lab::checks::text;

// What to look at for the errors a wrongly wired CNN raises in its forward pass.
std::string advice(const std::string &error)
{
    if (error.find("shapes cannot be multiplied") != std::string::npos)
        return " The Linear layer's input size must equal the number of features after Flatten: "
               "32 channels x 7 x 7 = 1568.";
    if (error.find("channels, but got") != std::string::npos)
        return " Each Conv2d's in_channels must equal the previous block's out_channels (1 -> 16, "
               "16 -> 32).";
    if (error.find("running_mean should contain") != std::string::npos)
        return " BatchNorm2d(n) needs n = the out_channels of the convolution before it.";
    if (error.find("input to conv2d") != std::string::npos)
        return " The convolutions need [N, C, H, W] input: flatten only after the conv blocks.";
    return "";
}

int64_t parameter_count(torch::nn::Module &m)
{
    int64_t n = 0;
    for (const auto &p : m.parameters())
        n += p.numel();
    return n;
}

template <class Impl> int count_layers(torch::nn::Module &m)
{
    int n = 0;
    for (const auto &child : m.modules(/*include_self=*/false))
        n += std::dynamic_pointer_cast<Impl>(child) ? 1 : 0;
    return n;
}

void check_shape()
{
    torch::manual_seed(1);
    torch::nn::Sequential model = make_cnn();
    torch::Tensor out;
    try {
        out = model->forward(torch::randn({3, 1, 28, 28}));
    } catch (const c10::Error &e) {
        const std::string error = e.what_without_backtrace();
        lab::check("output_shape", false,
                   "the forward pass on a [3, 1, 28, 28] batch threw: " + error + advice(error));
        return;
    }
    if (!out.defined() || out.sizes() != torch::IntArrayRef({3, 10})) {
        lab::check("output_shape", false,
                   "a [3, 1, 28, 28] batch gave " + shape(out) +
                       "; expected [3, 10]: one logit per class for each image.");
        return;
    }
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor one = model->forward(torch::randn({1, 1, 28, 28}));
    const bool ok = one.sizes() == torch::IntArrayRef({1, 10});
    lab::check("output_shape", ok,
               ok ? "[N, 1, 28, 28] images give [N, 10] logits"
                  : "in eval mode, a single image gave " + text(one.sizes()) +
                        "; expected [1, 10].");
}

void check_size()
{
    torch::nn::Sequential model = make_cnn();
    const int64_t n = parameter_count(*model);
    const bool ok = n >= 16000 && n <= 150000;
    lab::check("parameter_count", ok,
               ok ? "the CNN has " + std::to_string(n) + " parameters"
                  : "the model has " + std::to_string(n) +
                        " parameters; the network described in the lesson has 20,586 and "
                        "anything between 16,000 and 150,000 is accepted." +
                        (n < 16000 ? " Is make_cnn() still the placeholder, or are the conv "
                                     "blocks missing?"
                                   : " Check the Linear layer's input size: 32 * 7 * 7."));

    const int convs = count_layers<torch::nn::Conv2dImpl>(*model);
    const int norms = count_layers<torch::nn::BatchNorm2dImpl>(*model);
    const int pools = count_layers<torch::nn::MaxPool2dImpl>(*model);
    const int drops = count_layers<torch::nn::DropoutImpl>(*model);
    std::string missing;
    if (convs < 2)
        missing += " " + std::to_string(convs) + " Conv2d (need 2);";
    if (norms < 2)
        missing += " " + std::to_string(norms) + " BatchNorm2d (need 2);";
    if (pools < 2)
        missing += " " + std::to_string(pools) + " MaxPool2d (need 2);";
    if (drops < 1)
        missing += " no Dropout (need 1);";
    if (!missing.empty())
        missing.pop_back();
    lab::check("layers", missing.empty(),
               missing.empty()
                   ? "two conv blocks with batch norm and pooling, and a dropout layer"
                   : "the model has" + missing +
                         ". Register every layer with register_module() in ConvBlockImpl, or "
                         "it is invisible to modules(), parameters() and to().");
}

void check_modes()
{
    torch::manual_seed(2);
    torch::nn::Sequential model = make_cnn();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({8, 1, 28, 28});

    model->train();
    const bool train_differs = !torch::equal(model->forward(x), model->forward(x));
    model->eval();
    const torch::Tensor a = model->forward(x);
    const bool eval_same = torch::equal(a, model->forward(x));
    // In eval mode an image's logits must not depend on the other images in its batch.
    const bool independent =
        torch::allclose(a.slice(0, 0, 1), model->forward(x.slice(0, 0, 1)), 1e-4, 1e-5);
    model->train();

    std::string why;
    if (!eval_same)
        why = "in eval mode, two forward passes on the same batch gave different logits: "
              "something random is still active after model->eval().";
    else if (!independent)
        why = "in eval mode, an image's logits change with the other images in its batch: "
              "batch norm should use its running statistics after model->eval().";
    else if (!train_differs)
        why = "in train mode, two forward passes gave identical logits: Dropout should drop "
              "random features while training. Is a Dropout layer in the model?";
    lab::check("eval_deterministic", why.empty(),
               why.empty() ? "eval mode is deterministic, train mode uses dropout" : why);
}

// A layer that passes its input through and records how it was called.
struct ProbeImpl : torch::nn::Module
{
    torch::Tensor forward(const torch::Tensor &x)
    {
        training_seen.push_back(is_training());
        grad_seen.push_back(torch::GradMode::is_enabled());
        batches.push_back(x.size(0));
        return x;
    }
    std::vector<bool> training_seen, grad_seen;
    std::vector<int64_t> batches;
};
TORCH_MODULE(Probe);

void check_evaluate()
{
    torch::manual_seed(3);
    Probe probe;
    torch::nn::Sequential model(probe, torch::nn::Flatten(), torch::nn::Linear(784, 10));
    const torch::Tensor x = torch::randn({100, 1, 28, 28});
    const torch::Tensor y = torch::randint(0, 10, {100}, torch::kLong);

    const char *names[] = {"evaluate_eval_mode", "evaluate_no_grad", "evaluate_restores_mode",
                           "evaluate_batches"};
    bool restored_train = false, grad_after = false, stayed_eval = false;
    std::vector<bool> training_seen, grad_seen;
    std::vector<int64_t> batches;
    try {
        model->train();
        evaluate(model, x, y, 32);
        restored_train = model->is_training();
        grad_after = torch::GradMode::is_enabled();
        torch::GradMode::set_enabled(true);
        training_seen = probe->training_seen;
        grad_seen = probe->grad_seen;
        batches = probe->batches;

        model->eval();
        evaluate(model, x, y, 32);
        stayed_eval = !model->is_training();
        model->train();
    } catch (const c10::Error &e) {
        torch::GradMode::set_enabled(true);
        for (const char *name : names)
            lab::check(name, false,
                       std::string("evaluate(model, 100 images, labels, 32) threw: ") +
                           e.what_without_backtrace());
        return;
    }

    if (batches.empty()) {
        const std::string why = "evaluate() never called model->forward().";
        for (const char *name : names)
            lab::check(name, false, why);
        return;
    }
    const bool all_eval =
        std::none_of(training_seen.begin(), training_seen.end(), [](bool t) { return t; });
    lab::check("evaluate_eval_mode", all_eval,
               all_eval ? "the forward passes in evaluate() run in eval mode"
                        : "evaluate() ran the model in training mode: call model->eval() before "
                          "the forward passes, or dropout stays on and batch norm uses (and "
                          "updates) the statistics of the test batch.");

    const bool no_grad = std::none_of(grad_seen.begin(), grad_seen.end(), [](bool g) { return g; });
    std::string why_grad;
    if (!no_grad)
        why_grad = "the forward passes in evaluate() recorded a graph: put a named "
                   "torch::NoGradGuard (e.g. `torch::NoGradGuard no_grad;`) at the top of it.";
    else if (!grad_after)
        why_grad = "gradient recording was still off after evaluate() returned: use the "
                   "NoGradGuard object, which switches it back on at the end of its scope, "
                   "instead of torch::GradMode::set_enabled(false).";
    lab::check("evaluate_no_grad", why_grad.empty(),
               why_grad.empty() ? "no graph is recorded during evaluation" : why_grad);

    std::string why_mode;
    if (!all_eval)
        why_mode = "evaluate() never switched a training model to eval mode, so there is no "
                   "mode to restore yet: see evaluate_eval_mode first.";
    else if (!restored_train)
        why_mode = "after evaluate(), a model that was training was left in eval mode, so the "
                   "rest of the training loop would run without dropout and with frozen batch "
                   "norm statistics. Call model->train() before returning.";
    else if (!stayed_eval)
        why_mode = "a model that was in eval mode before evaluate() came back in training mode: "
                   "remember model->is_training() first and restore it with "
                   "model->train(was_training).";
    lab::check("evaluate_restores_mode", why_mode.empty(),
               why_mode.empty() ? "evaluate() leaves the model in the mode it found it in"
                                : why_mode);

    int64_t seen = 0, largest = 0;
    for (const int64_t b : batches) {
        seen += b;
        largest = std::max(largest, b);
    }
    std::string why_batches;
    if (largest > 32)
        why_batches = "evaluate(model, 100 images, labels, 32) passed " + std::to_string(largest) +
                      " images to one forward call; use batches of at most batch_size images "
                      "(images.slice(0, start, end)) so a large test set fits in memory.";
    else if (seen != 100)
        why_batches = "evaluate(model, 100 images, labels, 32) passed " + std::to_string(seen) +
                      " images to the model in total; every image exactly once, with a smaller "
                      "last batch (100 = 32 + 32 + 32 + 4).";
    lab::check("evaluate_batches", why_batches.empty(),
               why_batches.empty() ? "evaluate() works through the data in batches" : why_batches);
}

void check_accuracy()
{
    torch::manual_seed(4);
    torch::nn::Sequential model = make_cnn();
    const torch::Tensor x = torch::randn({40, 1, 28, 28});
    torch::Tensor predicted;
    {
        torch::NoGradGuard no_grad;
        model->eval();
        predicted = model->forward(x).argmax(1);
        model->train();
    }
    // 30 of 40 labels agree with the eval-mode prediction: accuracy 0.75.
    torch::Tensor labels = predicted.clone();
    labels.slice(0, 30, 40).add_(1).remainder_(10);
    const double got = evaluate(model, x, labels, 16);
    const bool ok = std::abs(got - 0.75) < 1e-6;
    std::string why;
    if (!ok) {
        why = "evaluate() returned " + num(got) +
              " for 40 images of which 30 are labelled with "
              "the eval-mode prediction; expected 0.75.";
        if (std::abs(got - 30) < 1e-6)
            why += " Return the fraction, not the count of correct predictions.";
        else if (std::abs(got - 30.0 / 48) < 1e-6 || got > 1)
            why += " Divide by the number of images, not by batches times batch_size.";
        else
            why += " Is the model in eval mode during the forward passes, and are all three "
                   "batches (16 + 16 + 8) counted?";
    }
    lab::check("evaluate_accuracy", ok,
               ok ? "evaluate() returns the fraction of correct "
                    "predictions"
                  : why);
}

void check_training()
{
    const std::string root = lab::data_dir() + "/fashion-mnist";
    if (!std::filesystem::exists(root + "/train-images-idx3-ubyte") ||
        !std::filesystem::exists(root + "/t10k-images-idx3-ubyte")) {
        lab::check("test_accuracy", false,
                   "Fashion-MNIST was not found in " + root +
                       " (train-images-idx3-ubyte etc.). The lab unpacks it on first use; run "
                       "`torchlab-cli doctor` to see why it is missing.");
        return;
    }
    using torch::data::datasets::MNIST;
    const torch::Device device = lab::device();
    MNIST train_set(root, MNIST::Mode::kTrain);
    MNIST test_set(root, MNIST::Mode::kTest);
    const int64_t n = lab::quick() ? 6000 : 20000;
    const int64_t steps = lab::quick() ? 150 : 400;
    const torch::Tensor images = train_set.images().slice(0, 0, n).to(device);
    const torch::Tensor labels = train_set.targets().slice(0, 0, n).to(device);
    // Validation during training uses other test images than the final held-out batch.
    const torch::Tensor val_x = test_set.images().slice(0, 9000, 9500).to(device);
    const torch::Tensor val_y = test_set.targets().slice(0, 9000, 9500).to(device);

    torch::manual_seed(0);
    torch::nn::Sequential model = make_cnn();
    // The bar is for a CNN: a linear model reaches about 0.75 here, so the
    // accuracy only counts once the convolutions are in.
    if (const int convs = count_layers<torch::nn::Conv2dImpl>(*model); convs < 2) {
        lab::check("test_accuracy", false,
                   "make_cnn() has " + std::to_string(convs) +
                       " Conv2d layers, so there is no CNN to train yet: the accuracy bar is "
                       "for the network with two ConvBlocks (see the layers check).");
        return;
    }
    model->to(device);
    train(model, images, labels, val_x, val_y, steps, 64, 50);

    // 1000 images the model never trained on, evaluated here in eval mode, not with evaluate().
    double acc = 0;
    {
        torch::NoGradGuard no_grad;
        model->eval();
        acc = model->forward(test_set.images().slice(0, 0, 1000).to(device))
                  .argmax(1)
                  .eq(test_set.targets().slice(0, 0, 1000).to(device))
                  .to(torch::kFloat)
                  .mean()
                  .item<double>();
        model->train();
    }
    lab::metric("heldout_accuracy", steps, acc);
    const bool ok = acc > 0.78;
    lab::check("test_accuracy", ok,
               ok ? "held-out accuracy " + num(acc) + " after " + std::to_string(steps) + " steps"
                  : "after " + std::to_string(steps) + " training steps the CNN gets " + num(acc) +
                        " of 1000 held-out images right; expected more than 0.78. Check the "
                        "forward pass order (conv, batch norm, ReLU, pool) and that evaluate() "
                        "puts the model back into training mode.");
}

} // namespace

int main()
{
    return lab::run([] {
        // Sized for two cores: never more than two threads. More threads than free cores make
        // LibTorch's OpenMP threads wait for each other (measured: 2.5x slower on a busy box).
        torch::set_num_threads(std::min(2, torch::get_num_threads()));
        guarded("output_shape", check_shape);
        guarded("parameter_count", check_size);
        guarded("eval_deterministic", check_modes);
        guarded("evaluate_eval_mode", check_evaluate);
        guarded("evaluate_accuracy", check_accuracy);
        guarded("test_accuracy", check_training);
    });
}
