#pragma once

#include "core/metrics/labevent.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

// Every lab::check report of one run, summed up per name for grading, with the
// first reports kept in order for display and --json.
struct CheckTally
{
    QString name;
    qint64 reports = 0;
    qint64 failures = 0;
    qint64 skips = 0; // reports that said the check cannot run here (lab::skip)
    // Distinct messages (at most MaxMessages in all): those a failing report
    // gave, then those only passing (or skipping) reports gave.
    QStringList failingMessages;
    QStringList passingMessages;
    QStringList messages() const { return failingMessages + passingMessages; }
    bool passed() const { return reports > skips && failures == 0; }
    // Every report was a skip: the check could not run here.
    bool skipped() const { return reports > 0 && skips == reports; }
    // Adds a message as add() does (false when there was no room for a new one).
    bool note(const QString &message, bool failing);

    static constexpr int MaxMessages = 8;
};

// Bounded whatever the program sends (a lab::check inside a training loop, a
// million distinct names): at most MaxEvents reports kept in order, at most
// MaxNames names tallied, and at most MaxTextChars characters of names and
// messages held in all (each message cut to MaxMessageChars). Reports past the
// bounds are counted. A report of a name already tallied always counts for
// grading, so a check that fails on its millionth report still fails.
// Not thread-safe.
class CheckLog
{
public:
    static constexpr qsizetype MaxEvents = 10'000;
    static constexpr qsizetype MaxNames = 10'000;
    static constexpr qsizetype MaxMessageChars = 1'000;
    static constexpr qsizetype MaxTextChars = 2'000'000; // 4 MB of UTF-16

    void add(const LabEvent &check);    // ignores events that are not checks
    void addAll(const CheckLog &other); // another rank's reports, after this run's

    const QList<LabEvent> &events() const { return m_events; } // the first MaxEvents, in order
    const CheckTally *tally(const QString &name) const;
    const QList<CheckTally> &tallies() const { return m_tallies; } // in order of first report
    qint64 received() const { return m_received; }
    qint64 eventsDropped() const { return m_received - m_events.size(); } // not in events()
    qint64 untallied() const { return m_untallied; } // reports of names past the bounds
    bool isEmpty() const { return m_received == 0; }
    void clear();

    // Rebuilds a log from its parts (the JSON form): the bounds apply as in add().
    static CheckLog fromParts(const QList<LabEvent> &events, const QList<CheckTally> &tallies,
                              qint64 received, qint64 untallied);

private:
    CheckTally *tallyFor(const QString &name);
    void noteMessage(CheckTally &tally, const QString &message, bool failing);
    bool spend(qsizetype chars);

    QList<LabEvent> m_events;
    QList<CheckTally> m_tallies;
    QHash<QString, qsizetype> m_index;
    qint64 m_received = 0;
    qint64 m_untallied = 0;
    qsizetype m_textChars = 0;
};

// A bounded list of short texts (lab::note lines): at most `maxItems`, each cut
// to `maxChars`; the rest is counted.
class BoundedTextList
{
public:
    explicit BoundedTextList(qsizetype maxItems = 1'000, qsizetype maxChars = 4'000)
        : m_maxItems(maxItems), m_maxChars(maxChars)
    {
    }
    bool add(const QString &text); // false: dropped (counted)
    const QStringList &items() const { return m_items; }
    qint64 dropped() const { return m_dropped; }
    void clear();

private:
    QStringList m_items;
    qsizetype m_maxItems;
    qsizetype m_maxChars;
    qint64 m_dropped = 0;
};

// Cuts `text` to `maxChars`, marking the cut with an ellipsis.
QString cutText(const QString &text, qsizetype maxChars);

} // namespace torchlab
