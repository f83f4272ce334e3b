// Lesson 2: Tensors (reference solution)
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <string>

using torch::indexing::None;
using torch::indexing::Slice;

// n class labels, each in [0, num_classes), on the given device, ready for
// torch::nn::functional::cross_entropy: dtype Long, shape [n].
torch::Tensor make_targets(int64_t n, int64_t num_classes, torch::Device device)
{
    const auto options = torch::TensorOptions().dtype(torch::kLong).device(device);
    return torch::randint(0, num_classes, {n}, options);
}

// An n x n Float tensor with 1 where row + column is odd and 0 elsewhere:
//   0 1 0
//   1 0 1
//   0 1 0
torch::Tensor checkerboard(int64_t n)
{
    torch::Tensor board = torch::zeros({n, n});
    board.index_put_({Slice(0, None, 2), Slice(1, None, 2)}, 1);
    board.index_put_({Slice(1, None, 2), Slice(0, None, 2)}, 1);
    return board;
}

// x (a 2-D Float tensor) with each row's mean subtracted from that row.
// x itself is left unchanged.
torch::Tensor center_rows(const torch::Tensor &x)
{
    return x - x.mean(/*dim=*/1, /*keepdim=*/true);
}

// The elements of the 2-D tensor m read column by column, as a 1-D tensor:
// [[1, 2, 3], [4, 5, 6]] gives [1, 4, 2, 5, 3, 6].
torch::Tensor flatten_columns(const torch::Tensor &m)
{
    return m.t().reshape({-1});
}

// Sets every negative element of t to zero, in place: the caller's tensor
// changes. Returns nothing.
void zero_negatives_(torch::Tensor t)
{
    t.clamp_min_(0);
}

namespace {

void show(const std::string &label, const torch::Tensor &t)
{
    std::cout << "-- " << label;
    if (!t.defined()) {
        std::cout << ": undefined (not written yet?)\n";
        return;
    }
    std::cout << "  " << t.scalar_type() << " " << t.sizes() << "\n";
    if (t.dim() == 1) // one line is easier to read than LibTorch's column
        std::cout << t.unsqueeze(0) << "\n";
    else
        std::cout << t << "\n";
}

} // namespace

int main()
{
    torch::manual_seed(0);
    const torch::Device device = lab::device();

    // A short tour: views share memory with the tensor they come from.
    torch::Tensor a = torch::arange(6);
    torch::Tensor grid = a.view({2, 3});
    grid[0][0] = 100;
    show("a after grid[0][0] = 100", a);
    std::cout << "grid.t() is contiguous? " << std::boolalpha << grid.t().is_contiguous() << "\n";

    const torch::Tensor targets = make_targets(8, 4, device);
    show("make_targets(8, 4)", targets);
    if (targets.defined()) {
        const torch::Tensor logits = torch::randn({8, 4}, device);
        try {
            const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, targets);
            std::cout << "cross_entropy on those targets: " << loss.item<double>() << "\n";
        } catch (const c10::Error &e) {
            std::cout << "cross_entropy failed: " << e.what_without_backtrace() << "\n";
        }
    }

    show("checkerboard(5)", checkerboard(5));

    const torch::Tensor x = torch::tensor({{1.0f, 2.0f, 3.0f}, {10.0f, 20.0f, 60.0f}});
    show("center_rows(x)", center_rows(x));
    show("flatten_columns(x)", flatten_columns(x));

    torch::Tensor y = torch::tensor({-2.0f, 3.0f, -0.5f, 4.0f});
    zero_negatives_(y);
    show("y after zero_negatives_(y)", y);
    return 0;
}
