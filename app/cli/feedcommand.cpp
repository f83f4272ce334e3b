#include "cli/feedcommand.h"

#include "core/course/packloader.h"
#include "core/packs/feedclient.h"
#include "core/packs/feedpublisher.h"
#include "core/packs/keyrotation.h"
#include "core/packs/packarchive.h"
#include "core/packs/packinstaller.h"
#include "core/packs/truststore.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimeZone>

namespace torchlab::cli {

const char kPackTrustUsage[] =
    "  sign FILE --key SECRET_KEY      sign a built pack archive with minisign; the signed trusted "
    "comment\n"
    "                                  carries \"pack <id> <version>\" (writes FILE.minisig)\n"
    "  install FILE [--signature FILE.minisig] --trust PUBKEY_OR_FILE\n"
    "                                  verify and install a pack archive (students)\n"
    "  list [--json]                   installed packs: id, version, source, key\n"
    "  remove ID                       uninstall a pack (the learner's code and progress stay)\n"
    "  forget ID                       drop a removed pack's trusted key and version floor, so\n"
    "                                  that any key and any version may install it again\n"
    "  trust [--restore-backup]        check trust.json and installed.json (and their checked\n"
    "                                  backups); put the backup back in place of a damaged file\n";

const char kFeedUsage[] =
    "usage: torchlab-cli feed <subcommand> [options]\n"
    "\n"
    "  publish DIR_OF_ARCHIVES -o FEED_DIR [--days N] [--pack-key PUBKEY_OR_FILE]\n"
    "                                  copy signed archives into FEED_DIR and write its "
    "index.json\n"
    "                                  (--pack-key: the archives are signed with that key)\n"
    "  sign FEED_DIR --key SECRET_KEY  sign FEED_DIR/index.json with minisign "
    "(index.json.minisig)\n"
    "  rotate-key FEED_DIR --role index|packs --key OLD_SECRET_KEY --new-key PUBKEY_OR_FILE\n"
    "                                  write and sign FEED_DIR/key-rotation-ROLE.json, which\n"
    "                                  moves students from the old key to the new one\n"
    "  subscribe URL --trust PUBKEY_OR_FILE\n"
    "                                  follow a feed and install its packs (students)\n"
    "  update                          install newer versions from every subscribed feed\n"
    "  list                            subscribed feeds\n"
    "\n"
    "Files live under $XDG_DATA_HOME/torchlab/packs; see docs/instructors.md.\n";

namespace {

struct Parsed
{
    bool ok = false;
    int exitCode = 2;
};

// Shared QCommandLineParser boilerplate; ok=false means: return exitCode now.
Parsed parse(QCommandLineParser &parser, const QString &name, const QStringList &arguments,
             int positional)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    parser.addHelpOption();
    QStringList args = arguments;
    args.prepend(QStringLiteral("torchlab-cli ") + name);
    if (!parser.parse(args)) {
        err << "torchlab-cli " << name << ": " << parser.errorText() << "\n";
        return {};
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return {false, 0};
    }
    if (positional >= 0 && parser.positionalArguments().size() != positional) {
        err << "torchlab-cli " << name << ": expected " << positional
            << " argument(s); see --help\n";
        return {};
    }
    return {true, 0};
}

std::optional<MinisignPublicKey> trustedKey(const QCommandLineParser &parser, const QString &name)
{
    QTextStream err(stderr);
    if (!parser.isSet(QStringLiteral("trust"))) {
        err << "torchlab-cli " << name
            << ": --trust PUBKEY_OR_FILE is required (the instructor's minisign "
            << "public key, \"RW...\" or a .pub file)\n";
        return std::nullopt;
    }
    QString error;
    auto key = MinisignPublicKey::fromTextOrFile(parser.value(QStringLiteral("trust")), &error);
    if (!key)
        err << "torchlab-cli " << name << ": " << error << "\n";
    return key;
}

// The message of a damaged trust.json or installed.json, printed once; true when both are fine.
bool stateFilesUsable(const QString &name)
{
    if (const Status health = PackInstaller().status(); !health) {
        QTextStream(stderr) << "torchlab-cli " << name << ": " << health.error() << "\n";
        return false;
    }
    return true;
}

// minisign with an argument list (never a shell); the terminal stays attached
// so that minisign can ask for the secret key's password.
int runMinisign(const QStringList &arguments)
{
    QTextStream err(stderr);
    const QString program = QStandardPaths::findExecutable(QStringLiteral("minisign"));
    if (program.isEmpty()) {
        err << "torchlab-cli: minisign is not installed (Debian/Ubuntu: apt install minisign; "
               "macOS: brew install "
               "minisign)\n";
        return 1;
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.setInputChannelMode(QProcess::ForwardedInputChannel);
    p.start(program, arguments);
    if (!p.waitForStarted() || !p.waitForFinished(-1)) {
        err << "torchlab-cli: cannot run minisign: " << p.errorString() << "\n";
        return 1;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? 0 : 1;
}

int packSign(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sign a pack archive with minisign. Its id and version are read from the archive's "
        "pack.toml and put in "
        "the signed trusted comment (\"pack <id> <version>\"), which students' TorchLab checks."));
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("the archive (pack build output)"));
    parser.addOption({QStringLiteral("key"), QStringLiteral("minisign secret key file"),
                      QStringLiteral("file")});
    const Parsed p = parse(parser, QStringLiteral("pack sign"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    if (!parser.isSet(QStringLiteral("key"))) {
        err << "torchlab-cli pack sign: --key SECRET_KEY is required (made by minisign -G)\n";
        return 2;
    }
    const QString file = parser.positionalArguments().first();
    QTemporaryDir temp;
    const ExtractResult extracted = extractPackArchive(file, temp.filePath(QStringLiteral("pack")));
    if (!extracted.ok) {
        err << "torchlab-cli pack sign: " << file << ": " << extracted.error << "\n";
        return 1;
    }
    const PackLoadResult loaded = PackLoader::load(temp.filePath(QStringLiteral("pack")));
    if (!loaded.valid()) {
        err << "torchlab-cli pack sign: " << file
            << " is not a valid pack; run torchlab-cli pack validate on its "
            << "folder\n";
        return 1;
    }
    const QString comment = PackInstaller::packComment(loaded.pack.id, loaded.pack.version);
    if (!PackInstaller::parsePackComment(comment)) {
        err << "torchlab-cli pack sign: the pack's id or version cannot be signed: " << comment
            << "\n";
        return 1;
    }
    const int rc = runMinisign({QStringLiteral("-S"), QStringLiteral("-s"),
                                parser.value(QStringLiteral("key")), QStringLiteral("-m"), file,
                                QStringLiteral("-t"), comment});
    if (rc == 0)
        out << file << ".minisig: " << comment << "\n";
    return rc;
}

int packInstall(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Install a lesson pack archive after verifying its minisign signature with "
                       "the key you trust. A newer "
                       "version replaces the installed one; older versions are refused. Your code "
                       "and progress are kept."));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("the pack archive"));
    parser.addOption({QStringLiteral("signature"),
                      QStringLiteral("signature file (default FILE.minisig)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("trust"),
                      QStringLiteral("the author's public key: \"RW...\" or a .pub file"),
                      QStringLiteral("key")});
    const Parsed p = parse(parser, QStringLiteral("pack install"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    const auto key = trustedKey(parser, QStringLiteral("pack install"));
    if (!key)
        return 2;
    PackInstallRequest request;
    request.archive = parser.positionalArguments().first();
    request.signature = parser.value(QStringLiteral("signature"));
    request.key = *key;
    const PackInstallResult r = PackInstaller().install(request);
    if (!r.ok) {
        err << "torchlab-cli pack install: " << r.error << "\n";
        return 1;
    }
    out << "installed " << r.id << " " << r.version
        << (r.previousVersion.isEmpty() ? QString()
                                        : QStringLiteral(" (was %1)").arg(r.previousVersion))
        << " in " << r.directory << "\n";
    return 0;
}

int packList(const QStringList &arguments)
{
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List installed lesson packs."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    const Parsed p = parse(parser, QStringLiteral("pack list"), arguments, 0);
    if (!p.ok)
        return p.exitCode;
    if (!stateFilesUsable(QStringLiteral("pack list")))
        return 1;
    const QList<InstalledPack> packs = PackInstaller().installed();
    if (parser.isSet(json)) {
        QJsonArray list;
        for (const InstalledPack &pack : packs)
            list.append(
                QJsonObject{{QStringLiteral("id"), pack.id},
                            {QStringLiteral("version"), pack.version},
                            {QStringLiteral("source"), pack.source},
                            {QStringLiteral("key_id"), pack.keyId},
                            {QStringLiteral("directory"), PackInstaller().packDirectory(pack.id)}});
        out << QJsonDocument(list).toJson(QJsonDocument::Indented);
        return 0;
    }
    if (packs.isEmpty())
        out << "no packs installed\n";
    for (const InstalledPack &pack : packs)
        out << pack.id << "  " << pack.version << "  key " << pack.keyId << "  from " << pack.source
            << "\n";
    return 0;
}

int packRemove(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Uninstall a lesson pack. The learner's code and progress for it are kept."));
    parser.addPositionalArgument(QStringLiteral("id"),
                                 QStringLiteral("the pack id (see pack list)"));
    const Parsed p = parse(parser, QStringLiteral("pack remove"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    QString error;
    if (!PackInstaller().remove(parser.positionalArguments().first(), &error)) {
        err << "torchlab-cli pack remove: " << error << "\n";
        return 1;
    }
    out << "removed " << parser.positionalArguments().first() << "\n";
    return 0;
}

int packForget(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Forget the key a removed pack was trusted with and the highest version installed, "
        "so that any key and any version may install it again. The pack must be removed first."));
    parser.addPositionalArgument(QStringLiteral("id"),
                                 QStringLiteral("the pack id (see pack list)"));
    const Parsed p = parse(parser, QStringLiteral("pack forget"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    const QString id = parser.positionalArguments().first();
    if (!stateFilesUsable(QStringLiteral("pack forget")))
        return 1;
    if (PackInstaller().find(id)) {
        err << "torchlab-cli pack forget: " << id
            << " is installed; remove it first (torchlab-cli pack remove " << id << ").\n";
        return 1;
    }
    TrustStore trust;
    if (!trust.pack(id)) {
        err << "torchlab-cli pack forget: nothing is remembered about " << id << ".\n";
        return 1;
    }
    QString error;
    if (!trust.forgetPack(id, &error)) {
        err << "torchlab-cli pack forget: " << error << "\n";
        return 1;
    }
    out << "forgot " << id << ": the next install may use any key and any version\n";
    return 0;
}

// `pack trust`: the state of trust.json and installed.json, and the way back
// from a damaged one (docs/reliability.md row 31).
int packTrust(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check the files that hold the keys you trust (trust.json) and the installed packs "
        "(installed.json), and their checked backups. While one is damaged, TorchLab installs, "
        "updates and subscribes to nothing. --restore-backup puts a good backup back in place of "
        "a damaged or missing file (the damaged one is kept as FILE.damaged).\n"
        "Exit code: 0 all good, 1 damaged or not restored, 2 usage errors."));
    const QCommandLineOption restore(QStringLiteral("restore-backup"),
                                     QStringLiteral("Restore damaged files from their backups."));
    parser.addOption(restore);
    const Parsed p = parse(parser, QStringLiteral("pack trust"), arguments, 0);
    if (!p.ok)
        return p.exitCode;
    PackInstaller installer;
    TrustStore trust;
    const auto stateName = [](StateFile::State state) {
        switch (state) {
        case StateFile::State::Missing:
            return QStringLiteral("missing");
        case StateFile::State::Good:
            return QStringLiteral("good");
        case StateFile::State::Damaged:
            return QStringLiteral("DAMAGED");
        }
        return QString();
    };
    int rc = 0;
    const std::pair<const StateFile *, std::function<Status()>> files[] = {
        {&trust.file(), [&] { return trust.restoreBackup(); }},
        {&installer.registryFile(), [&] { return installer.restoreRegistryBackup(); }}};
    for (const auto &[file, restoreIt] : files) {
        StateFile::State state = file->state();
        const StateFile::State backup = file->backupState();
        const bool wanted = parser.isSet(restore) && state != StateFile::State::Good &&
                            backup == StateFile::State::Good;
        if (wanted) {
            if (const Status restored = restoreIt(); !restored) {
                err << "torchlab-cli pack trust: " << restored.error() << "\n";
                rc = 1;
            } else {
                out << "restored " << file->path() << " from " << file->backupPath() << "\n";
                state = file->state();
            }
        }
        out << file->path() << ": " << stateName(state) << ", backup " << stateName(backup) << "\n";
        if (state == StateFile::State::Damaged) {
            rc = 1;
            if (const Result<QJsonObject> read = file->read(); !read)
                err << read.error() << "\n";
            if (parser.isSet(restore) && backup != StateFile::State::Good)
                err << "torchlab-cli pack trust: no good backup of " << file->path()
                    << "; move the file away by hand (TorchLab then forgets what it recorded)\n";
        }
    }
    return rc;
}

int feedPublish(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write a feed folder: the signed pack archives of DIR (each with its "
                       ".minisig) and index.json listing id, "
                       "version, file, size and SHA-256. Then sign the index with torchlab-cli "
                       "feed sign and upload the folder. The index is issued now, or one second "
                       "after the index already in the feed folder when that one is not older, "
                       "so that students accept it as newer."));
    parser.addPositionalArgument(QStringLiteral("dir"),
                                 QStringLiteral("folder of signed pack archives"));
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("the feed folder"),
                      QStringLiteral("dir")});
    parser.addOption({QStringLiteral("days"),
                      QStringLiteral("days until the index expires (default 30, at most 90)"),
                      QStringLiteral("n"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("pack-key"),
                      QStringLiteral("the public key the archives are signed with, when it is not "
                                     "the key that signs the index"),
                      QStringLiteral("key")});
    const Parsed p = parse(parser, QStringLiteral("feed publish"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    std::optional<MinisignPublicKey> packKey;
    if (parser.isSet(QStringLiteral("pack-key"))) {
        QString error;
        packKey =
            MinisignPublicKey::fromTextOrFile(parser.value(QStringLiteral("pack-key")), &error);
        if (!packKey) {
            err << "torchlab-cli feed publish: --pack-key: " << error << "\n";
            return 2;
        }
    }
    bool daysOk = false;
    const int days = parser.value(QStringLiteral("days")).toInt(&daysOk);
    if (!parser.isSet(QStringLiteral("output")) || !daysOk) {
        err << "torchlab-cli feed publish: -o FEED_DIR is required; --days takes a number\n";
        return 2;
    }
    const QString feedDir = parser.value(QStringLiteral("output"));
    // Students refuse an index issued before the newest one they accepted, and
    // a different one issued in the same second (a replay). So a re-publish
    // within a second, or after an index written by a machine whose clock ran
    // ahead, still has to move the issue time forward past the index it replaces.
    QDateTime issued = QDateTime::currentDateTimeUtc();
    QFile previousFile(feedDir + QStringLiteral("/index.json"));
    if (previousFile.open(QIODevice::ReadOnly)) {
        const auto previous = FeedIndex::parse(previousFile.read(FeedIndex::MaxBytes + 1));
        // Not past an index from more than a day ahead: students refuse that
        // one (and anything issued after it) anyway.
        if (previous && previous->issued.toSecsSinceEpoch() >= issued.toSecsSinceEpoch() &&
            previous->issued <= issued.addSecs(FeedIndex::MaxClockSkewSecs))
            issued = previous->issued.addSecs(1);
        else if (previous && previous->issued > issued)
            err << "warning: the index in " << feedDir << " was issued on "
                << FeedIndex::formatTime(previous->issued)
                << ", more than a day ahead of this clock; students refused it. The new index is "
                   "issued now.\n";
    }
    const FeedPublishResult r =
        publishFeed(parser.positionalArguments().first(), feedDir, days, issued, packKey);
    for (const QString &w : r.warnings)
        err << "warning: " << w << "\n";
    if (!r.ok) {
        err << "torchlab-cli feed publish: " << r.error << "\n";
        return 1;
    }
    for (const FeedEntry &e : r.index.packs)
        out << e.id << " " << e.version << "  " << e.file << "  " << e.size << " bytes\n";
    out << feedDir << "/index.json: " << r.index.packs.size()
        << (r.index.packs.size() == 1 ? " pack, issued " : " packs, issued ")
        << FeedIndex::formatTime(r.index.issued) << ", expires "
        << FeedIndex::formatTime(r.index.expires) << "\nnext: torchlab-cli feed sign " << feedDir
        << " --key SECRET_KEY\n";
    return 0;
}

// Why the packs of a just-signed feed would be refused: an archive signed
// with neither the index's key nor its pack key. Empty when all is well.
QString indexKeyMismatch(const QString &feedDir, const FeedIndex &index)
{
    const auto keyIdOf = [](const QString &path) {
        QString error;
        const std::optional<QByteArray> text = readSignatureFile(path, &error);
        const std::optional<MinisignSignature> sig =
            text ? MinisignSignature::parse(*text) : std::nullopt;
        MinisignPublicKey key;
        if (sig)
            key.keyId = sig->keyId;
        return sig ? key.keyIdHex() : QString();
    };
    const QString indexKey = keyIdOf(feedDir + QStringLiteral("/index.json.minisig"));
    const QString expected = index.packKey ? index.packKey->keyIdHex() : indexKey;
    for (const FeedEntry &e : index.packs) {
        const QString packKey =
            keyIdOf(feedDir + QLatin1Char('/') + e.file + QStringLiteral(".minisig"));
        if (packKey != expected)
            return QStringLiteral("%1 is signed with the key %2, but %3 %4: students would refuse "
                                  "it. Sign the archives with the key you sign the index with, or "
                                  "publish with --pack-key naming their key. The index was not "
                                  "signed.")
                .arg(e.file, packKey.isEmpty() ? QStringLiteral("(none)") : packKey,
                     index.packKey ? QStringLiteral("the index names the pack key")
                                   : QStringLiteral("the index is signed with the key"),
                     expected);
    }
    return QString();
}

int feedSign(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Sign FEED_DIR/index.json with minisign; the trusted comment carries the "
                       "index's issue and expiry times."));
    parser.addPositionalArgument(QStringLiteral("feed"), QStringLiteral("the feed folder"));
    parser.addOption({QStringLiteral("key"), QStringLiteral("minisign secret key file"),
                      QStringLiteral("file")});
    const Parsed p = parse(parser, QStringLiteral("feed sign"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    if (!parser.isSet(QStringLiteral("key"))) {
        err << "torchlab-cli feed sign: --key SECRET_KEY is required\n";
        return 2;
    }
    const QString indexPath = parser.positionalArguments().first() + QStringLiteral("/index.json");
    QFile file(indexPath);
    QString error;
    const auto index = file.open(QIODevice::ReadOnly)
                           ? FeedIndex::parse(file.read(FeedIndex::MaxBytes + 1), &error)
                           : std::nullopt;
    if (!index) {
        err << "torchlab-cli feed sign: " << indexPath << ": "
            << (error.isEmpty() ? file.errorString() : error) << "\n";
        return 1;
    }
    const int rc = runMinisign({QStringLiteral("-S"), QStringLiteral("-s"),
                                parser.value(QStringLiteral("key")), QStringLiteral("-m"),
                                indexPath, QStringLiteral("-t"), index->trustedComment()});
    if (rc != 0)
        return rc;
    // The index key must be the key of the packs it lists, unless it names a
    // pack key: otherwise students refuse every pack, and only they would see it.
    const QString signatureError = indexKeyMismatch(parser.positionalArguments().first(), *index);
    if (!signatureError.isEmpty()) {
        QFile::remove(indexPath + QStringLiteral(".minisig"));
        err << "torchlab-cli feed sign: " << signatureError << "\n";
        return 1;
    }
    out << indexPath << ".minisig: " << index->trustedComment() << "\n";
    return 0;
}

// `feed rotate-key`: the statement that moves students from a key to another
// (KeyRotation), signed with the key being replaced, or for the packs role by
// the index key when the pack key was lost.
int feedRotateKey(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write FEED_DIR/key-rotation-ROLE.json naming the new public key, and sign it with "
        "minisign using the secret key it replaces (role packs: or the index key, when the pack "
        "key was lost). Students who trust the old key accept the new one through it at their "
        "next update. Then sign the index (role index) or publish with --pack-key (role packs) "
        "with the new key; see docs/instructors.md."));
    parser.addPositionalArgument(QStringLiteral("feed"), QStringLiteral("the feed folder"));
    parser.addOption({QStringLiteral("role"),
                      QStringLiteral("index (the key that signs index.json) or packs (the key "
                                     "that signs the archives)"),
                      QStringLiteral("role")});
    parser.addOption({QStringLiteral("key"),
                      QStringLiteral("minisign secret key file of the key being replaced"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("new-key"),
                      QStringLiteral("the new public key: \"RW...\" or a .pub file"),
                      QStringLiteral("key")});
    const Parsed p = parse(parser, QStringLiteral("feed rotate-key"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    const auto role = KeyRotation::roleFromName(parser.value(QStringLiteral("role")));
    if (!role || !parser.isSet(QStringLiteral("key")) || !parser.isSet(QStringLiteral("new-key"))) {
        err << "torchlab-cli feed rotate-key: --role index|packs, --key OLD_SECRET_KEY and "
               "--new-key PUBKEY_OR_FILE are required\n";
        return 2;
    }
    QString error;
    const auto newKey =
        MinisignPublicKey::fromTextOrFile(parser.value(QStringLiteral("new-key")), &error);
    if (!newKey) {
        err << "torchlab-cli feed rotate-key: --new-key: " << error << "\n";
        return 2;
    }
    KeyRotation rotation;
    rotation.role = *role;
    rotation.newKey = *newKey;
    rotation.issued =
        QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), QTimeZone::utc());
    const QString path =
        parser.positionalArguments().first() + QLatin1Char('/') + KeyRotation::fileName(*role);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(rotation.toJson()) < 0 || !file.flush()) {
        err << "torchlab-cli feed rotate-key: cannot write " << path << ": " << file.errorString()
            << "\n";
        return 1;
    }
    file.close();
    const int rc = runMinisign({QStringLiteral("-S"), QStringLiteral("-s"),
                                parser.value(QStringLiteral("key")), QStringLiteral("-m"), path,
                                QStringLiteral("-t"), rotation.trustedComment()});
    if (rc != 0) {
        QFile::remove(path); // an unsigned statement is of no use to anyone
        return rc;
    }
    out << path << ".minisig: " << rotation.trustedComment() << "\n";
    return 0;
}

