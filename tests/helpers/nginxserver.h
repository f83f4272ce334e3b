#pragma once
// A real nginx for the feed tests, started by the tests themselves: one
// process, no master and no workers, running as
// whoever runs the test, serving a folder on a free port of 127.0.0.1. .ci/run
// installs Debian's nginx-light; where it is missing the tests that need it skip.

#include "helpers/loopback.h"

#include "helpers/diewithtest.h"
#include <QDir>
#include <QFile>

#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTest>

namespace packtest {

class NginxServer
{
public:
    NginxServer() = default;
    NginxServer(const NginxServer &) = delete;
    NginxServer &operator=(const NginxServer &) = delete;
    ~NginxServer() { stop(); }

    // "" when nginx is not installed.
    static QString executable()
    {
        QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"));
        if (nginx.isEmpty())
            nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"),
                                                   {QStringLiteral("/usr/sbin")});
        return nginx;
    }

    // Serves `root` from a configuration, logs and temp folders under `prefix`.
    // Returns once the port accepts connections; false with *error otherwise.
    bool start(const QString &root, const QString &prefix, QString *error)
    {
        const QString nginx = executable();
        if (nginx.isEmpty()) {
            *error = QStringLiteral("nginx is not installed");
            return false;
        }
        if (!QDir().mkpath(prefix + QStringLiteral("/tmp"))) {
            *error = QStringLiteral("cannot create ") + prefix;
            return false;
        }
        m_port = torchlab::testing::freeLoopbackPort();
        const QString conf = QStringLiteral(R"(daemon off;
master_process off;
pid %1/nginx.pid;
error_log %1/error.log;
events { worker_connections 64; }
http {
  access_log %1/access.log;
  client_body_temp_path %1/tmp/body;
  proxy_temp_path %1/tmp/proxy;
  fastcgi_temp_path %1/tmp/fastcgi;
  uwsgi_temp_path %1/tmp/uwsgi;
  scgi_temp_path %1/tmp/scgi;
  types { application/json json; application/gzip gz; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:%2;
    root %3;
  }
}
)")
                                 .arg(prefix)
                                 .arg(m_port)
                                 .arg(root);
        QFile file(prefix + QStringLiteral("/nginx.conf"));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(conf.toUtf8()) != conf.toUtf8().size()) {
            *error = QStringLiteral("cannot write ") + file.fileName();
            return false;
        }
        file.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        torchlab::testing::dieWithTest(m_process);
        m_process.start(nginx, {QStringLiteral("-c"), file.fileName(), QStringLiteral("-p"), prefix,
                                QStringLiteral("-e"), prefix + QStringLiteral("/error.log")});
        if (!m_process.waitForStarted()) {
            *error = m_process.errorString();
            return false;
        }
        if (!torchlab::testing::waitForListener(m_port, m_process)) {
            QFile log(prefix + QStringLiteral("/error.log"));
            log.open(QIODevice::ReadOnly);
            *error = QString::fromUtf8(m_process.readAll() + log.readAll());
            stop();
            return false;
        }
        return true;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10'000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool isRunning() const { return m_process.state() == QProcess::Running; }
    int port() const { return isRunning() ? m_port : 0; }
    // http://127.0.0.1:<port>/<path>
    QString url(const QString &path = QString()) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(path);
    }

private:
    QProcess m_process;
    int m_port = 0;
};

} // namespace packtest
