// GPU check, item 7 (latency): a 20-line LibTorch program, edited and run
// again. run.sh changes EDIT_MARK between the cold and the warm run.
#include <torch/torch.h>

#include <torchlab/lab.h>

#include <iostream>

#define EDIT_MARK 1

int main()
{
    const torch::Device device = lab::device();
    torch::manual_seed(EDIT_MARK);
    const torch::Tensor a = torch::randn({256, 256}, device);
    const torch::Tensor b = torch::relu(a.matmul(a.t())).sum();
    lab::metric("edit_mark", 0, EDIT_MARK);
    std::cout << "sum " << b.item<double>() << " on " << device << "\n";
    return 0;
}
