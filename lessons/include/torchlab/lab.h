// torchlab/lab.h -- the exercise SDK. Header-only; needs LibTorch and POSIX, no Qt.
// Builds against LibTorch 1.13 and 2.x, as C++17 or later.
//
// What exercises call to talk to the lab:
//   lab::device()               cuda:0 when CUDA is usable (and TORCHLAB_DEVICE != "cpu"), else cpu
//   lab::loss(step, v)          a loss sample; lab::metric(name, step, v) for anything else
//   lab::memory(step)           CUDA caching-allocator bytes (CUDA builds only; else a no-op)
//   lab::check(name, ok, msg)   the outcome of one check
//   lab::note(text)             a line of commentary the lab shows beside the output
//   lab::data_dir(), lab::quick()
//   lab::run(body)              runs body, turns an escaping exception into an error event;
//                               seeds LibTorch first when the lab passes TORCHLAB_SEED
//
// Events go to the lab as one JSON object per line (protocol v1, see
// docs/metrics-protocol.md) on the pipe whose fd is in TORCHLAB_METRICS_FD, so
// nothing the program prints can corrupt them. Run by hand (no variable), the
// same lines are printed on stdout prefixed with "@torchlab ".
//
// Every function here is thread-safe and never throws.
#pragma once

#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/types.h>
#include <torch/utils.h>
#include <torch/version.h>

#ifdef TORCHLAB_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <iostream>
#include <mutex>
#include <new>
#include <string>
#include <type_traits>
#include <unistd.h>
#include <utility>

#define TORCHLAB_TORCH_AT_LEAST(major, minor)                                                      \
    (TORCH_VERSION_MAJOR > (major) ||                                                              \
     (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace lab {

// Protocol version of the lines this header writes.
inline constexpr int protocol_version = 1;
// What lab::run returns when the body threw: distinct from 1 (a plain failure)
// and from 134 (abort after an uncaught exception).
inline constexpr int exit_code_exception = 3;

namespace detail {

inline bool env_is(const char *name, const char *value)
{
    const char *v = std::getenv(name);
    return v && std::strcmp(v, value) == 0;
}

inline void append_escaped(std::string &out, const std::string &text)
{
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch; // bytes >= 0x80 pass through; invalid UTF-8 is the reader's problem
            }
        }
    }
    out += '"';
}

inline void append_int(std::string &out, int64_t value)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

// Shortest text that reads back as the same double; non-finite values as the
// strings "nan", "inf", "-inf" because JSON has no tokens for them.
inline void append_double(std::string &out, double value)
{
    if (std::isnan(value)) {
        out += "\"nan\"";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "\"inf\"" : "\"-inf\"";
        return;
    }
    char buf[32];
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
#else
    const int n = std::snprintf(buf, sizeof buf, "%.17g", value);
    out.append(buf, static_cast<size_t>(n));
#endif
}

// Builds one event line: {"ev":"<type>", ...}\n
class Line
{
public:
    explicit Line(const char *ev)
    {
        text_.reserve(96);
        text_ += "{\"ev\":\"";
        text_ += ev;
        text_ += '"';
    }
    Line &str(const char *key, const std::string &value)
    {
        this->key(key);
        append_escaped(text_, value);
        return *this;
    }
    Line &integer(const char *key, int64_t value)
    {
        this->key(key);
        append_int(text_, value);
        return *this;
    }
    Line &real(const char *key, double value)
    {
        this->key(key);
        append_double(text_, value);
        return *this;
    }
    Line &boolean(const char *key, bool value)
    {
        this->key(key);
        text_ += value ? "true" : "false";
        return *this;
    }
    std::string finish()
    {
        text_ += "}\n";
        return std::move(text_);
    }

private:
    void key(const char *k)
    {
        text_ += ",\"";
        text_ += k;
        text_ += "\":";
    }
    std::string text_;
};

// Where lines go. Opened on first use; the hello line is written before the
// first other line, under the same lock, so it is always first.
class Channel
{
public:
    Channel()
    {
        const char *fd = std::getenv("TORCHLAB_METRICS_FD");
        if (fd && *fd) {
            char *end = nullptr;
            const long n = std::strtol(fd, &end, 10);
            // An fd that is not open (a stale variable) falls back to stdout.
            if (end && *end == '\0' && n > 2 && n < 65536 && ::fcntl(int(n), F_GETFD) != -1) {
                fd_ = int(n);
                // Programs the exercise starts must not hold the pipe open, or
                // the lab would not see end-of-file when the exercise exits.
                ::fcntl(fd_, F_SETFD, FD_CLOEXEC);
            }
        }
    }

    void send(const std::string &line)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!hello_sent_) {
            hello_sent_ = true;
            write_line(hello_line());
        }
        write_line(line);
    }

    void announce()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!hello_sent_) {
            hello_sent_ = true;
            write_line(hello_line());
        }
    }

