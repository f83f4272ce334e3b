#include "core/toolchain/elfinfo.h"

#include <QFile>

#include <elf.h>

#include <algorithm>
#include <cstring>

namespace torchlab::ElfInfo {

bool Dynamic::needs(const QString &library) const
{
    return std::any_of(needed.cbegin(), needed.cend(), [&library](const QString &entry) {
        return entry == library || entry.startsWith(library + QLatin1Char('.'));
    });
}

namespace {

// Copies a struct out of the mapped file: the map has no alignment promise.
template <class T> bool readAt(const uchar *data, qint64 size, quint64 offset, T *out)
{
    if (offset > quint64(size) || quint64(size) - offset < sizeof(T))
        return false;
    std::memcpy(out, data + offset, sizeof(T));
    return true;
}

QString stringAt(const uchar *data, qint64 size, const Elf64_Shdr &strtab, quint64 index)
{
    if (index >= strtab.sh_size || strtab.sh_offset > quint64(size))
        return QString();
    const quint64 start = strtab.sh_offset + index;
    const quint64 end = qMin(quint64(size), strtab.sh_offset + strtab.sh_size);
    quint64 stop = start;
    while (stop < end && data[stop] != 0)
        ++stop;
    return QString::fromUtf8(reinterpret_cast<const char *>(data + start), qsizetype(stop - start));
}

} // namespace

Dynamic readDynamic(const QString &path)
{
    Dynamic out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = file.errorString();
        return out;
    }
    const qint64 size = file.size();
    const uchar *data = size > 0 ? file.map(0, size) : nullptr;
    if (!data) {
        out.error = QStringLiteral("cannot read the file");
        return out;
    }

    Elf64_Ehdr header;
    if (!readAt(data, size, 0, &header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
        out.error = QStringLiteral("not an ELF file");
        return out;
    }
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
        out.error = QStringLiteral("not a 64-bit little-endian ELF file");
        return out;
    }
    if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0) {
        out.error = QStringLiteral("no section headers");
        return out;
    }

    const auto section = [&](quint64 index, Elf64_Shdr *s) {
        return index < header.e_shnum &&
               readAt(data, size, header.e_shoff + index * sizeof(Elf64_Shdr), s);
    };
    for (quint64 i = 0; i < header.e_shnum; ++i) {
        Elf64_Shdr dynamic;
        if (!section(i, &dynamic) || dynamic.sh_type != SHT_DYNAMIC)
            continue;
        Elf64_Shdr strtab;
        if (!section(dynamic.sh_link, &strtab)) {
            out.error = QStringLiteral("the dynamic section has no string table");
            return out;
        }
        for (quint64 at = 0; at + sizeof(Elf64_Dyn) <= dynamic.sh_size; at += sizeof(Elf64_Dyn)) {
            Elf64_Dyn entry;
            if (!readAt(data, size, dynamic.sh_offset + at, &entry) || entry.d_tag == DT_NULL)
                break;
            switch (entry.d_tag) {
            case DT_NEEDED:
                out.needed << stringAt(data, size, strtab, entry.d_un.d_val);
                break;
            case DT_SONAME:
                out.soname = stringAt(data, size, strtab, entry.d_un.d_val);
                break;
            case DT_RUNPATH:
            case DT_RPATH:
                // DT_RUNPATH wins when both are present, as in the loader.
                if (entry.d_tag == DT_RUNPATH || out.runpath.isEmpty())
                    out.runpath = stringAt(data, size, strtab, entry.d_un.d_val)
                                      .split(QLatin1Char(':'), Qt::SkipEmptyParts);
                break;
            default:
                break;
            }
        }
        out.ok = true;
        return out;
    }
    out.error = QStringLiteral("no dynamic section (a static program)");
    return out;
}

} // namespace torchlab::ElfInfo
