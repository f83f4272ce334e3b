#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <optional>
#include <sys/types.h>

namespace torchlab::ProcScan {

// One line of /proc/<pid>/stat, reduced to what the runner needs.
struct ProcStat
{
    pid_t pid = 0;
    char state = '?'; // 'R', 'S', 'Z', ...
    pid_t ppid = 0;
    pid_t pgrp = 0;
    pid_t session = 0;
    quint64 cpuTicks = 0;      // utime + stime, in clock ticks
    quint64 childCpuTicks = 0; // cutime + cstime: children it has waited for
    quint64 startTicks = 0;    // start time after boot, in clock ticks
    qint64 rssPages = 0;
    int threads = 0;

    bool isZombie() const { return state == 'Z' || state == 'X'; }
};

// Parses the text of /proc/<pid>/stat. The command name may hold spaces and
// parentheses, so fields are counted from the last ')'. Pure; nullopt when
// the text is not a stat line.
std::optional<ProcStat> parseStat(const QByteArray &text);

std::optional<ProcStat> readStat(pid_t pid);
QList<ProcStat> allProcesses();
// Threads of the processes `uid` owns: what RLIMIT_NPROC counts against.
int tasksOfUser(uid_t uid);

// True when /proc/<pid>/environ holds exactly `entry` ("NAME=value") as one
// of its NUL-separated strings. False when it cannot be read (gone, zombie,
// another user's process).
bool environHas(pid_t pid, const QByteArray &entry);
bool environBlobHas(const QByteArray &environ, const QByteArray &entry); // pure part of the above

qint64 pageSize();
qint64 ticksPerSecond();

} // namespace torchlab::ProcScan