int runClient(const std::function<void(FeedClient &)> &start)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    FeedClient client;
    QEventLoop loop;
    FeedUpdateResult result;
    QObject::connect(&client, &FeedClient::progress, &loop, [&](const QString &message) {
        err << message << "\n";
        err.flush();
    });
    QObject::connect(&client, &FeedClient::finished, &loop, [&](const FeedUpdateResult &r) {
        result = r;
        loop.quit();
    });
    start(client);
    loop.exec();
    for (const QString &line : result.installed)
        out << "installed " << line << "\n";
    for (const QString &line : result.errors)
        err << "error: " << line << "\n";
    if (result.ok && result.installed.isEmpty())
        out << "up to date\n";
    return result.ok ? 0 : 1;
}

int feedSubscribe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Subscribe to an instructor's feed (its folder URL or index.json) with "
                       "their public key, and install its "
                       "packs."));
    parser.addPositionalArgument(QStringLiteral("url"),
                                 QStringLiteral("http(s) address of the feed"));
    parser.addOption({QStringLiteral("trust"),
                      QStringLiteral("the instructor's public key: \"RW...\" or a .pub file"),
                      QStringLiteral("key")});
    const Parsed p = parse(parser, QStringLiteral("feed subscribe"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
    const auto key = trustedKey(parser, QStringLiteral("feed subscribe"));
    if (!key)
        return 2;
    const QUrl url = QUrl::fromUserInput(parser.positionalArguments().first());
    return runClient([&](FeedClient &client) { client.subscribe(url, *key); });
}

int feedUpdate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Install newer packs from every subscribed feed."));
    const Parsed p = parse(parser, QStringLiteral("feed update"), arguments, 0);
    if (!p.ok)
        return p.exitCode;
    if (!stateFilesUsable(QStringLiteral("feed update")))
        return 1;
    if (TrustStore().feeds().isEmpty()) {
        QTextStream(stderr)
            << "torchlab-cli feed update: no feeds subscribed (torchlab-cli feed subscribe URL "
               "--trust KEY)\n";
        return 1;
    }
    return runClient([](FeedClient &client) { client.update(); });
}

