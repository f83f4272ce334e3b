#include "cli/targetcommand.h"

#include "cli/targetoptions.h"

#include "core/remote/remoterunner.h"
#include "core/remote/target.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace torchlab::cli {

namespace {

const char kUsage[] =
    "usage: torchlab-cli target <command>\n"
    "\n"
    "Targets are where runs happen: this computer (local), a course GPU server\n"
    "reached over SSH whose torchlab-cli does the work, or a Slurm login host\n"
    "whose runs go through srun. Keys stay with ssh (~/.ssh, ssh-agent); the lab\n"
    "never asks for a password. See docs/course-server.md.\n"
    "\n"
    "commands:\n"
    "  add NAME ssh://[USER@]HOST[:PORT] [--identity FILE] [--remote-cli PATH]\n"
    "      [--slurm PARTITION [--gres gpu:N] [--time MINUTES]] [--replace]\n"
    "  list [--json]\n"
    "  remove NAME\n"
    "  test NAME     connect, run the server's doctor, print its GPU, driver, LibTorch\n"
    "\n"
    "Then: torchlab-cli run FILE.cpp --target NAME, torchlab-cli check PACK --target NAME.\n";

int add(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    const QCommandLineOption identity(QStringLiteral("identity"), QString(),
                                      QStringLiteral("FILE"));
    const QCommandLineOption remoteCli(QStringLiteral("remote-cli"), QString(),
                                       QStringLiteral("PATH"));
    const QCommandLineOption slurm(QStringLiteral("slurm"), QString(), QStringLiteral("PARTITION"));
    const QCommandLineOption gres(QStringLiteral("gres"), QString(), QStringLiteral("gpu:N"));
    const QCommandLineOption time(QStringLiteral("time"), QString(), QStringLiteral("MINUTES"));
    const QCommandLineOption replace(QStringLiteral("replace"));
    p.addOptions({identity, remoteCli, slurm, gres, time, replace});
    if (!p.parse(QStringList{QStringLiteral("target")} + args) ||
        p.positionalArguments().size() != 2) {
        err << "torchlab-cli target add: "
            << (p.errorText().isEmpty() ? QStringLiteral("give NAME and ssh://[USER@]HOST[:PORT]")
                                        : p.errorText())
            << "\n";
        return 2;
    }
    Result<Target> target = Target::fromUrl(p.positionalArguments()[0], p.positionalArguments()[1]);
    if (!target) {
        err << "torchlab-cli target add: " << target.error() << "\n";
        return 2;
    }
    if (p.isSet(identity)) {
        const QFileInfo key(p.value(identity));
        if (!key.isFile()) {
            err << "torchlab-cli target add: " << p.value(identity) << ": no such key file\n";
            return 2;
        }
        target->identity = key.absoluteFilePath();
    }
    if (p.isSet(remoteCli))
        target->remoteCli = p.value(remoteCli);
    if ((p.isSet(gres) || p.isSet(time)) && !p.isSet(slurm)) {
        err << "torchlab-cli target add: --gres and --time go with --slurm PARTITION\n";
        return 2;
    }
    if (p.isSet(slurm)) {
        target->kind = Target::Kind::Slurm;
        target->partition = p.value(slurm);
        target->gres = p.value(gres);
        bool ok = true;
        target->timeMinutes = p.isSet(time) ? p.value(time).toInt(&ok) : 0;
        if (!ok || target->timeMinutes < 0) {
            err << "torchlab-cli target add: --time takes whole minutes\n";
            return 2;
        }
        if (Status word = Target::checkName(target->partition); !word) {
            err << "torchlab-cli target add: \"" << target->partition
                << "\" is not a partition name\n";
            return 2;
        }
    }
    if (Status added = TargetStore().add(*target, p.isSet(replace)); !added) {
        err << "torchlab-cli target add: " << added.error() << "\n";
        return 1;
    }
    out << "Added " << target->name << ": " << target->describe() << " (" << target->url()
        << "). Try it: torchlab-cli target test " << target->name << "\n";
    return 0;
}

int list(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const bool json = args.contains(QStringLiteral("--json"));
    Result<QList<Target>> all = TargetStore().load();
    if (!all) {
        err << "torchlab-cli target list: " << all.error() << "\n";
        return 1;
    }
    if (json) {
        QJsonArray array{targetToJson(Target::local())};
        for (const Target &t : *all)
            array.append(targetToJson(t));
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << "local        this computer\n";
    for (const Target &t : *all) {
        out << t.name.leftJustified(12) << ' ' << t.url();
        if (t.kind == Target::Kind::Slurm)
            out << "  slurm partition " << t.partition
                << (t.gres.isEmpty() ? QString() : QStringLiteral(", gres ") + t.gres)
                << (t.timeMinutes > 0 ? QStringLiteral(", %1 min").arg(t.timeMinutes) : QString());
        out << "\n";
    }
    return 0;
}

int test(const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 1) {
        err << "torchlab-cli target test: name one target\n";
        return 2;
    }
    Result<Target> target = TargetStore().find(args.first());
    if (!target) {
        err << "torchlab-cli target test: " << target.error() << "\n";
        return 2;
    }
    if (target->isLocal()) {
        out << "local is this computer: torchlab-cli doctor describes it.\n";
        return 0;
    }
    out << "Connecting to " << target->describe() << "…\n" << Qt::flush;
    Result<QJsonObject> doctor = targetDoctor(*target, &out, true);
    if (!doctor) {
        err << doctor.error() << "\n";
        return 1;
    }
    for (const QString &line : RemoteDoctor::summarize(*doctor))
        out << "  " << line << "\n";
    const QString worst = doctor->value(QStringLiteral("worst")).toString();
    if (worst == QLatin1String("error")) {
        out << "The server's doctor found a problem:\n";
        for (const QJsonValue &v : doctor->value(QStringLiteral("verdicts")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("severity")).toString() == QLatin1String("error"))
                out << "  " << o.value(QStringLiteral("title")).toString() << ": "
                    << o.value(QStringLiteral("fix")).toString() << "\n";
        }
        return 1;
    }
    out << target->name << " is ready.\n";
    return 0;
}

} // namespace

int runTargetCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help") ||
        arguments.first() == QLatin1String("-h")) {
        (arguments.isEmpty() ? err : out) << kUsage;
        return arguments.isEmpty() ? 2 : 0;
    }
    const QString command = arguments.first();
    const QStringList rest = arguments.mid(1);
    if (command == QLatin1String("add"))
        return add(rest, out, err);
    if (command == QLatin1String("list"))
        return list(rest, out, err);
    if (command == QLatin1String("remove")) {
        if (rest.size() != 1) {
            err << "torchlab-cli target remove: name one target\n";
            return 2;
        }
        if (Status removed = TargetStore().remove(rest.first()); !removed) {
            err << "torchlab-cli target remove: " << removed.error() << "\n";
            return 1;
        }
        out << "Removed " << rest.first() << ".\n";
        return 0;
    }
    if (command == QLatin1String("test"))
        return test(rest, out, err);
    err << "torchlab-cli target: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}

} // namespace torchlab::cli
