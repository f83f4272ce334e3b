// The helper child of tst_progressstore (docs/reliability.md rows 24 and 25):
//   progresschild loop <root> <count>   saves versions after the stored one, printing
//                                       each number once save() returned true
//   progresschild fsize <root> <bytes>  saves a large version under RLIMIT_FSIZE = bytes
//                                       (SIGXFSZ ignored) and prints save()'s result
//   progresschild race <root> <name:count>  saves code "v1".."v<count>" into lesson <name>
//                                       and records a failed check in lesson "shared"
//                                       after each (another child does the same at once)
#include "progressversion.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>

using namespace torchlab;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return 2;
    ProgressStore store(args[2]);
    if (args[1] == QLatin1String("loop")) {
        const int from = store.load(QStringLiteral("pack"), QStringLiteral("lesson")).attempts;
        for (int k = from + 1; k <= from + args[3].toInt(); ++k) {
            if (!store.save(testing::progressVersion(k))) {
                std::fprintf(stderr, "save failed: %s\n", qPrintable(store.lastError()));
                return 3;
            }
            std::printf("%d\n", k);
            std::fflush(stdout);
        }
        return 0;
    }
    if (args[1] == QLatin1String("race")) {
        const QString name = args[3].section(QLatin1Char(':'), 0, 0);
        const int count = args[3].section(QLatin1Char(':'), 1, 1).toInt();
        for (int k = 1; k <= count; ++k) {
            if (!store.saveCode(QStringLiteral("pack"), name, QStringLiteral("main.cpp"),
                                QStringLiteral("v%1").arg(k)) ||
                !store.recordCheck(QStringLiteral("pack"), QStringLiteral("shared"), false)) {
                std::fprintf(stderr, "save failed: %s\n", qPrintable(store.lastError()));
                return 3;
            }
            if (!store.recoveredFrom().isEmpty()) {
                std::fprintf(stderr, "a damaged file was read: %s\n",
                             qPrintable(store.recoveredFrom()));
                return 5;
            }
        }
        return 0;
    }
    if (args[1] == QLatin1String("fsize")) {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlim_t bytes = args[3].toULongLong();
        const rlimit limit{bytes, bytes};
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
            return 4;
        LessonProgress big = testing::progressVersion(1000);
        big.code[QStringLiteral("big.cpp")] = QString(QLatin1Char('x')).repeated(int(bytes) * 4);
        const bool ok = store.save(big);
        std::printf("%s\n%s\n", ok ? "true" : "false", qPrintable(store.lastError()));
        return 0;
    }
    return 2;
}
