// GPU check, item 4: one tebibyte on the lab's device, not caught, as a
// learner's typo would do it. On a GPU: c10::OutOfMemoryError ("CUDA out of
// memory. Tried to allocate 1024.00 GiB ...") and SIGABRT.
#include <torch/torch.h>

#include <torchlab/lab.h>

#include <iostream>

int main()
{
    const torch::Tensor huge = torch::empty(
        {int64_t(1) << 40}, torch::TensorOptions().dtype(torch::kUInt8).device(lab::device()));
    std::cout << "allocated " << huge.numel() << " bytes, which should not happen\n";
    return 0;
}
