#include "core/run/procscan.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchlab::ProcScan {

namespace {

// Reads a small /proc file with plain syscalls: QFile would stat() and buffer
// for nothing, and this runs for every process on every watchdog tick.
QByteArray readProcFile(const char *path, qsizetype limit)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QByteArray data;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        data.append(buf, n);
        if (data.size() >= limit)
            break;
    }
    ::close(fd);
    return data;
}

} // namespace

std::optional<ProcStat> parseStat(const QByteArray &text)
{
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    if (open <= 0 || close < open)
        return std::nullopt;
    bool ok = false;
    ProcStat s;
    s.pid = pid_t(text.left(open).trimmed().toLongLong(&ok));
    if (!ok)
        return std::nullopt;
    // Fields after the command name, numbered as in proc(5): 3 = state.
    const QList<QByteArray> f = text.mid(close + 1).simplified().split(' ');
    auto field = [&f](int number) -> qint64 {
        const int index = number - 3;
        return index < f.size() ? f.at(index).toLongLong() : 0;
    };
    if (f.size() < 22)
        return std::nullopt;
    s.state = f.at(0).isEmpty() ? '?' : f.at(0).at(0);
    s.ppid = pid_t(field(4));
    s.pgrp = pid_t(field(5));
    s.session = pid_t(field(6));
    s.cpuTicks = quint64(field(14) + field(15));
    s.childCpuTicks = quint64(field(16) + field(17));
    s.threads = int(field(20));
    s.startTicks = quint64(field(22));
    s.rssPages = field(24);
    return s;
}

std::optional<ProcStat> readStat(pid_t pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    const QByteArray text = readProcFile(path, 4096);
    if (text.isEmpty())
        return std::nullopt;
    return parseStat(text);
}

QList<ProcStat> allProcesses()
{
    QList<ProcStat> result;
    DIR *dir = ::opendir("/proc");
    if (!dir)
        return result;
    while (const dirent *entry = ::readdir(dir)) {
        const char *name = entry->d_name;
        if (name[0] < '1' || name[0] > '9')
            continue;
        char *end = nullptr;
        const long pid = std::strtol(name, &end, 10);
        if (*end != '\0')
            continue;
        if (auto stat = readStat(pid_t(pid)))
            result.append(*stat);
    }
    ::closedir(dir);
    return result;
}

int tasksOfUser(uid_t uid)
{
    int count = 0;
    DIR *dir = ::opendir("/proc");
    if (!dir)
        return 0;
    while (const dirent *entry = ::readdir(dir)) {
        const char *name = entry->d_name;
        if (name[0] < '1' || name[0] > '9')
            continue;
        struct stat st
        {
        };
        if (::fstatat(::dirfd(dir), name, &st, 0) != 0 || st.st_uid != uid)
            continue;
        const auto stat = readStat(pid_t(std::strtol(name, nullptr, 10)));
        count += stat ? qMax(1, stat->threads) : 1;
    }
    ::closedir(dir);
    return count;
}

bool environBlobHas(const QByteArray &environ, const QByteArray &entry)
{
    if (entry.isEmpty())
        return false;
    qsizetype from = 0;
    while (from < environ.size()) {
        qsizetype end = environ.indexOf('\0', from);
        if (end < 0)
            end = environ.size();
        if (end - from == entry.size() &&
            std::equal(entry.begin(), entry.end(), environ.begin() + from))
            return true;
        from = end + 1;
    }
    return false;
}

bool environHas(pid_t pid, const QByteArray &entry)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/environ", int(pid));
    // Environments are small; 1 MiB is far more than any real one and bounds
    // the cost of a process that grew a huge one.
    return environBlobHas(readProcFile(path, 1 << 20), entry);
}

qint64 pageSize()
{
    static const qint64 size = ::sysconf(_SC_PAGESIZE);
    return size;
}

qint64 ticksPerSecond()
{
    static const qint64 ticks = ::sysconf(_SC_CLK_TCK);
    return ticks;
}

} // namespace torchlab::ProcScan
