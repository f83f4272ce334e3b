// Targets (parsing, the store), the ssh transport's command line and what it
// tells the learner when ssh fails, and the job bundle that carries a run to a
// server: round trip, hostile bundles refused, private folders, a full disk.
#include "core/remote/jobbundle.h"
#include "core/remote/slurmending.h"
#include "core/remote/sshtransport.h"
#include "core/remote/target.h"
#include "core/runner/runnerjson.h"
#include "core/runner/runstream.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace torchlab;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

int modeOf(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

QByteArray bundleLine(const QJsonArray &files, const QString &name = QStringLiteral("hello"))
{
    const QJsonObject o{{QStringLiteral("t"), QStringLiteral("job")},
                        {QStringLiteral("protocol"), runstream::ProtocolVersion},
                        {QStringLiteral("learner"), QStringLiteral("ana")},
                        {QStringLiteral("name"), name},
                        {QStringLiteral("job"), QJsonObject{{QStringLiteral("v"), 1}}},
                        {QStringLiteral("files"), files}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject fileEntry(const QString &path, const QByteArray &bytes = "x")
{
    return QJsonObject{{QStringLiteral("path"), path},
                       {QStringLiteral("b64"), QString::fromLatin1(bytes.toBase64())}};
}

} // namespace

class TestRemote : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void targetsParseTheirAddress()
    {
        Result<Target> t = Target::fromUrl(QStringLiteral("gpu"),
                                           QStringLiteral("ssh://student7@gpu.example.edu:2222"));
        QVERIFY2(t, qPrintable(t.error()));
        QCOMPARE(t->user, QStringLiteral("student7"));
        QCOMPARE(t->host, QStringLiteral("gpu.example.edu"));
        QCOMPARE(t->port, 2222);
        QCOMPARE(t->destination(), QStringLiteral("student7@gpu.example.edu"));
        QCOMPARE(t->url(), QStringLiteral("ssh://student7@gpu.example.edu:2222"));

        Result<Target> alias =
            Target::fromUrl(QStringLiteral("lab"), QStringLiteral("ssh://course"));
        QVERIFY(alias);
        QCOMPARE(alias->port, 0); // ~/.ssh/config decides
        QCOMPARE(alias->destination(), QStringLiteral("course"));

        for (const char *bad : {"gpu.example.edu", "http://gpu", "ssh://", "ssh://-oProxyCommand=x",
                                "ssh://a@b/path", "ssh://u:secret@host", "ssh://h;rm -rf ~"})
            QVERIFY2(!Target::fromUrl(QStringLiteral("x"), QString::fromLatin1(bad)), bad);
        QVERIFY(!Target::fromUrl(QStringLiteral("local"), QStringLiteral("ssh://h")));
        QVERIFY(!Target::fromUrl(QStringLiteral("a b"), QStringLiteral("ssh://h")));
    }

    void theStoreKeepsTargets()
    {
        QTemporaryDir dir;
        TargetStore store(dir.filePath(QStringLiteral("targets.json")));
        QVERIFY(store.load()->isEmpty());
        Result<Target> ssh = Target::fromUrl(QStringLiteral("gpu"), QStringLiteral("ssh://g:2222"));
        Target slurm = *Target::fromUrl(QStringLiteral("hpc"), QStringLiteral("ssh://login"));
        slurm.kind = Target::Kind::Slurm;
        slurm.partition = QStringLiteral("gpu");
        slurm.gres = QStringLiteral("gpu:1");
        slurm.timeMinutes = 15;
        slurm.remoteCli = QStringLiteral("~/bin/torchlab-cli");
        QVERIFY(store.add(*ssh));
        QVERIFY(store.add(slurm));
        QVERIFY(!store.add(*ssh)); // the name is taken
        Result<QList<Target>> all = store.load();
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QVERIFY(all->at(1) == slurm);
        QCOMPARE(store.find(QStringLiteral("hpc"))->timeMinutes, 15);
        QVERIFY(store.find(QStringLiteral("local"))->isLocal());
        QVERIFY(!store.find(QStringLiteral("nope")));
        QVERIFY(store.remove(QStringLiteral("gpu")));
        QVERIFY(!store.remove(QStringLiteral("gpu")));
        QCOMPARE(store.load()->size(), 1);

        QVERIFY(writeFile(store.path(), "{ not json"));
        QVERIFY(!store.load()); // said, not silently emptied
        QVERIFY(store.load().error().contains(store.path()));
    }

    void sshGetsAnArgumentListAndQuotedWords()
    {
        qunsetenv("TORCHLAB_SSH_CONFIG");
        Target t = *Target::fromUrl(QStringLiteral("gpu"), QStringLiteral("ssh://ana@g:2222"));
        t.identity = QStringLiteral("/home/ana/.ssh/course key");
        const SshTransport ssh(t);
        const QStringList args =
            ssh.arguments({QStringLiteral("torchlab-cli"), QStringLiteral("run"),
                           QStringLiteral("it's here"), QStringLiteral("$(reboot)")});
        QVERIFY(args.contains(QStringLiteral("BatchMode=yes")));
        QVERIFY(args.contains(QStringLiteral("StrictHostKeyChecking=accept-new")));
        QVERIFY(args.contains(QStringLiteral("ControlPersist=600")));
        QCOMPARE(args[args.indexOf(QStringLiteral("-p")) + 1], QStringLiteral("2222"));
        QCOMPARE(args[args.indexOf(QStringLiteral("-i")) + 1], t.identity); // one argument
        const qsizetype dashes = args.indexOf(QStringLiteral("--"));
        QCOMPARE(args[dashes + 1], QStringLiteral("ana@g"));
        QCOMPARE(args.size(), dashes + 3); // the remote command is one word for ssh
        QCOMPARE(args.last(), QStringLiteral("torchlab-cli run 'it'\\''s here' '$(reboot)'"));
        QCOMPARE(SshTransport::quote(QStringLiteral("~/bin/torchlab cli")),
                 QStringLiteral("~/'bin/torchlab cli'"));
        QCOMPARE(SshTransport::quote(QString()), QStringLiteral("''"));

        qputenv("TORCHLAB_SSH_CONFIG", "/tmp/course_ssh_config");
        const QStringList withConfig = SshTransport(t).arguments({QStringLiteral("true")});
        QCOMPARE(withConfig.mid(0, 2),
                 (QStringList{QStringLiteral("-F"), QStringLiteral("/tmp/course_ssh_config")}));
        qunsetenv("TORCHLAB_SSH_CONFIG");
    }

    void theControlSocketFolderIsPrivate()
    {
        QTemporaryDir runtime;
        qputenv("XDG_RUNTIME_DIR", runtime.path().toUtf8());
        const QString folder = SshTransport::controlDirectory();
        QCOMPARE(folder, runtime.filePath(QStringLiteral("torchlab-ssh")));
        QCOMPARE(modeOf(folder), 0700);
        // Opened up by someone: no shared connection through it.
        ::chmod(QFile::encodeName(folder).constData(), 0777);
        QVERIFY(SshTransport::controlDirectory().isEmpty());
        QVERIFY(SshTransport(*Target::fromUrl(QStringLiteral("g"), QStringLiteral("ssh://g")))
                    .arguments({QStringLiteral("true")})
                    .contains(QStringLiteral("ControlMaster=no")));
        qunsetenv("XDG_RUNTIME_DIR");
    }

    void sshFailuresAreExplained_data()
    {
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("said");
        QTest::addColumn<bool>("connected");
        QTest::addColumn<int>("failure");
        using F = SshTransport::Failure;
        QTest::newRow("changed key") << 255
                                     << QByteArray("@@@ WARNING: REMOTE HOST IDENTIFICATION HAS "
                                                   "CHANGED! @@@\nHost key verification failed.")
                                     << false << int(F::HostKeyChanged);
        QTest::newRow("key refused") << 255 << QByteArray("ana@g: Permission denied (publickey).")
                                     << false << int(F::KeyRefused);
        QTest::newRow("refused") << 255
                                 << QByteArray(
                                        "ssh: connect to host g port 2222: Connection refused")
                                 << false << int(F::Unreachable);
        QTest::newRow("no such host")
            << 255 << QByteArray("ssh: Could not resolve hostname gpu: Name or service not known")
            << false << int(F::Unreachable);
        QTest::newRow("no cli") << 127
                                << QByteArray("bash: line 1: torchlab-cli: command not found")
                                << false << int(F::NoRemoteCli);
        QTest::newRow("no srun") << 127 << QByteArray("bash: line 1: srun: command not found")
                                 << false << int(F::SlurmMissing);
        QTest::newRow("lost") << 255 << QByteArray("Timeout, server g not responding.") << true
                              << int(F::ConnectionLost);
    }

    void sshFailuresAreExplained()
    {
        QFETCH(int, exitCode);
        QFETCH(QByteArray, said);
        QFETCH(bool, connected);
        QFETCH(int, failure);
        Target t = *Target::fromUrl(QStringLiteral("gpu"), QStringLiteral("ssh://g"));
        t.partition = QStringLiteral("gpu");
        const SshTransport::Diagnosis d = SshTransport(t).diagnose(exitCode, said, connected);
        QCOMPARE(int(d.failure), failure);
        QVERIFY(!d.summary.isEmpty());
        QVERIFY(d.explanation.size() > 40);
        QVERIFY2(d.explanation.contains(QString::fromUtf8(said).trimmed().right(30)),
                 qPrintable(d.explanation)); // ssh's own words come along
        QVERIFY(!d.explanation.contains(QLatin1String("password"), Qt::CaseInsensitive) ||
                d.failure == SshTransport::Failure::KeyRefused);
    }

    void aBundleCarriesTheJobAndItsFiles()
    {
        QTemporaryDir dir;
        const QString job = dir.filePath(QStringLiteral("job"));
        QVERIFY(writeFile(job + QStringLiteral("/src/exercise.cpp"), "int main() {}\n"));
        QVERIFY(writeFile(job + QStringLiteral("/src/model.h"), "#pragma once\n"));
        QVERIFY(writeFile(job + QStringLiteral("/src/notes.bin"), QByteArray(10, '\0')));
        QVERIFY(writeFile(job + QStringLiteral("/check/check.cpp"), "// check\n"));
        QVERIFY(writeFile(job + QStringLiteral("/check/util/helpers.h"), "// helpers\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("elsewhere/extra.cpp")), "// extra\n"));
        RunSpec spec;
        spec.workingDirectory = job;
        spec.sources << SourceFile{
            job + QStringLiteral("/src/exercise.cpp"), QStringLiteral("exercise.cpp"), true, {}};
        SourceFile check{
            job + QStringLiteral("/check/check.cpp"), QStringLiteral("check.cpp"), false, {}};
        check.extraFlags << QStringLiteral("-I") + job + QStringLiteral("/check")
                         << QStringLiteral("-I/usr/share/torchlab/include");
        spec.sources << check;
        spec.sources << SourceFile{dir.filePath(QStringLiteral("elsewhere/extra.cpp")),
                                   QStringLiteral("extra.cpp"),
                                   true,
                                   {}};
        spec.limits.wallMs = 12'345;
        spec.ranks = 2;

        Result<JobBundle> bundle =
            bundleFromSpec(spec, QStringLiteral("05 autograd!"), QStringLiteral("ana.li"),
                           QStringLiteral("zh_CN"));
        QVERIFY2(bundle, qPrintable(bundle.error()));
        QCOMPARE(bundle->name, QStringLiteral("05_autograd_"));
        QStringList paths;
        for (const JobBundle::File &f : bundle->files)
            paths << f.path;
        paths.sort();
        QCOMPARE(
            paths,
            (QStringList{QStringLiteral("check/check.cpp"), QStringLiteral("check/util/helpers.h"),
                         QStringLiteral("ext/0/extra.cpp"), QStringLiteral("src/exercise.cpp"),
                         QStringLiteral("src/model.h")}));

        const QByteArray line = encodeJobBundle(*bundle);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        Result<JobBundle> back = decodeJobBundle(line.chopped(1));
        QVERIFY2(back, qPrintable(back.error()));
        QCOMPARE(back->language, QStringLiteral("zh_CN"));

        // The server's side: a private job folder the job file resolves in.
        QTemporaryDir server;
        const QString root = server.filePath(QStringLiteral("jobs"));
        Result<QString> folder = unpackJobBundle(*back, root);
        QVERIFY2(folder, qPrintable(folder.error()));
        QCOMPARE(*folder, root + QStringLiteral("/ana.li/05_autograd_"));
        for (const QString &level : {root, root + QStringLiteral("/ana.li"), *folder})
            QCOMPARE(modeOf(level), 0700);
        QFile read(*folder + QStringLiteral("/src/exercise.cpp"));
        QVERIFY(read.open(QIODevice::ReadOnly));
        QCOMPARE(read.readAll(), QByteArray("int main() {}\n"));
        QFile jobFile(*folder + QStringLiteral("/job.json"));
        QVERIFY(jobFile.open(QIODevice::ReadOnly));
        Result<RunSpec> remote =
            runSpecFromJson(QJsonDocument::fromJson(jobFile.readAll()).object(), *folder);
        QVERIFY2(remote, qPrintable(remote.error()));
        QCOMPARE(remote->sources.size(), 3);
        QCOMPARE(remote->sources[1].extraFlags,
                 QStringList{QStringLiteral("-I") + *folder + QStringLiteral("/check")});
        QCOMPARE(remote->limits.wallMs, 12'345);
        QCOMPARE(remote->ranks, 2);

        // A second run of the lesson replaces the first: nothing stale stays.
        QVERIFY(writeFile(*folder + QStringLiteral("/checkpoint.pt"), "old"));
        QVERIFY(unpackJobBundle(*back, root));
        QVERIFY(!QFile::exists(*folder + QStringLiteral("/checkpoint.pt")));
    }

    void hostileBundlesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("dot dot") << bundleLine({fileEntry(QStringLiteral("../escape.cpp"))});
        QTest::newRow("inner dot dot")
            << bundleLine({fileEntry(QStringLiteral("src/../../escape.cpp"))});
        QTest::newRow("absolute") << bundleLine({fileEntry(QStringLiteral("/etc/cron.d/x"))});
        QTest::newRow("empty part") << bundleLine({fileEntry(QStringLiteral("src//x.cpp"))});
        QTest::newRow("job file") << bundleLine({fileEntry(QStringLiteral("job.json"))});
        QTest::newRow("twice") << bundleLine(
            {fileEntry(QStringLiteral("a.cpp")), fileEntry(QStringLiteral("a.cpp"))});
        QTest::newRow("control char") << bundleLine({fileEntry(QStringLiteral("a\n.cpp"))});
        QTest::newRow("name escapes")
            << bundleLine({fileEntry(QStringLiteral("a.cpp"))}, QStringLiteral(".."));
        QTest::newRow("too large") << bundleLine(
            {fileEntry(QStringLiteral("a.cpp"), QByteArray(JobBundle::MaxBytes + 1, 'x'))});
        QJsonArray many;
        for (int i = 0; i <= JobBundle::MaxFiles; ++i)
            many.append(fileEntry(QStringLiteral("f%1.h").arg(i)));
        QTest::newRow("too many") << bundleLine(many);
        QTest::newRow("not json") << QByteArray("{\"t\":\"job\",");
        QTest::newRow("other protocol")
            << QByteArray(R"({"t":"job","protocol":99,"learner":"a","name":"b","files":[]})");
        QTest::newRow("slurm injection")
            << QByteArray(R"({"t":"job","protocol":1,"learner":"a","name":"b","files":[],)"
                          R"("slurm":{"partition":"gpu --wrap=sh","job_name":"x"}})");
    }

    void hostileBundlesAreRefused()
    {
        QFETCH(QByteArray, line);
        Result<JobBundle> bundle = decodeJobBundle(line);
        QVERIFY(!bundle);
        QVERIFY(!bundle.error().isEmpty());
    }

    void aFullDiskIsSaidPlainly()
    {
        const Status written = writeJobFile(QStringLiteral("/dev/full"), QByteArray(8192, 'x'));
        QVERIFY(!written);
        QVERIFY2(written.error().contains(QLatin1String("disk is full")),
                 qPrintable(written.error()));
    }

    void slurmEndingsAreRead_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("ending");
        using E = SlurmEnding;
        QTest::newRow("time limit")
            << QByteArray("slurmstepd-node7: error: *** STEP 4.0 ON node7 CANCELLED AT "
                          "2026-12-07T00:17:05 DUE TO TIME LIMIT ***")
            << int(E::TimeLimit);
        QTest::newRow("job time limit")
            << QByteArray("slurmstepd: error: *** JOB 12 ON node7 CANCELLED AT 2026-12-07T00:17:05 "
                          "DUE TO TIME LIMIT ***")
            << int(E::TimeLimit);
        QTest::newRow("preempted") << QByteArray("slurmstepd: error: *** JOB 12 ON node7 CANCELLED "
                                                 "AT 2026-12-07T00:17:05 DUE TO PREEMPTION ***")
                                   << int(E::Preempted);
        QTest::newRow("node failure")
            << QByteArray("slurmstepd: error: *** JOB 12 ON node7 CANCELLED AT 2026-12-07T00:17:05 "
                          "DUE TO NODE FAILURE, SEE SLURMCTLD LOG FOR DETAILS ***")
            << int(E::NodeFailure);
        QTest::newRow("srun node failure")
            << QByteArray("srun: error: Node failure on node7") << int(E::NodeFailure);
        QTest::newRow("cancelled")
            << QByteArray("slurmstepd: error: *** STEP 12.0 ON node7 CANCELLED "
                          "AT 2026-12-07T00:17:05 ***")
            << int(E::Cancelled);
        QTest::newRow("program output")
            << QByteArray("epoch 3 CANCELLED by the learner") << int(E::None);
        QTest::newRow("queued") << QByteArray("srun: job 3 queued and waiting for resources")
                                << int(E::None);
    }

    void slurmEndingsAreRead()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, ending);
        QCOMPARE(int(slurmEndingOf(line)), ending);
    }

    void jobFolderNamesArePlainWords()
    {
        QCOMPARE(jobFolderName(QStringLiteral("09-memory")), QStringLiteral("09-memory"));
        QCOMPARE(jobFolderName(QStringLiteral("../x")), QStringLiteral("_._x"));
        QCOMPARE(jobFolderName(QStringLiteral("张三")), QStringLiteral("__"));
        QCOMPARE(jobFolderName(QString()), QStringLiteral("job"));
        QCOMPARE(jobFolderName(QString(100, QLatin1Char('a'))).size(), 64);
    }
};

QTEST_GUILESS_MAIN(TestRemote)
#include "tst_remote.moc"
