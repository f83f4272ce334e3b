// 第三天，第 16 课：可复现的运行。
// 为每一个随机数生成器设置种子，开启确定性算法，记下结果所来自的环境，并导出训练好的
// 权重，让一个独立的推理程序能够重新加载它们，并给出与训练程序完全相同的
// 预测。
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

// 网络：BatchNorm 有缓冲区（running 统计量），Dropout 会抽取随机掩码，所以导出和设置种子
// 这两件事都有可能出错。
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 64),
                                 torch::nn::BatchNorm1d(64), torch::nn::ReLU(),
                                 torch::nn::Dropout(0.2), torch::nn::Linear(64, 10));
}

// 程序自己的随机数生成器，不属于 LibTorch：它决定哪些训练图像被镜像翻转
// （数据增强）。
std::mt19937_64 &augment_rng()
{
    static std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

// 为训练用到的每一个随机数生成器设置种子。
void set_seed(uint64_t seed)
{
    // TODO: 为 LibTorch 的生成器设置种子（torch::manual_seed 会设置 CPU 的以及每块 GPU 的），
    //       也为程序自己的 augment_rng() 设置种子，LibTorch 对它一无所知。
    //       在此之前，每次运行都从不同的权重开始，打乱的顺序也各不相同。
    (void)seed;
}

// 要求 LibTorch 只使用确定性算法（已写好）。要最先调用它，赶在任何东西在 GPU 上运行之前。
void make_deterministic()
{
    // cuBLAS（CUDA >= 10.2）只有在工作区固定时才是确定性的，工作区由这个环境变量选定；
    // 确定性模式下，没有它 LibTorch 会拒绝 cuBLAS 调用。两者都只在第一次 cuBLAS 调用时读取一次，
    // 所以必须在那之前设好。用户已经设置的值优先。
    ::setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
#if TORCHLAB_TORCH_AT_LEAST(1, 11)
    at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/false);
#else
    at::globalContext().setDeterministicAlgorithms(true);
#endif
    // cuDNN：每次都选用同一种卷积算法，也不为挑选算法而做计时测试。
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setBenchmarkCuDNN(false);
}

// 把结果所依赖的东西以 JSON 对象的形式写到 `path`，每行一个 "key": value。
void record_environment(const std::string &path, uint64_t seed)
{
    std::ofstream out(path);
    // TODO: 再写出 "torch"（TORCH_VERSION）、"device"（lab::device().str()）、"threads"
    //       （torch::get_num_threads()）、"compiler"（__VERSION__）和 "deterministic"
    //       （at::globalContext().deterministicAlgorithms()，写成 true 或 false）。字符串放在
    //       双引号里，除最后一个条目外，每个条目后面都要有逗号。
    out << "{\n"
        << "  \"seed\": " << seed << "\n"
        << "}\n";
    TORCH_CHECK(out.good(), "could not write ", path);
}

// 把模型的参数和缓冲区导出到 `path`。
void save_model(torch::nn::Sequential &model, const std::string &path)
{
    // TODO: 把模块（参数和缓冲区）写入 path（torch::save）。
    (void)model, (void)path;
}

// 返回一个全新的模型：带有保存在 `path` 的权重，位于 `device` 上，可以直接用来预测。
torch::nn::Sequential load_model(const std::string &path, const torch::Device &device)
{
    torch::nn::Sequential model = make_model();
    // TODO: 把保存在 path 的权重加载到这个全新的模型里，并映射到 `device`
    //       （torch::load），然后让它做好预测的准备。
    (void)path;
    model->to(device);
    return model;
}

// 以 1/2 的概率把每张图像左右镜像翻转，由 augment_rng() 决定。
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

// 从 `seed` 开始的一次完整训练：模型初始化、打乱顺序（RandomSampler）、
// 数据增强和 dropout 都从设置了种子的生成器中抽取随机数（已写好）。`data` 按值传递：
// MNIST 的副本与原对象共享存放图像和标签的那两个张量。
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
        for (auto &batch : *loader) { // 每一轮遍历都从设置了种子的生成器中抽取新的顺序
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

// 模型在评估模式下、不建计算图时输出的 logits。
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

        // 1. 这个结果依赖于什么。
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

        // 2. 用同一个种子运行两次：损失必须逐位一致。
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

        // 3. 导出，再像一个独立的推理程序那样，重新加载到一个全新的模型中。
        const std::string weights = (dir / "model.pt").string();
        save_model(first.model, weights);
        torch::nn::Sequential reloaded = load_model(weights, lab::device());
        const torch::Tensor x = test_set.images().slice(0, 0, 1000).to(lab::device());
        const torch::Tensor y = test_set.targets().slice(0, 0, 1000).to(lab::device());
        const torch::Tensor original = predict(first.model, x);
        torch::Tensor loaded;
        {
            torch::NoGradGuard no_grad;
            loaded = reloaded->forward(x); // 直接使用 load_model 返回的模型，不做其他处理
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
