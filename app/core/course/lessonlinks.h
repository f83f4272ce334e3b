#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace torchlab {

// What a lesson's text may open (a link the learner clicks) or show (a figure
// the text names), decided from the URL alone and the files on disk. QtCore
// only, so tests and the lesson-markdown fuzzer reach it without a window
// (docs/reliability.md row 33).
//
// Links: an anchor inside the text (`#part`); an http or https URL with a
// host, opened in the browser; or a regular file inside the lesson folder,
// named by a relative path or a file URL, resolved canonically (a `..` or a
// symbolic link that leaves the folder is refused). Anything else is
// refused: other schemes (javascript:, ftp:, qrc:, data:, mailto:...),
// absolute paths and files outside, folders, devices, FIFOs, sockets.
//
// Figures follow the file rule only: no web, no data: or qrc: URLs.
class LessonLinks
{
public:
    enum class Kind
    {
        Refused,
        Anchor,     // scroll to `fragment` in the text
        Web,        // open `url` in the browser
        LessonFile, // open `path` (canonical, inside the folder)
    };
    struct Decision
    {
        Kind kind = Kind::Refused;
        QUrl url;         // Web: the URL to open
        QString path;     // LessonFile: the canonical path
        QString fragment; // Anchor: the anchor's name
    };

    // `folder`: the lesson folder. Empty or missing: only anchors and web links.
    explicit LessonLinks(const QString &folder = QString());
    void setFolder(const QString &folder);
    QString folder() const { return m_folder; }

    // A link of the text, as written or as QTextBrowser resolved it (relative
    // names become file URLs of the folder).
    Decision link(const QUrl &url) const;
    // The canonical path of a regular file inside the folder that a relative
    // name or a file URL (no host) points at; empty when there is none.
    QString filePath(const QUrl &url) const;
    // Whether `path` (canonical) lies inside the folder.
    bool isInside(const QString &canonicalPath) const;

    // Reads a regular file whole, at most `maxBytes`: opened without blocking
    // and checked again on the open descriptor, so a FIFO or device put in
    // its place after the check is never read. Nothing when it is not a
    // regular file or is larger.
    static std::optional<QByteArray> readRegularFile(const QString &path, qint64 maxBytes);

private:
    QString m_folder;    // as given
    QString m_canonical; // its canonical path; empty when it does not exist
};

} // namespace torchlab
