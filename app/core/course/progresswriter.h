#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace torchlab {

// Saves the learner's code with ProgressStore::saveCode on a thread of its
// own, so that the durable write (fsync of the file and of its folder, and a
// wait for another writer's lock) never holds up the caller's thread, the
// lab window's. Saves run one at a time in the order they were asked for.
// finished() comes back on the creating thread's event loop. flush() waits
// for every queued save; the destructor does too, so ending the lab right
// after an edit still writes it. Create and use on one thread.
class ProgressWriter : public QObject
{
    Q_OBJECT
public:
    // `root`: as ProgressStore's.
    explicit ProgressWriter(const QString &root = QString(), QObject *parent = nullptr);
    ~ProgressWriter() override;

    // Queues ProgressStore::saveCode(...) and returns at once.
    void saveCode(const QString &packId, const QString &lessonId, const QString &fileName,
                  const QString &text, const QString &starterHash);
    // Returns once every save queued so far has ended.
    void flush();
    // How long the writer waits for another writer's lock (ms).
    void setLockTimeout(int ms);

Q_SIGNALS:
    // One per saveCode(); `error` (translated) is empty when it was saved.
    void finished(const QString &packId, const QString &lessonId, const QString &fileName, bool ok,
                  const QString &error);

private:
    struct Job
    {
        QString packId, lessonId, fileName, text, starterHash;
    };
    void run();

    const QString m_root;
    std::mutex m_mutex;
    std::condition_variable m_wake; // a job or the stop request arrived
    std::condition_variable m_idle; // the queue ran empty
    std::deque<Job> m_jobs;
    bool m_busy = false; // a job is being written
    bool m_stop = false;
    int m_lockTimeoutMs = 10000;
    std::thread m_thread; // last: started once the rest exists
};

} // namespace torchlab