private:
    static std::string hello_line();

    void write_line(const std::string &line)
    {
        if (fd_ < 0) {
            std::fputs("@torchlab ", stdout);
            std::fwrite(line.data(), 1, line.size(), stdout);
            std::fflush(stdout);
            return;
        }
        // One write() per line so that lines from threads and processes never
        // interleave; loop only for a partial write or a signal.
        const char *p = line.data();
        size_t left = line.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, p, left);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return; // the lab went away: keep running, drop the event
            }
            p += n;
            left -= size_t(n);
        }
    }

    std::mutex mutex_;
    int fd_ = -1;
    bool hello_sent_ = false;
};

inline Channel &channel()
{
    static Channel c;
    return c;
}

inline void send(const std::string &line) noexcept
{
    try {
        channel().send(line);
    } catch (...) {
        // Reporting must never take the exercise down (bad_alloc, lock errors).
    }
}

inline std::string first_line(const std::string &text)
{
    const auto nl = text.find('\n');
    return nl == std::string::npos ? text : text.substr(0, nl);
}

} // namespace detail

// The device exercises should use: cuda:0 when LibTorch sees a GPU, else cpu.
// TORCHLAB_DEVICE=cpu forces the CPU; TORCHLAB_DEVICE=cuda forces cuda:0 even
// without a GPU, so that LibTorch's own error says what is missing.
inline torch::Device device()
{
    if (detail::env_is("TORCHLAB_DEVICE", "cpu"))
        return torch::Device(torch::kCPU);
    if (detail::env_is("TORCHLAB_DEVICE", "cuda"))
        return torch::Device(torch::kCUDA, 0);
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0)
                                       : torch::Device(torch::kCPU);
}

inline std::string detail::Channel::hello_line()
{
    bool cuda = false;
    std::string dev = "cpu";
    try {
        cuda = torch::cuda::is_available();
        dev = lab::device().str();
    } catch (...) {
    }
    return Line("hello")
        .integer("proto", protocol_version)
        .str("torch", TORCH_VERSION)
        .str("device", dev)
        .boolean("cuda", cuda)
        .integer("pid", int64_t(::getpid()))
        .finish();
}

// One sample of a named metric. NaN and infinities are sent as such.
inline void metric(const std::string &name, int64_t step, double value)
{
    detail::send(detail::Line("metric")
                     .str("name", name)
                     .integer("step", step)
                     .real("value", value)
                     .finish());
}

inline void loss(int64_t step, double value)
{
    metric("loss", step, value);
}

// The CUDA caching allocator's allocated/reserved bytes and peak allocated
// bytes on the current device. Sends nothing on CPU builds (TORCHLAB_WITH_CUDA
// not defined), without a GPU, or before CUDA was first used.
inline void memory(int64_t step)
{
#ifdef TORCHLAB_WITH_CUDA
    try {
        if (!torch::cuda::is_available())
            return;
        // getDeviceStats() is the same call in 1.13 and 2.x. Its StatType enum
        // moved (c10::cuda::CUDACachingAllocator in 1.13, c10/core's
        // CachingDeviceAllocator from 2.5), so it is not named here: the
        // aggregate over all pools is entry 0 in every version.
        const auto stats =
            c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device());
        constexpr size_t all = 0; // StatType::AGGREGATE
        detail::send(detail::Line("memory")
                         .integer("step", step)
                         .integer("allocated", stats.allocated_bytes[all].current)
                         .integer("reserved", stats.reserved_bytes[all].current)
                         .integer("peak", stats.allocated_bytes[all].peak)
                         .finish());
    } catch (...) {
        // The allocator is not initialised until CUDA is first used.
    }
