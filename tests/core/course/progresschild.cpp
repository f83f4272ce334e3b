// The helper child of tst_progressstore (docs/reliability.md rows 24 and 25):
//   progresschild loop <root> <count>   saves versions after the stored one, printing
//                                       each number once save() returned true
//   progresschild fsize <root> <bytes>  saves a large version under RLIMIT_FSIZE = bytes
//                                       (SIGXFSZ ignored) and prints save()'s result
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
