#pragma once

#include <QHash>
#include <QImage>
#include <QPixmap>
#include <QString>
#include <QUrl>

#include <memory>

class QSvgRenderer;
class QWidget;

namespace torchlab {

// The figures a lesson's text shows, read from its folder only: a figure is a
// regular file inside the folder (a `..` or a link that leaves it is refused),
// at most 2 MiB, an SVG (drawn by QtSvg, never one with an <image> element,
// which would read another file) or an image QImageReader reads (PNG, JPEG).
// Anything else is refused and shows nothing. Each file is read once per
// folder. GUI thread only.
class LessonFigures
{
public:
    // The lesson folder; forgets every figure read before. Empty: none.
    void setFolder(const QString &folder);

    // Whether a name as the lesson's markdown gives it is a relative path (no
    // scheme, no host, not absolute), the only kind a lesson may use.
    static bool isRelativeName(const QString &name);
    // The canonical path of the file a relative name or a file URL points at,
    // if a figure may come from it; empty otherwise.
    QString path(const QUrl &url) const;

    // The figure's own size in logical pixels (an SVG's width and height, in
    // the shape of its view box); empty when it is refused.
    QSizeF naturalSize(const QUrl &url);
    // The figure drawn at `size` logical pixels for a screen of `ratio`
    // device pixels per logical one, so that it is sharp there; the last
    // drawing of each figure is kept. Null when it is refused.
    QPixmap draw(const QUrl &url, const QSize &size, qreal ratio);

    // A window (deleted on close) that shows the figure as large as the
    // screen allows, drawn afresh at its size; null when it is refused.
    QWidget *openWindow(const QUrl &url, const QString &title, QWidget *parent);

private:
    struct Figure
    {
        std::shared_ptr<QSvgRenderer> svg; // an SVG figure, or
        QImage raster;                     // a PNG, JPEG... one
        QSizeF natural;                    // empty: refused
        QPixmap drawn;                     // the last drawing
        QSize drawnSize;
        qreal drawnRatio = 0;
    };
    Figure *find(const QUrl &url);
    static Figure read(const QString &path);

    QString m_folder;
    QHash<QString, Figure> m_figures; // by canonical path
};

} // namespace torchlab