#else
    (void)step;
#endif
}

inline void check(const std::string &name, bool ok, const std::string &message = std::string())
{
    detail::send(
        detail::Line("check").str("name", name).boolean("ok", ok).str("message", message).finish());
}

// A named check that cannot run here (it needs a GPU, nvcc, a tool that is not
// installed, or the full-length run): reported as skipped, with `reason`, never
// as passed. A report of the same name that fails still fails the check.
inline void skip(const std::string &name, const std::string &reason)
{
    detail::send(detail::Line("check")
                     .str("name", name)
                     .boolean("ok", false)
                     .boolean("skipped", true)
                     .str("message", reason)
                     .finish());
}

inline void note(const std::string &text)
{
    detail::send(detail::Line("note").str("text", text).finish());
}

// Where course data lives: $TORCHLAB_DATA, else $XDG_DATA_HOME/torchlab/data,
// else ~/.local/share/torchlab/data.
inline std::string data_dir()
{
    if (const char *d = std::getenv("TORCHLAB_DATA"); d && *d)
        return d;
    if (const char *x = std::getenv("XDG_DATA_HOME"); x && *x == '/')
        return std::string(x) + "/torchlab/data";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/share/torchlab/data";
}

// True when the lab asks for a short run (TORCHLAB_QUICK=1, e.g. in CI):
// lessons then train for fewer steps.
inline bool quick()
{
    return detail::env_is("TORCHLAB_QUICK", "1");
}

namespace detail {

inline bool looks_like_cuda_oom(const char *what)
{
    return std::strstr(what, "CUDA out of memory") != nullptr;
}

inline int report_exception(const char *kind, const std::string &text)
{
    const std::string first = first_line(text);
    send(Line("error").str("kind", kind).str("message", first).str("detail", text).finish());
    try {
        std::cerr << "error (" << kind << "): " << text << std::endl;
    } catch (...) {
    }
    return exit_code_exception;
}

// TORCHLAB_SEED, a whole number, is the seed the lab chose for this run (an
// archived run records it, a rerun passes it again): LibTorch's generators
// (the CPU's and every GPU's) start from it. Without the variable, or with a
// value that is not a number, nothing is seeded. A lesson that seeds itself
// seeds again afterwards and so keeps its own numbers.
inline void seed_from_environment()
{
    const char *text = std::getenv("TORCHLAB_SEED");
    if (!text || !*text)
        return;
    char *end = nullptr;
    errno = 0;
    const long long seed = std::strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return;
    torch::manual_seed(static_cast<uint64_t>(seed));
}

} // namespace detail

// Runs body() (returning int or void) and returns its exit code (0 for void).
// An exception that escapes it is reported as an error event, with kind
// cuda_oom, c10_error, bad_alloc or std_exception, printed to stderr, and
// exit_code_exception is returned. Other thrown types are not caught.
// Before body(), LibTorch is seeded with TORCHLAB_SEED when the lab sets it.
//
//   int main() { return lab::run([] { ... }); }
template <class F> int run(F &&body)
{
    try {
        detail::seed_from_environment();
        if constexpr (std::is_void_v<std::invoke_result_t<F &>>) {
            body();
            return 0;
        } else {
            return static_cast<int>(body());
        }
    }
#if TORCHLAB_TORCH_AT_LEAST(1, 13)
    catch (const c10::OutOfMemoryError &e) {
        return detail::report_exception("cuda_oom", e.what_without_backtrace());
    }
#endif
    catch (const c10::Error &e) {
        // Older LibTorch throws a plain c10::Error for CUDA OOM; its text says so.
        const char *text = e.what_without_backtrace();
        return detail::report_exception(
            detail::looks_like_cuda_oom(text) ? "cuda_oom" : "c10_error", text);
    } catch (const std::bad_alloc &e) {
        return detail::report_exception("bad_alloc", e.what());
    } catch (const std::exception &e) {
        return detail::report_exception("std_exception", e.what());
    }
}

namespace detail {
// Sends the hello line during static initialisation, so that even a program
// that never calls lab:: tells the lab which LibTorch and device it runs on.
inline const bool announced = (channel().announce(), true);
} // namespace detail

} // namespace lab
