#include "core/remote/target.h"

#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrl>

namespace torchlab {

namespace {

struct TargetText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::Target)
};

QString kindName(Target::Kind kind)
{
    switch (kind) {
    case Target::Kind::Local:
        return QStringLiteral("local");
    case Target::Kind::Ssh:
        return QStringLiteral("ssh");
    case Target::Kind::Slurm:
        return QStringLiteral("slurm");
    }
    return QStringLiteral("local");
}

// Host names, addresses and ssh aliases; never anything ssh would read as an
// option or a shell would read as syntax.
bool plausibleHost(const QString &host)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.:%\\[\\]-]{1,253}$"));
    return re.match(host).hasMatch() && !host.startsWith(QLatin1Char('-'));
}

bool plausibleUser(const QString &user)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"));
    return re.match(user).hasMatch();
}

} // namespace

QString Target::destination() const
{
    return user.isEmpty() ? host : user + QLatin1Char('@') + host;
}

QString Target::url() const
{
    if (kind == Kind::Local)
        return QStringLiteral("local");
    QString out = QStringLiteral("ssh://") + destination();
    if (port > 0)
        out += QLatin1Char(':') + QString::number(port);
    return out;
}

QString Target::describe() const
{
    switch (kind) {
    case Kind::Local:
        return TargetText::tr("this computer");
    case Kind::Ssh:
        return host;
    case Kind::Slurm:
        return TargetText::tr("%1 (Slurm, partition %2)").arg(host, partition);
    }
    return host;
}

Target Target::local()
{
    Target t;
    t.name = QStringLiteral("local");
    return t;
}

Status Target::checkName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    if (!re.match(name).hasMatch())
        return fail(TargetText::tr("\"%1\" cannot name a target: use up to 64 letters, digits, "
                                   "'.', '_' or '-'.")
                        .arg(name));
    if (name == QLatin1String("local"))
        return fail(TargetText::tr("\"local\" is this computer; pick another name."));
    return {};
}

Result<Target> Target::fromUrl(const QString &name, const QString &url)
{
    if (Status named = checkName(name); !named)
        return fail(named.error());
    if (!url.startsWith(QLatin1String("ssh://")))
        return fail(TargetText::tr("A target's address looks like ssh://[USER@]HOST[:PORT], not "
                                   "\"%1\".")
                        .arg(url));
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty() || !parsed.path().isEmpty() ||
        parsed.hasQuery() || parsed.hasFragment() || !parsed.password().isEmpty())
        return fail(TargetText::tr("A target's address looks like ssh://[USER@]HOST[:PORT], not "
                                   "\"%1\".")
                        .arg(url));
    Target t;
    t.name = name;
    t.kind = Kind::Ssh;
    t.user = parsed.userName();
    t.host = parsed.host();
    t.port = parsed.port(0);
    if (!plausibleHost(t.host))
        return fail(TargetText::tr("\"%1\" is not a host name.").arg(t.host));
    if (!t.user.isEmpty() && !plausibleUser(t.user))
        return fail(TargetText::tr("\"%1\" is not a user name.").arg(t.user));
    if (t.port < 0 || t.port > 65535)
        return fail(TargetText::tr("The port must lie between 1 and 65535."));
    return t;
}

bool operator==(const Target &a, const Target &b)
{
    return targetToJson(a) == targetToJson(b);
}

QJsonObject targetToJson(const Target &t)
{
    QJsonObject o{
        {QStringLiteral("name"), t.name},         {QStringLiteral("kind"), kindName(t.kind)},
        {QStringLiteral("url"), t.url()},         {QStringLiteral("host"), t.host},
        {QStringLiteral("user"), t.user},         {QStringLiteral("port"), t.port},
        {QStringLiteral("identity"), t.identity}, {QStringLiteral("remote_cli"), t.remoteCli}};
    if (t.kind == Target::Kind::Slurm) {
        o.insert(QStringLiteral("partition"), t.partition);
        o.insert(QStringLiteral("gres"), t.gres);
        o.insert(QStringLiteral("time_minutes"), t.timeMinutes);
    }
    return o;
}

