#include "core/course/progressstore.h"

#include "core/util/durablefile.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchlab {

namespace {

constexpr int kSchema = 1;

QString tr(const char *text)
{
    return QCoreApplication::translate("torchlab::ProgressStore", text);
}

// File names from ids: every byte outside [A-Za-z0-9._-] becomes %XX, and so
// does a leading '.', so no id can name "..", a hidden file or another folder.
// The empty id becomes "%" and a name that would be too long for the file
// system keeps a readable prefix plus "%~" and a hash of the whole id; neither
// form can come out of the plain encoding, so distinct ids get distinct names.
QString encodeId(const QString &id)
{
    if (id.isEmpty())
        return QStringLiteral("%");
    const QByteArray utf8 = id.toUtf8();
    QString out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const uchar c = uchar(utf8[i]);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || (c == '.' && i > 0);
        if (plain)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("%%1").arg(uint(c), 2, 16, QLatin1Char('0')).toUpper();
    }
    constexpr int kMaxName = 160; // + ".json.damaged" stays far below NAME_MAX (255)
    if (out.size() > kMaxName)
        out = out.left(150) + QStringLiteral("%~") +
              QString::fromLatin1(
                  QCryptographicHash::hash(utf8, QCryptographicHash::Sha256).toHex().left(16));
    return out;
}

QString dateText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime dateFrom(const QJsonValue &v)
{
    if (!v.isString())
        return QDateTime();
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

QJsonObject mapToJson(const QMap<QString, QString> &map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QByteArray payloadHash(QJsonObject o)
{
    o.remove(QStringLiteral("sha256"));
    // QJsonObject keeps its keys sorted, so the compact form is canonical.
    return QCryptographicHash::hash(QJsonDocument(o).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256)
        .toHex();
}

QByteArray serialize(const LessonProgress &p)
{
    QJsonObject o{{QStringLiteral("schema"), kSchema},
                  {QStringLiteral("pack"), p.packId},
                  {QStringLiteral("lesson"), p.lessonId},
                  {QStringLiteral("status"), lessonStatusName(p.status)},
                  {QStringLiteral("code"), mapToJson(p.code)},
                  {QStringLiteral("starter_hash"), mapToJson(p.starterHash)},
                  {QStringLiteral("attempts"), p.attempts},
                  {QStringLiteral("failed_attempts"), p.failedAttempts},
                  {QStringLiteral("hints_revealed"), p.hintsRevealed},
                  {QStringLiteral("first_opened"), dateText(p.firstOpened)},
                  {QStringLiteral("last_edited"), dateText(p.lastEdited)},
                  {QStringLiteral("passed_at"), dateText(p.passedAt)}};
    o.insert(QStringLiteral("sha256"), QString::fromLatin1(payloadHash(o)));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

// The record in `data`, or nullopt when it is not a complete file this
// version wrote: bad JSON, a checksum that does not match, an unknown schema.
std::optional<LessonProgress> parse(const QByteArray &data)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("sha256")).toString().toLatin1() != payloadHash(o))
        return std::nullopt;
    if (o.value(QStringLiteral("schema")).toInt() != kSchema)
        return std::nullopt;
    LessonProgress p;
    p.packId = o.value(QStringLiteral("pack")).toString();
    p.lessonId = o.value(QStringLiteral("lesson")).toString();
    const auto status = lessonStatusFromName(o.value(QStringLiteral("status")).toString());
    if (!status)
        return std::nullopt;
    p.status = *status;
    const QJsonObject code = o.value(QStringLiteral("code")).toObject();
    for (auto it = code.constBegin(); it != code.constEnd(); ++it)
        p.code.insert(it.key(), it.value().toString());
    const QJsonObject hashes = o.value(QStringLiteral("starter_hash")).toObject();
    for (auto it = hashes.constBegin(); it != hashes.constEnd(); ++it)
        p.starterHash.insert(it.key(), it.value().toString());
    p.attempts = std::max(0, o.value(QStringLiteral("attempts")).toInt());
    p.failedAttempts = std::max(0, o.value(QStringLiteral("failed_attempts")).toInt());
    p.hintsRevealed = std::max(0, o.value(QStringLiteral("hints_revealed")).toInt());
    p.firstOpened = dateFrom(o.value(QStringLiteral("first_opened")));
    p.lastEdited = dateFrom(o.value(QStringLiteral("last_edited")));
    p.passedAt = dateFrom(o.value(QStringLiteral("passed_at")));
    return p;
}

// Records are a few KiB; anything past 64 MiB is not one of ours.
constexpr qint64 kMaxFileBytes = 64LL << 20;

std::optional<LessonProgress> readRecord(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || f.size() > kMaxFileBytes)
        return std::nullopt;
    return parse(f.readAll());
}

