<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Doctor</name>
    <message>
        <source>libtorch_cuda was dropped at link time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program was built with %1, but LibTorch saw no GPU when it ran (torch::cuda::is_available() was false): the linker left libtorch_cuda.so out because the program calls nothing in it directly, so LibTorch never loaded its CUDA backend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link it unconditionally: -Wl,--no-as-needed -ltorch_cuda -lc10_cuda -Wl,--as-needed before -ltorch, as TorchLab&apos;s own build profile does. Look for extra link flags or a hand-written build that links only -ltorch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program was built with %1 and libtorch_cuda.so is linked, but CUDA did not start in it (torch::cuda::is_available() was false), so it ran on the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program was built with %1, but CUDA was not available when it ran (torch::cuda::is_available() was false), so it ran on the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No NVIDIA GPU is visible now either: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The driver supports CUDA %1; this LibTorch needs CUDA %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run `torchlab-cli doctor`; check that `nvidia-smi` lists the GPU, that CUDA_VISIBLE_DEVICES does not hide it, and, in a container, that it was started with the GPU (docker run --gpus all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the program was linked by hand, make sure libtorch_cuda is linked with -Wl,--no-as-needed -ltorch_cuda -Wl,--as-needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA was not available to the program</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LessonWorkspace</name>
    <message>
        <source>*The text of this lesson could not be read (%1).*</source>
        <translation>*无法读取本课的文字（%1）。*</translation>
    </message>
    <message>
        <source>Cannot create the work folder %1.</source>
        <translation>无法创建工作文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>This lesson has no solution to compare with.</source>
        <translation>本课没有可供对比的参考答案。</translation>
    </message>
    <message>
        <source>The solution can be compared once the checks pass.</source>
        <translation>检查全部通过后即可对比参考答案。</translation>
    </message>
    <message numerus="yes">
        <source>The solution can be compared after %n failed check(s) or a pass.</source>
        <translation>
            <numerusform>检查失败 %n 次或通过后即可对比参考答案。</numerusform>
        </translation>
    </message>
    <message>
        <source>Failed checks so far: %1.</source>
        <translation>目前失败的检查次数：%1。</translation>
    </message>
    <message>
        <source>This course does not show the solution of this lesson.</source>
        <translation>本课程不提供这一课的参考答案。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The program did not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GPU had no room for a tensor the program asked for. Try a smaller batch, gradient accumulation to keep the effective batch, torch::NoGradGuard during evaluation, and releasing tensors you no longer need. &quot;reserved&quot; is memory the caching allocator holds for reuse; &quot;allocated&quot; is what live tensors use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch refused an operation. The first line says what was wrong, often a shape, dtype or device mismatch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program asked for more memory than its limit allows. Look for a tensor or container that grows far larger than you meant.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>TorchLab: a desktop lab for learning LibTorch</source>
        <translation>TorchLab：学习 LibTorch 的桌面实验室</translation>
    </message>
    <message>
        <source>Open lesson ID (an id or a folder name).</source>
        <translation>打开课程 ID（课程 id 或文件夹名）。</translation>
    </message>
    <message>
        <source>Interface language: en or zh_CN.</source>
        <translation>界面语言：en 或 zh_CN。</translation>
    </message>
    <message>
        <source>Theme for this session: system, light or dark.</source>
        <translation>本次使用的主题：system、light 或 dark。</translation>
    </message>
    <message>
        <source>The course folder (holding pack.toml).</source>
        <translation>课程文件夹（包含 pack.toml）。</translation>
    </message>
    <message>
        <source>Print ready_ms=&lt;ms since the process started&gt; once the window is shown with the course loaded, then quit.</source>
        <translation>窗口显示且课程加载完成后，打印 ready_ms=&lt;自进程启动以来的毫秒数&gt;，然后退出。</translation>
    </message>
    <message>
        <source>TorchLab</source>
        <translation>TorchLab</translation>
    </message>
</context>
<context>
    <name>torchlab</name>
    <message>
        <source>(%1 more)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: the check was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: the code did not compile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: the program did not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: the run was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank %1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped after %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ran %1 s (at most %2 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pattern is not a valid regular expression: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(nothing on %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program never reported the metric &quot;%1&quot; (lab::metric or lab::loss).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 %3 (first %4, min %5, max %6, %7 values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The check code never reported &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown check kind.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program did not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 checks passed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lesson has no checks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shapes: print x.sizes() of every input just before the failing line and compare them with what the operation expects (batch dimension first; use view/reshape, flatten or permute to fix the layout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Types: targets for cross_entropy/nll_loss must be integers (.to(torch::kLong)); inputs to a layer must be float (.to(torch::kFloat)). Print x.dtype() to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices: the model and every tensor it meets must be on the same device; call model-&gt;to(device) once and x.to(device) on each batch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the first line of the error: it names the operation that failed and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An index out of range (index_select, embedding, a class label &gt;= the number of classes) also ends up here: check the largest value you index with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most crashes are an index out of range: a std::vector, a raw pointer or a tensor accessor read past its end. Check loop bounds and sizes (use .at(i) instead of [i] to get an error instead of a crash).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SIGFPE means an integer division by zero: check divisors such as the number of batches or the batch size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SIGABRT means the program aborted itself: an uncaught exception or a failed assertion. The lines just before it say which.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look at the last lines of the output and at the stack trace, if one was printed: they show how far the program got.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use only objects that still exist: no pointer or reference to a local variable that went out of scope, no module member that was never registered or assigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add std::cerr lines before the suspicious parts (std::cerr is not buffered), or run the program under gdb to see the failing line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished">已结束</translation>
    </message>
    <message>
        <source>Exited with an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too much output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File size limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many open files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished">已停止</translation>
    </message>
    <message>
        <source>Could not start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a smaller batch: halve the batch size until the error goes away.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the effective batch size with gradient accumulation: run N smaller batches, call (loss / N).backward() on each, and call optimizer.step() and zero_grad() once every N batches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate inside a torch::NoGradGuard scope (and call model-&gt;eval()): without it every forward pass keeps its activations for a backward pass that never comes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not keep tensors that hold a graph: sum losses with loss.item&lt;double&gt;(), not with loss itself, and let large tensors go out of scope when you are done with them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;Allocated&quot; is memory live tensors use; &quot;reserved&quot; is what the caching allocator keeps for reuse, so it stays high after tensors are freed. c10::cuda::CUDACachingAllocator::emptyCache() gives the unused reserved blocks back to the driver; it cannot free tensors you still hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a smaller model or smaller inputs (fewer channels, smaller images) if the batch is already small.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the sizes of large tensors: one wrong dimension (e.g. an outer product where you meant an elementwise one) can ask for gigabytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a smaller batch, or load the data in batches instead of all at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for a container that grows every step, such as a std::vector of outputs or losses that still hold their graphs; store loss.item&lt;double&gt;() instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate inside a torch::NoGradGuard scope so no graph is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that every loop ends: its condition, and the step counter it relies on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train for fewer steps while trying things out (Quick runs in Settings), then run the full lesson.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move work out of the inner loop: build tensors once, and avoid .item(), printing or copying to the CPU on every step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the GPU when one is available, and batches instead of one sample at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On a slow computer, raise the time scale in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program returned a non-zero status: the last lines it printed usually say why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check what main() returns and every call to exit() or std::abort().</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print less: report every 100th step instead of every step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report values you want to see as a curve with lab::metric or lab::loss: they go to the plot, not the console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for a loop that prints without end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write smaller files: save checkpoints less often, or overwrite one file instead of appending to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for a loop that writes without end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close each file once you are done with it: let std::ofstream / std::ifstream go out of scope, or call close().</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a file once, outside the training loop, instead of on every step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run it again: the build may have been removed while it started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Environment dialog to check the compiler and LibTorch this lab uses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You stopped the program.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time limit exceeded: still running after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program was stopped because it was still running after %1. It may be stuck in a loop or waiting for input that never comes (there is none); check loop conditions and sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of memory: used more than %1 of RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program was stopped because it used more than the %1 of memory it may use. Use a smaller batch or model, and do not keep tensors you no longer need.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output limit exceeded: printed more than %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program printed more than %1 and was stopped. Print less often, for example once every 100 steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program touched memory it does not own, for example through an out-of-range index, a dangling pointer, or a stack overflow from endless recursion. Add prints or run it in a debugger to find the last line reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program accessed memory that cannot be used, for example a memory-mapped file that was truncated or a misaligned pointer. Check pointer casts and mapped files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program did an invalid arithmetic operation, most often an integer division by zero. Check divisors before dividing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program ran an instruction this processor cannot execute, usually because it was built for a different CPU or jumped to a broken address. Rebuild it on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program aborted itself, usually because an assertion failed or an exception was not caught. The last lines of its error output say why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something outside the program killed it (SIGKILL), often the system when memory ran out. Use less memory and run it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program was ended by signal %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not start the program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program could not be started (%1). Build it again and check that the file exists and may be executed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished successfully</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time limit exceeded: used more than %1 of CPU time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program kept the processor busy for longer than the %1 allowed, often because a loop never ends. Check loop conditions, or train for fewer steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file size limit exceeded: a file grew past %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program tried to write a file larger than the %1 allowed and was stopped. Write less data, or look for a loop that writes without end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GPU had no room left for this allocation. Try a smaller batch (gradient accumulation keeps the effective batch size), wrap evaluation in torch::NoGradGuard, free unused tensors and call c10::cuda::CUDACachingAllocator::emptyCache(); &quot;reserved&quot; memory is held by the caching allocator, &quot;allocated&quot; is what live tensors use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU out of memory at start-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA could not set itself up on the GPU (&quot;CUDA error: out of memory&quot;), which usually means other programs hold the GPU&apos;s memory or a limit of this computer blocks it, not that your tensors are too big. Close other GPU programs (nvidia-smi lists them) and run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of memory: an allocation failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program asked for more memory than it may use (%1) and the allocation failed. Check tensor sizes, since one wrong dimension can ask for gigabytes, and use a smaller batch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many open files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program opened more than the %1 files it may have open at once without closing them. Close files (or let them go out of scope) once you are done with them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch stopped the program because an operation was used the wrong way; the message names the operation and the reason. Check the shapes, types and devices of the tensors on that line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crashed: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program ended with exit code %1, which usually means it reported an error. Its last lines of output say what went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>segmentation fault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aborted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bus error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>arithmetic error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>illegal instruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>terminated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broken pipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU time limit exceeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file size limit exceeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trace/breakpoint trap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad system call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alarm clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hang-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signal %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::CheckRunner</name>
    <message>
        <source>%1 holds none of the lesson&apos;s files (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has none of the lesson&apos;s file names (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no such file or folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot copy %1 into the check folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lesson has no C++ file to compile here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This lesson is written for an NVIDIA GPU, and none is usable here, so it ran on the CPU. Results are the same; timings and GPU-memory figures differ (the lesson text says how). `torchlab-cli doctor` says why there is no GPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This lesson builds CUDA kernels with nvcc, which needs a CUDA build of LibTorch and a GPU. Its .cu files were not compiled here; the program took its CPU path instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The check was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank %1: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::ChecksView</name>
    <message>
        <source>Show solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks</source>
        <translation type="unfinished">检查</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Check (Ctrl+Enter) to test your code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished">正在检查…</translation>
    </message>
    <message>
        <source>All %1 checks passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 checks passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checks could not finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compiled in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ran for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quick mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… %n earlier line(s) in the tooltip</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Go to %1, line %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a hint (%1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveals one more hint. Try on your own first!</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n hint(s) shown</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Hint %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare your code with the reference solution.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The solution is not available for this lesson yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to try</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::ChildSetup</name>
    <message>
        <source>could not create a process group: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not set %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not pass the metrics channel: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not switch to the requested group: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not switch to the requested user: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lab exited while the program was starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set-up failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::CodeEditor</name>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>    (reported in %1:%2, instantiated from here)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::CompileJob</name>
    <message>
        <source>Nothing to compile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No C++ compiler is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install clang or g++ (run installer/install-deps.sh), then check `torchlab-cli doctor`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compile cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The compiler ran past its time limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something in the code makes the compiler work without end, such as a runaway template or an #include of a device file. Undo the last change and compile again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The compiler ran out of its memory limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something in the code makes the compiler use huge amounts of memory, such as deeply recursive templates or an #include of a huge or endless file. Undo the last change and compile again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The compiler failed without an error message about the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This points at the toolchain, not your code: run `torchlab-cli doctor`. The compiler said:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compiled in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The linker ran past its time limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linking failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is CUDA code, and nvcc (the CUDA compiler) is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install the CUDA toolkit (it brings nvcc, in /usr/local/cuda) or set CUDA_HOME, then check `torchlab-cli doctor`.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::DiffDialog</name>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; and &lt;b&gt;%2&lt;/b&gt; have the same lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From &lt;b&gt;%1&lt;/b&gt; to &lt;b&gt;%2&lt;/b&gt;: %3, %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No differences.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy diff</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::DoctorDialog</name>
    <message>
        <source>Everything the lab needs is in place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lab works; some things deserve a look.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something keeps the lab from building exercises.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full report (paste it when you ask for help):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the full report as plain text to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for LibTorch, compilers and the GPU again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished">正在检查…</translation>
    </message>
</context>
<context>
    <name>torchlab::EnvironmentSession</name>
    <message>
        <source>Preparing LibTorch was cancelled.</source>
        <translation>已取消 LibTorch 的准备。</translation>
    </message>
    <message>
        <source>No usable LibTorch</source>
        <translation>没有可用的 LibTorch</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>CUDA %1</source>
        <translation>CUDA %1</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 · LibTorch %2 · %3 %4</source>
        <translation>%1 · LibTorch %2 · %3 %4</translation>
    </message>
    <message>
        <source>No NVIDIA GPU was found: %1.</source>
        <translation>未找到 NVIDIA GPU：%1。</translation>
    </message>
</context>
<context>
    <name>torchlab::LessonNavigator</name>
    <message>
        <source>Passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished">未开始</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 lessons passed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::LessonView</name>
    <message>
        <source>Copy code block</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::LossPlot</name>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the program to see its metrics here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight of the past in the moving average (0: raw values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest steps in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 became NaN at step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 became infinite at step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished">无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>torchlab::MainWindow</name>
    <message>
        <source>TorchLab</source>
        <translation>TorchLab</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Compile and run your program</source>
        <translation>编译并运行你的程序</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <source>Run the lesson&apos;s checks on your program</source>
        <translation>用本课的检查来检验你的程序</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop the running program</source>
        <translation>停止正在运行的程序</translation>
    </message>
    <message>
        <source>&amp;Next Lesson</source>
        <translation>下一课(&amp;N)</translation>
    </message>
    <message>
        <source>Open the next lesson</source>
        <translation>打开下一课</translation>
    </message>
    <message>
        <source>&amp;Previous Lesson</source>
        <translation>上一课(&amp;P)</translation>
    </message>
    <message>
        <source>Open the previous lesson</source>
        <translation>打开上一课</translation>
    </message>
    <message>
        <source>Replace your code with the lesson&apos;s starter code (Undo brings it back)</source>
        <translation>用本课的初始代码替换你的代码（撤销可以找回）</translation>
    </message>
    <message>
        <source>Show the differences between your code and the solution</source>
        <translation>显示你的代码与参考答案之间的差异</translation>
    </message>
    <message>
        <source>&amp;Environment…</source>
        <translation>运行环境(&amp;E)…</translation>
    </message>
    <message>
        <source>What TorchLab found on this machine: GPU, LibTorch, compilers</source>
        <translation>TorchLab 在本机上找到的内容：GPU、LibTorch、编译器</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>LibTorch, limits, theme, language, font</source>
        <translation>LibTorch、运行限制、主题、语言、字体</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Larger text in the editor and the lesson</source>
        <translation>放大编辑器和课文中的文字</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Smaller text in the editor and the lesson</source>
        <translation>缩小编辑器和课文中的文字</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close TorchLab (your code is saved)</source>
        <translation>关闭 TorchLab（你的代码已保存）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Lesson</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>问题（%1）</translation>
    </message>
    <message>
        <source>TorchLab — %1</source>
        <translation>TorchLab — %1</translation>
    </message>
    <message>
        <source>&amp;Reset to Starter</source>
        <translation>恢复初始代码(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Compare with Solution…</source>
        <translation>与参考答案对比(&amp;C)…</translation>
    </message>
</context>
<context>
    <name>torchlab::MemoryPlot</name>
    <message>
        <source>GPU used (all processes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this run (NVML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allocated (caching allocator)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reserved (caching allocator)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peak allocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this run (resident memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory use appears here while the program runs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::NvmlSampler</name>
    <message>
        <source>GPU memory cannot be sampled: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No NVIDIA GPU was found, so GPU memory is not sampled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>GPU %1 does not exist (this machine has %n GPU(s)), so its memory is not sampled.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>GPU %1 cannot be sampled: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU memory sampling stopped: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::OutputConsole</name>
    <message>
        <source>[… output truncated: %1 characters not shown …]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Program output appears here when you run your code.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::PchCache</name>
    <message>
        <source>Preparing LibTorch for fast compiles (one time): %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precompiled header ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for another TorchLab process that is preparing LibTorch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished">无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Preparing LibTorch for fast compiles (one time)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precompiled header ready after %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot move the precompiled header into place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the precompiled header was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not precompile LibTorch&apos;s headers (%1). Compiles still work, only slower.
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::ProblemsView</name>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compiler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::ProgressStore</name>
    <message>
        <source>The saved work in %1 was missing; the previous save was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved work in %1 was damaged; the previous save was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved work in %1 was damaged and no backup could be read; the lesson starts from its starter code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save your work to %1: %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save your work: cannot create the folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot flush the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the new data could not be written to disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot replace the previous file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::RankGroup</name>
    <message numerus="yes">
        <source>NCCL: %n rank(s), each on a GPU of its own.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>the build profile runs on the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this LibTorch has no usable NCCL</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>NCCL needs a GPU per rank, and %n rank(s) share %1 GPU(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Gloo, because %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No c10d backend: %1, and this LibTorch has no Gloo.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::RunJob</name>
    <message>
        <source>The compiler rejected the precompiled header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::SettingsDialog</name>
    <message>
        <source>Quick runs (fewer training steps; checks use looser bounds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (best match for this machine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — unusable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (GPU when there is one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished">CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multiplies each lesson&apos;s time limit; raise it on a slow machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lesson&apos;s own limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caps the memory of your program&apos;s runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toolchain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;LibTorch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C++ &amp;compiler:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No LibTorch was found. The Environment dialog says how to install it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Time limit scale:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Memory cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editor &amp;font size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies after restarting the lab.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>torchlab::StudioController</name>
    <message>
        <source>Looking for LibTorch…</source>
        <translation>正在查找 LibTorch…</translation>
    </message>
    <message>
        <source>Not started: preparing LibTorch was cancelled.</source>
        <translation>未开始：LibTorch 的准备已被取消。</translation>
    </message>
    <message>
        <source>Not started: no usable LibTorch and compiler were found.</source>
        <translation>未开始：没有找到可用的 LibTorch 和编译器。</translation>
    </message>
    <message>
        <source>The course in %1 cannot be opened.</source>
        <translation>无法打开 %1 中的课程。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>The last save of this lesson was damaged; your code was restored from %1.</source>
        <translation>本课最近一次保存的文件已损坏；已从 %1 恢复你的代码。</translation>
    </message>
    <message>
        <source>This lesson&apos;s starter code changed in a course update; your own code is kept.</source>
        <translation>课程更新修改了本课的初始代码；你自己的代码仍被保留。</translation>
    </message>
    <message>
        <source>Show the differences between your code and the solution</source>
        <translation>显示你的代码与参考答案之间的差异</translation>
    </message>
    <message>
        <source>Your code could not be saved: %1</source>
        <translation>无法保存你的代码：%1</translation>
    </message>
    <message>
        <source>The starter code is back. Undo (Ctrl+Z) in the editor brings your code back.</source>
        <translation>已恢复初始代码。在编辑器中撤销（Ctrl+Z）可以找回你的代码。</translation>
    </message>
    <message>
        <source>Your code and the solution — %1</source>
        <translation>你的代码与参考答案 — %1</translation>
    </message>
    <message>
        <source>Your code</source>
        <translation>你的代码</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>Check again once the run has ended.</source>
        <translation>请在运行结束后再重新检查。</translation>
    </message>
    <message>
        <source>The new language applies the next time TorchLab starts.</source>
        <translation>新的语言将在下次启动 TorchLab 时生效。</translation>
    </message>
    <message>
        <source>The new LibTorch and compiler apply the next time TorchLab starts.</source>
        <translation>新的 LibTorch 和编译器将在下次启动 TorchLab 时生效。</translation>
    </message>
    <message>
        <source>The settings could not be saved to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <source>Cannot compile: %1</source>
        <translation>无法编译：%1</translation>
    </message>
    <message>
        <source>Waiting for LibTorch to be prepared…</source>
        <translation>正在等待 LibTorch 准备就绪…</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Compiling %1…</source>
        <translation>正在编译 %1…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Compiling…</source>
        <translation>正在编译…</translation>
    </message>
    <message>
        <source>Linking…</source>
        <translation>正在链接…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>All checks passed</source>
        <translation>所有检查均已通过</translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) did not pass</source>
        <translation>
            <numerusform>%n 项检查未通过</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Stopped before it started.</source>
        <translation>在开始之前已停止。</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Does not compile</source>
        <translation>无法编译</translation>
    </message>
    <message>
        <source>Not run</source>
        <translation>未运行</translation>
    </message>
</context>
<context>
    <name>torchlab::WarmupBar</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop preparing LibTorch now; it starts again with the next run.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