Result<Target> targetFromJson(const QJsonObject &o)
{
    const QString kind = o.value(QStringLiteral("kind")).toString();
    const QString name = o.value(QStringLiteral("name")).toString();
    if (kind == QLatin1String("local"))
        return Target::local();
    if (kind != QLatin1String("ssh") && kind != QLatin1String("slurm"))
        return fail(
            TargetText::tr("The target \"%1\" is of an unknown kind \"%2\".").arg(name, kind));
    Result<Target> t = Target::fromUrl(name, o.value(QStringLiteral("url")).toString());
    if (!t)
        return t;
    t->identity = o.value(QStringLiteral("identity")).toString();
    const QString cli = o.value(QStringLiteral("remote_cli")).toString();
    if (!cli.isEmpty())
        t->remoteCli = cli;
    if (kind == QLatin1String("slurm")) {
        t->kind = Target::Kind::Slurm;
        t->partition = o.value(QStringLiteral("partition")).toString();
        t->gres = o.value(QStringLiteral("gres")).toString();
        t->timeMinutes = o.value(QStringLiteral("time_minutes")).toInt();
        if (t->partition.isEmpty())
            return fail(TargetText::tr("The Slurm target \"%1\" names no partition.").arg(name));
    }
    return t;
}

TargetStore::TargetStore(QString path) : m_path(std::move(path)) {}

QString TargetStore::defaultPath()
{
    return LabPaths::configDir() + QStringLiteral("/targets.json");
}

Result<QList<Target>> TargetStore::load() const
{
    QFile file(m_path);
    if (!file.exists())
        return QList<Target>();
    if (!file.open(QIODevice::ReadOnly))
        return fail(TargetText::tr("Cannot read %1: %2").arg(m_path, file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(1 << 20), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(TargetText::tr("%1 is not a targets file (%2). Remove it or fix it by hand.")
                        .arg(m_path, error.errorString()));
    QList<Target> out;
    for (const QJsonValue &v : doc.object().value(QStringLiteral("targets")).toArray()) {
        Result<Target> t = targetFromJson(v.toObject());
        if (!t)
            return fail(TargetText::tr("%1: %2").arg(m_path, t.error()));
        if (!t->isLocal())
            out << *t;
    }
    return out;
}

Result<Target> TargetStore::find(const QString &name) const
{
    if (name.isEmpty() || name == QLatin1String("local"))
        return Target::local();
    Result<QList<Target>> all = load();
    if (!all)
        return fail(all.error());
    for (const Target &t : *all)
        if (t.name == name)
            return t;
    return fail(TargetText::tr("There is no target named \"%1\" (torchlab-cli target list shows "
                               "them).")
                    .arg(name));
}

Status TargetStore::add(const Target &target, bool replace)
{
    if (Status named = Target::checkName(target.name); !named)
        return named;
    Result<QList<Target>> all = load();
    if (!all)
        return fail(all.error());
    QList<Target> list = *all;
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list[i].name != target.name)
            continue;
        if (!replace)
            return fail(TargetText::tr("A target named \"%1\" exists already (remove it first, "
                                       "or pick another name).")
                            .arg(target.name));
        list[i] = target;
        return save(list);
    }
    list << target;
    return save(list);
}

Status TargetStore::remove(const QString &name)
{
    Result<QList<Target>> all = load();
    if (!all)
        return fail(all.error());
    QList<Target> list = *all;
    const qsizetype before = list.size();
    list.removeIf([&](const Target &t) { return t.name == name; });
    if (list.size() == before)
        return fail(TargetText::tr("There is no target named \"%1\".").arg(name));
    return save(list);
}

namespace {

QString doctorPath(const QString &name)
{
    return LabPaths::cacheDir() + QStringLiteral("/targets/") + name + QStringLiteral(".json");
}

} // namespace

Status TargetStore::saveDoctor(const QString &name, const QJsonObject &doctor)
{
    if (Status named = Target::checkName(name); !named)
        return named;
    QDir().mkpath(LabPaths::cacheDir() + QStringLiteral("/targets"));
    QSaveFile file(doctorPath(name));
    const QByteArray bytes = QJsonDocument(doctor).toJson(QJsonDocument::Compact);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return fail(TargetText::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    return {};
}

std::optional<QJsonObject> TargetStore::loadDoctor(const QString &name)
{
    if (!Target::checkName(name))
        return std::nullopt;
    QFile file(doctorPath(name));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(4 << 20));
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}

Status TargetStore::save(const QList<Target> &targets) const
{
    QJsonArray array;
    for (const Target &t : targets)
        array.append(targetToJson(t));
    QSaveFile file(m_path);
    const QByteArray bytes =
        QJsonDocument(QJsonObject{{QStringLiteral("v"), 1}, {QStringLiteral("targets"), array}})
            .toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return fail(TargetText::tr("Cannot write %1: %2").arg(m_path, file.errorString()));
    return {};
}

} // namespace torchlab
