#pragma once

#include <QString>
#include <QTextStream>

namespace torchlab::cli {

// One updating progress line on a terminal ("\r"), or a line per 10% step
// when stderr is a pipe or a file, so logs stay readable.
class ProgressLine
{
public:
    ProgressLine();
    void update(int percent, const QString &message);
    void done(const QString &message);

private:
    QTextStream m_err;
    bool m_tty = false;
    int m_lastBucket = -1;
    int m_lastWidth = 0;
};

} // namespace torchlab::cli
