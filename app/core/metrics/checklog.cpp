#include "core/metrics/checklog.h"

#include <algorithm>

namespace torchlab {

QString cutText(const QString &text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return text;
    return text.left(std::max<qsizetype>(0, maxChars - 1)) + QChar(0x2026);
}

bool CheckLog::spend(qsizetype chars)
{
    if (m_textChars + chars > MaxTextChars)
        return false;
    m_textChars += chars;
    return true;
}

CheckTally *CheckLog::tallyFor(const QString &name)
{
    if (const auto it = m_index.constFind(name); it != m_index.constEnd())
        return &m_tallies[*it];
    if (m_tallies.size() >= MaxNames || !spend(name.size()))
        return nullptr;
    m_index.insert(name, m_tallies.size());
    m_tallies.append(CheckTally{name, 0, 0, 0, {}, {}});
    return &m_tallies.last();
}

bool CheckTally::note(const QString &message, bool failing)
{
    if (failingMessages.contains(message))
        return true;
    if (const qsizetype at = passingMessages.indexOf(message); at >= 0) {
        if (failing)
            failingMessages.append(passingMessages.takeAt(at));
        return true;
    }
    if (failingMessages.size() + passingMessages.size() >= MaxMessages)
        return false;
    (failing ? failingMessages : passingMessages).append(message);
    return true;
}

void CheckLog::add(const LabEvent &check)
{
    if (check.type != LabEvent::Type::Check)
        return;
    ++m_received;
    const QString message = cutText(check.message, MaxMessageChars);
    if (CheckTally *t = tallyFor(check.name)) {
        const bool failing = !check.ok && !check.skipped;
        ++t->reports;
        if (failing)
            ++t->failures;
        if (check.skipped)
            ++t->skips;
        if (!message.isEmpty())
            noteMessage(*t, message, failing);
    } else {
        ++m_untallied;
    }
    if (m_events.size() < MaxEvents && spend(check.name.size() + message.size())) {
        LabEvent kept = check;
        kept.message = message;
        m_events.append(std::move(kept));
    }
}

void CheckLog::noteMessage(CheckTally &tally, const QString &message, bool failing)
{
    // Known messages cost nothing; a new one needs room in the text budget.
    const bool known =
        tally.failingMessages.contains(message) || tally.passingMessages.contains(message);
    if (known ||
        (tally.failingMessages.size() + tally.passingMessages.size() < CheckTally::MaxMessages &&
         spend(message.size())))
        tally.note(message, failing);
}

void CheckLog::addAll(const CheckLog &other)
{
    for (const CheckTally &t : other.m_tallies) {
        CheckTally *mine = tallyFor(t.name);
        if (!mine) {
            m_untallied += t.reports;
            continue;
        }
        mine->reports += t.reports;
        mine->failures += t.failures;
        mine->skips += t.skips;
        for (const QString &message : t.failingMessages)
            noteMessage(*mine, message, true);
        for (const QString &message : t.passingMessages)
            noteMessage(*mine, message, false);
    }
    m_received += other.m_received;
    m_untallied += other.m_untallied;
    for (const LabEvent &e : other.m_events) {
        if (m_events.size() >= MaxEvents || !spend(e.name.size() + e.message.size()))
            break;
        m_events.append(e);
    }
}

const CheckTally *CheckLog::tally(const QString &name) const
{
    const auto it = m_index.constFind(name);
    return it == m_index.constEnd() ? nullptr : &m_tallies[*it];
}

CheckLog CheckLog::fromParts(const QList<LabEvent> &events, const QList<CheckTally> &tallies,
                             qint64 received, qint64 untallied)
{
    CheckLog log;
    for (const CheckTally &t : tallies) {
        CheckTally *mine = log.tallyFor(t.name);
        if (!mine) {
            log.m_untallied += t.reports;
            continue;
        }
        mine->reports = std::max<qint64>(0, t.reports);
        mine->failures = std::clamp<qint64>(t.failures, 0, mine->reports);
        mine->skips = std::clamp<qint64>(t.skips, 0, mine->reports - mine->failures);
        for (const QString &message : t.failingMessages)
            log.noteMessage(*mine, cutText(message, MaxMessageChars), true);
        for (const QString &message : t.passingMessages)
            log.noteMessage(*mine, cutText(message, MaxMessageChars), false);
    }
    for (const LabEvent &e : events) {
        if (e.type != LabEvent::Type::Check || log.m_events.size() >= MaxEvents)
            break;
        LabEvent kept = e;
        kept.message = cutText(e.message, MaxMessageChars);
        if (!log.spend(kept.name.size() + kept.message.size()))
            break;
        log.m_events.append(std::move(kept));
    }
    log.m_received = std::max<qint64>({received, qint64(log.m_events.size()), 0});
    log.m_untallied += std::max<qint64>(0, untallied);
    return log;
}

void CheckLog::clear()
{
    *this = CheckLog();
}

bool BoundedTextList::add(const QString &text)
{
    if (m_items.size() >= m_maxItems) {
        ++m_dropped;
        return false;
    }
    m_items.append(cutText(text, m_maxChars));
    return true;
}

void BoundedTextList::clear()
{
    m_items.clear();
    m_dropped = 0;
}

} // namespace torchlab
