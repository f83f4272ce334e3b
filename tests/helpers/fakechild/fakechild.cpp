// One misbehaving program for the process-runner tests. FAKECHILD_MODE selects
// what it does; a parameter comes from argv[1] or, failing that, FAKECHILD_ARG.
// Plain C++ and POSIX only, so that it starts fast and links nothing.
//
// Every mode that could hurt a shared machine when the runner under test is
// broken has its own safety net (alarm(), caps), so a failing test does not
// leave a fork bomb or a 50 GB process behind.

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

// Stand-ins for LibTorch's exception types. Throwing them uncaught makes
// libstdc++'s verbose terminate handler print exactly what a LibTorch program
// prints: "terminate called after throwing an instance of 'c10::Error'" and
// "  what():  <message>", followed by SIGABRT.
namespace c10 {
class Error : public std::exception
{
public:
    explicit Error(std::string msg) : m_msg(std::move(msg)) {}
    const char *what() const noexcept override { return m_msg.c_str(); }

private:
    std::string m_msg;
};
class OutOfMemoryError : public Error
{
public:
    using Error::Error;
};
} // namespace c10

namespace {

std::string param(int argc, char **argv, const char *fallback)
{
    if (argc > 1)
        return argv[1];
    if (const char *v = std::getenv("FAKECHILD_ARG"))
        return v;
    return fallback;
}

long long envNumber(const char *name, long long fallback)
{
    const char *v = std::getenv(name);
    return v ? std::atoll(v) : fallback;
}

bool writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

void say(int fd, const std::string &text)
{
    writeAll(fd, text.data(), text.size());
}

[[noreturn]] void busyForever()
{
    volatile std::uint64_t x = 0;
    for (;;)
        x = x + 1;
}

int modeSleep(const std::string &arg)
{
    say(1, "sleeping\n");
    const unsigned seconds = unsigned(std::atoi(arg.c_str()));
    ::sleep(seconds);
    return 0;
}

int modeReadStdin()
{
    char target[256] = {};
    const ssize_t n = ::readlink("/proc/self/fd/0", target, sizeof target - 1);
    say(1, std::string("stdin=") + (n > 0 ? target : "closed") + "\n");
    char buf[4096];
    long long total = 0;
    for (;;) {
        const ssize_t r = ::read(0, buf, sizeof buf);
        if (r > 0) {
            total += r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        say(1, r == 0 ? "stdin: eof after " + std::to_string(total) + " bytes\n"
                      : std::string("stdin: error ") + std::strerror(errno) + "\n");
        return 0;
    }
}

// Every process forks as fast as it can. A shared counter caps the total and
// alarm() ends each process after a few seconds, so that a runner that fails
// to contain it still cannot take the machine down.
int modeForkBomb(const std::string &arg)
{
    const long cap = std::max(8L, std::atol(arg.c_str()));
    auto *shared = static_cast<std::atomic<long> *>(
        ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    if (shared == MAP_FAILED)
        return 2;
    std::atomic<long> &forks = shared[0];
    std::atomic<long> &reported = shared[1];
    ::alarm(10);
    say(1, "forkbomb started\n");
    for (;;) {
        if (forks.load() >= cap) {
            ::usleep(1000);
            continue;
        }
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::alarm(10);
            continue;
        }
        if (pid > 0) {
            forks.fetch_add(1);
            continue;
        }
        if (reported.fetch_add(1) == 0) {
            say(1, std::string("fork failed: ") +
                       (errno == EAGAIN ? "EAGAIN" : std::strerror(errno)) + " after " +
                       std::to_string(forks.load()) + " forks\n");
        }
    }
}

// The direct child spawns a grandchild that leaves the process group and the
// session (setsid) and reparents to init when its parent exits. It reports
// its pid on stdout and then sleeps; the runner must find it by the marker
// that it inherited in its environment.
int modeEscape(const std::string &arg)
{
    int sync[2];
    if (::pipe(sync) != 0)
        return 2;
    const pid_t middle = ::fork();
    if (middle < 0)
        return 2;
    if (middle == 0) {
        ::setsid();
        const pid_t escapee = ::fork();
        if (escapee == 0) {
            ::alarm(30);
            const pid_t self = ::getpid();
            writeAll(sync[1], reinterpret_cast<const char *>(&self), sizeof self);
            ::close(sync[1]);
            for (;;)
                ::pause();
        }
        ::_exit(0);
    }
    ::close(sync[1]);
    ::waitpid(middle, nullptr, 0);
    pid_t escapee = 0;
    if (::read(sync[0], &escapee, sizeof escapee) != ssize_t(sizeof escapee))
        return 3;
    say(1, "escapee " + std::to_string(escapee) + "\n");
    if (arg == "stay") {
        for (;;)
            ::pause();
    }
    return 0;
}

// Leaves a background process in the same process group and exits 0: what a
// program that starts worker processes and forgets them does.
int modeOrphan()
{
    int sync[2];
    if (::pipe(sync) != 0)
        return 2;
    const pid_t worker = ::fork();
    if (worker < 0)
        return 2;
    if (worker == 0) {
        ::alarm(30);
        ::close(sync[1]);
        for (;;)
            ::pause();
    }
    ::close(sync[1]);
    say(1, "worker " + std::to_string(worker) + "\n");
    return 0;
}

int modeAllocHuge()
{
    volatile std::size_t bytes = 50ULL << 30;
    char *p = new char[bytes];
    p[0] = 1;
    std::printf("allocated %p\n", static_cast<void *>(p));
    return 0;
}

// Touches 10 MB every 100 ms (100 MB/s) up to a cap in MB (default 4096). The
// memory is shared anonymous memory, which RLIMIT_DATA does not count but RSS
// does (like a data-loader worker pool or pinned buffers): only the host's RSS
// watchdog can stop it.
int modeRssGrow(const std::string &arg)
{
    const long capMb = arg.empty() ? 4096 : std::atol(arg.c_str());
    ::alarm(60);
    const size_t step = 10u << 20;
    for (long mb = 0; mb < capMb; mb += 10) {
        void *block =
            ::mmap(nullptr, step, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (block == MAP_FAILED) {
            say(2, std::string("mmap failed: ") + std::strerror(errno) + "\n");
            return 3;
        }
        for (size_t i = 0; i < step; i += 4096)
            static_cast<char *>(block)[i] = 1;
        ::usleep(100'000);
    }
    for (;;)
        ::pause();
}

int modeMmapProbe()
{
    if (FILE *f = std::fopen("/proc/self/limits", "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "Max address space", 17) == 0 ||
                std::strncmp(line, "Max core file size", 18) == 0 ||
                std::strncmp(line, "Max data size", 13) == 0)
                say(1, line);
        }
        std::fclose(f);
    }
    void *p =
        ::mmap(nullptr, 64ULL << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        say(1, std::string("mmap64: fail ") + std::strerror(errno) + "\n");
        return 1;
    }
    say(1, "mmap64: ok\n");
    return 0;
}

int recurse(int depth)
{
    volatile char frame[4096];
    frame[0] = char(depth);
    return recurse(depth + 1) + frame[0];
}

// Writes FAKECHILD_BYTES (default 1 GiB) of 64-byte lines to stdout in large
// writes: a `yes` that knows exactly how much it wrote.
int modeFlood()
{
    long long remaining = envNumber("FAKECHILD_BYTES", 1LL << 30);
    std::string block(1 << 20, '\0');
    for (size_t i = 0; i < block.size(); ++i)
        block[i] = (i % 64 == 63) ? '\n' : char('a' + (i / 64) % 26);
    while (remaining > 0) {
        const size_t n =
            size_t(std::min<long long>(remaining, static_cast<long long>(block.size())));
        if (!writeAll(1, block.data(), n))
            return 1;
        remaining -= n;
    }
    return 0;
}

int metricsFd()
{
    const char *v = std::getenv("TORCHLAB_METRICS_FD");
    return v ? std::atoi(v) : -1;
}

int modeMetrics()
{
    say(1, "{\"event\":\"metric\",\"name\":\"loss\",\"step\":1,\"value\":99}\n");
    const int fd = metricsFd();
    if (fd < 0) {
        say(2, "no metrics fd\n");
        return 1;
    }
    say(fd, "{\"event\":\"metric\",\"name\":\"loss\",\"step\":1,\"value\":0.5}\n");
    return 0;
}

int modeMetricsLongLine()
{
    const int fd = metricsFd();
    if (fd < 0)
        return 1;
    long long remaining = envNumber("FAKECHILD_BYTES", 1LL << 30);
    const std::string block(1 << 20, 'x');
    while (remaining > 0) {
        const size_t n =
            size_t(std::min<long long>(remaining, static_cast<long long>(block.size())));
        if (!writeAll(fd, block.data(), n))
            return 1;
        remaining -= n;
    }
    say(fd, "\n{\"event\":\"metric\",\"name\":\"after\",\"step\":1,\"value\":1}\n");
    return 0;
}

int modeDiskBomb(const std::string &arg)
{
    const std::string path = arg.empty() ? "fakechild-diskbomb.bin" : arg;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 2;
    const std::string block(1 << 20, 'd');
    long long written = 0;
    for (;;) {
        const ssize_t n = ::write(fd, block.data(), block.size());
        if (n < 0) {
            say(2, "write failed after " + std::to_string(written) +
                       " bytes: " + std::strerror(errno) + "\n");
            return 1;
        }
        written += n;
    }
}

int modeFdExhaust()
{
    long opened = 0;
    for (;;) {
        const int fd = ::open("/dev/null", O_RDONLY);
        if (fd < 0) {
            say(2, "open failed after " + std::to_string(opened) + " files: " +
                       std::strerror(errno) + (errno == EMFILE ? " (EMFILE)" : "") + "\n");
            return 1;
        }
        ++opened;
    }
}

int modeEcho(int argc, char **argv)
{
    std::string out;
    for (int i = 1; i < argc; ++i)
        out += "arg " + std::string(argv[i]) + "\n";
    for (const char *name : {"TORCHLAB_RUN_ID", "TORCHLAB_METRICS_FD", "FAKECHILD_ECHO"}) {
        const char *v = std::getenv(name);
        out += std::string("env ") + name + "=" + (v ? v : "<unset>") + "\n";
    }
    out += "pid " + std::to_string(::getpid()) + " pgid " + std::to_string(::getpgrp()) + "\n";
    out += "nice " + std::to_string(::getpriority(PRIO_PROCESS, 0)) + "\n";
    out += "stdout pipe " + std::to_string(::fcntl(1, F_GETPIPE_SZ)) + "\n";
    say(1, out);
    say(2, "echo on stderr\n");
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const char *modeVar = std::getenv("FAKECHILD_MODE");
    const std::string mode = modeVar ? modeVar : "echo";

    if (mode == "busy")
        busyForever();
    if (mode == "ignore-xcpu") {
        std::signal(SIGXCPU, SIG_IGN);
        busyForever();
    }
    if (mode == "sleep")
        return modeSleep(param(argc, argv, "60"));
    if (mode == "read-stdin")
        return modeReadStdin();
    if (mode == "forkbomb")
        return modeForkBomb(param(argc, argv, "400"));
    if (mode == "escape")
        return modeEscape(param(argc, argv, ""));
    if (mode == "orphan")
        return modeOrphan();
    if (mode == "alloc-huge")
        return modeAllocHuge();
    if (mode == "rss-grow")
        return modeRssGrow(param(argc, argv, ""));
    if (mode == "mmap-probe")
        return modeMmapProbe();
    if (mode == "segv") {
        say(2, "about to dereference a null pointer\n");
        int *volatile target = nullptr;
        *target = 1;
        return 0;
    }
    if (mode == "abort") {
        say(2, "about to abort\n");
        std::abort();
    }
    if (mode == "stack-overflow")
        return recurse(0);
    if (mode == "flood")
        return modeFlood();
    if (mode == "metrics")
        return modeMetrics();
    if (mode == "metrics-longline")
        return modeMetricsLongLine();
    if (mode == "disk-bomb")
        return modeDiskBomb(param(argc, argv, ""));
    if (mode == "fd-exhaust")
        return modeFdExhaust();
    if (mode == "cuda-oom") {
        // The LibTorch 1.13 text (c10/cuda/CUDACachingAllocator.cpp).
        throw c10::OutOfMemoryError(
            "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.10 GiB total capacity; "
            "76.52 GiB already allocated; 1.06 GiB free; 77.01 GiB reserved in total by PyTorch) "
            "If reserved memory is >> allocated memory try setting max_split_size_mb to avoid "
            "fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF\n"
            "Exception raised from malloc at ../c10/cuda/CUDACachingAllocator.cpp:913 (most "
            "recent call first):\n");
    }
    if (mode == "cuda-error-oom") {
        throw c10::Error(
            "CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported at "
            "some other API call, so the stacktrace below might be incorrect.\nFor debugging "
            "consider passing CUDA_LAUNCH_BLOCKING=1.\n");
    }
    if (mode == "c10-error") {
        // Captured from LibTorch 1.13 (tests/fixtures/run/c10-shape-mismatch.stderr).
        throw c10::Error("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)\n"
                         "Exception raised from meta at ./aten/src/ATen/native/"
                         "LinearAlgebra.cpp:73 (most recent call first):\n");
    }
    if (mode == "exit-code")
        return std::atoi(param(argc, argv, "3").c_str());
    if (mode == "echo")
        return modeEcho(argc, argv);

    say(2, "fakechild: unknown FAKECHILD_MODE '" + mode + "'\n");
    return 64;
}
