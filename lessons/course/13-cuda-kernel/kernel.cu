// Day 3, lesson 13: the CUDA side of scaled SiLU, out[i] = alpha * x[i] * sigmoid(x[i]).
//
// nvcc compiles this file on its own. It includes only the CUDA runtime, no LibTorch header:
// the launcher takes raw device pointers, an element count and a stream, and exercise.cpp does
// everything that needs a torch::Tensor. The lab compiles it only when it has a GPU, a CUDA build
// of LibTorch and nvcc; it then defines TORCHLAB_WITH_CUDA_KERNELS for the C++ files.
#include <cuda_runtime.h>

#include <cstdint>

// One thread per element. Threads are numbered across the whole grid: block b, thread t handles
// element b * blockDim.x + t. The last block usually has threads past the end; they must not
// touch memory, hence the bounds check. Neighbouring threads read neighbouring floats, so each
// warp's 32 loads combine into a few wide memory transactions (coalescing).
__global__ void scaled_silu_kernel(const float *__restrict__ x, float *__restrict__ out,
                                   int64_t n, float alpha)
{
    // TODO: this thread's element: i = blockIdx.x * blockDim.x + threadIdx.x, computed in
    //       int64_t (an int overflows past 2^31 elements). Threads past the end (i >= n) must not
    //       touch memory. Write alpha * v / (1 + expf(-v)) to out[i], where v = x[i].
    (void)x, (void)out, (void)n, (void)alpha;
}

// Launches the kernel on `stream` for n contiguous floats. x and out are device pointers.
// Returns cudaSuccess, or the error of the launch (a bad configuration, no device, ...). The
// kernel itself runs later: errors inside it show up at the next synchronising call.
extern "C" cudaError_t scaled_silu_launch(const float *x, float *out, int64_t n, float alpha,
                                          cudaStream_t stream)
{
    constexpr int threads = 256; // a multiple of the 32-thread warp
    // TODO: return cudaSuccess at once when n == 0 (a grid of zero blocks is an invalid
    //       configuration), and compute the number of blocks so that blocks * threads >= n,
    //       rounding up. One block of 256 threads covers only the first 256 elements.
    const int64_t blocks = 1;
    scaled_silu_kernel<<<unsigned(blocks), threads, 0, stream>>>(x, out, n, alpha);
    // TODO: return cudaGetLastError(): a launch that failed is otherwise silently ignored.
    return cudaSuccess;
}
