// torchlab-warm: runs learner programs built as shared objects, with LibTorch
// already loaded. Plain POSIX; no Qt, no LibTorch headers (the LibTorch of the
// learner's toolchain is loaded at run time, from the primer).
//
//   torchlab-warm serve SOCKET PRIMER.so
//       The warm server. Loads PRIMER.so (an empty shared object linked
//       exactly as learner programs are, so every LibTorch library is loaded
//       and initialised), listens on the unix socket SOCKET (in a private
//       0700 folder) and prints "ready". For each connection of its own user
//       it forks a child that becomes the learner's program. Never touches
//       CUDA: the first CUDA call happens in the child.
//
//   torchlab-warm run SOCKET PROGRAM.so [ARGS...]
//       The launcher the lab starts (through ProcessRunner, so with today's
//       process group, limits, pipes, metrics fd and environment). It hands
//       its stdin/stdout/stderr and metrics fd, environment, working folder,
//       limits, priority, user and process group to the server, whose child
//       joins this process's group, applies the same limits and runs
//       PROGRAM.so's main(ARGS). This process then ends exactly as the child
//       did (the same exit status or the same signal). Without a server it
//       loads PROGRAM.so itself: the same program, with LibTorch's start-up.
//
// Protocol on the stream socket (native byte order, both ends are this
// binary): the launcher sends one Request header with SCM_RIGHTS fds
// [stdin, stdout, stderr, metrics?], then `payloadBytes` of NUL-separated
// strings: the working folder, the program, argc arguments, envc entries.
// The server answers one Reply{Started, pid}, then Reply{Exited|Signaled}.
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

constexpr uint32_t Magic = 0x544c5731; // "TLW1"
constexpr int Resources[] = {RLIMIT_CPU,    RLIMIT_DATA, RLIMIT_FSIZE,
                             RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_NPROC};
constexpr int ResourceCount = sizeof Resources / sizeof Resources[0];
constexpr uint32_t MaxPayload = 16u << 20;

struct Request
{
    uint32_t magic = Magic;
    uint32_t payloadBytes = 0;
    int32_t argc = 0;
    int32_t envc = 0;
    int32_t fdCount = 3;    // stdin, stdout, stderr [, metrics]
    int32_t metricsFd = -1; // the number the metrics fd must have in the child
    int32_t pgid = 0;       // the launcher's process group
    int32_t nice = 0;       // the launcher's nice value
    uint32_t uid = 0, gid = 0;
    struct rlimit limits[ResourceCount];
};

struct Reply
{
    enum Kind : int32_t
    {
        Started = 1,
        Exited = 2,
        Signaled = 3,
        Failed = 4
    };
    int32_t kind = 0;
    int32_t value = 0; // pid, exit status or signal
    int64_t cpuMs = 0; // Exited, Signaled: the child's user + system time (wait4)
};

