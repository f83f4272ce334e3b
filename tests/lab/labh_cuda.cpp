// lab.h's CUDA branch (TORCHLAB_WITH_CUDA: the caching allocator's
// allocated/reserved/peak) compiled against the LibTorch of this machine and
// the CUDA toolkit's runtime headers. On the CI machine that is Debian's
// LibTorch 1.13 with its c10/cuda headers: the 1.13 side of the version
// guard. Syntax only: a CPU LibTorch has no libc10_cuda to link. The 2.x side
// is compiled on the GPU machine by tests/gpu/run.sh.
#include <torch/torch.h>

#include <torchlab/lab.h>

#ifndef TORCHLAB_WITH_CUDA
#error "this file checks lab.h's CUDA branch: build it with -DTORCHLAB_WITH_CUDA=1"
#endif

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        const torch::Tensor x = torch::ones({4}, device);
        lab::loss(0, x.sum().item<double>());
        lab::memory(0);
    });
}
