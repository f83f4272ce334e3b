// Day 3, lesson 16: reproducible runs (reference solution).
// Seed every random generator, switch on deterministic algorithms, write down the environment a
// result came from, and export the trained weights so that a separate inference program can reload
// them and predict exactly what the training program predicted.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

// The network: BatchNorm has buffers (running statistics) and Dropout draws random masks, so both
// the export and the seeding have something to get wrong.
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 64),
                                 torch::nn::BatchNorm1d(64), torch::nn::ReLU(),
                                 torch::nn::Dropout(0.2), torch::nn::Linear(64, 10));
}

// A random generator of the program's own, outside LibTorch: it decides which training images are
// mirrored (data augmentation).
std::mt19937_64 &augment_rng()
{
    static std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

// Seeds every random generator the training uses.
void set_seed(uint64_t seed)
{
    torch::manual_seed(seed); // the CPU generator, and every GPU's (torch::cuda::manual_seed_all)
    augment_rng().seed(seed); // our own generator: LibTorch's seed does not reach it
}

// Asks LibTorch for deterministic algorithms only (given). Call it first, before anything runs on
// the GPU.
void make_deterministic()
{
    // cuBLAS (CUDA >= 10.2) is deterministic only with a fixed workspace, chosen by this variable,
    // and in deterministic mode LibTorch refuses cuBLAS calls without it. Both read it once, at the
    // first cuBLAS call, so it must be set before then. A value already set by the user wins.
    ::setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
#if TORCHLAB_TORCH_AT_LEAST(1, 11)
    at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/false);
#else
    at::globalContext().setDeterministicAlgorithms(true);
#endif
    // cuDNN: pick the same convolution algorithm every time, and do not benchmark to choose one.
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setBenchmarkCuDNN(false);
}

// Writes what a result depends on to `path`, one "key": value per line, as a JSON object.
void record_environment(const std::string &path, uint64_t seed)
{
    std::ofstream out(path);
    out << std::boolalpha << "{\n"
        << "  \"torch\": \"" << TORCH_VERSION << "\",\n"
        << "  \"device\": \"" << lab::device().str() << "\",\n"
        << "  \"threads\": " << torch::get_num_threads() << ",\n"
        << "  \"compiler\": \"" << __VERSION__ << "\",\n"
        << "  \"deterministic\": " << at::globalContext().deterministicAlgorithms() << ",\n"
        << "  \"seed\": " << seed << "\n"
        << "}\n";
    TORCH_CHECK(out.good(), "could not write ", path);
}

// Exports the model's parameters and buffers to `path`.
void save_model(torch::nn::Sequential &model, const std::string &path)
{
    torch::save(model, path);
}

// A fresh model with the weights saved at `path`, on `device`, ready to predict.
torch::nn::Sequential load_model(const std::string &path, const torch::Device &device)
{
    torch::nn::Sequential model = make_model();
    torch::load(model, path, device); // maps every tensor to `device` while loading
    model->eval();                    // inference: no dropout, batch norm's running statistics
    return model;
}

// Mirrors each image left-right with probability 1/2, decided by augment_rng().
torch::Tensor augment(const torch::Tensor &images)
{
    std::bernoulli_distribution coin(0.5);
    std::vector<uint8_t> flip(size_t(images.size(0)));
    for (auto &f : flip)
        f = coin(augment_rng()) ? 1 : 0;
    const torch::Tensor mask =
        torch::tensor(flip, torch::kBool).to(images.device()).view({-1, 1, 1, 1});
    return torch::where(mask, images.flip({3}), images);
}

struct Run
{
    std::vector<double> losses;
    torch::nn::Sequential model = make_model();
};

