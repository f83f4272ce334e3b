#include "core/editor/linediff.h"

#include <QHash>

#include <algorithm>
#include <vector>

namespace torchlab {

namespace {

struct Op
{
    DiffLine::Kind kind;
    int a; // 0-based index into a (Equal, Removed), else -1
    int b; // 0-based index into b (Equal, Added), else -1
};

// Myers' algorithm on interned lines. The recursion splits at the point where
// the forward and backward searches meet (the "middle snake"), so memory stays
// linear in the input however different the two files are; a learner's file
// against a solution it shares nothing with is the worst case and still cheap.
class Myers
{
public:
    Myers(const std::vector<int> &a, const std::vector<int> &b) : m_a(a), m_b(b) {}

    std::vector<Op> run()
    {
        diff(0, int(m_a.size()), 0, int(m_b.size()));
        return std::move(m_ops);
    }

private:
    void diff(int aLo, int aHi, int bLo, int bHi)
    {
        // Trimming the common ends first keeps the search to the changed middle,
        // which for an edited exercise is a few lines.
        while (aLo < aHi && bLo < bHi && m_a[aLo] == m_b[bLo]) {
            m_ops.push_back({DiffLine::Kind::Equal, aLo++, bLo++});
        }
        int suffix = 0;
        while (aLo < aHi - suffix && bLo < bHi - suffix &&
               m_a[aHi - 1 - suffix] == m_b[bHi - 1 - suffix]) {
            ++suffix;
        }
        aHi -= suffix;
        bHi -= suffix;

        if (aLo == aHi || bLo == bHi) {
            for (int i = aLo; i < aHi; ++i)
                m_ops.push_back({DiffLine::Kind::Removed, i, -1});
            for (int j = bLo; j < bHi; ++j)
                m_ops.push_back({DiffLine::Kind::Added, -1, j});
        } else {
            int x = 0;
            int y = 0;
            if (bisect(aLo, aHi, bLo, bHi, x, y) && (x > 0 || y > 0) &&
                (x < aHi - aLo || y < bHi - bLo)) {
                diff(aLo, aLo + x, bLo, bLo + y);
                diff(aLo + x, aHi, bLo + y, bHi);
            } else {
                for (int i = aLo; i < aHi; ++i)
                    m_ops.push_back({DiffLine::Kind::Removed, i, -1});
                for (int j = bLo; j < bHi; ++j)
                    m_ops.push_back({DiffLine::Kind::Added, -1, j});
            }
        }

        for (int s = 0; s < suffix; ++s)
            m_ops.push_back({DiffLine::Kind::Equal, aHi + s, bHi + s});
    }

