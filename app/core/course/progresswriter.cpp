#include "core/course/progresswriter.h"

#include "core/course/progressstore.h"

#include <QMetaObject>
#include <QPointer>

namespace torchlab {

ProgressWriter::ProgressWriter(const QString &root, QObject *parent)
    : QObject(parent), m_root(root), m_thread([this] { run(); })
{
}

ProgressWriter::~ProgressWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true; // the thread drains the queue first
    }
    m_wake.notify_all();
    m_thread.join();
}

void ProgressWriter::saveCode(const QString &packId, const QString &lessonId,
                              const QString &fileName, const QString &text,
                              const QString &starterHash)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back({packId, lessonId, fileName, text, starterHash});
    }
    m_wake.notify_one();
}

void ProgressWriter::flush()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_jobs.empty() && !m_busy; });
}

void ProgressWriter::setLockTimeout(int ms)
{
    std::lock_guard lock(m_mutex);
    m_lockTimeoutMs = ms;
}

void ProgressWriter::run()
{
    // A store of this thread's own: stores share a root safely (each update
    // holds the lesson's lock).
    ProgressStore store(m_root);
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
        if (m_jobs.empty()) {
            m_idle.notify_all();
            if (m_stop)
                return;
            continue;
        }
        const Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_busy = true;
        store.setLockTimeout(m_lockTimeoutMs);
        lock.unlock();
        const bool ok =
            store.saveCode(job.packId, job.lessonId, job.fileName, job.text, job.starterHash);
        const QString error = ok ? QString() : store.lastError();
        // Delivered on this object's thread; dropped if it is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, job, ok, error] {
                Q_EMIT finished(job.packId, job.lessonId, job.fileName, ok, error);
            },
            Qt::QueuedConnection);
        lock.lock();
        m_busy = false;
        if (m_jobs.empty())
            m_idle.notify_all();
    }
}

} // namespace torchlab
