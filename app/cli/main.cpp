// torchlab-cli: the headless front end of the TorchLab engine.
#include "labconfig.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("torchlab-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TORCHLAB_VERSION));
    QTextStream(stdout) << "torchlab-cli " << TORCHLAB_VERSION << "\n";
    return 0;
}