int feedList(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List subscribed feeds."));
    const Parsed p = parse(parser, QStringLiteral("feed list"), arguments, 0);
    if (!p.ok)
        return p.exitCode;
    QTextStream out(stdout);
    if (!stateFilesUsable(QStringLiteral("feed list")))
        return 1;
    const auto feeds = TrustStore().feeds();
    if (feeds.isEmpty())
        out << "no feeds subscribed\n";
    for (const TrustStore::Feed &f : feeds)
        out << f.url << "  key " << f.key.keyIdHex()
            << (f.packKey.key.isEmpty() ? QString()
                                        : QStringLiteral("  pack key ") + f.packKey.keyIdHex())
            << "  last index "
            << (f.lastIssued.isValid() ? FeedIndex::formatTime(f.lastIssued) : QStringLiteral("-"))
            << (f.lastError.isEmpty() ? QString() : QStringLiteral("  last error: ") + f.lastError)
            << "\n";
    return 0;
}

} // namespace

bool isPackTrustSubcommand(const QString &subcommand)
{
    return subcommand == QLatin1String("sign") || subcommand == QLatin1String("install") ||
           subcommand == QLatin1String("list") || subcommand == QLatin1String("remove") ||
           subcommand == QLatin1String("forget") || subcommand == QLatin1String("trust");
}