// One complete training run from `seed`: model initialisation, shuffling (RandomSampler),
// augmentation and dropout all draw from the seeded generators (given). `data` is taken by
// value: a copy of MNIST shares the two tensors that hold the images and labels.
Run train_run(uint64_t seed, torch::data::datasets::MNIST data, int64_t steps)
{
    set_seed(seed);
    const torch::Device device = lab::device();
    Run run;
    run.model->to(device);
    torch::optim::Adam optimizer(run.model->parameters(), torch::optim::AdamOptions(1e-3));
    auto loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
        std::move(data).map(torch::data::transforms::Stack<>()),
        torch::data::DataLoaderOptions().batch_size(64).drop_last(true));
    run.model->train();
    int64_t step = 0;
    while (step < steps) {
        for (auto &batch : *loader) { // each pass draws a new order from the seeded generator
            if (step == steps)
                break;
            const torch::Tensor x = augment(batch.data.to(device));
            optimizer.zero_grad();
            const torch::Tensor loss = torch::nn::functional::cross_entropy(
                run.model->forward(x), batch.target.to(device));
            loss.backward();
            optimizer.step();
            run.losses.push_back(loss.item<double>());
            ++step;
        }
    }
    return run;
}

// The logits of a model in eval mode, without a graph.
torch::Tensor predict(torch::nn::Sequential &model, const torch::Tensor &images)
{
    torch::NoGradGuard no_grad;
    model->eval();
    return model->forward(images);
}

int main()
{
    return lab::run([]() -> int {
        const uint64_t seed = 42;
        make_deterministic();
        const auto dir = std::filesystem::temp_directory_path() /
                         ("torchlab-reproducibility-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);

        // 1. What this result depends on.
        const std::string env_path = (dir / "environment.json").string();
        record_environment(env_path, seed);
        std::ifstream env(env_path);
        std::cout << env_path << ":\n" << env.rdbuf() << "\n";

        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte") ||
            !std::filesystem::exists(root + "/t10k-images-idx3-ubyte")) {
            std::cout << "Fashion-MNIST was not found in " << root
                      << ". The lab unpacks it there on first use; run `torchlab-cli doctor` to "
                         "see why it is missing.\n";
            return 1;
        }
        using torch::data::datasets::MNIST;
        const MNIST train_set(root, MNIST::Mode::kTrain);
        const MNIST test_set(root, MNIST::Mode::kTest);

        // 2. The same seed twice: the losses must agree to the last bit.
        const int64_t steps = lab::quick() ? 100 : 300;
        Run first = train_run(seed, train_set, steps);
        Run second = train_run(seed, train_set, steps);
        for (size_t i = 0; i < first.losses.size(); ++i) {
            lab::loss(int64_t(i), first.losses[i]);
            lab::metric("loss_second_run", int64_t(i),
                        i < second.losses.size() ? second.losses[i] : 0);
        }
        size_t same = 0;
        while (same < first.losses.size() && same < second.losses.size() &&
               first.losses[same] == second.losses[same])
            ++same;
        std::cout << std::setprecision(10) << "two runs with seed " << seed << ": " << same
                  << " of " << first.losses.size() << " losses bit-identical";
        if (same < first.losses.size() && same < second.losses.size())
            std::cout << "; step " << same << " gave " << first.losses[same] << " and "
                      << second.losses[same];
        std::cout << "\n";

        // 3. Export, then reload into a fresh model, as a separate inference program would.
        const std::string weights = (dir / "model.pt").string();
        save_model(first.model, weights);
        torch::nn::Sequential reloaded = load_model(weights, lab::device());
        const torch::Tensor x = test_set.images().slice(0, 0, 1000).to(lab::device());
        const torch::Tensor y = test_set.targets().slice(0, 0, 1000).to(lab::device());
        const torch::Tensor original = predict(first.model, x);
        torch::Tensor loaded;
        {
            torch::NoGradGuard no_grad;
            loaded = reloaded->forward(x); // as load_model returned it
        }
        const double acc = loaded.argmax(1).eq(y).to(torch::kFloat).mean().item<double>();
        lab::metric("test_accuracy", steps, acc);
        std::error_code no_file;
        const auto bytes = std::filesystem::file_size(weights, no_file);
        std::cout << "reloaded from " << weights << " ("
                  << (no_file ? std::string("no such file") : std::to_string(bytes) + " bytes")
                  << "): predictions "
                  << (torch::equal(original, loaded) ? "identical" : "DIFFERENT")
                  << ", test accuracy " << acc << "\n";
        std::filesystem::remove_all(dir);
        return 0;
    });
}
