#pragma once

#include <QString>
#include <QStringList>

namespace torchlab::ElfInfo {

// The dynamic section of a 64-bit little-endian ELF file (x86-64, aarch64):
// what the loader will look for when the program starts. Reads the file
// through a memory map; never runs it.
struct Dynamic
{
    bool ok = false;
    QString error;       // !ok: why ("not an ELF file", "no dynamic section", ...)
    QStringList needed;  // DT_NEEDED in order ("libtorch_cuda.so", "libc10.so.1.13", ...)
    QStringList runpath; // DT_RUNPATH (or the older DT_RPATH) split at ':'
    QString soname;      // DT_SONAME; empty for executables

    // True when some DT_NEEDED entry is `library` or `library`.<version>
    // ("libtorch_cuda.so" matches "libtorch_cuda.so" and "libtorch_cuda.so.2.11").
    bool needs(const QString &library) const;
};

Dynamic readDynamic(const QString &path);

} // namespace torchlab::ElfInfo