enum class OnDisk
{
    Missing,
    Good,
    Damaged
};

struct Examined
{
    OnDisk state = OnDisk::Missing;
    QByteArray data;                      // the file's bytes when Good
    std::optional<LessonProgress> record; // set when Good
};

Examined examine(const QString &path)
{
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {errno == ENOENT ? OnDisk::Missing : OnDisk::Damaged, {}, std::nullopt};
    if (!S_ISREG(st.st_mode)) // a folder or a link in the way is no record of ours
        return {OnDisk::Damaged, {}, std::nullopt};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || f.size() > kMaxFileBytes)
        return {OnDisk::Damaged, {}, std::nullopt};
    Examined e;
    e.data = f.readAll();
    e.record = parse(e.data);
    e.state = e.record ? OnDisk::Good : OnDisk::Damaged;
    return e;
}

// A temporary's name no other writer uses: <file>.tmp-<pid>-<random>.
QByteArray temporaryName(const QByteArray &nativePath)
{
    return nativePath + ".tmp-" + QByteArray::number(qint64(::getpid())) + '-' +
           QByteArray::number(QRandomGenerator::global()->generate64(), 16);
}

// Temporaries a killed writer left beside `path` (<file>.tmp*, <file>.bak.tmp*).
// Only called under the lesson's lock: no live writer has one open then.
void removeStrayTemporaries(const QString &path)
{
    const QFileInfo info(path);
    QDir folder(info.absolutePath());
    const QStringList stray = folder.entryList(
        {info.fileName() + QStringLiteral(".tmp*"), info.fileName() + QStringLiteral(".bak.tmp*")},
        QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : stray)
        folder.remove(name);
}

} // namespace

// The lock of one lesson's record, held by one store for a load-change-save:
// flock() on <file>.lock. The kernel drops it when its holder exits or is
// killed, so a lock is never stale and a live holder's is never taken over
// (a lock file with a process id, as QLockFile keeps, can be left empty by a
// kill at the wrong moment, and then nothing tells whether it is stale). The
// file itself stays: removing it would let two writers lock two files.
class ProgressStore::LessonLock
{
public:
    explicit LessonLock(ProgressStore *store) : m_store(store) {}
    ~LessonLock()
    {
        if (m_fd >= 0) {
            m_store->m_lockedPath.clear();
            ::close(m_fd); // releases the lock
        }
    }
    // errno-style result: 0, EWOULDBLOCK when still held after `timeoutMs`.
    int acquire(const QString &path, int timeoutMs)
    {
        const QByteArray lockPath = QFile::encodeName(path + QStringLiteral(".lock"));
        m_fd = ::open(lockPath.constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (m_fd < 0)
            return errno;
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0)
                break;
            const int error = errno;
            if (error == EINTR)
                continue;
            if (error != EWOULDBLOCK || clock.elapsed() >= timeoutMs) {
                ::close(m_fd);
                m_fd = -1;
                return error;
            }
            ::usleep(2000);
        }
        m_store->m_lockedPath = path;
        return 0;
    }

private:
    ProgressStore *m_store;
    int m_fd = -1;
};

std::unique_ptr<ProgressStore::LessonLock> ProgressStore::lockLesson(const QString &path)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QFileInfo(folder).isDir()) {
        if (!QDir().mkpath(folder)) {
            m_lastError = tr("Could not save your work: cannot create the folder %1.").arg(folder);
            return nullptr;
        }
        // The new folder's own entry must survive a power cut too.
        int error = 0;
        if (!durable::syncFolder(QFile::encodeName(QFileInfo(folder).absolutePath()), &error)) {
            m_lastError = tr("Could not save your work to %1: %2 (%3).")
                              .arg(path, tr("cannot flush the folder"), durable::errorText(error));
            return nullptr;
        }
    }
    auto lock = std::make_unique<LessonLock>(this);
    if (const int error = lock->acquire(path, m_lockTimeoutMs); error == EWOULDBLOCK) {
        m_lastError = tr("Could not save your work to %1: another TorchLab is saving it and did "
                         "not finish in time.")
                          .arg(path);
        return nullptr;
    } else if (error != 0) {
        m_lastError = tr("Could not save your work to %1: %2 (%3).")
                          .arg(path, tr("cannot lock the file"), durable::errorText(error));
        return nullptr;
    }
    return lock;
}

QString lessonStatusName(LessonStatus status)
{
    switch (status) {
    case LessonStatus::NotStarted:
        return QStringLiteral("not_started");
    case LessonStatus::InProgress:
        return QStringLiteral("in_progress");
    case LessonStatus::Passed:
        return QStringLiteral("passed");
    }
    return QString();
}