int runPackTrustCommand(const QString &subcommand, const QStringList &arguments)
{
    if (subcommand == QLatin1String("sign"))
        return packSign(arguments);
    if (subcommand == QLatin1String("install"))
        return packInstall(arguments);
    if (subcommand == QLatin1String("list"))
        return packList(arguments);
    if (subcommand == QLatin1String("forget"))
        return packForget(arguments);
    if (subcommand == QLatin1String("trust"))
        return packTrust(arguments);
    return packRemove(arguments);
}

int runFeedCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString sub = arguments.value(0);
    const QStringList rest = arguments.mid(1);
    if (sub == QLatin1String("publish"))
        return feedPublish(rest);
    if (sub == QLatin1String("sign"))
        return feedSign(rest);
    if (sub == QLatin1String("rotate-key"))
        return feedRotateKey(rest);
    if (sub == QLatin1String("subscribe"))
        return feedSubscribe(rest);
    if (sub == QLatin1String("update"))
        return feedUpdate(rest);
    if (sub == QLatin1String("list"))
        return feedList(rest);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") ||
        sub == QLatin1String("help")) {
        out << kFeedUsage;
        return 0;
    }
    err << (sub.isEmpty()
                ? QString()
                : QStringLiteral("torchlab-cli feed: unknown subcommand '%1'\n\n").arg(sub))
        << kFeedUsage;
    return 2;
}

} // namespace torchlab::cli
