#include "cli/feedcommand.h"

#include "core/course/packloader.h"
#include "core/packs/feedclient.h"
#include "core/packs/feedpublisher.h"
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
    "                                  that any key and any version may install it again\n";

const char kFeedUsage[] =
    "usage: torchlab-cli feed <subcommand> [options]\n"
    "\n"
    "  publish DIR_OF_ARCHIVES -o FEED_DIR [--days N]\n"
    "                                  copy signed archives into FEED_DIR and write its "
    "index.json\n"
    "  sign FEED_DIR --key SECRET_KEY  sign FEED_DIR/index.json with minisign "
    "(index.json.minisig)\n"
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
                      QStringLiteral("days until the index expires (default 30)"),
                      QStringLiteral("n"), QStringLiteral("30")});
    const Parsed p = parse(parser, QStringLiteral("feed publish"), arguments, 1);
    if (!p.ok)
        return p.exitCode;
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
        if (previous && previous->issued.toSecsSinceEpoch() >= issued.toSecsSinceEpoch())
            issued = previous->issued.addSecs(1);
    }
    const FeedPublishResult r =
        publishFeed(parser.positionalArguments().first(), feedDir, days, issued);
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
    if (rc == 0)
        out << indexPath << ".minisig: " << index->trustedComment() << "\n";
    return rc;
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
    const auto feeds = TrustStore().feeds();
    if (feeds.isEmpty())
        out << "no feeds subscribed\n";
    for (const TrustStore::Feed &f : feeds)
        out << f.url << "  key " << f.key.keyIdHex() << "  last index "
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
           subcommand == QLatin1String("forget");
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