std::optional<LessonStatus> lessonStatusFromName(const QString &name)
{
    for (LessonStatus s :
         {LessonStatus::NotStarted, LessonStatus::InProgress, LessonStatus::Passed})
        if (lessonStatusName(s) == name)
            return s;
    return std::nullopt;
}

ProgressStore::ProgressStore(const QString &root)
    : m_root(root.isEmpty() ? LabPaths::dataDir() + QStringLiteral("/progress")
                            : QDir::cleanPath(root))
{
}

QString ProgressStore::filePath(const QString &packId, const QString &lessonId) const
{
    return m_root + QLatin1Char('/') + encodeId(packId) + QLatin1Char('/') + encodeId(lessonId) +
           QStringLiteral(".json");
}

QString ProgressStore::sha256Hex(const QString &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

LessonProgress ProgressStore::load(const QString &packId, const QString &lessonId)
{
    m_lastError.clear();
    m_recoveredFrom.clear();
    const QString path = filePath(packId, lessonId);
    const QString bak = path + QStringLiteral(".bak");

    LessonProgress empty;
    empty.packId = packId;
    empty.lessonId = lessonId;
    auto withIds = [&](LessonProgress p) {
        p.packId = packId;
        p.lessonId = lessonId;
        return p;
    };

    const Examined mainFile = examine(path);
    const OnDisk main = mainFile.state;
    if (main == OnDisk::Good)
        return withIds(*mainFile.record);
    const Examined backupFile = examine(bak);
    const OnDisk backup = backupFile.state;
    if (main == OnDisk::Missing && backup == OnDisk::Missing)
        return empty;
    if (backup == OnDisk::Good) {
        m_recoveredFrom = bak;
        m_lastError =
            main == OnDisk::Missing
                ? tr("The saved work in %1 was missing; the previous save was restored.").arg(path)
                : tr("The saved work in %1 was damaged; the previous save was restored.").arg(path);
        return withIds(*backupFile.record);
    }
    // Nothing usable. The damaged file stays where it is until the next save
    // moves it aside (as .damaged), so it can still be inspected.
    m_recoveredFrom = path;
    m_lastError =
        tr("The saved work in %1 was damaged and no backup could be read; the lesson starts "
           "from its starter code.")
            .arg(path);
    return empty;
}

QHash<QString, LessonProgress> ProgressStore::loadPack(const QString &packId)
{
    QHash<QString, LessonProgress> out;
    const QString folder = m_root + QLatin1Char('/') + encodeId(packId);
    const QStringList names =
        QDir(folder).entryList({QStringLiteral("*.json")}, QDir::Files | QDir::Hidden);
    QString lastError, recovered;
    for (const QString &name : names) {
        // The id is in the record (file names of long ids are hashed); the
        // backup names it when the main file is damaged.
        const QString path = folder + QLatin1Char('/') + name;
        std::optional<LessonProgress> record = readRecord(path);
        if (!record)
            record = readRecord(path + QStringLiteral(".bak"));
        if (!record || filePath(packId, record->lessonId) != path)
            continue; // damaged beyond reading, or not one of ours
        const QString lessonId = record->lessonId;
        out.insert(lessonId, load(packId, lessonId));
        if (!m_lastError.isEmpty()) {
            lastError = m_lastError;
            recovered = m_recoveredFrom;
        }
    }
    m_lastError = lastError;
    m_recoveredFrom = recovered;
    return out;
}

// Why not QSaveFile: it ignores the result of fsync() and never fsyncs the
// folder after its rename (docs/reliability.md rows 24-25), so after a power cut the rename may be
// lost or the new name may point at a file whose data never reached the disk.
// Everything happens under the lesson's lock (<file>.lock, QLockFile), so two
// labs or a lab and torchlab-cli never interleave; temporaries have names of
// their own and those a killed writer left are removed.
// Here every step that can fail is checked, in this order:
//   1. write the new content to <file>.tmp-<unique> in the same folder and fsync it;
//   2. if the current <file> is a good record, copy it to <file>.bak (via
//      <file>.bak.tmp-<unique>, fsync and a rename, so .bak is always complete); a
//      damaged <file> never replaces a good backup and is kept as .damaged;
//   3. rename <file>.tmp over <file> (atomic: readers see old or new);
//   4. fsync the folder so the renames themselves are on disk.
// A kill between any two steps leaves <file> old or new and never torn; a
// failure in 1 or 3 removes the temporary and leaves <file> as it was.
bool ProgressStore::save(const LessonProgress &progress)
{
    m_lastError.clear();
    const QString path = filePath(progress.packId, progress.lessonId);
    const QString folder = QFileInfo(path).absolutePath();
    const QByteArray nativePath = QFile::encodeName(path);
    const QByteArray nativeTmp = temporaryName(nativePath);
    const QByteArray nativeFolder = QFile::encodeName(folder);
    int error = 0;
    auto fail = [this, &path](const QString &what, int err) {
        m_lastError =
            tr("Could not save your work to %1: %2 (%3).").arg(path, what, durable::errorText(err));
        return false;
    };

    std::unique_ptr<LessonLock> lock; // none when an update of this store holds it
    if (m_lockedPath != path) {
        lock = lockLesson(path); // creates the folder, durably
        if (!lock)
            return false;
    }
    removeStrayTemporaries(path);

    if (!durable::writeNewFile(nativeTmp, serialize(progress), &error))
        return fail(tr("the new data could not be written to disk"), error);

    const Examined current = examine(path);
    switch (current.state) {
    case OnDisk::Good: {
        // A copy, not a hard link: damage done in place to <file> later (an
        // editor, a bad block) must not reach its backup through a shared inode.
        // Best effort: a backup that cannot be written keeps the older one and
        // never stops the learner's newest work from being saved.
        const QByteArray bak = nativePath + ".bak";
        const QByteArray bakTmp = temporaryName(bak);
        int ignored = 0;
        if (durable::writeNewFile(bakTmp, current.data, &ignored) &&
            ::rename(bakTmp.constData(), bak.constData()) != 0)
            ::unlink(bakTmp.constData());
        break;
    }
    case OnDisk::Damaged:
        if (QFileInfo(path).isFile()) {
            const QByteArray damaged = nativePath + ".damaged";
            ::unlink(damaged.constData());
            // Best effort, for inspection: saving goes on without it.
            [[maybe_unused]] const int linked = ::link(nativePath.constData(), damaged.constData());
        }
        break;
    case OnDisk::Missing:
        break;
    }

    if (::rename(nativeTmp.constData(), nativePath.constData()) != 0) {
        error = errno;
        ::unlink(nativeTmp.constData());
        return fail(tr("cannot replace the previous file"), error);
    }
    if (!durable::syncFolder(nativeFolder, &error))
        return fail(tr("cannot flush the folder"), error);
    return true;
}

bool ProgressStore::saveCode(const QString &packId, const QString &lessonId,
                             const QString &fileName, const QString &text,
                             const QString &starterHash)
{
    const auto lock = lockLesson(filePath(packId, lessonId)); // load, change, save as one
    if (!lock)
        return false;
    LessonProgress p = load(packId, lessonId);
    p.code[fileName] = text;
    if (!starterHash.isEmpty() && p.starterHash.value(fileName).isEmpty())
        p.starterHash.insert(fileName, starterHash);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    p.lastEdited = now;
    if (!p.firstOpened.isValid())
        p.firstOpened = now;
    if (p.status == LessonStatus::NotStarted)
        p.status = LessonStatus::InProgress;
    return save(p);
}

bool ProgressStore::recordCheck(const QString &packId, const QString &lessonId, bool passed)
{
    const auto lock = lockLesson(filePath(packId, lessonId)); // load, change, save as one
    if (!lock)
        return false;
    LessonProgress p = load(packId, lessonId);
    ++p.attempts;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!p.firstOpened.isValid())
        p.firstOpened = now;
    if (passed) {
        p.status = LessonStatus::Passed;
        if (!p.passedAt.isValid())
            p.passedAt = now;
    } else {
        ++p.failedAttempts;
        if (p.status == LessonStatus::NotStarted)
            p.status = LessonStatus::InProgress;
    }
    return save(p);
}

