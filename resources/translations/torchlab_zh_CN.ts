<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Doctor</name>
    <message>
        <source>libtorch_cuda was dropped at link time</source>
        <translation>链接时丢掉了 libtorch_cuda</translation>
    </message>
    <message>
        <source>The program was built with %1, but LibTorch saw no GPU when it ran (torch::cuda::is_available() was false): the linker left libtorch_cuda.so out because the program calls nothing in it directly, so LibTorch never loaded its CUDA backend.</source>
        <translation>程序使用 %1 构建，但运行时 LibTorch 没有看到 GPU（torch::cuda::is_available() 为 false）：程序没有直接调用 libtorch_cuda.so 中的任何内容，链接器就把它省略了，因此 LibTorch 从未加载它的 CUDA 后端。</translation>
    </message>
    <message>
        <source>Link it unconditionally: -Wl,--no-as-needed -ltorch_cuda -lc10_cuda -Wl,--as-needed before -ltorch, as TorchLab&apos;s own build profile does. Look for extra link flags or a hand-written build that links only -ltorch.</source>
        <translation>无条件地链接它：在 -ltorch 之前加上 -Wl,--no-as-needed -ltorch_cuda -lc10_cuda -Wl,--as-needed，TorchLab 自己的构建配置就是这样做的。检查是否有额外的链接选项，或手写的构建只链接了 -ltorch。</translation>
    </message>
    <message>
        <source>The program was built with %1 and libtorch_cuda.so is linked, but CUDA did not start in it (torch::cuda::is_available() was false), so it ran on the CPU.</source>
        <translation>程序使用 %1 构建，也链接了 libtorch_cuda.so，但 CUDA 没有在其中启动（torch::cuda::is_available() 为 false），因此程序在 CPU 上运行。</translation>
    </message>
    <message>
        <source>The program was built with %1, but CUDA was not available when it ran (torch::cuda::is_available() was false), so it ran on the CPU.</source>
        <translation>程序使用 %1 构建，但运行时 CUDA 不可用（torch::cuda::is_available() 为 false），因此程序在 CPU 上运行。</translation>
    </message>
    <message>
        <source>No NVIDIA GPU is visible now either: %1.</source>
        <translation>现在也看不到任何 NVIDIA GPU：%1。</translation>
    </message>
    <message>
        <source>The driver supports CUDA %1; this LibTorch needs CUDA %2.</source>
        <translation>驱动支持 CUDA %1；此 LibTorch 需要 CUDA %2。</translation>
    </message>
    <message>
        <source>Run `torchlab-cli doctor`; check that `nvidia-smi` lists the GPU, that CUDA_VISIBLE_DEVICES does not hide it, and, in a container, that it was started with the GPU (docker run --gpus all).</source>
        <translation>运行 `torchlab-cli doctor`；检查 `nvidia-smi` 是否列出了该 GPU、CUDA_VISIBLE_DEVICES 是否把它隐藏了，以及在容器中是否带着 GPU 启动（docker run --gpus all）。</translation>
    </message>
    <message>
        <source>If the program was linked by hand, make sure libtorch_cuda is linked with -Wl,--no-as-needed -ltorch_cuda -Wl,--as-needed.</source>
        <translation>如果程序是手动链接的，请确保用 -Wl,--no-as-needed -ltorch_cuda -Wl,--as-needed 链接 libtorch_cuda。</translation>
    </message>
    <message>
        <source>CUDA was not available to the program</source>
        <translation>程序无法使用 CUDA</translation>
    </message>
    <message>
        <source>If this machine has an NVIDIA GPU, check that `nvidia-smi` lists it; in a container, pass the GPU in (docker run --gpus all).</source>
        <translation>如果这台机器有 NVIDIA GPU，请检查 `nvidia-smi` 是否列出了它；在容器中，请把 GPU 传进去（docker run --gpus all）。</translation>
    </message>
    <message>
        <source>Load the driver (sudo modprobe nvidia) or reboot after installing it.</source>
        <translation>加载驱动（sudo modprobe nvidia），或在安装驱动后重启。</translation>
    </message>
    <message>
        <source>Reboot, so that the kernel driver and its libraries are the same version.</source>
        <translation>重启，使内核驱动与其库的版本一致。</translation>
    </message>
    <message>
        <source>Give your user access to /dev/nvidia* (often: add it to the video group).</source>
        <translation>让你的用户能访问 /dev/nvidia*（通常是把用户加入 video 组）。</translation>
    </message>
    <message>
        <source>Run `nvidia-smi` to see the driver&apos;s own error, then reinstall or update the NVIDIA driver.</source>
        <translation>运行 `nvidia-smi` 查看驱动本身报告的错误，然后重新安装或更新 NVIDIA 驱动。</translation>
    </message>
    <message>
        <source>Install the NVIDIA driver&apos;s user-space libraries (the package providing libnvidia-ml.so.1, e.g. libnvidia-ml1 or nvidia-utils), or start the container with the NVIDIA container runtime.</source>
        <translation>安装 NVIDIA 驱动的用户态库（提供 libnvidia-ml.so.1 的软件包，例如 libnvidia-ml1 或 nvidia-utils），或使用 NVIDIA 容器运行时启动容器。</translation>
    </message>
    <message>
        <source>Nothing to do on a machine without an NVIDIA GPU. If it has one, install the NVIDIA driver (Debian: apt install nvidia-driver; Ubuntu: ubuntu-drivers install).</source>
        <translation>没有 NVIDIA GPU 的机器无需处理。如果有，请安装 NVIDIA 驱动（Debian：apt install nvidia-driver；Ubuntu：ubuntu-drivers install）。</translation>
    </message>
    <message>
        <source>NVIDIA GPU found</source>
        <translation>找到 NVIDIA GPU</translation>
    </message>
    <message>
        <source>No NVIDIA GPU</source>
        <translation>没有 NVIDIA GPU</translation>
    </message>
    <message>
        <source>No NVIDIA GPU was found: %1. Exercises run on the CPU; GPU-only parts of lessons explain what would differ.</source>
        <translation>未找到 NVIDIA GPU：%1。练习在 CPU 上运行；课程中仅限 GPU 的部分会说明有何不同。</translation>
    </message>
    <message>
        <source>%1: limited</source>
        <translation>%1：功能受限</translation>
    </message>
    <message>
        <source>LibTorch at %1 cannot be used</source>
        <translation>无法使用位于 %1 的 LibTorch</translation>
    </message>
    <message>
        <source>It was found through %1, but %2.</source>
        <translation>它是通过 %1 找到的，但 %2。</translation>
    </message>
    <message>
        <source>Reinstall it, or remove it (or the variable that points at it) so it stops shadowing a working install.</source>
        <translation>重新安装它，或删除它（或指向它的变量），以免它遮蔽可用的安装。</translation>
    </message>
    <message>
        <source>No LibTorch</source>
        <translation>没有 LibTorch</translation>
    </message>
    <message>
        <source>No usable LibTorch (the PyTorch C++ library) was found, so exercises cannot be compiled.</source>
        <translation>未找到可用的 LibTorch（PyTorch 的 C++ 库），因此无法编译练习。</translation>
    </message>
    <message>
        <source>Install Debian&apos;s build (sudo apt install libtorch-dev), or unpack the LibTorch zip from pytorch.org and set LIBTORCH to its folder.</source>
        <translation>安装 Debian 的构建（sudo apt install libtorch-dev），或解压 pytorch.org 上的 LibTorch zip 并把 LIBTORCH 设为其文件夹。</translation>
    </message>
    <message>
        <source>No C++ compiler</source>
        <translation>没有 C++ 编译器</translation>
    </message>
    <message>
        <source>Neither clang++ nor g++ was found, so exercises cannot be compiled.</source>
        <translation>未找到 clang++ 或 g++，因此无法编译练习。</translation>
    </message>
    <message>
        <source>Install one: sudo apt install clang lld (or g++).</source>
        <translation>安装一个：sudo apt install clang lld（或 g++）。</translation>
    </message>
    <message>
        <source>C++ ABI mismatch</source>
        <translation>C++ ABI 不匹配</translation>
    </message>
    <message>
        <source>%1 was built with _GLIBCXX_USE_CXX11_ABI=%2, but exercises would be compiled with ABI %3: linking fails with undefined references to std::string functions.</source>
        <translation>%1 是用 _GLIBCXX_USE_CXX11_ABI=%2 构建的，但练习会以 ABI %3 编译：链接会因 std::string 函数的未定义引用而失败。</translation>
    </message>
    <message>
        <source>Use a LibTorch built for ABI %1 (the &quot;cxx11 ABI&quot; zip, or pip torch 2.7 or newer), or a compiler that can build ABI %2.</source>
        <translation>使用为 ABI %1 构建的 LibTorch（“cxx11 ABI” zip，或 pip torch 2.7 及更新版本），或使用能构建 ABI %2 的编译器。</translation>
    </message>
    <message>
        <source>%1 was built with _GLIBCXX_USE_CXX11_ABI=%2, and no compiler found here can build that ABI (%3 builds only ABI %4).</source>
        <translation>%1 是用 _GLIBCXX_USE_CXX11_ABI=%2 构建的，而这里找到的编译器都无法构建该 ABI（%3 只能构建 ABI %4）。</translation>
    </message>
    <message>
        <source>Use a LibTorch built for ABI %1, or install a g++/clang++ whose libstdc++ supports both ABIs.</source>
        <translation>使用为 ABI %1 构建的 LibTorch，或安装其 libstdc++ 同时支持两种 ABI 的 g++/clang++。</translation>
    </message>
    <message>
        <source>NVIDIA driver older than LibTorch&apos;s CUDA</source>
        <translation>NVIDIA 驱动比 LibTorch 的 CUDA 旧</translation>
    </message>
    <message>
        <source>The driver %1 supports CUDA up to %2, but %3 was built with CUDA %4. %5</source>
        <translation>驱动 %1 最高支持 CUDA %2，但 %3 是用 CUDA %4 构建的。%5</translation>
    </message>
    <message>
        <source>Within one CUDA major version this usually works (minor-version compatibility), but some kernels may fail.</source>
        <translation>在同一 CUDA 主版本内通常可以工作（次版本兼容），但某些内核可能失败。</translation>
    </message>
    <message>
        <source>CUDA will fail to start, so runs fall back to the CPU.</source>
        <translation>CUDA 将无法启动，因此运行会退回到 CPU。</translation>
    </message>
    <message>
        <source>Update the NVIDIA driver to one that supports CUDA %1, or use a LibTorch built for CUDA %2 or older.</source>
        <translation>将 NVIDIA 驱动更新到支持 CUDA %1 的版本，或使用为 CUDA %2 或更旧版本构建的 LibTorch。</translation>
    </message>
    <message>
        <source>Nothing to build with</source>
        <translation>没有可用于构建的工具</translation>
    </message>
    <message>
        <source>Build profile chosen</source>
        <translation>已选定构建配置</translation>
    </message>
    <message>
        <source>Check the overrides</source>
        <translation>请检查覆盖设置</translation>
    </message>
    <message>
        <source>CPU-only LibTorch on a GPU machine</source>
        <translation>GPU 机器上使用了仅 CPU 的 LibTorch</translation>
    </message>
    <message>
        <source>%1 is selected although %2 is present, so exercises run on the CPU.</source>
        <translation>虽然存在 %2，但选中的是 %1，因此练习在 CPU 上运行。</translation>
    </message>
    <message>
        <source>Point LIBTORCH at a CUDA build (the %1 LibTorch zip from pytorch.org), or pip install torch with CUDA (pip install torch --index-url https://download.pytorch.org/whl/%1), then run the doctor again.</source>
        <translation>让 LIBTORCH 指向 CUDA 构建（pytorch.org 上的 %1 LibTorch zip），或用 pip 安装带 CUDA 的 torch（pip install torch --index-url https://download.pytorch.org/whl/%1），然后再次运行诊断。</translation>
    </message>
    <message>
        <source>No nvcc</source>
        <translation>没有 nvcc</translation>
    </message>
    <message>
        <source>The CUDA compiler nvcc was not found. Only the custom CUDA kernel lesson needs it.</source>
        <translation>未找到 CUDA 编译器 nvcc。只有自定义 CUDA 内核那一课需要它。</translation>
    </message>
    <message>
        <source>Install the CUDA toolkit%1 (it lands in /usr/local/cuda), or set CUDA_HOME.</source>
        <translation>安装 CUDA 工具包%1（会安装到 /usr/local/cuda），或设置 CUDA_HOME。</translation>
    </message>
    <message>
        <source>nvcc does not match LibTorch&apos;s CUDA</source>
        <translation>nvcc 与 LibTorch 的 CUDA 不匹配</translation>
    </message>
    <message>
        <source>nvcc %1 (%2) is %3 the CUDA %4 LibTorch was built with; the custom kernel lesson may not compile or link.</source>
        <translation>nvcc %1（%2）与构建 LibTorch 所用的 CUDA %4 相比%3；自定义内核那一课可能无法编译或链接。</translation>
    </message>
    <message>
        <source>older than</source>
        <translation>版本更旧</translation>
    </message>
    <message>
        <source>a different major version from</source>
        <translation>主版本不同</translation>
    </message>
    <message>
        <source>Install the CUDA toolkit %1 and point CUDA_HOME at it.</source>
        <translation>安装 CUDA 工具包 %1，并让 CUDA_HOME 指向它。</translation>
    </message>
    <message>
        <source>No lld linker</source>
        <translation>没有 lld 链接器</translation>
    </message>
    <message>
        <source>ld.lld was not found, so exercises link with the default linker: about 0.8 s per run instead of 0.1 s.</source>
        <translation>未找到 ld.lld，因此练习使用默认链接器链接：每次运行约 0.8 秒，而不是 0.1 秒。</translation>
    </message>
    <message>
        <source>Install it: sudo apt install lld.</source>
        <translation>安装它：sudo apt install lld。</translation>
    </message>
    <message>
        <source>Install the Gloo headers: sudo apt install libgloo-dev.</source>
        <translation>安装 Gloo 头文件：sudo apt install libgloo-dev。</translation>
    </message>
    <message>
        <source>Use a LibTorch whose include/ folder has the Gloo headers (include/gloo next to include/torch).</source>
        <translation>使用 include/ 文件夹中带有 Gloo 头文件的 LibTorch（include/gloo 与 include/torch 并列）。</translation>
    </message>
    <message>
        <source>Gloo not usable</source>
        <translation>Gloo 不可用</translation>
    </message>
    <message>
        <source>c10d&apos;s Gloo backend is not usable; the multi-rank lesson uses NCCL on the GPU instead.</source>
        <translation>c10d 的 Gloo 后端不可用；多进程那一课改为在 GPU 上使用 NCCL。</translation>
    </message>
    <message>
        <source>c10d&apos;s Gloo backend is not usable, so the multi-rank lesson cannot run on the CPU.</source>
        <translation>c10d 的 Gloo 后端不可用，因此多进程那一课无法在 CPU 上运行。</translation>
    </message>
    <message>
        <source>Setting ignored</source>
        <translation>设置已忽略</translation>
    </message>
    <message>
        <source>the lab&apos;s watchdog stops a run with more than 1024 processes (the kernel&apos;s per-user process limit does not hold for root)</source>
        <translation>TorchLab 的看门狗会停止同时拥有 1024 个以上进程的运行（内核的每用户进程数限制对 root 不起作用）</translation>
    </message>
    <message>
        <source>a per-user process limit (RLIMIT_NPROC) and the lab&apos;s watchdog (1024 processes per run)</source>
        <translation>每用户进程数限制（RLIMIT_NPROC）以及 TorchLab 的看门狗（每次运行 1024 个进程）</translation>
    </message>
    <message>
        <source>The sandbox is turned off</source>
        <translation>沙箱已关闭</translation>
    </message>
    <message>
        <source>Lessons&apos; and packs&apos; programs run with all the rights of your account: they can read your files and use the network.</source>
        <translation>课程和课程包的程序以你账户的全部权限运行：它们可以读取你的文件，也可以使用网络。</translation>
    </message>
    <message>
        <source>Choose &quot;Use the sandbox when possible&quot; in Settings (or unset TORCHLAB_SANDBOX).</source>
        <translation>在“设置”中选择“尽可能使用沙箱”（或取消设置 TORCHLAB_SANDBOX）。</translation>
    </message>
    <message>
        <source>Programs run in a sandbox</source>
        <translation>程序在沙箱中运行</translation>
    </message>
    <message>
        <source>Lessons&apos; and packs&apos; programs run in a bubblewrap sandbox: your files are read-only to them, your keys and sessions hidden, the network cut off, and everything they start ends with the run.</source>
        <translation>课程和课程包的程序在 bubblewrap 沙箱中运行：你的文件对它们只读，你的密钥和会话被隐藏，网络被切断，它们启动的一切都随运行结束。</translation>
    </message>
    <message>
        <source>The sandbox is required and cannot be made</source>
        <translation>要求使用沙箱，但无法创建</translation>
    </message>
    <message>
        <source>Runs are refused: %1.</source>
        <translation>运行会被拒绝：%1。</translation>
    </message>
    <message>
        <source>Install bubblewrap (sudo apt install bubblewrap), run the lab where user namespaces are allowed, or stop requiring the sandbox in Settings.</source>
        <translation>安装 bubblewrap（sudo apt install bubblewrap），在允许用户命名空间的环境中运行 TorchLab，或在“设置”中不再要求沙箱。</translation>
    </message>
    <message>
        <source>No sandbox</source>
        <translation>没有沙箱</translation>
    </message>
    <message>
        <source>Programs run without the sandbox, with the time, memory and file limits only: %1.</source>
        <translation>程序在沙箱之外运行，只受时间、内存和文件限制：%1。</translation>
    </message>
    <message>
        <source>Install bubblewrap (sudo apt install bubblewrap), or run the lab where user namespaces are allowed.</source>
        <translation>安装 bubblewrap（sudo apt install bubblewrap），或在允许用户命名空间的环境中运行 TorchLab。</translation>
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
    <message>
        <source>This lesson is graded on the course server; its solution stays there.</source>
        <translation>本课在课程服务器上评分；它的参考答案只保存在服务器上。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The program did not run.</source>
        <translation>程序没有运行。</translation>
    </message>
    <message>
        <source>GPU out of memory</source>
        <translation>显存不足</translation>
    </message>
    <message>
        <source>The GPU had no room for a tensor the program asked for. Try a smaller batch, gradient accumulation to keep the effective batch, torch::NoGradGuard during evaluation, and releasing tensors you no longer need. &quot;reserved&quot; is memory the caching allocator holds for reuse; &quot;allocated&quot; is what live tensors use.</source>
        <translation>GPU 已放不下程序申请的张量。可以尝试更小的 batch、用梯度累积保持有效批大小、评估时使用 torch::NoGradGuard，并释放不再需要的张量。“已保留”（reserved）是缓存分配器留作复用的显存；“已分配”（allocated）是存活张量使用的显存。</translation>
    </message>
    <message>
        <source>LibTorch error: %1</source>
        <translation>LibTorch 错误：%1</translation>
    </message>
    <message>
        <source>LibTorch refused an operation. The first line says what was wrong, often a shape, dtype or device mismatch.</source>
        <translation>LibTorch 拒绝执行某个操作。第一行说明了问题所在，通常是形状、dtype 或设备不匹配。</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>The program asked for more memory than its limit allows. Look for a tensor or container that grows far larger than you meant.</source>
        <translation>程序申请的内存超出了限制。请查找比预想大得多的张量或容器。</translation>
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
    <message>
        <source>A torchlab://subscribe?… link from your instructor.</source>
        <translation>讲师给你的 torchlab://subscribe?… 链接。</translation>
    </message>
</context>
<context>
    <name>torchlab::ArchiveRunDialog</name>
    <message>
        <source>Export Run for Archiving</source>
        <translation>导出运行以归档</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>One author per line: Name, or Name, ORCID iD</source>
        <translation>每行一位作者：姓名，或 姓名, ORCID iD</translation>
    </message>
    <message>
        <source>&amp;Authors:</source>
        <translation>作者(&amp;A)：</translation>
    </message>
    <message>
        <source>An SPDX license identifier</source>
        <translation>SPDX 许可证标识符</translation>
    </message>
    <message>
        <source>&amp;License:</source>
        <translation>许可证(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>描述(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>保存为(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>The code, environment, seed, output, metrics and plots of the last finished run, with CITATION.cff, Zenodo metadata and a SHA-256 manifest, as one .tar.gz.</source>
        <translation>最近一次完成的运行的代码、环境、种子、输出、指标和图表，连同 CITATION.cff、Zenodo 元数据和 SHA-256 清单，打包成一个 .tar.gz。</translation>
    </message>
    <message>
        <source>Archive (*.tar.gz)</source>
        <translation>归档包 (*.tar.gz)</translation>
    </message>
    <message>
        <source>The archive needs a title.</source>
        <translation>归档包需要标题。</translation>
    </message>
    <message>
        <source>Choose a license (CC-BY-4.0 if unsure).</source>
        <translation>请选择许可证（不确定时选 CC-BY-4.0）。</translation>
    </message>
    <message>
        <source>Choose where to save the archive.</source>
        <translation>请选择归档包的保存位置。</translation>
    </message>
</context>
<context>
    <name>torchlab::BundleArchive</name>
    <message>
        <source>no details</source>
        <translation>没有详细信息</translation>
    </message>
    <message>
        <source>Cannot make the archive: %1.</source>
        <translation>无法生成归档包：%1。</translation>
    </message>
    <message>
        <source>Cannot add %1 to the archive: %2.</source>
        <translation>无法把 %1 加入归档包：%2。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is not a safe bundle: the entry %2 %3.</source>
        <translation>%1 不是安全的归档包：条目 %2 %3。</translation>
    </message>
    <message>
        <source>%1 holds more than %2 entries.</source>
        <translation>%1 含有超过 %2 个条目。</translation>
    </message>
    <message>
        <source>has no name</source>
        <translation>没有名称</translation>
    </message>
    <message>
        <source>is an absolute path</source>
        <translation>是绝对路径</translation>
    </message>
    <message>
        <source>has a backslash or a control character</source>
        <translation>含有反斜杠或控制字符</translation>
    </message>
    <message>
        <source>contains &quot;..&quot;</source>
        <translation>含有 &quot;..&quot;</translation>
    </message>
    <message>
        <source>lies deeper than %1 folders</source>
        <translation>所在层级深于 %1 层文件夹</translation>
    </message>
    <message>
        <source>is a link; a bundle holds only files and folders</source>
        <translation>是链接；归档包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>is a device, a FIFO or a socket; a bundle holds only files and folders</source>
        <translation>是设备、FIFO 或套接字；归档包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>lies outside the bundle&apos;s folder %1</source>
        <translation>位于归档包的文件夹 %1 之外</translation>
    </message>
    <message>
        <source>is a file beside the bundle&apos;s folder</source>
        <translation>是与归档包文件夹并列的文件</translation>
    </message>
    <message>
        <source>appears twice</source>
        <translation>出现了两次</translation>
    </message>
    <message>
        <source>is larger than %1 MiB</source>
        <translation>大于 %1 MiB</translation>
    </message>
    <message>
        <source>%1 holds more than %2 MiB.</source>
        <translation>%1 的内容超过 %2 MiB。</translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation>%1 是空的。</translation>
    </message>
    <message>
        <source>the bundle has no %1</source>
        <translation>归档包中没有 %1</translation>
    </message>
    <message>
        <source>not a manifest line: %1</source>
        <translation>不是清单行：%1</translation>
    </message>
    <message>
        <source>changed: %1</source>
        <translation>已改动：%1</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>缺失：%1</translation>
    </message>
    <message>
        <source>not in the manifest: %1</source>
        <translation>不在清单中：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::BundleMetadata</name>
    <message>
        <source>An author needs a name (&quot;Name&quot; or &quot;Name,ORCID&quot;).</source>
        <translation>作者需要姓名（&quot;姓名&quot; 或 &quot;姓名,ORCID&quot;）。</translation>
    </message>
    <message>
        <source>%1 is not an ORCID iD (0000-0002-1825-0097).</source>
        <translation>%1 不是 ORCID iD（形如 0000-0002-1825-0097）。</translation>
    </message>
</context>
<context>
    <name>torchlab::Check</name>
    <message>
        <source>The program compiles without warnings</source>
        <translation>程序编译通过且没有警告</translation>
    </message>
    <message>
        <source>The program compiles</source>
        <translation>程序编译通过</translation>
    </message>
    <message>
        <source>The program ends without an error</source>
        <translation>程序正常结束，没有错误</translation>
    </message>
    <message>
        <source>The error output shows the expected text</source>
        <translation>错误输出中有预期的文字</translation>
    </message>
    <message>
        <source>The output shows the expected text</source>
        <translation>输出中有预期的文字</translation>
    </message>
    <message>
        <source>Final %1 is between %2 and %3</source>
        <translation>%1 的最终值在 %2 到 %3 之间</translation>
    </message>
    <message>
        <source>Final %1 is at least %2</source>
        <translation>%1 的最终值不低于 %2</translation>
    </message>
    <message>
        <source>Final %1 is at most %2</source>
        <translation>%1 的最终值不超过 %2</translation>
    </message>
    <message>
        <source>Lowest %1 is between %2 and %3</source>
        <translation>%1 的最小值在 %2 到 %3 之间</translation>
    </message>
    <message>
        <source>Lowest %1 is at least %2</source>
        <translation>%1 的最小值不低于 %2</translation>
    </message>
    <message>
        <source>Lowest %1 is at most %2</source>
        <translation>%1 的最小值不超过 %2</translation>
    </message>
    <message>
        <source>Highest %1 is between %2 and %3</source>
        <translation>%1 的最大值在 %2 到 %3 之间</translation>
    </message>
    <message>
        <source>Highest %1 is at least %2</source>
        <translation>%1 的最大值不低于 %2</translation>
    </message>
    <message>
        <source>Highest %1 is at most %2</source>
        <translation>%1 的最大值不超过 %2</translation>
    </message>
    <message>
        <source>Finishes within %1 s</source>
        <translation>在 %1 秒内完成</translation>
    </message>
</context>
<context>
    <name>torchlab::CheckEvaluator</name>
    <message>
        <source>(%1 more)</source>
        <translation>（还有 %1 条）</translation>
    </message>
    <message>
        <source>Not checked: the check was stopped.</source>
        <translation>未检查：检查已停止。</translation>
    </message>
    <message>
        <source>Not checked: the code did not compile.</source>
        <translation>未检查：代码无法编译。</translation>
    </message>
    <message>
        <source>Not checked: the program did not run.</source>
        <translation>未检查：程序没有运行。</translation>
    </message>
    <message>
        <source>Not checked: the run was stopped.</source>
        <translation>未检查：运行已停止。</translation>
    </message>
    <message>
        <source>Rank %1: </source>
        <translation>Rank %1：</translation>
    </message>
    <message>
        <source>Not checked: %1%2</source>
        <translation>未检查：%1%2</translation>
    </message>
    <message>
        <source>stopped after %1 s</source>
        <translation>%1 s 后被停止</translation>
    </message>
    <message>
        <source>ran %1 s (at most %2 s)</source>
        <translation>运行了 %1 s（上限 %2 s）</translation>
    </message>
    <message>
        <source>The pattern is not a valid regular expression: %1.</source>
        <translation>该模式不是有效的正则表达式：%1。</translation>
    </message>
    <message>
        <source>(nothing on %1)</source>
        <translation>（%1 上没有输出）</translation>
    </message>
    <message>
        <source>The program never reported the metric &quot;%1&quot; (lab::metric or lab::loss).</source>
        <translation>程序从未报告指标“%1”（lab::metric 或 lab::loss）。</translation>
    </message>
    <message>
        <source>%1: %2 %3 (first %4, min %5, max %6, %7 values)</source>
        <translation>%1：%2 %3（首个 %4，最小 %5，最大 %6，共 %7 个值）</translation>
    </message>
    <message>
        <source>The check code never reported &quot;%1&quot;.</source>
        <translation>检查代码从未报告“%1”。</translation>
    </message>
    <message>
        <source>Unknown check kind.</source>
        <translation>未知的检查类型。</translation>
    </message>
    <message>
        <source>The program did not run.</source>
        <translation>程序没有运行。</translation>
    </message>
    <message>
        <source>%1 of %2 checks passed.</source>
        <translation>%1/%2 项检查通过。</translation>
    </message>
    <message>
        <source>The lesson has no checks.</source>
        <translation>本课没有检查。</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <extracomment>A run&apos;s summary and its explanation joined into one sentence pair.</extracomment>
        <translation>%1。%2</translation>
    </message>
    <message>
        <source>(The program reported more check names than the lab tallies; reports of later names were not counted.)</source>
        <translation>（程序上报的检查名称多于实验室统计的上限；之后出现的名称的上报没有被计入。）</translation>
    </message>
    <message>
        <source>The check code skipped &quot;%1&quot; without a reason.</source>
        <translation>检查代码跳过了“%1”，但没有说明原因。</translation>
    </message>
    <message>
        <source>1 check could not run here and was skipped.</source>
        <translation>有 1 项检查无法在这里运行，已跳过。</translation>
    </message>
    <message>
        <source>%1 checks could not run here and were skipped.</source>
        <translation>有 %1 项检查无法在这里运行，已跳过。</translation>
    </message>
    <message>
        <source>Your files compile; the errors are in the lesson&apos;s check code (%1), where it uses your code. Keep the names and signatures the starter gives. If your code does, the lesson pack has a mistake: tell your instructor.</source>
        <translation>你的文件能够编译；错误出在本课的检查代码（%1）中调用你代码的地方。请保留起始代码给出的名称和函数签名。如果你的代码已经如此，那就是课程包本身有错误：请告诉你的老师。</translation>
    </message>
</context>
<context>
    <name>torchlab::CheckRunner</name>
    <message>
        <source>%1 holds none of the lesson&apos;s files (%2).</source>
        <translation>%1 中没有本课的任何文件（%2）。</translation>
    </message>
    <message>
        <source>%1 has none of the lesson&apos;s file names (%2).</source>
        <translation>%1 与本课的文件名都不相符（%2）。</translation>
    </message>
    <message>
        <source>%1: no such file or folder.</source>
        <translation>%1：没有这个文件或文件夹。</translation>
    </message>
    <message>
        <source>Cannot copy %1 into the check folder.</source>
        <translation>无法把 %1 复制到检查文件夹。</translation>
    </message>
    <message>
        <source>The lesson has no C++ file to compile here.</source>
        <translation>本课没有可在这里编译的 C++ 文件。</translation>
    </message>
    <message>
        <source>This lesson is written for an NVIDIA GPU, and none is usable here, so it ran on the CPU. Results are the same; timings and GPU-memory figures differ (the lesson text says how). `torchlab-cli doctor` says why there is no GPU.</source>
        <translation>本课是为 NVIDIA GPU 编写的，而这里没有可用的 GPU，因此在 CPU 上运行。结果相同，但耗时和显存数据不同（课文中有说明）。`torchlab-cli doctor` 会说明为什么没有 GPU。</translation>
    </message>
    <message>
        <source>This lesson builds CUDA kernels with nvcc, which needs a CUDA build of LibTorch and a GPU. Its .cu files were not compiled here; the program took its CPU path instead.</source>
        <translation>本课用 nvcc 构建 CUDA 内核，这需要 CUDA 版的 LibTorch 和一块 GPU。这里没有编译它的 .cu 文件；程序改走了 CPU 路径。</translation>
    </message>
    <message>
        <source>Rank %1: </source>
        <translation>Rank %1：</translation>
    </message>
    <message>
        <source>This lesson builds CUDA kernels with nvcc, and nvcc was not found (install the CUDA toolkit or set CUDA_HOME). Its .cu files were not compiled here; the kernels took their CPU path instead, and the rest of the program still ran on the GPU.</source>
        <translation>本课用 nvcc 构建 CUDA 内核，但找不到 nvcc（请安装 CUDA 工具包或设置 CUDA_HOME）。这里没有编译它的 .cu 文件；这些内核改走了 CPU 路径，程序的其余部分仍在 GPU 上运行。</translation>
    </message>
    <message>
        <source>Not sandboxed: %1. The program ran with all the rights of your account (docs/sandbox.md).</source>
        <translation>未使用沙箱：%1。程序以你账户的全部权限运行（docs/sandbox.md）。</translation>
    </message>
    <message>
        <source>This lesson is graded on the course server: its checks are not on this computer. Choose your course&apos;s grading target and check again; Run works here as before.</source>
        <translation>这节课在课程服务器上评分：它的检查不在这台电脑上。请选择课程的评分目标后再检查；“运行”在这里照常可用。</translation>
    </message>
    <message>
        <source>This Check ran on the course server; your instructor sees its result.</source>
        <translation>这次检查在课程服务器上进行；你的老师能看到结果。</translation>
    </message>
</context>
<context>
    <name>torchlab::ChecksView</name>
    <message>
        <source>Show solution</source>
        <translation>查看参考答案</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Hints</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Press Check (Ctrl+Enter) to test your code.</source>
        <translation>按“检查”（Ctrl+Enter）测试你的代码。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>All %1 checks passed</source>
        <translation>全部 %1 项检查通过</translation>
    </message>
    <message>
        <source>%1 of %2 checks passed</source>
        <translation>%1/%2 项检查通过</translation>
    </message>
    <message>
        <source>The checks could not finish</source>
        <translation>检查未能完成</translation>
    </message>
    <message>
        <source>compiled in %1 s</source>
        <translation>编译用时 %1 s</translation>
    </message>
    <message>
        <source>ran for %1 s</source>
        <translation>运行用时 %1 s</translation>
    </message>
    <message>
        <source>quick mode</source>
        <translation>快速模式</translation>
    </message>
    <message numerus="yes">
        <source>… %n earlier line(s) in the tooltip</source>
        <translation>
            <numerusform>… 之前的 %n 行见悬停提示</numerusform>
        </translation>
    </message>
    <message>
        <source>Go to %1, line %2</source>
        <translation>转到 %1 第 %2 行</translation>
    </message>
    <message>
        <source>Show a hint (%1 of %2)</source>
        <translation>显示提示（%1/%2）</translation>
    </message>
    <message>
        <source>Reveals one more hint. Try on your own first!</source>
        <translation>再显示一条提示。先自己试试吧！</translation>
    </message>
    <message numerus="yes">
        <source>All %n hint(s) shown</source>
        <translation>
            <numerusform>已显示全部 %n 条提示</numerusform>
        </translation>
    </message>
    <message>
        <source>Hint %1.</source>
        <translation>提示 %1：</translation>
    </message>
    <message>
        <source>Compare your code with the reference solution.</source>
        <translation>将你的代码与参考答案对比。</translation>
    </message>
    <message>
        <source>The solution is not available for this lesson yet.</source>
        <translation>本课暂时还没有参考答案。</translation>
    </message>
    <message>
        <source>What to try</source>
        <translation>建议尝试</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 checks passed, %n skipped</source>
        <translation>
            <numerusform>%1/%2 项检查通过，%n 项已跳过</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>torchlab::ChildSetup</name>
    <message>
        <source>could not create a process group: %1</source>
        <translation>无法创建进程组：%1</translation>
    </message>
    <message>
        <source>could not set %1: %2</source>
        <translation>无法设置 %1：%2</translation>
    </message>
    <message>
        <source>could not pass the metrics channel: %1</source>
        <translation>无法传递指标通道：%1</translation>
    </message>
    <message>
        <source>could not switch to the requested group: %1</source>
        <translation>无法切换到指定的用户组：%1</translation>
    </message>
    <message>
        <source>could not switch to the requested user: %1</source>
        <translation>无法切换到指定的用户：%1</translation>
    </message>
    <message>
        <source>the lab exited while the program was starting</source>
        <translation>程序启动时 TorchLab 已退出</translation>
    </message>
    <message>
        <source>set-up failed: %1</source>
        <translation>子进程准备失败：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::ClassWindow</name>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>This account&apos;s records</source>
        <translation>本账户的记录</translation>
    </message>
    <message>
        <source>Grader account of %1</source>
        <translation>%1 的评分账户</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Records:</source>
        <translation>记录：</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Last try</source>
        <translation>最近一次尝试</translation>
    </message>
    <message>
        <source>Last pass</source>
        <translation>最近一次通过</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近的错误</translation>
    </message>
    <message>
        <source>The grader account did not answer: %1</source>
        <translation>评分账户没有回应：%1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Most common compile errors: %1</source>
        <translation>最常见的编译错误：%1</translation>
    </message>
    <message>
        <source>Most often failing checks: %1</source>
        <translation>最常失败的检查：%1</translation>
    </message>
    <message>
        <source>No server-graded Check recorded yet.</source>
        <translation>还没有服务器评分的检查记录。</translation>
    </message>
    <message>
        <source>%1 (1 student)</source>
        <translation>%1（1 名学生）</translation>
    </message>
    <message>
        <source>%1 (%2 students)</source>
        <translation>%1（%2 名学生）</translation>
    </message>
</context>
<context>
    <name>torchlab::CodeEditor</name>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>    (reported in %1:%2, instantiated from here)</source>
        <translation>    （报告于 %1:%2，由此处实例化）</translation>
    </message>
</context>
<context>
    <name>torchlab::CompileJob</name>
    <message>
        <source>Nothing to compile.</source>
        <translation>没有需要编译的内容。</translation>
    </message>
    <message>
        <source>No C++ compiler is available.</source>
        <translation>没有可用的 C++ 编译器。</translation>
    </message>
    <message>
        <source>Install clang or g++ (run installer/install-deps.sh), then check `torchlab-cli doctor`.</source>
        <translation>请安装 clang 或 g++（运行 installer/install-deps.sh），然后用 `torchlab-cli doctor` 检查。</translation>
    </message>
    <message>
        <source>Compile cancelled.</source>
        <translation>编译已取消。</translation>
    </message>
    <message>
        <source>The compiler ran past its time limit.</source>
        <translation>编译器超出了时间限制。</translation>
    </message>
    <message>
        <source>Something in the code makes the compiler work without end, such as a runaway template or an #include of a device file. Undo the last change and compile again.</source>
        <translation>代码中的某些内容让编译器停不下来，例如失控的模板，或 #include 了设备文件。请撤销上一次修改后重新编译。</translation>
    </message>
    <message>
        <source>The compiler ran out of its memory limit.</source>
        <translation>编译器超出了内存限制。</translation>
    </message>
    <message>
        <source>Something in the code makes the compiler use huge amounts of memory, such as deeply recursive templates or an #include of a huge or endless file. Undo the last change and compile again.</source>
        <translation>代码中的某些内容让编译器占用了大量内存，例如深度递归的模板，或 #include 了巨大或无尽的文件。请撤销上一次修改后重新编译。</translation>
    </message>
    <message>
        <source>The compiler failed without an error message about the code.</source>
        <translation>编译器失败了，但没有给出关于代码的错误信息。</translation>
    </message>
    <message>
        <source>This points at the toolchain, not your code: run `torchlab-cli doctor`. The compiler said:
%1</source>
        <translation>问题出在工具链而不是你的代码：请运行 `torchlab-cli doctor`。编译器输出：
%1</translation>
    </message>
    <message>
        <source>Compiled in %1 s.</source>
        <translation>编译完成，用时 %1 s。</translation>
    </message>
    <message>
        <source>The linker ran past its time limit.</source>
        <translation>链接器超出了时间限制。</translation>
    </message>
    <message>
        <source>Linking failed.</source>
        <translation>链接失败。</translation>
    </message>
    <message>
        <source>%1 is CUDA code, and nvcc (the CUDA compiler) is not available.</source>
        <translation>%1 是 CUDA 代码，但 nvcc（CUDA 编译器）不可用。</translation>
    </message>
    <message>
        <source>Install the CUDA toolkit (it brings nvcc, in /usr/local/cuda) or set CUDA_HOME, then check `torchlab-cli doctor`.</source>
        <translation>请安装 CUDA 工具包（自带 nvcc，位于 /usr/local/cuda）或设置 CUDA_HOME，然后用 `torchlab-cli doctor` 检查。</translation>
    </message>
    <message>
        <source>Up to date: compiled earlier from the same code.</source>
        <translation>已是最新：之前已用同样的代码编译过。</translation>
    </message>
</context>
<context>
    <name>torchlab::CourseSession</name>
    <message>
        <source>The course in %1 cannot be opened.</source>
        <translation>无法打开 %1 中的课程。</translation>
    </message>
    <message>
        <source>Your code could not be saved: %1</source>
        <translation>无法保存你的代码：%1</translation>
    </message>
    <message>
        <source>Your choice could not be saved: %1</source>
        <translation>无法保存你的选择：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::DiagnosticSummary</name>
    <message numerus="yes">
        <source>%n link error</source>
        <translation>
            <numerusform>%n 个链接错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n link errors</source>
        <translation>
            <numerusform>%n 个链接错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error</source>
        <translation>
            <numerusform>%n 个错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n errors</source>
        <translation>
            <numerusform>%n 个错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message>
        <source>no errors or warnings</source>
        <translation>没有错误或警告</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>&quot;2 errors, 1 warning&quot;</extracomment>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <extracomment>&quot;2 errors in exercise.cpp&quot;</extracomment>
        <translation>%2 中有 %1</translation>
    </message>
    <message>
        <source>%1 in %2 and %3</source>
        <translation>%2 和 %3 中有 %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 in %n files</source>
        <translation>
            <numerusform>%n 个文件中有 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot find %1: this LibTorch is a CPU-only build and has no CUDA library. Run on the CPU, or install a CUDA build of LibTorch.</source>
        <translation>找不到 %1：此 LibTorch 是仅 CPU 的构建，没有 CUDA 库。请在 CPU 上运行，或安装 CUDA 版的 LibTorch。</translation>
    </message>
    <message>
        <source>cannot find %1: the CUDA libraries are not where the linker looks. Install the CUDA toolkit, or add its lib64 folder with -L.</source>
        <translation>找不到 %1：CUDA 库不在链接器查找的位置。请安装 CUDA 工具包，或用 -L 添加其 lib64 文件夹。</translation>
    </message>
    <message>
        <source>cannot find %1: the file does not exist; check the path.</source>
        <translation>找不到 %1：该文件不存在，请检查路径。</translation>
    </message>
    <message>
        <source>cannot find %1: the linker has no library named lib%2. Check the spelling, or install the library and add its folder with -L.</source>
        <translation>找不到 %1：链接器没有名为 lib%2 的库。请检查拼写，或安装该库并用 -L 添加其文件夹。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: %2 declares a virtual function that is never defined. Define every virtual function it declares (for example forward()).</source>
        <translation>对 `%1` 的未定义引用：%2 声明了一个从未定义的虚函数。请定义它声明的每个虚函数（例如 forward()）。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: the program has no main() function. Add int main() { ... }.</source>
        <translation>对 `%1` 的未定义引用：程序没有 main() 函数。请添加 int main() { ... }。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: your program and LibTorch disagree on _GLIBCXX_USE_CXX11_ABI. Compile with the ABI setting your LibTorch was built with.</source>
        <translation>对 `%1` 的未定义引用：你的程序与 LibTorch 的 _GLIBCXX_USE_CXX11_ABI 设置不一致。请使用构建你的 LibTorch 时所用的 ABI 设置来编译。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: this LibTorch function is not in the libraries being linked. Link -ltorch -ltorch_cpu -lc10 and use the ABI setting LibTorch was built with.</source>
        <translation>对 `%1` 的未定义引用：这个 LibTorch 函数不在正在链接的库中。请链接 -ltorch -ltorch_cpu -lc10，并使用构建 LibTorch 时所用的 ABI 设置。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: this is a CUDA library function. Compile with nvcc or link the CUDA runtime (-lcudart).</source>
        <translation>对 `%1` 的未定义引用：这是一个 CUDA 库函数。请用 nvcc 编译，或链接 CUDA 运行时（-lcudart）。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: a function is declared but never defined. Did you forget to implement it or misspell its name? The linker suggests `%2`.</source>
        <translation>对 `%1` 的未定义引用：某个函数已声明但从未定义。是不是忘了实现它，或者拼错了它的名字？链接器建议使用 `%2`。</translation>
    </message>
    <message>
        <source>undefined reference to `%1`: a function is declared but never defined. Did you forget to implement it or misspell its name?</source>
        <translation>对 `%1` 的未定义引用：某个函数已声明但从未定义。是不是忘了实现它，或者拼错了它的名字？</translation>
    </message>
    <message>
        <source>`%1` is defined more than once. Keep one definition, or mark a function defined in a header inline.</source>
        <translation>`%1` 被定义了不止一次。请只保留一个定义，或把定义在头文件中的函数标记为 inline。</translation>
    </message>
    <message>
        <source>The header &lt;%1&gt; was not found. Check the spelling of the #include, or install the library that provides it.</source>
        <translation>找不到头文件 &lt;%1&gt;。请检查 #include 的拼写，或安装提供它的库。</translation>
    </message>
</context>
<context>
    <name>torchlab::DiffDialog</name>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; and &lt;b&gt;%2&lt;/b&gt; have the same lines.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 与 &lt;b&gt;%2&lt;/b&gt; 的内容完全相同。</translation>
    </message>
    <message>
        <source>From &lt;b&gt;%1&lt;/b&gt; to &lt;b&gt;%2&lt;/b&gt;: %3, %4.</source>
        <translation>从 &lt;b&gt;%1&lt;/b&gt; 到 &lt;b&gt;%2&lt;/b&gt;：%3，%4。</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation>
            <numerusform>删除 %n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation>
            <numerusform>新增 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>No differences.</source>
        <translation>没有差异。</translation>
    </message>
    <message>
        <source>&amp;Copy diff</source>
        <translation>复制差异(&amp;C)</translation>
    </message>
</context>
<context>
    <name>torchlab::DoctorDialog</name>
    <message>
        <source>Everything the lab needs is in place.</source>
        <translation>实验所需的一切都已就绪。</translation>
    </message>
    <message>
        <source>The lab works; some things deserve a look.</source>
        <translation>实验可以正常使用；有几处值得看一看。</translation>
    </message>
    <message>
        <source>Something keeps the lab from building exercises.</source>
        <translation>有问题导致实验无法构建练习。</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>诊断结果</translation>
    </message>
    <message>
        <source>Full report</source>
        <translation>完整报告</translation>
    </message>
    <message>
        <source>Full report (paste it when you ask for help):</source>
        <translation>完整报告（求助时请粘贴它）：</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>Copy the full report as plain text to the clipboard.</source>
        <translation>将完整报告以纯文本复制到剪贴板。</translation>
    </message>
    <message>
        <source>Look for LibTorch, compilers and the GPU again.</source>
        <translation>重新查找 LibTorch、编译器和 GPU。</translation>
    </message>
    <message>
        <source>Report copied to the clipboard.</source>
        <translation>报告已复制到剪贴板。</translation>
    </message>
    <message>
        <source>No report yet.</source>
        <translation>暂无报告。</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Runs happen on %1</source>
        <translation>运行在 %1 上进行</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
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
    <name>torchlab::FeedClient</name>
    <message>
        <source>%1 is not an http or https address of a feed.</source>
        <translation>%1 不是订阅源的 http 或 https 地址。</translation>
    </message>
    <message>
        <source>Cancelled: nothing more was downloaded or installed.</source>
        <translation>已取消：没有再下载或安装任何内容。</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>正在读取 %1</translation>
    </message>
    <message>
        <source>The feed index is not signed: %1</source>
        <translation>订阅源索引没有签名：%1</translation>
    </message>
    <message>
        <source>Downloading %1 %2</source>
        <translation>正在下载 %1 %2</translation>
    </message>
    <message>
        <source>Cannot create a download folder in %1.</source>
        <translation>无法在 %1 中创建下载文件夹。</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>%1 sent nothing for %2 s; giving up (the server is too slow or stuck).</source>
        <translation>%1 已有 %2 秒没有发送任何数据；已放弃（服务器太慢或卡住了）。</translation>
    </message>
    <message>
        <source>%1 took longer than %2 s; giving up.</source>
        <translation>%1 用时超过 %2 秒；已放弃。</translation>
    </message>
    <message>
        <source>%1 announces %2 bytes, more than the limit of %3.</source>
        <translation>%1 声明的大小为 %2 字节，超过了 %3 字节的上限。</translation>
    </message>
    <message>
        <source>%1 sent more than the limit of %2 bytes; stopped.</source>
        <translation>%1 发送的数据超过了 %2 字节的上限；已停止。</translation>
    </message>
    <message>
        <source>Cannot store the download of %1: %2</source>
        <translation>无法保存 %1 的下载内容：%2</translation>
    </message>
    <message>
        <source>Cannot download %1: the server answered %2.</source>
        <translation>无法下载 %1：服务器返回了 %2。</translation>
    </message>
    <message>
        <source>Cannot download %1: %2</source>
        <translation>无法下载 %1：%2</translation>
    </message>
    <message>
        <source>%1 announced %2 bytes but sent %3.</source>
        <translation>%1 声明了 %2 字节，实际却发送了 %3 字节。</translation>
    </message>
    <message>
        <source>Reading the key-rotation statement of %1</source>
        <translation>正在读取 %1 的密钥轮换声明</translation>
    </message>
    <message>
        <source>The feed index names the pack key %1, but the key trusted for its packs is %2 and there is no valid key-rotation statement: %3</source>
        <translation>订阅源索引指定的课程包密钥是 %1，但为其课程包信任的密钥是 %2，且没有有效的密钥轮换声明：%3</translation>
    </message>
    <message>
        <source>The feed index names the pack key %1 but the key-rotation statement names %2.</source>
        <translation>订阅源索引指定的课程包密钥是 %1，但密钥轮换声明指定的是 %2。</translation>
    </message>
    <message>
        <source>The feed index names the pack key %1, but the key trusted for its packs is %2.</source>
        <translation>订阅源索引指定的课程包密钥是 %1，但为其课程包信任的密钥是 %2。</translation>
    </message>
</context>
<context>
    <name>torchlab::FeedIndex</name>
    <message>
        <source>The feed index is larger than %1 bytes.</source>
        <translation>订阅源索引大于 %1 字节。</translation>
    </message>
    <message>
        <source>The feed index is not a JSON object (%1).</source>
        <translation>订阅源索引不是 JSON 对象（%1）。</translation>
    </message>
    <message>
        <source>The feed index has an unknown key &quot;%1&quot;.</source>
        <translation>订阅源索引中有未知的键 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>The feed index is not in the format &quot;%1&quot;.</source>
        <translation>订阅源索引不是 &quot;%1&quot; 格式。</translation>
    </message>
    <message>
        <source>The feed index needs &quot;issued&quot; and &quot;expires&quot; as UTC times like 2025-03-01T09:00:00Z.</source>
        <translation>订阅源索引需要以 UTC 时间（如 2025-03-01T09:00:00Z）给出 &quot;issued&quot; 和 &quot;expires&quot;。</translation>
    </message>
    <message>
        <source>The feed index expires before it was issued.</source>
        <translation>订阅源索引的过期时间早于发布时间。</translation>
    </message>
    <message>
        <source>The feed index needs a &quot;packs&quot; list.</source>
        <translation>订阅源索引需要一个 &quot;packs&quot; 列表。</translation>
    </message>
    <message>
        <source>The feed index lists more than %1 packs.</source>
        <translation>订阅源索引列出的课程包超过 %1 个。</translation>
    </message>
    <message>
        <source>Pack %1 of the feed index: %2</source>
        <translation>订阅源索引中的第 %1 个课程包：%2</translation>
    </message>
    <message>
        <source>not an object.</source>
        <translation>不是对象。</translation>
    </message>
    <message>
        <source>unknown key &quot;%1&quot;.</source>
        <translation>未知的键 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>the id is missing or not a valid pack id.</source>
        <translation>id 缺失，或不是有效的课程包 id。</translation>
    </message>
    <message>
        <source>the version is missing or not a semantic version.</source>
        <translation>version 缺失，或不是语义化版本号。</translation>
    </message>
    <message>
        <source>the file name is missing or not a plain file name.</source>
        <translation>文件名缺失，或不是不含路径的文件名。</translation>
    </message>
    <message>
        <source>sha256 must be 64 lower-case hex digits.</source>
        <translation>sha256 必须是 64 位小写十六进制数字。</translation>
    </message>
    <message>
        <source>size must be a whole number of bytes between 1 and %1.</source>
        <translation>size 必须是 1 到 %1 之间的整数字节数。</translation>
    </message>
    <message>
        <source>the id or file appears twice.</source>
        <translation>id 或文件重复出现。</translation>
    </message>
    <message>
        <source>The feed index is not signed by the trusted key: %1</source>
        <translation>订阅源索引不是用受信任的密钥签名的：%1</translation>
    </message>
    <message>
        <source>The feed index&apos;s signed comment (&quot;%1&quot;) does not match its times; it must read &quot;%2&quot;.</source>
        <translation>订阅源索引中受信任的注释（&quot;%1&quot;）与其中的时间不符；它应为 &quot;%2&quot;。</translation>
    </message>
    <message>
        <source>The feed index expired on %1; ask the instructor to publish it again.</source>
        <translation>订阅源索引已于 %1 过期；请让讲师重新发布。</translation>
    </message>
    <message>
        <source>The feed index was issued on %1, before the one already seen (%2): refusing an older index (rollback).</source>
        <translation>订阅源索引的发布时间是 %1，早于已见过的索引（%2）：拒绝接受更旧的索引（回退）。</translation>
    </message>
    <message>
        <source>The feed index has the same issue time (%1) as the one already accepted but different content: refusing a replayed or re-signed index (a new index needs a new issue time).</source>
        <translation>订阅源索引的发布时间（%1）与已接受的索引相同，内容却不同：拒绝接受重放或重新签名的索引（新的索引需要新的发布时间）。</translation>
    </message>
    <message>
        <source>The feed index&apos;s &quot;pack_key&quot; is not a minisign public key.</source>
        <translation>订阅源索引中的 &quot;pack_key&quot; 不是 minisign 公钥。</translation>
    </message>
    <message>
        <source>The feed index was issued on %1, more than %2 hours after this computer&apos;s clock (%3): refusing an index from the future. Check the clock here and the instructor&apos;s.</source>
        <translation>订阅源索引的发布时间为 %1，比本机时钟（%3）晚了 %2 小时以上：拒绝来自未来的索引。请检查本机和教师的时钟。</translation>
    </message>
    <message>
        <source>The feed index is valid from %1 to %2, longer than the %3 days TorchLab accepts; ask the instructor to publish it again with --days %3 or less.</source>
        <translation>订阅源索引的有效期为 %1 至 %2，超过了 TorchLab 接受的 %3 天；请让教师用 --days %3 或更小的值重新发布。</translation>
    </message>
</context>
<context>
    <name>torchlab::FeedPublisher</name>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>A feed must stay valid for at least one day.</source>
        <translation>订阅源的有效期至少为一天。</translation>
    </message>
    <message>
        <source>%1 holds no pack archives (*.tar.gz, *.zip); build them with torchlab-cli pack build.</source>
        <translation>%1 中没有课程包归档（*.tar.gz、*.zip）；请用 torchlab-cli pack build 构建。</translation>
    </message>
    <message>
        <source>%1: use only letters, digits and . _ + - in archive names.</source>
        <translation>%1：归档文件名中只能使用字母、数字以及 . _ + - 这几个字符。</translation>
    </message>
    <message>
        <source>%1 is not signed (no %1.minisig); run torchlab-cli pack sign first.</source>
        <translation>%1 没有签名（没有 %1.minisig）；请先运行 torchlab-cli pack sign。</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder: %1</source>
        <translation>无法创建临时文件夹：%1</translation>
    </message>
    <message>
        <source>%1 is not a valid lesson pack; check it with torchlab-cli pack validate.</source>
        <translation>%1 不是有效的课程包；请用 torchlab-cli pack validate 检查。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than %2 bytes.</source>
        <translation>%1 大于 %2 字节。</translation>
    </message>
    <message>
        <source>%1: two archives of %2; listing version %3.</source>
        <translation>%1：%2 有两个归档；索引中列出版本 %3。</translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation>无法创建 %1。</translation>
    </message>
    <message>
        <source>Cannot copy %1 to %2.</source>
        <translation>无法将 %1 复制到 %2。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>A feed may stay valid for at most %1 days: students refuse an index valid for longer (publish again before it expires).</source>
        <translation>订阅源的有效期最多为 %1 天：学生会拒绝有效期更长的索引（请在过期前重新发布）。</translation>
    </message>
    <message>
        <source>%1.minisig is not a minisign signature; sign the archive again with torchlab-cli pack sign.</source>
        <translation>%1.minisig 不是 minisign 签名；请用 torchlab-cli pack sign 重新签名该归档。</translation>
    </message>
    <message>
        <source>%1 and %2 are both %3 %4, with different contents. One version is one set of bytes: raise `version` in pack.toml for the new build, or remove the old archive.</source>
        <translation>%1 和 %2 都是 %3 %4，但内容不同。一个版本只能对应一份字节内容：请为新的构建提高 pack.toml 中的 `version`，或删除旧的归档。</translation>
    </message>
    <message>
        <source>%1 is signed with the key %2, not with the pack key %3 given with --pack-key: students would refuse it. Sign it with the pack key (torchlab-cli pack sign --key).</source>
        <translation>%1 是用密钥 %2 签名的，而不是 --pack-key 给出的课程包密钥 %3：学员会拒绝它。请用课程包密钥签名（torchlab-cli pack sign --key）。</translation>
    </message>
    <message>
        <source>%1 is signed with the key %2, but %3 with the key %4: students check every pack with one key. Sign them all with the same key.</source>
        <translation>%1 是用密钥 %2 签名的，而 %3 是用密钥 %4 签名的：学员用同一个密钥检查所有课程包。请用同一个密钥为它们签名。</translation>
    </message>
    <message>
        <source>%1 %2 is already published in %3 with other contents (SHA-256 %4…); students who have it would never get %5. Raise `version` in pack.toml and build again.</source>
        <translation>%1 %2 已经以不同的内容发布在 %3 中（SHA-256 %4…）；已经安装它的学员永远不会得到 %5。请提高 pack.toml 中的 `version` 后重新构建。</translation>
    </message>
    <message>
        <source>The archives are signed with the key %1, but this feed&apos;s index with the key %2: students would refuse every pack. Sign the archives with the feed&apos;s key, or publish with --pack-key naming their key.</source>
        <translation>这些归档是用密钥 %1 签名的，而该订阅源的索引是用密钥 %2 签名的：学员会拒绝所有课程包。请用订阅源的密钥为归档签名，或发布时用 --pack-key 指明它们的密钥。</translation>
    </message>
</context>
<context>
    <name>torchlab::GpuHealthReader</name>
    <message>
        <source>NVML sees no GPU on this computer</source>
        <translation>NVML 在这台计算机上没有找到 GPU</translation>
    </message>
</context>
<context>
    <name>torchlab::GpuProbe</name>
    <message>
        <source>the NVIDIA driver reports no GPU</source>
        <translation>NVIDIA 驱动报告没有 GPU</translation>
    </message>
    <message>
        <source>the NVIDIA driver%1 is installed but reports no GPU</source>
        <translation>已安装 NVIDIA 驱动%1，但它报告没有 GPU</translation>
    </message>
    <message>
        <source>the NVIDIA management library could not start (%1)</source>
        <translation>NVIDIA 管理库无法启动（%1）</translation>
    </message>
    <message>
        <source>libnvidia-ml.so.1 is not installed</source>
        <translation>未安装 libnvidia-ml.so.1</translation>
    </message>
    <message>
        <source>the NVIDIA kernel driver%1 is loaded but %2; install the driver&apos;s user-space libraries (or run the container with the NVIDIA runtime)</source>
        <translation>NVIDIA 内核驱动%1 已加载，但%2；请安装驱动的用户态库（或使用 NVIDIA 运行时运行容器）</translation>
    </message>
    <message>
        <source>%1 and no NVIDIA kernel driver is loaded</source>
        <translation>%1，且未加载 NVIDIA 内核驱动</translation>
    </message>
    <message>
        <source>No NVIDIA GPU was found: %1.</source>
        <translation>未找到 NVIDIA GPU：%1。</translation>
    </message>
    <message>
        <source>driver %1</source>
        <translation>驱动 %1</translation>
    </message>
    <message>
        <source>supports CUDA %1</source>
        <translation>支持 CUDA %1</translation>
    </message>
</context>
<context>
    <name>torchlab::InstallPackDialog</name>
    <message>
        <source>Install Pack from File</source>
        <translation>从文件安装课程包</translation>
    </message>
    <message>
        <source>A pack is code that will run on this computer, so the lab installs it only with its signature and the public key of the instructor who signed it.</source>
        <translation>课程包中的代码会在这台电脑上运行，因此只有提供了它的签名和签名讲师的公钥，TorchLab 才会安装它。</translation>
    </message>
    <message>
        <source>course-pack-1.0.0.tar.gz</source>
        <translation>course-pack-1.0.0.tar.gz</translation>
    </message>
    <message>
        <source>course-pack-1.0.0.tar.gz.minisig</source>
        <translation>course-pack-1.0.0.tar.gz.minisig</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Load from File…</source>
        <translation>从文件加载…</translation>
    </message>
    <message>
        <source>Browse for the pack archive</source>
        <translation>浏览课程包归档</translation>
    </message>
    <message>
        <source>Browse for the signature</source>
        <translation>浏览签名文件</translation>
    </message>
    <message>
        <source>Pack &amp;archive:</source>
        <translation>课程包归档(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Signature:</source>
        <translation>签名(&amp;S)：</translation>
    </message>
    <message>
        <source>Instructor&apos;s public &amp;key:</source>
        <translation>讲师的公钥(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Install</source>
        <translation>安装(&amp;I)</translation>
    </message>
    <message>
        <source>Choose a Pack Archive</source>
        <translation>选择课程包归档</translation>
    </message>
    <message>
        <source>Lesson packs (*.tar.gz *.tgz *.tar *.zip);;All files (*)</source>
        <translation>课程包 (*.tar.gz *.tgz *.tar *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the Signature</source>
        <translation>选择签名</translation>
    </message>
    <message>
        <source>Minisign signatures (*.minisig);;All files (*)</source>
        <translation>Minisign 签名 (*.minisig);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the Instructor&apos;s Public Key</source>
        <translation>选择讲师的公钥</translation>
    </message>
    <message>
        <source>Minisign public keys (*.pub);;All files (*)</source>
        <translation>Minisign 公钥 (*.pub);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the pack archive (.tar.gz, .tgz, .tar or .zip).</source>
        <translation>请选择课程包归档（.tar.gz、.tgz、.tar 或 .zip）。</translation>
    </message>
    <message>
        <source>There is no file %1.</source>
        <translation>文件 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder, not a pack archive.</source>
        <translation>%1 是文件夹，不是课程包归档。</translation>
    </message>
    <message>
        <source>Choose the signature file (the archive&apos;s name followed by .minisig). Ask your instructor for it if you do not have it.</source>
        <translation>请选择签名文件（归档文件名后加 .minisig）。如果没有，请向讲师索取。</translation>
    </message>
    <message>
        <source>There is no signature file %1.</source>
        <translation>签名文件 %1 不存在。</translation>
    </message>
</context>
<context>
    <name>torchlab::InstanceChannel</name>
    <message>
        <source>another TorchLab is running but did not answer</source>
        <translation>另一个 TorchLab 正在运行，但没有响应</translation>
    </message>
</context>
<context>
    <name>torchlab::JobBundle</name>
    <message>
        <source>Cannot create the job folder %1 on the server: %2</source>
        <translation>无法在服务器上创建作业文件夹 %1：%2</translation>
    </message>
    <message>
        <source>%1 on the server is not a folder of this account.</source>
        <translation>服务器上的 %1 不是本账户的文件夹。</translation>
    </message>
    <message>
        <source>The job has no source file.</source>
        <translation>作业中没有源文件。</translation>
    </message>
    <message>
        <source>The job has more than %1 files; a run sends at most that many.</source>
        <translation>作业的文件多于 %1 个；一次运行最多发送这么多。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>The job&apos;s files are larger than %1 MiB; a run sends at most that much.</source>
        <translation>作业的文件总大小超过 %1 MiB；一次运行最多发送这么多。</translation>
    </message>
    <message>
        <source>The job sent to the server is not JSON: %1</source>
        <translation>发送到服务器的作业不是 JSON：%1</translation>
    </message>
    <message>
        <source>The server expected a job and got something else.</source>
        <translation>服务器等待的是作业，收到的却是别的内容。</translation>
    </message>
    <message>
        <source>The lab speaks protocol %1 and this server&apos;s torchlab-cli speaks %2: install the same TorchLab version on both.</source>
        <translation>实验室使用协议 %1，而此服务器的 torchlab-cli 使用协议 %2：请在两边安装同一版本的 TorchLab。</translation>
    </message>
    <message>
        <source>The job&apos;s learner or name is not a plain word.</source>
        <translation>作业的学习者名或名称不是简单的单词。</translation>
    </message>
    <message>
        <source>The job has more than %1 files.</source>
        <translation>作业的文件多于 %1 个。</translation>
    </message>
    <message>
        <source>The job names a file the server refuses: &quot;%1&quot;.</source>
        <translation>作业中有服务器拒绝的文件名：“%1”。</translation>
    </message>
    <message>
        <source>The job&apos;s files are larger than %1 MiB.</source>
        <translation>作业的文件总大小超过 %1 MiB。</translation>
    </message>
    <message>
        <source>The job&apos;s Slurm request is not one the server accepts.</source>
        <translation>作业的 Slurm 请求不被服务器接受。</translation>
    </message>
    <message>
        <source>Cannot write %1 on the server: %2</source>
        <translation>无法在服务器上写入 %1：%2</translation>
    </message>
    <message>
        <source>The server&apos;s disk is full: the job could not be written. Your code is kept here; tell your instructor.</source>
        <translation>服务器的磁盘已满：无法写入作业。你的代码保留在本机；请告诉你的老师。</translation>
    </message>
    <message>
        <source>Cannot create %1 on the server.</source>
        <translation>无法在服务器上创建 %1。</translation>
    </message>
    <message>
        <source>Cannot create a folder for %1 on the server.</source>
        <translation>无法在服务器上为 %1 创建文件夹。</translation>
    </message>
    <message>
        <source>The job&apos;s lesson is not one the server accepts.</source>
        <translation>该任务的课程不是服务器接受的课程。</translation>
    </message>
</context>
<context>
    <name>torchlab::KeyRotation</name>
    <message>
        <source>The key-rotation statement is not in the format &quot;%1&quot;.</source>
        <translation>密钥轮换声明的格式不是 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>The key-rotation statement is larger than %1 bytes.</source>
        <translation>密钥轮换声明超过 %1 字节。</translation>
    </message>
    <message>
        <source>The key-rotation statement is not signed by the key it replaces: %1</source>
        <translation>密钥轮换声明不是由被替换的密钥签名的：%1</translation>
    </message>
    <message>
        <source>The key-rotation statement is for the %1 key, not the %2 key.</source>
        <translation>该密钥轮换声明针对的是 %1 密钥，而不是 %2 密钥。</translation>
    </message>
    <message>
        <source>The key-rotation statement&apos;s signed comment (&quot;%1&quot;) does not match it; it must read &quot;%2&quot;.</source>
        <translation>密钥轮换声明的签名注释（&quot;%1&quot;）与其内容不符；应为 &quot;%2&quot;。</translation>
    </message>
    <message>
        <source>The key-rotation statement was issued on %1, in the future.</source>
        <translation>密钥轮换声明的发布时间为 %1，处于未来。</translation>
    </message>
    <message>
        <source>The key-rotation statement was issued on %1, not after the last rotation accepted (%2): refusing a replayed statement.</source>
        <translation>密钥轮换声明的发布时间为 %1，不晚于上次接受的轮换（%2）：拒绝被重放的声明。</translation>
    </message>
    <message>
        <source>The key-rotation statement names the key already trusted.</source>
        <translation>密钥轮换声明指定的正是已信任的密钥。</translation>
    </message>
</context>
<context>
    <name>torchlab::LabSession</name>
    <message>
        <source>at least %1</source>
        <translation>至少 %1</translation>
    </message>
    <message>
        <source>The program reported more than %1 metric names: the plot keeps the first %1; %2 more names and their %3 samples were left out.</source>
        <translation>程序上报了超过 %1 个指标名称：曲线图只保留前 %1 个；另外 %2 个名称及其 %3 个样本没有保留。</translation>
    </message>
    <message>
        <source>Long metrics are kept at reduced resolution in their older part (the smallest and largest value of each stretch): %1 samples were merged.</source>
        <translation>较长的指标在较早的部分以较低的分辨率保留（每一段的最小值和最大值）：合并了 %1 个样本。</translation>
    </message>
    <message>
        <source>lab::check was called %1 times: the first %2 reports are listed, and every report of a known name still counts for the checks.</source>
        <translation>lab::check 被调用了 %1 次：只列出前 %2 条上报，但已统计名称的每一条上报仍计入检查结果。</translation>
    </message>
    <message>
        <source>%1 lab::check reports used more names than the lab tallies (%2) and were not counted.</source>
        <translation>有 %1 条 lab::check 上报使用的名称超出了实验室统计的上限（%2 个），没有被计入。</translation>
    </message>
    <message>
        <source>%1 more lab::note lines were not shown (the lab shows the first %2 of a run).</source>
        <translation>另有 %1 行 lab::note 没有显示（每次运行只显示前 %2 行）。</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
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
        <source>Does not compile</source>
        <translation>无法编译</translation>
    </message>
    <message>
        <source>Not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Cannot compile: %1</source>
        <translation>无法编译：%1</translation>
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
        <source>Stopped before it started.</source>
        <translation>在开始之前已停止。</translation>
    </message>
    <message>
        <source>Passed, 1 check skipped</source>
        <extracomment>The lesson passed; some checks could not run on this computer (no GPU, ...).</extracomment>
        <translation>已通过，1 项检查已跳过</translation>
    </message>
    <message>
        <source>Passed, %1 checks skipped</source>
        <translation>已通过，%1 项检查已跳过</translation>
    </message>
    <message>
        <source>%1 · not sandboxed</source>
        <extracomment>The run&apos;s verdict, then a warning that the program ran outside the sandbox.</extracomment>
        <translation>%1 · 未使用沙箱</translation>
    </message>
</context>
<context>
    <name>torchlab::LessonNavigator</name>
    <message>
        <source>Passed</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Day %1</source>
        <translation>第 %1 天</translation>
    </message>
    <message>
        <source>Day %1 · %2</source>
        <translation>第 %1 天 · %2</translation>
    </message>
    <message>
        <source>%1 of %2 lessons passed</source>
        <translation>已通过 %1/%2 课</translation>
    </message>
</context>
<context>
    <name>torchlab::LessonView</name>
    <message>
        <source>Copy code block</source>
        <translation>复制代码块</translation>
    </message>
    <message>
        <source>This link was not opened: a lesson opens only web pages and its own files.</source>
        <translation>此链接未打开：课程只能打开网页和课程自己的文件。</translation>
    </message>
    <message>
        <source>Not opened: %1. A lesson opens only web pages and its own files.</source>
        <translation>未打开：%1。课程只能打开网页和课程自己的文件。</translation>
    </message>
</context>
<context>
    <name>torchlab::LocalRunner</name>
    <message>
        <source>this computer</source>
        <translation>这台计算机</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
</context>
<context>
    <name>torchlab::LossPlot</name>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Run the program to see its metrics here</source>
        <translation>运行程序后，这里会显示它的指标</translation>
    </message>
    <message>
        <source>Weight of the past in the moving average (0: raw values)</source>
        <translation>移动平均中历史值的权重（0：原始值）</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <source>Keep the newest steps in view</source>
        <translation>始终显示最新的步数</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Show all steps</source>
        <translation>显示全部步数</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>%1 became NaN at step %2</source>
        <translation>%1 在第 %2 步变为 NaN</translation>
    </message>
    <message>
        <source>%1 became infinite at step %2</source>
        <translation>%1 在第 %2 步变为无穷大</translation>
    </message>
    <message>
        <source>%1 metrics shown; at least %2 more were not kept</source>
        <translation>显示了 %1 个指标；至少还有 %2 个没有保留</translation>
    </message>
    <message>
        <source>%1 metrics shown; %2 more were not kept</source>
        <translation>显示了 %1 个指标；还有 %2 个没有保留</translation>
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
        <translation>环境(&amp;E)…</translation>
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
        <translation>本课(&amp;L)</translation>
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
        <source>&amp;Reset to Starter</source>
        <translation>恢复初始代码(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Compare with Solution…</source>
        <translation>与参考答案对比(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Packs…</source>
        <translation>课程包(&amp;P)…</translation>
    </message>
    <message>
        <source>Lesson packs: install from a file, subscribe to your instructor&apos;s feed, update, remove</source>
        <translation>课程包：从文件安装、订阅讲师的订阅源、更新、移除</translation>
    </message>
    <message>
        <source>Check for Course &amp;Updates</source>
        <translation>检查课程更新(&amp;U)</translation>
    </message>
    <message>
        <source>Read every subscribed feed now and install what is new</source>
        <translation>立即读取所有已订阅的订阅源，并安装新内容</translation>
    </message>
    <message>
        <source>Code from &amp;Removed Lessons…</source>
        <translation>已移除的课中的代码(&amp;R)…</translation>
    </message>
    <message>
        <source>Your code from lessons that a pack update removed</source>
        <translation>你在被课程包更新移除的课中写的代码</translation>
    </message>
    <message>
        <source>&amp;Course</source>
        <translation>课程(&amp;C)</translation>
    </message>
    <message>
        <source>Runs on this computer</source>
        <translation>在本机运行</translation>
    </message>
    <message>
        <source>Problems (%1, while typing)</source>
        <translation>问题（%1，输入时发现）</translation>
    </message>
    <message>
        <source>&amp;Layout</source>
        <translation>布局(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Lesson List</source>
        <translation>课程列表(&amp;L)</translation>
    </message>
    <message>
        <source>Show or hide the list of lessons</source>
        <translation>显示或隐藏课程列表</translation>
    </message>
    <message>
        <source>Lesson &amp;Text</source>
        <translation>课文(&amp;T)</translation>
    </message>
    <message>
        <source>Show or hide the lesson&apos;s text</source>
        <translation>显示或隐藏本课的课文</translation>
    </message>
    <message>
        <source>&amp;Output, Problems and Checks</source>
        <translation>输出、问题和检查(&amp;O)</translation>
    </message>
    <message>
        <source>Show or hide the Output, Problems and Checks panel</source>
        <translation>显示或隐藏“输出”“问题”“检查”面板</translation>
    </message>
    <message>
        <source>&amp;Plots</source>
        <translation>图表(&amp;P)</translation>
    </message>
    <message>
        <source>Show or hide the loss and memory plots</source>
        <translation>显示或隐藏 loss 与内存图表</translation>
    </message>
    <message>
        <source>&amp;Focus on the Code</source>
        <translation>专注代码(&amp;F)</translation>
    </message>
    <message>
        <source>Only the editor and the output; again to bring the other panels back</source>
        <translation>只留编辑器和输出；再按一次恢复其他面板</translation>
    </message>
    <message>
        <source>P&amp;resenter Mode</source>
        <translation>演示模式(&amp;R)</translation>
    </message>
    <message>
        <source>Large text and plots for a projector</source>
        <translation>为投影仪放大文字和图表</translation>
    </message>
    <message>
        <source>&amp;Automatic</source>
        <translation>自动(&amp;A)</translation>
    </message>
    <message>
        <source>Wide on a large window, compact on a small one</source>
        <translation>窗口大时用宽布局，窗口小时用紧凑布局</translation>
    </message>
    <message>
        <source>&amp;Wide</source>
        <translation>宽布局(&amp;W)</translation>
    </message>
    <message>
        <source>Lesson list, lesson text beside the editor, output below, plots on the right</source>
        <translation>左侧课程列表，课文在编辑器旁，输出在下方，图表在右侧</translation>
    </message>
    <message>
        <source>&amp;Compact</source>
        <translation>紧凑布局(&amp;C)</translation>
    </message>
    <message>
        <source>The editor beside one panel with the lesson text, output, checks and plots as tabs</source>
        <translation>编辑器旁边一个面板，课文、输出、检查和图表作为其中的标签页</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>课文</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>&amp;Export Run for Archiving…</source>
        <translation>导出运行以归档(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the last finished run with its code, environment, seed, metrics and plots as one archive to cite</source>
        <translation>把最近一次完成的运行连同代码、环境、种子、指标和图表保存为一个可供引用的归档包</translation>
    </message>
    <message>
        <source>Run or Check first: this exports a finished run</source>
        <translation>请先运行或检查：此操作导出一次已完成的运行</translation>
    </message>
    <message>
        <source>C&amp;lass…</source>
        <translation>班级(&amp;L)…</translation>
    </message>
    <message>
        <source>For instructors: your students&apos; Checks of server-graded lessons</source>
        <translation>供老师使用：学生对服务器评分课程的检查</translation>
    </message>
</context>
<context>
    <name>torchlab::MemoryPlot</name>
    <message>
        <source>GPU used (all processes)</source>
        <translation>GPU 已用（所有进程）</translation>
    </message>
    <message>
        <source>GPU total</source>
        <translation>GPU 总量</translation>
    </message>
    <message>
        <source>this run (NVML)</source>
        <translation>本次运行（NVML）</translation>
    </message>
    <message>
        <source>allocated (caching allocator)</source>
        <translation>已分配（缓存分配器）</translation>
    </message>
    <message>
        <source>reserved (caching allocator)</source>
        <translation>已保留（缓存分配器）</translation>
    </message>
    <message>
        <source>peak allocated</source>
        <translation>分配峰值</translation>
    </message>
    <message>
        <source>this run (resident memory)</source>
        <translation>本次运行（常驻内存）</translation>
    </message>
    <message>
        <source>time (s)</source>
        <translation>时间 (s)</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Memory use appears here
while the program runs</source>
        <translation>程序运行时，这里会显示内存用量</translation>
    </message>
</context>
<context>
    <name>torchlab::MetricComparison</name>
    <message>
        <source>The metrics CSV does not start with a &quot;step&quot; column.</source>
        <translation>指标 CSV 的第一列不是 &quot;step&quot;。</translation>
    </message>
    <message>
        <source>Row %1 of the metrics CSV has %2 fields, not %3.</source>
        <translation>指标 CSV 第 %1 行有 %2 个字段，而不是 %3 个。</translation>
    </message>
    <message>
        <source>Row %1 of the metrics CSV has no step.</source>
        <translation>指标 CSV 第 %1 行没有步数。</translation>
    </message>
    <message>
        <source>Row %1 of the metrics CSV holds %2, not a number.</source>
        <translation>指标 CSV 第 %1 行的 %2 不是数字。</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>完全相同</translation>
    </message>
    <message>
        <source>within tolerance</source>
        <translation>在容差之内</translation>
    </message>
    <message>
        <source>DIFFERS</source>
        <translation>不同</translation>
    </message>
    <message>
        <source>missing in the rerun</source>
        <translation>重新运行中缺失</translation>
    </message>
    <message>
        <source>not in the bundle</source>
        <translation>归档包中没有</translation>
    </message>
    <message>
        <source>metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>samples (bundle/rerun)</source>
        <translation>样本数（归档包/重新运行）</translation>
    </message>
    <message>
        <source>largest relative difference</source>
        <translation>最大相对差异</translation>
    </message>
    <message>
        <source>verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source> at step %1</source>
        <translation>，在第 %1 步</translation>
    </message>
    <message>
        <source>, other steps</source>
        <translation>，步数不同</translation>
    </message>
</context>
<context>
    <name>torchlab::MetricsCsv</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>torchlab::Minisign</name>
    <message>
        <source>The cryptography library could not be initialised.</source>
        <translation>无法初始化加密库。</translation>
    </message>
    <message>
        <source>The signature was made with key %1, not with the trusted key %2.</source>
        <translation>该签名是用密钥 %1 生成的，而不是用受信任的密钥 %2。</translation>
    </message>
    <message>
        <source>The signature does not match the file: it was changed after signing, or signed by someone else.</source>
        <translation>签名与文件不匹配：文件在签名后被修改过，或是由其他人签名的。</translation>
    </message>
    <message>
        <source>The trusted comment of the signature was changed after signing.</source>
        <translation>签名中受信任的注释在签名后被修改过。</translation>
    </message>
    <message>
        <source>The signature uses minisign&apos;s legacy format, which TorchLab does not accept; sign the file again with a current minisign (without -l).</source>
        <translation>该签名使用的是 minisign 的旧格式，TorchLab 不接受；请用当前版本的 minisign 重新签名该文件（不要加 -l）。</translation>
    </message>
    <message>
        <source>This is not a minisign public key (expected one line starting with &quot;RW&quot;, or a minisign.pub file).</source>
        <translation>这不是 minisign 公钥（应为以 &quot;RW&quot; 开头的一行，或一个 minisign.pub 文件）。</translation>
    </message>
    <message>
        <source>This is not a minisign public key: it must be 56 base64 characters starting with &quot;RW&quot;.</source>
        <translation>这不是 minisign 公钥：公钥必须是以 &quot;RW&quot; 开头的 56 个 base64 字符。</translation>
    </message>
    <message>
        <source>This public key is not an Ed25519 minisign key.</source>
        <translation>这个公钥不是 Ed25519 的 minisign 密钥。</translation>
    </message>
    <message>
        <source>Cannot read the key file %1: %2</source>
        <translation>无法读取密钥文件 %1：%2</translation>
    </message>
    <message>
        <source>%1 is too large to be a minisign public key.</source>
        <translation>%1 太大，不可能是 minisign 公钥。</translation>
    </message>
    <message>
        <source>The file is not signed: the signature is empty.</source>
        <translation>文件没有签名：签名为空。</translation>
    </message>
    <message>
        <source>This is not a minisign signature file.</source>
        <translation>这不是 minisign 签名文件。</translation>
    </message>
    <message>
        <source>This is not a minisign signature file (expected four lines: untrusted comment, signature, trusted comment, global signature).</source>
        <translation>这不是 minisign 签名文件（应为四行：不受信任的注释、签名、受信任的注释、全局签名）。</translation>
    </message>
    <message>
        <source>The signature file is damaged: its signature lines are not valid base64 of the right length.</source>
        <translation>签名文件已损坏：其中的签名行不是长度正确的有效 base64。</translation>
    </message>
    <message>
        <source>The signature uses an unknown algorithm.</source>
        <translation>该签名使用了未知的算法。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than the limit of %2 bytes.</source>
        <translation>%1 超过了 %2 字节的上限。</translation>
    </message>
    <message>
        <source>The file is not signed: cannot read the signature %1 (%2).</source>
        <translation>文件没有签名：无法读取签名 %1（%2）。</translation>
    </message>
    <message>
        <source>%1 is too large to be a minisign signature.</source>
        <translation>%1 太大，不可能是 minisign 签名。</translation>
    </message>
</context>
<context>
    <name>torchlab::NoticeBar</name>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>torchlab::Nvml</name>
    <message>
        <source>%1 is not installed</source>
        <translation>未安装 %1</translation>
    </message>
    <message>
        <source>%1 could not be loaded (%2)</source>
        <translation>无法加载 %1（%2）</translation>
    </message>
    <message>
        <source>%1 is too old or not NVIDIA&apos;s (it lacks %2)</source>
        <translation>%1 版本太旧或不是 NVIDIA 的库（缺少 %2）</translation>
    </message>
    <message>
        <source>NVML error %1</source>
        <translation>NVML 错误 %1</translation>
    </message>
    <message>
        <source>the NVIDIA kernel driver is not loaded</source>
        <translation>未加载 NVIDIA 内核驱动</translation>
    </message>
    <message>
        <source>the NVIDIA library and the loaded kernel driver are different versions; reboot after a driver update</source>
        <translation>NVIDIA 库与已加载的内核驱动版本不同；更新驱动后请重启</translation>
    </message>
    <message>
        <source>this user may not open the NVIDIA devices (/dev/nvidia*)</source>
        <translation>当前用户无权打开 NVIDIA 设备（/dev/nvidia*）</translation>
    </message>
    <message>
        <source>a library the NVIDIA driver needs is missing</source>
        <translation>缺少 NVIDIA 驱动所需的某个库</translation>
    </message>
    <message>
        <source>the GPU stopped responding; a reboot is usually needed</source>
        <translation>GPU 停止响应；通常需要重启</translation>
    </message>
    <message>
        <source>%1; NVML said &quot;%2&quot;</source>
        <translation>%1；NVML 报告“%2”</translation>
    </message>
</context>
<context>
    <name>torchlab::NvmlSampler</name>
    <message>
        <source>GPU memory cannot be sampled: %1.</source>
        <translation>无法采样显存：%1。</translation>
    </message>
    <message>
        <source>No NVIDIA GPU was found, so GPU memory is not sampled.</source>
        <translation>未找到 NVIDIA GPU，因此不采样显存。</translation>
    </message>
    <message numerus="yes">
        <source>GPU %1 does not exist (this machine has %n GPU(s)), so its memory is not sampled.</source>
        <translation>
            <numerusform>GPU %1 不存在（本机有 %n 块 GPU），因此不采样它的显存。</numerusform>
        </translation>
    </message>
    <message>
        <source>GPU %1 cannot be sampled: %2.</source>
        <translation>无法采样 GPU %1：%2。</translation>
    </message>
    <message>
        <source>GPU memory sampling stopped: %1.</source>
        <translation>显存采样已停止：%1。</translation>
    </message>
</context>
<context>
    <name>torchlab::OutcomeAdvice</name>
    <message>
        <source>Shapes: print x.sizes() of every input just before the failing line and compare them with what the operation expects (batch dimension first; use view/reshape, flatten or permute to fix the layout).</source>
        <translation>形状：在出错的那一行之前打印每个输入的 x.sizes()，与该操作期望的形状对比（batch 维度在最前；用 view/reshape、flatten 或 permute 调整布局）。</translation>
    </message>
    <message>
        <source>Types: targets for cross_entropy/nll_loss must be integers (.to(torch::kLong)); inputs to a layer must be float (.to(torch::kFloat)). Print x.dtype() to check.</source>
        <translation>类型：cross_entropy/nll_loss 的目标必须是整数（.to(torch::kLong)）；层的输入必须是浮点数（.to(torch::kFloat)）。可以打印 x.dtype() 检查。</translation>
    </message>
    <message>
        <source>Devices: the model and every tensor it meets must be on the same device; call model-&gt;to(device) once and x.to(device) on each batch.</source>
        <translation>设备：模型和它用到的每个张量都必须在同一设备上；调用一次 model-&gt;to(device)，并对每个 batch 调用 x.to(device)。</translation>
    </message>
    <message>
        <source>Read the first line of the error: it names the operation that failed and why.</source>
        <translation>先读错误的第一行：它指出了哪个操作失败以及原因。</translation>
    </message>
    <message>
        <source>An index out of range (index_select, embedding, a class label &gt;= the number of classes) also ends up here: check the largest value you index with.</source>
        <translation>索引越界（index_select、embedding、类别标签 &gt;= 类别数）也会走到这里：检查你用作索引的最大值。</translation>
    </message>
    <message>
        <source>Most crashes are an index out of range: a std::vector, a raw pointer or a tensor accessor read past its end. Check loop bounds and sizes (use .at(i) instead of [i] to get an error instead of a crash).</source>
        <translation>大多数崩溃都是索引越界：std::vector、裸指针或张量 accessor 读过了末尾。检查循环边界和大小（用 .at(i) 代替 [i]，越界时会报错而不是崩溃）。</translation>
    </message>
    <message>
        <source>SIGFPE means an integer division by zero: check divisors such as the number of batches or the batch size.</source>
        <translation>SIGFPE 表示整数除以零：检查除数，例如 batch 数量或批大小。</translation>
    </message>
    <message>
        <source>SIGABRT means the program aborted itself: an uncaught exception or a failed assertion. The lines just before it say which.</source>
        <translation>SIGABRT 表示程序自行中止：异常未被捕获或断言失败。它前面的几行会说明是哪一种。</translation>
    </message>
    <message>
        <source>Look at the last lines of the output and at the stack trace, if one was printed: they show how far the program got.</source>
        <translation>查看输出的最后几行，以及栈回溯（如果打印了的话）：它们显示程序运行到了哪里。</translation>
    </message>
    <message>
        <source>Use only objects that still exist: no pointer or reference to a local variable that went out of scope, no module member that was never registered or assigned.</source>
        <translation>只使用仍然存在的对象：不要使用指向已离开作用域的局部变量的指针或引用，也不要使用从未注册或赋值的模块成员。</translation>
    </message>
    <message>
        <source>Add std::cerr lines before the suspicious parts (std::cerr is not buffered), or run the program under gdb to see the failing line.</source>
        <translation>在可疑代码之前加几行 std::cerr 输出（std::cerr 不带缓冲），或在 gdb 中运行程序，找到出错的那一行。</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Exited with an error</source>
        <translation>出错退出</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>崩溃</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>Too much output</source>
        <translation>输出过多</translation>
    </message>
    <message>
        <source>File size limit</source>
        <translation>文件过大</translation>
    </message>
    <message>
        <source>Too many open files</source>
        <translation>打开的文件过多</translation>
    </message>
    <message>
        <source>GPU out of memory</source>
        <translation>显存不足</translation>
    </message>
    <message>
        <source>LibTorch error</source>
        <translation>LibTorch 错误</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Could not start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <source>Use a smaller batch: halve the batch size until the error goes away.</source>
        <translation>减小批大小：把批大小减半，直到错误消失。</translation>
    </message>
    <message>
        <source>Keep the effective batch size with gradient accumulation: run N smaller batches, call (loss / N).backward() on each, and call optimizer.step() and zero_grad() once every N batches.</source>
        <translation>用梯度累积保持有效批大小：运行 N 个较小的 batch，每个都调用 (loss / N).backward()，每 N 个 batch 调用一次 optimizer.step() 和 zero_grad()。</translation>
    </message>
    <message>
        <source>Evaluate inside a torch::NoGradGuard scope (and call model-&gt;eval()): without it every forward pass keeps its activations for a backward pass that never comes.</source>
        <translation>在 torch::NoGradGuard 作用域内评估（并调用 model-&gt;eval()）：否则每次前向传播都会为永远不会到来的反向传播保留激活值。</translation>
    </message>
    <message>
        <source>Do not keep tensors that hold a graph: sum losses with loss.item&lt;double&gt;(), not with loss itself, and let large tensors go out of scope when you are done with them.</source>
        <translation>不要保留带计算图的张量：用 loss.item&lt;double&gt;() 而不是 loss 本身来累加损失，大张量用完后就让它离开作用域。</translation>
    </message>
    <message>
        <source>&quot;Allocated&quot; is memory live tensors use; &quot;reserved&quot; is what the caching allocator keeps for reuse, so it stays high after tensors are freed. c10::cuda::CUDACachingAllocator::emptyCache() gives the unused reserved blocks back to the driver; it cannot free tensors you still hold.</source>
        <translation>“已分配”（allocated）是存活张量使用的显存；“已保留”（reserved）是缓存分配器留作复用的显存，所以张量释放后它仍然很高。c10::cuda::CUDACachingAllocator::emptyCache() 会把未使用的保留块还给驱动，但无法释放你仍持有的张量。</translation>
    </message>
    <message>
        <source>Use a smaller model or smaller inputs (fewer channels, smaller images) if the batch is already small.</source>
        <translation>如果批大小已经很小，就使用更小的模型或更小的输入（更少的通道、更小的图像）。</translation>
    </message>
    <message>
        <source>Check the sizes of large tensors: one wrong dimension (e.g. an outer product where you meant an elementwise one) can ask for gigabytes.</source>
        <translation>检查大张量的大小：一个维度写错（例如本想逐元素相乘却算成了外积）就可能申请数 GB 内存。</translation>
    </message>
    <message>
        <source>Use a smaller batch, or load the data in batches instead of all at once.</source>
        <translation>减小批大小，或分批加载数据，而不是一次全部加载。</translation>
    </message>
    <message>
        <source>Look for a container that grows every step, such as a std::vector of outputs or losses that still hold their graphs; store loss.item&lt;double&gt;() instead.</source>
        <translation>查找每一步都在增长的容器，例如存放输出或仍带计算图的损失的 std::vector；改为保存 loss.item&lt;double&gt;()。</translation>
    </message>
    <message>
        <source>Evaluate inside a torch::NoGradGuard scope so no graph is kept.</source>
        <translation>在 torch::NoGradGuard 作用域内评估，这样就不会保留计算图。</translation>
    </message>
    <message>
        <source>Check that every loop ends: its condition, and the step counter it relies on.</source>
        <translation>检查每个循环都能结束：看它的条件，以及它依赖的步数计数器。</translation>
    </message>
    <message>
        <source>Train for fewer steps while trying things out (Quick runs in Settings), then run the full lesson.</source>
        <translation>尝试阶段先少训练几步（设置中的“快速运行”），再运行完整的课程。</translation>
    </message>
    <message>
        <source>Move work out of the inner loop: build tensors once, and avoid .item(), printing or copying to the CPU on every step.</source>
        <translation>把工作移出内层循环：张量只构建一次，避免每一步都调用 .item()、打印或复制到 CPU。</translation>
    </message>
    <message>
        <source>Use the GPU when one is available, and batches instead of one sample at a time.</source>
        <translation>有 GPU 时就使用 GPU，并按 batch 处理，而不是一次一个样本。</translation>
    </message>
    <message>
        <source>On a slow computer, raise the time scale in Settings.</source>
        <translation>如果电脑较慢，可在设置中调大“时间限制倍数”。</translation>
    </message>
    <message>
        <source>The program returned a non-zero status: the last lines it printed usually say why.</source>
        <translation>程序返回了非零状态：它最后打印的几行通常会说明原因。</translation>
    </message>
    <message>
        <source>Check what main() returns and every call to exit() or std::abort().</source>
        <translation>检查 main() 的返回值，以及每一处 exit() 或 std::abort() 调用。</translation>
    </message>
    <message>
        <source>Print less: report every 100th step instead of every step.</source>
        <translation>少打印一些：每 100 步报告一次，而不是每步都报告。</translation>
    </message>
    <message>
        <source>Report values you want to see as a curve with lab::metric or lab::loss: they go to the plot, not the console.</source>
        <translation>想以曲线查看的值，用 lab::metric 或 lab::loss 报告：它们会显示在图表中，而不是控制台里。</translation>
    </message>
    <message>
        <source>Look for a loop that prints without end.</source>
        <translation>查找无休止打印的循环。</translation>
    </message>
    <message>
        <source>Write smaller files: save checkpoints less often, or overwrite one file instead of appending to it.</source>
        <translation>写小一些的文件：少保存几次检查点，或覆盖同一个文件，而不是不断追加。</translation>
    </message>
    <message>
        <source>Look for a loop that writes without end.</source>
        <translation>查找无休止写文件的循环。</translation>
    </message>
    <message>
        <source>Close each file once you are done with it: let std::ofstream / std::ifstream go out of scope, or call close().</source>
        <translation>每个文件用完就关闭：让 std::ofstream / std::ifstream 离开作用域，或调用 close()。</translation>
    </message>
    <message>
        <source>Open a file once, outside the training loop, instead of on every step.</source>
        <translation>在训练循环外只打开一次文件，而不是每一步都打开。</translation>
    </message>
    <message>
        <source>Run it again: the build may have been removed while it started.</source>
        <translation>再运行一次：启动时构建产物可能被删除了。</translation>
    </message>
    <message>
        <source>Open the Environment dialog to check the compiler and LibTorch this lab uses.</source>
        <translation>打开“环境”对话框，检查本实验使用的编译器和 LibTorch。</translation>
    </message>
    <message>
        <source>Connection lost</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>Your code is kept in the editor: nothing was lost. Run it again once the network is back.</source>
        <translation>你的代码仍在编辑器中，没有丢失。网络恢复后再运行一次即可。</translation>
    </message>
    <message>
        <source>If it keeps happening, check the connection to the server (Wi-Fi, VPN) or ask your instructor whether the server is up.</source>
        <translation>如果一再发生，请检查到服务器的网络连接（Wi-Fi、VPN），或询问老师服务器是否在运行。</translation>
    </message>
    <message>
        <source>Ended by the cluster</source>
        <translation>被集群结束</translation>
    </message>
    <message>
        <source>Nothing is wrong with your code because of this: the cluster took the GPU back. Your code is kept; press Run again to queue it anew.</source>
        <translation>这并不是你的代码出了问题：集群收回了 GPU。你的代码已保留；再按一次“运行”即可重新排队。</translation>
    </message>
    <message>
        <source>If it happens every time, ask your instructor: the partition may be preempted for other jobs, or a node may be failing.</source>
        <translation>如果每次都这样，请询问你的老师：该分区可能会被其他作业抢占，或者某个节点出了故障。</translation>
    </message>
    <message>
        <source>Too many processes</source>
        <translation>进程过多</translation>
    </message>
    <message>
        <source>Look for fork(), std::system() or std::thread started inside a loop.</source>
        <translation>检查循环里是否调用了 fork()、std::system() 或启动了 std::thread。</translation>
    </message>
    <message>
        <source>Start a fixed number of workers once, before the loop, and wait for them.</source>
        <translation>在循环之前一次性启动固定数量的工作进程，并等待它们结束。</translation>
    </message>
</context>
<context>
    <name>torchlab::OutcomeClassifier</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>You stopped the program.</source>
        <translation>你停止了程序。</translation>
    </message>
    <message>
        <source>time limit exceeded: still running after %1</source>
        <translation>超出时间限制：%1 后仍在运行</translation>
    </message>
    <message>
        <source>The program was stopped because it was still running after %1. It may be stuck in a loop or waiting for input that never comes (there is none); check loop conditions and sleeps.</source>
        <translation>程序在 %1 后仍在运行，因此被停止。它可能陷入了死循环，或在等待永远不会到来的输入（这里没有输入）；请检查循环条件和 sleep。</translation>
    </message>
    <message>
        <source>out of memory: used more than %1 of RAM</source>
        <translation>内存不足：使用了超过 %1 的内存</translation>
    </message>
    <message>
        <source>The program was stopped because it used more than the %1 of memory it may use. Use a smaller batch or model, and do not keep tensors you no longer need.</source>
        <translation>程序使用的内存超过了允许的 %1，因此被停止。请使用更小的 batch 或模型，不要保留不再需要的张量。</translation>
    </message>
    <message>
        <source>output limit exceeded: printed more than %1</source>
        <translation>超出输出限制：打印了超过 %1</translation>
    </message>
    <message>
        <source>The program printed more than %1 and was stopped. Print less often, for example once every 100 steps.</source>
        <translation>程序打印了超过 %1 的内容，因此被停止。请减少打印次数，例如每 100 步打印一次。</translation>
    </message>
    <message>
        <source>The program touched memory it does not own, for example through an out-of-range index, a dangling pointer, or a stack overflow from endless recursion. Add prints or run it in a debugger to find the last line reached.</source>
        <translation>程序访问了不属于它的内存，例如索引越界、悬空指针，或无限递归导致的栈溢出。添加打印语句或在调试器中运行，找到最后执行到的那一行。</translation>
    </message>
    <message>
        <source>The program accessed memory that cannot be used, for example a memory-mapped file that was truncated or a misaligned pointer. Check pointer casts and mapped files.</source>
        <translation>程序访问了无法使用的内存，例如已被截断的内存映射文件，或未对齐的指针。请检查指针转换和映射文件。</translation>
    </message>
    <message>
        <source>The program did an invalid arithmetic operation, most often an integer division by zero. Check divisors before dividing.</source>
        <translation>程序执行了无效的算术运算，最常见的是整数除以零。做除法之前先检查除数。</translation>
    </message>
    <message>
        <source>The program ran an instruction this processor cannot execute, usually because it was built for a different CPU or jumped to a broken address. Rebuild it on this machine.</source>
        <translation>程序执行了本处理器无法执行的指令，通常是因为它是为另一种 CPU 构建的，或跳转到了损坏的地址。请在本机上重新构建。</translation>
    </message>
    <message>
        <source>The program aborted itself, usually because an assertion failed or an exception was not caught. The last lines of its error output say why.</source>
        <translation>程序自行中止了，通常是因为断言失败或异常未被捕获。错误输出的最后几行会说明原因。</translation>
    </message>
    <message>
        <source>Something outside the program killed it (SIGKILL), often the system when memory ran out. Use less memory and run it again.</source>
        <translation>程序被外部强制终止（SIGKILL），通常是系统在内存耗尽时所为。请减少内存用量后再运行。</translation>
    </message>
    <message>
        <source>The program was ended by signal %1 (%2).</source>
        <translation>程序被信号 %1（%2）终止。</translation>
    </message>
    <message>
        <source>could not start the program</source>
        <translation>无法启动程序</translation>
    </message>
    <message>
        <source>The program could not be started (%1). Build it again and check that the file exists and may be executed.</source>
        <translation>无法启动程序（%1）。请重新构建，并检查该文件存在且可以执行。</translation>
    </message>
    <message>
        <source>finished successfully</source>
        <translation>运行成功</translation>
    </message>
    <message>
        <source>time limit exceeded: used more than %1 of CPU time</source>
        <translation>超出时间限制：使用了超过 %1 的 CPU 时间</translation>
    </message>
    <message>
        <source>The program kept the processor busy for longer than the %1 allowed, often because a loop never ends. Check loop conditions, or train for fewer steps.</source>
        <translation>程序占用处理器的时间超过了允许的 %1，通常是因为某个循环永不结束。请检查循环条件，或减少训练步数。</translation>
    </message>
    <message>
        <source>file size limit exceeded: a file grew past %1</source>
        <translation>超出文件大小限制：某个文件超过了 %1</translation>
    </message>
    <message>
        <source>The program tried to write a file larger than the %1 allowed and was stopped. Write less data, or look for a loop that writes without end.</source>
        <translation>程序试图写入超过允许的 %1 的文件，因此被停止。请少写一些数据，或查找无休止写文件的循环。</translation>
    </message>
    <message>
        <source>GPU out of memory</source>
        <translation>显存不足</translation>
    </message>
    <message>
        <source>The GPU had no room left for this allocation. Try a smaller batch (gradient accumulation keeps the effective batch size), wrap evaluation in torch::NoGradGuard, free unused tensors and call c10::cuda::CUDACachingAllocator::emptyCache(); &quot;reserved&quot; memory is held by the caching allocator, &quot;allocated&quot; is what live tensors use.</source>
        <translation>GPU 已没有空间进行这次分配。请尝试更小的 batch（梯度累积可以保持有效批大小）、在评估时使用 torch::NoGradGuard、释放不用的张量并调用 c10::cuda::CUDACachingAllocator::emptyCache()；“已保留”（reserved）的显存由缓存分配器持有，“已分配”（allocated）是存活张量使用的显存。</translation>
    </message>
    <message>
        <source>GPU out of memory at start-up</source>
        <translation>启动时显存不足</translation>
    </message>
    <message>
        <source>CUDA could not set itself up on the GPU (&quot;CUDA error: out of memory&quot;), which usually means other programs hold the GPU&apos;s memory or a limit of this computer blocks it, not that your tensors are too big. Close other GPU programs (nvidia-smi lists them) and run again.</source>
        <translation>CUDA 无法在 GPU 上完成初始化（&quot;CUDA error: out of memory&quot;），这通常意味着其他程序占用了显存，或本机的某项限制阻止了它，而不是你的张量太大。请关闭其他 GPU 程序（nvidia-smi 会列出它们）后再运行。</translation>
    </message>
    <message>
        <source>out of memory: an allocation failed</source>
        <translation>内存不足：内存分配失败</translation>
    </message>
    <message>
        <source>The program asked for more memory than it may use (%1) and the allocation failed. Check tensor sizes, since one wrong dimension can ask for gigabytes, and use a smaller batch.</source>
        <translation>程序申请的内存超过了允许的上限（%1），分配失败。请检查张量大小（一个维度写错就可能申请数 GB 内存），并减小批大小。</translation>
    </message>
    <message>
        <source>too many open files</source>
        <translation>打开的文件过多</translation>
    </message>
    <message>
        <source>The program opened more than the %1 files it may have open at once without closing them. Close files (or let them go out of scope) once you are done with them.</source>
        <translation>程序同时打开的文件超过了允许的 %1 个，且没有关闭。文件用完后请关闭（或让它们离开作用域）。</translation>
    </message>
    <message>
        <source>LibTorch error: %1</source>
        <translation>LibTorch 错误：%1</translation>
    </message>
    <message>
        <source>LibTorch stopped the program because an operation was used the wrong way; the message names the operation and the reason. Check the shapes, types and devices of the tensors on that line.</source>
        <translation>某个操作的用法不对，LibTorch 停止了程序；错误信息指出了是哪个操作以及原因。请检查那一行中张量的形状、类型和设备。</translation>
    </message>
    <message>
        <source>crashed: %1 (%2)</source>
        <translation>崩溃：%1（%2）</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>以退出码 %1 退出</translation>
    </message>
    <message>
        <source>The program ended with exit code %1, which usually means it reported an error. Its last lines of output say what went wrong.</source>
        <translation>程序以退出码 %1 结束，这通常表示它报告了错误。输出的最后几行会说明哪里出了问题。</translation>
    </message>
    <message>
        <source>segmentation fault</source>
        <translation>段错误</translation>
    </message>
    <message>
        <source>aborted</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>bus error</source>
        <translation>总线错误</translation>
    </message>
    <message>
        <source>arithmetic error</source>
        <translation>算术错误</translation>
    </message>
    <message>
        <source>illegal instruction</source>
        <translation>非法指令</translation>
    </message>
    <message>
        <source>killed</source>
        <translation>被强制终止</translation>
    </message>
    <message>
        <source>terminated</source>
        <translation>被终止</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>被中断</translation>
    </message>
    <message>
        <source>broken pipe</source>
        <translation>管道破裂</translation>
    </message>
    <message>
        <source>CPU time limit exceeded</source>
        <translation>超出 CPU 时间限制</translation>
    </message>
    <message>
        <source>file size limit exceeded</source>
        <translation>超出文件大小限制</translation>
    </message>
    <message>
        <source>trace/breakpoint trap</source>
        <translation>跟踪/断点陷阱</translation>
    </message>
    <message>
        <source>bad system call</source>
        <translation>错误的系统调用</translation>
    </message>
    <message>
        <source>alarm clock</source>
        <translation>定时器到期</translation>
    </message>
    <message>
        <source>hang-up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>signal %1</source>
        <translation>信号 %1</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>too many processes: more than %1 at once</source>
        <translation>进程过多：同时超过 %1 个</translation>
    </message>
    <message>
        <source>The program started more than the %1 processes a run may have at once and was stopped, with every process it started. A fork() in a loop does this; start workers a fixed number of times, outside loops.</source>
        <translation>程序同时启动的进程超过了一次运行允许的 %1 个，已连同它启动的所有进程一起被停止。循环中的 fork() 会造成这种情况；请在循环之外启动固定数量的工作进程。</translation>
    </message>
</context>
<context>
    <name>torchlab::OutputConsole</name>
    <message>
        <source>[… output truncated: %1 characters not shown …]</source>
        <translation>[… 输出已截断：%1 个字符未显示 …]</translation>
    </message>
    <message>
        <source>Program output appears here when you run your code.</source>
        <translation>运行代码后，程序输出会显示在这里。</translation>
    </message>
</context>
<context>
    <name>torchlab::PackArchive</name>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>no details from libarchive</source>
        <translation>libarchive 未提供详细信息</translation>
    </message>
    <message>
        <source>has an empty name</source>
        <translation>名称为空</translation>
    </message>
    <message>
        <source>contains a control character</source>
        <translation>包含控制字符</translation>
    </message>
    <message>
        <source>contains a backslash (a Windows path that could leave the pack&apos;s folder)</source>
        <translation>包含反斜杠（Windows 路径，可能会跑到课程包文件夹之外）</translation>
    </message>
    <message>
        <source>contains &apos;:&apos; (a drive letter or an alternate data stream)</source>
        <translation>包含 &apos;:&apos;（驱动器号或备用数据流）</translation>
    </message>
    <message>
        <source>is an absolute path</source>
        <translation>是绝对路径</translation>
    </message>
    <message>
        <source>is not valid UTF-8</source>
        <translation>不是有效的 UTF-8</translation>
    </message>
    <message>
        <source>is longer than %1 bytes</source>
        <translation>长度超过 %1 字节</translation>
    </message>
    <message>
        <source>has an empty path component (&quot;//&quot;)</source>
        <translation>含有空的路径组成部分（&quot;//&quot;）</translation>
    </message>
    <message>
        <source>contains &quot;..&quot; (it would leave the pack&apos;s folder)</source>
        <translation>包含 &quot;..&quot;（会跑到课程包文件夹之外）</translation>
    </message>
    <message>
        <source>has a name longer than 255 bytes</source>
        <translation>名称长度超过 255 字节</translation>
    </message>
    <message>
        <source>is nested deeper than %1 folders</source>
        <translation>嵌套深度超过 %1 层文件夹</translation>
    </message>
    <message>
        <source>The pack archive was refused: entry %1 %2.</source>
        <translation>课程包归档被拒绝：条目 %1 %2。</translation>
    </message>
    <message>
        <source>The unpacking folder %1 is not a folder.</source>
        <translation>解包文件夹 %1 并不是文件夹。</translation>
    </message>
    <message>
        <source>The unpacking folder %1 is not empty.</source>
        <translation>解包文件夹 %1 不是空的。</translation>
    </message>
    <message>
        <source>Cannot create the unpacking folder %1.</source>
        <translation>无法创建解包文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot open the unpacking folder %1: %2.</source>
        <translation>无法打开解包文件夹 %1：%2。</translation>
    </message>
    <message>
        <source>Cannot read the pack archive %1: %2.</source>
        <translation>无法读取课程包归档 %1：%2。</translation>
    </message>
    <message>
        <source>The pack archive %1 is not a regular file.</source>
        <translation>课程包归档 %1 不是普通文件。</translation>
    </message>
    <message>
        <source>The pack archive %1 is empty.</source>
        <translation>课程包归档 %1 是空的。</translation>
    </message>
    <message>
        <source>The pack archive %1 is damaged or not a .tar.gz, .tar.xz, .tar or .zip file: %2.</source>
        <translation>课程包归档 %1 已损坏，或不是 .tar.gz、.tar.xz、.tar 或 .zip 文件：%2。</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>内存不足。</translation>
    </message>
    <message>
        <source>The pack archive is damaged or incomplete: %1.</source>
        <translation>课程包归档已损坏或不完整：%1。</translation>
    </message>
    <message>
        <source>bad gzip data</source>
        <translation>gzip 数据有误</translation>
    </message>
    <message>
        <source>the gzip data ends too early</source>
        <translation>gzip 数据提前结束</translation>
    </message>
    <message>
        <source>The pack archive was refused: it unpacks to more than %1.</source>
        <translation>课程包归档被拒绝：解包后超过 %1。</translation>
    </message>
    <message>
        <source>The pack archive was refused: it unpacks to more than %1 times its size (a compression bomb).</source>
        <translation>课程包归档被拒绝：解包后的大小超过其自身的 %1 倍（压缩炸弹）。</translation>
    </message>
    <message>
        <source>The pack archive was refused: it has more than %1 entries.</source>
        <translation>课程包归档被拒绝：条目超过 %1 个。</translation>
    </message>
    <message>
        <source>The pack archive %1 holds no files.</source>
        <translation>课程包归档 %1 中没有任何文件。</translation>
    </message>
    <message>
        <source>The pack archive was refused: its zip directory lists %1, which it does not hold.</source>
        <translation>课程包归档被拒绝：其 zip 目录中列出了 %1，但归档中并没有它。</translation>
    </message>
    <message>
        <source>is not listed under this name in the zip&apos;s central directory</source>
        <translation>在 zip 的中央目录中没有以这个名称列出</translation>
    </message>
    <message>
        <source>is a hard link; packs hold only files and folders</source>
        <translation>是硬链接；课程包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>is a symbolic link; packs hold only files and folders</source>
        <translation>是符号链接；课程包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>is a device; packs hold only files and folders</source>
        <translation>是设备文件；课程包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>is a named pipe; packs hold only files and folders</source>
        <translation>是命名管道；课程包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>is a socket; packs hold only files and folders</source>
        <translation>是套接字；课程包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>is not a file or a folder</source>
        <translation>既不是文件也不是文件夹</translation>
    </message>
    <message>
        <source>is a file whose name ends in &apos;/&apos;</source>
        <translation>是名称以 &apos;/&apos; 结尾的文件</translation>
    </message>
    <message>
        <source>is a sparse file</source>
        <translation>是稀疏文件</translation>
    </message>
    <message>
        <source>is larger than %1</source>
        <translation>大于 %1</translation>
    </message>
    <message>
        <source>differs from %1 only in letter case</source>
        <translation>与 %1 只有大小写不同</translation>
    </message>
    <message>
        <source>is inside %1, which is a file</source>
        <translation>位于文件 %1 之下</translation>
    </message>
    <message>
        <source>appears twice</source>
        <translation>出现了两次</translation>
    </message>
    <message>
        <source>is a file and a folder</source>
        <translation>既是文件又是文件夹</translation>
    </message>
    <message>
        <source>cannot be written: %1</source>
        <translation>无法写入：%1</translation>
    </message>
    <message>
        <source>holds %1 bytes but its header says %2</source>
        <translation>实际有 %1 字节，但其头部记录的是 %2 字节</translation>
    </message>
    <message>
        <source>The pack folder %1 does not exist.</source>
        <translation>课程包文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Cannot pack %1: it %2.</source>
        <translation>无法打包 %1：它%2。</translation>
    </message>
    <message>
        <source>is a symbolic link; a pack holds only files and folders</source>
        <translation>是符号链接；课程包只能包含文件和文件夹</translation>
    </message>
    <message>
        <source>differs from another name only in letter case</source>
        <translation>与另一个名称只有大小写不同</translation>
    </message>
    <message>
        <source>Cannot pack %1: its files hold more than %2.</source>
        <translation>无法打包 %1：其中的文件总计超过 %2。</translation>
    </message>
    <message>
        <source>Cannot pack %1: it holds more than %2 files and folders.</source>
        <translation>无法打包 %1：其中的文件和文件夹超过 %2 个。</translation>
    </message>
    <message>
        <source>Cannot pack %1: it holds no files.</source>
        <translation>无法打包 %1：其中没有任何文件。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>cannot be read (%1)</source>
        <translation>无法读取（%1）</translation>
    </message>
    <message>
        <source>changed while it was being packed; build again</source>
        <translation>在打包过程中被修改了；请重新构建</translation>
    </message>
</context>
<context>
    <name>torchlab::PackInstaller</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot create a temporary file in %1: %2</source>
        <translation>无法在 %1 中创建临时文件：%2</translation>
    </message>
    <message>
        <source>%1 is larger than the limit of %2 MiB for a pack.</source>
        <translation>%1 超过了课程包 %2 MiB 的大小上限。</translation>
    </message>
    <message>
        <source>Cannot write a temporary copy of %1: %2</source>
        <translation>无法写入 %1 的临时副本：%2</translation>
    </message>
    <message>
        <source>Cannot create the packs folder %1.</source>
        <translation>无法创建课程包文件夹 %1。</translation>
    </message>
    <message>
        <source>Another install is still running (lock %1).</source>
        <translation>另一个安装仍在进行中（锁文件 %1）。</translation>
    </message>
    <message>
        <source>The archive of %1 has %2 bytes; the signed feed index says %3.</source>
        <translation>%1 的归档有 %2 字节；已签名的订阅源索引中写的是 %3 字节。</translation>
    </message>
    <message>
        <source>The archive of %1 does not have the SHA-256 the signed feed index lists.</source>
        <translation>%1 的归档的 SHA-256 与已签名的订阅源索引中列出的不一致。</translation>
    </message>
    <message>
        <source>%1 is not installed: %2</source>
        <translation>未安装 %1：%2</translation>
    </message>
    <message>
        <source>The signature&apos;s trusted comment must read &quot;pack &lt;id&gt; &lt;version&gt;&quot; (it reads &quot;%1&quot;); sign the archive with torchlab-cli pack sign.</source>
        <translation>签名中受信任的注释必须是 &quot;pack &lt;id&gt; &lt;version&gt;&quot;（实际是 &quot;%1&quot;）；请用 torchlab-cli pack sign 为归档签名。</translation>
    </message>
    <message>
        <source>The feed lists %1 %2 but the archive is signed as %3 %4.</source>
        <translation>订阅源列出的是 %1 %2，但归档的签名是 %3 %4。</translation>
    </message>
    <message>
        <source>%1 was installed with key %2; this version is signed with key %3. TorchLab keeps a pack&apos;s key even after the pack is removed, so nobody can take over its id; an author who changes keys publishes the pack under a new id.</source>
        <translation>%1 安装时使用的是密钥 %2；这个版本却是用密钥 %3 签名的。即使课程包已被移除，TorchLab 也会保留它的密钥，这样就没有人能冒用它的 id；更换密钥的作者需要用新的 id 发布课程包。</translation>
    </message>
    <message>
        <source>%1 %2 is already installed.</source>
        <translation>%1 %2 已经安装。</translation>
    </message>
    <message>
        <source>%1 %2 is older than the installed version %3: refusing to go back (rollback).</source>
        <translation>%1 %2 比已安装的版本 %3 旧：拒绝退回旧版本（回退）。</translation>
    </message>
    <message>
        <source>%1 %2 is older than version %3, which was installed before: refusing to go back (rollback).</source>
        <translation>%1 %2 比以前安装过的版本 %3 旧：拒绝退回旧版本（回退）。</translation>
    </message>
    <message>
        <source>Cannot create a staging folder in %1: %2</source>
        <translation>无法在 %1 中创建暂存文件夹：%2</translation>
    </message>
    <message>
        <source>The archive is not a valid lesson pack: %1</source>
        <translation>该归档不是有效的课程包：%1</translation>
    </message>
    <message>
        <source>The archive&apos;s pack.toml says %1 %2 but it is signed as %3 %4.</source>
        <translation>归档中的 pack.toml 写的是 %1 %2，但它的签名是 %3 %4。</translation>
    </message>
    <message>
        <source>Cannot move %1 into place: %2</source>
        <translation>无法将 %1 移动到位：%2</translation>
    </message>
    <message>
        <source>Another install is still running.</source>
        <translation>另一个安装仍在进行中。</translation>
    </message>
    <message>
        <source>No pack with the id %1 is installed.</source>
        <translation>没有安装 id 为 %1 的课程包。</translation>
    </message>
    <message>
        <source>&quot;packs&quot; is not a list</source>
        <translation>&quot;packs&quot; 不是列表</translation>
    </message>
    <message>
        <source>entry %1 is not valid</source>
        <translation>第 %1 项无效</translation>
    </message>
    <message>
        <source>Cannot write the list of installed packs: %1</source>
        <translation>无法写入已安装课程包列表：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::PackKeyField</name>
    <message>
        <source>RWQ… or the whole minisign.pub file</source>
        <translation>RWQ… 或整个 minisign.pub 文件</translation>
    </message>
    <message>
        <source>Cannot read the key file %1: %2</source>
        <translation>无法读取密钥文件 %1：%2</translation>
    </message>
    <message>
        <source>%1 is too large to be a minisign public key.</source>
        <translation>%1 太大，不可能是 minisign 公钥。</translation>
    </message>
    <message>
        <source>%1 does not hold a public key. %2</source>
        <translation>%1 中没有公钥。%2</translation>
    </message>
    <message>
        <source>Paste the instructor&apos;s public key (the line starting with RW) or load their .pub file.</source>
        <translation>请粘贴讲师的公钥（以 RW 开头的那一行），或加载讲师的 .pub 文件。</translation>
    </message>
    <message>
        <source>Key ID %1. Check that it is the one your instructor announced.</source>
        <translation>密钥 ID %1。请确认它与讲师公布的一致。</translation>
    </message>
</context>
<context>
    <name>torchlab::PackService</name>
    <message>
        <source>Cancelled before it started.</source>
        <translation>在开始之前已取消。</translation>
    </message>
    <message>
        <source>Installing %1</source>
        <translation>正在安装 %1</translation>
    </message>
    <message>
        <source>Removing %1</source>
        <translation>正在移除 %1</translation>
    </message>
    <message>
        <source>There is no subscription to %1.</source>
        <translation>没有订阅 %1。</translation>
    </message>
</context>
<context>
    <name>torchlab::PackSkeleton</name>
    <message>
        <source>%1 exists and is not a folder.</source>
        <translation>%1 已存在，且不是文件夹。</translation>
    </message>
    <message>
        <source>%1 is not empty; a new pack needs an empty or new folder.</source>
        <translation>%1 不是空的；新课程包需要一个空的或新的文件夹。</translation>
    </message>
    <message>
        <source>The pack id &quot;%1&quot; may use only a-z, 0-9, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, starting with a letter or digit.</source>
        <translation>课程包 id &quot;%1&quot; 只能使用 a-z、0-9、&apos;.&apos;、&apos;_&apos; 和 &apos;-&apos;，并以字母或数字开头。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>The lesson id &quot;%1&quot; may use only a-z, 0-9 and &apos;-&apos;, starting with a letter or digit.</source>
        <translation>课程 id “%1”只能使用 a-z、0-9 和“-”，并以字母或数字开头。</translation>
    </message>
    <message>
        <source>%1 is not a valid pack; `torchlab-cli pack validate %1` lists its problems.</source>
        <translation>%1 不是有效的课程包；`torchlab-cli pack validate %1` 会列出其中的问题。</translation>
    </message>
    <message>
        <source>The pack already has a lesson &quot;%1&quot;.</source>
        <translation>课程包里已经有课程“%1”。</translation>
    </message>
    <message>
        <source>The pack has %1 days; a new lesson goes into one of them or into day %2, which this adds.</source>
        <translation>课程包有 %1 天；新课程可以放入其中某一天，或放入第 %2 天（这会新增这一天）。</translation>
    </message>
    <message>
        <source>%1 already exists.</source>
        <translation>%1 已经存在。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>Cannot find the `lessons` list of day %1 in %2; add &quot;%3&quot; there by hand.</source>
        <translation>在 %2 中找不到第 %1 天的 `lessons` 列表；请手动把“%3”加到那里。</translation>
    </message>
</context>
<context>
    <name>torchlab::PacksController</name>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>You no longer follow %1. Its packs stay installed.</source>
        <translation>你已不再订阅 %1。它的课程包不会被移除。</translation>
    </message>
    <message>
        <source>This link cannot be used: %1</source>
        <translation>无法使用此链接：%1</translation>
    </message>
    <message>
        <source>No lesson with your code was removed from this pack.</source>
        <translation>这个课程包没有移除任何你写过代码的课。</translation>
    </message>
    <message>
        <source>You follow no feed yet. Ask your instructor for a subscribe link, or use Course → Packs… → Subscribe.</source>
        <translation>你还没有订阅任何订阅源。请向讲师索取订阅链接，或使用“课程 → 课程包… → 订阅”。</translation>
    </message>
    <message>
        <source>Checking your course feeds…</source>
        <translation>正在检查你的课程订阅源…</translation>
    </message>
    <message>
        <source>The pack %1 is not installed.</source>
        <translation>课程包 %1 未安装。</translation>
    </message>
    <message>
        <source>Removed %1. Your code and progress are kept.</source>
        <translation>已移除 %1。你的代码和进度仍然保留。</translation>
    </message>
    <message>
        <source>Installed %1 %2.</source>
        <translation>已安装 %1 %2。</translation>
    </message>
    <message>
        <source>Updated %1 from %2 to %3.</source>
        <translation>已将 %1 从 %2 更新到 %3。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Every pack is up to date.</source>
        <translation>所有课程包都已是最新版本。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Checking for course updates failed: %1</source>
        <translation>检查课程更新失败：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::PacksDialog</name>
    <message>
        <source>Pack</source>
        <translation>课程包</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>安装时间</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>订阅源</translation>
    </message>
    <message>
        <source>Last checked</source>
        <translation>上次检查</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Install from File…</source>
        <translation>从文件安装…</translation>
    </message>
    <message>
        <source>Subscribe…</source>
        <translation>订阅…</translation>
    </message>
    <message>
        <source>Check for Updates</source>
        <translation>检查更新</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Unsubscribe</source>
        <translation>取消订阅</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Lesson Packs</source>
        <translation>课程包</translation>
    </message>
    <message>
        <source>Installed packs</source>
        <translation>已安装的课程包</translation>
    </message>
    <message>
        <source>Subscribed feeds</source>
        <translation>已订阅的订阅源</translation>
    </message>
    <message>
        <source>No packs installed yet. Install one from a file your instructor gave you, or subscribe to their feed.</source>
        <translation>还没有安装任何课程包。可以从讲师给你的文件安装，或订阅讲师的订阅源。</translation>
    </message>
    <message>
        <source>No feeds yet. Ask your instructor for a subscribe link.</source>
        <translation>还没有订阅源。请向讲师索取订阅链接。</translation>
    </message>
    <message>
        <source>Install a pack from an archive and its signature.</source>
        <translation>用归档文件及其签名安装课程包。</translation>
    </message>
    <message>
        <source>Show this pack&apos;s lessons in the lab.</source>
        <translation>在 TorchLab 中显示这个课程包的课。</translation>
    </message>
    <message>
        <source>Remove the pack. Your code and progress in it are kept.</source>
        <translation>移除这个课程包。你在其中的代码和进度会保留。</translation>
    </message>
    <message>
        <source>Follow an instructor&apos;s feed: new packs and updates arrive by themselves.</source>
        <translation>订阅讲师的订阅源：新的课程包和更新会自动送达。</translation>
    </message>
    <message>
        <source>Check every feed for new packs and updates now.</source>
        <translation>立即检查所有订阅源中的新课程包和更新。</translation>
    </message>
    <message>
        <source>Stop following this feed. Its packs stay installed.</source>
        <translation>不再订阅这个订阅源。它的课程包不会被移除。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>Version %1 is available; “Check for Updates” installs it.</source>
        <translation>版本 %1 已可用；点击“检查更新”即可安装。</translation>
    </message>
    <message>
        <source>Built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>The course that comes with the lab.</source>
        <translation>TorchLab 自带的课程。</translation>
    </message>
    <message>
        <source>Installed from %1</source>
        <translation>从 %1 安装</translation>
    </message>
    <message>
        <source>From the feed %1</source>
        <translation>来自订阅源 %1</translation>
    </message>
    <message>
        <source>Signed with key %1</source>
        <translation>使用密钥 %1 签名</translation>
    </message>
    <message>
        <source>Pack id: %1</source>
        <translation>课程包 id：%1</translation>
    </message>
    <message>
        <source>Open in the lab now.</source>
        <translation>当前已在 TorchLab 中打开。</translation>
    </message>
    <message>
        <source>Trusted key %1</source>
        <translation>受信任的密钥 %1</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>OK, published %1</source>
        <translation>正常，发布于 %1</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>The course that comes with the lab cannot be removed.</source>
        <translation>TorchLab 自带的课程无法移除。</translation>
    </message>
    <message>
        <source>Remove Pack</source>
        <translation>移除课程包</translation>
    </message>
    <message>
        <source>Remove “%1” from the lab?</source>
        <translation>要从 TorchLab 中移除“%1”吗？</translation>
    </message>
    <message>
        <source>Its lessons leave the lab. Your code and progress in them are kept and come back if you install the pack again.</source>
        <translation>它的课将从 TorchLab 中移除。你在这些课中的代码和进度会保留，重新安装这个课程包后即可恢复。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>torchlab::PchCache</name>
    <message>
        <source>Preparing LibTorch for fast compiles (one time): %1 s</source>
        <translation>正在为快速编译准备 LibTorch（仅需一次）：%1 s</translation>
    </message>
    <message>
        <source>Precompiled header ready.</source>
        <translation>预编译头已就绪。</translation>
    </message>
    <message>
        <source>Waiting for another TorchLab process that is preparing LibTorch…</source>
        <translation>正在等待另一个 TorchLab 进程准备 LibTorch…</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Preparing LibTorch for fast compiles (one time)…</source>
        <translation>正在为快速编译准备 LibTorch（仅需一次）…</translation>
    </message>
    <message>
        <source>Precompiled header ready after %1 s.</source>
        <translation>预编译头已就绪，用时 %1 s。</translation>
    </message>
    <message>
        <source>Cannot move the precompiled header into place.</source>
        <translation>无法将预编译头移动到位。</translation>
    </message>
    <message>
        <source>Preparing the precompiled header was cancelled.</source>
        <translation>预编译头的准备已取消。</translation>
    </message>
    <message>
        <source>Could not precompile LibTorch&apos;s headers (%1). Compiles still work, only slower.
%2</source>
        <translation>无法预编译 LibTorch 的头文件（%1）。仍然可以编译，只是慢一些。
%2</translation>
    </message>
</context>
<context>
    <name>torchlab::ProblemsView</name>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>linker</source>
        <translation>链接器</translation>
    </message>
    <message>
        <source>compiler</source>
        <translation>编译器</translation>
    </message>
    <message>
        <source>Reported in %1</source>
        <translation>报告于 %1</translation>
    </message>
    <message>
        <source>Message (found while you typed, before Run)</source>
        <translation>消息（在你输入时、运行之前发现）</translation>
    </message>
</context>
<context>
    <name>torchlab::ProcessRunner</name>
    <message>
        <source>the sandbox is turned off</source>
        <translation>沙箱已关闭</translation>
    </message>
    <message>
        <source>the sandbox is required, and it cannot be made here: %1</source>
        <translation>要求使用沙箱，但这台计算机无法创建：%1</translation>
    </message>
    <message>
        <source>the sandbox could not be set up: %1</source>
        <translation>无法建立沙箱：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::ProfileChooser</name>
    <message>
        <source>TORCHLAB_DEVICE must be cpu or cuda, not &quot;%1&quot;.</source>
        <translation>TORCHLAB_DEVICE 必须是 cpu 或 cuda，而不是“%1”。</translation>
    </message>
    <message>
        <source>nvcc %1 accepts g++ up to %2 and clang++ up to %3 as its host compiler, and none of the compilers found is one of those.</source>
        <translation>nvcc %1 接受的主机编译器最高为 g++ %2 和 clang++ %3，而找到的编译器都不在此范围内。</translation>
    </message>
    <message>
        <source>The compiler %1 (from %2) was not found or is not clang++ or g++. Point it at a clang++ or g++ binary, or unset it.</source>
        <translation>未找到编译器 %1（来自 %2），或者它不是 clang++ 或 g++。请让它指向 clang++ 或 g++ 可执行文件，或取消该设置。</translation>
    </message>
    <message>
        <source>No C++ compiler was found. Install clang++ or g++ (on Debian: apt install clang lld).</source>
        <translation>未找到 C++ 编译器。请安装 clang++ 或 g++（Debian 上：apt install clang lld）。</translation>
    </message>
    <message>
        <source>%1 (from %2) is not a LibTorch install TorchLab found. Give the folder that holds include/ and lib/, or unset it.</source>
        <translation>%1（来自 %2）不是 TorchLab 找到的 LibTorch 安装。请给出包含 include/ 和 lib/ 的文件夹，或取消该设置。</translation>
    </message>
    <message>
        <source>The LibTorch at %1 (from %2) cannot be used: %3.</source>
        <translation>无法使用位于 %1 的 LibTorch（来自 %2）：%3。</translation>
    </message>
    <message>
        <source>chosen by %1</source>
        <translation>由 %1 选定</translation>
    </message>
    <message>
        <source>%1 cannot be used: %2.</source>
        <translation>无法使用 %1：%2。</translation>
    </message>
    <message>
        <source>No usable LibTorch was found.%1 Install it (on Debian: apt install libtorch-dev) or set LIBTORCH to an unpacked LibTorch zip.</source>
        <extracomment>%1: one sentence per LibTorch install found, each with a leading space, saying why it cannot be used; empty when none was found.</extracomment>
        <translation>未找到可用的 LibTorch。%1请安装它（Debian 上：apt install libtorch-dev），或把 LIBTORCH 设为解压后的 LibTorch zip 文件夹。</translation>
    </message>
    <message>
        <source>%1 asks for the CPU</source>
        <translation>%1 要求使用 CPU</translation>
    </message>
    <message>
        <source>%1 asks for the GPU, but no NVIDIA GPU was found (%2): exercises will fail when they use CUDA.</source>
        <translation>%1 要求使用 GPU，但未找到 NVIDIA GPU（%2）：练习在使用 CUDA 时会失败。</translation>
    </message>
    <message>
        <source>%1 asks for the GPU</source>
        <translation>%1 要求使用 GPU</translation>
    </message>
    <message>
        <source>No compiler can build for the C++ ABI LibTorch uses: %1 needs _GLIBCXX_USE_CXX11_ABI=%2, but %3 only builds ABI %4. Use another compiler or a LibTorch built for ABI %4.</source>
        <translation>没有编译器能按 LibTorch 使用的 C++ ABI 构建：%1 需要 _GLIBCXX_USE_CXX11_ABI=%2，但 %3 只能构建 ABI %4。请使用其他编译器，或使用为 ABI %4 构建的 LibTorch。</translation>
    </message>
    <message>
        <source>found %1</source>
        <translation>找到 %1</translation>
    </message>
    <message>
        <source>the NVIDIA driver supports CUDA %1 but the CUDA LibTorch needs CUDA %2</source>
        <translation>NVIDIA 驱动支持 CUDA %1，但 CUDA 版 LibTorch 需要 CUDA %2</translation>
    </message>
    <message>
        <source>an NVIDIA GPU is present but no CUDA build of LibTorch was found</source>
        <translation>存在 NVIDIA GPU，但未找到 CUDA 版的 LibTorch</translation>
    </message>
    <message>
        <source>no NVIDIA GPU was found (%1)</source>
        <translation>未找到 NVIDIA GPU（%1）</translation>
    </message>
    <message>
        <source>%1 selects a CPU-only LibTorch although an NVIDIA GPU is present.</source>
        <translation>虽然存在 NVIDIA GPU，%1 仍选择了仅 CPU 的 LibTorch。</translation>
    </message>
    <message>
        <source>%1 Lessons with CUDA kernels take their CPU path.</source>
        <extracomment>%1: why nvcc cannot be used (a sentence).</extracomment>
        <translation>%1含 CUDA 内核的课程将改走 CPU 路径。</translation>
    </message>
    <message>
        <source>%1 LibTorch %2 (%3) with %4</source>
        <extracomment>&quot;CPU LibTorch 2.4.0 (pip torch) with clang++ 16&quot;</extracomment>
        <translation>%1 LibTorch %2（%3），使用 %4</translation>
    </message>
    <message>
        <source>CUDA LibTorch %1 (%2) on the CPU with %3</source>
        <translation>CUDA LibTorch %1（%2），在 CPU 上运行，使用 %3</translation>
    </message>
    <message>
        <source>; </source>
        <extracomment>Separates the reasons a build profile was chosen.</extracomment>
        <translation>；</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>The chosen build profile, then why: &quot;CPU LibTorch 2.4.0 (pip torch) with clang++ 16: no NVIDIA GPU was found (...)&quot;</extracomment>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>torchlab::ProgressStore</name>
    <message>
        <source>The saved work in %1 was missing; the previous save was restored.</source>
        <translation>%1 中保存的代码不见了；已恢复上一次的保存。</translation>
    </message>
    <message>
        <source>The saved work in %1 was damaged; the previous save was restored.</source>
        <translation>%1 中保存的代码已损坏；已恢复上一次的保存。</translation>
    </message>
    <message>
        <source>The saved work in %1 was damaged and no backup could be read; the lesson starts from its starter code.</source>
        <translation>%1 中保存的代码已损坏，且无法读取备份；本课将从初始代码开始。</translation>
    </message>
    <message>
        <source>Could not save your work to %1: %2 (%3).</source>
        <translation>无法将你的代码保存到 %1：%2（%3）。</translation>
    </message>
    <message>
        <source>Could not save your work: cannot create the folder %1.</source>
        <translation>无法保存你的代码：无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>cannot flush the folder</source>
        <translation>无法将文件夹同步到磁盘</translation>
    </message>
    <message>
        <source>the new data could not be written to disk</source>
        <translation>新数据未能写入磁盘</translation>
    </message>
    <message>
        <source>cannot replace the previous file</source>
        <translation>无法替换之前的文件</translation>
    </message>
    <message>
        <source>Could not save your work to %1: another TorchLab is saving it and did not finish in time.</source>
        <translation>无法将你的作业保存到 %1：另一个 TorchLab 正在保存它，且未能及时完成。</translation>
    </message>
    <message>
        <source>cannot lock the file</source>
        <translation>无法锁定文件</translation>
    </message>
</context>
<context>
    <name>torchlab::PrometheusExporter</name>
    <message>
        <source>“%1” is not an address to serve metrics at: write HOST:PORT, for example 127.0.0.1:%2</source>
        <translation>“%1”不是可以提供指标的地址：请写成 HOST:PORT，例如 127.0.0.1:%2</translation>
    </message>
    <message>
        <source>Port %1 does not exist: ports go up to 65535</source>
        <translation>端口 %1 不存在：端口号最大为 65535</translation>
    </message>
    <message>
        <source>“%1” is not an IP address: write one (127.0.0.1 serves this computer only) or localhost</source>
        <translation>“%1”不是 IP 地址：请写一个 IP 地址（127.0.0.1 只对本机提供）或 localhost</translation>
    </message>
    <message>
        <source>Cannot serve metrics at %1: the address is in use or not this computer&apos;s</source>
        <translation>无法在 %1 提供指标：该地址已被占用，或不属于这台计算机</translation>
    </message>
</context>
<context>
    <name>torchlab::QueueState</name>
    <message>
        <source>waiting for a GPU: %1 s</source>
        <translation>正在等待 GPU：%1 秒</translation>
    </message>
    <message>
        <source>waiting for a GPU: %1 s, next in line</source>
        <translation>正在等待 GPU：%1 秒，下一个就轮到你</translation>
    </message>
    <message numerus="yes">
        <source>waiting for a GPU: %1 s, %n job(s) ahead</source>
        <translation>
            <numerusform>正在等待 GPU：%1 秒，前面还有 %n 个作业</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>torchlab::RankGroup</name>
    <message numerus="yes">
        <source>NCCL: %n rank(s), each on a GPU of its own.</source>
        <translation>
            <numerusform>NCCL：%n 个 rank，各自使用一块 GPU。</numerusform>
        </translation>
    </message>
    <message>
        <source>the build profile runs on the CPU</source>
        <translation>构建配置在 CPU 上运行</translation>
    </message>
    <message>
        <source>this LibTorch has no usable NCCL</source>
        <translation>此 LibTorch 没有可用的 NCCL</translation>
    </message>
    <message numerus="yes">
        <source>NCCL needs a GPU per rank, and %n rank(s) share %1 GPU(s)</source>
        <translation>
            <numerusform>NCCL 要求每个 rank 一块 GPU，而 %n 个 rank 共用 %1 块 GPU</numerusform>
        </translation>
    </message>
    <message>
        <source>Gloo, because %1.</source>
        <translation>使用 Gloo，因为%1。</translation>
    </message>
    <message>
        <source>No c10d backend: %1, and this LibTorch has no Gloo.</source>
        <translation>没有 c10d 后端：%1，且此 LibTorch 没有 Gloo。</translation>
    </message>
</context>
<context>
    <name>torchlab::RemoteDoctor</name>
    <message>
        <source>%1 runs a torchlab-cli that speaks protocol %2; this lab speaks %3. Install the same TorchLab version on both.</source>
        <translation>%1 上的 torchlab-cli 使用协议 %2；本实验室使用协议 %3。请在两边安装同一版本的 TorchLab。</translation>
    </message>
    <message>
        <source>Host: %1 (TorchLab %2)</source>
        <translation>主机：%1（TorchLab %2）</translation>
    </message>
    <message>
        <source>GPU: %1; driver %2 (CUDA %3)</source>
        <translation>GPU：%1；驱动 %2（CUDA %3）</translation>
    </message>
    <message>
        <source>GPU: none (%1)</source>
        <translation>GPU：无（%1）</translation>
    </message>
    <message>
        <source>LibTorch: none usable (%1)</source>
        <translation>LibTorch：没有可用的（%1）</translation>
    </message>
    <message>
        <source>LibTorch: %1, runs on %2</source>
        <translation>LibTorch：%1，运行于 %2</translation>
    </message>
    <message>
        <source>Compiler: %1</source>
        <translation>编译器：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>An ssh failure: its short summary (&quot;%1 cannot be reached&quot;), then its explanation.</extracomment>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>torchlab::RemoteSession</name>
    <message>
        <source>%1 runs a torchlab-cli that speaks protocol %2; this lab speaks %3. Install the same TorchLab version on both (torchlab-cli --version).</source>
        <translation>%1 上的 torchlab-cli 使用协议 %2；本实验室使用协议 %3。请在两边安装同一版本的 TorchLab（torchlab-cli --version）。</translation>
    </message>
</context>
<context>
    <name>torchlab::RemovedLessonsDialog</name>
    <message>
        <source>Code from Removed Lessons</source>
        <translation>已移除的课中的代码</translation>
    </message>
    <message>
        <source>A course update removed these lessons. Your code from them is kept here, read only: copy it or save it to a file.</source>
        <translation>课程更新移除了这些课。你在其中写的代码以只读方式保留在这里：可以复制，或保存到文件。</translation>
    </message>
    <message>
        <source>Removed lessons</source>
        <translation>已移除的课</translation>
    </message>
    <message>
        <source>Last edited %1</source>
        <translation>最后编辑于 %1</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy the shown file to the clipboard.</source>
        <translation>将显示的文件复制到剪贴板。</translation>
    </message>
    <message>
        <source>Save the shown file somewhere you choose.</source>
        <translation>将显示的文件保存到你选择的位置。</translation>
    </message>
    <message>
        <source>No code from removed lessons: every lesson you worked on is still in the course.</source>
        <translation>没有来自已移除的课的代码：你做过的每一课都仍在课程中。</translation>
    </message>
    <message>
        <source>Copied %1 to the clipboard.</source>
        <translation>已将 %1 复制到剪贴板。</translation>
    </message>
    <message>
        <source>Save %1</source>
        <translation>保存 %1</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
    <message>
        <source>No file is shown.</source>
        <translation>没有显示任何文件。</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
</context>
<context>
    <name>torchlab::RunArchiver</name>
    <message>
        <source>No run has finished yet: Run or Check first.</source>
        <translation>还没有完成的运行：请先运行或检查。</translation>
    </message>
    <message>
        <source>Writing the archive %1…</source>
        <translation>正在写入归档包 %1…</translation>
    </message>
    <message>
        <source>Archive written to %1 (%2 KiB, %3 s).</source>
        <translation>归档包已写入 %1（%2 KiB，%3 秒）。</translation>
    </message>
    <message>
        <source>The archive was not written: %1</source>
        <translation>归档包未能写入：%1</translation>
    </message>
</context>
<context>
    <name>torchlab::RunBundle</name>
    <message>
        <source>The bundle has no readable run.json.</source>
        <translation>归档包中没有可读的 run.json。</translation>
    </message>
    <message>
        <source>The bundle&apos;s run.json lists no code.</source>
        <translation>归档包的 run.json 没有列出代码。</translation>
    </message>
    <message>
        <source>The bundle lacks code/%1, which run.json lists.</source>
        <translation>归档包缺少 run.json 列出的 code/%1。</translation>
    </message>
</context>
<context>
    <name>torchlab::RunJob</name>
    <message>
        <source>The compiler rejected the precompiled header.</source>
        <translation>编译器拒绝了预编译头。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>the warm runner is not in the sandbox</source>
        <translation>预热运行器不在沙箱中</translation>
    </message>
    <message>
        <source>the run needs a sandbox of its own (network, or folders outside the lab&apos;s)</source>
        <translation>这次运行需要单独的沙箱（需要网络，或需要 TorchLab 之外的文件夹）</translation>
    </message>
</context>
<context>
    <name>torchlab::RunRecorder</name>
    <message>
        <source>Cannot read %1 for the bundle: %2.</source>
        <translation>无法为归档包读取 %1：%2。</translation>
    </message>
</context>
<context>
    <name>torchlab::RunStreamReader</name>
    <message>
        <source>a line longer than %1 MiB</source>
        <translation>一行超过 %1 MiB</translation>
    </message>
    <message>
        <source>a lab event that could not be read</source>
        <translation>一条无法读取的 lab 事件</translation>
    </message>
    <message>
        <source>a line that is not a JSON object</source>
        <translation>一行不是 JSON 对象</translation>
    </message>
    <message>
        <source>an unknown phase</source>
        <translation>未知的阶段</translation>
    </message>
    <message>
        <source>a line without a type</source>
        <translation>一行没有类型</translation>
    </message>
</context>
<context>
    <name>torchlab::RunWatch</name>
    <message>
        <source>infinite</source>
        <translation>无穷大</translation>
    </message>
    <message>
        <source>The loss became %1 at step %2 and the run goes on. Most often the learning rate is too high: try a tenth of it, or clip the gradients (torch::nn::utils::clip_grad_norm_). Look at the loss in the steps before %2: a sudden jump points at the learning rate, a slow climb at the data.</source>
        <translation>损失在第 %2 步变成了 %1，而运行仍在继续。最常见的原因是学习率过高：试试原来的十分之一，或裁剪梯度（torch::nn::utils::clip_grad_norm_）。看看第 %2 步之前的损失：突然跳升说明是学习率的问题，缓慢上升则说明是数据的问题。</translation>
    </message>
    <message>
        <source>The metric “%1” became %2 at step %3. A NaN or infinity spreads through every later step: look for a division by zero, a log of zero, or a learning rate that is too high.</source>
        <translation>指标“%1”在第 %3 步变成了 %2。NaN 或无穷大会传播到之后的每一步：检查是否有除以零、对零取对数，或学习率过高。</translation>
    </message>
    <message>
        <source>GPU %1&apos;s memory is %2% full (%3 of %4) while this run goes on: a larger batch or model will stop with “CUDA out of memory”. Gradient accumulation trains the same model with smaller batches in less memory.</source>
        <translation>本次运行期间，GPU %1 的显存已用 %2%（%4 中的 %3）：更大的批量或模型会以“CUDA out of memory”结束。梯度累积可以用更小的批量、更少的显存训练同一个模型。</translation>
    </message>
    <message>
        <source>The GPU driver reported Xid %1 on GPU %2 during this run. Xid errors come from the driver or the hardware, not from your code. If the run fails, run it again; if it happens again, tell your instructor (Xid %1 is listed in NVIDIA&apos;s Xid catalogue).</source>
        <translation>本次运行期间，GPU 驱动在 GPU %2 上报告了 Xid %1。Xid 错误来自驱动或硬件，而不是你的代码。如果运行失败，请再运行一次；如果再次发生，请告诉你的老师（Xid %1 可在 NVIDIA 的 Xid 目录中查到）。</translation>
    </message>
    <message>
        <source>GPU %1 reported %2 uncorrected memory (ECC) errors during this run. Results computed on it may be wrong: tell your instructor, the GPU may need a reset.</source>
        <translation>本次运行期间，GPU %1 报告了 %2 个无法纠正的显存（ECC）错误。在它上面算出的结果可能有误：请告诉你的老师，这块 GPU 可能需要重置。</translation>
    </message>
    <message>
        <source>it has reported no step yet</source>
        <translation>它还没有报告任何一步</translation>
    </message>
    <message>
        <source>the last was step %1</source>
        <translation>最后一步是第 %1 步</translation>
    </message>
    <message>
        <source>No new training step for %1 min (%2). The program may be waiting (for input, a lock, another rank) or one step takes very long: stop it, or report lab::metric values inside the loop to see where it is.</source>
        <translation>已经 %1 分钟没有新的训练步（%2）。程序可能在等待（输入、锁或另一个 rank），或者某一步耗时极长：请停止它，或在循环中用 lab::metric 报告数值，看看它停在哪里。</translation>
    </message>
</context>
<context>
    <name>torchlab::RunnerJson</name>
    <message>
        <source>The job file&apos;s flag %1 names a folder outside the job.</source>
        <translation>作业文件中的参数 %1 指向作业之外的文件夹。</translation>
    </message>
    <message>
        <source>The job file is not a version 1 TorchLab job.</source>
        <translation>该作业文件不是第 1 版 TorchLab 作业。</translation>
    </message>
    <message>
        <source>A source of the job file has no path.</source>
        <translation>作业文件中有一个源文件没有路径。</translation>
    </message>
    <message>
        <source>The job file names %1, which is outside its folder.</source>
        <translation>作业文件列出了 %1，它在作业文件夹之外。</translation>
    </message>
    <message>
        <source>The job file names %1, which does not exist.</source>
        <translation>作业文件列出了 %1，但它不存在。</translation>
    </message>
    <message>
        <source>The job file lists no source file.</source>
        <translation>作业文件没有列出任何源文件。</translation>
    </message>
    <message>
        <source>The job file asks for device &quot;%1&quot;; cpu or cuda are known.</source>
        <translation>作业文件要求设备“%1”；只认识 cpu 和 cuda。</translation>
    </message>
    <message>
        <source>The compile result names an unknown outcome &quot;%1&quot;.</source>
        <translation>编译结果给出了未知的结局“%1”。</translation>
    </message>
    <message>
        <source>The run result names an unknown outcome &quot;%1&quot;.</source>
        <translation>运行结果给出了未知的结局“%1”。</translation>
    </message>
</context>
<context>
    <name>torchlab::Sandbox</name>
    <message>
        <source>bubblewrap (bwrap) is not installed; install the package &quot;bubblewrap&quot;</source>
        <translation>未安装 bubblewrap（bwrap）；请安装软件包“bubblewrap”</translation>
    </message>
    <message>
        <source>bwrap did not start a sandbox within 10 s</source>
        <translation>bwrap 在 10 秒内没有启动沙箱</translation>
    </message>
    <message>
        <source>bwrap cannot make a sandbox on this computer (%1); user namespaces are probably disabled, as in many containers</source>
        <translation>bwrap 无法在这台计算机上创建沙箱（%1）；用户命名空间可能被禁用了，许多容器都是这样</translation>
    </message>
</context>
<context>
    <name>torchlab::SettingsDialog</name>
    <message>
        <source>Quick runs (fewer training steps; checks use looser bounds)</source>
        <translation>快速运行（训练步数更少；检查的界限更宽松）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Automatic (best match for this machine)</source>
        <translation>自动（选择最适合本机的）</translation>
    </message>
    <message>
        <source>%1 — unusable</source>
        <translation>%1 — 不可用</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Automatic (GPU when there is one)</source>
        <translation>自动（有 GPU 时使用 GPU）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>Multiplies each lesson&apos;s time limit; raise it on a slow machine.</source>
        <translation>每课的时间限制都乘以此倍数；机器较慢时请调大。</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>The lesson&apos;s own limit</source>
        <translation>本课默认限制</translation>
    </message>
    <message>
        <source>Caps the memory of your program&apos;s runs.</source>
        <translation>限制你的程序运行时可用的内存。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>Toolchain</source>
        <translation>工具链</translation>
    </message>
    <message>
        <source>&amp;LibTorch:</source>
        <translation>LibTorch(&amp;L)：</translation>
    </message>
    <message>
        <source>C++ &amp;compiler:</source>
        <translation>C++ 编译器(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>No LibTorch was found. The Environment dialog says how to install it.</source>
        <translation>未找到 LibTorch。“环境”对话框中有安装方法。</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>&amp;Time limit scale:</source>
        <translation>时间限制倍数(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Memory cap:</source>
        <translation>内存上限(&amp;M)：</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>主题(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Editor &amp;font size:</source>
        <translation>编辑器字号(&amp;F)：</translation>
    </message>
    <message>
        <source>A new language applies after restarting the lab.</source>
        <translation>新语言将在重新启动 TorchLab 后生效。</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Where Run and Check compile and run your code: this computer, or a course GPU server added with torchlab-cli target add.</source>
        <translation>“运行”和“检查”在哪里编译并运行你的代码：本机，或用 torchlab-cli target add 添加的课程 GPU 服务器。</translation>
    </message>
    <message>
        <source>Run &amp;on:</source>
        <translation>运行位置(&amp;O)：</translation>
    </message>
    <message>
        <source>To run on a course GPU server, add it once with torchlab-cli target add NAME ssh://HOST (see docs/course-server.md).</source>
        <translation>要在课程 GPU 服务器上运行，请先用 torchlab-cli target add 名称 ssh://主机 添加一次（见 docs/course-server.md）。</translation>
    </message>
    <message>
        <source>Compile while I type (Run starts sooner)</source>
        <translation>输入时在后台编译（按运行后更快开始）</translation>
    </message>
    <message>
        <source>When you pause typing, your code is compiled in the background at low priority, so Run only has to start it. Paused while your program runs.</source>
        <translation>你停下输入时，代码会以低优先级在后台编译，按运行时只需启动程序。你的程序运行期间暂停。</translation>
    </message>
    <message>
        <source>Use the sandbox when possible</source>
        <translation>尽可能使用沙箱</translation>
    </message>
    <message>
        <source>Require the sandbox (refuse to run without it)</source>
        <translation>要求使用沙箱（没有沙箱时拒绝运行）</translation>
    </message>
    <message>
        <source>Off (programs get all my account&apos;s rights)</source>
        <translation>关闭（程序获得我账户的全部权限）</translation>
    </message>
    <message>
        <source>Lessons&apos; and packs&apos; programs run in a bubblewrap sandbox: your files are read-only to them, keys and sessions are hidden, the network is cut off, and everything they start ends with the run. Help ▸ Environment says whether this computer can make it.</source>
        <translation>课程和课程包的程序在 bubblewrap 沙箱中运行：你的文件对它们只读，密钥和会话被隐藏，网络被切断，它们启动的一切都随运行结束。“帮助 ▸ 环境”会告诉你这台计算机能否创建沙箱。</translation>
    </message>
    <message>
        <source>&amp;Sandbox:</source>
        <translation>沙箱(&amp;S)：</translation>
    </message>
    <message>
        <source>Serve run metrics to Prometheus at</source>
        <translation>向 Prometheus 提供运行指标，地址</translation>
    </message>
    <message>
        <source>While a run goes on, its loss, step rate, GPU memory and the lab&apos;s counters are served in Prometheus&apos; text format at http://ADDRESS/metrics, for a course server&apos;s Prometheus and its alerts (docs/monitoring.md). 127.0.0.1 serves this computer only.</source>
        <translation>运行期间，其损失、步速、GPU 显存和 TorchLab 的计数器以 Prometheus 文本格式在 http://ADDRESS/metrics 提供，供课程服务器的 Prometheus 及其告警使用（docs/monitoring.md）。127.0.0.1 只对本机提供。</translation>
    </message>
</context>
<context>
    <name>torchlab::SshTransport</name>
    <message>
        <source>%1&apos;s identity has changed</source>
        <translation>%1 的身份已改变</translation>
    </message>
    <message>
        <source>The server at %1 answered with a different key than the one remembered from your first connection. That happens when the server was reinstalled, and also when someone is in between. The lab refuses to connect. Ask your instructor whether the server changed; if it did, remove the old key with: ssh-keygen -R %1</source>
        <translation>%1 上的服务器用了与第一次连接时记住的不同的密钥应答。服务器重装后会这样，有人在中间截取连接时也会这样。实验室拒绝连接。请向老师确认服务器是否更换过；如果是，用以下命令删除旧密钥：ssh-keygen -R %1</translation>
    </message>
    <message>
        <source>%1 refused your key</source>
        <translation>%1 拒绝了你的密钥</translation>
    </message>
    <message>
        <source>The server did not accept any of your SSH keys. The lab never asks for passwords: send your public key (~/.ssh/id_ed25519.pub) to your instructor, or name the right key with torchlab-cli target add … --identity FILE.</source>
        <translation>服务器没有接受你的任何 SSH 密钥。实验室从不询问密码：请把你的公钥（~/.ssh/id_ed25519.pub）发给老师，或用 torchlab-cli target add … --identity 文件 指定正确的密钥。</translation>
    </message>
    <message>
        <source>%1 cannot be reached</source>
        <translation>无法连接到 %1</translation>
    </message>
    <message>
        <source>No connection to %1 could be made. Check the network (a VPN for a university server?), the host name and the port, or switch Run on to this computer.</source>
        <translation>无法建立到 %1 的连接。请检查网络（大学服务器需要 VPN 吗？）、主机名和端口，或者把“运行位置”改为本机。</translation>
    </message>
    <message>
        <source>no Slurm on %1</source>
        <translation>%1 上没有 Slurm</translation>
    </message>
    <message>
        <source>The login host %1 has no srun command. Is it the cluster&apos;s login node? Ask your instructor for the right host.</source>
        <translation>登录节点 %1 上没有 srun 命令。它是集群的登录节点吗？请向老师询问正确的主机。</translation>
    </message>
    <message>
        <source>no partition %1 on %2</source>
        <translation>%2 上没有分区 %1</translation>
    </message>
    <message>
        <source>Slurm on %1 knows no partition named %2. sinfo on the login host lists them; change the target with torchlab-cli target add … --slurm PARTITION.</source>
        <translation>%1 上的 Slurm 没有名为 %2 的分区。在登录节点上运行 sinfo 可列出分区；用 torchlab-cli target add … --slurm 分区 修改目标。</translation>
    </message>
    <message>
        <source>no torchlab-cli on %1</source>
        <translation>%1 上没有 torchlab-cli</translation>
    </message>
    <message>
        <source>The server answered, but has no %1. TorchLab must be installed there (docs/course-server.md); if it lives elsewhere, name it with torchlab-cli target add … --remote-cli PATH.</source>
        <translation>服务器有应答，但没有 %1。那里必须安装 TorchLab（docs/course-server.md）；如果它装在别处，请用 torchlab-cli target add … --remote-cli 路径 指定。</translation>
    </message>
    <message>
        <source>connection to %1 lost</source>
        <translation>与 %1 的连接已断开</translation>
    </message>
    <message>
        <source>The connection to %1 was lost. Your code is kept here; run it again when the network is back.</source>
        <translation>与 %1 的连接断开了。你的代码保留在本机；网络恢复后再运行一次。</translation>
    </message>
    <message>
        <source>ssh to %1 failed</source>
        <translation>通过 ssh 连接 %1 失败</translation>
    </message>
    <message>
        <source>ssh ended with status %1.</source>
        <translation>ssh 以状态 %1 结束。</translation>
    </message>
    <message>
        <source>ssh said: %1</source>
        <translation>ssh 的输出：%1</translation>
    </message>
    <message>
        <source>First connection to %1: its %2 key was remembered.</source>
        <translation>第一次连接到 %1：已记住它的 %2 密钥。</translation>
    </message>
    <message>
        <source>First connection to %1: its %2 key %3 was remembered. Compare it with the fingerprint your instructor published; from now on a different key is refused.</source>
        <translation>第一次连接到 %1：已记住它的 %2 密钥 %3。请与老师公布的指纹核对；今后不同的密钥将被拒绝。</translation>
    </message>
    <message>
        <source>no ssh on this computer</source>
        <translation>本机没有 ssh</translation>
    </message>
    <message>
        <source>Runs on a course server need the OpenSSH client (ssh). Install it (Debian and Ubuntu: apt install openssh-client), or switch Run on to this computer.</source>
        <translation>在课程服务器上运行需要 OpenSSH 客户端（ssh）。请安装它（Debian 和 Ubuntu：apt install openssh-client），或者把“运行位置”改为本机。</translation>
    </message>
</context>
<context>
    <name>torchlab::StateFile</name>
    <message>
        <source>it is not a plain file</source>
        <translation>它不是普通文件</translation>
    </message>
    <message>
        <source>it cannot be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>it is larger than %1 MiB</source>
        <translation>它超过了 %1 MiB</translation>
    </message>
    <message>
        <source>%1 is damaged (%2). TorchLab changes nothing while it is damaged, so that no trusted key, version floor or installed pack recorded in it is lost: installing, updating and subscribing are refused. Restore the last good copy with &quot;torchlab-cli pack trust --restore-backup&quot;. Without a good backup, move the file away: TorchLab then starts afresh and forgets what it recorded.</source>
        <translation>%1 已损坏（%2）。在它损坏期间 TorchLab 不做任何更改，以免丢失其中记录的受信任密钥、最低版本或已安装的课程包：安装、更新和订阅都会被拒绝。请用 &quot;torchlab-cli pack trust --restore-backup&quot; 恢复上一份完好的副本。如果没有完好的备份，请把该文件移走：TorchLab 将重新开始，并忘记其中记录的内容。</translation>
    </message>
    <message>
        <source>not JSON: %1</source>
        <translation>不是 JSON：%1</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>there is no backup %1</source>
        <translation>没有备份 %1</translation>
    </message>
    <message>
        <source>the backup %1 is damaged too (its checksum does not match)</source>
        <translation>备份 %1 也已损坏（校验和不匹配）</translation>
    </message>
    <message>
        <source>the backup %1 is damaged too (%2)</source>
        <translation>备份 %1 也已损坏（%2）</translation>
    </message>
    <message>
        <source>Cannot create the folder of %1.</source>
        <translation>无法创建 %1 所在的文件夹。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot restore %1: %2. Move the damaged file away by hand; TorchLab then starts afresh and forgets what it recorded.</source>
        <translation>无法恢复 %1：%2。请手动移走损坏的文件；TorchLab 将重新开始，并忘记其中记录的内容。</translation>
    </message>
    <message>
        <source>Cannot move the damaged %1 aside.</source>
        <translation>无法把损坏的 %1 移到一旁。</translation>
    </message>
</context>
<context>
    <name>torchlab::StreamRunner</name>
    <message>
        <source>The job could not be written to %1.</source>
        <translation>无法把作业写入 %1。</translation>
    </message>
    <message>
        <source>No answer from %1</source>
        <translation>%1 没有回应</translation>
    </message>
    <message>
        <source>The run on %1 ended before it reported a result. Your code is kept here; run it again when the connection is back.</source>
        <translation>在 %1 上的运行在报告结果之前就结束了。你的代码保留在这里；连接恢复后再运行一次即可。</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>The connection to %1 was lost while the program ran, and the run there was ended. Your code is kept here; run it again when the connection is back.</source>
        <translation>程序运行期间与 %1 的连接断开了，那里的运行已被结束。你的代码保留在这里；连接恢复后再运行一次即可。</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>%1 runs a torchlab-cli that speaks protocol %2; this lab speaks %3. Install the same TorchLab version on both (torchlab-cli --version).</source>
        <translation>%1 上的 torchlab-cli 使用协议 %2；本实验室使用协议 %3。请在两边安装同一版本的 TorchLab（torchlab-cli --version）。</translation>
    </message>
    <message>
        <source>Incompatible TorchLab on %1</source>
        <translation>%1 上的 TorchLab 版本不兼容</translation>
    </message>
</context>
<context>
    <name>torchlab::StudioController</name>
    <message>
        <source>Looking for LibTorch…</source>
        <translation>正在查找 LibTorch…</translation>
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
        <source>Show the differences between your code and the solution</source>
        <translation>显示你的代码与参考答案之间的差异</translation>
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
        <source>Waiting for LibTorch to be prepared…</source>
        <translation>正在等待 LibTorch 准备就绪…</translation>
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
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>A course update changed the starter of %1. Your code is kept.</source>
        <translation>课程更新修改了 %1 的初始代码。你的代码仍然保留。</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>对比…</translation>
    </message>
    <message>
        <source>Use the New Starter</source>
        <translation>使用新的初始代码</translation>
    </message>
    <message>
        <source>Keep My Code</source>
        <translation>保留我的代码</translation>
    </message>
    <message>
        <source>Your code and the new starter — %1</source>
        <translation>你的代码与新的初始代码 — %1</translation>
    </message>
    <message>
        <source>New starter</source>
        <translation>新的初始代码</translation>
    </message>
    <message>
        <source>The new starter code is in the editor. Undo (Ctrl+Z) brings your code back.</source>
        <translation>编辑器中已是新的初始代码。撤销（Ctrl+Z）可以找回你的代码。</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>No usable LibTorch on the server</source>
        <translation>服务器上没有可用的 LibTorch</translation>
    </message>
    <message>
        <source>The server %1 has no usable NVIDIA GPU: %2</source>
        <translation>服务器 %1 上没有可用的 NVIDIA GPU：%2</translation>
    </message>
    <message>
        <source>Compiled while you typed: Run starts at once.</source>
        <translation>已在你输入时编译好：按运行即可立刻开始。</translation>
    </message>
    <message>
        <source>Serving run metrics to Prometheus at %1</source>
        <translation>正在 %1 向 Prometheus 提供运行指标</translation>
    </message>
    <message>
        <source>Open “%1”</source>
        <translation>打开“%1”</translation>
    </message>
    <message>
        <source>Save the last finished run as one archive to cite</source>
        <translation>把最近一次完成的运行保存为一个可供引用的归档包</translation>
    </message>
    <message>
        <source>Run or Check first: this exports a finished run</source>
        <translation>请先运行或检查：此操作导出一次已完成的运行</translation>
    </message>
</context>
<context>
    <name>torchlab::SubscribeDialog</name>
    <message>
        <source>Subscribe to a Feed</source>
        <translation>添加订阅源</translation>
    </message>
    <message>
        <source>Your instructor publishes lesson packs in a feed. The lab checks it for updates and installs only packs signed with the instructor&apos;s key.</source>
        <translation>讲师通过订阅源发布课程包。TorchLab 会检查其中的更新，并且只安装用讲师的密钥签名的课程包。</translation>
    </message>
    <message>
        <source>https://… or a torchlab://subscribe link</source>
        <translation>https://… 或 torchlab://subscribe 链接</translation>
    </message>
    <message>
        <source>Load from File…</source>
        <translation>从文件加载…</translation>
    </message>
    <message>
        <source>Feed &amp;address:</source>
        <translation>订阅源地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Instructor&apos;s public &amp;key:</source>
        <translation>讲师的公钥(&amp;K)：</translation>
    </message>
    <message>
        <source>This feed uses plain http. Nobody can slip you a changed pack that way: the lab installs only packs signed with the key above. Others on the network can see which packs you download.</source>
        <translation>这个订阅源使用的是普通 http。别人无法借此塞给你被篡改的课程包：TorchLab 只安装用上面的密钥签名的课程包。但网络上的其他人能看到你下载了哪些课程包。</translation>
    </message>
    <message>
        <source>&amp;Subscribe</source>
        <translation>订阅(&amp;S)</translation>
    </message>
    <message>
        <source>Choose the Instructor&apos;s Public Key</source>
        <translation>选择讲师的公钥</translation>
    </message>
    <message>
        <source>Minisign public keys (*.pub);;All files (*)</source>
        <translation>Minisign 公钥 (*.pub);;所有文件 (*)</translation>
    </message>
    <message>
        <source>From the link: %1</source>
        <translation>来自链接：%1</translation>
    </message>
    <message>
        <source>Paste the feed address or the torchlab:// link your instructor gave you.</source>
        <translation>请粘贴讲师给你的订阅源地址或 torchlab:// 链接。</translation>
    </message>
    <message>
        <source>The feed address must start with https:// or http://.</source>
        <translation>订阅源地址必须以 https:// 或 http:// 开头。</translation>
    </message>
    <message>
        <source>The feed address has no server name.</source>
        <translation>订阅源地址中没有服务器名。</translation>
    </message>
    <message>
        <source>The feed address must not contain a user name or password.</source>
        <translation>订阅源地址中不能包含用户名或密码。</translation>
    </message>
    <message>
        <source>This is not a valid torchlab:// subscribe link.</source>
        <translation>这不是有效的 torchlab:// 订阅链接。</translation>
    </message>
</context>
<context>
    <name>torchlab::SubscribeLink</name>
    <message>
        <source>The link is too long to be a TorchLab subscription link.</source>
        <translation>这个链接太长，不可能是 TorchLab 订阅链接。</translation>
    </message>
    <message>
        <source>This is not a TorchLab link; it must start with torchlab://subscribe?</source>
        <translation>这不是 TorchLab 链接；它必须以 torchlab://subscribe? 开头。</translation>
    </message>
    <message>
        <source>This TorchLab link does not subscribe to a feed; only torchlab://subscribe?… links are understood.</source>
        <translation>这个 TorchLab 链接不是订阅链接；只支持 torchlab://subscribe?… 链接。</translation>
    </message>
    <message>
        <source>The link gives &quot;%1&quot; more than once; it is ambiguous.</source>
        <translation>链接中多次给出了 &quot;%1&quot;，含义不明确。</translation>
    </message>
    <message>
        <source>The link does not say which feed to subscribe to (no feed=).</source>
        <translation>链接没有指明要订阅哪个订阅源（缺少 feed=）。</translation>
    </message>
    <message>
        <source>The link does not carry the instructor&apos;s public key (no key=).</source>
        <translation>链接中没有讲师的公钥（缺少 key=）。</translation>
    </message>
    <message>
        <source>The feed in the link is not an http or https address: %1</source>
        <translation>链接中的订阅源不是 http 或 https 地址：%1</translation>
    </message>
    <message>
        <source>The feed address in the link contains a user name or password; TorchLab does not accept such links.</source>
        <translation>链接中的订阅源地址包含用户名或密码；TorchLab 不接受这样的链接。</translation>
    </message>
    <message>
        <source>The key in the link is not valid: %1</source>
        <translation>链接中的密钥无效：%1</translation>
    </message>
    <message>
        <source>The name in the link is longer than %1 characters.</source>
        <translation>链接中的名称超过 %1 个字符。</translation>
    </message>
    <message>
        <source>The name in the link contains control characters.</source>
        <translation>链接中的名称包含控制字符。</translation>
    </message>
</context>
<context>
    <name>torchlab::Target</name>
    <message>
        <source>this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>%1 (Slurm, partition %2)</source>
        <translation>%1（Slurm，分区 %2）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot name a target: use up to 64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>“%1”不能作为目标名：最多使用 64 个字母、数字、“.”、“_”或“-”。</translation>
    </message>
    <message>
        <source>&quot;local&quot; is this computer; pick another name.</source>
        <translation>“local”指本机；请另选一个名称。</translation>
    </message>
    <message>
        <source>A target&apos;s address looks like ssh://[USER@]HOST[:PORT], not &quot;%1&quot;.</source>
        <translation>目标地址的格式是 ssh://[用户@]主机[:端口]，而不是“%1”。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name.</source>
        <translation>“%1”不是主机名。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a user name.</source>
        <translation>“%1”不是用户名。</translation>
    </message>
    <message>
        <source>The port must lie between 1 and 65535.</source>
        <translation>端口必须在 1 到 65535 之间。</translation>
    </message>
    <message>
        <source>The target &quot;%1&quot; is of an unknown kind &quot;%2&quot;.</source>
        <translation>目标“%1”的类型“%2”未知。</translation>
    </message>
    <message>
        <source>The Slurm target &quot;%1&quot; names no partition.</source>
        <translation>Slurm 目标“%1”没有指定分区。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a targets file (%2). Remove it or fix it by hand.</source>
        <translation>%1 不是目标列表文件（%2）。请删除它或手动修复。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>There is no target named &quot;%1&quot; (torchlab-cli target list shows them).</source>
        <translation>没有名为“%1”的目标（torchlab-cli target list 可列出所有目标）。</translation>
    </message>
    <message>
        <source>A target named &quot;%1&quot; exists already (remove it first, or pick another name).</source>
        <translation>名为“%1”的目标已存在（请先删除它，或另选名称）。</translation>
    </message>
    <message>
        <source>There is no target named &quot;%1&quot;.</source>
        <translation>没有名为“%1”的目标。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>torchlab::TargetController</name>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>The server &quot;%1&quot; is no longer set up (%2). Runs happen on this computer.</source>
        <translation>服务器“%1”已不再配置（%2）。运行将在本机进行。</translation>
    </message>
    <message>
        <source>The course server %1 cannot be used now: %2</source>
        <translation>课程服务器 %1 现在无法使用：%2</translation>
    </message>
    <message>
        <source>Try Again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Run on This Computer</source>
        <translation>在本机运行</translation>
    </message>
    <message>
        <source>%1 (Slurm, partition %2)</source>
        <translation>%1（Slurm，分区 %2）</translation>
    </message>
    <message>
        <source>This course runs its GPU lessons on %1. Run your code there? Your SSH key is used; the lab never asks for a password.</source>
        <translation>本课程的 GPU 课在 %1 上运行。要在那里运行你的代码吗？将使用你的 SSH 密钥；实验室从不询问密码。</translation>
    </message>
    <message>
        <source>Run There</source>
        <translation>在那里运行</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Runs on this computer</source>
        <translation>在本机运行</translation>
    </message>
    <message>
        <source>Settings → Run on picks a course GPU server instead.</source>
        <translation>可在“设置 → 运行位置”中改用课程 GPU 服务器。</translation>
    </message>
    <message>
        <source>Runs on %1</source>
        <translation>在 %1 上运行</translation>
    </message>
</context>
<context>
    <name>torchlab::TrustNote</name>
    <message>
        <source>What its code can do on this computer: it runs in a sandbox. It can read your files but change only its own job folder; it cannot see your SSH keys, key rings, browser profiles or session, it has no network unless a lesson declares it, and everything it starts ends with the run. Updates install in the background and run at your next Run or Check.</source>
        <translation>它的代码在这台计算机上能做什么：它在沙箱中运行。它可以读取你的文件，但只能修改自己的任务文件夹；它看不到你的 SSH 密钥、密钥环、浏览器配置文件或会话，除非课程声明需要，否则没有网络，它启动的一切都随运行结束。更新会在后台安装，并在你下次“运行”或“检查”时执行。</translation>
    </message>
    <message>
        <source>What its code can do on this computer: nothing yet. This computer cannot make the sandbox (%1), and your settings require it, so the lab will refuse to run the pack&apos;s code.</source>
        <translation>它的代码在这台计算机上能做什么：目前什么也做不了。这台计算机无法创建沙箱（%1），而你的设置要求使用沙箱，所以 TorchLab 会拒绝运行课程包的代码。</translation>
    </message>
    <message>
        <source>the sandbox is turned off in Settings</source>
        <translation>沙箱已在“设置”中关闭</translation>
    </message>
    <message>
        <source>What its code can do on this computer: everything your account can. There is no sandbox here (%1), so the pack&apos;s code could read and change your files and use the network. Install packs only from instructors you trust.</source>
        <translation>它的代码在这台计算机上能做什么：你的账户能做的一切。这里没有沙箱（%1），所以课程包的代码可以读取和修改你的文件，也可以使用网络。只安装你信任的讲师发布的课程包。</translation>
    </message>
</context>
<context>
    <name>torchlab::TrustStore</name>
    <message>
        <source>Cannot lock %1: another TorchLab is still writing it.</source>
        <translation>无法锁定 %1：另一个 TorchLab 仍在写入它。</translation>
    </message>
    <message>
        <source>&quot;packs&quot; is not an object</source>
        <translation>&quot;packs&quot; 不是对象</translation>
    </message>
    <message>
        <source>the record of pack &quot;%1&quot; is not valid</source>
        <translation>课程包 &quot;%1&quot; 的记录无效</translation>
    </message>
    <message>
        <source>&quot;feeds&quot; is not a list</source>
        <translation>&quot;feeds&quot; 不是列表</translation>
    </message>
    <message>
        <source>feed %1 is not valid</source>
        <translation>第 %1 个订阅源无效</translation>
    </message>
</context>
<context>
    <name>torchlab::WarmRunner</name>
    <message>
        <source>the helper torchlab-warm is not installed</source>
        <translation>未安装辅助程序 torchlab-warm</translation>
    </message>
    <message>
        <source>no warm runner in this session</source>
        <translation>本会话没有预热运行器</translation>
    </message>
    <message>
        <source>the warm runner has another toolchain</source>
        <translation>预热运行器使用的是另一套工具链</translation>
    </message>
    <message>
        <source>runs with several ranks start their processes themselves</source>
        <translation>多进程（多个 rank）的运行自行启动各个进程</translation>
    </message>
    <message>
        <source>the warm runner is not started</source>
        <translation>预热运行器尚未启动</translation>
    </message>
    <message>
        <source>the warm runner is still starting</source>
        <translation>预热运行器仍在启动</translation>
    </message>
    <message>
        <source>the warm runner failed: %1</source>
        <translation>预热运行器失败：%1</translation>
    </message>
    <message>
        <source>the run sets %1, which LibTorch reads as it loads</source>
        <translation>本次运行设置了 %1，而 LibTorch 在加载时就会读取它</translation>
    </message>
    <message>
        <source>no usable toolchain</source>
        <translation>没有可用的工具链</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>linking LibTorch&apos;s primer failed: %1</source>
        <translation>链接 LibTorch 预加载库失败：%1</translation>
    </message>
    <message>
        <source>no private folder for its socket</source>
        <translation>没有可供其套接字使用的私有文件夹</translation>
    </message>
    <message>
        <source>the server ended at start-up</source>
        <translation>服务进程在启动时就结束了</translation>
    </message>
</context>
<context>
    <name>torchlab::WarmupBar</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop preparing LibTorch now; it starts again with the next run.</source>
        <translation>立即停止准备 LibTorch；下次运行时会重新开始。</translation>
    </message>
</context>
<context>
    <name>torchlab::cli::GradeServe</name>
    <message>
        <source>(the lesson&apos;s hidden check code)</source>
        <translation>（本课隐藏的检查代码）</translation>
    </message>
    <message>
        <source>The course server does not grade pack %1</source>
        <translation>课程服务器不为课程包 %1 评分</translation>
    </message>
    <message>
        <source>The grader account has no pack &quot;%1&quot; installed. Ask your instructor to install the pack&apos;s instructor archive there.</source>
        <translation>评分账户没有安装课程包“%1”。请让老师在那里安装该课程包的教师归档包。</translation>
    </message>
    <message>
        <source>The course server grades %1 %2, not %3</source>
        <translation>课程服务器评分的是 %1 %2，而不是 %3</translation>
    </message>
    <message>
        <source>Your lab has version %1 of the pack and the course server grades version %2. Update the pack (or ask your instructor to), so that both have the same version.</source>
        <translation>你的 TorchLab 中课程包是 %1 版，课程服务器评分的是 %2 版。请更新课程包（或请老师更新），使两边版本一致。</translation>
    </message>
    <message>
        <source>The course server does not grade lesson %1</source>
        <translation>课程服务器不为课程 %1 评分</translation>
    </message>
    <message>
        <source>Pack %1 %2 in the grader account has no server-graded lesson &quot;%3&quot; with its checks. Ask your instructor to install the pack&apos;s instructor archive there.</source>
        <translation>评分账户中的课程包 %1 %2 没有带检查的服务器评分课程“%3”。请让老师在那里安装该课程包的教师归档包。</translation>
    </message>
    <message>
        <source>The course server cannot compile</source>
        <translation>课程服务器无法编译</translation>
    </message>
    <message>
        <source>The check did not start</source>
        <translation>检查没有开始</translation>
    </message>
    <message>
        <source>The course server could not keep this result: %1</source>
        <translation>课程服务器无法保存这次结果：%1</translation>
    </message>
    <message>
        <source>This account only grades Checks</source>
        <translation>此账户只用于检查评分</translation>
    </message>
    <message>
        <source>The course&apos;s grading target checks server-graded lessons only. Run your programs, and check other lessons, on your own target.</source>
        <translation>课程的评分目标只检查在服务器上评分的课程。请在你自己的目标上运行程序、检查其他课程。</translation>
    </message>
    <message>
        <source>This account does not grade lessons</source>
        <translation>此账户不为课程评分</translation>
    </message>
    <message>
        <source>This lesson is graded on the course server through the grader account. Choose your course&apos;s grading target (docs/instructors.md) and check again.</source>
        <translation>这节课通过评分账户在课程服务器上评分。请选择课程的评分目标（见 docs/instructors.md）后再检查。</translation>
    </message>
</context>
<context>
    <name>torchlab::cli::JobRelay</name>
    <message>
        <source>No Slurm on %1</source>
        <translation>%1 上没有 Slurm</translation>
    </message>
    <message>
        <source>The login host has no srun command. Is it the cluster&apos;s login node? Ask your instructor for the right host.</source>
        <translation>登录节点上没有 srun 命令。它是集群的登录节点吗？请向老师询问正确的主机。</translation>
    </message>
    <message>
        <source>Running on %1 (Slurm job %2).</source>
        <translation>正在 %1 上运行（Slurm 作业 %2）。</translation>
    </message>
    <message>
        <source>Slurm&apos;s time limit ran out</source>
        <translation>Slurm 的时间限制已到</translation>
    </message>
    <message numerus="yes">
        <source>Slurm ended the job when its time limit of %n minute(s) ran out. Make the program faster (fewer epochs, a smaller model), or ask for a longer limit: torchlab-cli target add … --time MINUTES.</source>
        <translation>
            <numerusform>Slurm 在作业的 %n 分钟时限用完时结束了它。请让程序更快（更少的轮数、更小的模型），或申请更长的时限：torchlab-cli target add … --time 分钟数。</numerusform>
        </translation>
    </message>
    <message>
        <source>Slurm ended the job when the partition&apos;s time limit ran out. Make the program faster (fewer epochs, a smaller model), or ask your instructor for a longer limit.</source>
        <translation>分区的时间限制到了，Slurm 结束了作业。请让程序更快（更少的轮数、更小的模型），或请老师给更长的时限。</translation>
    </message>
    <message>
        <source>preempted by Slurm</source>
        <translation>被 Slurm 抢占</translation>
    </message>
    <message>
        <source>Slurm gave the GPU to a job of higher priority and ended this one. Run it again to queue it anew.</source>
        <translation>Slurm 把 GPU 给了优先级更高的作业，并结束了这个作业。再运行一次即可重新排队。</translation>
    </message>
    <message>
        <source>the node failed</source>
        <translation>节点故障</translation>
    </message>
    <message>
        <source>The cluster node that ran the job failed. Run it again: Slurm will pick another node.</source>
        <translation>运行该作业的集群节点出了故障。请再运行一次：Slurm 会选择另一个节点。</translation>
    </message>
    <message>
        <source>cancelled on the cluster</source>
        <translation>在集群上被取消</translation>
    </message>
    <message>
        <source>The job was cancelled on the cluster, not by you (an administrator, or scancel in another window). Run it again when the cluster is available.</source>
        <translation>作业在集群上被取消了，并不是你取消的（管理员，或另一个窗口中的 scancel）。集群可用时再运行一次。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>The run on %1 ended without a result</source>
        <translation>%1 上的运行结束了，但没有结果</translation>
    </message>
    <message>
        <source>torchlab-cli ended with status %1 before it reported.</source>
        <translation>torchlab-cli 在报告结果之前以状态 %1 结束。</translation>
    </message>
    <message>
        <source>srun could not be started: %1</source>
        <translation>无法启动 srun：%1</translation>
    </message>
    <message>
        <source>No partition %1 on %2</source>
        <translation>%2 上没有分区 %1</translation>
    </message>
    <message>
        <source>Slurm said: %1. sinfo on the login host lists the partitions; change the target with torchlab-cli target add … --slurm PARTITION.</source>
        <translation>Slurm 的输出：%1。在登录节点上运行 sinfo 可列出分区；用 torchlab-cli target add … --slurm 分区 修改目标。</translation>
    </message>
    <message>
        <source>Slurm refused the job</source>
        <translation>Slurm 拒绝了作业</translation>
    </message>
    <message>
        <source>Slurm said: %1</source>
        <translation>Slurm 的输出：%1</translation>
    </message>
    <message>
        <source>srun ended without a result</source>
        <translation>srun 结束了，但没有结果</translation>
    </message>
    <message>
        <source>srun ended with status %1. It said:
%2</source>
        <translation>srun 以状态 %1 结束。它的输出：
%2</translation>
    </message>
</context>
<context>
    <name>torchlab::cli::StdinChannel</name>
    <message>
        <source>The job sent to the server is larger than %1 MiB.</source>
        <translation>发送到服务器的作业大于 %1 MiB。</translation>
    </message>
    <message>
        <source>The lab closed the connection before it sent the job.</source>
        <translation>实验室在发送作业之前就关闭了连接。</translation>
    </message>
</context>
</TS>
