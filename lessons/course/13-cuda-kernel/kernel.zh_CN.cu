// 第三天，第 13 课：scaled SiLU 的 CUDA 部分，out[i] = alpha * x[i] * sigmoid(x[i])。
//
// nvcc 单独编译这个文件。它只包含 CUDA 运行时，不包含任何 LibTorch 头文件：
// 启动函数接受裸设备指针、元素个数和一个流，所有需要 torch::Tensor 的工作都由
// exercise.cpp 完成。只有当 TorchLab 有 GPU、CUDA 版的 LibTorch 和 nvcc 时，它才会编译这个文件；
// 此时它还会为各个 C++ 文件定义 TORCHLAB_WITH_CUDA_KERNELS。
#include <cuda_runtime.h>

#include <cstdint>

// 每个元素一个线程。线程在整个网格范围内编号：块 b 中的线程 t 处理
// 元素 b * blockDim.x + t。最后一个块里通常有些线程超出了末尾；它们不能
// 访问内存，所以需要边界检查。相邻的线程读取相邻的 float，因此每个
// warp 的 32 次读取会合并成几次宽访存事务（合并访存，coalescing）。
__global__ void scaled_silu_kernel(const float *__restrict__ x, float *__restrict__ out,
                                   int64_t n, float alpha)
{
    // TODO: 本线程的元素：i = blockIdx.x * blockDim.x + threadIdx.x，要用
    //       int64_t 计算（int 在超过 2^31 个元素时会溢出）。超出末尾的线程（i >= n）
    //       不能访问内存。把 alpha * v / (1 + expf(-v)) 写入 out[i]，其中 v = x[i]。
    (void)x, (void)out, (void)n, (void)alpha;
}

// 在 `stream` 上为 n 个连续的 float 启动 kernel。x 和 out 是设备指针。
// 返回 cudaSuccess，或者启动时的错误（配置无效、没有设备……）。
// kernel 本身稍后才运行：它内部的错误要到下一次同步调用时才会暴露。
extern "C" cudaError_t scaled_silu_launch(const float *x, float *out, int64_t n, float alpha,
                                          cudaStream_t stream)
{
    constexpr int threads = 256; // 32 线程 warp 的整数倍
    // TODO: n == 0 时立即返回 cudaSuccess（零个块的网格是无效的
    //       配置），并向上取整计算块数，使 blocks * threads >= n。
    //       一个 256 线程的块只能覆盖前 256 个元素。
    const int64_t blocks = 1;
    scaled_silu_kernel<<<unsigned(blocks), threads, 0, stream>>>(x, out, n, alpha);
    // TODO: 返回 cudaGetLastError()：否则启动失败会被悄无声息地忽略。
    return cudaSuccess;
}