bool writeAll(int fd, const void *data, size_t size)
{
    const char *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

bool readAll(int fd, void *data, size_t size)
{
    char *p = static_cast<char *>(data);
    while (size > 0) {
        const ssize_t n = ::recv(fd, p, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

int connectTo(const char *path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (std::strlen(path) >= sizeof addr.sun_path)
        return -1;
    std::strcpy(addr.sun_path, path);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

extern "C" int __cxa_finalize(void *dso);

// Loads the program and calls its main(): what both the server's child and
// the launcher without a server do. Never returns.
//
// When main() returns in a forked child, the program's own exit-time work
// runs (its static destructors and atexit() handlers: __cxa_finalize() of
// its DSO, whose handle the lab's link exports as torchlab_dso_handle), then
// stdio is flushed and the child ends. LibTorch's own destructors are left
// out: they only free memory, and in a forked child every page they touch is
// copied first, which takes 0.4 s on a 2-core machine (measured: 485 ms from
// main's return to the end with them, 48 ms without). A program that calls
// exit() itself gets the full exit, as everywhere.
[[noreturn]] void runProgram(const char *program, int argc, char **argv, bool forked)
{
    void *handle = ::dlopen(program, RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
        std::fprintf(stderr, "torchlab-warm: cannot load %s: %s\n", program, ::dlerror());
        std::fflush(stderr);
        ::_exit(127);
    }
    using Main = int (*)(int, char **, char **);
    auto main = reinterpret_cast<Main>(::dlsym(handle, "main"));
    if (!main) {
        std::fprintf(stderr, "torchlab-warm: %s has no main()\n", program);
        std::fflush(stderr);
        ::_exit(127);
    }
    const int status = main(argc, argv, environ);
    if (forked) {
        if (void *dso = ::dlsym(handle, "torchlab_dso_handle")) {
            __cxa_finalize(dso);
            std::fflush(nullptr);
            ::_exit(status);
        }
    }
    std::exit(status); // atexit handlers and static destructors run
}

// Ends this process the way the child ended.
[[noreturn]] void endLike(const Reply &reply)
{
    if (reply.kind == Reply::Exited)
        ::_exit(reply.value);
    if (reply.kind == Reply::Signaled) {
        const int sig = reply.value;
        ::signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
        ::kill(::getpid(), sig);
        ::_exit(128 + sig); // a signal that does not end a process by default
    }
    ::_exit(125);
}

int launch(int argc, char **argv)
{
    // argv: run SOCKET PROGRAM [ARGS...]
    const char *socketPath = argv[2];
    const char *program = argv[3];
    char **programArgv = argv + 3; // argv[0] of the program: its own path
    const int programArgc = argc - 3;

    const int fd = connectTo(socketPath);
    if (fd < 0) {
        std::fprintf(stderr,
                     "torchlab-warm: the warm runner did not answer (%s); LibTorch "
                     "starts from scratch for this run.\n",
                     std::strerror(errno));
        std::fflush(stderr);
        runProgram(program, programArgc, programArgv, false);
    }

    Request request;
    const char *metrics = std::getenv("TORCHLAB_METRICS_FD");
    if (metrics && *metrics) {
        const int n = std::atoi(metrics);
        if (n > 2 && ::fcntl(n, F_GETFD) >= 0) {
            request.metricsFd = n;
            request.fdCount = 4;
        }
    }
    request.pgid = ::getpgrp();
    errno = 0;
    request.nice = ::getpriority(PRIO_PROCESS, 0);
    request.uid = ::getuid();
    request.gid = ::getgid();
    for (int i = 0; i < ResourceCount; ++i)
        ::getrlimit(Resources[i], &request.limits[i]);

    // Where ProcessRunner wants the child's CPU time; not the program's business.
    const char *reportVariable = std::getenv("TORCHLAB_WARM_REPORT");
    const std::string reportPath = reportVariable ? reportVariable : "";
    const char *report = reportPath.c_str();
    ::unsetenv("TORCHLAB_WARM_REPORT");

    std::string payload;
    char cwd[8192];
    if (!::getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    payload.append(cwd).push_back('\0');
    payload.append(program).push_back('\0');
    for (int i = 0; i < programArgc; ++i)
        payload.append(programArgv[i]).push_back('\0');
    request.argc = programArgc;
    for (char **e = environ; *e; ++e) {
        payload.append(*e).push_back('\0');
        ++request.envc;
    }
    request.payloadBytes = uint32_t(payload.size());

    int fds[4] = {0, 1, 2, request.metricsFd};
    char control[CMSG_SPACE(sizeof fds)] = {};
    iovec iov{&request, sizeof request};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * size_t(request.fdCount));
    cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * size_t(request.fdCount));
    std::memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * size_t(request.fdCount));
    Reply started;
    if (::sendmsg(fd, &msg, MSG_NOSIGNAL) != ssize_t(sizeof request) ||
        !writeAll(fd, payload.data(), payload.size()) || !readAll(fd, &started, sizeof started) ||
        started.kind != Reply::Started) {
        if (started.kind == Reply::Failed) {
            std::fprintf(stderr,
                         "torchlab-warm: the warm runner could not start the program "
                         "(%s)\n",
                         std::strerror(started.value));
            ::_exit(127);
        }
        // Nothing started: run it here.
        std::fprintf(stderr, "torchlab-warm: the warm runner refused the run; LibTorch starts "
                             "from scratch for this run.\n");
        std::fflush(stderr);
        ::close(fd);
        runProgram(program, programArgc, programArgv, false);
    }
    Reply ended;
    if (!readAll(fd, &ended, sizeof ended)) {
        // The server is gone, and with it (PR_SET_PDEATHSIG) the child.
        std::fprintf(stderr, "torchlab-warm: the warm runner stopped during the run.\n");
        ::_exit(125);
    }
    // The child's exact CPU time, for ProcessRunner: it reaps only this
    // launcher, so its own accounting cannot see the child's last moments.
    if (report && *report) {
        const int out = ::open(report, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
        if (out >= 0) {
            char line[64];
            const int n = std::snprintf(line, sizeof line, "cpu_ms %lld\n",
                                        static_cast<long long>(ended.cpuMs));
            if (n > 0 && ::write(out, line, size_t(n)) < 0) {
                // Only the CPU figure is lost.
            }
            ::close(out);
        }
    }
    endLike(ended);
}

// ---- server ---------------------------------------------------------------

struct Client
{
    int fd = -1;
    pid_t pid = 0;
};

bool cudaTouched()
{
    // An open /dev/nvidia* means CUDA was initialised by loading LibTorch:
    // forked children could not use it.
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return false;
    bool touched = false;
    while (dirent *e = ::readdir(dir)) {
        char link[64], target[256];
        std::snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        const ssize_t n = ::readlink(link, target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            touched = touched || std::strncmp(target, "/dev/nvidia", 11) == 0;
        }
    }
    ::closedir(dir);
    return touched;
}

void closeFrom(unsigned first, unsigned last)
{
    if (first > last)
        return;
    if (::syscall(SYS_close_range, first, last, 0u) == 0)
        return;
    for (unsigned fd = first; fd <= last && fd < 65536; ++fd)
        ::close(int(fd));
}

[[noreturn]] void childMain(const Request &request, const int *fds, std::vector<char> &payload)
{
    // The launcher's group: the lab's group kill, RSS watchdog and sweep see us.
    if (::setpgid(0, request.pgid) != 0) {
        std::perror("torchlab-warm: setpgid");
        ::_exit(127);
    }
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            ::signal(sig, SIG_DFL);
    // The launcher's limits and priority, as ProcessRunner set them.
    for (int i = 0; i < ResourceCount; ++i)
        if (::setrlimit(Resources[i], &request.limits[i]) != 0 && Resources[i] != RLIMIT_NPROC) {
            std::perror("torchlab-warm: setrlimit");
            ::_exit(127);
        }
    ::setpriority(PRIO_PROCESS, 0, request.nice);
    if (request.gid != ::getgid() || request.uid != ::getuid()) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(request.gid) != 0 ||
            ::setuid(request.uid) != 0) {
            std::perror("torchlab-warm: switching user");
            ::_exit(127);
        }
    }

    // Its fds: 0, 1, 2 and the metrics fd at the number its environment
    // names. The received fds are all above 2 (the server's own stdio holds
    // 0-2), so each dup2() reads an fd no earlier one replaced.
    for (int i = 0; i < 3; ++i)
        ::dup2(fds[i], i);
    unsigned keep = 2;
    if (request.fdCount > 3 && request.metricsFd > 2) {
        if (fds[3] == request.metricsFd)
            ::fcntl(fds[3], F_SETFD, 0);
        else
            ::dup2(fds[3], request.metricsFd);
        keep = unsigned(request.metricsFd);
    }
    // Everything else closes: the listening socket, the connection, the
    // signalfd, the received copies and whatever the server inherited.
    closeFrom(3, keep - 1);
    closeFrom(keep + 1, ~0u);

    // Strings: cwd, program, argv..., env...
    std::vector<char *> strings;
    for (size_t i = 0; i < payload.size();) {
        strings.push_back(payload.data() + i);
        i += std::strlen(payload.data() + i) + 1;
    }
    if (strings.size() < size_t(2 + request.argc + request.envc))
        ::_exit(127);
    if (*strings[0] && ::chdir(strings[0]) != 0) {
        std::perror("torchlab-warm: chdir");
        ::_exit(127);
    }
    std::vector<char *> argv(strings.begin() + 2, strings.begin() + 2 + request.argc);
    argv.push_back(nullptr);
    // Never freed: exit handlers (LibTorch's among them) read the
    // environment after every static object of this program is gone.
    char **env = new char *[size_t(request.envc) + 1];
    for (int i = 0; i < request.envc; ++i)
        env[i] = strings[size_t(2 + request.argc + i)];
    env[request.envc] = nullptr;
    environ = env;
    runProgram(strings[1], request.argc, argv.data(), true);
}

void handleClient(int listenFd, std::vector<Client> &clients, int signalFd)
{
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != ::getuid()) {
        ::close(fd);
        return;
    }
    Request request;
    int fds[4] = {-1, -1, -1, -1};
    char control[CMSG_SPACE(sizeof fds)] = {};
    iovec iov{&request, sizeof request};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    int received = 0;
    for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            received = int((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            std::memcpy(fds, CMSG_DATA(c), sizeof(int) * size_t(received > 4 ? 4 : received));
        }
    }
    auto closeFds = [&] {
        for (int i = 0; i < received && i < 4; ++i)
            ::close(fds[i]);
    };
    std::vector<char> payload;
    if (n != ssize_t(sizeof request) || request.magic != Magic || request.fdCount != received ||
        request.fdCount < 3 || request.fdCount > 4 || request.payloadBytes > MaxPayload ||
        request.argc < 1 || request.envc < 0) {
        closeFds();
        ::close(fd);
        return;
    }
    payload.resize(request.payloadBytes + 1, '\0');
    if (!readAll(fd, payload.data(), request.payloadBytes)) {
        closeFds();
        ::close(fd);
        return;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(listenFd);
        ::close(signalFd);
        ::close(fd);
        childMain(request, fds, payload);
    }
    closeFds();
    Reply reply;
    if (pid < 0) {
        reply.kind = Reply::Failed;
        reply.value = errno;
        writeAll(fd, &reply, sizeof reply);
        ::close(fd);
        return;
    }
    reply.kind = Reply::Started;
    reply.value = pid;
    writeAll(fd, &reply, sizeof reply);
    clients.push_back(Client{fd, pid});
}

void reapChildren(std::vector<Client> &clients)
{
    int status = 0;
    pid_t pid;
    rusage usage{};
    while ((pid = ::wait4(-1, &status, WNOHANG, &usage)) > 0) {
        for (size_t i = 0; i < clients.size(); ++i) {
            if (clients[i].pid != pid)
                continue;
            Reply reply;
            reply.cpuMs = (int64_t(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1000 +
                          (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
            if (WIFSIGNALED(status)) {
                reply.kind = Reply::Signaled;
                reply.value = WTERMSIG(status);
            } else {
                reply.kind = Reply::Exited;
                reply.value = WEXITSTATUS(status);
            }
            writeAll(clients[i].fd, &reply, sizeof reply);
            ::close(clients[i].fd);
            clients.erase(clients.begin() + long(i));
            break;
        }
    }
}

int serve(const char *socketPath, const char *primer)
{
    // Dies with the lab that started it.
    const pid_t parent = ::getppid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
        return 1;
    // Warmth: every LibTorch library, loaded and initialised once.
    if (!::dlopen(primer, RTLD_NOW | RTLD_GLOBAL)) {
        std::printf("error: cannot load LibTorch: %s\n", ::dlerror());
        std::fflush(stdout);
        return 2;
    }
    if (cudaTouched()) {
        std::printf("error: loading LibTorch opened the GPU; forked programs could not use it\n");
        std::fflush(stdout);
        return 3;
    }

    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &chld, nullptr);
    const int signalFd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (std::strlen(socketPath) >= sizeof addr.sun_path) {
        std::printf("error: socket path too long\n");
        return 4;
    }
    std::strcpy(addr.sun_path, socketPath);
    ::unlink(socketPath);
    const int listenFd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const mode_t old = ::umask(077);
    const bool bound = listenFd >= 0 &&
                       ::bind(listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
                       ::listen(listenFd, 16) == 0;
    ::umask(old);
    if (!bound || signalFd < 0) {
        std::printf("error: cannot listen on %s: %s\n", socketPath, std::strerror(errno));
        std::fflush(stdout);
        return 4;
    }
    std::printf("ready %d\n", int(::getpid()));
    std::fflush(stdout);

    std::vector<Client> clients;
    for (;;) {
        std::vector<pollfd> polls{{listenFd, POLLIN, 0}, {signalFd, POLLIN, 0}};
        for (const Client &c : clients)
            polls.push_back({c.fd, POLLIN, 0}); // hang-up: the launcher is gone
        if (::poll(polls.data(), polls.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            return 5;
        }
        if (polls[1].revents & POLLIN) {
            signalfd_siginfo info;
            while (::read(signalFd, &info, sizeof info) == ssize_t(sizeof info)) {
            }
            reapChildren(clients);
        }
        for (size_t i = 2; i < polls.size(); ++i) {
            if (polls[i].revents & (POLLHUP | POLLERR | POLLIN)) {
                // The launcher died (the lab killed the group): so must its program.
                for (const Client &c : clients)
                    if (c.fd == polls[i].fd)
                        ::kill(c.pid, SIGKILL);
            }
        }
        if (polls[0].revents & POLLIN)
            handleClient(listenFd, clients, signalFd);
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 4 && std::strcmp(argv[1], "serve") == 0)
        return serve(argv[2], argv[3]);
    if (argc >= 4 && std::strcmp(argv[1], "run") == 0)
        return launch(argc, argv);
    std::fprintf(stderr, "usage: torchlab-warm serve SOCKET PRIMER.so\n"
                         "       torchlab-warm run SOCKET PROGRAM.so [ARGS...]\n");
    return 2;
}
