// 第二天，第 11 课：检查点。
// 保存一次训练（模型、优化器、步数）并从中恢复，使它继续下去时与从未中断过
// 完全一样。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>

torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// 在 `path` 写出一个文件，其中包含模型的参数和缓冲区、优化器的状态，以及
// 到目前为止已训练的步数。
void save_checkpoint(const std::string &path, torch::nn::Sequential &model,
                     torch::optim::Optimizer &optimizer, int64_t step)
{
    torch::serialize::OutputArchive archive, model_archive;
    model->save(model_archive);
    archive.write("model", model_archive);
    // TODO: 优化器的状态放进一个单独的嵌套 archive（optimizer.save(...)），
    //       写在键 "optimizer" 下；
    //       步数以张量形式写在 "step" 下（torch::tensor(step)）。
    (void)optimizer, (void)step;
    archive.save_to(path);
}

// 把 save_checkpoint 写出的内容恢复到已有的、结构相同的模型和优化器中，并
// 返回保存的步数。
int64_t load_checkpoint(const std::string &path, torch::nn::Sequential &model,
                        torch::optim::Optimizer &optimizer)
{
    torch::serialize::InputArchive archive, model_archive;
    archive.load_from(path);
    archive.read("model", model_archive);
    model->load(model_archive);
    // TODO: 把 "optimizer" archive 读回优化器（optimizer.load(...)），
    //       并返回保存的步数
    //       （读取 "step" 张量；.item<int64_t>()）。
    (void)optimizer;
    return 0;
}

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        // 一个可学习的合成任务；第 i 个 batch 永远是同样的样本，所以两次训练看到的
        // 数据相同。
        const auto teacher = torch::randn({784, 10}, device);
        const auto x = torch::randn({4096, 784}, device);
        const auto y = x.matmul(teacher).argmax(1);
        auto batch = [&](int64_t step) {
            const int64_t start = (step * 128) % 4096;
            return std::make_pair(x.slice(0, start, start + 128), y.slice(0, start, start + 128));
        };
        auto train = [&](torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                         int64_t from, int64_t to, const std::string &metric) {
            for (int64_t step = from; step < to; ++step) {
                const auto [bx, by] = batch(step);
                optimizer.zero_grad();
                const auto loss = torch::nn::functional::cross_entropy(model->forward(bx), by);
                loss.backward();
                optimizer.step();
                lab::metric(metric, step, loss.item<double>());
            }
        };
        const int64_t n = lab::quick() ? 20 : 100, m = n;
        const std::string path = (std::filesystem::temp_directory_path() /
                                  ("torchlab-lesson11-" + std::to_string(::getpid()) + ".pt"))
                                     .string();

        auto model = make_model();
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
        train(model, optimizer, 0, n, "loss");
        save_checkpoint(path, model, optimizer, n);
        std::cout << "saved after " << n << " steps: " << path << " ("
                  << std::filesystem::file_size(path) << " bytes)\n";
        train(model, optimizer, n, n + m, "loss");

        torch::manual_seed(123); // 换一种初始化，以表明加载会把它替换掉
        auto resumed = make_model();
        resumed->to(device);
        torch::optim::Adam resumed_optimizer(resumed->parameters(),
                                             torch::optim::AdamOptions(1e-3));
        const int64_t step = load_checkpoint(path, resumed, resumed_optimizer);
        train(resumed, resumed_optimizer, step, step + m, "resumed_loss");
        std::filesystem::remove(path);

        double worst = 0;
        const auto a = model->parameters(), b = resumed->parameters();
        for (size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
        std::cout << "resumed at step " << step << "; after " << m
                  << " more steps the largest parameter difference is " << worst << "\n";
    });
}
