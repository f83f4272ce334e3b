// 第二天，第 6 课：你的第一个 torch::nn::Module。
// 搭建本课的 784-128-10 网络，然后统计它的参数个数。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <memory>

// 处理 28x28 图像的两层感知机：展平、Linear(in, hidden)、ReLU、Linear(hidden, out)。
struct SimpleNetImpl : torch::nn::Module
{
    SimpleNetImpl(int64_t in, int64_t hidden, int64_t out)
    {
        // TODO: 创建这两个层，并分别以 "fc1" 和 "fc2" 为名注册：
        //   fc1: Linear(in, hidden)    fc2: Linear(hidden, out)
        (void)in, (void)hidden, (void)out;
    }

    torch::Tensor forward(torch::Tensor x)
    {
        // TODO: 把 x 展平为 [N, in]，依次经过 fc1、ReLU、fc2，返回结果。
        (void)x;
        return {};
    }

    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
// 定义 SimpleNet：包装 SimpleNetImpl 的 holder（一个用 -> 访问的 shared_ptr）。
TORCH_MODULE(SimpleNet);

// 该模块所有参数（每一层的权重和偏置）中数值的总个数。
int64_t count_parameters(torch::nn::Module &module)
{
    // TODO: 把 module.parameters() 中每个张量的 numel() 加起来。
    (void)module;
    return 0;
}

// 隐藏检查看不到你的类，只能看到这两个函数。请保持它们原样。
std::shared_ptr<torch::nn::Module> make_simple_net(int64_t in, int64_t hidden, int64_t out)
{
    return SimpleNet(in, hidden, out).ptr();
}

torch::Tensor simple_net_forward(const std::shared_ptr<torch::nn::Module> &net,
                                 const torch::Tensor &x)
{
    return std::dynamic_pointer_cast<SimpleNetImpl>(net)->forward(x);
}

int main()
{
    return lab::run([] {
        torch::manual_seed(0);
        SimpleNet net(784, 128, 10);
        net->to(lab::device());

        for (const auto &item : net->named_parameters())
            std::cout << item.key() << "  " << item.value().sizes() << "\n";
        std::cout << "parameters: " << count_parameters(*net) << " (expected 101770)\n";

        const auto images = torch::rand({32, 1, 28, 28}, lab::device());
        const auto logits = net->forward(images);
        if (!logits.defined()) {
            std::cout << "forward() returned no tensor yet: fill in the TODOs\n";
            return;
        }
        std::cout << "output shape: " << logits.sizes() << " on " << logits.device() << "\n";
    });
}