    // Finds a point (x, y), relative to (aLo, bLo), on a shortest edit path.
    // Returns false when the ranges share no line.
    bool bisect(int aLo, int aHi, int bLo, int bHi, int &outX, int &outY) const
    {
        const int n = aHi - aLo;
        const int m = bHi - bLo;
        const int maxD = (n + m + 1) / 2;
        const int offset = maxD;
        const int length = 2 * maxD + 2;
        std::vector<int> forward(length, -1);
        std::vector<int> backward(length, -1);
        forward[offset + 1] = 0;
        backward[offset + 1] = 0;
        const int delta = n - m;
        const bool oddDelta = (delta % 2) != 0;
        // Diagonals that ran off the grid are skipped from then on.
        int kfStart = 0, kfEnd = 0, kbStart = 0, kbEnd = 0;

        for (int d = 0; d < maxD; ++d) {
            for (int k = -d + kfStart; k <= d - kfEnd; k += 2) {
                const int ko = offset + k;
                int x = (k == -d || (k != d && forward[ko - 1] < forward[ko + 1]))
                            ? forward[ko + 1]
                            : forward[ko - 1] + 1;
                int y = x - k;
                while (x < n && y < m && m_a[aLo + x] == m_b[bLo + y]) {
                    ++x;
                    ++y;
                }
                forward[ko] = x;
                if (x > n) {
                    kfEnd += 2;
                } else if (y > m) {
                    kfStart += 2;
                } else if (oddDelta) {
                    const int bo = offset + delta - k;
                    if (bo >= 0 && bo < length && backward[bo] != -1 && x >= n - backward[bo]) {
                        outX = x;
                        outY = y;
                        return true;
                    }
                }
            }
            for (int k = -d + kbStart; k <= d - kbEnd; k += 2) {
                const int ko = offset + k;
                int x = (k == -d || (k != d && backward[ko - 1] < backward[ko + 1]))
                            ? backward[ko + 1]
                            : backward[ko - 1] + 1;
                int y = x - k;
                while (x < n && y < m && m_a[aHi - 1 - x] == m_b[bHi - 1 - y]) {
                    ++x;
                    ++y;
                }
                backward[ko] = x;
                if (x > n) {
                    kbEnd += 2;
                } else if (y > m) {
                    kbStart += 2;
                } else if (!oddDelta) {
                    const int fo = offset + delta - k;
                    if (fo >= 0 && fo < length && forward[fo] != -1) {
                        const int fx = forward[fo];
                        const int fy = offset + fx - fo;
                        if (fx >= n - x) {
                            outX = fx;
                            outY = fy;
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    const std::vector<int> &m_a;
    const std::vector<int> &m_b;
    std::vector<Op> m_ops;
};

} // namespace

namespace LineDiff {

QStringList splitLines(const QString &text)
{
    QStringList lines;
    qsizetype start = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c == u'\n' || c == u'\r') {
            lines.append(text.mid(start, i - start));
            if (c == u'\r' && i + 1 < n && text.at(i + 1) == u'\n')
                ++i;
            start = i + 1;
        }
    }
    if (start < n)
        lines.append(text.mid(start));
    return lines;
}

QList<DiffLine> diffLines(const QStringList &a, const QStringList &b)
{
    QHash<QString, int> ids;
    auto intern = [&ids](const QStringList &lines) {
        std::vector<int> out;
        out.reserve(size_t(lines.size()));
        for (const QString &line : lines) {
            auto it = ids.constFind(line);
            if (it == ids.constEnd())
                it = ids.insert(line, int(ids.size()));
            out.push_back(it.value());
        }
        return out;
    };
    const std::vector<int> ia = intern(a);
    const std::vector<int> ib = intern(b);
    std::vector<Op> ops = Myers(ia, ib).run();

    // Within each run of changes, show what went before what came: the
    // recursion may interleave them, a reader expects "-" lines then "+".
    for (size_t i = 0; i < ops.size();) {
        if (ops[i].kind == DiffLine::Kind::Equal) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < ops.size() && ops[j].kind != DiffLine::Kind::Equal)
            ++j;
        std::stable_partition(ops.begin() + qsizetype(i), ops.begin() + qsizetype(j),
                              [](const Op &op) { return op.kind == DiffLine::Kind::Removed; });
        i = j;
    }

    QList<DiffLine> out;
    out.reserve(qsizetype(ops.size()));
    for (const Op &op : ops) {
        DiffLine line;
        line.kind = op.kind;
        line.oldLine = op.a + 1;
        line.newLine = op.b + 1;
        line.text = op.a >= 0 ? a.at(op.a) : b.at(op.b);
        out.append(line);
    }
    return out;
}

QList<DiffLine> diff(const QString &a, const QString &b)
{
    return diffLines(splitLines(a), splitLines(b));
}

int changedLineCount(const QList<DiffLine> &lines)
{
    return int(std::count_if(lines.cbegin(), lines.cend(), [](const DiffLine &line) {
        return line.kind != DiffLine::Kind::Equal;
    }));
}

QList<DiffHunk> hunks(const QList<DiffLine> &lines, int context)
{
    context = std::max(0, context);
    QList<DiffHunk> out;
    const qsizetype n = lines.size();
    qsizetype i = 0;
    int oldBefore = 0; // old/new lines before index i
    int newBefore = 0;
    auto advance = [&](qsizetype to) {
        for (; i < to; ++i) {
            if (lines.at(i).kind != DiffLine::Kind::Added)
                ++oldBefore;
            if (lines.at(i).kind != DiffLine::Kind::Removed)
                ++newBefore;
        }
    };

    while (true) {
        qsizetype firstChange = i;
        while (firstChange < n && lines.at(firstChange).kind == DiffLine::Kind::Equal)
            ++firstChange;
        if (firstChange >= n)
            break;
        advance(std::max(i, firstChange - context));

        // Extend over changes separated by at most 2 * context equal lines.
        qsizetype end = firstChange;
        while (true) {
            while (end < n && lines.at(end).kind != DiffLine::Kind::Equal)
                ++end;
            qsizetype next = end;
            while (next < n && lines.at(next).kind == DiffLine::Kind::Equal)
                ++next;
            if (next < n && next - end <= 2 * context) {
                end = next;
                continue;
            }
            end = std::min(n, end + context);
            break;
        }

        DiffHunk hunk;
        hunk.lines = lines.mid(i, end - i);
        for (const DiffLine &line : std::as_const(hunk.lines)) {
            if (line.kind != DiffLine::Kind::Added)
                ++hunk.oldCount;
            if (line.kind != DiffLine::Kind::Removed)
                ++hunk.newCount;
        }
        hunk.oldStart = hunk.oldCount > 0 ? oldBefore + 1 : oldBefore;
        hunk.newStart = hunk.newCount > 0 ? newBefore + 1 : newBefore;
        out.append(hunk);
        advance(end);
    }
    return out;
}

} // namespace LineDiff

QString unifiedDiff(const QString &a, const QString &b, const QString &labelA,
                    const QString &labelB, int context)
{
    const QList<DiffHunk> hunks = LineDiff::hunks(LineDiff::diff(a, b), context);
    if (hunks.isEmpty())
        return {};

    // GNU diff leaves out a count of 1; patch(1) and every viewer accept both.
    auto range = [](int start, int count) {
        return count == 1 ? QString::number(start) : QStringLiteral("%1,%2").arg(start).arg(count);
    };
    QString out;
    out += QStringLiteral("--- %1\n+++ %2\n").arg(labelA, labelB);
    for (const DiffHunk &hunk : hunks) {
        out += QStringLiteral("@@ -%1 +%2 @@\n")
                   .arg(range(hunk.oldStart, hunk.oldCount), range(hunk.newStart, hunk.newCount));
        for (const DiffLine &line : hunk.lines) {
            switch (line.kind) {
            case DiffLine::Kind::Equal:
                out += u' ';
                break;
            case DiffLine::Kind::Removed:
                out += u'-';
                break;
            case DiffLine::Kind::Added:
                out += u'+';
                break;
            }
            out += line.text;
            out += u'\n';
        }
    }
    return out;
}

} // namespace torchlab