bool ProgressStore::recordHint(const QString &packId, const QString &lessonId, int hintsRevealed)
{
    const auto lock = lockLesson(filePath(packId, lessonId)); // load, change, save as one
    if (!lock)
        return false;
    LessonProgress p = load(packId, lessonId);
    if (hintsRevealed <= p.hintsRevealed && m_recoveredFrom.isEmpty())
        return true;
    p.hintsRevealed = std::max(p.hintsRevealed, hintsRevealed);
    return save(p);
}

bool ProgressStore::markOpened(const QString &packId, const QString &lessonId)
{
    const auto lock = lockLesson(filePath(packId, lessonId)); // load, change, save as one
    if (!lock)
        return false;
    LessonProgress p = load(packId, lessonId);
    if (p.firstOpened.isValid() && m_recoveredFrom.isEmpty())
        return true;
    if (!p.firstOpened.isValid())
        p.firstOpened = QDateTime::currentDateTimeUtc();
    return save(p);
}

bool ProgressStore::clearCode(const QString &packId, const QString &lessonId)
{
    const auto lock = lockLesson(filePath(packId, lessonId)); // load, change, save as one
    if (!lock)
        return false;
    LessonProgress p = load(packId, lessonId);
    p.code.clear();
    p.starterHash.clear();
    return save(p);
}

} // namespace torchlab
